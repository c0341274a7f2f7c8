//! Tags with spaces are separate tags (as in Zendesk), by one rule in the API and the
//! workspace; a refused tag says what is wrong with it rather than naming a field.

use crate::ui_workspace::{signed_in, staff};
use reqwest::StatusCode;
use serde_json::json;
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn spaces_separate_tags_and_refusals_say_why() {
    let test = TestApp::spawn().await;
    staff(&test, "tags-admin@example.com", "Ada", Role::Admin, &[]).await;
    let ticket = test
        .ticket(&test.admin, json!({"subject": "Tags", "requester": {"email": "t@example.com"}, "message": {"body": "x"}, "tags": ["Gold Customer"]}))
        .await;
    assert_eq!(ticket["tags"], json!(["customer", "gold"]));
    let id = ticket["id"].as_i64().unwrap();
    let path = format!("/api/v1/tickets/{id}");
    let (status, patched) = test
        .patch(
            &path,
            &test.admin,
            json!({"add_tags": ["vip refund", "VIP"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(
        patched["tags"],
        json!(["customer", "gold", "refund", "vip"])
    );
    let (status, problem) = test
        .patch(
            &path,
            &test.admin,
            json!({"add_tags": ["ok", "fine no!pe"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "add_tags/1", "{problem}");
    let detail = problem.to_string();
    assert!(
        detail.contains("no!pe") && detail.contains("'!'"),
        "{problem}"
    );
    let long = "x".repeat(70);
    let (_, problem) = test
        .patch(&path, &test.admin, json!({"add_tags": [long]}))
        .await;
    assert!(problem.to_string().contains("70 characters"), "{problem}");

    // The workspace: the same split, and the refusal in the reader's words.
    let mut browser = signed_in(&test, "tags-admin@example.com").await;
    let page = browser.get(&format!("/tickets/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let answer = browser
        .post(
            &format!("/ui/tickets/{id}/update"),
            &[("add_tag", "late  delivery")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let (_, now) = test.get(&path, &test.admin).await;
    assert!(
        now["tags"].as_array().unwrap().contains(&json!("late"))
            && now["tags"].as_array().unwrap().contains(&json!("delivery")),
        "{now}"
    );
    let answer = browser
        .post(
            &format!("/ui/tickets/{id}/update"),
            &[("add_tag", "fine wh@t")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.body.contains("wh@t") && answer.body.contains("contains @"),
        "{}",
        answer.body
    );
    assert!(!answer.body.contains("add_tags/"), "{}", answer.body);
    let answer = browser
        .post(
            &format!("/ui/tickets/{id}/update"),
            &[("add_tag", &"y".repeat(65))],
        )
        .await;
    assert!(answer.body.contains("65 characters"), "{}", answer.body);
    // The bulk bar: the same rule, and the same words.
    let answer = browser
        .post(
            "/ui/inbox/bulk",
            &[
                ("ids", &id.to_string()),
                ("action", "tag"),
                ("tag", "a+b"),
                ("view", "all"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.body.contains("a+b") && answer.body.contains("contains +"),
        "{}",
        answer.body
    );
    let answer = browser
        .post(
            "/ui/inbox/bulk",
            &[
                ("ids", &id.to_string()),
                ("action", "tag"),
                ("tag", "two words"),
                ("view", "all"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let (_, now) = test.get(&path, &test.admin).await;
    assert!(
        now["tags"].as_array().unwrap().contains(&json!("words")),
        "{now}"
    );
    test.stop().await;
}
