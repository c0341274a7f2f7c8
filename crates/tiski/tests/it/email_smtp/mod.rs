//! Mail in over SMTP: the listener of `tiski-channels` against Python's `smtplib` as the client
//! (and raw sockets for timeouts and limits), and `tiski serve --smtp-listen` under `kill -9`.

mod card_numbers;
mod connections;
mod kill_9;
mod limits;
mod listener;

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Write;
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::Duration;
use tiski_channels::{Listener, SmtpListenerConfig};
use tiski_testkit::TestApp;
use tokio::sync::watch;

/// Sends the messages of a JSON job over one connection with `smtplib.sendmail` (which adds
/// SIZE=) or, with `"size": false`, with MAIL/RCPT/DATA by hand; prints one result per message.
const SEND: &str = r#"
import json, smtplib, sys
job = json.load(sys.stdin)
out = []
s = smtplib.SMTP(job["host"], job["port"], timeout=30)
s.ehlo("client.test")
for m in job["messages"]:
    data = m["data"].encode("utf-8")
    try:
        if m.get("size", True):
            refused = s.sendmail(m["from"], m["to"], data)
            out.append({"code": 250, "refused": {k: v[0] for k, v in refused.items()}})
        else:
            code, _ = s.mail(m["from"])
            for rcpt in m["to"]:
                s.rcpt(rcpt)
            code, reply = s.data(data)
            out.append({"code": code, "stage": "data", "reply": reply.decode()})
    except smtplib.SMTPRecipientsRefused as e:
        out.append({"code": None, "stage": "rcpt", "refused": {k: v[0] for k, v in e.recipients.items()}})
        s.rset()
    except smtplib.SMTPSenderRefused as e:
        out.append({"code": e.smtp_code, "stage": "mail", "reply": e.smtp_error.decode()})
        s.rset()
    except smtplib.SMTPDataError as e:
        out.append({"code": e.smtp_code, "stage": "data", "reply": e.smtp_error.decode()})
        s.rset()
s.quit()
print(json.dumps(out))
"#;

/// MAIL and RCPT, then waits for a line on stdin before DATA: the test changes the world between.
const PAUSED: &str = r#"
import smtplib, sys
host, port, sender, rcpt = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
data = sys.stdin.readline().rstrip("\n").encode("utf-8").replace(b"\\r\\n", b"\r\n")
s = smtplib.SMTP(host, port, timeout=30)
s.ehlo("client.test")
s.mail(sender)
code, _ = s.rcpt(rcpt)
print("RCPT", code, flush=True)
sys.stdin.readline()
try:
    code, reply = s.data(data)
except smtplib.SMTPDataError as e:
    code, reply = e.smtp_code, e.smtp_error
print("DATA", code, reply.decode(), flush=True)
s.quit()
"#;

/// A stream of messages over one connection; prints `ACK n` after each 250.
const STREAM: &str = r#"
import smtplib, sys
host, port, client, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
try:
    s = smtplib.SMTP(host, port, timeout=10)
    s.ehlo("client.test")
    for n in range(count):
        msg = ("From: Customer %s <c%s@durability.test>\r\nTo: support@durable.example\r\n"
               "Subject: Durability %s-%d\r\nMessage-ID: <d%s-%d@durability.test>\r\n"
               "Date: Fri, 27 Nov 2026 10:00:00 +0200\r\n\r\nMessage %d of client %s.\r\n") % (client, client, client, n, client, n, n, client)
        s.sendmail("c%s@durability.test" % client, ["support@durable.example"], msg.encode())
        print("ACK", n, flush=True)
    s.quit()
except Exception as e:
    print("ERR", repr(e), flush=True)
"#;

fn python(script: &str, args: &[String]) -> Command {
    let mut command = Command::new("python3");
    command.arg("-c").arg(script).args(args);
    command
}

/// Runs the SEND script with `messages` against `addr` and returns its results.
pub(crate) async fn send(addr: SocketAddr, messages: Value) -> Vec<Value> {
    let job = json!({"host": addr.ip().to_string(), "port": addr.port(), "messages": messages});
    tokio::task::spawn_blocking(move || {
        let mut child = python(SEND, &[])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(job.to_string().as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "smtplib failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice::<Vec<Value>>(&output.stdout).expect("the script's JSON")
    })
    .await
    .unwrap()
}

pub(crate) fn message(
    from: &str,
    to: &str,
    subject: &str,
    id: &str,
    extra: &str,
    body: &str,
) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0200\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
}

pub(crate) fn mail(from: &str, to: &[&str], data: &str) -> Value {
    json!({"from": from, "to": to, "data": data})
}

/// Creates a mailbox and returns its id.
pub(crate) async fn mailbox(test: &TestApp, address: &str, extra: Value) -> i64 {
    let mut body = json!({"address": address, "name": "Shop Support"});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let (status, created) = test.post("/api/v1/mailboxes", &test.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().unwrap()
}

/// A running listener for a test.
pub(crate) struct Smtp {
    pub(crate) addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Smtp {
    pub(crate) async fn start(test: &TestApp, config: SmtpListenerConfig) -> Smtp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, shutdown) = watch::channel(false);
        let task = tokio::spawn(Listener::serve(
            listener,
            test.app.email.clone(),
            config,
            shutdown,
        ));
        Smtp { addr, stop, task }
    }

    pub(crate) async fn stop(self) {
        let _ = self.stop.send(true);
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the listener stops")
            .unwrap();
    }
}

pub(crate) fn config() -> SmtpListenerConfig {
    SmtpListenerConfig {
        hostname: "mx.test".into(),
        ..SmtpListenerConfig::default()
    }
}

/// Every ticket, oldest first.
pub(crate) async fn tickets(test: &TestApp) -> Vec<Value> {
    let (status, page) = test
        .get("/api/v1/tickets?sort=id&limit=200", &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

pub(crate) async fn messages(test: &TestApp, ticket: i64) -> Vec<Value> {
    let (status, page) = test
        .get(&format!("/api/v1/tickets/{ticket}/messages"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

fn customer_messages(all: &[Value]) -> Vec<&Value> {
    all.iter()
        .filter(|m| m["author_kind"] == "customer")
        .collect()
}
