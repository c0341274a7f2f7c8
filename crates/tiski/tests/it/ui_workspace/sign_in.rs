//! Signing in and out, CSRF refusals and the sign-in rate limit.

use super::{Browser, PASSWORD, signed_in, staff, ticket_in};
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn sign_in_and_out() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    staff(&test, "ann@example.com", "Ann Agent", Role::Agent, &[team]).await;
    let mut browser = Browser::new(&test);

    // Not signed in: pages send to the sign-in form.
    let inbox = browser.get("/inbox").await;
    assert_eq!(inbox.status, StatusCode::SEE_OTHER);
    assert!(inbox.location.unwrap().starts_with("/login"));

    let page = browser.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"login-form\""));
    assert!(
        page.body.contains("<label for=\"email\">"),
        "fields are labelled"
    );

    // The wrong password is refused with a message.
    let wrong = browser
        .post(
            "/login",
            &[
                ("email", "ann@example.com"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("login-error"));

    let ok = browser.sign_in("ANN@example.com", PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location.as_deref(), Some("/inbox"));
    let cookie = ok
        .set_cookies
        .iter()
        .find(|c| c.starts_with("tiski_session=tss_"))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http gets no Secure flag: {cookie}"
    );
    let token = browser.cookies["tiski_session"].clone();
    // Only the digest is stored.
    let stored: i64 = test
        .app
        .kernel
        .store()
        .read(move |conn| {
            conn.query_scalar::<i64>(
                "SELECT COUNT(*) FROM sessions WHERE token_hash = $1",
                tiski_store::params![token.as_str()],
            )
        })
        .await
        .unwrap();
    assert_eq!(stored, 0, "the raw token must not be stored");

    let inbox = browser.get("/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(inbox.body.contains("Ann Agent"));
    assert!(inbox.body.contains("Mine, open"));
    let headers = browser
        .http
        .get(format!("{}/inbox", browser.base))
        .header(COOKIE, browser.cookie_header())
        .send()
        .await
        .unwrap();
    let csp = headers.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(headers.headers()["cache-control"], "no-store");

    let out = browser.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = browser.get("/inbox").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "signed out");

    // A client claiming https itself is not believed (only a trusted proxy is: see
    // auth_security::tokens), so the cookie stays as it is over plain HTTP.
    let mut secure = Browser::new(&test);
    secure.get("/login").await;
    let csrf = secure.csrf.clone();
    let request = secure
        .http
        .post(format!("{}/login", secure.base))
        .header("x-forwarded-proto", "https")
        .form(&[
            ("email", "ann@example.com"),
            ("password", PASSWORD),
            ("csrf", &csrf),
        ]);
    let answer = secure.send(request).await;
    assert!(
        answer
            .set_cookies
            .iter()
            .any(|c| c.starts_with("tiski_session=") && !c.contains("; Secure")),
        "{:?}",
        answer.set_cookies
    );
    test.stop().await;
}

#[tokio::test]
async fn changing_requests_need_the_csrf_token() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    staff(&test, "ben@example.com", "Ben Agent", Role::Agent, &[team]).await;
    let id = ticket_in(&test, team, "Kettle", "Aino Virtanen", "It leaks.").await;
    let mut browser = signed_in(&test, "ben@example.com").await;
    let path = format!("/ui/tickets/{id}/messages");

    let none = browser
        .post_raw(&path, &[("body", "no token"), ("kind", "note")])
        .await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    let wrong = browser
        .post_raw(
            &path,
            &[
                ("body", "wrong token"),
                ("kind", "note"),
                ("csrf", "forged"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // A cross-site origin is refused even with the token.
    let csrf = browser.csrf.clone();
    let request = browser
        .http
        .post(format!("{}{path}", browser.base))
        .header("origin", "https://evil.example")
        .header("x-csrf-token", csrf)
        .form(&[("body", "cross-site"), ("kind", "note")]);
    assert_eq!(browser.send(request).await.status, StatusCode::FORBIDDEN);
    // The sign-in form needs its own token too.
    let mut stranger = Browser::new(&test);
    let login = stranger
        .post_raw(
            "/login",
            &[("email", "ben@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);

    let messages = test
        .get(&format!("/api/v1/tickets/{id}/messages"), &test.admin)
        .await;
    assert_eq!(
        messages.1["items"].as_array().unwrap().len(),
        1,
        "nothing was added"
    );

    let ok = browser
        .htmx_post(&path, &[("body", "With the token."), ("kind", "note")])
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("With the token."));
    assert!(ok.body.contains("message-note"));
    test.stop().await;
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_email() {
    let test = TestApp::spawn().await;
    staff(&test, "cai@example.com", "Cai Agent", Role::Agent, &[]).await;
    let mut browser = Browser::new(&test);
    browser.get("/login").await;
    for _ in 0..5 {
        let answer = browser
            .post(
                "/login",
                &[
                    ("email", "cai@example.com"),
                    ("password", "guess guess guess"),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let limited = browser
        .post(
            "/login",
            &[("email", "cai@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("Too many sign-in attempts"));
    // Another email is not affected.
    staff(&test, "dan@example.com", "Dan Agent", Role::Agent, &[]).await;
    let other = browser
        .post(
            "/login",
            &[("email", "dan@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    test.stop().await;
}
