//! `tiski serve --smtp-listen` under `kill -9` of the real binary.

use super::{STREAM, mail, python, send};
use crate::binary::{admin_token, database_flags, free_port, start};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::process::Stdio;
use std::time::Duration;

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
    // Let the stream run until a few dozen tickets are in (however slow the machine is
    // today), then pull the plug mid-stream.
    for _ in 0..240 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let page: Value = match client
            .get(format!("{url}/api/v1/tickets"))
            .bearer_auth(&token)
            .query(&[("limit", "50")])
            .send()
            .await
        {
            Ok(answer) => answer.json().await.unwrap_or(Value::Null),
            Err(_) => continue,
        };
        if page["items"]
            .as_array()
            .is_some_and(|items| items.len() >= 40)
        {
            break;
        }
    }
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
