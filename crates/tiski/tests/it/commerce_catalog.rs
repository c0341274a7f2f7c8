//! The catalog through the API: the pinned product shape, changes, search by SKU and names,
//! keyset pages, and who may change it.

use crate::commerce_kit::{drill, product};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

#[tokio::test]
async fn products_keep_the_pinned_shape_and_change_by_patch() {
    let test = TestApp::spawn().await;
    let made = product(&test, drill("DR-18")).await;
    let id = made["id"].as_i64().unwrap();
    let mut keys: Vec<&str> = made
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "active_from",
            "active_until",
            "created_at",
            "id",
            "kind",
            "lead_time_days",
            "names",
            "parts",
            "prices",
            "prices_include_vat",
            "sku",
            "updated_at",
            "vat_rate",
            "warranty_months"
        ]
    );
    assert_eq!(made["sku"], "DR-18");
    assert_eq!(made["kind"], "product");
    assert_eq!(
        made["names"],
        json!({"en": "Cordless Drill 18V", "fi": "Akkuporakone"})
    );
    assert_eq!(
        made["prices"],
        json!([{"currency": "EUR", "amount": "19.90"}, {"currency": "JPY", "amount": "2500"}])
    );
    assert_eq!(made["vat_rate"], "24");
    assert_eq!(made["prices_include_vat"], false);
    assert_eq!(made["lead_time_days"], 3);
    assert_eq!(made["warranty_months"], 24);

    // A part must be in the catalog; then it is listed.
    let battery = product(&test, drill("BAT-2AH")).await;
    let (status, got) = test
        .get(&format!("/api/v1/products/{id}"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got, made);
    let unknown_part = test
        .patch(
            &format!("/api/v1/products/{id}"),
            &test.admin,
            json!({"parts": ["NOPE-1"]}),
        )
        .await;
    assert_problem(
        &unknown_part,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("parts[0]"),
    );
    let (status, changed) = test
        .patch(
            &format!("/api/v1/products/{id}"),
            &test.admin,
            json!({"parts": [battery["sku"]], "vat_rate": "25.5", "prices": [{"currency": "EUR", "amount": "24.5"}], "active_until": "2027-12-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["parts"], json!(["BAT-2AH"]));
    assert_eq!(changed["vat_rate"], "25.5");
    assert_eq!(
        changed["prices"],
        json!([{"currency": "EUR", "amount": "24.50"}])
    );
    assert_eq!(changed["active_until"], "2027-12-31");
    // The SKU never changes; a second product with the same SKU in other case is refused.
    let rename = test
        .patch(
            &format!("/api/v1/products/{id}"),
            &test.admin,
            json!({"sku": "X"}),
        )
        .await;
    assert_problem(&rename, StatusCode::UNPROCESSABLE_ENTITY, Some("sku"));
    let twin = test
        .post("/api/v1/products", &test.admin, drill("dr-18"))
        .await;
    assert_problem(&twin, StatusCode::CONFLICT, Some("sku"));
    assert_eq!(twin.1["code"], "sku_taken");
    let missing = test.get("/api/v1/products/999999", &test.admin).await;
    assert_problem(&missing, StatusCode::NOT_FOUND, None);
    test.stop().await;
}

fn skus(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sku"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn search_finds_sku_prefixes_and_names_in_any_language_page_by_page() {
    let test = TestApp::spawn().await;
    for (sku, en, fi) in [
        ("DR-100", "Cordless drill", "Akkuporakone"),
        ("DR-200", "Hammer drill", "Iskuporakone"),
        ("SAW-1", "Circular saw", "Pyörösaha"),
        ("BIT-SET", "Drill bit set", "Poranteräsarja"),
        ("GLV-1", "Work gloves", "Työkäsineet"),
    ] {
        let mut body = drill(sku);
        body["names"] = json!({"en": en, "fi": fi});
        product(&test, body).await;
    }
    let search = |q: &str| format!("/api/v1/products?q={q}");
    let (_, page) = test.get(&search("dr-"), &test.admin).await;
    assert_eq!(skus(&page), ["DR-100", "DR-200"]);
    let (_, page) = test.get(&search("DRILL"), &test.admin).await;
    assert_eq!(skus(&page), ["DR-100", "DR-200", "BIT-SET"]);
    let (_, page) = test.get(&search("py%C3%B6r"), &test.admin).await;
    assert_eq!(skus(&page), ["SAW-1"]);
    let (_, page) = test.get(&search("hammer%20dr"), &test.admin).await;
    assert_eq!(skus(&page), ["DR-200"]);
    let (_, page) = test.get(&search("zzz"), &test.admin).await;
    assert_eq!(skus(&page), Vec::<String>::new());
    // Keyset pages over the whole catalog and over a search.
    let mut seen = Vec::new();
    let mut path = "/api/v1/products?limit=2".to_string();
    loop {
        let (status, page) = test.get(&path, &test.admin).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(skus(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/products?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ["DR-100", "DR-200", "SAW-1", "BIT-SET", "GLV-1"]);
    let (_, first) = test.get("/api/v1/products?q=dr&limit=2", &test.admin).await;
    assert_eq!(skus(&first), ["DR-100", "DR-200"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = test
        .get(
            &format!("/api/v1/products?q=dr&limit=2&cursor={cursor}"),
            &test.admin,
        )
        .await;
    assert_eq!(skus(&second), ["BIT-SET"]);
    assert!(second["next_cursor"].is_null());
    test.stop().await;
}

#[tokio::test]
async fn admins_change_the_catalog_and_agents_read_it() {
    let test = TestApp::spawn().await;
    let made = product(&test, drill("DR-1")).await;
    let id = made["id"].as_i64().unwrap();
    for role in [Role::Agent, Role::Supervisor] {
        let (_, token) = test.user(role, &[]).await;
        let (status, page) = test.get("/api/v1/products?q=dr", &token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(skus(&page), ["DR-1"]);
        let (status, _) = test.get(&format!("/api/v1/products/{id}"), &token).await;
        assert_eq!(status, StatusCode::OK);
        let create = test.post("/api/v1/products", &token, drill("DR-2")).await;
        assert_problem(&create, StatusCode::FORBIDDEN, None);
        let change = test
            .patch(
                &format!("/api/v1/products/{id}"),
                &token,
                json!({"lead_time_days": 9}),
            )
            .await;
        assert_problem(&change, StatusCode::FORBIDDEN, None);
    }
    let (_, got) = test
        .get(&format!("/api/v1/products/{id}"), &test.admin)
        .await;
    assert_eq!(got["lead_time_days"], 3);
    let (status, events) = test
        .get("/api/v1/events?after=0&limit=200", &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK);
    let created: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "product.created")
        .collect();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["data"], json!({"product_id": id, "sku": "DR-1"}));
    test.stop().await;
}
