//! Cheap denial of service over SMTP: one client holding many idle connections does not lock
//! others out (a per-client cap besides the total), and silence before DATA is cut short.

use super::{Smtp, config, mail, mailbox, message, send, tickets};
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;
use tiski_channels::SmtpListenerConfig;
use tiski_testkit::TestApp;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpSocket, TcpStream};

/// A connection from `from` (any of 127/8 reaches the listener on Linux), with its first line.
async fn connect_from(from: &str, to: SocketAddr) -> (BufReader<TcpStream>, String) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    let stream = socket.connect(to).await.unwrap();
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    stream.read_line(&mut line).await.unwrap();
    (stream, line)
}

#[tokio::test]
async fn one_client_over_its_cap_is_refused_while_another_is_served() {
    let test = TestApp::spawn().await;
    mailbox(&test, "support@shop.example", json!({})).await;
    let smtp = Smtp::start(
        &test,
        SmtpListenerConfig {
            max_connections: 50,
            max_connections_per_client: 3,
            ..config()
        },
    )
    .await;
    // The attacker opens idle connections from 127.0.0.2: three are served, the rest refused.
    let mut held = Vec::new();
    for n in 0..8 {
        let (stream, greeting) = connect_from("127.0.0.2", smtp.addr).await;
        if n < 3 {
            assert!(greeting.starts_with("220 mx.test"), "{n}: {greeting}");
            held.push(stream);
        } else {
            assert!(greeting.starts_with("421 4.7.0"), "{n}: {greeting}");
        }
    }
    // Meanwhile a customer's server on 127.0.0.1 delivers mail as usual.
    let sent = send(
        smtp.addr,
        json!([mail(
            "maija@customer.example",
            &["support@shop.example"],
            &message(
                "maija@customer.example",
                "support@shop.example",
                "Still served",
                "served-1@customer.example",
                "",
                "Hello."
            )
        )]),
    )
    .await;
    assert_eq!(sent[0]["code"], 250, "{sent:?}");
    assert_eq!(tickets(&test).await.len(), 1);
    // A connection given back frees its client's slot.
    drop(held.pop());
    let mut again = None;
    for _ in 0..50 {
        let (stream, greeting) = connect_from("127.0.0.2", smtp.addr).await;
        if greeting.starts_with("220") {
            again = Some(stream);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut again = again.expect("the freed slot is served again");
    again.get_mut().write_all(b"QUIT\r\n").await.unwrap();
    drop(held);
    smtp.stop().await;
    test.stop().await;
}

async fn say(text: &str, stream: &mut BufReader<TcpStream>) {
    stream.get_mut().write_all(text.as_bytes()).await.unwrap();
}

/// The last line of the next (possibly multi-line) reply.
async fn read(stream: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        stream.read_line(&mut line).await.unwrap();
        if line.len() < 4 || line.as_bytes()[3] != b'-' {
            return line;
        }
    }
}

#[tokio::test]
async fn silence_before_data_is_cut_short_but_a_slow_message_is_not() {
    let test = TestApp::spawn().await;
    mailbox(&test, "support@shop.example", json!({})).await;
    let smtp = Smtp::start(
        &test,
        SmtpListenerConfig {
            command_timeout: Duration::from_millis(300),
            idle_timeout: Duration::from_secs(60),
            ..config()
        },
    )
    .await;
    // An idle client that never gets to DATA is let go.
    let (mut idle, greeting) = connect_from("127.0.0.1", smtp.addr).await;
    assert!(greeting.starts_with("220"), "{greeting}");
    let mut line = String::new();
    idle.read_line(&mut line).await.unwrap();
    assert!(line.starts_with("421 4.4.2"), "{line}");

    // A client inside DATA may pause longer than the command timeout.
    let (mut slow, _) = connect_from("127.0.0.1", smtp.addr).await;
    say("EHLO client.test\r\n", &mut slow).await;
    assert!(read(&mut slow).await.starts_with("250"));
    say("MAIL FROM:<maija@customer.example>\r\n", &mut slow).await;
    assert!(read(&mut slow).await.starts_with("250"));
    say("RCPT TO:<support@shop.example>\r\n", &mut slow).await;
    assert!(read(&mut slow).await.starts_with("250"));
    say("DATA\r\n", &mut slow).await;
    assert!(read(&mut slow).await.starts_with("354"));
    say(
        "From: maija@customer.example\r\nSubject: Slow\r\n\r\nFirst half",
        &mut slow,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(900)).await;
    say(" and the rest.\r\n.\r\n", &mut slow).await;
    let answer = read(&mut slow).await;
    assert!(answer.starts_with("250"), "{answer}");
    smtp.stop().await;
    test.stop().await;
}
