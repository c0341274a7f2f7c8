//! `build` then `parse` gives the message back.

use tiski_mail::{Address, Attachment, OutgoingEmail, build, new_message_id, parse};

fn outgoing() -> OutgoingEmail {
    OutgoingEmail {
        from: Address::new(Some("Łukasz Wiśniewski"), "lukasz@tiski.example"),
        to: vec![
            Address::new(Some("Žydrūnė Kazlauskienė"), "zydrune@example.lt"),
            Address::new(None, "matti@example.fi"),
        ],
        cc: vec![Address::new(Some("Juan dela Cruz"), "juan@example.ph")],
        subject: "Re: Zamówienie nr 12 – ačiū, kiitos [#12]".to_string(),
        message_id: new_message_id("tiski.example", "01JTEST"),
        in_reply_to: Some("customer-1@example.lt".to_string()),
        references: vec![
            "first@example.lt".to_string(),
            "customer-1@example.lt".to_string(),
        ],
        text: "Dzień dobry,\n\nwysyłamy fakturę. Ačiū! Kiitos!\n\n-- \nTiski".to_string(),
        html: Some(
            "<p>Dzień dobry,</p><p>wysyłamy fakturę. <img src=\"cid:logo@tiski\"></p>".to_string(),
        ),
        attachments: vec![
            Attachment {
                filename: Some("faktura-łódź.pdf".to_string()),
                content_type: "application/pdf".to_string(),
                content_id: None,
                inline: false,
                bytes: (0..=255u8).cycle().take(5000).collect(),
            },
            Attachment {
                filename: Some("logo.png".to_string()),
                content_type: "image/png".to_string(),
                content_id: Some("logo@tiski".to_string()),
                inline: true,
                bytes: vec![0x89, b'P', b'N', b'G', 0, 1, 2, 3],
            },
        ],
        auto_submitted: false,
        auto_generated: false,
        extra_headers: vec![
            (
                "List-Unsubscribe".to_string(),
                "<mailto:u@tiski.example>".to_string(),
            ),
            (
                "X-Evil".to_string(),
                "a\r\nBcc: victim@example.com".to_string(),
            ),
            ("Subject".to_string(), "duplicate".to_string()),
        ],
        date: Some(1_751_353_200),
    }
}

#[test]
fn built_messages_parse_back() {
    let message = outgoing();
    let bytes = build(&message);
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.is_ascii(), "headers and bodies are 7-bit encoded");
    let email = parse(&bytes).expect("own message parses");

    assert_eq!(email.subject, message.subject);
    let from = email.from.expect("from");
    assert_eq!(from.name.as_deref(), Some("Łukasz Wiśniewski"));
    assert_eq!(from.email, "lukasz@tiski.example");
    assert_eq!(email.to[0].name.as_deref(), Some("Žydrūnė Kazlauskienė"));
    assert_eq!(email.to.len(), 2);
    assert_eq!(email.cc[0].email, "juan@example.ph");
    assert_eq!(
        email.message_id.as_deref(),
        Some("01JTEST.tiski@tiski.example")
    );
    assert_eq!(email.in_reply_to, ["customer-1@example.lt"]);
    assert_eq!(email.references, message.references);
    assert_eq!(email.date, Some(1_751_353_200));
    assert_eq!(email.text.replace("\r\n", "\n").trim(), message.text.trim());
    assert_eq!(
        email.new_text.trim(),
        "Dzień dobry,\n\nwysyłamy fakturę. Ačiū! Kiitos!"
    );
    assert_eq!(email.html.as_deref(), message.html.as_deref());

    assert_eq!(email.attachments.len(), 2);
    let pdf = email
        .attachments
        .iter()
        .find(|a| a.content_type == "application/pdf")
        .expect("pdf");
    assert_eq!(pdf.bytes, message.attachments[0].bytes);
    assert_eq!(pdf.filename.as_deref(), Some("faktura-łódź.pdf"));
    assert!(!pdf.inline);
    let logo = email
        .attachments
        .iter()
        .find(|a| a.content_type == "image/png")
        .expect("logo");
    assert_eq!(logo.bytes, message.attachments[1].bytes);
    assert_eq!(logo.content_id.as_deref(), Some("logo@tiski"));
    assert!(logo.inline);

    assert!(raw.contains("multipart/mixed"));
    assert!(raw.contains("multipart/related"));
    assert!(raw.contains("multipart/alternative"));
    assert!(raw.contains("List-Unsubscribe: <mailto:u@tiski.example>"));
    assert!(
        !raw.contains("\r\nBcc:"),
        "line breaks in header values cannot add fields"
    );
    assert_eq!(
        raw.matches("\r\nSubject:").count() + usize::from(raw.starts_with("Subject:")),
        1
    );
    assert!(!raw.contains("Auto-Submitted"));
    assert!(
        raw.contains("Date: Tue, 1 Jul 2025 07:00:00 +0000"),
        "{raw}"
    );
}

#[test]
fn auto_submitted_is_marked() {
    let message = OutgoingEmail {
        auto_submitted: true,
        auto_generated: false,
        html: None,
        attachments: Vec::new(),
        ..outgoing()
    };
    let bytes = build(&message);
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("Auto-Submitted: auto-replied\r\n"));
    assert!(raw.contains("X-Auto-Response-Suppress: All\r\n"));
    assert!(
        !raw.contains("multipart/"),
        "a text-only message is a single part"
    );
    let email = parse(&bytes).unwrap();
    assert_eq!(
        email.headers_auto_submitted.as_deref(),
        Some("auto-replied")
    );
    assert_eq!(email.auto, tiski_mail::AutoKind::AutoReply);
    assert_eq!(email.html, None);
    assert!(email.attachments.is_empty());
}

#[test]
fn minimal_message_round_trips() {
    let message = OutgoingEmail {
        from: Address::new(None, "support@tiski.example"),
        to: vec![Address::new(None, "a@example.com")],
        subject: "Hello".to_string(),
        message_id: new_message_id("", "x y"),
        text: "Plain ASCII.".to_string(),
        ..OutgoingEmail::default()
    };
    let email = parse(&build(&message)).unwrap();
    assert_eq!(email.message_id.as_deref(), Some("x-y.tiski@localhost"));
    assert_eq!(email.text.trim(), "Plain ASCII.");
    assert!(email.date.is_some(), "a Date header is always written");
}

#[test]
fn message_ids_are_clean() {
    assert_eq!(
        new_message_id("Tiski.Example", "01J<x>"),
        "01J-x-.tiski@tiski.example"
    );
    assert_eq!(
        new_message_id("example.com", ""),
        "message.tiski@example.com"
    );
}
