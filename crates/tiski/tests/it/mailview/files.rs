//! Attachments in the timeline: bounded raster images as thumbnails shown inline, PDFs
//! opened in the browser (inline, their own type, sandboxed), everything else a download
//! (attachment, nosniff) whatever type it claims; hostile names escaped.

use super::{fetch, header, messages};
use crate::ui_workspace::{signed_in, staff};
use reqwest::StatusCode;
use serde_json::json;
use tiski_domain::Role;
use tiski_testkit::TestApp;

const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

#[tokio::test]
async fn images_are_thumbnails_pdfs_open_and_the_rest_downloads() {
    let test = TestApp::spawn().await;
    // Public replies need a mailbox that can reach the customer.
    test.default_mailbox().await;
    staff(&test, "files-admin@example.com", "Ada", Role::Admin, &[]).await;
    let ticket = test
        .ticket(&test.admin, json!({"subject": "Files", "requester": {"email": "f@example.com"}, "message": {"body": "files"}}))
        .await["id"]
        .as_i64()
        .unwrap();
    let svg = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=";
    let (status, message) = test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            &test.admin,
            json!({"body": "see files", "attachments": [
                {"filename": "<img src=x onerror=alert(1)>.png", "content_type": "image/png", "content_base64": PNG_BASE64},
                {"filename": "invoice.pdf", "content_type": "application/pdf", "content_base64": "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0Y="},
                {"filename": "drawing.svg", "content_type": "image/svg+xml", "content_base64": svg},
                {"filename": "page.html", "content_type": "text/html", "content_base64": "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="},
                {"filename": "fake.png", "content_type": "image/png; charset=\"><script>", "content_base64": PNG_BASE64}
            ]}),
        )
        .await;
    // A content type with parameters and markup is refused with the field at fault.
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
    assert_eq!(message["field"], "attachments/4/content_type", "{message}");
    let (status, message) = test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            &test.admin,
            json!({"body": "see files", "attachments": [
                {"filename": "<img src=x onerror=alert(1)>.png", "content_type": "image/png", "content_base64": PNG_BASE64},
                {"filename": "invoice.pdf", "content_type": "application/pdf", "content_base64": "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0Y="},
                {"filename": "drawing.svg", "content_type": "image/svg+xml", "content_base64": svg},
                {"filename": "page.html", "content_type": "text/html", "content_base64": "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{message}");
    let ids: Vec<i64> = message["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(messages(&test, ticket).await.len(), 2);
    let browser = signed_in(&test, "files-admin@example.com").await;
    let cookies = browser.cookie_header();
    let page = fetch(&test, &cookies, &format!("/tickets/{ticket}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!(
            "<img class=\"thumb\" src=\"/ui/attachments/{}?view=1\"",
            ids[0]
        )),
        "{page}"
    );
    assert!(page.contains("loading=\"lazy\""));
    assert!(
        !page.contains("<img src=x onerror"),
        "a hostile name is escaped"
    );
    assert!(page.contains(&format!("href=\"/ui/attachments/{}?view=1\" target=\"_blank\" rel=\"noopener\" data-testid=\"attachment-open\"", ids[1])));
    assert!(
        !page.contains(&format!("/ui/attachments/{}?view=1", ids[2])),
        "no thumbnail of an SVG"
    );
    assert!(!page.contains("📎"), "icons are SVG, not emoji");

    let shown = |id: i64| format!("/ui/attachments/{id}?view=1");
    let image = fetch(&test, &cookies, &shown(ids[0])).await;
    assert_eq!(header(&image, "content-type"), "image/png");
    assert!(header(&image, "content-disposition").starts_with("inline; filename=\""));
    assert!(!header(&image, "content-disposition").contains('<'));
    assert!(header(&image, "content-security-policy").contains("sandbox"));
    let pdf = fetch(&test, &cookies, &shown(ids[1])).await;
    assert_eq!(header(&pdf, "content-type"), "application/pdf");
    assert!(header(&pdf, "content-disposition").starts_with("inline"));
    let csp = header(&pdf, "content-security-policy");
    assert!(
        csp.contains("sandbox") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    for id in [ids[2], ids[3]] {
        for path in [shown(id), format!("/ui/attachments/{id}")] {
            let file = fetch(&test, &cookies, &path).await;
            assert_eq!(file.status(), StatusCode::OK);
            assert_eq!(
                header(&file, "content-type"),
                "application/octet-stream",
                "{path}"
            );
            assert!(
                header(&file, "content-disposition").starts_with("attachment"),
                "{path}"
            );
            assert_eq!(header(&file, "x-content-type-options"), "nosniff");
        }
    }
    // The plain download of an image stays a download.
    let download = fetch(&test, &cookies, &format!("/ui/attachments/{}", ids[0])).await;
    assert!(header(&download, "content-disposition").starts_with("attachment"));
    test.stop().await;
}
