//! The token API (paging, scope, hostile input) and the command line's `token list` and
//! `token revoke`; Secure cookies and HSTS only when the public side is HTTPS; supervisors
//! cannot move admins into their teams.

use super::{PASSWORD, client_from, sign_in, staff};
use crate::binary::{database_flags, tiski};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tiski_domain::Role;
use tiski_kernel::Settings;
use tiski_kernel::settings::{PublicScheme, TrustedProxies};
use tiski_testkit::{TestApp, fast_settings};

#[tokio::test]
async fn tokens_page_by_keyset_and_refuse_hostile_input() {
    let test = TestApp::spawn().await;
    let (_, token) = test.user(Role::Agent, &[]).await;
    for _ in 0..4 {
        test.user(Role::Agent, &[]).await;
    }
    // The admin sees all six tokens, two a page, newest first, each once.
    let mut seen = Vec::new();
    let mut path = "/api/v1/tokens?limit=2".to_string();
    loop {
        let (status, page) = test.get(&path, &test.admin).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(page["items"].as_array().expect("items").iter().map(|t| {
            assert!(t.get("token").is_none() && t.get("token_hash").is_none());
            t["id"].as_i64().expect("an id")
        }));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/tokens?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(seen, sorted, "newest first, no repeats");
    assert_eq!(seen.len(), 6);
    // An agent sees only their own.
    let (_, own) = test.get("/api/v1/tokens", &token).await;
    assert_eq!(own["items"].as_array().map(Vec::len), Some(1));

    let blns = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.txt"
    );
    let text = std::fs::read_to_string(blns).expect("the naughty strings");
    for line in text.lines().filter(|l| !l.starts_with('#')).take(400) {
        for (name, value) in [("cursor", line), ("limit", line)] {
            let answer = test
                .request(Method::GET, "/api/v1/tokens", Some(&token))
                .query(&[(name, value)])
                .send()
                .await
                .expect("an answer");
            let status = answer.status();
            assert!(
                [200, 400, 422].contains(&status.as_u16()),
                "{name}={value:?}: {status}"
            );
        }
        let encoded: String = line
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>();
        for method in [Method::GET, Method::DELETE] {
            let answer = test
                .request(
                    method.clone(),
                    &format!("/api/v1/tokens/{encoded}"),
                    Some(&token),
                )
                .send()
                .await
                .expect("an answer");
            assert!(
                answer.status().is_client_error(),
                "{method} /tokens/{line:?}: {}",
                answer.status()
            );
        }
    }
    test.stop().await;
}

#[tokio::test]
async fn the_command_line_lists_and_revokes_tokens() {
    let test = TestApp::spawn().await;
    let (_, token) = test.user(Role::Agent, &[]).await;
    let (_, page) = test.get("/api/v1/tokens", &token).await;
    let id = page["items"][0]["id"].as_i64().expect("an id");
    let flags = database_flags(&test.location);
    let run = |args: &[&str]| {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.extend(flags.iter().cloned());
        tiski(&all).output().expect("run tiski")
    };
    let listed = run(&["token", "list"]);
    assert!(listed.status.success(), "{listed:?}");
    let listed = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(
        listed.lines().any(|l| l.starts_with(&format!("{id}\t"))),
        "{listed}"
    );
    assert!(!listed.contains("tsk_"), "never the tokens themselves");
    let revoked = run(&["token", "revoke", &id.to_string()]);
    assert!(revoked.status.success(), "{revoked:?}");
    // Another process wrote the revocation: the server learns it from the shared log (on
    // PostgreSQL) or when its short token memory (`auth_cache`) runs out.
    let deadline = tokio::time::Instant::now() + super::DEADLINE;
    while test.get("/api/v1/me", &token).await.0 != StatusCode::UNAUTHORIZED {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the revoked token still works"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let again = run(&["token", "revoke", &id.to_string()]);
    assert!(!again.status.success(), "a revoked token is gone");
    test.stop().await;
}

/// Signs in on `test` with `headers`; whether the session cookie is Secure, whether HSTS was
/// sent, and the cookie's Max-Age.
async fn cookie_flags(test: &TestApp, headers: &[(&str, &str)]) -> (bool, bool, Option<i64>) {
    let client = client_from("127.0.0.1");
    let answer = sign_in(&client, test, "tls@example.com", PASSWORD, None, headers).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let cookie = answer
        .set_cookies
        .iter()
        .find(|c| c.starts_with("tiski_session="))
        .expect("a session cookie")
        .clone();
    let page = client
        .get(format!("{}/login", test.url))
        .headers(
            headers
                .iter()
                .map(|(k, v)| {
                    (
                        reqwest::header::HeaderName::from_bytes(k.as_bytes()).expect("a name"),
                        reqwest::header::HeaderValue::from_str(v).expect("a value"),
                    )
                })
                .collect(),
        )
        .send()
        .await
        .expect("an answer");
    let max_age = cookie
        .split(';')
        .find_map(|p| p.trim().strip_prefix("Max-Age="))
        .and_then(|v| v.parse().ok());
    (
        cookie.contains("; Secure"),
        page.headers().contains_key("strict-transport-security"),
        max_age,
    )
}

#[tokio::test]
async fn secure_cookies_and_hsts_only_over_https() {
    let forwarded = [("x-forwarded-proto", "https")];
    // Plain HTTP, and a client claiming HTTPS without a trusted proxy: neither.
    let test = TestApp::spawn().await;
    staff(&test, "tls@example.com", Role::Agent, &[]).await;
    let session_max = test.app.settings().session_max.as_secs() as i64;
    assert_eq!(
        cookie_flags(&test, &[]).await,
        (false, false, Some(session_max))
    );
    assert_eq!(
        cookie_flags(&test, &forwarded).await,
        (false, false, Some(session_max))
    );
    test.stop().await;
    // A trusted proxy that says HTTPS, and a public URL configured as HTTPS: both.
    for settings in [
        Settings {
            trusted_proxies: TrustedProxies::parse_list("127.0.0.0/8"),
            ..fast_settings()
        },
        Settings {
            public_scheme: PublicScheme::Https,
            ..fast_settings()
        },
    ] {
        let test = TestApp::spawn_with(settings).await;
        staff(&test, "tls@example.com", Role::Agent, &[]).await;
        assert_eq!(
            cookie_flags(&test, &forwarded).await,
            (true, true, Some(session_max))
        );
        test.stop().await;
    }
}

#[tokio::test]
async fn supervisors_cannot_put_admins_in_their_teams() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    let (_, supervisor) = test.user(Role::Supervisor, &[team]).await;
    let (agent, _) = test.user(Role::Agent, &[]).await;
    let (other_admin, _) = test.user(Role::Admin, &[]).await;
    let put = |user: i64, token: String| {
        let test = &test;
        async move {
            test.call(
                Method::PUT,
                &format!("/api/v1/teams/{team}/members/{user}"),
                &token,
                None,
            )
            .await
        }
    };
    let (status, body): (StatusCode, Value) = put(other_admin, supervisor.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(put(agent, supervisor.clone()).await.0, StatusCode::OK);
    assert_eq!(put(other_admin, test.admin.clone()).await.0, StatusCode::OK);
    // Nor take one out.
    let (status, _) = test
        .call(
            Method::DELETE,
            &format!("/api/v1/teams/{team}/members/{other_admin}"),
            &supervisor,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    test.stop().await;
}
