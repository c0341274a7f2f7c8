//! Connections: idle timeouts and limits, shutdown, and STARTTLS.

use super::{Smtp, config, mailbox, message, python, tickets};
use serde_json::json;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tiski_channels::SmtpListenerConfig;
use tiski_testkit::TestApp;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

#[tokio::test]
async fn idle_clients_time_out_and_connections_are_limited() {
    let test = TestApp::spawn().await;
    let smtp = Smtp::start(
        &test,
        SmtpListenerConfig {
            command_timeout: Duration::from_millis(800),
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
