//! New messages open tickets (acknowledged in the customer's language); replies thread, reopen
//! and follow up.

use super::{mailbox, message, messages, post_raw};
use reqwest::StatusCode;
use serde_json::json;
use tiski_testkit::TestApp;

#[tokio::test]
async fn a_new_message_opens_a_ticket_and_is_acknowledged_in_the_customers_language() {
    let test = TestApp::spawn().await;
    let (mailbox, team) = mailbox(&test, "support@shop.example").await;
    let raw = message(
        "=?utf-8?q?P=C3=A4ivi_M=C3=A4kel=C3=A4?= <Paivi.Makela@Example.FI>",
        "support@shop.example",
        "Tilaus ei ole saapunut",
        "first-1@mail.example.fi",
        "",
        "Hei, tilaukseni ei ole vielä saapunut vaikka se lähetettiin jo viikko sitten. Voisitteko tarkistaa missä se on?",
    );
    let (status, outcome) = post_raw(&test, mailbox, &raw).await;
    assert_eq!(status, StatusCode::CREATED, "{outcome}");
    assert_eq!(outcome["outcome"], "created");
    let ticket_id = outcome["ticket_id"].as_i64().unwrap();
    let (_, ticket) = test
        .get(&format!("/api/v1/tickets/{ticket_id}"), &test.admin)
        .await;
    assert_eq!(ticket["channel"], "email");
    assert_eq!(ticket["team_id"], team);
    assert_eq!(ticket["mailbox_id"], mailbox);
    assert_eq!(ticket["language"], "fi");
    assert_eq!(ticket["requester"]["name"], "Päivi Mäkelä");
    let (_, customer) = test
        .get(
            &format!("/api/v1/customers/{}", ticket["requester"]["id"]),
            &test.admin,
        )
        .await;
    assert_eq!(customer["emails"], json!(["paivi.makela@example.fi"]));

    let all = messages(&test, ticket_id).await;
    assert_eq!(
        all.len(),
        2,
        "the customer's message and the acknowledgement: {all:?}"
    );
    assert_eq!(all[0]["author_kind"], "customer");
    assert_eq!(all[0]["email"]["direction"], "in");
    assert_eq!(all[1]["author_kind"], "system");
    assert!(
        all[1]["body"]
            .as_str()
            .unwrap()
            .contains("kiitos viestistäsi"),
        "{}",
        all[1]["body"]
    );
    assert_eq!(all[1]["email"]["delivery_status"], "queued");
    assert_eq!(
        all[1]["email"]["recipients"],
        json!(["paivi.makela@example.fi"])
    );

    // The same message again (a retried delivery) changes nothing.
    let (status, again) = post_raw(&test, mailbox, &raw).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        again,
        json!({"outcome": "duplicate", "ticket_id": ticket_id})
    );
    assert_eq!(messages(&test, ticket_id).await.len(), 2);
    test.stop().await;
}

#[tokio::test]
async fn replies_thread_reopen_and_follow_up() {
    let test = TestApp::spawn().await;
    let (mailbox, _) = mailbox(&test, "help@shop.example").await;
    let first = message(
        "Jan Kowalski <jan@example.pl>",
        "help@shop.example",
        "Reklamacja",
        "a1@example.pl",
        "",
        "Dzień dobry, czajnik przecieka.",
    );
    let ticket = post_raw(&test, mailbox, &first).await.1["ticket_id"]
        .as_i64()
        .unwrap();

    // An agent answers: the reply is queued as mail with threading headers.
    let (status, reply) = test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            &test.admin,
            json!({"body": "Przepraszamy! Wyślemy nowy."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let sent = messages(&test, ticket).await;
    let ours = sent.iter().find(|m| m["id"] == reply["id"]).unwrap();
    assert_eq!(ours["email"]["delivery_status"], "queued");
    let our_id = ours["email"]["message_id"].as_str().unwrap().to_string();
    assert!(our_id.ends_with("@shop.example"), "{our_id}");

    // A note is never sent.
    let (_, note) = test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            &test.admin,
            json!({"body": "Internal: check stock", "kind": "note"}),
        )
        .await;
    let after_note = messages(&test, ticket).await;
    assert!(after_note.iter().find(|m| m["id"] == note["id"]).unwrap()["email"].is_null());

    test.patch(
        &format!("/api/v1/tickets/{ticket}"),
        &test.admin,
        json!({"status": "solved"}),
    )
    .await;
    let answer = message(
        "Jan Kowalski <jan@example.pl>",
        "help@shop.example",
        "Re: Reklamacja",
        "a2@example.pl",
        &format!("In-Reply-To: <{our_id}>\r\nReferences: <a1@example.pl> <{our_id}>\r\n"),
        "Nadal przecieka!\r\n\r\nW dniu pt., 27 lis 2026 o 10:00 Shop Support napisał(a):\r\n> Przepraszamy! Wyślemy nowy.",
    );
    let (status, outcome) = post_raw(&test, mailbox, &answer).await;
    assert_eq!(status, StatusCode::CREATED, "{outcome}");
    assert_eq!(outcome["outcome"], "added");
    assert_eq!(outcome["ticket_id"], ticket);
    assert_eq!(
        test.get(&format!("/api/v1/tickets/{ticket}"), &test.admin)
            .await
            .1["status"],
        "open"
    );
    let last = messages(&test, ticket).await.last().unwrap().clone();
    assert_eq!(
        last["new_text"].as_str().map(str::trim),
        Some("Nadal przecieka!")
    );
    assert!(
        last["body"].as_str().unwrap().contains("napisał(a)"),
        "the full text is kept"
    );

    // The subject tag threads too, from the requester.
    let tagged = message(
        "jan@example.pl",
        "help@shop.example",
        &format!("Pytanie [#{ticket}]"),
        "a3@example.pl",
        "",
        "Jeszcze jedno pytanie.",
    );
    assert_eq!(
        post_raw(&test, mailbox, &tagged).await.1["ticket_id"],
        ticket
    );
    // …but not from a stranger, who gets a ticket of their own.
    let stranger = message(
        "eve@example.net",
        "help@shop.example",
        &format!("Hijack [#{ticket}]"),
        "e1@example.net",
        "",
        "Give me the details of this ticket.",
    );
    let theirs = post_raw(&test, mailbox, &stranger).await.1;
    assert_eq!(theirs["outcome"], "created");
    assert_ne!(theirs["ticket_id"], ticket);

    // A reply to a closed ticket opens a follow-up linked to it.
    test.patch(
        &format!("/api/v1/tickets/{ticket}"),
        &test.admin,
        json!({"status": "solved"}),
    )
    .await;
    test.patch(
        &format!("/api/v1/tickets/{ticket}"),
        &test.admin,
        json!({"status": "closed"}),
    )
    .await;
    let late = message(
        "jan@example.pl",
        "help@shop.example",
        "Re: Reklamacja",
        "a4@example.pl",
        &format!("In-Reply-To: <{our_id}>\r\n"),
        "Znowu to samo.",
    );
    let follow = post_raw(&test, mailbox, &late).await.1;
    assert_eq!(follow["outcome"], "follow_up", "{follow}");
    assert_eq!(follow["follows"], ticket);
    test.stop().await;
}
