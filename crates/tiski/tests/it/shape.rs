//! The shape the code takes, seen from outside: old event rows read in the new types without
//! their personal data, a stored value that does not decode is an error rather than a
//! default, time comes from the clock, and the settings show where they came from.

use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use tiski_domain::Event;
use tiski_kernel::Actor;
use tiski_store::Store;
use tiski_testkit::{TestApp, fast_settings};

/// Writes rows straight into the database, as an older tiski would have.
async fn write_raw(store: &Store, sql: &'static str, values: Vec<tiski_store::Value>) {
    store
        .write(move |tx| tx.conn().execute(sql, &values).map(|_| ()))
        .await
        .expect("a raw write");
}

#[tokio::test]
async fn version_1_events_are_upgraded_and_lose_their_personal_data() {
    let test = TestApp::spawn().await;
    let ticket = test
        .ticket(&test.admin, json!({"subject": "Maija's broken kettle", "requester": {"email": "maija@example.fi", "name": "Maija Virtanen"}, "message": {"body": "Hei!"}}))
        .await;
    let v1 = json!({"ticket": {"id": ticket["id"], "subject": "Maija's broken kettle", "status": "new",
        "priority": "normal", "channel": "api", "team_id": null, "assignee_id": null,
        "requester": {"id": ticket["requester"]["id"], "name": "Maija Virtanen"}, "language": null,
        "tags": [], "follow_up_of": null, "mailbox_id": null}});
    let preview = json!({"message_id": 1, "kind": "reply", "author_kind": "customer", "author_id": 1,
        "channel": "api", "preview": "Hei! Olen Maija Virtanen"});
    let store = test.app.kernel.store().clone();
    for (kind, payload) in [("ticket.created", v1), ("message.added", preview)] {
        write_raw(
            &store,
            "INSERT INTO events (at, actor_kind, actor_id, ticket_id, kind, version, payload) VALUES ($1, 'system', NULL, $2, $3, 1, $4)",
            vec![1_700_000_000_000_000_i64.into(), ticket["id"].as_i64().into(), kind.into(), payload.to_string().into()],
        )
        .await;
    }
    let upgraded = tiski_kernel::events::upgrade_log(&store)
        .await
        .expect("the upgrade runs");
    assert_eq!(upgraded, 2);
    let rows: Vec<(i64, String)> = store
        .read(|conn| {
            conn.query("SELECT version, payload FROM events ORDER BY id", &[])?
                .iter()
                .map(|r| Ok((r.get(0)?, r.get(1)?)))
                .collect::<Result<Vec<_>, tiski_store::StoreError>>()
        })
        .await
        .unwrap();
    for (version, payload) in &rows {
        assert_eq!(*version, 2, "{payload}");
        assert!(
            !payload.contains("Maija"),
            "personal data left in the log: {payload}"
        );
    }
    // Read through the API, the old rows are typed events like the new ones.
    let (status, page) = test
        .get("/api/v1/events?after=0&limit=200", &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let items = page["items"].as_array().unwrap();
    let old = items
        .iter()
        .rev()
        .find(|e| e["type"] == "ticket.created")
        .unwrap();
    assert_eq!(old["version"], 2);
    assert_eq!(old["data"]["requester_id"], ticket["requester"]["id"]);
    let system = Actor::system();
    let events = test
        .app
        .ticketing
        .events_after(&system, 0, Some(200))
        .await
        .unwrap();
    assert!(
        events
            .items
            .iter()
            .any(|e| matches!(e.event, Event::TicketCreated(_)))
    );
    test.stop().await;
}

#[tokio::test]
async fn a_stored_value_that_does_not_decode_is_an_error_not_a_default() {
    let test = TestApp::spawn().await;
    let ticket = test
        .ticket(&test.admin, json!({"subject": "Kettle", "requester": {"email": "a@example.fi"}, "message": {"body": "Hi"}}))
        .await;
    let store = test.app.kernel.store().clone();
    write_raw(
        &store,
        "UPDATE tickets SET status = 'done' WHERE id = $1",
        vec![ticket["id"].as_i64().into()],
    )
    .await;
    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    let (status, problem) = test.get(&path, &test.admin).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{problem}");
    assert_eq!(problem["code"], "stored_data_unreadable");
    assert!(
        problem.get("status").is_some(),
        "a problem document: {problem}"
    );
    test.stop().await;
}

#[tokio::test]
async fn sessions_end_when_the_clock_passes_their_idle_time() {
    let test = TestApp::spawn().await;
    let (id, _) = test.user(tiski_domain::Role::Agent, &[]).await;
    let actor = test
        .app
        .staff
        .reload_actor(&Actor {
            id,
            ..Actor::system()
        })
        .await
        .unwrap()
        .unwrap();
    let (token, _) = test.app.staff.create_session(&actor, "test").await.unwrap();
    assert!(test.app.staff.session(&token).await.unwrap().is_some());
    test.advance(Duration::from_secs(23 * 3600));
    assert!(
        test.app.staff.session(&token).await.unwrap().is_some(),
        "used within a day, kept alive"
    );
    test.advance(Duration::from_secs(25 * 3600));
    assert!(
        test.app.staff.session(&token).await.unwrap().is_none(),
        "idle for more than a day"
    );
    test.stop().await;
}

#[tokio::test]
async fn webhook_retries_wait_for_the_clock() {
    let settings = tiski_kernel::Settings {
        retry_base: Duration::from_secs(3600),
        retry_max: Duration::from_secs(3600),
        ..fast_settings()
    };
    let test = TestApp::spawn_with(settings).await;
    // Nothing listens on port 9: every attempt fails at once.
    let (status, hook) = test
        .post(
            "/api/v1/webhooks",
            &test.admin,
            json!({"url": "http://127.0.0.1:9/hook", "event_types": ["team.created"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    test.team("Retried").await;
    let path = format!("/api/v1/webhooks/{}/deliveries", hook["id"]);
    let attempts = |body: &serde_json::Value| body["items"][0]["attempts"].as_i64().unwrap_or(0);
    let mut first = serde_json::Value::Null;
    for _ in 0..100 {
        first = test.get(&path, &test.admin).await.1;
        if attempts(&first) >= 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(attempts(&first), 1, "{first}");
    // An hour's backoff does not pass in real time...
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(attempts(&test.get(&path, &test.admin).await.1), 1);
    // ...but it does on the clock.
    test.advance(Duration::from_secs(3601));
    let mut after = serde_json::Value::Null;
    for _ in 0..100 {
        after = test.get(&path, &test.admin).await.1;
        if attempts(&after) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(attempts(&after), 2, "{after}");
    test.stop().await;
}

#[test]
fn config_show_tells_each_value_and_where_it_came_from_and_hides_secrets() {
    let output = crate::binary::tiski(&[
        "config".into(),
        "show".into(),
        "--auto-close-days".into(),
        "7".into(),
    ])
    .env("TISKI_LISTEN", "127.0.0.1:9999")
    .output()
    .expect("the binary runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{key} ")))
            .unwrap_or_else(|| panic!("no {key} in {text}"))
            .to_string()
    };
    assert!(
        line("auto_close_days").contains("= 7  (flag: --auto-close-days / TISKI_AUTO_CLOSE_DAYS)")
    );
    assert!(line("listen").contains("= 127.0.0.1:9999  (environment"));
    assert!(line("retry_base").contains("= 10s  (default"));
    assert!(line("secret_key").contains("(set, hidden)"));
    assert!(
        !text.contains(crate::binary::SECRET_KEY),
        "the secret is shown: {text}"
    );

    let refused = crate::binary::tiski(&[
        "config".into(),
        "show".into(),
        "--retry-base".into(),
        "soon".into(),
    ])
    .output()
    .expect("the binary runs");
    assert!(!refused.status.success());
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(error.contains("--retry-base / TISKI_RETRY_BASE"), "{error}");
}
