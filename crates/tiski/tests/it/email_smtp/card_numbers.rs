//! Card numbers in mail over SMTP: subject, text, HTML, quoted-printable and base64 parts and
//! text files are stored masked, and so is the raw source; quarantined mail too.

use super::{Smtp, config, mail, mailbox, messages, send, tickets};
use crate::card_numbers::assert_no_pan_stored;
use reqwest::StatusCode;
use serde_json::json;
use tiski_testkit::TestApp;

#[tokio::test]
async fn card_numbers_in_mail_over_smtp_are_never_stored() {
    let test = TestApp::spawn().await;
    let mailbox_id = mailbox(&test, "support@shop.example", json!({})).await;
    let smtp = Smtp::start(&test, config()).await;
    // Text in quoted-printable, HTML in 8 bit, a base64 text part and a base64 text file.
    let raw = "From: Card 4000 0000 0000 0002 Holder <holder@customer.example>\r\n\
        To: support@shop.example\r\n\
        Cc: \"Friend 3566002020360505\" <friend@customer.example>\r\n\
        Subject: Refund to 4111 1111 1111 1111 please\r\n\
        Message-ID: <card-1@customer.example>\r\n\
        Date: Fri, 27 Nov 2026 10:00:00 +0200\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n\
        --outer\r\n\
        Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n\
        --inner\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\
        Content-Transfer-Encoding: quoted-printable\r\n\r\n\
        My Amex is 3782 822463 10005 and my Visa =\r\n\
        4111-1111-=\r\n\
        1111-1111.\r\n\
        --inner\r\n\
        Content-Type: text/html; charset=utf-8\r\n\
        Content-Transfer-Encoding: 8bit\r\n\r\n\
        <p>Mastercard <b>2720 9900 0000 0007</b></p>\r\n\
        --inner--\r\n\
        --outer\r\n\
        Content-Type: text/plain; charset=utf-8; name=\"b64.txt\"\r\n\
        Content-Transfer-Encoding: base64\r\n\
        Content-Disposition: attachment; filename=\"b64.txt\"\r\n\r\n\
        Q2FyZCA1MTA1IDEwNTEgMDUxMCA1MTAwIGluIGJhc2U2NCB0ZXh0\r\n\
        --outer\r\n\
        Content-Type: text/plain; name=\"receipt.txt\"\r\n\
        Content-Disposition: attachment; filename=\"receipt.txt\"\r\n\
        Content-Transfer-Encoding: base64\r\n\r\n\
        UmVjZWlwdCBmb3IgNDI0MiA0MjQyIDQyNDIgNDI0Mg0K\r\n\
        --outer--\r\n";
    let results = send(
        smtp.addr,
        json!([mail(
            "holder@customer.example",
            &["support@shop.example"],
            raw
        )]),
    )
    .await;
    assert_eq!(results[0]["code"], 250, "{results:?}");
    let all = tickets(&test).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["subject"], "Refund to **** **** **** 1111 please");
    let listed = messages(&test, all[0]["id"].as_i64().unwrap()).await;
    let shown = serde_json::to_string(&listed).unwrap();
    assert!(shown.contains("**** ****** *0005"), "{shown}");
    assert!(shown.contains("**** **** **** 0007"), "{shown}");
    assert!(
        !tiski_domain::card::contains_pan(shown.as_bytes()),
        "{shown}"
    );

    // An agent's reply quoting the number goes out as mail built from the masked text.
    let (status, reply) = test
        .post(
            &format!("/api/v1/tickets/{}/messages", all[0]["id"]),
            &test.admin,
            json!({"body": "Refunded to 4111 1111 1111 1111.", "html": "<p>Refunded to <b>4111-1111-1111-1111</b></p>"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert_eq!(reply["email"]["delivery_status"], "queued", "{reply}");

    // Without a usable sender the mail is quarantined: its subject and source are masked.
    let loose = "To: support@shop.example\r\nSubject: JCB 3530111333300000\r\n\
        Message-ID: <card-2@customer.example>\r\n\r\nDiscover 6011-1111-1111-1117\r\n";
    let status = test
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/mailboxes/{mailbox_id}/raw"),
            Some(&test.admin),
        )
        .header("content-type", "message/rfc822")
        .body(loose.as_bytes().to_vec())
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success(), "{status}");
    let (status, quarantined) = test.get("/api/v1/quarantine", &test.admin).await;
    assert_eq!(status, StatusCode::OK, "{quarantined}");
    assert_eq!(quarantined["items"][0]["subject"], "JCB ************0000");

    // Unreadable mail (no headers at all) is kept raw, with its bytes masked.
    let unreadable = "just text, card 5555 5555 5555 4444, no headers\r\n";
    let status = test
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/mailboxes/{mailbox_id}/raw"),
            Some(&test.admin),
        )
        .header("content-type", "message/rfc822")
        .body(unreadable.as_bytes().to_vec())
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success(), "{status}");
    let (_, quarantined) = test.get("/api/v1/quarantine", &test.admin).await;
    let newest = quarantined["items"][0]["id"].as_i64().unwrap();
    let kept = test
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/quarantine/{newest}/raw"),
            Some(&test.admin),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(kept, "just text, card **** **** **** 4444, no headers\r\n");

    assert_no_pan_stored(
        &test,
        &[
            "4111 1111 1111 1111",
            "378282246310005",
            "2720 9900 0000 0007",
            "5105 1051 0510 5100",
            "4242 4242 4242 4242",
            "3530111333300000",
            "6011-1111-1111-1117",
            "4000 0000 0000 0002",
            "5555 5555 5555 4444",
            "3566002020360505",
        ],
    )
    .await;
    smtp.stop().await;
    test.stop().await;
}
