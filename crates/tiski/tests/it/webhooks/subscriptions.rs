//! Subscriptions: exactly the subscribed event types, signed; registration is for admins,
//! validated, and hides the secret.

use super::{
    Hit, Receiver, all_events, deliveries, expected_signature, new_ticket, raw_get, register,
    wait_for,
};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::collections::BTreeSet;
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

#[tokio::test]
async fn delivers_exactly_the_subscribed_types_signed() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    let subscribed = Receiver::ok().await;
    let everything = Receiver::ok().await;
    let secret = "a-very-secret-webhook-key-0123456789";
    let hook = register(
        &test,
        &subscribed.url,
        &["ticket.created", "message.added"],
        Some(secret),
    )
    .await;
    assert_eq!(
        hook["secret"], secret,
        "the creation answer carries the secret"
    );
    assert_eq!(hook["active"], true);
    assert_eq!(
        hook["event_types"],
        json!(["ticket.created", "message.added"])
    );
    let hook_id = hook["id"].as_i64().unwrap();
    let all = register(&test, &everything.url, &["*"], None).await;
    let all_secret = all["secret"]
        .as_str()
        .expect("a generated secret is returned at creation")
        .to_string();
    assert!(all_secret.len() >= 16, "a generated secret: {all_secret}");
    assert_ne!(all_secret, secret);

    let ticket = test
        .ticket(&test.admin, new_ticket("Signed", "signed@example.com"))
        .await;
    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    let (status, _) = test
        .patch(&path, &test.admin, json!({"status": "pending"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = test
        .post(
            &format!("{path}/messages"),
            &test.admin,
            json!({"body": "A second message"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let log = all_events(&test).await;
    let created_at = log
        .iter()
        .find(|e| e["type"] == "webhook.created" && e["data"]["webhook"]["id"] == hook_id)
        .expect("the registration is in the log")["id"]
        .as_i64()
        .unwrap();
    let last = log.last().unwrap()["id"].as_i64().unwrap();
    let expected: BTreeSet<i64> = log
        .iter()
        .filter(|e| e["id"].as_i64().unwrap() > created_at)
        .filter(|e| e["type"] == "ticket.created" || e["type"] == "message.added")
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(expected.len(), 3, "ticket.created and two message.added");
    assert!(
        log.iter()
            .any(|e| e["type"] == "customer.created" || e["type"] == "ticket.status_changed"),
        "the log also has events the webhook did not subscribe to"
    );

    // The catch-all webhook receiving the newest event means the dispatcher has passed every
    // event, so the subscribed webhook has had its chance at all of them.
    wait_for(
        "the catch-all webhook to get the newest event",
        async || {
            everything
                .hits()
                .iter()
                .any(|h| h.event_id() == last)
                .then_some(())
        },
    )
    .await;
    let hits = wait_for("the subscribed deliveries", async || {
        let hits = subscribed.hits();
        (hits.len() >= expected.len()).then_some(hits)
    })
    .await;
    let received: Vec<i64> = hits.iter().map(Hit::event_id).collect();
    assert_eq!(
        received.iter().copied().collect::<BTreeSet<_>>(),
        expected,
        "deliveries for exactly the subscribed types"
    );
    assert_eq!(received.len(), expected.len(), "each event delivered once");

    let listed = wait_for("the deliveries to be recorded as delivered", async || {
        let items = deliveries(&test, hook_id).await;
        (items.len() == expected.len() && items.iter().all(|d| d["status"] == "delivered"))
            .then_some(items)
    })
    .await;
    for hit in &hits {
        let body = hit.json();
        assert_eq!(
            hit.header("X-Tiski-Signature").as_deref(),
            Some(expected_signature(secret, &hit.body).as_str()),
            "the signature is the HMAC of the raw body"
        );
        assert_eq!(
            hit.header("X-Tiski-Event").as_deref(),
            body["type"].as_str(),
            "X-Tiski-Event names the event type"
        );
        assert!(
            body["type"] == "ticket.created" || body["type"] == "message.added",
            "an unsubscribed type was delivered: {body}"
        );
        assert_eq!(body["ticket_id"], ticket["id"]);
        assert!(
            hit.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "a JSON body"
        );
        let delivery_id: i64 = hit
            .header("X-Tiski-Delivery")
            .expect("X-Tiski-Delivery is present")
            .parse()
            .expect("X-Tiski-Delivery is a delivery id");
        let listed = listed
            .iter()
            .find(|d| d["id"] == delivery_id)
            .unwrap_or_else(|| panic!("delivery {delivery_id} is listed: {listed:?}"));
        assert_eq!(listed["event_id"], body["id"]);
        assert_eq!(listed["attempts"], 1);
        assert_eq!(listed["attempt_log"][0]["status_code"], 200);
        assert!(listed["last_error"].is_null());
        assert!(listed["delivered_at"].is_string());
    }
    let delivery_ids: BTreeSet<String> = hits
        .iter()
        .map(|h| h.header("X-Tiski-Delivery").unwrap())
        .collect();
    assert_eq!(
        delivery_ids.len(),
        hits.len(),
        "each delivery has its own id"
    );

    let everything_hits = everything.hits();
    for hit in &everything_hits {
        assert_eq!(
            hit.header("X-Tiski-Signature").as_deref(),
            Some(expected_signature(&all_secret, &hit.body).as_str()),
            "the generated secret signs too"
        );
    }
    let caught: BTreeSet<String> = everything_hits
        .iter()
        .filter(|h| h.event_id() > created_at)
        .map(|h| h.json()["type"].as_str().unwrap().to_string())
        .collect();
    assert!(
        caught.contains("ticket.status_changed") && caught.contains("customer.created"),
        "`*` delivers every type: {caught:?}"
    );
    test.stop().await;
}

#[tokio::test]
async fn registration_is_admin_only_validated_and_hides_the_secret() {
    let test = TestApp::spawn().await;
    let receiver = Receiver::ok().await;
    let team = test.team("Hooks").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let forbidden = test
        .post(
            "/api/v1/webhooks",
            &agent,
            json!({"url": receiver.url, "event_types": ["*"]}),
        )
        .await;
    assert_problem(&forbidden, StatusCode::FORBIDDEN, None);
    assert_problem(
        &test.get("/api/v1/webhooks", &agent).await,
        StatusCode::FORBIDDEN,
        None,
    );
    assert_problem(
        &test
            .post(
                "/api/v1/webhooks",
                &test.admin,
                json!({"url": "ftp://example.com/x", "event_types": ["*"]}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("url"),
    );
    assert_problem(
        &test
            .post(
                "/api/v1/webhooks",
                &test.admin,
                json!({"url": receiver.url, "event_types": ["ticket.created", "no.such"]}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("event_types/1"),
    );
    assert_problem(
        &test
            .post(
                "/api/v1/webhooks",
                &test.admin,
                json!({"url": receiver.url, "event_types": ["*"], "secret": "short"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("secret"),
    );

    assert_problem(
        &test
            .get("/api/v1/webhooks/999999/deliveries", &test.admin)
            .await,
        StatusCode::NOT_FOUND,
        None,
    );
    assert_problem(
        &test
            .call(Method::DELETE, "/api/v1/webhooks/999999", &test.admin, None)
            .await,
        StatusCode::NOT_FOUND,
        None,
    );

    let given = "given-secret-4f1b9c2d7e8a";
    let with_secret = register(&test, &receiver.url, &["ticket.created"], Some(given)).await;
    assert_eq!(with_secret["secret"], given);
    let generated = register(&test, &receiver.url, &["*"], None).await;
    let generated_secret = generated["secret"].as_str().unwrap().to_string();

    let (status, list) = test.get("/api/v1/webhooks", &test.admin).await;
    assert_eq!(status, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        assert!(
            item.get("secret").is_none(),
            "GET shows no secret field: {item}"
        );
    }
    let given_id = with_secret["id"].as_i64().unwrap();
    assert_problem(
        &test
            .get(&format!("/api/v1/webhooks/{given_id}/deliveries"), &agent)
            .await,
        StatusCode::FORBIDDEN,
        None,
    );
    assert_problem(
        &test
            .call(
                Method::DELETE,
                &format!("/api/v1/webhooks/{given_id}"),
                &agent,
                None,
            )
            .await,
        StatusCode::FORBIDDEN,
        None,
    );
    // Nowhere else readable either: the list, the event log, the delivery log.
    test.ticket(&test.admin, new_ticket("Secretive", "s@example.com"))
        .await;
    let hook_id = generated["id"].as_i64().unwrap();
    wait_for("a delivery", async || {
        (!deliveries(&test, hook_id).await.is_empty()).then_some(())
    })
    .await;
    for path in [
        "/api/v1/webhooks".to_string(),
        "/api/v1/events?after=0&limit=200".to_string(),
        format!("/api/v1/webhooks/{hook_id}/deliveries"),
        format!("/api/v1/webhooks/{}/deliveries", with_secret["id"]),
    ] {
        let text = raw_get(&test, &path).await;
        assert!(!text.contains(given), "GET {path} reveals a secret: {text}");
        assert!(
            !text.contains(&generated_secret),
            "GET {path} reveals a secret: {text}"
        );
    }
    test.stop().await;
}
