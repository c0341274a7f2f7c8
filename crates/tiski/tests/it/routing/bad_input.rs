//! Bad input on every routing endpoint answers a 4xx problem naming the field, never a 500.

use super::Desk;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tiski_testkit::assert_problem;

/// A request (method, path, token, body) and the problem it answers (status, field).
type Case<'a> = (Method, String, &'a str, Value, StatusCode, Option<&'a str>);

#[tokio::test]
async fn every_routing_endpoint_names_the_field_at_fault() {
    let desk = Desk::new(json!(["email"])).await;
    let test = &desk.test;
    let agent = desk.agent().await;
    let skill = desk.skill("Swedish", "language", true).await;
    let me = format!("/api/v1/agents/{}", agent.0);
    let queue = format!("/api/v1/queues/{}", desk.queue);
    let admin = test.admin.clone();
    let cases: Vec<Case> = vec![
        (
            Method::PUT,
            format!("{me}/presence"),
            &agent.1,
            json!({"status": "napping"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("status"),
        ),
        (
            Method::PUT,
            format!("{me}/presence"),
            &agent.1,
            json!({}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("status"),
        ),
        (
            Method::PUT,
            format!("{me}/presence"),
            &agent.1,
            json!({"status": 7}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("status"),
        ),
        (
            Method::PUT,
            format!("{me}/presence"),
            &agent.1,
            json!({"status": "away", "x": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ),
        (
            Method::PUT,
            "/api/v1/agents/999999/presence".into(),
            &admin,
            json!({"status": "away"}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            Method::PUT,
            "/api/v1/agents/abc/presence".into(),
            &admin,
            json!({"status": "away"}),
            StatusCode::BAD_REQUEST,
            Some("id"),
        ),
        (
            Method::GET,
            "/api/v1/agents/0/presence".into(),
            &admin,
            Value::Null,
            StatusCode::BAD_REQUEST,
            Some("id"),
        ),
        (
            Method::POST,
            "/api/v1/skills".into(),
            &admin,
            json!({"name": "", "type": "language"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("name"),
        ),
        (
            Method::POST,
            "/api/v1/skills".into(),
            &admin,
            json!({"name": "a\u{0}b", "type": "language"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("name"),
        ),
        (
            Method::POST,
            "/api/v1/skills".into(),
            &admin,
            json!({"name": "x".repeat(101), "type": "language"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("name"),
        ),
        (
            Method::POST,
            "/api/v1/skills".into(),
            &admin,
            json!({"name": "Magic", "type": "magic"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("type"),
        ),
        (
            Method::POST,
            "/api/v1/skills".into(),
            &admin,
            json!({"name": "Licence", "type": "licence", "relaxable": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("relaxable"),
        ),
        (
            Method::POST,
            "/api/v1/skills".into(),
            &admin,
            json!({"name": "Swedish", "type": "language"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("name"),
        ),
        (
            Method::PUT,
            format!("{me}/skills"),
            &admin,
            json!({"items": [{"skill_id": skill, "proficiency": 9}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("items/0/proficiency"),
        ),
        (
            Method::PUT,
            format!("{me}/skills"),
            &admin,
            json!({"items": [{"skill_id": 424242, "proficiency": 3}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("items/0/skill_id"),
        ),
        (
            Method::PUT,
            format!("{me}/skills"),
            &admin,
            json!({"items": [{"skill_id": skill, "proficiency": 3}, {"skill_id": skill, "proficiency": 2}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("items/1/skill_id"),
        ),
        (
            Method::PUT,
            format!("{me}/skills"),
            &admin,
            json!({"items": [{"skill_id": skill, "proficiency": 3, "valid_until": "2026-02-30"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("items/0/valid_until"),
        ),
        (
            Method::PUT,
            format!("{me}/skills"),
            &admin,
            json!({"items": [{"skill_id": skill, "proficiency": 3, "valid_until": "'; DROP TABLE users; --"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("items/0/valid_until"),
        ),
        (
            Method::PUT,
            format!("{me}/skills"),
            &admin,
            json!({"items": "all"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("items"),
        ),
        (
            Method::PUT,
            "/api/v1/agents/999999/skills".into(),
            &admin,
            json!({"items": []}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            Method::POST,
            "/api/v1/queues".into(),
            &admin,
            json!({"name": "Q", "channels": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("channels"),
        ),
        (
            Method::POST,
            "/api/v1/queues".into(),
            &admin,
            json!({"name": "Q", "channels": ["pigeon"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("channels/0"),
        ),
        (
            Method::POST,
            "/api/v1/queues".into(),
            &admin,
            json!({"name": "Q", "channels": ["email", "email"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("channels/1"),
        ),
        (
            Method::POST,
            "/api/v1/queues".into(),
            &admin,
            json!({"name": "Q", "channels": ["email"], "team_ids": [424242]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("team_ids/0"),
        ),
        (
            Method::POST,
            "/api/v1/queues".into(),
            &admin,
            json!({"name": "Q", "channels": ["email"], "selection": "random"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("selection"),
        ),
        (
            Method::POST,
            "/api/v1/queues".into(),
            &admin,
            json!({"name": "Main", "channels": ["email"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("name"),
        ),
        (
            Method::PATCH,
            queue.clone(),
            &admin,
            json!({"push": "yes"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("push"),
        ),
        (
            Method::PATCH,
            queue.clone(),
            &admin,
            json!({"name": "  "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("name"),
        ),
        (
            Method::PATCH,
            "/api/v1/queues/424242".into(),
            &admin,
            json!({"push": false}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            Method::GET,
            "/api/v1/queues/424242".into(),
            &admin,
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            Method::GET,
            "/api/v1/routing/board".into(),
            &agent.1,
            Value::Null,
            StatusCode::FORBIDDEN,
            None,
        ),
        (
            Method::POST,
            "/api/v1/queues".into(),
            &agent.1,
            json!({"name": "Mine", "channels": ["email"]}),
            StatusCode::FORBIDDEN,
            None,
        ),
        (
            Method::POST,
            "/api/v1/skills".into(),
            &agent.1,
            json!({"name": "Mine", "type": "custom"}),
            StatusCode::FORBIDDEN,
            None,
        ),
    ];
    for (method, path, token, body, status, field) in cases {
        let body = (!body.is_null()).then_some(body);
        let answer = test.call(method.clone(), &path, token, body.clone()).await;
        eprintln!("{method} {path} {body:?}");
        assert_problem(&answer, status, field);
    }
    // A ticket's queue and requirements.
    let base = json!({"subject": "S", "channel": "email", "requester": {"email": "b@customer.example"}, "message": {"body": "B"}});
    let with = |extra: Value| {
        let mut body = base.clone();
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        body
    };
    for (extra, field) in [
        (json!({"queue_id": 424242}), "queue_id"),
        (json!({"queue_id": "main"}), "queue_id"),
        (
            json!({"queue_id": desk.queue, "channel": "chat"}),
            "queue_id",
        ),
        (
            json!({"requirements": [{"skill_id": 424242, "min_proficiency": 1}]}),
            "requirements/0/skill_id",
        ),
        (
            json!({"requirements": [{"skill_id": skill, "min_proficiency": 6}]}),
            "requirements/0/min_proficiency",
        ),
        (
            json!({"requirements": [{"skill_id": skill, "min_proficiency": 1, "relax_after_s": -5}]}),
            "requirements/0/relax_after_s",
        ),
        (
            json!({"requirements": [{"skill_id": skill}]}),
            "requirements/0.min_proficiency",
        ),
    ] {
        let answer = test
            .post("/api/v1/tickets", &admin, with(extra.clone()))
            .await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    let ticket = test.ticket(&admin, with(json!({}))).await["id"]
        .as_i64()
        .unwrap();
    let answer = test
        .patch(
            &format!("/api/v1/tickets/{ticket}"),
            &admin,
            json!({"requirements": [{"skill_id": skill, "min_proficiency": 0}]}),
        )
        .await;
    assert_problem(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("requirements/0/min_proficiency"),
    );
    // Naughty strings as names are stored as given or refused, never a 500.
    let naughty = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.txt"
    ))
    .unwrap_or_default();
    for (n, line) in naughty
        .lines()
        .filter(|l| !l.starts_with('#'))
        .take(200)
        .enumerate()
    {
        let (status, body) = test
            .post(
                "/api/v1/skills",
                &admin,
                json!({"name": format!("{line}{n}"), "type": "custom"}),
            )
            .await;
        assert!(
            status == StatusCode::CREATED || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{line:?}: {status} {body}"
        );
    }
    desk.test.stop().await;
}
