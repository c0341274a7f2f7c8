//! Time rules on the fake clock: once per ticket and occurrence, what their changes fire,
//! and their dry run.

use super::{customer_ticket, events, fired, settle, ticket, trigger};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use tiski_testkit::TestApp;

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn a_pending_ticket_is_nudged_once_per_quiet_spell() {
    let test = TestApp::spawn().await;
    let rule = json!({"name": "Pending for 3 days", "status": "pending", "hours": 72,
                      "conditions": [{"field": "tags", "op": "not_contains", "value": "vip"}],
                      "actions": [{"type": "add_tags", "tags": ["nudged"]}, {"type": "add_note", "body": "Quiet for 3 days."}]});
    let (status, made) = test
        .post("/api/v1/time-rules", &test.admin, rule.clone())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let rule_id = made["id"].as_i64().unwrap();
    assert_eq!(made["since"], "updated");
    // The time rule's change fires a trigger once; that trigger's own change fires nothing.
    let follow = trigger(
        &test,
        json!({"name": "count nudges", "event": "ticket.tags_changed",
               "conditions": [{"field": "tags", "op": "contains", "value": "nudged"}],
               "actions": [{"type": "set_priority", "priority": "high"}, {"type": "add_tags", "tags": ["followed"]}]}),
    )
    .await;
    let pending = customer_ticket(&test, "Waiting", "Any news?").await;
    let vip = customer_ticket(&test, "VIP waiting", "Any news?").await;
    let open = customer_ticket(&test, "Open one", "Any news?").await;
    for (id, body) in [
        (pending, json!({"status": "pending"})),
        (vip, json!({"status": "pending", "add_tags": ["vip"]})),
        (open, json!({"status": "open"})),
    ] {
        let (status, _) = test
            .patch(&format!("/api/v1/tickets/{id}"), &test.admin, body)
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    settle(&test).await;
    assert_eq!(test.app.automation.run_time_rules().await.unwrap(), 0);
    let (_, dry) = test
        .post("/api/v1/time-rules/test", &test.admin, rule.clone())
        .await;
    assert_eq!(dry["matched"], 0, "{dry}");

    test.advance(73 * HOUR);
    let (_, dry) = test
        .post("/api/v1/time-rules/test", &test.admin, rule.clone())
        .await;
    assert_eq!(dry["matched"], 1, "{dry}");
    assert_eq!(dry["ticket_ids"], json!([pending]));
    assert_eq!(test.app.automation.run_time_rules().await.unwrap(), 1);
    assert_eq!(test.app.automation.run_time_rules().await.unwrap(), 0);
    settle(&test).await;
    let after = ticket(&test, pending).await;
    assert_eq!(after["tags"], json!(["followed", "nudged"]));
    assert_eq!(after["priority"], "high");
    assert_eq!(ticket(&test, vip).await["tags"], json!(["vip"]));
    assert_eq!(ticket(&test, open).await["tags"], json!([]));
    let log = events(&test, pending).await;
    let by_rule: Vec<&serde_json::Value> = log
        .iter()
        .filter(|e| e["actor_kind"] == "time_rule")
        .collect();
    assert!(by_rule.iter().all(|e| e["actor_id"] == rule_id));
    assert!(
        by_rule.iter().any(|e| e["type"] == "time_rule.fired"),
        "{log:?}"
    );
    assert_eq!(fired(&test, pending).await.len(), 1);
    assert!(
        fired(&test, pending)
            .await
            .iter()
            .all(|e| e["data"]["trigger_id"] == follow)
    );
    let (_, dry) = test
        .post("/api/v1/time-rules/test", &test.admin, rule.clone())
        .await;
    assert_eq!(dry["matched"], 0, "{dry}");

    // Nothing more within the next quiet spell; after another one, once more.
    test.advance(24 * HOUR);
    assert_eq!(test.app.automation.run_time_rules().await.unwrap(), 0);
    test.advance(49 * HOUR);
    assert_eq!(test.app.automation.run_time_rules().await.unwrap(), 1);
    assert_eq!(test.app.automation.run_time_rules().await.unwrap(), 0);
    let (_, messages) = test
        .get(&format!("/api/v1/tickets/{pending}/messages"), &test.admin)
        .await;
    let notes = messages["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "note")
        .count();
    assert_eq!(notes, 2);
}

#[tokio::test]
async fn time_rules_are_read_changed_and_deleted() {
    let test = TestApp::spawn().await;
    let (status, made) = test
        .post(
            "/api/v1/time-rules",
            &test.admin,
            json!({"name": "New for 2 hours", "status": "new", "since": "created", "hours": 2, "actions": [{"type": "set_priority", "priority": "high"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["id"].as_i64().unwrap();
    let (status, changed) = test
        .patch(
            &format!("/api/v1/time-rules/{id}"),
            &test.admin,
            json!({"hours": 4, "active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["hours"], 4);
    let (_, list) = test.get("/api/v1/time-rules", &test.admin).await;
    assert_eq!(list["items"][0]["active"], false);
    let ticket_id = customer_ticket(&test, "Fresh", "Hi").await;
    test.advance(5 * HOUR);
    assert_eq!(test.app.automation.run_time_rules().await.unwrap(), 0);
    test.patch(
        &format!("/api/v1/time-rules/{id}"),
        &test.admin,
        json!({"active": true}),
    )
    .await;
    assert_eq!(test.app.automation.run_time_rules().await.unwrap(), 1);
    assert_eq!(ticket(&test, ticket_id).await["priority"], "high");
    let (status, _) = test
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/time-rules/{id}"),
            &test.admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = test
        .get(&format!("/api/v1/time-rules/{id}"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
