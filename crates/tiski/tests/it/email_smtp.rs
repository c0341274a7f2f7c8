//! Mail in over SMTP: the listener of `tiski-channels` against Python's `smtplib` as the client
//! (and raw sockets for timeouts and limits), and `tiski serve --smtp-listen` under `kill -9`.

use crate::binary::{admin_token, database_flags, free_port, start};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tiski_channels::{Listener, SmtpListenerConfig};
use tiski_testkit::TestApp;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
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
async fn send(addr: SocketAddr, messages: Value) -> Vec<Value> {
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

fn message(from: &str, to: &str, subject: &str, id: &str, extra: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0200\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
}

fn mail(from: &str, to: &[&str], data: &str) -> Value {
    json!({"from": from, "to": to, "data": data})
}

/// Creates a mailbox and returns its id.
async fn mailbox(test: &TestApp, address: &str, extra: Value) -> i64 {
    let mut body = json!({"address": address, "name": "Shop Support"});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let (status, created) = test.post("/api/v1/mailboxes", &test.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().unwrap()
}

/// A running listener for a test.
struct Smtp {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Smtp {
    async fn start(test: &TestApp, config: SmtpListenerConfig) -> Smtp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, shutdown) = watch::channel(false);
        let task = tokio::spawn(Listener::serve(
            listener,
            test.app.clone(),
            config,
            shutdown,
        ));
        Smtp { addr, stop, task }
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the listener stops")
            .unwrap();
    }
}

fn config() -> SmtpListenerConfig {
    SmtpListenerConfig {
        hostname: "mx.test".into(),
        ..SmtpListenerConfig::default()
    }
}

/// Every ticket, oldest first.
async fn tickets(test: &TestApp) -> Vec<Value> {
    let (status, page) = test
        .get("/api/v1/tickets?sort=id&limit=200", &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

async fn messages(test: &TestApp, ticket: i64) -> Vec<Value> {
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

#[tokio::test]
async fn mail_over_smtp_opens_a_ticket_and_a_reply_joins_it() {
    let test = TestApp::spawn().await;
    let mailbox = mailbox(&test, "support@shop.example", json!({})).await;
    let smtp = Smtp::start(&test, config()).await;

    let first = message(
        "Maija Meikäläinen <maija@customer.example>",
        "Support <support@shop.example>",
        "Where is my order?",
        "order-1@customer.example",
        "",
        "Hello,\r\nmy order 4711 has not arrived.\r\n.A line that starts with a dot.\r\n..and one with two.\r\nMaija",
    );
    let results = send(
        smtp.addr,
        json!([mail(
            "maija@customer.example",
            &["Support@Shop.Example"],
            &first
        )]),
    )
    .await;
    assert_eq!(results[0]["code"], 250, "{results:?}");
    let all = tickets(&test).await;
    assert_eq!(all.len(), 1, "{all:?}");
    let ticket = all[0]["id"].as_i64().unwrap();
    assert_eq!(all[0]["subject"], "Where is my order?");
    assert_eq!(all[0]["channel"], "email");
    assert_eq!(all[0]["mailbox_id"], mailbox);
    let body = customer_messages(&messages(&test, ticket).await)[0]["body"]
        .as_str()
        .unwrap()
        .replace("\r\n", "\n");
    assert!(
        body.contains("\n.A line that starts with a dot.\n..and one with two."),
        "dot-stuffing is undone exactly once: {body:?}"
    );

    // A reply that names the first message joins its ticket; a retry of the first message
    // (same Message-ID) is accepted and changes nothing.
    let reply = message(
        "Maija Meikäläinen <maija@customer.example>",
        "support@shop.example",
        "Re: Where is my order?",
        "order-2@customer.example",
        "In-Reply-To: <order-1@customer.example>\r\nReferences: <order-1@customer.example>\r\n",
        "Any news?",
    );
    let results = send(
        smtp.addr,
        json!([
            mail("maija@customer.example", &["support@shop.example"], &reply),
            mail("maija@customer.example", &["support@shop.example"], &first),
        ]),
    )
    .await;
    assert_eq!(results[0]["code"], 250, "{results:?}");
    assert_eq!(results[1]["code"], 250, "{results:?}");
    assert_eq!(tickets(&test).await.len(), 1);
    let from_customer = customer_messages(&messages(&test, ticket).await)
        .into_iter()
        .map(|m| m["body"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(from_customer.len(), 2, "{from_customer:?}");
    assert!(from_customer[1].contains("Any news?"));

    smtp.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn unknown_recipients_are_refused_and_each_mailbox_gets_one_copy() {
    let test = TestApp::spawn().await;
    let support = mailbox(&test, "support@shop.example", json!({})).await;
    let sales = mailbox(&test, "sales@shop.example", json!({})).await;
    let inactive = mailbox(&test, "old@shop.example", json!({})).await;
    let (status, body) = test
        .patch(
            &format!("/api/v1/mailboxes/{inactive}"),
            &test.admin,
            json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let smtp = Smtp::start(&test, config()).await;

    let lost = message(
        "a@customer.example",
        "nobody@shop.example",
        "Lost",
        "lost@customer.example",
        "",
        "Hello?",
    );
    let both = message(
        "b@customer.example",
        "support@shop.example, sales@shop.example",
        "For both",
        "both@customer.example",
        "",
        "Hello both.",
    );
    let results = send(
        smtp.addr,
        json!([
            mail("a@customer.example", &["nobody@shop.example"], &lost),
            mail("a@customer.example", &["old@shop.example"], &lost),
            mail(
                "b@customer.example",
                &[
                    "support@shop.example",
                    "nobody@shop.example",
                    "sales@shop.example",
                    "SUPPORT@shop.example"
                ],
                &both
            ),
        ]),
    )
    .await;
    assert_eq!(results[0]["stage"], "rcpt", "{results:?}");
    assert_eq!(results[0]["refused"]["nobody@shop.example"], 550);
    assert_eq!(
        results[1]["refused"]["old@shop.example"], 550,
        "an inactive mailbox takes no mail"
    );
    assert_eq!(results[2]["code"], 250, "{results:?}");
    assert_eq!(
        results[2]["refused"],
        json!({"nobody@shop.example": 550}),
        "{results:?}"
    );
    let all = tickets(&test).await;
    let mut by_mailbox: Vec<i64> = all
        .iter()
        .map(|t| t["mailbox_id"].as_i64().unwrap())
        .collect();
    by_mailbox.sort_unstable();
    assert_eq!(
        by_mailbox,
        vec![support, sales],
        "one ticket in each mailbox and none for the refused: {all:?}"
    );

    smtp.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn oversized_messages_are_refused_with_552() {
    let test = TestApp::spawn().await;
    mailbox(&test, "support@shop.example", json!({})).await;
    let smtp = Smtp::start(
        &test,
        SmtpListenerConfig {
            max_message_bytes: Some(10_000),
            ..config()
        },
    )
    .await;
    let big = message(
        "a@customer.example",
        "support@shop.example",
        "Big",
        "big@customer.example",
        "",
        &"All work and no play makes Jack a dull boy.\r\n".repeat(400),
    );
    let small = message(
        "a@customer.example",
        "support@shop.example",
        "Small",
        "small@customer.example",
        "",
        "Just a line.",
    );
    let mut without_size = mail("a@customer.example", &["support@shop.example"], &big);
    without_size["size"] = json!(false);
    let results = send(
        smtp.addr,
        json!([
            mail("a@customer.example", &["support@shop.example"], &big),
            without_size,
            mail("a@customer.example", &["support@shop.example"], &small),
        ]),
    )
    .await;
    assert_eq!(
        results[0]["code"], 552,
        "refused at MAIL FROM SIZE=: {results:?}"
    );
    assert_eq!(results[0]["stage"], "mail");
    assert_eq!(results[1]["code"], 552, "refused after DATA: {results:?}");
    assert_eq!(results[1]["stage"], "data");
    assert_eq!(
        results[2]["code"], 250,
        "the connection goes on: {results:?}"
    );
    let all = tickets(&test).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["subject"], "Small");

    smtp.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn a_failed_ingest_answers_451_and_the_retry_is_stored_once() {
    let test = TestApp::spawn().await;
    let mailbox = mailbox(&test, "support@shop.example", json!({})).await;
    let smtp = Smtp::start(&test, config()).await;
    let raw = message(
        "a@customer.example",
        "support@shop.example",
        "Try again",
        "retry@customer.example",
        "",
        "Please keep this.",
    );
    let addr = smtp.addr;
    let line = raw.replace("\r\n", "\\r\\n");
    let mut child = python(
        PAUSED,
        &[
            addr.ip().to_string(),
            addr.port().to_string(),
            "a@customer.example".into(),
            "support@shop.example".into(),
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    writeln!(stdin, "{line}").unwrap();
    let rcpt = tokio::task::spawn_blocking(move || {
        let mut text = String::new();
        stdout.read_line(&mut text).unwrap();
        (text, stdout)
    })
    .await
    .unwrap();
    let (rcpt_line, mut stdout) = rcpt;
    assert_eq!(rcpt_line.trim(), "RCPT 250");
    // The mailbox goes away between RCPT and the end of DATA: storing fails, 451.
    let (status, body) = test
        .patch(
            &format!("/api/v1/mailboxes/{mailbox}"),
            &test.admin,
            json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    writeln!(stdin, "go").unwrap();
    let data = tokio::task::spawn_blocking(move || {
        let mut text = String::new();
        stdout.read_line(&mut text).unwrap();
        text
    })
    .await
    .unwrap();
    assert!(data.starts_with("DATA 451 4.3.0"), "{data}");
    // Wait off the runtime: the listener must go on to answer the client's QUIT.
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success());
    assert!(tickets(&test).await.is_empty());

    // Back in service, the client's retries are stored once.
    test.patch(
        &format!("/api/v1/mailboxes/{mailbox}"),
        &test.admin,
        json!({"active": true}),
    )
    .await;
    let retry = mail("a@customer.example", &["support@shop.example"], &raw);
    let results = send(addr, json!([retry.clone(), retry])).await;
    assert_eq!(results[0]["code"], 250, "{results:?}");
    assert_eq!(results[1]["code"], 250, "{results:?}");
    assert_eq!(tickets(&test).await.len(), 1);

    smtp.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn idle_clients_time_out_and_connections_are_limited() {
    let test = TestApp::spawn().await;
    let smtp = Smtp::start(
        &test,
        SmtpListenerConfig {
            idle_timeout: Duration::from_millis(800),
            max_connections: 1,
            ..config()
        },
    )
    .await;
    let first = tokio::net::TcpStream::connect(smtp.addr).await.unwrap();
    let mut first = tokio::io::BufReader::new(first);
    let mut line = String::new();
    first.read_line(&mut line).await.unwrap();
    assert!(line.starts_with("220 mx.test"), "{line}");

    // A second client while the first holds the only slot.
    let second = tokio::net::TcpStream::connect(smtp.addr).await.unwrap();
    let mut second = tokio::io::BufReader::new(second);
    let mut refused = String::new();
    second.read_line(&mut refused).await.unwrap();
    assert!(refused.starts_with("421 4.7.0"), "{refused}");

    // The first says nothing and is let go.
    line.clear();
    let started = Instant::now();
    first.read_line(&mut line).await.unwrap();
    assert!(line.starts_with("421 4.4.2"), "{line}");
    assert!(started.elapsed() < Duration::from_secs(5));
    line.clear();
    assert_eq!(first.read_line(&mut line).await.unwrap(), 0, "closed");

    // Its slot is free again.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let third = tokio::net::TcpStream::connect(smtp.addr).await.unwrap();
    let mut third = tokio::io::BufReader::new(third);
    line.clear();
    third.read_line(&mut line).await.unwrap();
    assert!(line.starts_with("220"), "{line}");
    third.get_mut().write_all(b"QUIT\r\n").await.unwrap();
    line.clear();
    third.read_line(&mut line).await.unwrap();
    assert!(line.starts_with("221"), "{line}");

    smtp.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn shutdown_says_421_to_waiting_clients() {
    let test = TestApp::spawn().await;
    let smtp = Smtp::start(&test, config()).await;
    let stream = tokio::net::TcpStream::connect(smtp.addr).await.unwrap();
    let mut stream = tokio::io::BufReader::new(stream);
    let mut line = String::new();
    stream.read_line(&mut line).await.unwrap();
    stream.get_mut().write_all(b"EHLO c\r\n").await.unwrap();
    loop {
        line.clear();
        stream.read_line(&mut line).await.unwrap();
        if line.starts_with("250 ") {
            break;
        }
    }
    smtp.stop().await;
    line.clear();
    stream.read_line(&mut line).await.unwrap();
    assert!(line.starts_with("421 4.3.2"), "{line}");
    test.stop().await;
}

/// STARTTLS, then a message; prints whether STARTTLS was offered before and after, and the TLS
/// version.
const STARTTLS: &str = r#"
import smtplib, ssl, sys
host, port, data = sys.argv[1], int(sys.argv[2]), sys.argv[3].replace("\\r\\n", "\r\n")
s = smtplib.SMTP(host, port, timeout=30)
s.ehlo("client.test")
before = s.has_extn("starttls")
s.starttls(context=ssl._create_unverified_context())
s.ehlo("client.test")
after = s.has_extn("starttls")
s.sendmail("a@customer.example", ["support@shop.example"], data.encode())
print(before, after, s.sock.version())
s.quit()
"#;

#[tokio::test]
async fn starttls_is_offered_with_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "2", "-subj", "/CN=mx.test", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(made.success());
    assert!(
        tiski_channels::smtp::load_tls(&dir.path().join("missing.pem"), &key).is_err(),
        "a missing certificate is an error"
    );
    let tls = tiski_channels::smtp::load_tls(&cert, &key).expect("the certificate loads");

    let test = TestApp::spawn().await;
    mailbox(&test, "support@shop.example", json!({})).await;
    let smtp = Smtp::start(
        &test,
        SmtpListenerConfig {
            tls: Some(tls),
            ..config()
        },
    )
    .await;
    let raw = message(
        "a@customer.example",
        "support@shop.example",
        "Over TLS",
        "tls@customer.example",
        "",
        "Private.",
    )
    .replace("\r\n", "\\r\\n");
    let addr = smtp.addr;
    let output = tokio::task::spawn_blocking(move || {
        python(
            STARTTLS,
            &[addr.ip().to_string(), addr.port().to_string(), raw],
        )
        .output()
        .unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.starts_with("True False TLSv1."), "{printed}");
    let all = tickets(&test).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["subject"], "Over TLS");
    smtp.stop().await;
    test.stop().await;
}

// --- kill -9 of the real binary ----------------------------------------------------------------

/// How many tickets have each subject, over all pages.
async fn subjects(client: &reqwest::Client, url: &str, token: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut request = client
            .get(format!("{url}/api/v1/tickets"))
            .bearer_auth(token)
            .query(&[("limit", "200")]);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor.as_str())]);
        }
        let page: Value = request.send().await.unwrap().json().await.unwrap();
        let items = page["items"]
            .as_array()
            .unwrap_or_else(|| panic!("a page of tickets: {page}"));
        for ticket in items {
            *counts
                .entry(ticket["subject"].as_str().unwrap().to_string())
                .or_insert(0) += 1;
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return counts,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_mail_survives_kill_9_and_resending_makes_no_duplicates() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (location, _dir) = std::thread::spawn(tiski_testkit::fresh_location)
        .join()
        .unwrap();
    let flags = database_flags(&location);
    let token = admin_token(&flags, "mail@example.com");

    let (port, smtp_port) = (free_port(), free_port());
    let mut server = start(&flags, port, Some(smtp_port)).await;
    let url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let created = client
        .post(format!("{url}/api/v1/mailboxes"))
        .bearer_auth(&token)
        .json(&json!({"address": "support@durable.example", "name": "Durable"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);

    const CLIENTS: usize = 4;
    const PER_CLIENT: usize = 2000;
    let mut clients = Vec::new();
    for n in 0..CLIENTS {
        let child = python(
            STREAM,
            &[
                "127.0.0.1".into(),
                smtp_port.to_string(),
                n.to_string(),
                PER_CLIENT.to_string(),
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        clients.push(child);
    }
    // Let the stream run, then pull the plug mid-stream.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    server.kill_9();
    let mut acknowledged: Vec<Vec<usize>> = Vec::new();
    for child in clients {
        let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
            .await
            .unwrap();
        let acks = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("ACK ")?.trim().parse().ok())
            .collect::<Vec<usize>>();
        acknowledged.push(acks);
    }
    let total: usize = acknowledged.iter().map(Vec::len).sum();
    eprintln!("{total} messages were acknowledged before the kill");
    assert!(
        total >= 20,
        "too few messages were acknowledged to prove anything: {total}"
    );
    assert!(
        acknowledged.iter().all(|a| a.len() < PER_CLIENT),
        "the stream ended before the kill"
    );

    let (port, smtp_port) = (free_port(), free_port());
    let mut server = start(&flags, port, Some(smtp_port)).await;
    let url = format!("http://127.0.0.1:{port}");
    let counts = subjects(&client, &url, &token).await;
    for (n, acks) in acknowledged.iter().enumerate() {
        for i in acks {
            let subject = format!("Durability {n}-{i}");
            assert_eq!(
                counts.get(&subject),
                Some(&1),
                "acknowledged {subject} must be there exactly once"
            );
        }
    }
    assert!(
        counts.values().all(|c| *c == 1),
        "no message twice: {counts:?}"
    );

    // Resend everything each client sent or was sending: the acknowledged ones, and the one
    // in flight at the kill (maybe stored, maybe not).
    let mut resend = Vec::new();
    let mut expected = Vec::new();
    for (n, acks) in acknowledged.iter().enumerate() {
        for i in 0..=acks.len() {
            let raw = format!(
                "From: Customer {n} <c{n}@durability.test>\r\nTo: support@durable.example\r\nSubject: Durability {n}-{i}\r\nMessage-ID: <d{n}-{i}@durability.test>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0200\r\n\r\nMessage {i} of client {n}.\r\n"
            );
            resend.push(mail(
                &format!("c{n}@durability.test"),
                &["support@durable.example"],
                &raw,
            ));
            expected.push(format!("Durability {n}-{i}"));
        }
    }
    let results = send(
        format!("127.0.0.1:{smtp_port}").parse().unwrap(),
        Value::Array(resend),
    )
    .await;
    assert!(
        results.iter().all(|r| r["code"] == 250),
        "every resent message is accepted: {results:?}"
    );
    let counts = subjects(&client, &url, &token).await;
    server.kill_9();
    for subject in &expected {
        assert_eq!(
            counts.get(subject),
            Some(&1),
            "{subject} must be there exactly once after the resend"
        );
    }
    assert_eq!(counts.len(), expected.len(), "{counts:?}");
}
