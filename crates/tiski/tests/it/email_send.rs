//! Mail out: the sender of `tiski-channels` hands agent replies to a real SMTP server, an
//! `aiosmtpd` sink (Debian's `python3-aiosmtpd`) that keeps what it receives, or refuses it.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};
use tiski_channels::{Sender, SenderConfig};
use tiski_domain::Role;
use tiski_email::{EmailSource, IngestOutcome};
use tiski_kernel::Settings;
use tiski_testkit::TestApp;
use tokio::sync::watch;

/// `SINK OUTDIR PORT MODE`: an SMTP server on 127.0.0.1:PORT that writes each message as JSON
/// (envelope, headers, parts) into OUTDIR and answers `250 … queued as SINKn`, or, with MODE
/// `refuse`, refuses every recipient with 550, or, with MODE `tempfail`, answers the first
/// DATA with 451 (still writing it, marked `refused`). Runs until its stdin closes.
const SINK: &str = r#"
import email, email.policy, json, os, sys
from aiosmtpd.controller import Controller
outdir, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
count = 0
class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if mode == "refuse":
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        parts = []
        for part in msg.walk():
            if not part.is_multipart():
                parts.append({"type": part.get_content_type(), "content": part.get_content()})
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {k.lower(): str(v) for k, v in msg.items()},
            "content_type": msg.get_content_type(),
            "parts": parts,
        }
        tempfail = mode == "tempfail" and count == 1
        record["refused"] = tempfail
        path = os.path.join(outdir, "%04d.json" % count)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        if tempfail:
            return "451 4.3.0 Try again later"
        return "250 2.0.0 Ok: queued as SINK%d" % count
controller = Controller(Handler(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"#;

/// The Python that has aiosmtpd: Debian's (`python3-aiosmtpd`) or the one on PATH (pip).
fn sink_python() -> &'static str {
    let debian = "/usr/bin/python3";
    let has = |python: &str| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if has(debian) { debian } else { "python3" }
}

/// A running sink.
pub(crate) struct Sink {
    dir: tempfile::TempDir,
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Sink {
    pub(crate) fn start(port: u16, mode: &str) -> Sink {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(sink_python())
            .arg("-c")
            .arg(SINK)
            .arg(dir.path())
            .arg(port.to_string())
            .arg(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs");
        let stdin = child.stdin.take();
        let mut ready = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(
            ready.trim(),
            "ready",
            "the aiosmtpd sink did not start (apt-get install python3-aiosmtpd)"
        );
        Sink { dir, child, stdin }
    }

    /// What the sink received, in order.
    pub(crate) fn received(&self) -> Vec<Value> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A mailbox (with `smtp` settings when given) and an email ticket from Maija in it; returns
/// (ticket id, agent token, agent name).
async fn email_ticket(test: &TestApp, smtp: Option<Value>) -> (i64, String, String) {
    let team = test.team("Kettles").await;
    let mut mailbox = json!({
        "address": "support@shop.example", "name": "Shop Support", "team_id": team,
        "signature": "Shop Oy\nhttps://shop.example", "auto_ack": false,
    });
    if let Some(smtp) = smtp {
        mailbox["smtp"] = smtp;
    }
    let (status, created) = test.post("/api/v1/mailboxes", &test.admin, mailbox).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let raw = "From: Maija Meikäläinen <maija@customer.example>\r\nTo: support@shop.example\r\nSubject: Broken kettle\r\nMessage-ID: <k1@customer.example>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0200\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nMy kettle broke after a week.\r\n";
    let outcome = test
        .app
        .email
        .ingest_email(
            &tiski_kernel::Actor::system(),
            created["id"].as_i64().unwrap(),
            raw.as_bytes().to_vec(),
            EmailSource::Api,
        )
        .await
        .unwrap();
    let IngestOutcome::Created { ticket_id, .. } = outcome else {
        panic!("a new ticket: {outcome:?}");
    };
    let (agent_id, token) = test.user(Role::Agent, &[team]).await;
    let (_, agent) = test
        .get(&format!("/api/v1/agents/{agent_id}"), &test.admin)
        .await;
    (
        ticket_id,
        token,
        agent["name"].as_str().unwrap().to_string(),
    )
}

async fn reply(test: &TestApp, ticket: i64, token: &str) {
    let (status, body) = test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            token,
            json!({
                "body": "Hello Maija,\nyour new kettle is on its way.",
                "html": "<p>Hello Maija,</p><p>your new kettle is on its <b>way</b>.</p>",
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// The agent's reply as the API shows it.
async fn agent_reply(test: &TestApp, ticket: i64) -> Value {
    let (status, page) = test
        .get(&format!("/api/v1/tickets/{ticket}/messages"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["author_kind"] == "agent")
        .cloned()
        .expect("the agent's reply")
}

/// Waits until the reply's delivery state satisfies `done`.
async fn wait_for_delivery(test: &TestApp, ticket: i64, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let message = agent_reply(test, ticket).await;
        if done(&message["email"]) || Instant::now() > deadline {
            return message;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) fn start_sender(test: &TestApp) -> (watch::Sender<bool>, tokio::task::JoinHandle<()>) {
    let (stop, shutdown) = watch::channel(false);
    let task =
        tokio::spawn(Sender::new(test.app.email.clone(), SenderConfig::default()).run(shutdown));
    (stop, task)
}

pub(crate) async fn stop_sender(sender: (watch::Sender<bool>, tokio::task::JoinHandle<()>)) {
    let _ = sender.0.send(true);
    tokio::time::timeout(Duration::from_secs(10), sender.1)
        .await
        .expect("the sender stops")
        .unwrap();
}

#[tokio::test]
async fn an_agent_reply_goes_out_through_the_relay() {
    let port = free_port();
    let sink = Sink::start(port, "accept");
    let test = TestApp::spawn().await;
    let (ticket, token, agent) = email_ticket(
        &test,
        Some(json!({"host": "127.0.0.1", "port": port, "tls": "none"})),
    )
    .await;
    let sender = start_sender(&test);
    reply(&test, ticket, &token).await;

    let message = wait_for_delivery(&test, ticket, |e| e["delivery_status"] == "sent").await;
    assert_eq!(message["email"]["delivery_status"], "sent", "{message}");
    let detail = message["email"]["delivery_detail"].as_str().unwrap();
    assert!(
        detail.starts_with("250") && detail.contains("queued as SINK1"),
        "the relay's answer is shown: {detail}"
    );

    let received = sink.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let mail = &received[0];
    assert_eq!(mail["mail_from"], "support@shop.example");
    assert_eq!(mail["rcpt_tos"], json!(["maija@customer.example"]));
    let headers = &mail["headers"];
    let from = headers["from"].as_str().unwrap();
    assert!(
        from.contains(&agent) && from.contains("<support@shop.example>"),
        "From names the agent and the mailbox: {from}"
    );
    assert!(
        headers["to"]
            .as_str()
            .unwrap()
            .contains("maija@customer.example"),
        "{headers}"
    );
    assert_eq!(headers["in-reply-to"], "<k1@customer.example>");
    assert!(
        headers["references"]
            .as_str()
            .unwrap()
            .contains("<k1@customer.example>"),
        "{headers}"
    );
    let subject = headers["subject"].as_str().unwrap();
    assert!(
        subject.contains("Broken kettle") && subject.contains(&format!("[#{ticket}]")),
        "{subject}"
    );
    assert_eq!(
        headers["message-id"]
            .as_str()
            .unwrap()
            .trim_matches(['<', '>']),
        message["email"]["message_id"].as_str().unwrap(),
        "the stored Message-ID is the one sent"
    );
    assert_eq!(mail["content_type"], "multipart/alternative");
    let part = |kind: &str| {
        mail["parts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["type"] == kind)
            .and_then(|p| p["content"].as_str())
            .unwrap_or_else(|| panic!("a {kind} part in {mail}"))
            .to_string()
    };
    let text = part("text/plain");
    assert!(text.contains("your new kettle is on its way."), "{text}");
    assert!(text.contains("Shop Oy"), "the signature: {text}");
    let html = part("text/html");
    assert!(html.contains("<b>way</b>"), "{html}");
    assert!(html.contains("Shop Oy"), "the signature: {html}");

    stop_sender(sender).await;
    // Sent once: nothing more arrives.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.received().len(), 1);
    test.stop().await;
}

#[tokio::test]
async fn a_refusing_relay_fails_the_delivery_with_its_answer() {
    let port = free_port();
    let sink = Sink::start(port, "refuse");
    let test = TestApp::spawn().await;
    let (ticket, token, _) = email_ticket(
        &test,
        Some(json!({"host": "127.0.0.1", "port": port, "tls": "none"})),
    )
    .await;
    let sender = start_sender(&test);
    reply(&test, ticket, &token).await;
    let message = wait_for_delivery(&test, ticket, |e| e["delivery_status"] == "failed").await;
    assert_eq!(message["email"]["delivery_status"], "failed", "{message}");
    let detail = message["email"]["delivery_detail"].as_str().unwrap();
    assert!(
        detail.starts_with("550") && detail.contains("Recipient address rejected"),
        "{detail}"
    );
    assert!(sink.received().is_empty());
    stop_sender(sender).await;
    test.stop().await;
}

#[tokio::test]
async fn a_relay_that_is_down_is_retried_until_it_is_back() {
    let port = free_port();
    let test = TestApp::spawn_with(Settings {
        retry_base: Duration::from_millis(100),
        retry_max: Duration::from_millis(500),
        retry_attempts: 1000,
        ..tiski_testkit::fast_settings()
    })
    .await;
    let (ticket, token, _) = email_ticket(
        &test,
        Some(json!({"host": "127.0.0.1", "port": port, "tls": "none"})),
    )
    .await;
    let sender = start_sender(&test);
    reply(&test, ticket, &token).await;
    let message = wait_for_delivery(&test, ticket, |e| !e["delivery_detail"].is_null()).await;
    assert_eq!(
        message["email"]["delivery_status"], "queued",
        "a connection failure is retried: {message}"
    );
    assert!(
        !message["email"]["delivery_detail"]
            .as_str()
            .unwrap()
            .is_empty()
    );

    let sink = Sink::start(port, "accept");
    let message = wait_for_delivery(&test, ticket, |e| e["delivery_status"] == "sent").await;
    assert_eq!(message["email"]["delivery_status"], "sent", "{message}");
    assert_eq!(sink.received().len(), 1);
    stop_sender(sender).await;
    test.stop().await;
}

#[tokio::test]
async fn a_mailbox_without_a_relay_fails_at_once() {
    let test = TestApp::spawn().await;
    let (ticket, token, _) = email_ticket(&test, None).await;
    let sender = start_sender(&test);
    reply(&test, ticket, &token).await;
    let message = wait_for_delivery(&test, ticket, |e| e["delivery_status"] == "failed").await;
    assert_eq!(message["email"]["delivery_status"], "failed", "{message}");
    assert_eq!(
        message["email"]["delivery_detail"],
        "no SMTP relay is configured for this mailbox"
    );
    stop_sender(sender).await;
    test.stop().await;
}
