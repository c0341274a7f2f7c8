//! Replies that reach the customer: every public reply goes out through the ticket's mailbox,
//! its team's or the default one (a real SMTP sink receives it), or is refused with 422
//! `unreachable_requester` and not stored; delivery state, To/Cc/Bcc, forward, outbound
//! tickets and the undo window (on the app's FakeClock).

mod bad_input;
mod undo;

use crate::email_send::{Sink, free_port, start_sender, stop_sender};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tiski_domain::Role;
use tiski_testkit::TestApp;

/// A mailbox sending through the sink on `port` (with `mode`'s answers), or without a relay.
pub(crate) async fn mailbox(test: &TestApp, address: &str, port: Option<u16>) -> Value {
    let mut body = json!({"address": address, "name": "Desk", "auto_ack": false});
    if let Some(port) = port {
        body["smtp"] = json!({"host": "127.0.0.1", "port": port, "tls": "none"});
    }
    let (status, created) = test.post("/api/v1/mailboxes", &test.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

/// An agent (in a team) and an API ticket from `requester` in that team: (ticket, token).
pub(crate) async fn api_ticket(test: &TestApp, requester: Value) -> (i64, String) {
    let team = test.team(&format!("Team {}", free_port())).await;
    let (_, token) = test.user(Role::Agent, &[team]).await;
    let ticket = test
        .ticket(
            &token,
            json!({"subject": "Where is my order?", "requester": requester, "team_id": team,
                "message": {"body": "It has not arrived."}}),
        )
        .await;
    (ticket["id"].as_i64().unwrap(), token)
}

pub(crate) async fn messages(test: &TestApp, ticket: i64) -> Vec<Value> {
    let (status, page) = test
        .get(&format!("/api/v1/tickets/{ticket}/messages"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

/// Waits until message `id` satisfies `done` (at most 20 s), and answers it.
pub(crate) async fn wait_for(
    test: &TestApp,
    ticket: i64,
    id: i64,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let message = messages(test, ticket)
            .await
            .into_iter()
            .find(|m| m["id"] == id)
            .unwrap_or(Value::Null);
        if done(&message) || Instant::now() > deadline {
            return message;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the sink holds `n` mails.
pub(crate) async fn received(sink: &Sink, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = sink.received();
        if got.len() >= n || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn reply(
    test: &TestApp,
    ticket: i64,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    test.post(&format!("/api/v1/tickets/{ticket}/messages"), token, body)
        .await
}

fn headers_text(mail: &Value) -> String {
    mail["headers"].to_string().to_lowercase()
}

#[tokio::test]
async fn a_reply_on_an_api_ticket_reaches_the_sink_through_the_default_mailbox_with_cc_and_bcc() {
    let port = free_port();
    let sink = Sink::start(port, "accept");
    let test = TestApp::spawn().await;
    let desk = mailbox(&test, "desk@shop.example", Some(port)).await;
    assert_eq!(
        desk["default"], true,
        "the first mailbox is the default: {desk}"
    );
    let (ticket, token) = api_ticket(
        &test,
        json!({"email": "maija@customer.example", "name": "Maija"}),
    )
    .await;

    let (status, sent) = reply(
        &test,
        ticket,
        &token,
        json!({"body": "Your parcel left today.", "cc": ["Boss@Customer.example"], "bcc": ["audit@shop.example"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["delivery"], json!({"state": "queued", "error": null}));
    assert_eq!(
        sent["undo_until"],
        Value::Null,
        "the API holds nothing unless asked"
    );
    assert_eq!(sent["email"]["bcc"], json!(["audit@shop.example"]));
    assert_eq!(sent["email"]["cc"], json!(["boss@customer.example"]));

    let sender = start_sender(&test);
    let id = sent["id"].as_i64().unwrap();
    let done = wait_for(&test, ticket, id, |m| m["delivery"]["state"] == "sent").await;
    assert_eq!(
        done["delivery"],
        json!({"state": "sent", "error": null}),
        "{done}"
    );
    let mails = received(&sink, 1).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(mail["mail_from"], "desk@shop.example");
    let mut rcpt: Vec<String> = serde_json::from_value(mail["rcpt_tos"].clone()).unwrap();
    rcpt.sort();
    assert_eq!(
        rcpt,
        [
            "audit@shop.example",
            "boss@customer.example",
            "maija@customer.example"
        ]
    );
    assert!(
        mail["headers"]["to"]
            .as_str()
            .unwrap()
            .contains("maija@customer.example")
    );
    assert!(
        mail["headers"]["cc"]
            .as_str()
            .unwrap()
            .contains("boss@customer.example")
    );
    assert!(
        !headers_text(mail).contains("audit@shop.example"),
        "a blind copy is in no header: {}",
        mail["headers"]
    );
    assert!(
        mail["headers"]["subject"]
            .as_str()
            .unwrap()
            .contains(&format!("[#{ticket}]"))
    );
    // The copied address joined the ticket's CCs: the next reply copies them by default.
    let (_, next) = reply(
        &test,
        ticket,
        &token,
        json!({"body": "And the tracking code."}),
    )
    .await;
    assert_eq!(
        next["email"]["cc"],
        json!(["boss@customer.example"]),
        "{next}"
    );
    assert_eq!(next["email"]["bcc"], json!([]));
    received(&sink, 2).await;

    // Notes never go out, and show no delivery.
    let (status, note) = reply(
        &test,
        ticket,
        &token,
        json!({"body": "Checked with the warehouse.", "kind": "note"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert_eq!(note["delivery"], Value::Null);
    let first = &messages(&test, ticket).await[0];
    assert_eq!(
        first["delivery"],
        Value::Null,
        "a customer message has no delivery"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(sink.received().len(), 2, "the note sent nothing");
    stop_sender(sender).await;
    test.stop().await;
}

#[tokio::test]
async fn a_team_mailbox_comes_before_the_default_one() {
    let port = free_port();
    let sink = Sink::start(port, "accept");
    let test = TestApp::spawn().await;
    mailbox(&test, "desk@shop.example", None).await;
    let team = test.team("Kettles").await;
    let (_, token) = test.user(Role::Agent, &[team]).await;
    let mut team_box = json!({"address": "kettles@shop.example", "name": "Kettles", "team_id": team, "auto_ack": false,
        "smtp": {"host": "127.0.0.1", "port": port, "tls": "none"}});
    let (status, created) = test
        .post("/api/v1/mailboxes", &test.admin, team_box.take())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["default"], false);
    let ticket = test
        .ticket(&token, json!({"subject": "Lid", "team_id": team, "requester": {"email": "pekka@example.fi"}, "message": {"body": "Lid broke."}}))
        .await["id"]
        .as_i64()
        .unwrap();
    let sender = start_sender(&test);
    let (status, sent) = reply(
        &test,
        ticket,
        &token,
        json!({"body": "A new lid is coming."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let mails = received(&sink, 1).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["mail_from"], "kettles@shop.example");

    // Moving the default: one mailbox is the default at a time.
    let id = created["id"].as_i64().unwrap();
    let (status, moved) = test
        .patch(
            &format!("/api/v1/mailboxes/{id}"),
            &test.admin,
            json!({"default": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    let (_, all) = test.get("/api/v1/mailboxes", &test.admin).await;
    let defaults: Vec<_> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["default"] == true)
        .collect();
    assert_eq!(defaults.len(), 1, "{all}");
    assert_eq!(defaults[0]["id"], id);
    let (status, refused) = test
        .patch(
            &format!("/api/v1/mailboxes/{id}"),
            &test.admin,
            json!({"default": false}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["field"], "default");
    stop_sender(sender).await;
    test.stop().await;
}

#[tokio::test]
async fn a_reply_no_channel_can_deliver_is_refused_and_not_stored() {
    let test = TestApp::spawn().await;
    let (ticket, token) = api_ticket(&test, json!({"email": "maija@customer.example"})).await;
    let before = messages(&test, ticket).await.len();
    let (status, problem) = reply(&test, ticket, &token, json!({"body": "Hello"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["code"], "unreachable_requester");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("No mailbox can send mail"),
        "{problem}"
    );
    assert_eq!(
        messages(&test, ticket).await.len(),
        before,
        "nothing stored"
    );
    let (_, shown) = test.get(&format!("/api/v1/tickets/{ticket}"), &token).await;
    assert_eq!(
        shown["status"], "new",
        "the refused reply changed nothing: {shown}"
    );
    // Notes are never affected.
    let (status, note) = reply(
        &test,
        ticket,
        &token,
        json!({"body": "Call them.", "kind": "note"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{note}");

    // A mailbox, but a customer with only a phone number.
    mailbox(&test, "desk@shop.example", None).await;
    let (phone_ticket, token) =
        api_ticket(&test, json!({"phone": "+358401234567", "name": "Ville"})).await;
    let (status, problem) = reply(&test, phone_ticket, &token, json!({"body": "Hello"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["code"], "unreachable_requester");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("This customer has no email address"),
        "{problem}"
    );
    assert_eq!(messages(&test, phone_ticket).await.len(), 1);
    // Naming the recipient reaches them.
    let (status, sent) = reply(
        &test,
        phone_ticket,
        &token,
        json!({"body": "Hello", "to": ["ville@example.fi"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["email"]["recipients"], json!(["ville@example.fi"]));
    // A customer's own message (a call logged) is never refused.
    let (status, logged) = reply(
        &test,
        phone_ticket,
        &token,
        json!({"body": "He called.", "author": "customer"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{logged}");
    assert_eq!(logged["delivery"], Value::Null);
    test.stop().await;
}

#[tokio::test]
async fn delivery_shows_failed_with_the_relays_answer_and_bounced() {
    let port = free_port();
    let _refusing = Sink::start(port, "refuse");
    let test = TestApp::spawn().await;
    let desk = mailbox(&test, "desk@shop.example", Some(port)).await;
    let (ticket, token) = api_ticket(&test, json!({"email": "maija@customer.example"})).await;
    let sender = start_sender(&test);
    let (_, sent) = reply(&test, ticket, &token, json!({"body": "Hello"})).await;
    let id = sent["id"].as_i64().unwrap();
    let failed = wait_for(&test, ticket, id, |m| m["delivery"]["state"] == "failed").await;
    assert_eq!(failed["delivery"]["state"], "failed", "{failed}");
    let error = failed["delivery"]["error"].as_str().unwrap();
    assert!(
        error.starts_with("550") && error.contains("Recipient address rejected"),
        "{error}"
    );
    stop_sender(sender).await;

    // A delivery report for a reply marks it bounced, with the report as its error.
    let (_, second) = reply(&test, ticket, &token, json!({"body": "Second try"})).await;
    let rfc_id = second["email"]["message_id"].as_str().unwrap().to_string();
    let dsn = format!(
        "From: MAILER-DAEMON@mx.customer.example\r\nTo: desk@shop.example\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn1@mx.customer.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.customer.example\r\n\r\nFinal-Recipient: rfc822; maija@customer.example\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{rfc_id}>\r\nSubject: Re: Where is my order?\r\n--B--\r\n"
    );
    test.app
        .email
        .ingest_email(
            &tiski_kernel::Actor::system(),
            desk["id"].as_i64().unwrap(),
            dsn.into_bytes(),
            tiski_email::EmailSource::Api,
        )
        .await
        .unwrap();
    let bounced = wait_for(&test, ticket, second["id"].as_i64().unwrap(), |m| {
        m["delivery"]["state"] == "bounced"
    })
    .await;
    assert_eq!(bounced["delivery"]["state"], "bounced", "{bounced}");
    assert!(
        !bounced["delivery"]["error"]
            .as_str()
            .unwrap_or("")
            .is_empty(),
        "{bounced}"
    );
    test.stop().await;
}

#[tokio::test]
async fn a_forward_arrives_and_is_recorded_as_a_note() {
    let port = free_port();
    let sink = Sink::start(port, "accept");
    let test = TestApp::spawn().await;
    mailbox(&test, "desk@shop.example", Some(port)).await;
    let (ticket, token) = api_ticket(&test, json!({"email": "maija@customer.example"})).await;
    let first = messages(&test, ticket).await[0]["id"].as_i64().unwrap();
    let sender = start_sender(&test);
    let (status, note) = test
        .post(
            &format!("/api/v1/tickets/{ticket}/forward"),
            &token,
            json!({"to": ["warehouse@partner.example"], "message_id": first, "note": "Can you check this one?"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert_eq!(note["kind"], "note");
    assert!(
        note["body"]
            .as_str()
            .unwrap()
            .contains("warehouse@partner.example"),
        "{note}"
    );
    let done = wait_for(&test, ticket, note["id"].as_i64().unwrap(), |m| {
        m["delivery"]["state"] == "sent"
    })
    .await;
    assert_eq!(done["delivery"]["state"], "sent", "{done}");
    let mails = received(&sink, 1).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail["rcpt_tos"], json!(["warehouse@partner.example"]));
    assert!(
        mail["headers"]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Fwd: Where is my order?")
    );
    let text = mail["parts"].to_string();
    assert!(
        text.contains("It has not arrived.") && text.contains("Can you check this one?"),
        "{text}"
    );
    assert!(
        !headers_text(mail).contains("maija@customer.example"),
        "the customer is not told"
    );

    // The whole conversation, without internal notes.
    reply(
        &test,
        ticket,
        &token,
        json!({"body": "Secret internal remark", "kind": "note"}),
    )
    .await;
    let (status, _) = test
        .post(
            &format!("/api/v1/tickets/{ticket}/forward"),
            &token,
            json!({"to": ["boss@partner.example"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let mails = received(&sink, 2).await;
    assert_eq!(mails.len(), 2);
    let text = mails[1]["parts"].to_string();
    assert!(text.contains("It has not arrived."), "{text}");
    assert!(!text.contains("Secret internal remark"), "{text}");
    stop_sender(sender).await;
    test.stop().await;
}

#[tokio::test]
async fn an_outbound_email_opens_a_ticket_or_is_refused() {
    let port = free_port();
    let sink = Sink::start(port, "accept");
    let test = TestApp::spawn().await;
    let team = test.team("Sales").await;
    let (_, token) = test.user(Role::Agent, &[team]).await;
    let outbound = json!({"subject": "Your quote", "channel": "email", "team_id": team,
        "requester": {"email": "lead@prospect.example", "name": "Lead"},
        "message": {"author": "agent", "kind": "reply", "body": "Here is the quote you asked for.", "cc": ["cfo@prospect.example"]}});
    let (status, problem) = test.post("/api/v1/tickets", &token, outbound.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["code"], "unreachable_requester");
    let (_, list) = test.get("/api/v1/tickets", &test.admin).await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "no ticket was opened: {list}"
    );

    mailbox(&test, "sales@shop.example", Some(port)).await;
    let sender = start_sender(&test);
    let (status, ticket) = test.post("/api/v1/tickets", &token, outbound).await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    let mails = received(&sink, 1).await;
    assert_eq!(mails.len(), 1);
    let mut rcpt: Vec<String> = serde_json::from_value(mails[0]["rcpt_tos"].clone()).unwrap();
    rcpt.sort();
    assert_eq!(rcpt, ["cfo@prospect.example", "lead@prospect.example"]);
    assert!(mails[0]["parts"].to_string().contains("Here is the quote"));
    let id = ticket["id"].as_i64().unwrap();
    let first = messages(&test, id).await[0].clone();
    let done = wait_for(&test, id, first["id"].as_i64().unwrap(), |m| {
        m["delivery"]["state"] == "sent"
    })
    .await;
    assert_eq!(done["delivery"]["state"], "sent", "{done}");
    stop_sender(sender).await;
    test.stop().await;
}
