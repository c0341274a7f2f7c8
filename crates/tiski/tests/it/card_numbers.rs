//! Card numbers are never stored: a PAN sent over the API (subject, message text and HTML,
//! notes, files, customer notes, macros) is answered and stored masked, and nothing in the
//! database keeps it; numbers that only look like PANs stay. The SMTP side is in
//! `email_smtp::card_numbers`.

use reqwest::{Method, StatusCode};
use serde_json::json;
use tiski_domain::card::contains_pan;
use tiski_testkit::TestApp;

/// Every stored text a customer's words can reach, as (where, bytes).
pub(crate) async fn stored_texts(test: &TestApp) -> Vec<(String, Vec<u8>)> {
    const TEXTS: &[(&str, &str)] = &[
        ("tickets", "subject"),
        ("messages", "body_text"),
        ("messages", "body_html"),
        ("messages", "new_text"),
        ("customers", "name"),
        ("customers", "organization"),
        ("customers", "notes"),
        ("customers", "search_text"),
        ("macros", "title"),
        ("macros", "body"),
        ("macros", "search_text"),
        ("attachments", "filename"),
        ("ticket_cc", "name"),
        ("quarantine", "subject"),
        ("events", "payload"),
        ("outbox", "payload"),
        ("idempotency_keys", "response"),
    ];
    test.app
        .kernel
        .store()
        .read(|conn| {
            let mut out = Vec::new();
            for (table, column) in TEXTS {
                for row in conn.query(
                    &format!("SELECT {column} FROM {table} WHERE {column} IS NOT NULL"),
                    &[],
                )? {
                    let text: String = row.get(0)?;
                    out.push((format!("{table}.{column}"), text.into_bytes()));
                }
            }
            for row in conn.query("SELECT sha256, bytes FROM blobs", &[])? {
                let digest: String = row.get(0)?;
                let bytes: Vec<u8> = row.get(1)?;
                out.push((format!("blob {digest}"), bytes));
            }
            Ok::<_, tiski_store::StoreError>(out)
        })
        .await
        .expect("read the stored texts")
}

/// Fails when any stored text holds a card number or one of `pans` (digits only, or as
/// written).
pub(crate) async fn assert_no_pan_stored(test: &TestApp, pans: &[&str]) {
    for (place, bytes) in stored_texts(test).await {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!contains_pan(&bytes), "{place} keeps a card number: {text}");
        for pan in pans {
            let digits: String = pan.chars().filter(char::is_ascii_digit).collect();
            assert!(
                !text.contains(pan) && !text.contains(&digits),
                "{place} keeps {pan}: {text}"
            );
        }
    }
}

#[tokio::test]
async fn card_numbers_sent_over_the_api_are_stored_masked() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    let pans = [
        "4111 1111 1111 1111",
        "3782 822463 10005",
        "5555-5555-5555-4444",
        "2221000000000009",
        "3056 930902 5904",
        "3530-1113-3330-0000",
        "6011 0009 9013 9424",
        "6212 3456 7890 0000 003",
        "6799990100000000019",
        "4222222222222",
    ];
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "Charge on 4111 1111 1111 1111 twice",
                "requester": {"email": "card@example.com", "name": "Card Holder"},
                "message": {"body": "My Amex 3782 822463 10005 was charged.",
                    "html": "<p>Card <b>5555-5555-5555-4444</b></p>"}}),
        )
        .await;
    assert_eq!(ticket["subject"], "Charge on **** **** **** 1111 twice");
    let id = ticket["id"].as_i64().unwrap();

    // A note, a reply with a text file, and a new subject.
    let (status, note) = test
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            &test.admin,
            json!({"kind": "note", "body": "Customer read out 2221000000000009 on the phone."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert_eq!(
        note["body"],
        "Customer read out ************0009 on the phone."
    );
    // "Diners 3056 930902 5904\nJCB 3530-1113-3330-0000\n"
    let file = "RGluZXJzIDMwNTYgOTMwOTAyIDU5MDQKSkNCIDM1MzAtMTExMy0zMzMwLTAwMDAK";
    let (status, reply) = test
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            &test.admin,
            json!({"body": "We refunded 6011 0009 9013 9424.", "attachments": [
                {"filename": "card-6799990100000000019.txt", "content_type": "text/plain", "content_base64": file}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert_eq!(reply["body"], "We refunded **** **** **** 9424.");
    let file_url = format!("/api/v1/attachments/{}", reply["attachments"][0]["id"]);
    let downloaded = test
        .request(Method::GET, &file_url, Some(&test.admin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        downloaded,
        "Diners **** ****** 5904\nJCB ****-****-****-0000\n"
    );
    let (status, patched) = test
        .patch(
            &format!("/api/v1/tickets/{id}"),
            &test.admin,
            json!({"subject": "UnionPay 6212 3456 7890 0000 003"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["subject"], "UnionPay **** **** **** ***0 003");

    // Customer notes and macros.
    let (status, customer) = test
        .post(
            "/api/v1/customers",
            &test.admin,
            json!({"name": "Notes", "notes": "Visa 4222222222222 on file"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    assert_eq!(customer["notes"], "Visa *********2222 on file");
    let admin = test
        .app
        .staff
        .authenticate_token(&test.admin)
        .await
        .unwrap();
    let made = test
        .app
        .ticketing
        .create_macro(
            &admin,
            tiski_ticketing::NewMacro {
                title: "Refund 6799990100000000019".into(),
                body: "Refunded to 4111-1111-1111-1111.".into(),
                language: None,
                set_status: None,
                add_tags: vec![],
                set_team_id: None,
                shared: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(made.body, "Refunded to ****-****-****-1111.");

    // What the API shows is masked, and nothing stored keeps a number.
    let (_, listed) = test
        .get(&format!("/api/v1/tickets/{id}/messages"), &test.admin)
        .await;
    let shown = listed.to_string();
    assert!(!contains_pan(shown.as_bytes()), "{shown}");
    assert!(shown.contains("<b>****-****-****-4444</b>"), "{shown}");
    assert_no_pan_stored(&test, &pans).await;
    test.stop().await;
}

#[tokio::test]
async fn numbers_that_only_look_like_card_numbers_stay() {
    let test = TestApp::spawn().await;
    let body = "Order 4111111111111112, ref 12345678901234, call +358 40 123 4567 890, \
        IBAN DE89 3704 0044 0532 0130 00, at 2026-01-02 12:30:45, ts 2026010212304512, \
        invoice 491234567890123.";
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "Order 4912345678901234", "requester": {"email": "x@example.com"},
                "message": {"body": body, "html": format!("<p>{body}</p>")}}),
        )
        .await;
    assert_eq!(ticket["subject"], "Order 4912345678901234");
    let (_, listed) = test
        .get(
            &format!("/api/v1/tickets/{}/messages", ticket["id"]),
            &test.admin,
        )
        .await;
    assert_eq!(listed["items"][0]["body"], body);
    assert_eq!(listed["items"][0]["html"], format!("<p>{body}</p>"));
    test.stop().await;
}
