//! A minimal SMTP client for the email scenario: one connection per message (greeting, EHLO,
//! MAIL, RCPT, DATA, QUIT), the way an MTA relays to tiski's listener.

use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Reads one (possibly multi-line) SMTP reply and returns its code and text.
async fn reply(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> Result<(u16, String), String> {
    let mut text = String::new();
    loop {
        let mut line = String::new();
        let read = reader
            .read_line(&mut line)
            .await
            .map_err(|e| e.to_string())?;
        if read == 0 {
            return Err("the server closed the connection".into());
        }
        text.push_str(&line);
        if line.len() < 4 || line.as_bytes()[3] != b'-' {
            let code = line
                .get(..3)
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| format!("not an SMTP reply: {line:?}"))?;
            return Ok((code, text));
        }
    }
}

/// Sends `message` (CRLF line endings, already dot-stuffed) from `from` to `to`; `Ok` only on a
/// 250 after DATA. The error names the step and the server's answer.
pub async fn send(
    server: SocketAddr,
    from: &str,
    to: &str,
    message: &str,
) -> Result<(), (String, String)> {
    let stream = TcpStream::connect(server)
        .await
        .map_err(|e| ("connect".to_string(), e.to_string()))?;
    stream.set_nodelay(true).ok();
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let step = |name: &str, expected: u16, got: Result<(u16, String), String>| match got {
        Ok((code, _)) if code == expected => Ok(()),
        Ok((code, text)) => Err((code.to_string(), format!("{name}: {}", text.trim()))),
        Err(error) => Err(("transport".to_string(), format!("{name}: {error}"))),
    };
    step("greeting", 220, reply(&mut reader).await)?;
    let commands = [
        ("EHLO", "EHLO bench.localhost\r\n".to_string(), 250),
        ("MAIL", format!("MAIL FROM:<{from}>\r\n"), 250),
        ("RCPT", format!("RCPT TO:<{to}>\r\n"), 250),
        ("DATA", "DATA\r\n".to_string(), 354),
    ];
    for (name, command, expected) in commands {
        write
            .write_all(command.as_bytes())
            .await
            .map_err(|e| ("transport".to_string(), e.to_string()))?;
        step(name, expected, reply(&mut reader).await)?;
    }
    write
        .write_all(message.as_bytes())
        .await
        .map_err(|e| ("transport".to_string(), e.to_string()))?;
    write
        .write_all(b"\r\n.\r\n")
        .await
        .map_err(|e| ("transport".to_string(), e.to_string()))?;
    step("end of data", 250, reply(&mut reader).await)?;
    let _ = write.write_all(b"QUIT\r\n").await;
    Ok(())
}

/// A customer message for the email scenario. Every odd-numbered message answers the message
/// sent 65 before it (so about half are replies that thread into existing tickets).
pub fn message(seq: u64, to: &str) -> (String, String) {
    let customer = seq % 5000;
    let from = format!("customer{customer:04}@bench.example.com");
    let reply = seq % 2 == 1 && seq > 65;
    let threading = if reply {
        format!("In-Reply-To: <bench-{}@bench.example.com>\r\n", seq - 65)
    } else {
        String::new()
    };
    let subject = if reply {
        "Re: Order question"
    } else {
        "Order question"
    };
    let text = format!(
        "From: Customer {customer} <{from}>\r\nTo: {to}\r\nSubject: {subject} {seq}\r\nMessage-ID: <bench-{seq}@bench.example.com>\r\n{threading}Date: Fri, 27 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello, where is my order {seq}? It was due last week.\r\n\r\nBest regards\r\nCustomer {customer}"
    );
    (from, text)
}
