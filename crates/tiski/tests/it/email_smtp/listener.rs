//! Mail in through the listener: tickets and replies, recipients, sizes, and failed ingests.

use super::{
    PAUSED, Smtp, config, customer_messages, mail, mailbox, message, messages, python, send,
    tickets,
};
use reqwest::StatusCode;
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use tiski_channels::SmtpListenerConfig;
use tiski_testkit::TestApp;

#[tokio::test]
async fn mail_over_smtp_opens_a_ticket_and_a_reply_joins_it() {
    let test = TestApp::spawn().await;
    let mailbox = mailbox(&test, "support@shop.example", json!({})).await;
    let smtp = Smtp::start(&test, config()).await;

    let first = message(
        "Maija Meikäläinen <maija@customer.example>",
        "Support <support@shop.example>",
        "Where is my order?",
        "order-1@customer.example",
        "",
        "Hello,\r\nmy order 4711 has not arrived.\r\n.A line that starts with a dot.\r\n..and one with two.\r\nMaija",
    );
    let results = send(
        smtp.addr,
        json!([mail(
            "maija@customer.example",
            &["Support@Shop.Example"],
            &first
        )]),
    )
    .await;
    assert_eq!(results[0]["code"], 250, "{results:?}");
    let all = tickets(&test).await;
    assert_eq!(all.len(), 1, "{all:?}");
    let ticket = all[0]["id"].as_i64().unwrap();
    assert_eq!(all[0]["subject"], "Where is my order?");
    assert_eq!(all[0]["channel"], "email");
    assert_eq!(all[0]["mailbox_id"], mailbox);
    let body = customer_messages(&messages(&test, ticket).await)[0]["body"]
        .as_str()
        .unwrap()
        .replace("\r\n", "\n");
    assert!(
        body.contains("\n.A line that starts with a dot.\n..and one with two."),
        "dot-stuffing is undone exactly once: {body:?}"
    );

    // A reply that names the first message joins its ticket; a retry of the first message
    // (same Message-ID) is accepted and changes nothing.
    let reply = message(
        "Maija Meikäläinen <maija@customer.example>",
        "support@shop.example",
        "Re: Where is my order?",
        "order-2@customer.example",
        "In-Reply-To: <order-1@customer.example>\r\nReferences: <order-1@customer.example>\r\n",
        "Any news?",
    );
    let results = send(
        smtp.addr,
        json!([
            mail("maija@customer.example", &["support@shop.example"], &reply),
            mail("maija@customer.example", &["support@shop.example"], &first),
        ]),
    )
    .await;
    assert_eq!(results[0]["code"], 250, "{results:?}");
    assert_eq!(results[1]["code"], 250, "{results:?}");
    assert_eq!(tickets(&test).await.len(), 1);
    let from_customer = customer_messages(&messages(&test, ticket).await)
        .into_iter()
        .map(|m| m["body"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(from_customer.len(), 2, "{from_customer:?}");
    assert!(from_customer[1].contains("Any news?"));

    smtp.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn unknown_recipients_are_refused_and_each_mailbox_gets_one_copy() {
    let test = TestApp::spawn().await;
    let support = mailbox(&test, "support@shop.example", json!({})).await;
    let sales = mailbox(&test, "sales@shop.example", json!({})).await;
    let inactive = mailbox(&test, "old@shop.example", json!({})).await;
    let (status, body) = test
        .patch(
            &format!("/api/v1/mailboxes/{inactive}"),
            &test.admin,
            json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let smtp = Smtp::start(&test, config()).await;

    let lost = message(
        "a@customer.example",
        "nobody@shop.example",
        "Lost",
        "lost@customer.example",
        "",
        "Hello?",
    );
    let both = message(
        "b@customer.example",
        "support@shop.example, sales@shop.example",
        "For both",
        "both@customer.example",
        "",
        "Hello both.",
    );
    let results = send(
        smtp.addr,
        json!([
            mail("a@customer.example", &["nobody@shop.example"], &lost),
            mail("a@customer.example", &["old@shop.example"], &lost),
            mail(
                "b@customer.example",
                &[
                    "support@shop.example",
                    "nobody@shop.example",
                    "sales@shop.example",
                    "SUPPORT@shop.example"
                ],
                &both
            ),
        ]),
    )
    .await;
    assert_eq!(results[0]["stage"], "rcpt", "{results:?}");
    assert_eq!(results[0]["refused"]["nobody@shop.example"], 550);
    assert_eq!(
        results[1]["refused"]["old@shop.example"], 550,
        "an inactive mailbox takes no mail"
    );
    assert_eq!(results[2]["code"], 250, "{results:?}");
    assert_eq!(
        results[2]["refused"],
        json!({"nobody@shop.example": 550}),
        "{results:?}"
    );
    let all = tickets(&test).await;
    let mut by_mailbox: Vec<i64> = all
        .iter()
        .map(|t| t["mailbox_id"].as_i64().unwrap())
        .collect();
    by_mailbox.sort_unstable();
    assert_eq!(
        by_mailbox,
        vec![support, sales],
        "one ticket in each mailbox and none for the refused: {all:?}"
    );

    smtp.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn oversized_messages_are_refused_with_552() {
    let test = TestApp::spawn().await;
    mailbox(&test, "support@shop.example", json!({})).await;
    let smtp = Smtp::start(
        &test,
        SmtpListenerConfig {
            max_message_bytes: Some(10_000),
            ..config()
        },
    )
    .await;
    let big = message(
        "a@customer.example",
        "support@shop.example",
        "Big",
        "big@customer.example",
        "",
        &"All work and no play makes Jack a dull boy.\r\n".repeat(400),
    );
    let small = message(
        "a@customer.example",
        "support@shop.example",
        "Small",
        "small@customer.example",
        "",
        "Just a line.",
    );
    let mut without_size = mail("a@customer.example", &["support@shop.example"], &big);
    without_size["size"] = json!(false);
    let results = send(
        smtp.addr,
        json!([
            mail("a@customer.example", &["support@shop.example"], &big),
            without_size,
            mail("a@customer.example", &["support@shop.example"], &small),
        ]),
    )
    .await;
    assert_eq!(
        results[0]["code"], 552,
        "refused at MAIL FROM SIZE=: {results:?}"
    );
    assert_eq!(results[0]["stage"], "mail");
    assert_eq!(results[1]["code"], 552, "refused after DATA: {results:?}");
    assert_eq!(results[1]["stage"], "data");
    assert_eq!(
        results[2]["code"], 250,
        "the connection goes on: {results:?}"
    );
    let all = tickets(&test).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["subject"], "Small");

    smtp.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn a_failed_ingest_answers_451_and_the_retry_is_stored_once() {
    let test = TestApp::spawn().await;
    let mailbox = mailbox(&test, "support@shop.example", json!({})).await;
    let smtp = Smtp::start(&test, config()).await;
    let raw = message(
        "a@customer.example",
        "support@shop.example",
        "Try again",
        "retry@customer.example",
        "",
        "Please keep this.",
    );
    let addr = smtp.addr;
    let line = raw.replace("\r\n", "\\r\\n");
    let mut child = python(
        PAUSED,
        &[
            addr.ip().to_string(),
            addr.port().to_string(),
            "a@customer.example".into(),
            "support@shop.example".into(),
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    writeln!(stdin, "{line}").unwrap();
    let rcpt = tokio::task::spawn_blocking(move || {
        let mut text = String::new();
        stdout.read_line(&mut text).unwrap();
        (text, stdout)
    })
    .await
    .unwrap();
    let (rcpt_line, mut stdout) = rcpt;
    assert_eq!(rcpt_line.trim(), "RCPT 250");
    // The mailbox goes away between RCPT and the end of DATA: storing fails, 451.
    let (status, body) = test
        .patch(
            &format!("/api/v1/mailboxes/{mailbox}"),
            &test.admin,
            json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    writeln!(stdin, "go").unwrap();
    let data = tokio::task::spawn_blocking(move || {
        let mut text = String::new();
        stdout.read_line(&mut text).unwrap();
        text
    })
    .await
    .unwrap();
    assert!(data.starts_with("DATA 451 4.3.0"), "{data}");
    // Wait off the runtime: the listener must go on to answer the client's QUIT.
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success());
    assert!(tickets(&test).await.is_empty());

    // Back in service, the client's retries are stored once.
    test.patch(
        &format!("/api/v1/mailboxes/{mailbox}"),
        &test.admin,
        json!({"active": true}),
    )
    .await;
    let retry = mail("a@customer.example", &["support@shop.example"], &raw);
    let results = send(addr, json!([retry.clone(), retry])).await;
    assert_eq!(results[0]["code"], 250, "{results:?}");
    assert_eq!(results[1]["code"], 250, "{results:?}");
    assert_eq!(tickets(&test).await.len(), 1);

    smtp.stop().await;
    test.stop().await;
}
