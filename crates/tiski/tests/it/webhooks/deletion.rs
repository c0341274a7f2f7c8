//! Deleting a webhook stops its deliveries, also one under way.

use super::{Receiver, deliveries, new_ticket, register, wait_for};
use reqwest::{Method, StatusCode};
use std::sync::Arc;
use tiski_testkit::{TestApp, assert_problem};
use tokio::sync::Semaphore;

#[tokio::test]
async fn deleting_a_webhook_stops_deliveries() {
    let test = TestApp::spawn().await;
    let receiver = Receiver::ok().await;
    let witness = Receiver::ok().await;
    let hook = register(&test, &receiver.url, &["ticket.created"], None).await;
    let hook_id = hook["id"].as_i64().unwrap();
    register(&test, &witness.url, &["ticket.created"], None).await;

    let first = test
        .ticket(&test.admin, new_ticket("Before", "before@example.com"))
        .await;
    wait_for("the first delivery", async || {
        (!receiver.hits().is_empty()).then_some(())
    })
    .await;

    let response = test
        .request(
            Method::DELETE,
            &format!("/api/v1/webhooks/{hook_id}"),
            Some(&test.admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let again = test
        .call(
            Method::DELETE,
            &format!("/api/v1/webhooks/{hook_id}"),
            &test.admin,
            None,
        )
        .await;
    assert_problem(&again, StatusCode::NOT_FOUND, None);
    let (_, list) = test.get("/api/v1/webhooks", &test.admin).await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["id"] != hook_id),
        "a deleted webhook is not listed: {list}"
    );

    let second = test
        .ticket(&test.admin, new_ticket("After", "after@example.com"))
        .await;
    // The witness getting the second ticket means the dispatcher has handled its event.
    wait_for("the witness to get the second ticket", async || {
        witness
            .hits()
            .iter()
            .any(|h| h.json()["ticket_id"] == second["id"])
            .then_some(())
    })
    .await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 1, "no delivery after deletion");
    assert_eq!(hits[0].json()["ticket_id"], first["id"]);
    let log = deliveries(&test, hook_id).await;
    assert_eq!(
        log.len(),
        1,
        "the delivery log stays, with nothing new: {log:?}"
    );
    assert_eq!(log[0]["status"], "delivered");
    test.stop().await;
}

#[tokio::test]
async fn deleting_a_webhook_during_a_delivery_stops_its_retries() {
    let test = TestApp::spawn().await;
    let gate = Arc::new(Semaphore::new(0));
    let receiver = Receiver::start(usize::MAX, Some(gate.clone())).await;
    let hook = register(&test, &receiver.url, &["ticket.created"], None).await;
    let hook_id = hook["id"].as_i64().unwrap();
    test.ticket(&test.admin, new_ticket("In flight", "flight@example.com"))
        .await;

    // The first attempt is in flight: the receiver holds it.
    wait_for("the first attempt to arrive", async || {
        (!receiver.hits().is_empty()).then_some(())
    })
    .await;
    let response = test
        .request(
            Method::DELETE,
            &format!("/api/v1/webhooks/{hook_id}"),
            Some(&test.admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // Let this attempt and any later one through, each answered 500.
    gate.add_permits(100);

    let delivery = wait_for("the attempt to be recorded and settle", async || {
        let items = deliveries(&test, hook_id).await;
        let one = items.first()?.clone();
        (one["attempts"].as_i64() >= Some(1) && one["status"] != "pending").then_some(one)
    })
    .await;
    assert_eq!(
        delivery["status"], "failed",
        "a deleted webhook's delivery is not retried: {delivery}"
    );
    assert_eq!(
        delivery["attempts"], 1,
        "no attempt after the webhook was deleted: {delivery}"
    );
    assert_eq!(
        receiver.hits().len(),
        1,
        "the receiver got only the first attempt"
    );
    test.stop().await;
}
