//! Bad input to triggers and time rules: problems naming the field at fault, never a 500.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_testkit::{TestApp, assert_problem};

fn with(base: &Value, key: &str, value: Value) -> Value {
    let mut body = base.clone();
    body[key] = value;
    body
}

#[tokio::test]
async fn bad_triggers_name_the_field_at_fault() {
    let test = TestApp::spawn().await;
    let base = json!({"name": "x", "event": "ticket.created", "actions": [{"type": "add_tags", "tags": ["x"]}]});
    let cases = [
        (with(&base, "name", json!("  ")), "name"),
        (with(&base, "position", json!(-1)), "position"),
        (with(&base, "event", json!("ticket.exploded")), "event"),
        (with(&base, "event", json!("trigger.fired")), "event"),
        (with(&base, "actions", json!([])), "actions"),
        (
            with(
                &base,
                "conditions",
                json!([{"field": "status", "value": "new"}, {"field": "tags", "op": "contains", "value": "a"}, {"field": "priority", "value": "enormous"}]),
            ),
            "conditions[2].value",
        ),
        (
            with(
                &base,
                "conditions",
                json!([{"field": "colour", "value": "red"}]),
            ),
            "conditions[0].field",
        ),
        (
            with(
                &base,
                "conditions",
                json!([{"field": "subject", "op": "is", "value": "x"}]),
            ),
            "conditions[0].op",
        ),
        (
            with(
                &base,
                "conditions",
                json!([{"field": "time", "value": "open", "calendar_id": 999}]),
            ),
            "conditions[0].calendar_id",
        ),
        (
            with(&base, "conditions", json!(["status"])),
            "conditions[0]",
        ),
        (
            with(
                &base,
                "actions",
                json!([{"type": "set_status", "status": "closed"}]),
            ),
            "actions[0].status",
        ),
        (
            with(
                &base,
                "actions",
                json!([{"type": "set_team", "team_id": 999}]),
            ),
            "actions[0].team_id",
        ),
        (
            with(
                &base,
                "actions",
                json!([{"type": "set_assignee", "assignee_id": 999}]),
            ),
            "actions[0].assignee_id",
        ),
        (
            with(
                &base,
                "actions",
                json!([{"type": "send_reply", "macro_ids": [999]}]),
            ),
            "actions[0].macro_ids[0]",
        ),
        (
            with(&base, "actions", json!([{"type": "add_note", "body": ""}])),
            "actions[0].body",
        ),
        (
            with(&base, "actions", json!([{"type": "launch"}])),
            "actions[0]",
        ),
    ];
    for (body, field) in cases {
        let answer = test
            .post("/api/v1/triggers", &test.admin, body.clone())
            .await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
        // The dry run checks the same way.
        let answer = test.post("/api/v1/triggers/test", &test.admin, body).await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    let answer = test
        .patch("/api/v1/triggers/987654", &test.admin, json!({"name": "y"}))
        .await;
    assert_problem(&answer, StatusCode::NOT_FOUND, None);
}

#[tokio::test]
async fn bad_time_rules_name_the_field_at_fault() {
    let test = TestApp::spawn().await;
    let base = json!({"name": "x", "status": "pending", "hours": 72, "actions": [{"type": "add_tags", "tags": ["x"]}]});
    let cases = [
        (with(&base, "status", json!("closed")), "status"),
        (with(&base, "status", json!("sleeping")), "status"),
        (with(&base, "hours", json!(0)), "hours"),
        (with(&base, "hours", json!(1_000_000)), "hours"),
        (with(&base, "since", json!("yesterday")), "since"),
        (
            with(
                &base,
                "conditions",
                json!([{"field": "body", "op": "contains", "value": "x"}]),
            ),
            "conditions[0].field",
        ),
        (
            with(
                &base,
                "actions",
                json!([{"type": "set_priority", "priority": "meh"}]),
            ),
            "actions[0].priority",
        ),
    ];
    for (body, field) in cases {
        let answer = test.post("/api/v1/time-rules", &test.admin, body).await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
}

#[tokio::test]
async fn naughty_strings_in_every_text_field_answer_2xx_or_4xx() {
    let test = TestApp::spawn().await;
    let blns = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.txt"
    ))
    .expect("the naughty strings");
    let strings: Vec<&str> = blns
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .step_by(11)
        .collect();
    assert!(strings.len() > 30);
    for text in strings {
        let bodies = [
            json!({"name": text, "event": "ticket.created", "actions": [{"type": "add_note", "body": text}]}),
            json!({"name": "x", "event": text, "actions": [{"type": "add_tags", "tags": ["x"]}]}),
            json!({"name": "x", "event": "ticket.created", "conditions": [{"field": "subject", "op": "contains", "value": text}], "actions": [{"type": "add_tags", "tags": [text]}]}),
            json!({"name": "x", "event": "ticket.created", "conditions": [{"field": text, "value": text}], "actions": [{"type": "set_status", "status": text}]}),
        ];
        for body in bodies {
            for path in ["/api/v1/triggers/test", "/api/v1/triggers"] {
                let (status, answer) = test.post(path, &test.admin, body.clone()).await;
                assert!(
                    status.is_success() || status.is_client_error(),
                    "{text:?} at {path}: {status} {answer}"
                );
            }
        }
        let (status, answer) = test
            .post(
                "/api/v1/time-rules",
                &test.admin,
                json!({"name": text, "status": text, "hours": 1, "actions": [{"type": "add_tags", "tags": ["x"]}]}),
            )
            .await;
        assert!(
            status.is_client_error() || status.is_success(),
            "{text:?}: {status} {answer}"
        );
    }
    // Whatever was stored fires without a fault.
    let id = super::customer_ticket(&test, "Naughty", "Strings").await;
    super::settle(&test).await;
    let (status, _) = test
        .get(&format!("/api/v1/tickets/{id}"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK);
}
