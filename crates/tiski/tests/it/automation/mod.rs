//! Automations through the API on a fake clock: triggers fired by the worker that follows the
//! event log (each action, order, at most once, no loop, the depth of a time rule's changes),
//! time rules once per ticket and occurrence, dry runs, who may do what, and bad input.

mod bad_input;
mod time_rules;
mod triggers;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_testkit::TestApp;

/// Runs the trigger worker until it has read the whole log.
async fn settle(test: &TestApp) {
    for _ in 0..50 {
        if test.app.automation.run_triggers(500).await.expect("a step") == 0 {
            return;
        }
    }
    panic!("the trigger worker did not catch up");
}

/// Makes a trigger as the admin; its id.
async fn trigger(test: &TestApp, body: Value) -> i64 {
    let (status, made) = test.post("/api/v1/triggers", &test.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made["id"].as_i64().expect("an id")
}

/// A new ticket from a customer, as the admin hands it in.
async fn customer_ticket(test: &TestApp, subject: &str, body: &str) -> i64 {
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": subject, "requester": {"email": "aino@example.fi", "name": "Aino Virtanen"}, "message": {"body": body}}),
        )
        .await;
    ticket["id"].as_i64().expect("a ticket id")
}

/// A ticket as the API shows it.
async fn ticket(test: &TestApp, id: i64) -> Value {
    let (status, ticket) = test
        .get(&format!("/api/v1/tickets/{id}"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{ticket}");
    ticket
}

/// A ticket's events, oldest first.
async fn events(test: &TestApp, id: i64) -> Vec<Value> {
    let (status, page) = test
        .get(
            &format!("/api/v1/tickets/{id}/events?limit=200"),
            &test.admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().cloned().unwrap_or_default()
}

/// The `trigger.fired` events of a ticket.
async fn fired(test: &TestApp, id: i64) -> Vec<Value> {
    events(test, id)
        .await
        .into_iter()
        .filter(|e| e["type"] == "trigger.fired")
        .collect()
}
