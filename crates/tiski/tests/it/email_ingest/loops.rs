//! Mail loops, auto-replies, bounces and unreadable mail.

use super::{mailbox, message, messages, post_raw};
use reqwest::{Method, StatusCode};
use serde_json::json;
use tiski_testkit::TestApp;

#[tokio::test]
async fn loops_bounces_and_unreadable_mail() {
    let test = TestApp::spawn().await;
    let (mailbox, _) = mailbox(&test, "service@shop.example").await;
    let first = message(
        "Rūta <ruta@example.lt>",
        "service@shop.example",
        "Sąskaita",
        "r1@example.lt",
        "",
        "Laba diena, negavau sąskaitos už užsakymą.",
    );
    let ticket = post_raw(&test, mailbox, &first).await.1["ticket_id"]
        .as_i64()
        .unwrap();
    let before = messages(&test, ticket).await;
    let ack = before
        .iter()
        .find(|m| m["author_kind"] == "system")
        .expect("an acknowledgement");
    let ack_id = ack["email"]["message_id"].as_str().unwrap().to_string();

    // An out-of-office answer to our acknowledgement joins the ticket but sends nothing back.
    let ooo = message(
        "ruta@example.lt",
        "service@shop.example",
        "Automatic reply: We have received your message",
        "r2@example.lt",
        &format!("Auto-Submitted: auto-replied\r\nIn-Reply-To: <{ack_id}>\r\n"),
        "I am out of the office until Monday.",
    );
    assert_eq!(post_raw(&test, mailbox, &ooo).await.1["outcome"], "added");
    let after = messages(&test, ticket).await;
    assert_eq!(
        after
            .iter()
            .filter(|m| m["author_kind"] == "system")
            .count(),
        1,
        "no second acknowledgement"
    );

    // A new ticket from an auto-responder is not acknowledged either.
    let robot = message(
        "noreply@vendor.example",
        "service@shop.example",
        "Out of Office",
        "o1@vendor.example",
        "Auto-Submitted: auto-replied\r\n",
        "Away.",
    );
    let robot_ticket = post_raw(&test, mailbox, &robot).await.1["ticket_id"]
        .as_i64()
        .unwrap();
    assert!(
        messages(&test, robot_ticket)
            .await
            .iter()
            .all(|m| m["author_kind"] != "system")
    );

    // Mail from our own address is never a customer message.
    let own = message(
        "service@shop.example",
        "service@shop.example",
        "Loop?",
        "l1@shop.example",
        "",
        "Echo.",
    );
    let looped = post_raw(&test, mailbox, &own).await.1;
    assert_eq!(looped["outcome"], "quarantined", "{looped}");

    // A delivery status notification marks our acknowledgement bounced.
    let dsn = format!(
        "From: MAILER-DAEMON@mx.example.lt\r\nTo: service@shop.example\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn1@mx.example.lt>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.lt\r\n\r\nFinal-Recipient: rfc822; ruta@example.lt\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{ack_id}>\r\nSubject: We have received your message\r\n--B--\r\n"
    );
    let bounce = post_raw(&test, mailbox, &dsn).await.1;
    assert_eq!(bounce, json!({"outcome": "bounce", "ticket_id": ticket}));
    let ack_after = messages(&test, ticket)
        .await
        .into_iter()
        .find(|m| m["author_kind"] == "system")
        .unwrap();
    assert_eq!(ack_after["email"]["delivery_status"], "bounced");
    assert!(
        ack_after["email"]["delivery_detail"]
            .as_str()
            .unwrap()
            .contains("5.1.1")
    );

    // Mail without a sender is kept raw, with the reason, and can be downloaded.
    let headless = "Subject: no sender\r\n\r\nwho am I\r\n";
    let kept = post_raw(&test, mailbox, headless).await.1;
    assert_eq!(kept["outcome"], "quarantined");
    let (status, list) = test.get("/api/v1/quarantine", &test.admin).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list["items"].as_array().unwrap().len() >= 2);
    let raw = test
        .request(
            Method::GET,
            &format!("/api/v1/quarantine/{}/raw", kept["quarantine_id"]),
            Some(&test.admin),
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&raw[..], headless.as_bytes(), "kept byte for byte");
    test.stop().await;
}
