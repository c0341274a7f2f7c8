//! A 201 means committed: tickets answered 201 survive `kill -9` of the server under load.

use crate::binary::{admin_token, database_flags, free_port, start};
use serde_json::json;
use std::process::Command;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_tickets_survive_kill_9() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (location, _dir) = std::thread::spawn(tiski_testkit::fresh_location)
        .join()
        .unwrap();
    let flags = database_flags(&location);
    let token = admin_token(&flags, "load@example.com");

    let port = free_port();
    let mut server = start(&flags, port, None).await;
    let url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();

    let mut workers = Vec::new();
    for worker in 0..16 {
        let client = client.clone();
        let url = url.clone();
        let token = token.clone();
        workers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for n in 0.. {
                let answer = client
                    .post(format!("{url}/api/v1/tickets"))
                    .bearer_auth(&token)
                    .json(&json!({
                        "subject": format!("Load {worker}-{n}"),
                        "requester": {"email": format!("load{worker}-{}@example.com", n % 50)},
                        "message": {"body": "Durability check."}
                    }))
                    .send()
                    .await;
                let Ok(response) = answer else { break };
                if response.status() != reqwest::StatusCode::CREATED {
                    break;
                }
                let Ok(body) = response.json::<serde_json::Value>().await else {
                    break;
                };
                acknowledged.push(body["id"].as_i64().unwrap());
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill_9();
    let mut acknowledged = Vec::new();
    for worker in workers {
        acknowledged.extend(worker.await.unwrap());
    }
    assert!(
        acknowledged.len() > 50,
        "the load made too few tickets to prove anything: {}",
        acknowledged.len()
    );

    let port = free_port();
    let mut server = start(&flags, port, None).await;
    let mut missing = Vec::new();
    for id in &acknowledged {
        let status = client
            .get(format!("http://127.0.0.1:{port}/api/v1/tickets/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status();
        if status != reqwest::StatusCode::OK {
            missing.push(*id);
        }
    }
    server.kill_9();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged tickets were lost: {missing:?}",
        missing.len(),
        acknowledged.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_and_stops_cleanly() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (location, _dir) = std::thread::spawn(tiski_testkit::fresh_location)
        .join()
        .unwrap();
    let flags = database_flags(&location);
    let token = admin_token(&flags, "term@example.com");

    let port = free_port();
    let mut server = start(&flags, port, None).await;
    let url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    // A live event stream is a request that never finishes by itself.
    let mut stream = client
        .get(format!("{url}/api/v1/events/stream?after=0"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), reqwest::StatusCode::OK);
    // Requests in flight while the signal arrives.
    let mut creates = Vec::new();
    for n in 0..20 {
        let client = client.clone();
        let (url, token) = (url.clone(), token.clone());
        creates.push(tokio::spawn(async move {
            client
                .post(format!("{url}/api/v1/tickets"))
                .bearer_auth(&token)
                .json(&json!({"subject": format!("Draining {n}"), "requester": {"email": "drain@example.com"}, "message": {"body": "Hi"}}))
                .send()
                .await
                .map(|r| r.status())
        }));
    }
    let pid = server.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );

    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "tiski did not stop within 15 s of SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "tiski exited with {status} after SIGTERM");
    // The stream was ended by the server, not cut: reading it to the end finishes.
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the event stream did not end");
    for create in creates {
        // Each request either completed (201) or was never accepted (connection refused):
        // none was answered with an error because of the shutdown.
        if let Ok(status) = create.await.unwrap() {
            assert_eq!(status, reqwest::StatusCode::CREATED);
        }
    }
}
