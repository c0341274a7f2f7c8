//! Event streams end when what opened them no longer holds: a revoked token, a signed-out
//! session, a password reset, a deactivation, on the node where it happened and on another;
//! and one user cannot open streams without bound.

use super::{Stream, client_from, session_of, staff, ticket_in};
use reqwest::header::COOKIE;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;
use tiski_domain::Role;
use tiski_kernel::Settings;
use tiski_testkit::{TestApp, fast_settings};

/// The id of the caller's one API token, through the token API.
async fn own_token_id(test: &TestApp, token: &str) -> i64 {
    let (status, page) = test.get("/api/v1/tokens", token).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"][0]["id"].as_i64().expect("a token id")
}

/// The session's CSRF token, from a page.
async fn csrf_of(test: &TestApp, session: &str) -> String {
    let page = client_from("127.0.0.1")
        .get(format!("{}/inbox", test.url))
        .header(COOKIE, format!("tiski_session={session}"))
        .send()
        .await
        .expect("the inbox")
        .text()
        .await
        .expect("a page");
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).expect("a CSRF field") + marker.len();
    page[start..]
        .split('"')
        .next()
        .expect("a token")
        .to_string()
}

#[tokio::test]
async fn revoking_a_token_ends_its_stream_at_once() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    let (_, token) = test.user(Role::Agent, &[team]).await;
    let mut stream = Stream::api(&test, &token).await;
    let first = ticket_in(&test, team, "Before the revocation").await;
    stream.until(&format!("\"ticket_id\":{first}")).await;

    let id = own_token_id(&test, &token).await;
    let revoked = test
        .request(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&token),
        )
        .send()
        .await
        .expect("an answer");
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let second = ticket_in(&test, team, "After the revocation").await;
    let rest = stream.ends().await;
    assert!(
        !rest.contains(&format!("\"ticket_id\":{second}")),
        "a revoked token's stream delivered: {rest}"
    );
    assert_eq!(
        test.get("/api/v1/me", &token).await.0,
        StatusCode::UNAUTHORIZED
    );
    test.stop().await;
}

#[tokio::test]
async fn a_revocation_on_one_node_ends_the_stream_on_another() {
    let test = TestApp::spawn().await;
    let node2 = TestApp::serve(
        test.location.clone(),
        Settings {
            stream_recheck: Duration::from_millis(200),
            ..fast_settings()
        },
    )
    .await;
    let team = test.team("Support").await;
    let (_, token) = test.user(Role::Agent, &[team]).await;
    let stream = Stream::api(&node2, &token).await;
    let id = own_token_id(&test, &token).await;
    let (status, _) = test
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            &test.admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let after = ticket_in(&test, team, "Seen on node 2?").await;
    let rest = stream.ends().await;
    assert!(!rest.contains(&format!("\"ticket_id\":{after}")), "{rest}");
    node2.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn signing_out_ends_the_sessions_stream() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    staff(&test, "out@example.com", Role::Agent, &[team]).await;
    let session = session_of(&test, "out@example.com").await;
    let mut stream = Stream::ui(&test, &session).await;
    let first = ticket_in(&test, team, "Before signing out").await;
    stream.until(&format!("\"ticket_id\":{first}")).await;

    let csrf = csrf_of(&test, &session).await;
    let out = client_from("127.0.0.1")
        .post(format!("{}/logout", test.url))
        .header(COOKIE, format!("tiski_session={session}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("an answer");
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let second = ticket_in(&test, team, "After signing out").await;
    let rest = stream.ends().await;
    assert!(!rest.contains(&format!("\"ticket_id\":{second}")), "{rest}");
    test.stop().await;
}

/// An admin's change to a user (`body`) ends every session and stream of theirs.
async fn an_admin_change_ends_everything(body: serde_json::Value) {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    let user = staff(&test, "reset@example.com", Role::Agent, &[team]).await;
    let token = test
        .app
        .staff
        .create_token("reset@example.com", "script")
        .await
        .expect("a token");
    let session = session_of(&test, "reset@example.com").await;
    let other_session = session_of(&test, "reset@example.com").await;
    let mut ui = Stream::ui(&test, &session).await;
    let mut api = Stream::api(&test, &token).await;
    let first = ticket_in(&test, team, "Before the change").await;
    ui.until(&format!("\"ticket_id\":{first}")).await;
    api.until(&format!("\"ticket_id\":{first}")).await;

    let (status, answer) = test
        .patch(&format!("/api/v1/agents/{user}"), &test.admin, body)
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let second = ticket_in(&test, team, "After the change").await;
    for rest in [ui.ends().await, api.ends().await] {
        assert!(!rest.contains(&format!("\"ticket_id\":{second}")), "{rest}");
    }
    for session in [session, other_session] {
        let page = client_from("127.0.0.1")
            .get(format!("{}/inbox", test.url))
            .header(COOKIE, format!("tiski_session={session}"))
            .send()
            .await
            .expect("an answer");
        assert_eq!(page.status(), StatusCode::SEE_OTHER, "the session ended");
    }
    test.stop().await;
}

#[tokio::test]
async fn a_password_reset_ends_every_session_and_stream() {
    an_admin_change_ends_everything(json!({"password": "a brand new password"})).await;
}

#[tokio::test]
async fn a_deactivation_ends_every_session_and_stream() {
    an_admin_change_ends_everything(json!({"active": false})).await;
}

#[tokio::test]
async fn one_user_may_hold_only_so_many_streams() {
    let test = TestApp::spawn_with(Settings {
        max_streams_per_user: 2,
        ..fast_settings()
    })
    .await;
    let (_, token) = test.user(Role::Agent, &[]).await;
    let _one = Stream::api(&test, &token).await;
    let _two = Stream::api(&test, &token).await;
    let third = test
        .request(Method::GET, "/api/v1/events/stream", Some(&token))
        .send()
        .await
        .expect("an answer");
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        third
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem: serde_json::Value = third.json().await.expect("a problem");
    assert_eq!(problem["code"], "rate_limited");
    // The workspace stream has the same cap; another user is not held back.
    staff(&test, "many@example.com", Role::Agent, &[]).await;
    let session = session_of(&test, "many@example.com").await;
    let _ui_one = Stream::ui(&test, &session).await;
    let _ui_two = Stream::ui(&test, &session).await;
    let third_ui = client_from("127.0.0.1")
        .get(format!("{}/ui/events", test.url))
        .header(COOKIE, format!("tiski_session={session}"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(third_ui.status(), StatusCode::TOO_MANY_REQUESTS);
    let (_, other) = test.user(Role::Agent, &[]).await;
    let _theirs = Stream::api(&test, &other).await;
    test.stop().await;
}
