//! The workspace's New ticket page, Merge into… and Split, with good and bad input.

use super::{signed_in, staff, ticket_in};
use reqwest::StatusCode;
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn the_new_ticket_form_shows_errors_by_their_field_and_logs_a_call() {
    let test = TestApp::spawn().await;
    let team = test.team("Desk").await;
    staff(&test, "ida@example.com", "Ida Agent", Role::Agent, &[team]).await;
    let mut ida = signed_in(&test, "ida@example.com").await;
    let page = ida.get("/tickets/new?kind=call").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"new-ticket-form\""));
    assert!(
        page.body.contains("value=\"Europe/Helsinki\""),
        "the time zone picker"
    );
    assert!(
        page.body.contains(">suomi (Finnish)<"),
        "the language picker"
    );

    // Nothing filled in: the subject and the customer's address are asked for.
    let empty = ida.post("/ui/tickets/new", &[("kind", "email")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["subject", "body", "customer_email"] {
        assert!(
            empty
                .body
                .contains(&format!("data-testid=\"error-{field}\"")),
            "{field}: {}",
            empty.body
        );
    }
    // Bad values: an email address that is none, a kind that is none, a customer id out of reach.
    let bad = ida
        .post(
            "/ui/tickets/new",
            &[
                ("kind", "zzz"),
                ("subject", "Hello"),
                ("body", "Hi there"),
                ("customer_id", ""),
                ("customer_email", "not an address"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("data-testid=\"error-customer_email\""),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"Hello\""), "what was typed stays");
    let hidden = ida
        .post(
            "/ui/tickets/new",
            &[
                ("kind", "call"),
                ("subject", "Hello"),
                ("body", "Hi there"),
                ("customer_id", "999999"),
            ],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        hidden.body.contains("data-testid=\"error-customer\""),
        "{}",
        hidden.body
    );
    let zone = ida
        .post(
            "/ui/tickets/new",
            &[
                ("kind", "visit"),
                ("subject", "Hello"),
                ("body", "Hi there"),
                ("customer_id", ""),
                ("customer_name", "Bo"),
                ("customer_time_zone", "Mars/Olympus"),
            ],
        )
        .await;
    assert_eq!(zone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        zone.body.contains("Mars/Olympus"),
        "the refused zone is shown, not dropped"
    );

    // A walk-in visit with notes only, for a new customer.
    let made = ida
        .post(
            "/ui/tickets/new",
            &[
                ("kind", "visit"),
                ("subject", "Returned a broken lamp"),
                ("notes", "Gave a refund slip."),
                ("customer_id", ""),
                ("customer_name", "Bo Berg"),
                ("customer_phone", "+46 70 123 45 67"),
                ("customer_language", "en"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let location = made.location.unwrap();
    let id: i64 = location.trim_start_matches("/tickets/").parse().unwrap();
    let (_, ticket) = test
        .get(&format!("/api/v1/tickets/{id}"), &test.admin)
        .await;
    assert_eq!(ticket["channel"], "desk");
    assert_eq!(ticket["team_id"], team);
    let (_, messages) = test
        .get(&format!("/api/v1/tickets/{id}/messages"), &test.admin)
        .await;
    assert_eq!(messages["items"][0]["kind"], "note");
    test.stop().await;
}

#[tokio::test]
async fn merge_and_split_in_the_workspace_refuse_bad_input() {
    let test = TestApp::spawn().await;
    // Public replies need a mailbox that can reach the customer.
    test.default_mailbox().await;
    let team = test.team("Desk").await;
    let other = test.team("Elsewhere").await;
    staff(&test, "ida@example.com", "Ida Agent", Role::Agent, &[team]).await;
    let mut ida = signed_in(&test, "ida@example.com").await;
    let a = ticket_in(&test, team, "First", "Kim", "Hello once").await;
    let b = ticket_in(&test, team, "Second", "Kim", "Hello twice").await;
    let unseen = ticket_in(&test, other, "Theirs", "Lee", "Not yours").await;
    ida.get(&format!("/tickets/{a}")).await;
    let preview = format!("/ui/tickets/{a}/merge/preview");
    for into in ["", "abc", &a.to_string()] {
        let answer = ida.post(&preview, &[("into", into)]).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{into}");
    }
    let answer = ida.post(&preview, &[("into", &unseen.to_string())]).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let answer = ida.post(&preview, &[("into", &b.to_string())]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.contains(&format!("#{b}")), "{}", answer.body);
    let candidates = ida
        .get(&format!("/ui/tickets/{a}/merge/candidates?q=%23{b}"))
        .await;
    assert!(
        candidates.body.contains(&format!("value=\"{b}\"")),
        "{}",
        candidates.body
    );
    let merged = ida
        .post(
            &format!("/ui/tickets/{a}/merge"),
            &[
                ("into", &b.to_string()),
                ("tell", "on"),
                ("reply", "We merged your requests."),
            ],
        )
        .await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER);
    assert_eq!(
        merged.location.as_deref(),
        Some(format!("/tickets/{b}").as_str())
    );
    let old = ida.get(&format!("/tickets/{a}")).await;
    assert_eq!(
        old.status,
        StatusCode::SEE_OTHER,
        "a merged ticket opens its survivor"
    );
    assert_eq!(
        old.location.as_deref(),
        Some(format!("/tickets/{b}").as_str())
    );
    let page = ida.get(&format!("/tickets/{b}")).await;
    assert!(page.body.contains("Hello once"), "the conversation moved");

    for path in ["/ui/messages/abc/split", "/ui/messages/999999/split"] {
        let answer = ida.post(path, &[]).await;
        assert!(answer.status.is_client_error(), "{path}: {}", answer.status);
    }
    let (_, messages) = test
        .get(&format!("/api/v1/tickets/{b}/messages"), &test.admin)
        .await;
    let first = messages["items"][0]["id"].as_i64().unwrap();
    let split = ida.post(&format!("/ui/messages/{first}/split"), &[]).await;
    assert_eq!(split.status, StatusCode::SEE_OTHER);
    let (_, moved) = test
        .get(&format!("/api/v1{}", split.location.unwrap()), &test.admin)
        .await;
    assert_eq!(moved["split_from"], b);
    test.stop().await;
}
