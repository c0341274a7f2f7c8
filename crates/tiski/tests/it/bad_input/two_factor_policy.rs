//! Hostile role names for the two-factor policy: every naughty string as a role answers 422
//! naming `required_roles`, never 5xx, and the stored policy stays as it was.

use super::privacy::payloads;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tiski_testkit::TestApp;

#[tokio::test]
async fn hostile_role_names_are_refused_naming_the_field() {
    let test = TestApp::spawn().await;
    let path = "/api/v1/two-factor/policy";
    let (status, _) = test
        .call(
            Method::PUT,
            path,
            &test.admin,
            Some(json!({"required_roles": ["supervisor"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut wrong = Vec::new();
    for payload in payloads() {
        if ["agent", "supervisor", "admin"].contains(&payload.as_str()) {
            continue;
        }
        let (status, body) = test
            .call(
                Method::PUT,
                path,
                &test.admin,
                Some(json!({"required_roles": ["agent", payload]})),
            )
            .await;
        if !(status == StatusCode::UNPROCESSABLE_ENTITY && body["field"] == "required_roles") {
            wrong.push(format!("{payload:?}: {status} {body}"));
        }
    }
    assert!(wrong.is_empty(), "{} answers: {wrong:#?}", wrong.len());
    let (status, policy) = test.call(Method::GET, path, &test.admin, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(policy["required_roles"], json!(["supervisor"]), "unchanged");
    test.stop().await;
}
