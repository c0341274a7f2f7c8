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
    // Changing other settings keeps the stored password…
    let (_, changed) = test
        .patch(
            &format!("/api/v1/mailboxes/{id}"),
            &test.admin,
            json!({"imap": {"host": "IMAP.shop.example", "username": "billing", "folder": "Support"}}),
        )
        .await;
    assert_eq!(changed["imap"]["password_set"], true);
    assert_eq!(changed["imap"]["folder"], "Support");
    // …but it is never sent to another server, port or user without being given again.
    for imap in [
        json!({"host": "imap2.shop.example", "username": "billing"}),
        json!({"host": "imap.shop.example", "port": 1993, "username": "billing"}),
        json!({"host": "imap.shop.example", "username": "other"}),
    ] {
        assert_problem(
            &test
                .patch(
                    &format!("/api/v1/mailboxes/{id}"),
                    &test.admin,
                    json!({"imap": imap}),
                )
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("imap.password"),
        );
    }
    assert_problem(
        &test
            .patch(
                &format!("/api/v1/mailboxes/{id}"),
                &test.admin,
                json!({"smtp": {"host": "smtp.evil.example", "username": "billing"}}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("smtp.password"),
    );
    let (status, changed) = test
        .patch(
            &format!("/api/v1/mailboxes/{id}"),
            &test.admin,
            json!({"imap": {"host": "imap2.shop.example", "username": "billing", "password": "imap-secret-3"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["imap"]["password_set"], true);
    assert_eq!(changed["imap"]["host"], "imap2.shop.example");
    // Signing in without TLS is refused unless allowed explicitly.
    assert_problem(
        &test
            .patch(
                &format!("/api/v1/mailboxes/{id}"),
                &test.admin,
                json!({"imap": {"host": "imap2.shop.example", "username": "billing", "tls": "none"}}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("imap.tls"),
    );
    assert_problem(
        &test
            .patch(
                &format!("/api/v1/mailboxes/{id}"),
                &test.admin,
                json!({"smtp": {"host": "smtp.shop.example", "username": "billing", "password": "p", "tls": "none"}}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("smtp.tls"),
    );
    let (status, plain) = test
        .patch(
            &format!("/api/v1/mailboxes/{id}"),
            &test.admin,
            json!({"smtp": {"host": "smtp.shop.example", "username": "billing", "password": "p", "tls": "none", "allow_plain_auth": true}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{plain}");
    assert_eq!(plain["smtp"]["allow_plain_auth"], true);

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
