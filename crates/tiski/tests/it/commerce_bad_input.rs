//! Bad input to the catalog, orders and refunds: naughty strings, negative and huge numbers,
//! float-looking amounts with too many decimals, unknown currencies. Every one answers a 4xx
//! problem naming the field, never a 5xx.

use crate::commerce_kit::{client_error, customer, drill, naughty_strings, product};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_testkit::{TestApp, assert_problem};

/// `text` percent-encoded as one query value.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn naughty_strings_are_stored_exactly_or_refused_naming_the_field() {
    let test = TestApp::spawn().await;
    product(&test, drill("DR-18")).await;
    let customer_id = customer(&test, &test.admin).await;
    for (n, text) in naughty_strings().iter().enumerate() {
        // As a name: stored (trimmed) when it is one, else refused on the name.
        let mut body = drill(&format!("N-{n}"));
        body["names"] = json!({"en": text});
        let answer = test.post("/api/v1/products", &test.admin, body).await;
        if answer.0 == StatusCode::CREATED {
            assert_eq!(answer.1["names"]["en"], text.trim(), "{text:?}");
        } else {
            assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("names.en"));
        }
        // Everywhere a code or an amount goes: refused on the field, or (a string that happens
        // to be one, such as "1") taken.
        let answer = test
            .post("/api/v1/products", &test.admin, drill(text))
            .await;
        if answer.0 != StatusCode::CREATED {
            client_error(&answer, text);
        }
        for (field, sku, value) in [
            ("vat_rate", "V", json!(text)),
            (
                "prices[0].currency",
                "C",
                json!([{"currency": text, "amount": "1"}]),
            ),
            (
                "prices[0].amount",
                "A",
                json!([{"currency": "EUR", "amount": text}]),
            ),
        ] {
            let mut body = drill(&format!("{sku}-{n}"));
            body[if sku == "V" { "vat_rate" } else { "prices" }] = value;
            let answer = test.post("/api/v1/products", &test.admin, body).await;
            if answer.0 != StatusCode::CREATED {
                assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
            }
        }
        let answer = test
            .get(
                &format!("/api/v1/products?q={}", query_value(text)),
                &test.admin,
            )
            .await;
        assert!(
            answer.0 == StatusCode::OK || answer.0.is_client_error(),
            "{text:?}: {answer:?}"
        );
        let order = json!({"customer_id": customer_id, "currency": text, "lines": [{"sku": "DR-18", "quantity": 1}]});
        let answer = test.post("/api/v1/orders", &test.admin, order).await;
        client_error(&answer, text);
        assert!(
            answer.1["field"] == "currency" || answer.1["field"] == "lines[0].sku",
            "{text:?}: {}",
            answer.1
        );
        let order = json!({"customer_id": customer_id, "currency": "EUR", "lines": [{"sku": text, "quantity": 1}]});
        let answer = test.post("/api/v1/orders", &test.admin, order).await;
        if answer.0 != StatusCode::CREATED {
            assert_problem(
                &answer,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("lines[0].sku"),
            );
        }
        let refund = json!({"amount": "1", "currency": "EUR", "reason": text});
        let answer = test.post("/api/v1/refunds", &test.admin, refund).await;
        if answer.0 != StatusCode::CREATED {
            assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("reason"));
        }
        let refund = json!({"amount": text, "currency": "EUR", "reason": "goodwill"});
        let answer = test.post("/api/v1/refunds", &test.admin, refund).await;
        if answer.0 != StatusCode::CREATED {
            assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("amount"));
        }
    }
    test.stop().await;
}

#[tokio::test]
async fn numbers_out_of_bounds_and_float_money_are_refused_on_their_field() {
    let test = TestApp::spawn().await;
    let mut dear = drill("DEAR-1");
    dear["prices"] = json!([{"currency": "EUR", "amount": "10000000000000.00"}]);
    product(&test, dear).await;
    product(&test, drill("DR-18")).await;
    let customer_id = customer(&test, &test.admin).await;
    let order = |sku: &str, quantity: Value| json!({"customer_id": customer_id, "currency": "EUR", "lines": [{"sku": sku, "quantity": quantity}]});
    for quantity in [
        json!(-1),
        json!(0),
        json!(1.5),
        json!("3"),
        json!(1e30),
        json!(9_223_372_036_854_775_807_i64),
        json!(1_000_001),
        json!(null),
    ] {
        let answer = test
            .post(
                "/api/v1/orders",
                &test.admin,
                order("DR-18", quantity.clone()),
            )
            .await;
        assert_problem(
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("lines[0].quantity"),
        );
    }
    let huge = test
        .post("/api/v1/orders", &test.admin, order("DEAR-1", json!(2)))
        .await;
    assert_problem(
        &huge,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("lines[0].quantity"),
    );
    let many: Vec<Value> = (0..201)
        .map(|_| json!({"sku": "DR-18", "quantity": 1}))
        .collect();
    let too_many = test
        .post(
            "/api/v1/orders",
            &test.admin,
            json!({"customer_id": customer_id, "currency": "EUR", "lines": many}),
        )
        .await;
    assert_problem(&too_many, StatusCode::UNPROCESSABLE_ENTITY, Some("lines"));
    let none = test
        .post(
            "/api/v1/orders",
            &test.admin,
            json!({"customer_id": customer_id, "currency": "EUR", "lines": []}),
        )
        .await;
    assert_problem(&none, StatusCode::UNPROCESSABLE_ENTITY, Some("lines"));
    let sku_number = test.post("/api/v1/orders", &test.admin, json!({"customer_id": customer_id, "currency": "EUR", "lines": [{"sku": 7, "quantity": 1}]})).await;
    assert_problem(
        &sku_number,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("lines[0].sku"),
    );
    let lower = test.post("/api/v1/orders", &test.admin, json!({"customer_id": customer_id, "currency": "eur", "lines": [{"sku": "DR-18", "quantity": 1}]})).await;
    assert_problem(&lower, StatusCode::UNPROCESSABLE_ENTITY, Some("currency"));
    // Amounts: too many decimals for the currency, exponents, floats, signs, too large.
    for (currency, amount) in [
        ("EUR", "19.999"),
        ("JPY", "100.5"),
        ("EUR", "1e3"),
        ("EUR", "-1.00"),
        ("EUR", "10000000000000.01"),
        ("EUR", "99999999999999999999999"),
        ("EUR", " 1"),
    ] {
        let mut body = drill("AMT-1");
        body["prices"] = json!([{"currency": currency, "amount": amount}]);
        let answer = test.post("/api/v1/products", &test.admin, body).await;
        assert_problem(
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("prices[0].amount"),
        );
        let refund = json!({"amount": amount, "currency": currency, "reason": "goodwill"});
        let answer = test.post("/api/v1/refunds", &test.admin, refund).await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("amount"));
    }
    let mut float = drill("AMT-2");
    float["prices"] = json!([{"currency": "EUR", "amount": 19.9}]);
    let answer = test.post("/api/v1/products", &test.admin, float).await;
    assert_problem(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("prices/0.amount"),
    );
    let answer = test
        .post(
            "/api/v1/refunds",
            &test.admin,
            json!({"amount": 19.9, "currency": "EUR", "reason": "goodwill"}),
        )
        .await;
    assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("amount"));
    let answer = test
        .post(
            "/api/v1/refunds",
            &test.admin,
            json!({"amount": "0", "currency": "EUR", "reason": "goodwill"}),
        )
        .await;
    assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("amount"));
    // Product numbers and dates.
    for (field, value) in [
        ("lead_time_days", json!(-1)),
        ("lead_time_days", json!(366)),
        ("warranty_months", json!(1201)),
        ("lead_time_days", json!(1e20)),
        ("active_from", json!("2026-02-30")),
        ("active_until", json!("tomorrow")),
        ("vat_rate", json!("100.5")),
        ("kind", json!("gift")),
    ] {
        let mut body = drill("NUM-1");
        body[field] = value.clone();
        let answer = test.post("/api/v1/products", &test.admin, body).await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    let mut reversed = drill("NUM-2");
    reversed["active_from"] = json!("2027-01-02");
    reversed["active_until"] = json!("2027-01-01");
    let answer = test.post("/api/v1/products", &test.admin, reversed).await;
    assert_problem(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("active_until"),
    );
    let mut itself = drill("NUM-3");
    itself["parts"] = json!(["num-3"]);
    let answer = test.post("/api/v1/products", &test.admin, itself).await;
    assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("parts[0]"));
    for path in [
        "/api/v1/products?limit=0",
        "/api/v1/products?cursor=nope",
        "/api/v1/orders?customer_id=x",
        "/api/v1/products?q=",
    ] {
        client_error(&test.get(path, &test.admin).await, path);
    }
    client_error(&test.get("/api/v1/orders/0", &test.admin).await, "order 0");
    client_error(
        &test.get("/api/v1/refunds/-1", &test.admin).await,
        "refund -1",
    );
    test.stop().await;
}
