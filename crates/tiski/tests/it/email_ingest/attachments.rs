//! Attachments, CC, and who may post raw mail.

use super::{mailbox, messages, post_raw};
use reqwest::{Method, StatusCode};
use serde_json::json;
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

#[tokio::test]
async fn attachments_cc_and_permissions() {
    let test = TestApp::spawn().await;
    let (mailbox, team) = mailbox(&test, "orders@shop.example").await;
    let raw = "From: Juan <juan@example.ph>\r\nTo: orders@shop.example\r\nCc: Maria <maria@example.ph>, orders@shop.example\r\nSubject: Order form\r\nMessage-ID: <att1@example.ph>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"X\"\r\n\r\n--X\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMagandang araw po, narito ang order form.\r\n--X\r\nContent-Type: application/pdf; name=\"order.pdf\"\r\nContent-Disposition: attachment; filename=\"order.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfs\r\n--X--\r\n";
    let ticket = post_raw(&test, mailbox, raw).await.1["ticket_id"]
        .as_i64()
        .unwrap();
    let first = messages(&test, ticket).await.remove(0);
    let attachment = &first["attachments"][0];
    assert_eq!(attachment["filename"], "order.pdf");
    let url = format!("/api/v1/attachments/{}", attachment["id"]);
    let download = test
        .request(Method::GET, &url, Some(&test.admin))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(&download.bytes().await.unwrap()[..], b"%PDF-1.4\n%\xc7\xec");

    // The CC'd customer gets the agent's reply too; our own address is not a CC.
    let (_, reply) = test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            &test.admin,
            json!({"body": "Salamat po!"}),
        )
        .await;
    let ours = messages(&test, ticket)
        .await
        .into_iter()
        .find(|m| m["id"] == reply["id"])
        .unwrap();
    assert_eq!(
        ours["email"]["recipients"],
        json!(["juan@example.ph", "maria@example.ph"])
    );

    // An agent's reply carries files: stored, listed, and sent with the mail.
    let (status, with_file) = test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            &test.admin,
            json!({"body": "Here is the invoice.", "attachments": [{"filename": "invoice.txt", "content_type": "text/plain", "content_base64": "TGFza3UgMTIzNA=="}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{with_file}");
    assert_eq!(with_file["attachments"][0]["filename"], "invoice.txt");
    assert_eq!(with_file["email"]["delivery_status"], "queued");
    let sent_file = test
        .request(
            Method::GET,
            &format!("/api/v1/attachments/{}", with_file["attachments"][0]["id"]),
            Some(&test.admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(&sent_file.bytes().await.unwrap()[..], b"Lasku 1234");
    for (bad, field) in [
        (
            json!({"filename": "a.txt", "content_base64": "not base64!"}),
            "attachments/0/content_base64",
        ),
        (
            json!({"filename": "../etc/passwd", "content_base64": "AA=="}),
            "attachments/0/filename",
        ),
        (
            json!({"filename": "a.bin", "content_type": "no-slash", "content_base64": "AA=="}),
            "attachments/0/content_type",
        ),
    ] {
        let answer = test
            .post(
                &format!("/api/v1/tickets/{ticket}/messages"),
                &test.admin,
                json!({"body": "x", "attachments": [bad]}),
            )
            .await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }

    // Someone who may not see the ticket may not download its files.
    let other_team = test.team("Elsewhere").await;
    let (_, outsider) = test.user(Role::Agent, &[other_team]).await;
    let (_, insider) = test.user(Role::Agent, &[team]).await;
    assert_eq!(
        test.request(Method::GET, &url, Some(&outsider))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        test.request(Method::GET, &url, Some(&insider))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // Mailboxes, raw mail and the quarantine are for admins.
    assert_eq!(
        test.get("/api/v1/mailboxes", &insider).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_raw_as(&test, mailbox, &insider).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        test.get("/api/v1/quarantine", &insider).await.0,
        StatusCode::FORBIDDEN
    );
    test.stop().await;
}

async fn post_raw_as(test: &TestApp, mailbox: i64, token: &str) -> StatusCode {
    test.request(
        Method::POST,
        &format!("/api/v1/mailboxes/{mailbox}/raw"),
        Some(token),
    )
    .body("From: a@b.example\r\n\r\nx")
    .send()
    .await
    .unwrap()
    .status()
}
