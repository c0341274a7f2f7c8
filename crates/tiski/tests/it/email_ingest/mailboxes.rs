//! Mailbox settings keep their secrets and refuse bad input.

use super::post_raw;
use reqwest::StatusCode;
use serde_json::json;
use tiski_testkit::{TestApp, assert_problem};

#[tokio::test]
async fn mailbox_settings_keep_secrets_and_refuse_bad_input() {
    let test = TestApp::spawn().await;
    let (status, created) = test
        .post(
            "/api/v1/mailboxes",
            &test.admin,
            json!({
                "address": "Billing@Shop.Example", "name": "Billing",
                "imap": {"host": "imap.shop.example", "username": "billing", "password": "imap-secret-1"},
                "smtp": {"host": "smtp.shop.example", "username": "billing", "password": "smtp-secret-2"},
                "ack_templates": {"FI": {"subject": "Kiitos [#{{ticket.id}}]", "body": "Hei {{customer.name}}!"}}
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["address"], "billing@shop.example");
    assert_eq!(created["imap"]["port"], 993);
    assert_eq!(created["imap"]["password_set"], true);
    assert_eq!(created["smtp"]["port"], 587);
    assert!(created["ack_templates"]["fi"].is_object());
    let text = created.to_string();
    assert!(
        !text.contains("imap-secret-1") && !text.contains("smtp-secret-2"),
        "{text}"
    );
    let id = created["id"].as_i64().unwrap();
    // Changing other settings keeps the stored password.
    let (_, changed) = test
        .patch(
            &format!("/api/v1/mailboxes/{id}"),
            &test.admin,
            json!({"imap": {"host": "imap2.shop.example", "username": "billing"}}),
        )
        .await;
    assert_eq!(changed["imap"]["password_set"], true);
    assert_eq!(changed["imap"]["host"], "imap2.shop.example");

    assert_problem(
        &test
            .post(
                "/api/v1/mailboxes",
                &test.admin,
                json!({"address": "billing@shop.example", "name": "Again"}),
            )
            .await,
        StatusCode::CONFLICT,
        Some("address"),
    );
    assert_problem(
        &test
            .post(
                "/api/v1/mailboxes",
                &test.admin,
                json!({"address": "not an address", "name": "X"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("address"),
    );
    assert_problem(
        &test
            .post(
                "/api/v1/mailboxes",
                &test.admin,
                json!({"address": "x@shop.example", "name": "X", "team_id": 999}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("team_id"),
    );
    assert_problem(&test.post("/api/v1/mailboxes", &test.admin, json!({"address": "y@shop.example", "name": "Y", "imap": {"host": "bad host!", "username": "u"}})).await, StatusCode::UNPROCESSABLE_ENTITY, Some("imap.host"));
    assert_problem(&test.post("/api/v1/mailboxes", &test.admin, json!({"address": "z@shop.example", "name": "Z", "imap": {"host": "h.example", "username": "u", "after": "move"}})).await, StatusCode::UNPROCESSABLE_ENTITY, Some("imap.move_to"));
    assert_problem(&test.post("/api/v1/mailboxes", &test.admin, json!({"address": "w@shop.example", "name": "W", "ack_templates": {"xx-not-a-tag!": {"subject": "s", "body": "b"}}})).await, StatusCode::UNPROCESSABLE_ENTITY, None);
    let (status, _) = post_raw(&test, 9999, "From: a@b.example\r\n\r\nx").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post_raw(&test, id, "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    test.stop().await;
}
