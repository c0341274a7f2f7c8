//! Search (issue 11): the index follows the event log; `/api/v1/search` and
//! `/api/v1/tickets?q=` find inflected forms in Finnish and English with escaped, highlighted
//! snippets; an agent never sees a hit, a count or a snippet of a ticket they cannot open;
//! an erased customer vanishes; no query text answers 500, and FTS syntax is only text.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

/// Runs the indexer until it has read the whole log.
async fn settle(test: &TestApp) {
    for _ in 0..200 {
        if test.app.knowledge.index(500).await.expect("an index step") == 0 {
            return;
        }
    }
    panic!("the indexer never caught up");
}

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

async fn search(test: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (status, body) = test.get(&format!("/api/v1/search?{query}"), token).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body["items"].as_array().cloned().unwrap_or_default()
}

fn tickets_of(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .filter(|i| i["type"] == "ticket")
        .filter_map(|i| i["ticket_id"].as_i64())
        .collect()
}

async fn open(test: &TestApp, token: &str, team: i64, subject: &str, body: &str) -> i64 {
    let ticket = test
        .ticket(
            token,
            json!({"subject": subject, "requester": {"email": format!("c{}@example.com", subject.len())},
                   "team_id": team, "message": {"body": body}}),
        )
        .await;
    ticket["id"].as_i64().expect("a ticket id")
}

#[tokio::test]
async fn inflected_finnish_and_english_queries_find_their_tickets_with_marked_snippets() {
    let test = TestApp::spawn().await;
    let team = test.team("Tuki").await;
    let fi = open(
        &test,
        &test.admin,
        team,
        "Kysymys tilauksesta",
        "Hei! Milloin toimitusajat muuttuvat? Tilasin <b>kaksi</b> kattilaa & kannen.",
    )
    .await;
    let en = open(
        &test,
        &test.admin,
        team,
        "Broken kettle",
        "Hello, I would like a refund for the kettle, it arrived broken and leaks everywhere.",
    )
    .await;
    settle(&test).await;

    let items = search(
        &test,
        &test.admin,
        &format!("q={}", encode("toimitusaikaa")),
    )
    .await;
    assert_eq!(tickets_of(&items), vec![fi], "{items:?}");
    let snippet = items[0]["snippet"].as_str().expect("a snippet");
    assert!(snippet.contains("<mark>toimitusajat</mark>"), "{snippet}");
    assert!(snippet.contains("&lt;b&gt;kaksi&lt;/b&gt;"), "{snippet}");
    assert!(snippet.contains("&amp;"), "{snippet}");
    assert!(items[0]["score"].as_f64().expect("a score") > 0.0);
    assert_eq!(items[0]["title"], "Kysymys tilauksesta");

    // Without diacritics, in another case, inflected otherwise: still found.
    let items = search(&test, &test.admin, "q=TILAUKSEN&type=ticket").await;
    assert_eq!(tickets_of(&items), vec![fi], "{items:?}");
    let items = search(&test, &test.admin, "q=refunds+kettles").await;
    assert_eq!(tickets_of(&items), vec![en], "{items:?}");
    // Every word must match.
    assert!(tickets_of(&search(&test, &test.admin, "q=refund+toimitusaika").await).is_empty());

    // The ticket list answers the same search.
    let (status, body) = test
        .get("/api/v1/tickets?q=leaking&limit=5", &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["items"][0]["ticket_id"], en, "{body}");

    // A new message is found after the indexer's next step, and a subject change too.
    let path = format!("/api/v1/tickets/{en}/messages");
    let (status, _) = test
        .post(
            &path,
            &test.admin,
            json!({"kind": "note", "body": "Courier lost the parcel"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    test.patch(
        &format!("/api/v1/tickets/{en}"),
        &test.admin,
        json!({"subject": "Warranty claim"}),
    )
    .await;
    settle(&test).await;
    let items = search(&test, &test.admin, "q=parcels").await;
    assert_eq!(tickets_of(&items), vec![en], "{items:?}");
    assert!(items[0]["message_id"].is_i64(), "{items:?}");
    assert_eq!(
        tickets_of(&search(&test, &test.admin, "q=warranties").await),
        vec![en]
    );
    assert!(tickets_of(&search(&test, &test.admin, "q=broken").await) == vec![en]);
}

#[tokio::test]
async fn an_agent_never_sees_a_hit_count_or_snippet_of_a_ticket_they_cannot_open() {
    let test = TestApp::spawn().await;
    let mine = test.team("Mine").await;
    let theirs = test.team("Theirs").await;
    let (_, agent) = test.user(Role::Agent, &[mine]).await;
    let (_, other) = test.user(Role::Agent, &[theirs]).await;
    let visible = open(
        &test,
        &test.admin,
        mine,
        "Zebrafish tank",
        "The zebrafish tank cracked.",
    )
    .await;
    let hidden = open(
        &test,
        &test.admin,
        theirs,
        "Zebrafish food",
        "Secret zebrafish order.",
    )
    .await;
    let note_only = open(&test, &test.admin, theirs, "Quiet", "Nothing here.").await;
    test.post(
        &format!("/api/v1/tickets/{note_only}/messages"),
        &test.admin,
        json!({"kind": "note", "body": "Zebrafish supplier is unreliable"}),
    )
    .await;
    settle(&test).await;

    let admin_hits = tickets_of(&search(&test, &test.admin, "q=zebrafish&type=ticket").await);
    assert_eq!(admin_hits.len(), 3, "{admin_hits:?}");
    let items = search(&test, &agent, "q=zebrafish").await;
    assert_eq!(tickets_of(&items), vec![visible], "{items:?}");
    let text = serde_json::to_string(&items).expect("json");
    assert!(
        !text.contains("Secret") && !text.contains("supplier"),
        "{text}"
    );
    let (_, body) = test.get("/api/v1/tickets?q=zebrafish", &agent).await;
    assert_eq!(body["items"].as_array().map(Vec::len), Some(1), "{body}");
    let items = search(&test, &other, "q=zebrafish+supplier").await;
    assert_eq!(tickets_of(&items), vec![note_only], "{items:?}");
    // Reassigning moves what is found at once: the scope is joined when searching.
    test.patch(
        &format!("/api/v1/tickets/{hidden}"),
        &test.admin,
        json!({"team_id": mine}),
    )
    .await;
    let mut found = tickets_of(&search(&test, &agent, "q=zebrafish").await);
    found.sort();
    assert_eq!(found, vec![visible, hidden]);
}

#[tokio::test]
async fn customers_are_found_in_scope_and_an_erased_customer_vanishes() {
    let test = TestApp::spawn().await;
    let team = test.team("Desk").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "Lost parcel", "requester": {"email": "maija.virtanen@example.fi", "name": "Maija Virtänen"},
                   "team_id": team, "message": {"body": "Paketti katosi matkalla."}}),
        )
        .await;
    let customer = ticket["requester"]["id"].as_i64().expect("a customer");
    test.ticket(
        &test.admin,
        json!({"subject": "Other", "requester": {"email": "virtanen.elsewhere@example.com", "name": "Pekka Virtanen"},
               "message": {"body": "Hello"}}),
    )
    .await;
    settle(&test).await;

    let items = search(&test, &test.admin, "q=virtanen&type=customer").await;
    assert_eq!(items.len(), 2, "{items:?}");
    let items = search(&test, &agent, "q=virtanen&type=customer").await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["customer_id"], customer);
    assert!(
        items[0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<mark>")),
        "{items:?}"
    );

    let (status, body) = test
        .post(
            &format!("/api/v1/customers/{customer}/erase"),
            &test.admin,
            json!({"confirm": customer}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    settle(&test).await;
    let items = search(&test, &test.admin, "q=maija").await;
    assert!(items.is_empty(), "{items:?}");
    assert!(search(&test, &test.admin, "q=paketti").await.is_empty());
}

#[tokio::test]
async fn no_query_text_answers_a_server_error_and_fts_syntax_is_only_text() {
    let test = TestApp::spawn().await;
    let team = test.team("Desk").await;
    open(
        &test,
        &test.admin,
        team,
        "NEAR the door",
        "col:x \"quoted\" star* (paren) refund",
    )
    .await;
    settle(&test).await;

    for q in [
        "\"",
        "*",
        "NEAR(",
        "NEAR(a b)",
        "col:x",
        "a OR",
        "AND",
        "(",
        "-",
        "^",
        "'",
        "\\",
        "''; DROP TABLE tickets; --",
        "%",
        "_",
    ] {
        let (status, body) = test
            .get(&format!("/api/v1/search?q={}", encode(q)), &test.admin)
            .await;
        assert_eq!(status, StatusCode::OK, "{q:?}: {body}");
    }
    assert_eq!(
        search(&test, &test.admin, &format!("q={}", encode("\"quoted")))
            .await
            .len(),
        1
    );
    assert_eq!(
        search(&test, &test.admin, &format!("q={}", encode("star*")))
            .await
            .len(),
        1
    );
    assert_eq!(
        search(&test, &test.admin, &format!("q={}", encode("col:x")))
            .await
            .len(),
        1
    );
    assert_eq!(
        search(&test, &test.admin, &format!("q={}", encode("NEAR(")))
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
        for base in ["/api/v1/search?q=", "/api/v1/tickets?q="] {
            let (status, body) = test.get(&format!("{base}{}", encode(q)), &test.admin).await;
            assert!(
                status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
                "{q:?}: {status} {body}"
            );
        }
    }

    let long = "a".repeat(501);
    assert_problem(
        &test
            .get(&format!("/api/v1/search?q={long}"), &test.admin)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("q"),
    );
    assert_problem(
        &test.get("/api/v1/search?q=x&limit=0", &test.admin).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("limit"),
    );
    assert_problem(
        &test
            .get("/api/v1/search?q=x&type=nothing", &test.admin)
            .await,
        StatusCode::BAD_REQUEST,
        Some("type"),
    );
    assert_problem(
        &test.get("/api/v1/search", &test.admin).await,
        StatusCode::BAD_REQUEST,
        None,
    );
    assert_problem(
        &test
            .get("/api/v1/tickets?q=x&type=customer", &test.admin)
            .await,
        StatusCode::BAD_REQUEST,
        Some("type"),
    );
    let (status, _) = test.get("/api/v1/tickets?status=open", &test.admin).await;
    assert_eq!(status, StatusCode::OK, "the list without q is unchanged");
}

#[tokio::test]
async fn the_workspace_search_box_groups_hits_by_type_within_scope() {
    use crate::ui_workspace::{signed_in, staff};
    let test = TestApp::spawn().await;
    let mine = test.team("Mine").await;
    let theirs = test.team("Theirs").await;
    staff(&test, "agent@desk.example", "Agent", Role::Agent, &[mine]).await;
    open(
        &test,
        &test.admin,
        mine,
        "Gizmo <b>broken</b>",
        "The gizmo stopped.",
    )
    .await;
    open(&test, &test.admin, theirs, "Secret gizmo", "Hidden gizmo.").await;
    let (status, _) = test
        .post("/api/v1/kb/articles", &test.admin, json!({"title": "Gizmo care", "body": "## Cleaning\nWipe the gizmo.", "language": "en", "visibility": "internal"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    settle(&test).await;

    let mut agent = signed_in(&test, "agent@desk.example").await;
    let page = agent.get("/search?q=gizmos").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("data-testid=\"search-tickets\""),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("data-testid=\"search-articles\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Gizmo care · Cleaning"), "{}", page.body);
    assert!(
        page.body.contains("Gizmo &#60;b&#62;broken&#60;/b&#62;")
            && !page.body.contains("<b>broken"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<mark>gizmo</mark>"), "{}", page.body);
    assert!(
        !page.body.contains("Secret") && !page.body.contains("Hidden"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("action=\"/search\""),
        "the top bar searches everything"
    );
    let nothing = agent.get("/search?q=xyzzy").await;
    assert!(
        nothing.body.contains("data-testid=\"search-nothing\""),
        "{}",
        nothing.body
    );
    let naughty = agent.get("/search?q=%22%2A%3ANEAR%28").await;
    assert_eq!(naughty.status, StatusCode::OK);
}
