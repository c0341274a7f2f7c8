//! Inbound email through `POST /api/v1/mailboxes/{id}/raw`: threading, customers, loops,
//! bounces, quarantine, attachments, and the replies it queues.

mod attachments;
mod corpus;
mod loops;
mod mailboxes;
mod threading;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tiski_testkit::TestApp;

/// A mailbox for `address` in a new team; returns (mailbox id, team id).
async fn mailbox(test: &TestApp, address: &str) -> (i64, i64) {
    let team = test.team(&format!("Team for {address}")).await;
    let (status, body) = test
        .post(
            "/api/v1/mailboxes",
            &test.admin,
            json!({"address": address, "name": "Shop Support", "team_id": team, "signature": "Shop Oy, +358 9 123 4567"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (body["id"].as_i64().unwrap(), team)
}

async fn post_raw(test: &TestApp, mailbox: i64, raw: &str) -> (StatusCode, Value) {
    let response = test
        .request(
            Method::POST,
            &format!("/api/v1/mailboxes/{mailbox}/raw"),
            Some(&test.admin),
        )
        .header("content-type", "message/rfc822")
        .body(raw.as_bytes().to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn message(from: &str, to: &str, subject: &str, id: &str, extra: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0200\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

async fn messages(test: &TestApp, ticket: i64) -> Vec<Value> {
    let (status, page) = test
        .get(&format!("/api/v1/tickets/{ticket}/messages"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}
