//! Undo send: a reply asked to wait (`"undo_window": true`) sits in the outbox until the
//! window ends on the app's clock; taking it back within the window sends nothing, after it
//! answers 409; the sender only sends it once the clock has passed the window.

use super::{api_ticket, mailbox, messages, received, reply, wait_for};
use crate::email_send::{Sink, free_port, start_sender, stop_sender};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

#[tokio::test]
async fn undo_within_the_window_sends_nothing_and_after_it_answers_409() {
    let port = free_port();
    let sink = Sink::start(port, "accept");
    let test = TestApp::spawn().await;
    assert_eq!(
        test.app.settings().undo_send_window,
        Duration::from_secs(10)
    );
    mailbox(&test, "desk@shop.example", Some(port)).await;
    let (ticket, token) = api_ticket(&test, json!({"email": "maija@customer.example"})).await;
    let sender = start_sender(&test);

    let (status, held) = reply(
        &test,
        ticket,
        &token,
        json!({"body": "Oops, wrong customer.", "undo_window": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{held}");
    assert_eq!(held["delivery"]["state"], "queued");
    assert!(held["undo_until"].is_string(), "{held}");
    let id = held["id"].as_i64().unwrap();
    // The sender runs, but the window has not passed on the app's clock.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(sink.received().is_empty(), "held: nothing sent yet");

    // Someone else may not take it back.
    let team_token = {
        let (_, other) = test.user(Role::Admin, &[]).await;
        other
    };
    let undo = format!("/api/v1/tickets/{ticket}/messages/{id}/undo");
    let answer = test.post(&undo, &team_token, json!({})).await;
    assert_problem(&answer, StatusCode::FORBIDDEN, None);

    let (status, undone) = test.post(&undo, &token, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{undone}");
    assert_eq!(
        undone["body"], "Oops, wrong customer.",
        "the text comes back"
    );
    assert!(
        messages(&test, ticket).await.iter().all(|m| m["id"] != id),
        "the reply is gone"
    );
    test.advance(Duration::from_secs(30));
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(sink.received().is_empty(), "an undone reply never goes out");
    let answer = test.post(&undo, &token, json!({})).await;
    assert_problem(&answer, StatusCode::NOT_FOUND, None);

    // A second reply waits out its window and goes; then undo is too late.
    let (_, second) = reply(
        &test,
        ticket,
        &token,
        json!({"body": "Your parcel left today.", "undo_window": true}),
    )
    .await;
    let second_id = second["id"].as_i64().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.received().is_empty());
    test.advance(Duration::from_secs(11));
    let sent = wait_for(&test, ticket, second_id, |m| {
        m["delivery"]["state"] == "sent"
    })
    .await;
    assert_eq!(sent["delivery"]["state"], "sent", "{sent}");
    assert_eq!(sent["undo_until"], Value::Null, "{sent}");
    assert_eq!(received(&sink, 1).await.len(), 1);
    let answer = test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages/{second_id}/undo"),
            &token,
            json!({}),
        )
        .await;
    assert_problem(&answer, StatusCode::CONFLICT, None);
    assert_eq!(answer.1["code"], "undo_window_over");
    // A reply sent without a window cannot be taken back either.
    let (_, direct) = reply(&test, ticket, &token, json!({"body": "One more thing."})).await;
    let answer = test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages/{}/undo", direct["id"]),
            &token,
            json!({}),
        )
        .await;
    assert_eq!(answer.1["code"], "undo_window_over", "{}", answer.1);
    stop_sender(sender).await;
    test.stop().await;
}

#[tokio::test]
async fn a_held_reply_survives_a_restart_and_is_sent_once() {
    let port = free_port();
    let sink = Sink::start(port, "accept");
    let test = TestApp::spawn().await;
    mailbox(&test, "desk@shop.example", Some(port)).await;
    let (ticket, token) = api_ticket(&test, json!({"email": "maija@customer.example"})).await;
    let (_, held) = reply(
        &test,
        ticket,
        &token,
        json!({"body": "Held over a restart.", "undo_window": true}),
    )
    .await;
    let id = held["id"].as_i64().unwrap();
    // Another node on the same store (a restart) finds it in the outbox, due after the window.
    let location = test.location.clone();
    let settings = test.app.settings().clone();
    test.advance(Duration::from_secs(11));
    let again = TestApp::serve(location, settings).await;
    again.advance(Duration::from_secs(11));
    let sender = start_sender(&again);
    let mails = received(&sink, 1).await;
    assert_eq!(mails.len(), 1);
    let sent = wait_for(&test, ticket, id, |m| m["delivery"]["state"] == "sent").await;
    assert_eq!(sent["delivery"]["state"], "sent");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.received().len(), 1, "sent once");
    stop_sender(sender).await;
    again.stop().await;
    test.stop().await;
}
