//! GDPR erasure and export, on the engine under test: a customer's data is planted
//! everywhere tiski copies it (record, identities, tickets, messages, files, inbound and
//! outbound mail, a quarantined bounce about them, CC entries on their and others' tickets,
//! stored idempotent answers, webhook deliveries), exported, then erased; afterwards a scan
//! of every text and binary column of every table finds none of it, while the anonymised
//! ticket skeletons remain and still count.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::io::Read;
use tiski_domain::Role;
use tiski_kernel::Engine;
use tiski_testkit::TestApp;

/// In every planted text, so one scan finds them all (lower-case: addresses are stored so).
const MARK: &str = "zq7xmark";
const PHONE: &str = "+358409998877";
const PHONE_MARK: &str = "9998877";

/// `table.column` for each column of any table holding `needle` (text case-insensitively,
/// bytes as they are).
async fn holders(test: &TestApp, needle: &'static str) -> Vec<String> {
    test.app
        .kernel
        .store()
        .read(move |conn| {
            let engine = conn.engine();
            let columns: Vec<(String, String, String)> = match engine {
                Engine::Sqlite => {
                    let tables = conn.query(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                        &[],
                    )?;
                    let mut all = Vec::new();
                    for table in &tables {
                        let table: String = table.get(0)?;
                        for column in conn.query(
                            &format!("SELECT name, type FROM pragma_table_info('{table}')"),
                            &[],
                        )? {
                            all.push((table.clone(), column.get(0)?, column.get(1)?));
                        }
                    }
                    all
                }
                Engine::Postgres => conn
                    .query(
                        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
                         WHERE table_schema = current_schema()",
                        &[],
                    )?
                    .iter()
                    .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .collect::<Result<_, tiski_store::StoreError>>()?,
            };
            let mut found = Vec::new();
            for (table, column, kind) in columns {
                let kind = kind.to_lowercase();
                let test = match (engine, kind.as_str()) {
                    (Engine::Sqlite, "text" | "blob") => {
                        format!("instr(lower(CAST(\"{column}\" AS TEXT)), $1) > 0")
                    }
                    (Engine::Postgres, "text" | "character varying") => {
                        format!("strpos(lower(\"{column}\"), $1) > 0")
                    }
                    (Engine::Postgres, "bytea") => {
                        format!("strpos(lower(encode(\"{column}\", 'escape')), $1) > 0")
                    }
                    _ => continue,
                };
                let hits: i64 = conn.query_scalar(
                    &format!("SELECT COUNT(*) FROM \"{table}\" WHERE {test}"),
                    tiski_store::params![needle],
                )?;
                if hits > 0 {
                    found.push(format!("{table}.{column}"));
                }
            }
            Ok::<_, tiski_store::StoreError>(found)
        })
        .await
        .expect("scan the database")
}

async fn count(test: &TestApp, sql: &'static str) -> i64 {
    test.app
        .kernel
        .store()
        .read(move |conn| conn.query_scalar(sql, &[]))
        .await
        .expect("a count")
}

#[tokio::test]
async fn an_erased_customer_leaves_only_anonymous_ticket_skeletons() {
    let test = TestApp::spawn().await;
    let team = test.team("Team A").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let email = format!("aino.{MARK}@example.com");
    let (status, hook) = test
        .post(
            "/api/v1/webhooks",
            &test.admin,
            json!({"url": "http://127.0.0.1:9/hook", "event_types": ["*"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    let (status, customer) = test
        .post(
            "/api/v1/customers",
            &test.admin,
            json!({"name": format!("Aino {MARK}"), "emails": [email, format!("work.{MARK}@example.org")],
                   "phones": [PHONE], "organization": format!("Org {MARK}"), "notes": format!("Notes {MARK}")}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let customer_id = customer["id"].as_i64().expect("an id");

    // An API ticket with a file, created with an idempotency key (its answer is stored).
    let created = test
        .request(Method::POST, "/api/v1/tickets", Some(&test.admin))
        .header("Idempotency-Key", "erasure-1")
        .json(
            &json!({"subject": format!("Kettle {MARK}"), "team_id": team,
            "requester": {"id": customer_id},
            "message": {"body": format!("It leaks {MARK}"), "attachments": [
                {"filename": format!("photo-{MARK}.txt"), "content_type": "text/plain",
                 "content_base64": base64_of(&format!("file body {MARK}"))}]}}),
        )
        .send()
        .await
        .expect("a ticket");
    assert_eq!(created.status(), StatusCode::CREATED);
    let api_ticket = created.json::<Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("an id");

    // An email ticket: inbound mail with a file and a CC, and the agent's reply queued out.
    let (status, mailbox) = test
        .post(
            "/api/v1/mailboxes",
            &test.admin,
            json!({"address": "help@a.example", "name": "Help", "team_id": team}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{mailbox}");
    let mailbox_id = mailbox["id"].as_i64().expect("a mailbox");
    let raw = |text: String| {
        test.request(
            Method::POST,
            &format!("/api/v1/mailboxes/{mailbox_id}/raw"),
            Some(&test.admin),
        )
        .body(text)
        .send()
    };
    let mailed: Value = raw(format!(
        "From: Aino <{email}>\r\nTo: help@a.example\r\nCc: Friend <friend.{MARK}@example.net>\r\nSubject: Lid {MARK}\r\n\
         Message-ID: <m1.{MARK}@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n\
         --B\r\nContent-Type: text/plain\r\n\r\nThe lid broke {MARK}.\r\n--B\r\nContent-Type: text/plain; name=lid.txt\r\n\
         Content-Disposition: attachment; filename=lid.txt\r\n\r\nlid file {MARK}\r\n--B--\r\n"
    ))
    .await
    .expect("raw mail")
    .json()
    .await
    .expect("an outcome");
    let mail_ticket = mailed["ticket_id"].as_i64().expect("an email ticket");
    let (status, reply) = test
        .post(
            &format!("/api/v1/tickets/{mail_ticket}/messages"),
            &agent,
            json!({"body": format!("We will send a new lid {MARK}."), "kind": "reply"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    // A bounce about them that matches nothing we sent: quarantined.
    let kept: Value = raw(format!(
        "From: MAILER-DAEMON@mx.example.net\r\nTo: help@a.example\r\nSubject: Undelivered\r\nMessage-ID: <dsn.{MARK}@mx>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
         --B\r\nContent-Type: text/plain\r\n\r\nNot delivered.\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n\
         Reporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; {email}\r\nAction: failed\r\nStatus: 5.1.1\r\n\
         --B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <nothing@a.example>\r\n--B--\r\n"
    ))
    .await
    .expect("raw mail")
    .json()
    .await
    .expect("an outcome");
    assert!(kept["quarantine_id"].as_i64().is_some(), "{kept}");
    // Copied on someone else's ticket.
    let other: Value = raw(format!(
        "From: Bruno <bruno@example.com>\r\nTo: help@a.example\r\nCc: {email}\r\nSubject: Other\r\n\
         Message-ID: <o1@example.com>\r\n\r\nHello from Bruno.\r\n"
    ))
    .await
    .expect("raw mail")
    .json()
    .await
    .expect("an outcome");
    let other_ticket = other["ticket_id"].as_i64().expect("Bruno's ticket");
    // The webhook dispatcher has moved the events to the outbox by the time they are read.
    let (_, events) = test.get("/api/v1/events?limit=200", &test.admin).await;
    assert!(events["items"].as_array().is_some_and(|e| !e.is_empty()));

    let before = holders(&test, MARK).await;
    for table in [
        "customers.name",
        "customers.notes",
        "customers.search_text",
        "customer_identities.value",
        "tickets.subject",
        "messages.body_text",
        "attachments.filename",
        "blobs.bytes",
        "ticket_cc.email",
        "quarantine.raw_sha256",
        "idempotency_keys.response",
    ] {
        if table == "quarantine.raw_sha256" {
            continue;
        }
        assert!(
            before.contains(&table.to_string()),
            "{table} not planted: {before:?}"
        );
    }
    assert!(
        !holders(&test, PHONE_MARK).await.is_empty(),
        "the phone was planted"
    );
    let quarantined = count(&test, "SELECT COUNT(*) FROM quarantine").await;
    assert_eq!(quarantined, 1);

    // The export holds the record, the messages and the files.
    let export = test
        .request(
            Method::GET,
            &format!("/api/v1/customers/{customer_id}/export"),
            Some(&test.admin),
        )
        .send()
        .await
        .expect("an export");
    assert_eq!(export.status(), StatusCode::OK);
    let disposition = export.headers()["content-disposition"]
        .to_str()
        .unwrap_or("")
        .to_string();
    assert!(
        disposition.contains(&format!("customer-{customer_id}.tar.gz")),
        "{disposition}"
    );
    let archive = export.bytes().await.expect("bytes");
    let entries = untar(&archive);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "customer.json", "{names:?}");
    let document: Value = serde_json::from_slice(&entries[0].1).expect("customer.json");
    assert_eq!(document["customer"]["notes"], format!("Notes {MARK}"));
    let tickets = document["tickets"].as_array().expect("tickets");
    assert_eq!(tickets.len(), 2);
    let bodies: String = tickets
        .iter()
        .flat_map(|t| t["messages"].as_array().cloned().unwrap_or_default())
        .map(|m| m["body"].as_str().unwrap_or("").to_string())
        .collect();
    for text in ["It leaks", "The lid broke", "We will send a new lid"] {
        assert!(bodies.contains(text), "{text} not in the export: {bodies}");
    }
    let files: Vec<&(String, Vec<u8>)> = entries
        .iter()
        .filter(|(n, _)| n.starts_with("files/"))
        .collect();
    assert_eq!(files.len(), 2, "{names:?}");
    assert!(
        files
            .iter()
            .any(|(_, b)| b == format!("file body {MARK}").as_bytes())
    );
    assert!(
        files
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains(&format!("lid file {MARK}")))
    );

    // Agents may neither export nor erase; the confirmation must repeat the id.
    let path = format!("/api/v1/customers/{customer_id}/erase");
    assert_eq!(
        test.post(&path, &agent, json!({"confirm": customer_id}))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let wrong = test
        .post(&path, &test.admin, json!({"confirm": customer_id + 1}))
        .await;
    tiski_testkit::assert_problem(&wrong, StatusCode::UNPROCESSABLE_ENTITY, Some("confirm"));
    assert_eq!(
        test.get(&format!("/api/v1/customers/{customer_id}/export"), &agent)
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    let (status, outcome) = test
        .post(&path, &test.admin, json!({"confirm": customer_id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["tickets"], 2);
    // The API message, the mail, the acknowledgement sent back and the agent reply.
    assert_eq!(outcome["messages"], 4);

    assert_eq!(
        holders(&test, MARK).await,
        Vec::<String>::new(),
        "the customer's text remains"
    );
    assert_eq!(
        holders(&test, PHONE_MARK).await,
        Vec::<String>::new(),
        "the phone remains"
    );
    assert_eq!(count(&test, "SELECT COUNT(*) FROM quarantine").await, 0);
    assert_eq!(count(&test, "SELECT COUNT(*) FROM customer_identities WHERE customer_id IN (SELECT id FROM customers WHERE erased_at IS NOT NULL)").await, 0);

    // The skeletons stay: status, priority, team, times; lists and counts still work.
    for ticket in [api_ticket, mail_ticket] {
        let (status, skeleton) = test
            .get(&format!("/api/v1/tickets/{ticket}"), &test.admin)
            .await;
        assert_eq!(status, StatusCode::OK, "{skeleton}");
        assert_eq!(skeleton["team_id"], team);
        assert_eq!(skeleton["requester"]["id"], customer_id);
        let (status, messages) = test
            .get(&format!("/api/v1/tickets/{ticket}/messages"), &test.admin)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(messages["items"], json!([]));
        let (status, _) = test
            .get(&format!("/api/v1/tickets/{ticket}/events"), &test.admin)
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (_, listed) = test
        .get(
            &format!("/api/v1/tickets?customer_id={customer_id}"),
            &test.admin,
        )
        .await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2));
    let (status, _) = test
        .get(&format!("/api/v1/customers/{customer_id}"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, others) = test
        .get(
            &format!("/api/v1/tickets/{other_ticket}/messages"),
            &test.admin,
        )
        .await;
    assert_eq!(
        others["items"].as_array().map(Vec::len),
        Some(2),
        "Bruno's ticket (his mail, its acknowledgement) stays whole"
    );
    let (_, events) = test.get("/api/v1/events?limit=200", &test.admin).await;
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert!(
        kinds.contains(&"customer.exported") && kinds.contains(&"customer.erased"),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"ticket.conversation_erased"), "{kinds:?}");
    // The address is free again: writing in anew makes a new customer.
    let (status, again) = test
        .post(
            "/api/v1/customers",
            &test.admin,
            json!({"name": "New", "emails": [email]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
}

fn base64_of(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// The entries of a `.tar.gz`.
fn untar(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(archive)
        .read_to_end(&mut tar)
        .expect("gzip");
    let mut entries = Vec::new();
    let mut at = 0;
    while at + 512 <= tar.len() && tar[at] != 0 {
        let header = &tar[at..at + 512];
        let name = String::from_utf8_lossy(&header[..100])
            .trim_end_matches('\0')
            .to_string();
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&header[124..135])
                .trim_matches(|c: char| c == '\0' || c == ' '),
            8,
        )
        .expect("a size");
        entries.push((name, tar[at + 512..at + 512 + size].to_vec()));
        at += 512 + size.div_ceil(512) * 512;
    }
    entries
}
