//! The email thread hijack, tried as an attacker would: a stranger sends mail over SMTP (a real
//! client on TCP) with `References`/`In-Reply-To` copied from another customer's ticket (and
//! guessed in the old `t{ticket}-m{message}` form), a `[#id]` subject tag and CCs of their own.
//! It must not land on the victim's ticket, reopen it or copy anyone on it, and the agent's
//! next reply goes to the stored requester and CCs only. Outgoing Message-IDs are random and
//! the same on every retry of one message.

use crate::email_send::{Sink, free_port, start_sender, stop_sender};
use crate::email_smtp::{Smtp, config, mail, mailbox, message, messages, send, tickets};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tiski_domain::Role;
use tiski_kernel::Settings;
use tiski_testkit::TestApp;

/// Posts an agent reply and returns its message id.
async fn reply(test: &TestApp, ticket: i64, token: &str, body: &str) -> i64 {
    let (status, created) = test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            token,
            json!({"body": body}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().unwrap()
}

/// Waits until the sink holds `count` messages and returns them.
async fn wait_received(sink: &Sink, count: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let received = sink.received();
        if received.len() >= count || Instant::now() > deadline {
            assert_eq!(received.len(), count, "{received:?}");
            return received;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn header(mail: &Value, name: &str) -> String {
    mail["headers"][name]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn status_of(test: &TestApp, ticket: i64) -> Value {
    test.get(&format!("/api/v1/tickets/{ticket}"), &test.admin)
        .await
        .1["status"]
        .clone()
}

#[tokio::test]
async fn a_stranger_with_copied_references_does_not_join_the_ticket() {
    let port = free_port();
    let sink = Sink::start(port, "accept");
    let test = TestApp::spawn().await;
    let team = test.team("Kettles").await;
    mailbox(
        &test,
        "support@shop.example",
        json!({"team_id": team, "auto_ack": false,
               "smtp": {"host": "127.0.0.1", "port": port, "tls": "none"}}),
    )
    .await;
    let (_, token) = test.user(Role::Agent, &[team]).await;
    let smtp = Smtp::start(&test, config()).await;
    let sender = start_sender(&test);

    // Maija writes, copying Bob: her ticket, Bob a stored CC.
    let first = message(
        "Maija <maija@customer.example>",
        "support@shop.example",
        "Broken kettle",
        "k1@customer.example",
        "Cc: Bob <bob@customer.example>\r\n",
        "My kettle broke.",
    );
    let sent = send(
        smtp.addr,
        json!([mail(
            "maija@customer.example",
            &["support@shop.example"],
            &first
        )]),
    )
    .await;
    assert_eq!(sent[0]["code"], 250, "{sent:?}");
    let victim = tickets(&test).await[0]["id"].as_i64().unwrap();
    let first_reply = reply(&test, victim, &token, "A new kettle is on its way.").await;
    let ours = wait_received(&sink, 1).await;
    let our_id = header(&ours[0], "message-id");
    let victims_messages = messages(&test, victim).await.len();
    test.patch(
        &format!("/api/v1/tickets/{victim}"),
        &test.admin,
        json!({"status": "solved"}),
    )
    .await;

    // Eve has seen (or guessed) the thread's Message-IDs and the ticket number.
    let guessed = format!("<t{victim}-m{first_reply}.tiski@shop.example>");
    let attack = message(
        "Maija <eve@attacker.example>",
        "support@shop.example, eve-too@attacker.example",
        &format!("Re: Broken kettle [#{victim}]"),
        "evil-1@attacker.example",
        &format!(
            "In-Reply-To: {our_id}\r\nReferences: <k1@customer.example> {guessed} {our_id}\r\nCc: eve-cc@attacker.example\r\n"
        ),
        "Please send the new kettle to my new address instead.",
    );
    let sent = send(
        smtp.addr,
        json!([mail(
            "eve@attacker.example",
            &["support@shop.example"],
            &attack
        )]),
    )
    .await;
    assert_eq!(sent[0]["code"], 250, "{sent:?}");

    // The victim's ticket is untouched: no new message, not reopened.
    assert_eq!(messages(&test, victim).await.len(), victims_messages);
    assert_eq!(status_of(&test, victim).await, "solved");
    // Eve's message opened a ticket of its own, linked to the one it referenced, shown as
    // written by Eve's own customer record.
    let all = tickets(&test).await;
    assert_eq!(all.len(), 2, "{all:?}");
    let theirs = all[1]["id"].as_i64().unwrap();
    assert_ne!(all[1]["requester"]["id"], all[0]["requester"]["id"]);
    let their_messages = messages(&test, theirs).await;
    assert_eq!(
        their_messages[0]["email"]["referenced_ticket_id"], victim,
        "{their_messages:?}"
    );
    let (_, events) = test.get("/api/v1/events?limit=200", &test.admin).await;
    let refused: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "email.reference_refused")
        .collect();
    assert_eq!(refused.len(), 1, "{events}");
    assert_eq!(refused[0]["ticket_id"], theirs);
    assert_eq!(refused[0]["data"]["referenced_ticket_id"], victim);
    // Bob, a stored CC, answers on the thread: he joins it as before.
    let bobs = message(
        "Bob <bob@customer.example>",
        "support@shop.example",
        "Re: Broken kettle",
        "b1@customer.example",
        &format!("In-Reply-To: {our_id}\r\nReferences: <k1@customer.example> {our_id}\r\n"),
        "Thanks from me too.",
    );
    let sent = send(
        smtp.addr,
        json!([mail(
            "bob@customer.example",
            &["support@shop.example"],
            &bobs
        )]),
    )
    .await;
    assert_eq!(sent[0]["code"], 250, "{sent:?}");
    assert_eq!(messages(&test, victim).await.len(), victims_messages + 1);
    assert_eq!(status_of(&test, victim).await, "open");

    // The agent's next reply goes to the stored requester and the stored CC: not to Eve (who
    // wrote with Maija's name), nor to Bob as if he were the requester, nor to Eve's CCs.
    reply(&test, victim, &token, "Your kettle ships today.").await;
    let received = wait_received(&sink, 2).await;
    let next = &received[1];
    let mut rcpt: Vec<String> = serde_json::from_value(next["rcpt_tos"].clone()).unwrap();
    rcpt.sort();
    assert_eq!(rcpt, ["bob@customer.example", "maija@customer.example"]);
    assert!(
        header(next, "to").contains("maija@customer.example")
            && !header(next, "to").contains("bob@"),
        "{next}"
    );
    assert!(!next.to_string().contains("attacker.example"), "{next}");

    stop_sender(sender).await;
    smtp.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn message_ids_are_random_and_the_same_on_every_retry() {
    let port = free_port();
    let sink = Sink::start(port, "tempfail");
    let test = TestApp::spawn_with(Settings {
        retry_base: Duration::from_millis(100),
        retry_max: Duration::from_millis(300),
        ..tiski_testkit::fast_settings()
    })
    .await;
    let team = test.team("Kettles").await;
    mailbox(
        &test,
        "support@shop.example",
        json!({"team_id": team, "auto_ack": false,
               "smtp": {"host": "127.0.0.1", "port": port, "tls": "none"}}),
    )
    .await;
    let (_, token) = test.user(Role::Agent, &[team]).await;
    let smtp = Smtp::start(&test, config()).await;
    let first = message(
        "maija@customer.example",
        "support@shop.example",
        "Broken kettle",
        "k1@customer.example",
        "",
        "My kettle broke.",
    );
    send(
        smtp.addr,
        json!([mail(
            "maija@customer.example",
            &["support@shop.example"],
            &first
        )]),
    )
    .await;
    let ticket = tickets(&test).await[0]["id"].as_i64().unwrap();
    let sender = start_sender(&test);
    reply(&test, ticket, &token, "First answer.").await;
    // The first attempt is refused with 451, the retry accepted: the same Message-ID twice.
    let attempts = wait_received(&sink, 2).await;
    assert_eq!(attempts[0]["refused"], true);
    assert_eq!(attempts[1]["refused"], false);
    let first_id = header(&attempts[0], "message-id");
    assert_eq!(first_id, header(&attempts[1], "message-id"));
    reply(&test, ticket, &token, "Second answer.").await;
    let second_id = header(&wait_received(&sink, 3).await[2], "message-id");
    assert_ne!(first_id, second_id);
    // The local part is 18 random bytes in URL-safe base64 and nothing else: no ticket or
    // message number, no separator that a structured id would carry. (Looking for "t1" in a
    // random string would match by chance.)
    for id in [&first_id, &second_id] {
        let local = id
            .trim_matches(['<', '>'])
            .split_once(".tiski@")
            .expect("our Message-ID form")
            .0
            .to_string();
        assert_eq!(local.len(), 24, "{id}");
        assert!(
            local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{id} carries more than a random token"
        );
    }
    stop_sender(sender).await;
    smtp.stop().await;
    test.stop().await;
}
