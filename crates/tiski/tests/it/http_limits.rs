//! Cheap denial of service over HTTP: a client that trickles its request headers is
//! disconnected while others are served, and connections beyond the cap are answered 503 and
//! closed while the open ones keep working. `/metrics` is not public.

use reqwest::{Method, StatusCode};
use std::time::Duration;
use tiski_kernel::settings::Secret;
use tiski_testkit::{TestApp, fast_settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends one keep-alive request on `stream` and reads its answer's status line and body.
async fn exchange(stream: &mut TcpStream, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: tiski.test\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    read_answer(stream).await
}

/// Reads one answer (headers and a body of its content-length); empty when the server closed.
async fn read_answer(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if got.len() >= end + 4 + length {
                return String::from_utf8_lossy(&got[..end + 4 + length]).into_owned();
            }
        }
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&got).into_owned(),
            Ok(n) => got.extend_from_slice(&buffer[..n]),
        }
    }
}

/// Whether the server closes `stream` (end of file or a reset), reading what it sends first.
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 1024];
    // A safety net so a broken server fails the test instead of hanging it.
    let waited = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return true,
                Ok(_) => continue,
            }
        }
    })
    .await;
    waited.unwrap_or(false)
}

fn address(test: &TestApp) -> String {
    test.url.trim_start_matches("http://").to_string()
}

#[tokio::test]
async fn a_client_that_stalls_in_its_headers_is_disconnected_while_others_are_served() {
    let test = TestApp::spawn_with(tiski_kernel::Settings {
        http_header_timeout: Duration::from_millis(300),
        ..fast_settings()
    })
    .await;
    let mut slow = TcpStream::connect(address(&test)).await.unwrap();
    slow.write_all(b"GET /api/v1/health HT").await.unwrap();
    let mut idle = TcpStream::connect(address(&test)).await.unwrap();
    // Another client is served meanwhile.
    let mut other = TcpStream::connect(address(&test)).await.unwrap();
    let answer = exchange(&mut other, "/api/v1/health").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        closed_by_server(&mut slow).await,
        "the trickling client is cut off"
    );
    assert!(
        closed_by_server(&mut idle).await,
        "a client that sends nothing is cut off"
    );
    let (status, _) = test.get("/api/v1/health", &test.admin).await;
    assert_eq!(status, StatusCode::OK);
    test.stop().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_are_refused_while_open_ones_keep_working() {
    let test = TestApp::spawn_with(tiski_kernel::Settings {
        http_max_connections: 3,
        ..fast_settings()
    })
    .await;
    let mut open = Vec::new();
    for _ in 0..3 {
        let mut stream = TcpStream::connect(address(&test)).await.unwrap();
        let answer = exchange(&mut stream, "/api/v1/health").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        open.push(stream);
    }
    for _ in 0..5 {
        let mut extra = TcpStream::connect(address(&test)).await.unwrap();
        let answer = tokio::time::timeout(Duration::from_secs(30), read_answer(&mut extra))
            .await
            .unwrap_or_default();
        assert!(answer.starts_with("HTTP/1.1 503"), "{answer:?}");
        assert!(closed_by_server(&mut extra).await);
    }
    for stream in &mut open {
        let answer = exchange(stream, "/api/v1/health").await;
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "an open connection keeps working: {answer}"
        );
    }
    // A closed connection frees its place for the next client.
    drop(open.pop());
    let mut served = false;
    for _ in 0..200 {
        let mut next = TcpStream::connect(address(&test)).await.unwrap();
        let answer = exchange(&mut next, "/api/v1/health").await;
        if answer.starts_with("HTTP/1.1 200") {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(served, "the freed place is taken by a new connection");
    test.stop().await;
}

#[tokio::test]
async fn metrics_are_not_public_without_a_token() {
    let test = TestApp::spawn().await;
    let answer = test
        .request(Method::GET, "/metrics", None)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    test.stop().await;

    let test = TestApp::spawn_with(tiski_kernel::Settings {
        metrics_token: Secret::new("metrics-secret-123"),
        ..fast_settings()
    })
    .await;
    for (token, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some("wrong"), StatusCode::UNAUTHORIZED),
        (Some(test.admin.as_str()), StatusCode::UNAUTHORIZED),
        (Some("metrics-secret-123"), StatusCode::OK),
    ] {
        let answer = test
            .request(Method::GET, "/metrics", token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), status, "{token:?}");
    }
    test.stop().await;

    // With a listener of its own, /metrics is served there and not on the main one.
    let settings = tiski_kernel::Settings {
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..fast_settings()
    };
    let test = TestApp::spawn_with(settings.clone()).await;
    let answer = test
        .request(Method::GET, "/metrics", None)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let server = tokio::spawn(tiski_web::serve(
        listener,
        tiski_web::metrics::router(&settings),
        shutdown,
        tiski_web::ListenLimits::from_settings(&settings),
    ));
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let answer = client
        .get(format!("{metrics_url}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let other = client
        .get(format!("{metrics_url}/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let _ = stop.send(true);
    let _ = server.await;
    test.stop().await;
}
