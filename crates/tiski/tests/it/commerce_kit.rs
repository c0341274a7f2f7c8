//! What the commerce suites share: a catalog item, a customer, a fixed day, and event types.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_testkit::TestApp;

/// A product body: 19.90 EUR and 2500 JPY without VAT at 24 %, three business days.
pub fn drill(sku: &str) -> Value {
    json!({
        "sku": sku,
        "names": {"en": "Cordless Drill 18V", "fi": "Akkuporakone"},
        "prices": [{"currency": "EUR", "amount": "19.90"}, {"currency": "JPY", "amount": "2500"}],
        "vat_rate": "24",
        "prices_include_vat": false,
        "lead_time_days": 3,
        "warranty_months": 24,
        "parts": []
    })
}

/// Adds a product as the admin and returns it, asserting 201.
pub async fn product(test: &TestApp, body: Value) -> Value {
    let (status, product) = test.post("/api/v1/products", &test.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{product}");
    product
}

/// A customer made by `token` (so within its scope); their id.
pub async fn customer(test: &TestApp, token: &str) -> i64 {
    let (status, customer) = test
        .post("/api/v1/customers", token, json!({"name": "Olga Orderer"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    customer["id"].as_i64().unwrap()
}

/// Sets the app's clock to an RFC 3339 time.
pub fn set_time(test: &TestApp, at: &str) {
    let at: jiff::Timestamp = at.parse().unwrap();
    test.clock.set(at.as_microsecond());
}

/// The types of the events on a ticket, in order.
pub async fn ticket_event_types(test: &TestApp, ticket: i64) -> Vec<String> {
    let (status, page) = test
        .get(
            &format!("/api/v1/tickets/{ticket}/events?limit=200"),
            &test.admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect()
}

/// The Big List of Naughty Strings (from the shared corpora beside the checkout, or the
/// machine's copy).
pub fn naughty_strings() -> Vec<String> {
    let beside = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.json"
    );
    let path = [beside, "/work/shared/corpora/security/blns/blns.json"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("the naughty strings corpus");
    let text = std::fs::read_to_string(path).unwrap();
    let strings: Vec<String> = serde_json::from_str(&text).unwrap();
    assert!(strings.len() > 500);
    strings
}

/// Asserts a 4xx problem document, never a server error.
#[track_caller]
pub fn client_error(answer: &(StatusCode, Value), what: &str) {
    assert!(
        answer.0.is_client_error(),
        "{what}: answered {} {}",
        answer.0,
        answer.1
    );
    assert_eq!(
        answer.1["status"],
        answer.0.as_u16(),
        "{what}: {}",
        answer.1
    );
}
