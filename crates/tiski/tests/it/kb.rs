//! The knowledge base (issue 11, pinned API): articles with versions on every save and
//! linked translations, Markdown rendered sanitised, and a section search that answers
//! nothing when nothing answers well.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn article(test: &TestApp, body: Value) -> i64 {
    let (status, created) = test.post("/api/v1/kb/articles", &test.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().expect("an id")
}

async fn kb_search(test: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (status, body) = test.get(&format!("/api/v1/kb/search?{query}"), token).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body["items"].as_array().cloned().expect("items")
}

const RETURNS_FI: &str = "Palautusoikeus koskee kaikkia tuotteita.\n\n## Toimitusajat\nToimitusaika on tavallisesti kolme arkipäivää, Lappiin viisi.\n\n## Palautukset\nPalautukset tehdään 30 päivän kuluessa. <script>alert(1)</script>\n";
const RETURNS_EN: &str = "Our return policy covers every product.\n\n## Delivery times\nDelivery usually takes three working days.\n\n## Returns\nReturn the parcel within 30 days for a refund.\n";

#[tokio::test]
async fn articles_keep_versions_translations_and_render_sanitised() {
    let test = TestApp::spawn().await;
    let team = test.team("Desk").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let fi = article(&test, json!({"title": "Palautus ja toimitus", "body": RETURNS_FI, "language": "fi", "visibility": "public", "tags": ["returns"]})).await;
    let en = article(&test, json!({"title": "Returns and delivery", "body": RETURNS_EN, "language": "en", "visibility": "internal", "translation_of": fi})).await;

    let (status, got) = test.get(&format!("/api/v1/kb/articles/{fi}"), &agent).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    let html = got["html"].as_str().expect("html");
    assert!(html.contains("<h2>Toimitusajat</h2>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert_eq!(got["version"], 1);
    assert_eq!(got["tags"], json!(["returns"]));

    let (status, patched) = test
        .patch(
            &format!("/api/v1/kb/articles/{fi}"),
            &test.admin,
            json!({"title": "Palautukset ja toimitukset"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["version"], 2);
    let (_, versions) = test
        .get(&format!("/api/v1/kb/articles/{fi}/versions"), &agent)
        .await;
    let titles: Vec<&str> = versions["items"]
        .as_array()
        .expect("versions")
        .iter()
        .filter_map(|v| v["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        vec!["Palautukset ja toimitukset", "Palautus ja toimitus"]
    );
    let (_, translations) = test
        .get(&format!("/api/v1/kb/articles/{fi}/translations"), &agent)
        .await;
    assert_eq!(translations["items"][0]["id"], en, "{translations}");
    let (_, translations) = test
        .get(&format!("/api/v1/kb/articles/{en}/translations"), &agent)
        .await;
    assert_eq!(translations["items"][0]["id"], fi, "{translations}");
    let (_, list) = test.get("/api/v1/kb/articles?language=en", &agent).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");

    // Agents read; writing is for supervisors and admins.
    let new = json!({"title": "T", "body": "B", "language": "en", "visibility": "public"});
    assert_problem(
        &test.post("/api/v1/kb/articles", &agent, new).await,
        StatusCode::FORBIDDEN,
        None,
    );
    let path = format!("/api/v1/kb/articles/{en}");
    assert_eq!(
        test.call(Method::DELETE, &path, &agent, None).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        test.call(Method::DELETE, &path, &test.admin, None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(test.get(&path, &agent).await.0, StatusCode::NOT_FOUND);
    assert!(
        kb_search(&test, &agent, "q=refund").await.is_empty(),
        "a deleted article is not found"
    );
}

#[tokio::test]
async fn the_search_finds_inflected_sections_and_nothing_for_an_unrelated_query() {
    let test = TestApp::spawn().await;
    let team = test.team("Desk").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let fi = article(&test, json!({"title": "Palautus ja toimitus", "body": RETURNS_FI, "language": "fi", "visibility": "public"})).await;
    let en = article(&test, json!({"title": "Returns and delivery", "body": RETURNS_EN, "language": "en", "visibility": "internal"})).await;

    let items = kb_search(
        &test,
        &agent,
        &format!("q={}", encode("toimitusaikaa Lappiin")),
    )
    .await;
    assert_eq!(items[0]["article_id"], fi, "{items:?}");
    assert_eq!(items[0]["section"], "Toimitusajat", "{items:?}");
    assert!(
        items[0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<mark>Toimitusaika</mark>")),
        "{items:?}"
    );
    let score = items[0]["score"].as_f64().expect("a score");
    assert!(score > 0.5 && score <= 1.0, "{score}");

    let items = kb_search(&test, &agent, "q=refunds+parcels&language=en").await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["article_id"], en);
    assert_eq!(items[0]["section"], "Returns");
    // The part before the first heading has no section.
    let items = kb_search(&test, &agent, "q=policy+covers").await;
    assert_eq!(items[0]["section"], Value::Null, "{items:?}");
    // Filtered to a language, the other is not answered.
    assert!(
        kb_search(&test, &agent, "q=refunds&language=fi")
            .await
            .is_empty()
    );

    // Nothing answers these well: no items, not the least bad article.
    for q in [
        "quantum chromodynamics lattice",
        "weather forecast tomorrow returns",
        "xyzzy",
    ] {
        let items = kb_search(&test, &agent, &format!("q={}", encode(q))).await;
        assert!(items.is_empty(), "{q}: {items:?}");
    }
}

#[tokio::test]
async fn bad_articles_and_queries_are_refused_by_field_never_a_server_error() {
    let test = TestApp::spawn().await;
    article(&test, json!({"title": "NEAR(x) \"quoted\"", "body": "col:x star* text", "language": "en", "visibility": "public"})).await;
    for (body, field) in [
        (
            json!({"title": "", "body": "b", "language": "en", "visibility": "public"}),
            "title",
        ),
        (
            json!({"title": "t", "body": "b", "language": "not a tag", "visibility": "public"}),
            "language",
        ),
        (
            json!({"title": "t", "body": "b", "language": "en", "visibility": "secret"}),
            "visibility",
        ),
        (
            json!({"title": "t", "body": "b", "language": "en", "visibility": "public", "translation_of": 999999}),
            "translation_of",
        ),
    ] {
        let answer = test.post("/api/v1/kb/articles", &test.admin, body).await;
        assert!(answer.0.is_client_error(), "{answer:?}");
        assert_eq!(answer.1["field"], field, "{answer:?}");
    }
    assert_problem(
        &test
            .get("/api/v1/kb/search?q=x&language=%22", &test.admin)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("language"),
    );
    assert_problem(
        &test
            .get("/api/v1/kb/search?q=x&limit=1000", &test.admin)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("limit"),
    );
    for q in ["\"", "NEAR(", "col:x", "star*", "*", "'"] {
        let items = kb_search(&test, &test.admin, &format!("q={}", encode(q))).await;
        assert!(items.len() <= 1, "{q}: {items:?}");
    }
    assert_eq!(
        kb_search(&test, &test.admin, &format!("q={}", encode("NEAR(")))
            .await
            .len(),
        1
    );

    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let strings: Vec<String> = serde_json::from_str(&text).expect("a list of strings");
    for q in &strings {
        let (status, body) = test
            .get(&format!("/api/v1/kb/search?q={}", encode(q)), &test.admin)
            .await;
        assert!(
            status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{q:?}: {status} {body}"
        );
        let answer = test
            .post(
                "/api/v1/kb/articles",
                &test.admin,
                json!({"title": q, "body": q, "language": "en", "visibility": "public"}),
            )
            .await;
        assert!(
            answer.0 == StatusCode::CREATED || answer.0 == StatusCode::UNPROCESSABLE_ENTITY,
            "{q:?}: {answer:?}"
        );
    }
}
