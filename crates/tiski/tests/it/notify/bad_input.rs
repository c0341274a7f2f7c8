//! Bad input to the notification routes: clear problems naming the field, nothing changed.

use super::Desk;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tiski_testkit::assert_problem;

#[tokio::test]
async fn bad_requests_are_refused_with_the_field() {
    let desk = Desk::new().await;
    let test = &desk.test;
    let (a, token) = &desk.a;
    let (c, _) = &desk.c;
    let read = |body| test.post("/api/v1/notifications/read", token, body);
    assert_problem(
        &read(json!({"ids": "1,2"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("ids"),
    );
    assert_problem(
        &read(json!({"ids": [1, "x"]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("ids/1"),
    );
    assert_problem(
        &read(json!({"ids": []})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("ids"),
    );
    let huge: Vec<i64> = (1..=201).collect();
    assert_problem(
        &read(json!({"ids": huge})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("ids"),
    );
    assert_problem(
        &read(json!({"ids": [0]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("ids/0"),
    );
    assert_problem(
        &read(json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("ids"),
    );
    assert_problem(
        &read(json!({"ids": [1], "all": true})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("all"),
    );
    assert_problem(
        &read(json!({"every": true})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
    );
    assert_problem(
        &read(json!([1, 2])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
    );

    let put = |body| {
        test.call(
            Method::PUT,
            "/api/v1/notifications/preferences",
            token,
            Some(body),
        )
    };
    assert_problem(
        &put(json!({"preferences": [{"kind": "sms", "in_app": true, "browser": true}]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("preferences/0.kind"),
    );
    let twice = json!({"kind": "assigned", "in_app": true, "browser": true});
    assert_problem(
        &put(json!({"preferences": [twice, twice]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("preferences/1/kind"),
    );
    assert_problem(
        &put(json!({"preferences": [{"kind": "assigned", "in_app": "yes", "browser": true}]}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("preferences/0.in_app"),
    );
    assert_problem(
        &put(json!({"preferences": [{"kind": "assigned", "in_app": true, "browser": true, "email": "\u{0000}"}]}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("preferences/0.email"),
    );
    assert_problem(
        &test.get("/api/v1/notifications?limit=0", token).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("limit"),
    );
    assert_problem(
        &test
            .get("/api/v1/notifications?cursor=nonsense", token)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("cursor"),
    );

    let help_path = format!("/api/v1/tickets/{}/help", desk.ticket);
    let help = |body| test.post(&help_path, token, body);
    assert_problem(
        &help(json!({"colleague_id": a, "request": "Me?"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("colleague_id"),
    );
    assert_problem(
        &help(json!({"colleague_id": c, "request": "Can't see it"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("colleague_id"),
    );
    assert_problem(
        &help(json!({"colleague_id": desk.b.0, "request": "   "})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("request"),
    );
    assert_problem(
        &help(json!({"colleague_id": desk.b.0, "request": "x".repeat(2001)})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("request"),
    );
    assert_problem(
        &help(json!({"colleague_id": "b", "request": "x"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("colleague_id"),
    );
    // Nothing of that was stored.
    let (_, messages) = test
        .get(
            &format!("/api/v1/tickets/{}/messages", desk.ticket),
            &test.admin,
        )
        .await;
    assert_eq!(messages["items"].as_array().unwrap().len(), 1, "{messages}");
}
