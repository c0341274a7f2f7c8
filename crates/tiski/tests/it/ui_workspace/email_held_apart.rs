//! The ticket page of mail that named a ticket its sender is not on: it says so and links to
//! the ticket it named.

use super::{signed_in, staff};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::TestApp;

async fn post_raw(test: &TestApp, mailbox: i64, raw: String) -> Value {
    let response = test
        .request(
            Method::POST,
            &format!("/api/v1/mailboxes/{mailbox}/raw"),
            Some(&test.admin),
        )
        .header("content-type", "message/rfc822")
        .body(raw.into_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

fn raw(from: &str, id: &str, extra: &str) -> String {
    format!(
        "From: {from}\r\nTo: help@shop.example\r\nSubject: Order\r\nMessage-ID: <{id}>\r\n{extra}Content-Type: text/plain\r\n\r\nHello.\r\n"
    )
}

#[tokio::test]
async fn the_ticket_page_shows_mail_that_referenced_another_ticket() {
    let test = TestApp::spawn().await;
    let team = test.team("Shop").await;
    let (_, mailbox) = test
        .post(
            "/api/v1/mailboxes",
            &test.admin,
            json!({"address": "help@shop.example", "name": "Shop", "team_id": team, "auto_ack": false}),
        )
        .await;
    let mailbox = mailbox["id"].as_i64().unwrap();
    let victim = post_raw(&test, mailbox, raw("ann@example.com", "a1@example.com", "")).await;
    let victim = victim["ticket_id"].as_i64().unwrap();
    let theirs = post_raw(
        &test,
        mailbox,
        raw(
            "eve@example.net",
            "e1@example.net",
            "In-Reply-To: <a1@example.com>\r\n",
        ),
    )
    .await;
    assert_eq!(theirs["outcome"], "created", "{theirs}");
    assert_eq!(theirs["referenced_ticket_id"], victim, "{theirs}");
    let theirs = theirs["ticket_id"].as_i64().unwrap();

    staff(&test, "lead@shop.example", "Lea", Role::Supervisor, &[team]).await;
    let mut browser = signed_in(&test, "lead@shop.example").await;
    let page = browser.get(&format!("/tickets/{theirs}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("data-testid=\"referenced-elsewhere\"")
            && page.body.contains(&format!("href=\"/tickets/{victim}\"")),
        "{}",
        page.body
    );
    let victims = browser.get(&format!("/tickets/{victim}")).await;
    assert!(!victims.body.contains("referenced-elsewhere"));
    test.stop().await;
}
