//! Server-side request forgery from admin settings: webhook URLs and IMAP/SMTP hosts that are
//! (or resolve to) loopback, private, link-local or other special addresses are refused when
//! saved and when connecting, unless the operator allows private networks; a refused target
//! is never connected to, and what is recorded says only that it was refused.

use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeMap;
use std::net::TcpListener;
use tiski_channels::{ImapError, Poller, PollerConfig, Sender, SenderConfig};
use tiski_email::{
    DeliveryResult, ImapAfter, ImapConfig, Mailbox, OutgoingDelivery, SmtpConfig, TlsMode,
};
use tiski_kernel::Settings;
use tiski_testkit::{TestApp, assert_problem};

/// Hosts an attacker would try, in every spelling.
const PRIVATE: &[&str] = &[
    "127.0.0.1",
    "localhost",
    "127.1.2.3",
    "0.0.0.0",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "192.0.2.1",
    "224.0.0.1",
    "255.255.255.255",
    "[::1]",
    "[::]",
    "[fe80::1]",
    "[fd00::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:169.254.169.254]",
    "[::127.0.0.1]",
    "[64:ff9b::7f00:1]",
];

async fn strict() -> TestApp {
    TestApp::spawn_with(Settings {
        allow_private_network: false,
        ..tiski_testkit::fast_settings()
    })
    .await
}

#[tokio::test]
async fn private_targets_are_refused_when_saved() {
    let test = strict().await;
    for (n, host) in PRIVATE.iter().enumerate() {
        for url in [
            format!("http://{host}/hook"),
            format!("https://{host}:8443/hook"),
        ] {
            assert_problem(
                &test
                    .post(
                        "/api/v1/webhooks",
                        &test.admin,
                        json!({"url": url, "event_types": ["*"]}),
                    )
                    .await,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("url"),
            );
        }
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        for (kind, settings) in [
            (
                "imap",
                json!({"host": bare, "username": "u", "password": "p"}),
            ),
            ("smtp", json!({"host": bare})),
        ] {
            let answer = test
                .post(
                    "/api/v1/mailboxes",
                    &test.admin,
                    json!({"address": format!("m{n}@shop.example"), "name": "M", kind: settings}),
                )
                .await;
            assert_problem(
                &answer,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&format!("{kind}.host")),
            );
        }
    }
    // Integer and hex spellings of loopback are normalised by the URL parser, then refused.
    for url in [
        "http://2130706433/",
        "http://0x7f.1/",
        "http://[0:0:0:0:0:ffff:7f00:1]/",
    ] {
        assert_problem(
            &test
                .post(
                    "/api/v1/webhooks",
                    &test.admin,
                    json!({"url": url, "event_types": ["*"]}),
                )
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("url"),
        );
    }
    // A mailbox changed to a private host is refused too.
    let (status, created) = test
        .post(
            "/api/v1/mailboxes",
            &test.admin,
            json!({"address": "ok@shop.example", "name": "Ok", "smtp": {"host": "smtp.shop.example"}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_problem(
        &test
            .patch(
                &format!("/api/v1/mailboxes/{}", created["id"]),
                &test.admin,
                json!({"smtp": {"host": "localhost", "port": 25}}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("smtp.host"),
    );
    // Public names and addresses are fine.
    let (status, hook) = test
        .post(
            "/api/v1/webhooks",
            &test.admin,
            json!({"url": "https://93.184.216.34/hook", "event_types": ["*"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    test.stop().await;
}

#[tokio::test]
async fn the_operator_may_allow_private_networks() {
    let test = TestApp::spawn().await;
    let (status, hook) = test
        .post(
            "/api/v1/webhooks",
            &test.admin,
            json!({"url": "http://localhost:9/hook", "event_types": ["*"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    test.stop().await;
}

fn mailbox(imap: Option<ImapConfig>, smtp: Option<SmtpConfig>) -> Mailbox {
    Mailbox {
        id: 1,
        address: "support@shop.example".into(),
        name: "Shop".into(),
        team_id: None,
        signature: String::new(),
        auto_ack: false,
        ack_templates: BTreeMap::new(),
        imap,
        smtp,
        active: true,
        created_at: 0,
        is_default: false,
    }
}

/// Whether anything connected to `listener` (a completed handshake waits in its backlog).
fn was_connected(listener: &TcpListener) -> bool {
    listener.set_nonblocking(true).unwrap();
    listener.accept().is_ok()
}

/// Stored settings that point at loopback (saved before the operator turned private networks
/// off, or by rebinding a name) are refused when connecting: nothing reaches the port.
#[tokio::test]
async fn private_targets_are_refused_when_connecting() {
    let test = strict().await;
    let sender = Sender::new(test.app.email.clone(), SenderConfig::default());
    let poller = Poller::new(test.app.email.clone(), PollerConfig::default());
    for host in ["127.0.0.1", "localhost", "::1", "::ffff:127.0.0.1"] {
        let Ok(listener) = TcpListener::bind((host.trim_start_matches("::ffff:"), 0)) else {
            continue;
        };
        let port = listener.local_addr().unwrap().port();
        let smtp = SmtpConfig {
            host: host.into(),
            port,
            tls: TlsMode::Starttls,
            username: None,
            password_sealed: None,
            allow_plain_auth: false,
        };
        let delivery = OutgoingDelivery {
            outbox_id: 1,
            email_message_id: 1,
            attempts: 0,
            mailbox: mailbox(None, Some(smtp)),
            envelope_from: "support@shop.example".into(),
            recipients: vec!["maija@customer.example".into()],
            raw: b"Subject: x\r\n\r\nx\r\n".to_vec(),
        };
        match sender.deliver(&delivery).await {
            DeliveryResult::Failed { detail, permanent } => {
                assert!(detail.starts_with("refused: "), "{detail}");
                assert!(
                    !detail.contains(&port.to_string()),
                    "no connect details: {detail}"
                );
                assert!(permanent);
            }
            other => panic!("{other:?}"),
        }
        let imap = ImapConfig {
            host: host.into(),
            port,
            tls: TlsMode::Implicit,
            username: "u".into(),
            password_sealed: None,
            folder: "INBOX".into(),
            after: ImapAfter::MarkSeen,
            move_to: None,
            allow_plain_auth: false,
        };
        let error = poller
            .poll_once(&mailbox(Some(imap), None))
            .await
            .unwrap_err();
        assert!(matches!(error, ImapError::Refused(_)), "{error}");
        assert!(!was_connected(&listener), "{host}: nothing may connect");
    }
    test.stop().await;
}

/// Credentials are not sent without TLS unless the mailbox allows it, checked again when
/// connecting (stored settings from before the rule).
#[tokio::test]
async fn credentials_without_tls_are_refused_when_connecting() {
    let test = TestApp::spawn().await;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let smtp = SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        username: Some("u".into()),
        password_sealed: None,
        allow_plain_auth: false,
    };
    let delivery = OutgoingDelivery {
        outbox_id: 1,
        email_message_id: 1,
        attempts: 0,
        mailbox: mailbox(None, Some(smtp)),
        envelope_from: "support@shop.example".into(),
        recipients: vec!["maija@customer.example".into()],
        raw: b"Subject: x\r\n\r\nx\r\n".to_vec(),
    };
    let sender = Sender::new(test.app.email.clone(), SenderConfig::default());
    let DeliveryResult::Failed { detail, permanent } = sender.deliver(&delivery).await else {
        panic!("refused");
    };
    assert!(detail.contains("without TLS") && permanent, "{detail}");
    let imap = ImapConfig {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        username: "u".into(),
        password_sealed: None,
        folder: "INBOX".into(),
        after: ImapAfter::MarkSeen,
        move_to: None,
        allow_plain_auth: false,
    };
    let poller = Poller::new(test.app.email.clone(), PollerConfig::default());
    let error = poller
        .poll_once(&mailbox(Some(imap), None))
        .await
        .unwrap_err();
    assert!(matches!(error, ImapError::PlainAuth), "{error}");
    assert!(!was_connected(&listener));
    test.stop().await;
}

/// The naughty strings as webhook hosts and mailbox hosts: each is refused with the field at
/// fault or saved, never a 5xx, and nothing saved points at a private address.
#[tokio::test]
async fn naughty_hosts_are_refused_or_saved_never_a_server_error() {
    let test = strict().await;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let strings: Vec<String> = serde_json::from_str(&text).expect("a list of strings");
    for (n, text) in strings.iter().enumerate() {
        let answer = test
            .post(
                "/api/v1/mailboxes",
                &test.admin,
                json!({"address": format!("n{n}@shop.example"), "name": "N", "smtp": {"host": text}}),
            )
            .await;
        assert!(
            answer.0 == StatusCode::CREATED || answer.0 == StatusCode::UNPROCESSABLE_ENTITY,
            "{text:?}: {answer:?}"
        );
        if answer.0 == StatusCode::CREATED {
            let host = answer.1["smtp"]["host"].as_str().unwrap().to_string();
            assert!(
                tiski_kernel::net::check_literal(&host, false).is_none_or(|c| c.is_ok()),
                "{host}"
            );
        }
        if text.is_ascii() && text.len() <= 80 {
            let answer = test
                .post(
                    "/api/v1/webhooks",
                    &test.admin,
                    json!({"url": format!("http://{text}/"), "event_types": ["*"]}),
                )
                .await;
            assert!(
                answer.0 == StatusCode::CREATED || answer.0 == StatusCode::UNPROCESSABLE_ENTITY,
                "{text:?}: {answer:?}"
            );
        }
    }
    test.stop().await;
}
