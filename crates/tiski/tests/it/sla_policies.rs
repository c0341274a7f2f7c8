//! SLA policies through the API: made, listed in the order they apply, changed, who may do
//! what, and bad targets and filters answered with the field at fault.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

fn policy(calendar: i64) -> Value {
    json!({
        "name": "VIP",
        "position": 10,
        "filter": {"tag": "vip", "status": ["new", "open"]},
        "calendar_id": calendar,
        "targets": {
            "urgent": {"first_reply": {"seconds": 3600, "business_hours": true, "warn_before_s": 600}},
            "normal": {
                "first_reply": {"seconds": 14400, "business_hours": true, "warn_before_s": 3600},
                "total_resolution": {"seconds": 172800, "business_hours": false, "warn_before_s": 0}
            }
        }
    })
}

async fn calendar(test: &TestApp) -> i64 {
    let (status, calendar) = test
        .post(
            "/api/v1/calendars",
            &test.admin,
            json!({"name": "Office", "time_zone": "Europe/Helsinki",
                   "weekly": [{"day": "mon", "start": "09:00", "end": "17:00"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{calendar}");
    calendar["id"].as_i64().unwrap()
}

#[tokio::test]
async fn policies_are_made_listed_in_order_and_changed() {
    let test = TestApp::spawn().await;
    let calendar = calendar(&test).await;
    let (status, vip) = test
        .post("/api/v1/sla-policies", &test.admin, policy(calendar))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{vip}");
    assert_eq!(vip["targets"]["urgent"]["first_reply"]["seconds"], 3600);
    assert_eq!(vip["filter"]["tag"], "vip");
    assert_eq!(vip["calendar_id"], calendar);
    let mut first = policy(calendar);
    first["name"] = json!("Everyone");
    first["position"] = json!(1);
    first["filter"] = json!({});
    let (status, everyone) = test.post("/api/v1/sla-policies", &test.admin, first).await;
    assert_eq!(status, StatusCode::CREATED, "{everyone}");

    let (_, list) = test.get("/api/v1/sla-policies", &test.admin).await;
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["Everyone", "VIP"]);

    let id = vip["id"].as_i64().unwrap();
    let (status, changed) = test
        .patch(
            &format!("/api/v1/sla-policies/{id}"),
            &test.admin,
            json!({"position": 0, "calendar_id": null,
                   "targets": {"high": {"agent_work_time": {"seconds": 7200}}}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["calendar_id"], Value::Null);
    assert_eq!(
        changed["targets"]["high"]["agent_work_time"]["warn_before_s"],
        0
    );
    let (_, read) = test
        .get(&format!("/api/v1/sla-policies/{id}"), &test.admin)
        .await;
    assert_eq!(read, changed);
    let (_, list) = test.get("/api/v1/sla-policies", &test.admin).await;
    assert_eq!(list["items"][0]["name"], "VIP");

    let (_, events) = test.get("/api/v1/events?limit=200", &test.admin).await;
    let types: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .filter(|t| t.starts_with("sla_policy."))
        .collect();
    assert_eq!(types.len(), 3, "{types:?}");

    let (_, agent) = test.user(Role::Agent, &[]).await;
    let (status, _) = test.get("/api/v1/sla-policies", &agent).await;
    assert_eq!(status, StatusCode::OK);
    let refused = test
        .post("/api/v1/sla-policies", &agent, policy(calendar))
        .await;
    assert_problem(&refused, StatusCode::FORBIDDEN, None);
    let refused = test
        .patch(
            &format!("/api/v1/sla-policies/{id}"),
            &agent,
            json!({"name": "Mine"}),
        )
        .await;
    assert_problem(&refused, StatusCode::FORBIDDEN, None);
    let missing = test.get("/api/v1/sla-policies/999999", &agent).await;
    assert_problem(&missing, StatusCode::NOT_FOUND, None);
}

#[tokio::test]
async fn bad_policies_name_the_field_at_fault() {
    let test = TestApp::spawn().await;
    let calendar = calendar(&test).await;
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut body = policy(calendar);
        edit(&mut body);
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (with(&|b| b["name"] = json!("")), "name"),
        (with(&|b| b["position"] = json!(-1)), "position"),
        (with(&|b| b["calendar_id"] = json!(999999)), "calendar_id"),
        (with(&|b| b["targets"] = json!({})), "targets"),
        (
            with(&|b| b["targets"] = json!({"asap": {"first_reply": {"seconds": 60}}})),
            "targets.asap",
        ),
        (
            with(&|b| b["targets"] = json!({"low": {"first_response": {"seconds": 60}}})),
            "targets.low.first_response",
        ),
        (
            with(&|b| b["targets"] = json!({"low": {"first_reply": {"seconds": 0}}})),
            "targets.low.first_reply.seconds",
        ),
        (
            with(&|b| {
                b["targets"] = json!({"low": {"first_reply": {"seconds": 60, "warn_before_s": 60}}})
            }),
            "targets.low.first_reply.warn_before_s",
        ),
        (
            with(&|b| b["filter"]["tag"] = json!("two words")),
            "filter.tag",
        ),
        (
            with(&|b| b["filter"]["assignee"] = json!("someone")),
            "filter.assignee",
        ),
    ];
    for (body, field) in cases {
        let answer = test.post("/api/v1/sla-policies", &test.admin, body).await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    let blns = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.txt"
    ))
    .expect("the naughty strings");
    for text in blns.lines().filter(|l| !l.is_empty()).step_by(9) {
        let bodies = [
            with(&|b| b["name"] = json!(text)),
            with(&|b| b["filter"]["tag"] = json!(text)),
            with(&|b| b["filter"]["language"] = json!(text)),
            with(&|b| b["targets"] = json!({text: {"first_reply": {"seconds": 60}}})),
            with(&|b| b["targets"] = json!({"low": {text: {"seconds": 60}}})),
        ];
        for body in bodies {
            let (status, answer) = test.post("/api/v1/sla-policies", &test.admin, body).await;
            assert!(
                status == StatusCode::CREATED || status.is_client_error(),
                "{text:?}: {status} {answer}"
            );
        }
    }
}

fn micros(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().unwrap().as_microsecond()
}

fn clock_of<'a>(ticket: &'a Value, metric: &str) -> &'a Value {
    ticket["sla"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["metric"] == metric)
        .unwrap_or_else(|| panic!("no {metric} clock in {ticket}"))
}

#[tokio::test]
async fn the_ticket_view_shows_its_clocks_from_the_status_history() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    // Fri 2026-03-27 16:00 Helsinki.
    test.clock.set(micros("2026-03-27T14:00:00Z"));
    let days = ["mon", "tue", "wed", "thu", "fri"];
    let (status, office) = test
        .post(
            "/api/v1/calendars",
            &test.admin,
            json!({"name": "Office", "time_zone": "Europe/Helsinki", "default": true,
                   "weekly": days.iter().map(|d| json!({"day": d, "start": "09:00", "end": "17:00"})).collect::<Vec<_>>()}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{office}");
    let (status, _) = test
        .post(
            "/api/v1/sla-policies",
            &test.admin,
            json!({"name": "Default", "targets": {"normal": {
                "first_reply": {"seconds": 14400, "business_hours": true, "warn_before_s": 3600},
                "requester_wait_time": {"seconds": 14400, "business_hours": true},
                "total_resolution": {"seconds": 172800, "business_hours": false}
            }}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "Broken", "requester": {"email": "maija@example.fi"},
                   "message": {"body": "It broke.", "author": "customer"}}),
        )
        .await;
    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    let (_, view) = test.get(&path, &test.admin).await;
    let first = clock_of(&view, "first_reply");
    assert_eq!(first["state"], "running", "{view}");
    assert!(
        first["due_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-30T09:00:00"),
        "4 business hours from Friday 16:00 are Monday 12:00: {first}"
    );
    assert!(
        clock_of(&view, "total_resolution")["due_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-29T14:00:00")
    );

    // Pending Monday 10:00–11:00 local pauses the requester's wait, not the first reply.
    test.clock.set(micros("2026-03-30T07:00:00Z"));
    let (status, _) = test
        .patch(&path, &test.admin, json!({"status": "pending"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, view) = test.get(&path, &test.admin).await;
    assert_eq!(clock_of(&view, "requester_wait_time")["state"], "paused");
    test.clock.set(micros("2026-03-30T08:00:00Z"));
    let (status, _) = test
        .patch(&path, &test.admin, json!({"status": "open"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    test.clock.set(micros("2026-03-30T08:30:00Z"));
    let (_, view) = test.get(&path, &test.admin).await;
    let first = clock_of(&view, "first_reply");
    assert_eq!(first["state"], "warning", "{view}");
    assert!(
        (12599..=12601).contains(&first["elapsed_s"].as_i64().unwrap()),
        "{first}"
    );
    let waiting = clock_of(&view, "requester_wait_time");
    assert!(
        (8999..=9001).contains(&waiting["elapsed_s"].as_i64().unwrap()),
        "{waiting}"
    );
    assert!(
        waiting["due_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-30T10:00:00"),
        "{waiting}"
    );
    assert_eq!(clock_of(&view, "total_resolution")["state"], "breached");

    // The first public reply meets the first-reply target.
    test.clock.set(micros("2026-03-30T08:45:00Z"));
    let (status, reply) = test
        .post(
            &format!("{path}/messages"),
            &test.admin,
            json!({"body": "We are on it."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let (_, view) = test.get(&path, &test.admin).await;
    assert_eq!(clock_of(&view, "first_reply")["state"], "met", "{view}");
}
