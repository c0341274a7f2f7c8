//! Two-factor sign-in over HTTP, on the fake clock (codes are computed from the clock's time
//! the way an authenticator app would): enrolment, the second step, replay of a code,
//! recovery codes used once, guessing limits, a role that requires it, turning it off, an
//! admin's reset, and the secret stored sealed.

use super::{PASSWORD, client_from, sign_in, staff};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use std::time::Duration;
use tiski_domain::Role;
use tiski_kernel::Settings;
use tiski_kernel::settings::RoleList;
use tiski_testkit::{TestApp, fast_settings};
use totp_rs::{Builder, Secret};

/// The code an authenticator app shows for `secret` at the app's clock.
fn code_now(test: &TestApp, secret: &str) -> String {
    let totp = Builder::new()
        .with_secret(Secret::try_from_base32(secret).expect("a base32 secret"))
        .build()
        .expect("a TOTP");
    let seconds = u64::try_from(test.app.kernel.now() / 1_000_000).expect("after 1970");
    totp.generate(seconds).to_string()
}

/// The text between `marker` and the next `"`/`<` in `page`.
fn after<'a>(page: &'a str, marker: &str) -> &'a str {
    let start = page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {page}"))
        + marker.len();
    page[start..].split(['"', '<']).next().unwrap_or_default()
}

/// A GET or form POST with the session cookie: status, location, body.
pub(super) async fn with_session(
    test: &TestApp,
    session: &str,
    path: &str,
    form: Option<&[(&str, &str)]>,
) -> (StatusCode, Option<String>, String) {
    let client = client_from("127.0.0.1");
    let url = format!("{}{path}", test.url);
    let request = match form {
        Some(form) => client.post(url).form(form),
        None => client.get(url),
    };
    let response = request
        .header(COOKIE, format!("tiski_session={session}"))
        .send()
        .await
        .expect("an answer");
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, location, response.text().await.unwrap_or_default())
}

/// Signs in by password: the session and where the answer sends it.
pub(super) async fn password_step(test: &TestApp, email: &str) -> (String, String) {
    let answer = sign_in(&client_from("127.0.0.1"), test, email, PASSWORD, None, &[]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{email}");
    let session = answer.session().expect("a session");
    (session, answer.location.unwrap_or_default())
}

/// Enrols the session's user; their secret and recovery codes.
async fn enrol(test: &TestApp, session: &str) -> (String, Vec<String>) {
    let (status, _, page) = with_session(test, session, "/two-factor", None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("data-testid=\"two-factor-qr\""), "a QR code");
    assert!(page.contains("otpauth://totp/"), "the otpauth URL");
    let secret = after(&page, "data-testid=\"two-factor-secret\">").to_string();
    let csrf = after(&page, "name=\"csrf\" value=\"").to_string();
    let code = code_now(test, &secret);
    let (status, _, page) = with_session(
        test,
        session,
        "/two-factor/confirm",
        Some(&[("csrf", &csrf), ("code", &code)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let codes: Vec<String> = page
        .split("<li><code>")
        .skip(1)
        .map(|part| part.split('<').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(codes.len(), 10, "{page}");
    (secret, codes)
}

/// Sends a code for a session that awaits one.
async fn second_step(test: &TestApp, session: &str, code: &str) -> StatusCode {
    let (_, _, page) = with_session(test, session, "/login/code", None).await;
    let csrf = after(&page, "name=\"csrf\" value=\"").to_string();
    with_session(
        test,
        session,
        "/login/code",
        Some(&[("csrf", &csrf), ("code", code)]),
    )
    .await
    .0
}

#[tokio::test]
async fn enrolment_codes_replays_and_recovery_codes() {
    let test = TestApp::spawn().await;
    let user = staff(&test, "totp@example.com", Role::Agent, &[]).await;
    let (session, to) = password_step(&test, "totp@example.com").await;
    assert_eq!(to, "/inbox", "no second factor yet");
    let (secret, recovery) = enrol(&test, &session).await;

    // Stored sealed, never as the secret itself.
    let stored: Option<String> = test
        .app
        .kernel
        .store()
        .read(move |conn| {
            conn.query_scalar(
                "SELECT totp_secret FROM users WHERE id = $1",
                tiski_store::params![user],
            )
        })
        .await
        .expect("the stored secret");
    let stored = stored.expect("a secret");
    assert!(
        stored.starts_with("v1:") && !stored.contains(&secret),
        "{stored}"
    );

    // The next sign-in owes a code: the workspace and its stream are closed to it.
    test.advance(Duration::from_secs(30));
    let (pending, to) = password_step(&test, "totp@example.com").await;
    assert_eq!(to, "/login/code");
    let (status, location, _) = with_session(&test, &pending, "/inbox", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/login/code"));
    let (status, _, _) = with_session(&test, &pending, "/ui/events", None).await;
    assert_ne!(status, StatusCode::OK, "no stream before the second step");
    let code = code_now(&test, &secret);
    assert_eq!(
        second_step(&test, &pending, "000000x").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        second_step(&test, &pending, &code).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        with_session(&test, &pending, "/inbox", None).await.0,
        StatusCode::OK
    );

    // The same code again, within its window, is refused.
    let (again, _) = password_step(&test, "totp@example.com").await;
    assert_eq!(
        second_step(&test, &again, &code).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a replayed code"
    );
    // A recovery code works once.
    assert_eq!(
        second_step(&test, &again, &recovery[0].to_uppercase()).await,
        StatusCode::SEE_OTHER
    );
    let (third, _) = password_step(&test, "totp@example.com").await;
    assert_eq!(
        second_step(&test, &third, &recovery[0]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a recovery code used twice"
    );
    test.stop().await;
}

#[tokio::test]
async fn guessing_codes_meets_the_growing_wait() {
    let test = TestApp::spawn().await;
    staff(&test, "guess2fa@example.com", Role::Agent, &[]).await;
    let (session, _) = password_step(&test, "guess2fa@example.com").await;
    let (secret, _) = enrol(&test, &session).await;
    test.advance(Duration::from_secs(30));
    let (pending, _) = password_step(&test, "guess2fa@example.com").await;
    let mut statuses = Vec::new();
    for guess in 0..8 {
        statuses.push(second_step(&test, &pending, &format!("{guess:06}")).await);
    }
    assert!(
        statuses.ends_with(&[StatusCode::TOO_MANY_REQUESTS; 3]),
        "{statuses:?}"
    );
    // Even the right code waits now.
    let code = code_now(&test, &secret);
    assert_eq!(
        second_step(&test, &pending, &code).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    test.stop().await;
}

#[tokio::test]
async fn a_role_that_requires_it_is_sent_to_enrol_then_signs_in() {
    let test = TestApp::spawn_with(Settings {
        two_factor_roles: RoleList(vec![Role::Supervisor]),
        ..fast_settings()
    })
    .await;
    staff(&test, "lead@example.com", Role::Supervisor, &[]).await;
    let (session, to) = password_step(&test, "lead@example.com").await;
    assert_eq!(to, "/two-factor");
    let (status, location, _) = with_session(&test, &session, "/inbox", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/two-factor"));
    let (secret, _) = enrol(&test, &session).await;
    assert_eq!(
        with_session(&test, &session, "/inbox", None).await.0,
        StatusCode::OK,
        "enrolling completed the sign-in"
    );

    // Turning it off takes the password and a current code.
    test.advance(Duration::from_secs(30));
    let (_, _, page) = with_session(&test, &session, "/two-factor", None).await;
    let csrf = after(&page, "name=\"csrf\" value=\"").to_string();
    let code = code_now(&test, &secret);
    let wrong = with_session(
        &test,
        &session,
        "/two-factor/disable",
        Some(&[
            ("csrf", &csrf),
            ("password", "not the password"),
            ("code", &code),
        ]),
    )
    .await;
    assert_eq!(wrong.0, StatusCode::UNPROCESSABLE_ENTITY);
    let off = with_session(
        &test,
        &session,
        "/two-factor/disable",
        Some(&[("csrf", &csrf), ("password", PASSWORD), ("code", &code)]),
    )
    .await;
    assert_eq!(off.0, StatusCode::SEE_OTHER);
    // The role still requires it: the next sign-in enrols again.
    let (_, to) = password_step(&test, "lead@example.com").await;
    assert_eq!(to, "/two-factor");
    test.stop().await;
}

#[tokio::test]
async fn an_admin_resets_a_lost_device() {
    let test = TestApp::spawn().await;
    let user = staff(&test, "lost@example.com", Role::Agent, &[]).await;
    let (session, _) = password_step(&test, "lost@example.com").await;
    enrol(&test, &session).await;
    let (_, to) = password_step(&test, "lost@example.com").await;
    assert_eq!(to, "/login/code");
    let (status, _) = test
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/agents/{user}/two-factor"),
            &test.admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, to) = password_step(&test, "lost@example.com").await;
    assert_eq!(to, "/inbox");
    test.stop().await;
}

#[tokio::test]
async fn hostile_codes_are_refused_never_failed() {
    let test = TestApp::spawn_with(Settings {
        signin_failures_per_email: 1_000,
        ..fast_settings()
    })
    .await;
    staff(&test, "blns2fa@example.com", Role::Agent, &[]).await;
    let (session, _) = password_step(&test, "blns2fa@example.com").await;
    let (_, _, page) = with_session(&test, &session, "/two-factor", None).await;
    let csrf = after(&page, "name=\"csrf\" value=\"").to_string();
    enrol(&test, &session).await;
    let (pending, _) = password_step(&test, "blns2fa@example.com").await;
    let blns = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.txt"
    );
    let text = std::fs::read_to_string(blns).expect("the naughty strings");
    for line in text.lines().filter(|l| !l.starts_with('#')).take(300) {
        let status = second_step(&test, &pending, line).await;
        assert!(
            [422, 429].contains(&status.as_u16()),
            "code {line:?}: {status}"
        );
        let status = with_session(
            &test,
            &session,
            "/two-factor/disable",
            Some(&[("csrf", &csrf), ("password", line), ("code", line)]),
        )
        .await
        .0;
        assert!(
            [422, 429].contains(&status.as_u16()),
            "disable {line:?}: {status}"
        );
    }
    test.stop().await;
}
