//! Refunds through the API: approved within the caller's limit, waiting beyond it, decided by
//! an approver whose limit covers it, never more than the order has left.

use crate::commerce_kit::{customer, drill, product, ticket_event_types};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

/// A placed order taken by `token` of `quantity` drills at 19.90 + 24 % (24.676 → 24.68
/// each), on a ticket of `team`.
async fn placed_order(
    test: &TestApp,
    token: &str,
    team: Option<i64>,
    quantity: i64,
) -> (Value, i64) {
    let customer_id = customer(test, token).await;
    let ticket = test
        .ticket(&test.admin, json!({"subject": "Refund", "requester": {"email": "r@example.com"}, "team_id": team, "message": {"body": "Broken"}}))
        .await;
    let ticket_id = ticket["id"].as_i64().unwrap();
    let (status, order) = test
        .post(
            "/api/v1/orders",
            token,
            json!({"customer_id": customer_id, "currency": "EUR", "status": "placed", "ticket_id": ticket_id,
                   "lines": [{"sku": "DR-18", "quantity": quantity}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    (order, ticket_id)
}

fn refund(order: &Value, amount: &str) -> Value {
    json!({"order_id": order["id"], "amount": amount, "currency": "EUR", "reason": "damaged_on_arrival"})
}

#[tokio::test]
async fn refunds_within_the_limit_are_approved_and_beyond_it_wait_for_an_approver() {
    let test = TestApp::spawn().await;
    product(&test, drill("DR-18")).await;
    let team = test.team("Returns").await;
    let (agent_id, agent) = test.user(Role::Agent, &[team]).await;
    let (order, ticket_id) = placed_order(&test, &agent, Some(team), 100).await;
    assert_eq!(order["total"], "2467.60");
    let (supervisor_id, supervisor) = test.user(Role::Supervisor, &[]).await;

    let (status, within) = test
        .post("/api/v1/refunds", &agent, refund(&order, "50.00"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{within}");
    let mut keys: Vec<&str> = within
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "amount",
            "created_at",
            "currency",
            "decided_at",
            "decided_by",
            "id",
            "order_id",
            "reason",
            "requested_by",
            "state",
            "ticket_id"
        ]
    );
    assert_eq!(within["state"], "approved");
    assert_eq!(within["decided_by"], agent_id);
    assert_eq!(within["ticket_id"], ticket_id);
    let (_, beyond) = test
        .post("/api/v1/refunds", &agent, refund(&order, "50.01"))
        .await;
    assert_eq!(beyond["state"], "requested");
    assert!(beyond["decided_by"].is_null());
    let (_, large) = test
        .post("/api/v1/refunds", &agent, refund(&order, "600"))
        .await;
    assert_eq!(large["state"], "requested");

    // The supervisor sees what their 500 EUR covers; the admin sees everything waiting.
    let waiting = |page: &Value| -> Vec<Value> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].clone())
            .collect()
    };
    let (status, page) = test.get("/api/v1/approvals", &supervisor).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(waiting(&page), [beyond["id"].clone()]);
    let (_, page) = test.get("/api/v1/approvals", &test.admin).await;
    assert_eq!(waiting(&page), [beyond["id"].clone(), large["id"].clone()]);
    assert_problem(
        &test.get("/api/v1/approvals", &agent).await,
        StatusCode::FORBIDDEN,
        None,
    );

    // Agents do not approve; a supervisor approves within 500 EUR and not beyond.
    let approve = |id: &Value| format!("/api/v1/refunds/{id}/approve");
    let by_agent = test.post(&approve(&beyond["id"]), &agent, json!({})).await;
    assert_problem(&by_agent, StatusCode::FORBIDDEN, None);
    let (status, approved) = test
        .post(&approve(&beyond["id"]), &supervisor, json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["state"], "approved");
    assert_eq!(approved["decided_by"], supervisor_id);
    let twice = test
        .post(&approve(&beyond["id"]), &supervisor, json!({}))
        .await;
    assert_problem(&twice, StatusCode::CONFLICT, None);
    assert_eq!(twice.1["code"], "refund_decided");
    let over = test
        .post(&approve(&large["id"]), &supervisor, json!({}))
        .await;
    assert_problem(&over, StatusCode::FORBIDDEN, None);
    let (status, rejected) = test
        .post(
            &format!("/api/v1/refunds/{}/reject", large["id"]),
            &test.admin,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rejected["state"], "rejected");
    let missing = test
        .post(&approve(&json!(999_999)), &test.admin, json!({}))
        .await;
    assert_problem(&missing, StatusCode::NOT_FOUND, None);

    // The requester reads their refund; the order counts what refunds claim.
    let (status, got) = test
        .get(&format!("/api/v1/refunds/{}", within["id"]), &agent)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got, within);
    let (_, order_now) = test
        .get(&format!("/api/v1/orders/{}", order["id"]), &test.admin)
        .await;
    assert_eq!(order_now["refunded"], "100.01");
    let events = ticket_event_types(&test, ticket_id).await;
    for kind in ["refund.requested", "refund.approved", "refund.rejected"] {
        assert!(events.iter().any(|e| e == kind), "{kind} in {events:?}");
    }
    test.stop().await;
}

#[tokio::test]
async fn partial_refunds_never_exceed_what_the_order_has_left() {
    let test = TestApp::spawn().await;
    product(&test, drill("DR-18")).await;
    let (order, _) = placed_order(&test, &test.admin, None, 1).await;
    assert_eq!(order["total"], "24.68");
    let (status, first) = test
        .post("/api/v1/refunds", &test.admin, refund(&order, "20"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let too_much = test
        .post("/api/v1/refunds", &test.admin, refund(&order, "4.69"))
        .await;
    assert_problem(&too_much, StatusCode::UNPROCESSABLE_ENTITY, Some("amount"));
    assert!(
        too_much.1["detail"].as_str().unwrap().contains("4.68"),
        "{}",
        too_much.1
    );
    let (status, rest) = test
        .post("/api/v1/refunds", &test.admin, refund(&order, "4.68"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rest}");
    let nothing_left = test
        .post("/api/v1/refunds", &test.admin, refund(&order, "0.01"))
        .await;
    assert_problem(
        &nothing_left,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("amount"),
    );
    // Another currency than the order's, a draft, an order out of reach, nothing at all.
    let mut usd = refund(&order, "1");
    usd["currency"] = json!("USD");
    let mismatch = test.post("/api/v1/refunds", &test.admin, usd).await;
    assert_problem(
        &mismatch,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("currency"),
    );
    let customer_id = customer(&test, &test.admin).await;
    let (_, draft) = test
        .post("/api/v1/orders", &test.admin, json!({"customer_id": customer_id, "currency": "EUR", "lines": [{"sku": "DR-18", "quantity": 1}]}))
        .await;
    let on_draft = test
        .post("/api/v1/refunds", &test.admin, refund(&draft, "1"))
        .await;
    assert_problem(
        &on_draft,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("order_id"),
    );
    let (_, agent) = test.user(Role::Agent, &[]).await;
    let unseen = test
        .post("/api/v1/refunds", &agent, refund(&order, "1"))
        .await;
    let unknown = test
        .post(
            "/api/v1/refunds",
            &agent,
            refund(&json!({"id": 999_999}), "1"),
        )
        .await;
    assert_problem(&unseen, StatusCode::UNPROCESSABLE_ENTITY, Some("order_id"));
    assert_eq!(unseen.1["detail"], unknown.1["detail"]);
    // Goodwill without an order: JPY has its own limits (8000 for agents).
    let goodwill =
        |amount: &str| json!({"amount": amount, "currency": "JPY", "reason": "late_delivery"});
    let (_, small) = test.post("/api/v1/refunds", &agent, goodwill("8000")).await;
    assert_eq!(small["state"], "approved", "{small}");
    let (_, big) = test.post("/api/v1/refunds", &agent, goodwill("8001")).await;
    assert_eq!(big["state"], "requested");
    // A currency without limits in the table waits for an admin, even a small amount.
    let (_, other) = test
        .post(
            "/api/v1/refunds",
            &agent,
            json!({"amount": "1", "currency": "BRL", "reason": "late_delivery"}),
        )
        .await;
    assert_eq!(other["state"], "requested");
    test.stop().await;
}

#[tokio::test]
async fn refunds_sent_at_once_never_together_exceed_the_order() {
    let test = TestApp::spawn().await;
    product(&test, drill("DR-18")).await;
    let (order, _) = placed_order(&test, &test.admin, None, 1).await;
    let body = refund(&order, "5.00");
    let answers = futures_util::future::join_all(
        (0..10).map(|_| test.post("/api/v1/refunds", &test.admin, body.clone())),
    )
    .await;
    let created = answers
        .iter()
        .filter(|a| a.0 == StatusCode::CREATED)
        .count();
    for answer in answers.iter().filter(|a| a.0 != StatusCode::CREATED) {
        assert!(
            answer.0 == StatusCode::UNPROCESSABLE_ENTITY || answer.0 == StatusCode::CONFLICT,
            "{answer:?}"
        );
    }
    assert_eq!(created, 4, "4 × 5.00 fit into 24.68");
    let (_, now) = test
        .get(&format!("/api/v1/orders/{}", order["id"]), &test.admin)
        .await;
    assert_eq!(now["refunded"], "20.00");
    test.stop().await;
}
