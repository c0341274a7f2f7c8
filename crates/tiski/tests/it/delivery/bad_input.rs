//! Bad recipients, too many of them, and unknown messages: each a clear problem naming the
//! field, never a 500, and nothing stored.

use super::{api_ticket, mailbox, messages, reply};
use reqwest::StatusCode;
use serde_json::json;
use tiski_testkit::{TestApp, assert_problem};

#[tokio::test]
async fn bad_recipients_are_refused_with_the_field_at_fault() {
    let test = TestApp::spawn().await;
    mailbox(&test, "desk@shop.example", None).await;
    let (ticket, token) = api_ticket(&test, json!({"email": "maija@customer.example"})).await;
    let cases = [
        (
            json!({"body": "x", "cc": ["ok@example.fi", "not an address"]}),
            "cc[1]",
        ),
        (json!({"body": "x", "bcc": ["@nowhere"]}), "bcc[0]"),
        (
            json!({"body": "x", "to": ["maija@customer.example", "two@@example.fi"]}),
            "to[1]",
        ),
        (json!({"body": "x", "to": []}), "to"),
        (
            json!({"body": "x", "kind": "note", "cc": ["boss@example.fi"]}),
            "cc",
        ),
        (
            json!({"body": "x", "author": "customer", "bcc": ["boss@example.fi"]}),
            "bcc",
        ),
        (json!({"body": "x", "cc": "boss@example.fi"}), "cc"),
    ];
    for (body, field) in cases {
        let answer = reply(&test, ticket, &token, body.clone()).await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    let many: Vec<String> = (0..51).map(|i| format!("person{i}@example.fi")).collect();
    let answer = reply(&test, ticket, &token, json!({"body": "x", "bcc": many})).await;
    assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("bcc"));
    let half: Vec<String> = (0..30).map(|i| format!("person{i}@example.fi")).collect();
    let other: Vec<String> = (30..60).map(|i| format!("person{i}@example.fi")).collect();
    let answer = reply(
        &test,
        ticket,
        &token,
        json!({"body": "x", "cc": half, "bcc": other}),
    )
    .await;
    assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("bcc"));
    assert_eq!(messages(&test, ticket).await.len(), 1, "nothing was stored");

    // The same rules on a new ticket's first message name the nested field.
    let answer = test
        .post(
            "/api/v1/tickets",
            &token,
            json!({"subject": "Hi", "requester": {"email": "x@example.fi"},
                "message": {"body": "x", "author": "agent", "cc": ["bad"]}}),
        )
        .await;
    assert_problem(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("message.cc[0]"),
    );
    test.stop().await;
}

#[tokio::test]
async fn bad_forwards_are_refused() {
    let test = TestApp::spawn().await;
    mailbox(&test, "desk@shop.example", None).await;
    let (ticket, token) = api_ticket(&test, json!({"email": "maija@customer.example"})).await;
    let path = format!("/api/v1/tickets/{ticket}/forward");
    let cases = [
        (json!({"to": []}), "to"),
        (json!({"to": ["nope"]}), "to[0]"),
        (
            json!({"to": ["a@example.fi"], "message_id": 999_999}),
            "message_id",
        ),
        (
            json!({"to": ["a@example.fi"], "message_id": "one"}),
            "message_id",
        ),
        (json!({"to": ["a@example.fi"], "extra": 1}), "extra"),
    ];
    for (body, field) in cases {
        let answer = test.post(&path, &token, body.clone()).await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    let many: Vec<String> = (0..51).map(|i| format!("p{i}@example.fi")).collect();
    let answer = test.post(&path, &token, json!({"to": many})).await;
    assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("to"));
    // A message of another ticket is as unknown as one that does not exist.
    let (other, _) = api_ticket(&test, json!({"email": "pekka@example.fi"})).await;
    let foreign = messages(&test, other).await[0]["id"].as_i64().unwrap();
    let answer = test
        .post(
            &path,
            &token,
            json!({"to": ["a@example.fi"], "message_id": foreign}),
        )
        .await;
    assert_problem(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("message_id"),
    );
    assert_eq!(messages(&test, ticket).await.len(), 1, "no note was stored");
    // Out of reach: 404.
    let answer = test
        .post(
            "/api/v1/tickets/999999/forward",
            &token,
            json!({"to": ["a@example.fi"]}),
        )
        .await;
    assert_problem(&answer, StatusCode::NOT_FOUND, None);
    test.stop().await;
}
