//! Hostile strings (the Big List of Naughty Strings and more) are stored exactly or refused
//! cleanly, and outside HTML comes back without scripts.

use super::{Answer, created, everything, get, post, send};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tiski_testkit::TestApp;

/// `text` percent-encoded as one query value.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What a hostile string may do to a field.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verdict {
    /// It fits the field's documented rules: it must be stored.
    Accept,
    /// It breaks them: it must be refused with a 422 naming the field.
    Refuse,
    /// Either is right (a NUL character, which not every database can store).
    Either,
}

fn verdict(text: &str, fits: bool) -> Verdict {
    if text.contains('\0') {
        Verdict::Either
    } else if fits {
        Verdict::Accept
    } else {
        Verdict::Refuse
    }
}

/// The Big List of Naughty Strings, and a few more of our own.
fn hostile_strings() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let mut strings: Vec<String> =
        serde_json::from_str(&text).expect("blns.json is a list of strings");
    assert!(strings.len() > 500, "the whole list");
    strings.extend(
        [
            "nul\u{0}inside",
            "\u{0}",
            "  padded on both sides  ",
            "ends with a newline\n",
            "Thanks!\n\n-- \nAgent Smith",
            "\u{feff}byte order mark",
            "\u{202e}right-to-left override",
            "Robert'); DROP TABLE customers;--",
            "' OR 1=1 --",
            "%s%s%s%n",
            "${jndi:ldap://127.0.0.1/x}",
            "{{7*7}}<%= 7*7 %>",
            "\r\nX-Injected: header",
            "../../../../etc/passwd",
        ]
        .map(str::to_string),
    );
    strings.push("é".repeat(200));
    strings.push("😀".repeat(500));
    strings.push("x".repeat(501));
    strings.push("y".repeat(256 * 1024 + 1));
    strings
}

async fn post_json(test: &TestApp, path: &str, body: Value) -> Answer {
    send(test, &post(path, &body.to_string())).await
}

/// Whether a hostile string was accepted; a wrong verdict is added to `faults`.
fn judge(
    faults: &mut Vec<String>,
    index: usize,
    shown: &str,
    what: &str,
    answer: &Answer,
    verdict: Verdict,
    field: &str,
) -> bool {
    let accepted = answer.status == 201;
    let refused = answer.is_problem(422) && answer.body["field"] == field;
    let right = match verdict {
        Verdict::Accept => accepted,
        Verdict::Refuse => refused,
        Verdict::Either => accepted || refused,
    };
    if !right {
        faults.push(format!(
            "#{index} {shown} as {what}: expected {verdict:?}, got {} {}",
            answer.status, answer.body
        ));
    }
    accepted
}

#[tokio::test]
async fn hostile_strings_are_stored_exactly_or_refused() {
    let test = TestApp::spawn().await;
    let requester = created(&test, "/api/v1/customers", json!({"name": "Requester"})).await["id"]
        .as_i64()
        .expect("a customer id");
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "Hostile messages", "requester": {"id": requester}, "message": {"body": "Start"}}),
        )
        .await["id"]
        .as_i64()
        .expect("a ticket id");
    let messages = format!("/tickets/{ticket}/messages");
    let tickets_before = everything(&test, "/api/v1/tickets").await.len();

    let mut faults: Vec<String> = Vec::new();
    let mut tickets_accepted = 0;
    let mut bodies: BTreeMap<i64, String> = BTreeMap::new();
    let strings = hostile_strings();
    for (index, text) in strings.iter().enumerate() {
        let shown: String = format!("{text:?}").chars().take(80).collect();
        // A customer's name: trimmed, 1 to 200 characters.
        let name = text.trim();
        let fits = !name.is_empty() && name.chars().count() <= 200;
        let answer = post_json(&test, "/customers", json!({"name": text})).await;
        if judge(
            &mut faults,
            index,
            &shown,
            "a customer name",
            &answer,
            verdict(text, fits),
            "name",
        ) {
            let id = answer.body["id"].as_i64().expect("a customer id");
            let (_, stored) = test
                .get(&format!("/api/v1/customers/{id}"), &test.admin)
                .await;
            for (source, value) in [
                ("answer", &answer.body["name"]),
                ("read back", &stored["name"]),
            ] {
                if value != name {
                    faults.push(format!("#{index} {shown} as a customer name: {source} is {value}, expected {name:?}"));
                }
            }
        }

        // A ticket's subject: trimmed, 1 to 500 characters.
        let subject = text.trim();
        let fits = !subject.is_empty() && subject.chars().count() <= 500;
        let answer = post_json(
            &test,
            "/tickets",
            json!({"subject": text, "requester": {"id": requester}, "message": {"body": "Hostile subject"}}),
        )
        .await;
        if judge(
            &mut faults,
            index,
            &shown,
            "a ticket subject",
            &answer,
            verdict(text, fits),
            "subject",
        ) {
            tickets_accepted += 1;
            let id = answer.body["id"].as_i64().expect("a ticket id");
            let (_, stored) = test
                .get(&format!("/api/v1/tickets/{id}"), &test.admin)
                .await;
            for (source, value) in [
                ("answer", &answer.body["subject"]),
                ("read back", &stored["subject"]),
            ] {
                if value != subject {
                    faults.push(format!(
                        "#{index} {shown} as a subject: {source} is {value}, expected {subject:?}"
                    ));
                }
            }
        }

        // A message body: stored as written (only subjects and names are documented as
        // trimmed), not blank, at most 256 KiB.
        let fits = !text.trim().is_empty() && text.len() <= 256 * 1024;
        let answer = post_json(&test, &messages, json!({"body": text, "kind": "note"})).await;
        if judge(
            &mut faults,
            index,
            &shown,
            "a message body",
            &answer,
            verdict(text, fits),
            "body",
        ) {
            bodies.insert(
                answer.body["id"].as_i64().expect("a message id"),
                text.clone(),
            );
            if answer.body["body"] != text.as_str() {
                faults.push(format!(
                    "#{index} {shown} as a message body: answered {}",
                    answer.body["body"]
                ));
            }
        }

        // Message HTML: always taken, sanitised.
        let answer = post_json(
            &test,
            &messages,
            json!({"body": "With HTML", "html": text, "kind": "note"}),
        )
        .await;
        if judge(
            &mut faults,
            index,
            &shown,
            "message HTML",
            &answer,
            verdict(text, true),
            "html",
        ) {
            bodies.insert(
                answer.body["id"].as_i64().expect("a message id"),
                "With HTML".into(),
            );
            if let Some(html) = answer.body["html"].as_str()
                && html.to_lowercase().contains("<script")
            {
                faults.push(format!(
                    "#{index} {shown} as HTML: a script survived: {html}"
                ));
            }
        }

        // As search text and as a tag filter: a page, or a problem naming the parameter.
        // (Strings longer than a URL may be are left out.)
        if text.len() > 4096 {
            continue;
        }
        let q = text.trim();
        let query = format!("/customers?q={}", query_value(text));
        let answer = send(&test, &get(&query)).await;
        let fits = q.chars().count() <= 200;
        let right = match (answer.status, verdict(text, fits)) {
            (200, Verdict::Accept | Verdict::Either) => true,
            (_, Verdict::Refuse | Verdict::Either) => {
                answer.is_problem(422) && answer.body["field"] == "q"
            }
            _ => false,
        };
        if !right {
            faults.push(format!(
                "#{index} {shown} as ?q=: got {} {}",
                answer.status, answer.body
            ));
        }
        let answer = send(&test, &get(format!("/tickets?tag={}", query_value(text)))).await;
        if !(answer.status == 200 || answer.is_problem(422) && answer.body["field"] == "tag") {
            faults.push(format!(
                "#{index} {shown} as ?tag=: got {} {}",
                answer.status, answer.body
            ));
        }
    }

    // Every accepted message reads back exactly as the answer gave it.
    let stored: BTreeMap<i64, Value> = everything(&test, &format!("/api/v1{messages}"))
        .await
        .into_iter()
        .map(|m| (m["id"].as_i64().expect("a message id"), m["body"].clone()))
        .collect();
    for (id, body) in &bodies {
        if stored.get(id) != Some(&Value::from(body.as_str())) {
            let shown: String = format!("{body:?}").chars().take(80).collect();
            faults.push(format!(
                "message {id} {shown} read back as {:?}",
                stored.get(id)
            ));
        }
    }
    // Refused tickets left nothing behind.
    assert_eq!(
        everything(&test, "/api/v1/tickets").await.len(),
        tickets_before + tickets_accepted,
        "tickets stored besides the accepted ones"
    );
    assert!(
        faults.is_empty(),
        "{} wrong answers for {} hostile strings:\n{}",
        faults.len(),
        strings.len(),
        faults.join("\n")
    );
    test.stop().await;
}

#[tokio::test]
async fn message_html_loses_scripts_handlers_and_javascript_urls() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    let payload = r#"<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>"#;
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "HTML", "requester": {"email": "html@example.com"},
                "message": {"body": "x", "html": payload}}),
        )
        .await["id"]
        .as_i64()
        .expect("a ticket id");
    let messages = format!("/api/v1/tickets/{ticket}/messages");
    let (status, reply) = test
        .post(
            &messages,
            &test.admin,
            json!({"body": "x", "html": payload}),
        )
        .await;
    assert_eq!(status, 201, "{reply}");

    let listed = everything(&test, &messages).await;
    assert_eq!(listed.len(), 2, "the first message and the reply");
    let answered = reply["html"].as_str().expect("the reply's HTML");
    for html in listed
        .iter()
        .map(|m| m["html"].as_str().expect("stored HTML"))
        .chain([answered])
    {
        let lower = html.to_lowercase();
        for banned in ["<script", "alert(1)</script>", "onerror", "javascript:"] {
            assert!(!lower.contains(banned), "{banned:?} survived in {html}");
        }
        assert!(html.contains(">x</a>"), "the link text stays: {html}");
        assert!(html.contains("<img"), "the harmless image stays: {html}");
    }
    test.stop().await;
}
