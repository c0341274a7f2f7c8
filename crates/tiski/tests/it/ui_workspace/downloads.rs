//! Files downloaded through the workspace keep their own sandboxing policy: the page guard
//! adds the page headers around them but does not replace the download's CSP.

use super::{signed_in, staff};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, COOKIE};
use serde_json::json;
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn a_download_in_the_workspace_is_sandboxed() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    staff(&test, "dl-admin@example.com", "Dana", Role::Admin, &[]).await;
    let browser = signed_in(&test, "dl-admin@example.com").await;
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "A page", "requester": {"email": "html@example.com"},
                "message": {"body": "see the file"}}),
        )
        .await;
    // An HTML file with a script: it must never run as a page of this site.
    let (status, message) = test
        .post(
            &format!("/api/v1/tickets/{}/messages", ticket["id"]),
            &test.admin,
            json!({"body": "file", "attachments": [{"filename": "page.html", "content_type": "text/html",
                "content_base64": "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{message}");
    let id = message["attachments"][0]["id"].as_i64().unwrap();
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("{}/ui/attachments/{id}", test.url))
        .header(COOKIE, browser.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let csp = response
        .headers()
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(csp.contains("sandbox"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(
        response
            .headers()
            .get(CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment")),
        "{:?}",
        response.headers()
    );
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    test.stop().await;
}
