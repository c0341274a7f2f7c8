//! Outgoing webhooks against a real receiver: subscriptions, signatures, retries, giving up,
//! transport errors, deletion and the secret's visibility.

mod deletion;
mod retries;
mod subscriptions;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiski_testkit::TestApp;
use tokio::sync::Semaphore;

/// How long an asynchronous outcome may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(10);

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Hit {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a delivery body is JSON")
    }

    fn event_id(&self) -> i64 {
        self.json()["id"]
            .as_i64()
            .expect("a delivery names its event")
    }
}

/// A webhook receiver on a loopback port that records every request.
#[derive(Clone)]
struct Receiver {
    url: String,
    inner: Arc<Inner>,
}

struct Inner {
    hits: Mutex<Vec<Hit>>,
    seen: AtomicUsize,
    /// Requests answered 500 before the receiver starts answering 200.
    fail_first: usize,
    /// When set, each answer waits for a permit.
    gate: Option<Arc<Semaphore>>,
}

async fn record(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> AxumStatus {
    let n = inner.seen.fetch_add(1, Ordering::SeqCst);
    inner.hits.lock().unwrap().push(Hit {
        headers,
        body: body.to_vec(),
    });
    if let Some(gate) = &inner.gate {
        gate.acquire().await.expect("the gate stays open").forget();
    }
    if n < inner.fail_first {
        AxumStatus::INTERNAL_SERVER_ERROR
    } else {
        AxumStatus::OK
    }
}

impl Receiver {
    /// A receiver answering 200.
    async fn ok() -> Receiver {
        Self::start(0, None).await
    }

    /// A receiver answering 500 to the first `n` requests, then 200.
    async fn failing(n: usize) -> Receiver {
        Self::start(n, None).await
    }

    async fn start(fail_first: usize, gate: Option<Arc<Semaphore>>) -> Receiver {
        let inner = Arc::new(Inner {
            hits: Mutex::new(Vec::new()),
            seen: AtomicUsize::new(0),
            fail_first,
            gate,
        });
        let router = axum::Router::new()
            .route("/hook", axum::routing::post(record))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a receiver port");
        let url = format!(
            "http://{}/hook",
            listener.local_addr().expect("the receiver's address")
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Receiver { url, inner }
    }

    fn hits(&self) -> Vec<Hit> {
        self.inner.hits.lock().unwrap().clone()
    }
}

/// Polls `check` until it gives a value, failing the test after [`DEADLINE`].
async fn wait_for<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`, computed independently.
fn expected_signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex(&mac.finalize().into_bytes()))
}

/// Registers a webhook as admin and returns the answer (asserting 201).
async fn register(test: &TestApp, url: &str, types: &[&str], secret: Option<&str>) -> Value {
    let mut body = json!({"url": url, "event_types": types});
    if let Some(secret) = secret {
        body["secret"] = json!(secret);
    }
    let (status, webhook) = test.post("/api/v1/webhooks", &test.admin, body).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "registering a webhook: {webhook}"
    );
    webhook
}

async fn deliveries(test: &TestApp, webhook_id: i64) -> Vec<Value> {
    let (status, page) = test
        .get(
            &format!("/api/v1/webhooks/{webhook_id}/deliveries?limit=200"),
            &test.admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "listing deliveries: {page}");
    page["items"]
        .as_array()
        .expect("a page of deliveries")
        .clone()
}

/// Waits until the webhook's only delivery is no longer pending and returns it.
async fn settled_delivery(test: &TestApp, webhook_id: i64) -> Value {
    wait_for("the delivery to be delivered or failed", async || {
        let items = deliveries(test, webhook_id).await;
        match items.as_slice() {
            [one] if one["status"] != "pending" => Some(one.clone()),
            [_] | [] => None,
            many => panic!("expected one delivery, got {many:?}"),
        }
    })
    .await
}

async fn all_events(test: &TestApp) -> Vec<Value> {
    let (status, page) = test
        .get("/api/v1/events?after=0&limit=200", &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "reading the event log: {page}");
    assert!(page["next_cursor"].is_null(), "the test log fits one page");
    page["items"].as_array().unwrap().clone()
}

fn new_ticket(subject: &str, email: &str) -> Value {
    json!({"subject": subject, "requester": {"email": email}, "message": {"body": "Hello"}})
}

async fn raw_get(test: &TestApp, path: &str) -> String {
    let response = test
        .request(Method::GET, path, Some(&test.admin))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.unwrap()
}
