//! Retries of failed deliveries, giving up, and transport errors.

use super::{Receiver, expected_signature, new_ticket, register, settled_delivery};
use serde_json::{Value, json};
use tiski_testkit::TestApp;

#[tokio::test]
async fn a_failing_receiver_gets_the_same_delivery_retried() {
    let test = TestApp::spawn().await;
    let receiver = Receiver::failing(2).await;
    let secret = "retry-secret-0123456789abcdef";
    let hook = register(&test, &receiver.url, &["ticket.created"], Some(secret)).await;
    let hook_id = hook["id"].as_i64().unwrap();
    let ticket = test
        .ticket(&test.admin, new_ticket("Retry me", "retry@example.com"))
        .await;

    let delivery = settled_delivery(&test, hook_id).await;
    assert_eq!(delivery["status"], "delivered", "{delivery}");
    assert_eq!(delivery["attempts"], 3, "{delivery}");
    let codes: Vec<Value> = delivery["attempt_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![json!(500), json!(500), json!(200)],
        "{delivery}"
    );
    for failed in &delivery["attempt_log"].as_array().unwrap()[..2] {
        assert!(
            failed["error"].as_str().is_some_and(|e| !e.is_empty()),
            "a failed attempt records its error: {failed}"
        );
    }
    assert!(delivery["attempt_log"][2]["error"].is_null());
    assert!(delivery["last_error"].is_null(), "{delivery}");
    assert!(delivery["delivered_at"].is_string());
    assert!(delivery["next_attempt_at"].is_null());

    let hits = receiver.hits();
    assert_eq!(hits.len(), 3, "two failures and one success");
    let first = &hits[0];
    assert_eq!(first.json()["type"], "ticket.created");
    assert_eq!(first.json()["ticket_id"], ticket["id"]);
    for hit in &hits {
        assert_eq!(
            hit.header("X-Tiski-Delivery"),
            Some(delivery["id"].to_string()),
            "the same delivery is retried"
        );
        assert_eq!(hit.body, first.body, "a retry sends the same body");
        assert_eq!(
            hit.header("X-Tiski-Signature").as_deref(),
            Some(expected_signature(secret, &hit.body).as_str())
        );
        assert_eq!(
            hit.header("X-Tiski-Event").as_deref(),
            Some("ticket.created")
        );
    }
    test.stop().await;
}

#[tokio::test]
async fn a_receiver_that_always_fails_ends_failed_after_four_attempts() {
    let test = TestApp::spawn().await;
    let receiver = Receiver::failing(usize::MAX).await;
    let hook = register(&test, &receiver.url, &["ticket.created"], None).await;
    let hook_id = hook["id"].as_i64().unwrap();
    test.ticket(&test.admin, new_ticket("Never", "never@example.com"))
        .await;

    let delivery = settled_delivery(&test, hook_id).await;
    assert_eq!(delivery["status"], "failed", "{delivery}");
    assert_eq!(delivery["attempts"], 4, "{delivery}");
    let log = delivery["attempt_log"].as_array().unwrap();
    assert_eq!(log.len(), 4, "{delivery}");
    for attempt in log {
        assert_eq!(attempt["status_code"], 500, "{attempt}");
        assert!(attempt["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    assert!(
        delivery["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("500")),
        "the last error names the answer: {delivery}"
    );
    assert!(delivery["delivered_at"].is_null());
    assert!(delivery["next_attempt_at"].is_null());
    let hits = receiver.hits();
    assert_eq!(hits.len(), 4, "four attempts reached the receiver");
    assert!(
        hits.iter()
            .all(|h| h.header("X-Tiski-Delivery") == Some(delivery["id"].to_string()))
    );
    test.stop().await;
}

#[tokio::test]
async fn an_unreachable_url_records_the_transport_error() {
    let test = TestApp::spawn().await;
    let closed = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let hook = register(
        &test,
        &format!("http://{closed}/hook"),
        &["ticket.created"],
        None,
    )
    .await;
    let hook_id = hook["id"].as_i64().unwrap();
    test.ticket(&test.admin, new_ticket("Nobody home", "nobody@example.com"))
        .await;

    let delivery = settled_delivery(&test, hook_id).await;
    assert_eq!(delivery["status"], "failed", "{delivery}");
    assert_eq!(delivery["attempts"], 4, "{delivery}");
    let log = delivery["attempt_log"].as_array().unwrap();
    assert_eq!(log.len(), 4, "{delivery}");
    for attempt in log {
        assert!(
            attempt["status_code"].is_null(),
            "no HTTP status without a connection: {attempt}"
        );
        let error = attempt["error"].as_str().unwrap_or_default().to_lowercase();
        assert!(
            error.contains("connect"),
            "the transport error is recorded: {attempt}"
        );
    }
    assert!(
        delivery["last_error"]
            .as_str()
            .is_some_and(|e| e.to_lowercase().contains("connect")),
        "{delivery}"
    );
    test.stop().await;
}
