//! Inbound email through `POST /api/v1/mailboxes/{id}/raw`: threading, customers, loops,
//! bounces, quarantine, attachments, and the replies it queues.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

/// A mailbox for `address` in a new team; returns (mailbox id, team id).
async fn mailbox(test: &TestApp, address: &str) -> (i64, i64) {
    let team = test.team(&format!("Team for {address}")).await;
    let (status, body) = test
        .post(
            "/api/v1/mailboxes",
            &test.admin,
            json!({"address": address, "name": "Shop Support", "team_id": team, "signature": "Shop Oy, +358 9 123 4567"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (body["id"].as_i64().unwrap(), team)
}

async fn post_raw(test: &TestApp, mailbox: i64, raw: &str) -> (StatusCode, Value) {
    let response = test
        .request(
            Method::POST,
            &format!("/api/v1/mailboxes/{mailbox}/raw"),
            Some(&test.admin),
        )
        .header("content-type", "message/rfc822")
        .body(raw.as_bytes().to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn message(from: &str, to: &str, subject: &str, id: &str, extra: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0200\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

async fn messages(test: &TestApp, ticket: i64) -> Vec<Value> {
    let (status, page) = test
        .get(&format!("/api/v1/tickets/{ticket}/messages"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

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

#[tokio::test]
async fn mailbox_settings_keep_secrets_and_refuse_bad_input() {
    let test = TestApp::spawn().await;
    let (status, created) = test
        .post(
            "/api/v1/mailboxes",
            &test.admin,
            json!({
                "address": "Billing@Shop.Example", "name": "Billing",
                "imap": {"host": "imap.shop.example", "username": "billing", "password": "imap-secret-1"},
                "smtp": {"host": "smtp.shop.example", "username": "billing", "password": "smtp-secret-2"},
                "ack_templates": {"FI": {"subject": "Kiitos [#{{ticket.id}}]", "body": "Hei {{customer.name}}!"}}
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["address"], "billing@shop.example");
    assert_eq!(created["imap"]["port"], 993);
    assert_eq!(created["imap"]["password_set"], true);
    assert_eq!(created["smtp"]["port"], 587);
    assert!(created["ack_templates"]["fi"].is_object());
    let text = created.to_string();
    assert!(
        !text.contains("imap-secret-1") && !text.contains("smtp-secret-2"),
        "{text}"
    );
    let id = created["id"].as_i64().unwrap();
    // Changing other settings keeps the stored password.
    let (_, changed) = test
        .patch(
            &format!("/api/v1/mailboxes/{id}"),
            &test.admin,
            json!({"imap": {"host": "imap2.shop.example", "username": "billing"}}),
        )
        .await;
    assert_eq!(changed["imap"]["password_set"], true);
    assert_eq!(changed["imap"]["host"], "imap2.shop.example");

    assert_problem(
        &test
            .post(
                "/api/v1/mailboxes",
                &test.admin,
                json!({"address": "billing@shop.example", "name": "Again"}),
            )
            .await,
        StatusCode::CONFLICT,
        Some("address"),
    );
    assert_problem(
        &test
            .post(
                "/api/v1/mailboxes",
                &test.admin,
                json!({"address": "not an address", "name": "X"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("address"),
    );
    assert_problem(
        &test
            .post(
                "/api/v1/mailboxes",
                &test.admin,
                json!({"address": "x@shop.example", "name": "X", "team_id": 999}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("team_id"),
    );
    assert_problem(&test.post("/api/v1/mailboxes", &test.admin, json!({"address": "y@shop.example", "name": "Y", "imap": {"host": "bad host!", "username": "u"}})).await, StatusCode::UNPROCESSABLE_ENTITY, Some("imap.host"));
    assert_problem(&test.post("/api/v1/mailboxes", &test.admin, json!({"address": "z@shop.example", "name": "Z", "imap": {"host": "h.example", "username": "u", "after": "move"}})).await, StatusCode::UNPROCESSABLE_ENTITY, Some("imap.move_to"));
    assert_problem(&test.post("/api/v1/mailboxes", &test.admin, json!({"address": "w@shop.example", "name": "W", "ack_templates": {"xx-not-a-tag!": {"subject": "s", "body": "b"}}})).await, StatusCode::UNPROCESSABLE_ENTITY, None);
    let (status, _) = post_raw(&test, 9999, "From: a@b.example\r\n\r\nx").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post_raw(&test, id, "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    test.stop().await;
}

/// Every message of the corpus of real-world mail goes in without a server error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_world_corpus_is_ingested_without_loss() {
    let test = TestApp::spawn().await;
    let (mailbox, _) = mailbox(&test, "corpus@shop.example").await;
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/email");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("eml" | "msg" | "txt" | "mbox" | "email") | None
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 500,
        "the corpus is at {} with {} files",
        root.display(),
        files.len()
    );
    let mut outcomes: std::collections::BTreeMap<String, usize> = Default::default();
    for path in &files {
        let raw = std::fs::read(path).unwrap();
        if raw.is_empty() || raw.len() > 20 * 1024 * 1024 {
            continue;
        }
        let response = test
            .request(
                Method::POST,
                &format!("/api/v1/mailboxes/{mailbox}/raw"),
                Some(&test.admin),
            )
            .body(raw)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert!(
            status == StatusCode::OK || status == StatusCode::CREATED,
            "{}: {status} {body}",
            path.display()
        );
        *outcomes
            .entry(body["outcome"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
    }
    println!("corpus outcomes over {} files: {outcomes:?}", files.len());
    let (_, kept) = test.get("/api/v1/quarantine?limit=200", &test.admin).await;
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    for item in kept["items"].as_array().unwrap() {
        *reasons
            .entry(item["reason"].as_str().unwrap().chars().take(70).collect())
            .or_default() += 1;
    }
    println!("reasons of the newest 200 quarantined: {reasons:#?}");
    assert!(
        outcomes.get("created").copied().unwrap_or(0) > 100,
        "{outcomes:?}"
    );
    test.stop().await;
}
