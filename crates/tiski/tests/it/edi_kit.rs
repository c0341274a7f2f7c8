//! What the EDI suites share: uploading an interchange, partners and a catalog for the
//! corpus's purchase orders, and the corpus itself.

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use tiski_testkit::TestApp;

/// The EDI corpus beside the checkout.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/edi")
}

/// A corpus file's bytes.
pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(corpus().join(name)).unwrap()
}

/// POSTs an interchange to `/api/v1/edi` with a content type.
pub async fn upload(
    test: &TestApp,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let response = test
        .request(reqwest::Method::POST, "/api/v1/edi", Some(token))
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The content type for a body: X12 when it starts with ISA, else EDIFACT.
pub fn content_type_of(bytes: &[u8]) -> &'static str {
    let text = String::from_utf8_lossy(bytes);
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("ISA")
    {
        "application/edi-x12"
    } else {
        "application/edifact"
    }
}

/// Adds a product priced in USD and EUR (at 24 % VAT, two business days).
pub async fn item(test: &TestApp, sku: &str) {
    let body = json!({
        "sku": sku, "names": {"en": format!("Item {sku}")},
        "prices": [{"currency": "USD", "amount": "9.25"}, {"currency": "EUR", "amount": "8.50"}],
        "vat_rate": "24", "prices_include_vat": false, "lead_time_days": 2, "warranty_months": 12, "parts": []
    });
    let (status, product) = test.post("/api/v1/products", &test.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{product}");
}

/// Adds a trading partner as the admin; its id.
pub async fn partner(
    test: &TestApp,
    sender_id: &str,
    qualifier: &str,
    customer_id: i64,
    currency: &str,
    sku_map: Value,
) -> i64 {
    let (status, partner) = test
        .post(
            "/api/v1/edi/partners",
            &test.admin,
            json!({"name": format!("Partner {sender_id}"), "sender_id": sender_id, "sender_qualifier": qualifier,
                   "customer_id": customer_id, "sku_map": sku_map, "currency": currency}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{partner}");
    partner["id"].as_i64().unwrap()
}

/// The partners and catalog the corpus's purchase orders need: node-x12's retailer (its
/// buyer's catalog number 065322-117 mapped to our WIDGET-S, the rest by vendor part
/// number), staedi's dual interchange, EDI.Net's issue 135 and smooks' ORDERS.
pub async fn corpus_partners(test: &TestApp, customer_id: i64) {
    for sku in [
        "WIDGET-S",
        "RD5322",
        "XY5266",
        "VX2332",
        "RV0524",
        "DX1875",
        "02006",
        "02008",
        "01019",
        "F07EXPLBA1818",
        "F07EXPLLO1224",
        "0764569104",
        "0764569090",
        "1861004656",
        "0596006756",
    ] {
        item(test, sku).await;
    }
    partner(
        test,
        "4405197800",
        "12",
        customer_id,
        "USD",
        json!({"065322-117": "WIDGET-S"}),
    )
    .await;
    partner(test, "SENDERISA", "ZZ", customer_id, "USD", json!({})).await;
    partner(test, "049351117", "01", customer_id, "USD", json!({})).await;
    partner(test, "APPLICATION", "1", customer_id, "EUR", json!({})).await;
}
