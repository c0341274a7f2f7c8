//! Orders through the API: the pinned shape with prices fixed at order time, VAT and totals,
//! the promised date in business days, the lifecycle, and the scopes an order is checked
//! against.

use crate::commerce_kit::{customer, drill, product, set_time, ticket_event_types};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

async fn catalog(test: &TestApp) {
    product(test, drill("DR-18")).await;
    let mut kit = drill("KIT-1");
    kit["prices"] = json!([{"currency": "EUR", "amount": "10.00"}]);
    kit["vat_rate"] = json!("25.5");
    kit["prices_include_vat"] = json!(true);
    kit["lead_time_days"] = json!(1);
    product(test, kit).await;
}

#[tokio::test]
async fn an_order_fixes_its_prices_and_sums_its_lines() {
    let test = TestApp::spawn().await;
    catalog(&test).await;
    // Friday 4 December 2026: three business days on is Wednesday the 9th.
    set_time(&test, "2026-12-04T10:00:00Z");
    let team = test.team("Orders").await;
    let (agent_id, agent) = test.user(Role::Agent, &[team]).await;
    let ticket = test
        .ticket(
            &agent,
            json!({"subject": "New drill", "requester": {"email": "olga@example.com"}, "team_id": team, "message": {"body": "I'd like to order."}}),
        )
        .await;
    let ticket_id = ticket["id"].as_i64().unwrap();
    let customer_id = ticket["requester"]["id"].as_i64().unwrap();
    let (status, order) = test
        .post(
            "/api/v1/orders",
            &agent,
            json!({"customer_id": customer_id, "currency": "EUR", "ticket_id": ticket_id,
                   "lines": [{"sku": "DR-18", "quantity": 3}, {"sku": "kit-1", "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    assert_eq!(order["customer_id"], customer_id);
    assert_eq!(order["ticket_id"], ticket_id);
    assert_eq!(order["currency"], "EUR");
    assert_eq!(order["status"], "draft");
    assert_eq!(order["created_by"], agent_id);
    assert_eq!(order["promised_date"], "2026-12-09");
    // 3 × 19.90 = 59.70 net, 24 % VAT 14.328 → 14.33; 10.00 with 25.5 % inside: net
    // 7.968… → 7.97, VAT 2.03.
    assert_eq!(
        order["lines"],
        json!([
            {"sku": "DR-18", "product_id": 1, "quantity": 3, "unit_price": "19.90", "vat_rate": "24",
             "prices_include_vat": false, "net": "59.70", "vat": "14.33", "total": "74.03"},
            {"sku": "KIT-1", "product_id": 2, "quantity": 1, "unit_price": "10.00", "vat_rate": "25.5",
             "prices_include_vat": true, "net": "7.97", "vat": "2.03", "total": "10.00"}
        ])
    );
    assert_eq!(
        (&order["net"], &order["vat"], &order["total"]),
        (&json!("67.67"), &json!("16.36"), &json!("84.03"))
    );
    assert_eq!(order["refunded"], "0.00");

    // A new price changes new orders, never this one.
    let (status, _) = test
        .patch(
            "/api/v1/products/1",
            &test.admin,
            json!({"prices": [{"currency": "EUR", "amount": "29.90"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, again) = test.get(&format!("/api/v1/orders/{id}"), &agent).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, order);
    let (_, newer) = test
        .post(
            "/api/v1/orders",
            &agent,
            json!({"customer_id": customer_id, "currency": "EUR", "lines": [{"sku": "DR-18", "quantity": 1}]}),
        )
        .await;
    assert_eq!(newer["lines"][0]["unit_price"], "29.90");
    assert_eq!(newer["total"], "37.08");
    // Lists: the customer's, the ticket's, the caller's own; newest first.
    let ids = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect()
    };
    let newer_id = newer["id"].as_i64().unwrap();
    let (_, page) = test
        .get(&format!("/api/v1/orders?customer_id={customer_id}"), &agent)
        .await;
    assert_eq!(ids(&page), [newer_id, id]);
    let (_, page) = test
        .get(&format!("/api/v1/orders?ticket_id={ticket_id}"), &agent)
        .await;
    assert_eq!(ids(&page), [id]);
    let (_, page) = test.get("/api/v1/orders?limit=1", &agent).await;
    assert_eq!(ids(&page), [newer_id]);
    let cursor = page["next_cursor"].as_str().unwrap();
    let (_, page) = test
        .get(&format!("/api/v1/orders?limit=1&cursor={cursor}"), &agent)
        .await;
    assert_eq!(ids(&page), [id]);
    assert!(
        ticket_event_types(&test, ticket_id)
            .await
            .contains(&"order.created".to_string())
    );
    test.stop().await;
}

#[tokio::test]
async fn the_status_moves_only_along_the_lifecycle() {
    let test = TestApp::spawn().await;
    catalog(&test).await;
    let customer_id = customer(&test, &test.admin).await;
    let ticket = test
        .ticket(&test.admin, json!({"subject": "Order", "requester": {"email": "o@example.com"}, "message": {"body": "Hi"}}))
        .await;
    let ticket_id = ticket["id"].as_i64().unwrap();
    let (_, order) = test
        .post(
            "/api/v1/orders",
            &test.admin,
            json!({"customer_id": customer_id, "currency": "JPY", "status": "placed", "ticket_id": ticket_id,
                   "lines": [{"sku": "DR-18", "quantity": 2}]}),
        )
        .await;
    assert_eq!(order["status"], "placed");
    assert_eq!(
        (&order["net"], &order["vat"], &order["total"]),
        (&json!("5000"), &json!("1200"), &json!("6200"))
    );
    let path = format!("/api/v1/orders/{}", order["id"]);
    let lines = test
        .patch(
            &path,
            &test.admin,
            json!({"lines": [{"sku": "DR-18", "quantity": 1}]}),
        )
        .await;
    assert_problem(&lines, StatusCode::CONFLICT, Some("lines"));
    let skip = test
        .patch(&path, &test.admin, json!({"status": "delivered"}))
        .await;
    assert_problem(&skip, StatusCode::CONFLICT, Some("status"));
    assert_eq!(skip.1["code"], "invalid_order_transition");
    for status in ["confirmed", "shipped"] {
        let (code, moved) = test
            .patch(&path, &test.admin, json!({"status": status}))
            .await;
        assert_eq!(code, StatusCode::OK, "{moved}");
        assert_eq!(moved["status"], status);
    }
    let cancel = test
        .patch(&path, &test.admin, json!({"status": "cancelled"}))
        .await;
    assert_problem(&cancel, StatusCode::CONFLICT, Some("status"));
    let (code, _) = test
        .patch(&path, &test.admin, json!({"status": "returned"}))
        .await;
    assert_eq!(code, StatusCode::OK);
    let back = test
        .patch(&path, &test.admin, json!({"status": "delivered"}))
        .await;
    assert_problem(&back, StatusCode::CONFLICT, Some("status"));
    let unknown = test
        .patch(&path, &test.admin, json!({"status": "lost"}))
        .await;
    assert_problem(&unknown, StatusCode::UNPROCESSABLE_ENTITY, Some("status"));
    let events = ticket_event_types(&test, ticket_id).await;
    let changes = events
        .iter()
        .filter(|t| *t == "order.status_changed")
        .count();
    assert_eq!(changes, 3, "{events:?}");
    // A draft's lines change and are priced anew.
    let (_, draft) = test
        .post("/api/v1/orders", &test.admin, json!({"customer_id": customer_id, "currency": "EUR", "lines": [{"sku": "DR-18", "quantity": 1}]}))
        .await;
    let (code, redone) = test
        .patch(
            &format!("/api/v1/orders/{}", draft["id"]),
            &test.admin,
            json!({"lines": [{"sku": "KIT-1", "quantity": 2}]}),
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{redone}");
    assert_eq!(redone["total"], "20.00");
    assert_eq!(redone["lines"].as_array().unwrap().len(), 1);
    test.stop().await;
}

#[tokio::test]
async fn orders_name_only_customers_and_tickets_in_reach_and_priced_items() {
    let test = TestApp::spawn().await;
    catalog(&test).await;
    let mut later = drill("NEXT-1");
    later["active_from"] = json!("2099-01-01");
    product(&test, later).await;
    let mine = test.team("Mine").await;
    let theirs = test.team("Theirs").await;
    let (_, agent) = test.user(Role::Agent, &[mine]).await;
    let (_, other) = test.user(Role::Agent, &[theirs]).await;
    let own = customer(&test, &agent).await;
    let hidden = customer(&test, &test.admin).await;
    let unseen_ticket = test
        .ticket(&test.admin, json!({"subject": "Theirs", "requester": {"email": "t@example.com"}, "team_id": theirs, "message": {"body": "Hi"}}))
        .await["id"]
        .as_i64()
        .unwrap();
    let order = |customer: i64, ticket: Option<i64>, currency: &str, sku: &str| json!({"customer_id": customer, "currency": currency, "ticket_id": ticket, "lines": [{"sku": sku, "quantity": 1}]});
    // A customer or ticket out of reach answers exactly like one nothing has.
    let out_of_reach = test
        .post(
            "/api/v1/orders",
            &agent,
            order(hidden, None, "EUR", "DR-18"),
        )
        .await;
    let nothing = test
        .post(
            "/api/v1/orders",
            &agent,
            order(999_999, None, "EUR", "DR-18"),
        )
        .await;
    assert_problem(
        &out_of_reach,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("customer_id"),
    );
    assert_eq!(out_of_reach.1["detail"], nothing.1["detail"]);
    let out_of_reach = test
        .post(
            "/api/v1/orders",
            &agent,
            order(own, Some(unseen_ticket), "EUR", "DR-18"),
        )
        .await;
    let nothing = test
        .post(
            "/api/v1/orders",
            &agent,
            order(own, Some(999_999), "EUR", "DR-18"),
        )
        .await;
    assert_problem(
        &out_of_reach,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("ticket_id"),
    );
    assert_eq!(out_of_reach.1["detail"], nothing.1["detail"]);
    // No price in the currency, not on sale yet, not in the catalog, not a currency.
    let mismatch = test
        .post("/api/v1/orders", &agent, order(own, None, "USD", "DR-18"))
        .await;
    assert_problem(
        &mismatch,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("lines[0].sku"),
    );
    assert!(
        mismatch.1["detail"].as_str().unwrap().contains("USD"),
        "{}",
        mismatch.1
    );
    let early = test
        .post("/api/v1/orders", &agent, order(own, None, "EUR", "NEXT-1"))
        .await;
    assert_problem(
        &early,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("lines[0].sku"),
    );
    let missing = test
        .post("/api/v1/orders", &agent, order(own, None, "EUR", "NOPE"))
        .await;
    assert_problem(
        &missing,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("lines[0].sku"),
    );
    let unknown = test
        .post("/api/v1/orders", &agent, order(own, None, "XYZ", "DR-18"))
        .await;
    assert_problem(&unknown, StatusCode::UNPROCESSABLE_ENTITY, Some("currency"));
    // Another team's agent sees neither the order nor its customer's list.
    let (status, made) = test
        .post("/api/v1/orders", &agent, order(own, None, "EUR", "DR-18"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let path = format!("/api/v1/orders/{}", made["id"]);
    assert_problem(&test.get(&path, &other).await, StatusCode::NOT_FOUND, None);
    let patch = test.patch(&path, &other, json!({"status": "placed"})).await;
    assert_problem(&patch, StatusCode::NOT_FOUND, None);
    let list = test
        .get(&format!("/api/v1/orders?customer_id={own}"), &other)
        .await;
    assert_problem(&list, StatusCode::UNPROCESSABLE_ENTITY, Some("customer_id"));
    let (_, theirs_list) = test.get("/api/v1/orders", &other).await;
    assert_eq!(theirs_list["items"], json!([]));
    let (_, all) = test.get("/api/v1/orders", &test.admin).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
    test.stop().await;
}
