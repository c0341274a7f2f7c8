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
