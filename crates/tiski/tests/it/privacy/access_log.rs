//! The access log: every read of a customer's record or a ticket's conversation, through the
//! API and the workspace, leaves an entry (who, what, when, from where) that admins search
//! (by actor, customer, ticket, time; keyset pages) and export (CSV, JSON); agents may not;
//! entries past the retention are pruned on the app's clock.

use crate::ui_workspace::{signed_in, staff};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::TestApp;

fn actions(page: &Value) -> Vec<(String, String)> {
    page["items"]
        .as_array()
        .expect("a page")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or("").to_string(),
                e["surface"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn reads_of_customer_data_are_logged_searched_exported_and_pruned() {
    let test = TestApp::spawn().await;
    let team = test.team("Team A").await;
    let agent = staff(&test, "reader@desk.example", "Reader", Role::Agent, &[team]).await;
    let token = test
        .app
        .staff
        .create_token("reader@desk.example", "test")
        .await
        .expect("a token");
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "Lid", "team_id": team, "requester": {"email": "log@example.com"},
                   "message": {"body": "Broken.", "attachments": [
                       {"filename": "a.txt", "content_type": "text/plain", "content_base64": "aGVsbG8="}]}}),
        )
        .await;
    let ticket_id = ticket["id"].as_i64().expect("a ticket");
    let customer_id = ticket["requester"]["id"].as_i64().expect("a customer");
    let other = test
        .ticket(
            &test.admin,
            json!({"subject": "Other", "team_id": team, "requester": {"email": "other@example.com"},
                   "message": {"body": "Hi."}}),
        )
        .await;
    let other_customer = other["requester"]["id"].as_i64().expect("a customer");

    // Reads through the API.
    assert_eq!(
        test.get(&format!("/api/v1/customers/{customer_id}"), &token)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        test.get("/api/v1/customers?q=log@", &token).await.0,
        StatusCode::OK
    );
    let (_, messages) = test
        .get(&format!("/api/v1/tickets/{ticket_id}/messages"), &token)
        .await;
    let attachment = messages["items"][0]["attachments"][0]["id"]
        .as_i64()
        .expect("a file");
    let file = test
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/attachments/{attachment}"),
            Some(&token),
        )
        .send()
        .await
        .expect("a download");
    assert_eq!(file.status(), StatusCode::OK);
    // A refused read leaves nothing.
    let (_, token_b) = test.user(Role::Agent, &[]).await;
    assert_eq!(
        test.get(&format!("/api/v1/customers/{customer_id}"), &token_b)
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // Later, reads through the workspace.
    test.advance(Duration::from_secs(3600));
    let mut browser = signed_in(&test, "reader@desk.example").await;
    assert_eq!(
        browser.get(&format!("/tickets/{ticket_id}")).await.status,
        StatusCode::OK
    );
    let profile = browser.get(&format!("/customers/{customer_id}")).await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("log@example.com"), "{}", profile.body);
    let ticket_page = browser.get(&format!("/tickets/{ticket_id}")).await;
    assert!(
        ticket_page.body.contains("customer-panel"),
        "{}",
        ticket_page.body
    );

    // Agents may not read the log.
    assert_eq!(
        test.get("/api/v1/audit", &token).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        test.get("/api/v1/audit/export?format=csv", &token).await.0,
        StatusCode::FORBIDDEN
    );

    let (status, by_customer) = test
        .get(
            &format!("/api/v1/audit?customer_id={customer_id}&limit=200"),
            &test.admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{by_customer}");
    let mut seen = actions(&by_customer);
    seen.sort();
    let want = |a: &str, s: &str| (a.to_string(), s.to_string());
    assert_eq!(
        seen,
        vec![
            want("attachment.download", "api"),
            want("customer.list", "api"),
            want("customer.read", "api"),
            want("customer.read", "ui"),
            want("customer.read", "ui"),
            want("customer.read", "ui"),
            want("ticket.conversation", "api"),
            want("ticket.conversation", "ui"),
            want("ticket.conversation", "ui"),
        ],
        "{by_customer}"
    );
    for entry in by_customer["items"].as_array().expect("items") {
        assert_eq!(entry["actor_id"], agent, "{entry}");
        assert_eq!(entry["client"], "127.0.0.1", "{entry}");
    }
    let (_, by_other) = test
        .get(
            &format!("/api/v1/audit?customer_id={other_customer}"),
            &test.admin,
        )
        .await;
    assert_eq!(
        by_other["items"],
        json!([]),
        "nobody read the other customer"
    );
    let (_, by_ticket) = test
        .get(&format!("/api/v1/audit?ticket_id={ticket_id}"), &test.admin)
        .await;
    assert_eq!(
        by_ticket["items"].as_array().map(Vec::len),
        Some(4),
        "{by_ticket}"
    );
    let (_, by_actor) = test
        .get(
            &format!("/api/v1/audit?actor_id={agent}&limit=200"),
            &test.admin,
        )
        .await;
    assert_eq!(by_actor["items"], by_customer["items"]);

    // A time range: the workspace reads came an hour after the API reads.
    let items = by_customer["items"].as_array().expect("items");
    let newest = items
        .iter()
        .filter(|e| e["surface"] == "ui")
        .filter_map(|e| e["at"].as_str())
        .min()
        .expect("a workspace read")
        .to_string();
    let oldest = items[8]["at"].as_str().expect("a time").to_string();
    let since = test
        .get(
            &format!("/api/v1/audit?customer_id={customer_id}&since={newest}"),
            &test.admin,
        )
        .await
        .1;
    assert!(actions(&since).iter().all(|(_, s)| s == "ui"), "{since}");
    let until = test
        .get(
            &format!("/api/v1/audit?customer_id={customer_id}&until={newest}"),
            &test.admin,
        )
        .await
        .1;
    assert!(actions(&until).iter().all(|(_, s)| s == "api"), "{until}");
    assert_eq!(actions(&since).len() + actions(&until).len(), 9);
    assert!(oldest < newest);

    // Keyset pages hold every entry once.
    let mut paged = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, page) = test
            .get(
                &format!("/api/v1/audit?customer_id={customer_id}&limit=2{cursor}"),
                &test.admin,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        paged.extend(
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|e| e["id"].clone()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    let all: Vec<Value> = by_customer["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert_eq!(paged, all);

    // Exports: the same entries as JSON and as CSV.
    let export = |format: &str| {
        test.request(
            reqwest::Method::GET,
            &format!("/api/v1/audit/export?format={format}&customer_id={customer_id}"),
            Some(&test.admin),
        )
        .send()
    };
    let json_export: Value = export("json")
        .await
        .expect("an export")
        .json()
        .await
        .expect("JSON");
    let exported: Vec<Value> = json_export
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert_eq!(exported, all);
    let csv = export("csv").await.expect("an export");
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv")
    );
    let csv = csv.text().await.expect("text");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,at,actor_id,action,customer_id,ticket_id,client,surface")
    );
    let csv_ids: BTreeSet<String> = lines
        .map(|l| l.split(',').next().unwrap_or("").to_string())
        .collect();
    let want_ids: BTreeSet<String> = all.iter().map(|v| v.to_string()).collect();
    assert_eq!(csv_ids, want_ids);

    // Bad input names the field.
    for (query, field) in [
        ("since=yesterday", "since"),
        ("until=2026-13-01T00:00:00Z", "until"),
        (
            "since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z",
            "until",
        ),
        ("limit=0", "limit"),
        ("cursor=%00", "cursor"),
        ("format=csv", "format"),
    ] {
        let answer = test
            .get(&format!("/api/v1/audit?{query}"), &test.admin)
            .await;
        tiski_testkit::assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    for (query, field) in [
        ("actor_id=x", "actor_id"),
        ("ticket_id=1e9", "ticket_id"),
        ("colour=red", "colour"),
    ] {
        let answer = test
            .get(&format!("/api/v1/audit?{query}"), &test.admin)
            .await;
        tiski_testkit::assert_problem(&answer, StatusCode::BAD_REQUEST, Some(field));
    }
    let answer = test
        .get("/api/v1/audit/export?format=xml", &test.admin)
        .await;
    tiski_testkit::assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("format"));

    // Past the retention (365 days by default) the pruner deletes entries, on the app's clock.
    test.advance(Duration::from_secs(365 * 24 * 3600 - 1800));
    assert_eq!(
        test.app
            .ticketing
            .prune_access_log(1000)
            .await
            .expect("prune"),
        4,
        "the API reads"
    );
    let (_, left) = test
        .get(
            &format!("/api/v1/audit?customer_id={customer_id}"),
            &test.admin,
        )
        .await;
    assert!(actions(&left).iter().all(|(_, s)| s == "ui"), "{left}");
    test.advance(Duration::from_secs(3600));
    assert_eq!(
        test.app
            .ticketing
            .prune_access_log(1000)
            .await
            .expect("prune"),
        5
    );
    let (_, left) = test.get("/api/v1/audit", &test.admin).await;
    assert_eq!(left["items"], json!([]));
}

/// Entries still in the buffer when the server stops are written before the workers end:
/// a graceful stop loses none (only a crash loses what the last flush interval gathered).
#[tokio::test]
async fn a_stop_writes_what_the_buffer_holds() {
    use std::sync::Arc;
    use tiski_kernel::{FakeClock, SecretKey};
    use tiski_ticketing::access::{Access, AccessAction, Reader, Surface};
    // Making a fresh PostgreSQL schema blocks: off the async thread.
    let (location, _dir) = tokio::task::spawn_blocking(tiski_testkit::fresh_location)
        .await
        .expect("a fresh database");
    let store = tiski_app::open_store(location).await.expect("a store");
    let app = tiski_app::App::new(
        store,
        tiski_testkit::fast_settings(),
        Arc::new(FakeClock::running()),
        SecretKey::generate(),
    );
    let reader = tiski_kernel::Actor {
        id: 42,
        name: "Reader".into(),
        email: "reader@example.com".into(),
        role: Role::Agent,
        team_ids: vec![],
    };
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let workers = app.start_workers(shutdown);
    let reads: Vec<Access> = (1..=2500)
        .map(|id| Access::customer(AccessAction::CustomerList, id))
        .collect();
    let who = Reader {
        actor: &reader,
        client: Some("192.0.2.7".into()),
        surface: Surface::Api,
    };
    app.ticketing.record_access(who, &reads).await;
    stop.send(true).expect("stop the workers");
    for worker in workers {
        worker.await.expect("a worker ends");
    }
    let written: i64 = app
        .kernel
        .store()
        .read(|conn| conn.query_scalar("SELECT COUNT(*) FROM access_log WHERE actor_id = 42", &[]))
        .await
        .expect("a count");
    assert_eq!(written, 2500);
    app.kernel.store().close().await;
}
