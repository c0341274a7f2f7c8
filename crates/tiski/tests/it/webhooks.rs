//! Outgoing webhooks against a real receiver: subscriptions, signatures, retries, giving up,
//! transport errors, deletion and the secret's visibility.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};
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

#[tokio::test]
async fn delivers_exactly_the_subscribed_types_signed() {
    let test = TestApp::spawn().await;
    let subscribed = Receiver::ok().await;
    let everything = Receiver::ok().await;
    let secret = "a-very-secret-webhook-key-0123456789";
    let hook = register(
        &test,
        &subscribed.url,
        &["ticket.created", "message.added"],
        Some(secret),
    )
    .await;
    assert_eq!(
        hook["secret"], secret,
        "the creation answer carries the secret"
    );
    assert_eq!(hook["active"], true);
    assert_eq!(
        hook["event_types"],
        json!(["ticket.created", "message.added"])
    );
    let hook_id = hook["id"].as_i64().unwrap();
    let all = register(&test, &everything.url, &["*"], None).await;
    let all_secret = all["secret"]
        .as_str()
        .expect("a generated secret is returned at creation")
        .to_string();
    assert!(all_secret.len() >= 16, "a generated secret: {all_secret}");
    assert_ne!(all_secret, secret);

    let ticket = test
        .ticket(&test.admin, new_ticket("Signed", "signed@example.com"))
        .await;
    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    let (status, _) = test
        .patch(&path, &test.admin, json!({"status": "pending"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = test
        .post(
            &format!("{path}/messages"),
            &test.admin,
            json!({"body": "A second message"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let log = all_events(&test).await;
    let created_at = log
        .iter()
        .find(|e| e["type"] == "webhook.created" && e["data"]["webhook"]["id"] == hook_id)
        .expect("the registration is in the log")["id"]
        .as_i64()
        .unwrap();
    let last = log.last().unwrap()["id"].as_i64().unwrap();
    let expected: BTreeSet<i64> = log
        .iter()
        .filter(|e| e["id"].as_i64().unwrap() > created_at)
        .filter(|e| e["type"] == "ticket.created" || e["type"] == "message.added")
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(expected.len(), 3, "ticket.created and two message.added");
    assert!(
        log.iter()
            .any(|e| e["type"] == "customer.created" || e["type"] == "ticket.status_changed"),
        "the log also has events the webhook did not subscribe to"
    );

    // The catch-all webhook receiving the newest event means the dispatcher has passed every
    // event, so the subscribed webhook has had its chance at all of them.
    wait_for(
        "the catch-all webhook to get the newest event",
        async || {
            everything
                .hits()
                .iter()
                .any(|h| h.event_id() == last)
                .then_some(())
        },
    )
    .await;
    let hits = wait_for("the subscribed deliveries", async || {
        let hits = subscribed.hits();
        (hits.len() >= expected.len()).then_some(hits)
    })
    .await;
    let received: Vec<i64> = hits.iter().map(Hit::event_id).collect();
    assert_eq!(
        received.iter().copied().collect::<BTreeSet<_>>(),
        expected,
        "deliveries for exactly the subscribed types"
    );
    assert_eq!(received.len(), expected.len(), "each event delivered once");

    let listed = wait_for("the deliveries to be recorded as delivered", async || {
        let items = deliveries(&test, hook_id).await;
        (items.len() == expected.len() && items.iter().all(|d| d["status"] == "delivered"))
            .then_some(items)
    })
    .await;
    for hit in &hits {
        let body = hit.json();
        assert_eq!(
            hit.header("X-Tiski-Signature").as_deref(),
            Some(expected_signature(secret, &hit.body).as_str()),
            "the signature is the HMAC of the raw body"
        );
        assert_eq!(
            hit.header("X-Tiski-Event").as_deref(),
            body["type"].as_str(),
            "X-Tiski-Event names the event type"
        );
        assert!(
            body["type"] == "ticket.created" || body["type"] == "message.added",
            "an unsubscribed type was delivered: {body}"
        );
        assert_eq!(body["ticket_id"], ticket["id"]);
        assert!(
            hit.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "a JSON body"
        );
        let delivery_id: i64 = hit
            .header("X-Tiski-Delivery")
            .expect("X-Tiski-Delivery is present")
            .parse()
            .expect("X-Tiski-Delivery is a delivery id");
        let listed = listed
            .iter()
            .find(|d| d["id"] == delivery_id)
            .unwrap_or_else(|| panic!("delivery {delivery_id} is listed: {listed:?}"));
        assert_eq!(listed["event_id"], body["id"]);
        assert_eq!(listed["attempts"], 1);
        assert_eq!(listed["attempt_log"][0]["status_code"], 200);
        assert!(listed["last_error"].is_null());
        assert!(listed["delivered_at"].is_string());
    }
    let delivery_ids: BTreeSet<String> = hits
        .iter()
        .map(|h| h.header("X-Tiski-Delivery").unwrap())
        .collect();
    assert_eq!(
        delivery_ids.len(),
        hits.len(),
        "each delivery has its own id"
    );

    let everything_hits = everything.hits();
    for hit in &everything_hits {
        assert_eq!(
            hit.header("X-Tiski-Signature").as_deref(),
            Some(expected_signature(&all_secret, &hit.body).as_str()),
            "the generated secret signs too"
        );
    }
    let caught: BTreeSet<String> = everything_hits
        .iter()
        .filter(|h| h.event_id() > created_at)
        .map(|h| h.json()["type"].as_str().unwrap().to_string())
        .collect();
    assert!(
        caught.contains("ticket.status_changed") && caught.contains("customer.created"),
        "`*` delivers every type: {caught:?}"
    );
    test.stop().await;
}

#[tokio::test]
async fn registration_is_admin_only_validated_and_hides_the_secret() {
    let test = TestApp::spawn().await;
    let receiver = Receiver::ok().await;
    let team = test.team("Hooks").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let forbidden = test
        .post(
            "/api/v1/webhooks",
            &agent,
            json!({"url": receiver.url, "event_types": ["*"]}),
        )
        .await;
    assert_problem(&forbidden, StatusCode::FORBIDDEN, None);
    assert_problem(
        &test.get("/api/v1/webhooks", &agent).await,
        StatusCode::FORBIDDEN,
        None,
    );
    assert_problem(
        &test
            .post(
                "/api/v1/webhooks",
                &test.admin,
                json!({"url": "ftp://example.com/x", "event_types": ["*"]}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("url"),
    );
    assert_problem(
        &test
            .post(
                "/api/v1/webhooks",
                &test.admin,
                json!({"url": receiver.url, "event_types": ["ticket.created", "no.such"]}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("event_types/1"),
    );
    assert_problem(
        &test
            .post(
                "/api/v1/webhooks",
                &test.admin,
                json!({"url": receiver.url, "event_types": ["*"], "secret": "short"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("secret"),
    );

    assert_problem(
        &test
            .get("/api/v1/webhooks/999999/deliveries", &test.admin)
            .await,
        StatusCode::NOT_FOUND,
        None,
    );
    assert_problem(
        &test
            .call(Method::DELETE, "/api/v1/webhooks/999999", &test.admin, None)
            .await,
        StatusCode::NOT_FOUND,
        None,
    );

    let given = "given-secret-4f1b9c2d7e8a";
    let with_secret = register(&test, &receiver.url, &["ticket.created"], Some(given)).await;
    assert_eq!(with_secret["secret"], given);
    let generated = register(&test, &receiver.url, &["*"], None).await;
    let generated_secret = generated["secret"].as_str().unwrap().to_string();

    let (status, list) = test.get("/api/v1/webhooks", &test.admin).await;
    assert_eq!(status, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        assert!(
            item.get("secret").is_none(),
            "GET shows no secret field: {item}"
        );
    }
    let given_id = with_secret["id"].as_i64().unwrap();
    assert_problem(
        &test
            .get(&format!("/api/v1/webhooks/{given_id}/deliveries"), &agent)
            .await,
        StatusCode::FORBIDDEN,
        None,
    );
    assert_problem(
        &test
            .call(
                Method::DELETE,
                &format!("/api/v1/webhooks/{given_id}"),
                &agent,
                None,
            )
            .await,
        StatusCode::FORBIDDEN,
        None,
    );
    // Nowhere else readable either: the list, the event log, the delivery log.
    test.ticket(&test.admin, new_ticket("Secretive", "s@example.com"))
        .await;
    let hook_id = generated["id"].as_i64().unwrap();
    wait_for("a delivery", async || {
        (!deliveries(&test, hook_id).await.is_empty()).then_some(())
    })
    .await;
    for path in [
        "/api/v1/webhooks".to_string(),
        "/api/v1/events?after=0&limit=200".to_string(),
        format!("/api/v1/webhooks/{hook_id}/deliveries"),
        format!("/api/v1/webhooks/{}/deliveries", with_secret["id"]),
    ] {
        let text = raw_get(&test, &path).await;
        assert!(!text.contains(given), "GET {path} reveals a secret: {text}");
        assert!(
            !text.contains(&generated_secret),
            "GET {path} reveals a secret: {text}"
        );
    }
    test.stop().await;
}

#[tokio::test]
async fn a_failing_receiver_gets_the_same_delivery_retried() {
    let test = TestApp::spawn().await;
    let receiver = Receiver::failing(2).await;
    let secret = "retry-secret-0123456789abcdef";
    let hook = register(&test, &receiver.url, &["ticket.created"], Some(secret)).await;
    let hook_id = hook["id"].as_i64().unwrap();
    let ticket = test
        .ticket(&test.admin, new_ticket("Retry me", "retry@example.com"))
        .await;

    let delivery = settled_delivery(&test, hook_id).await;
    assert_eq!(delivery["status"], "delivered", "{delivery}");
    assert_eq!(delivery["attempts"], 3, "{delivery}");
    let codes: Vec<Value> = delivery["attempt_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![json!(500), json!(500), json!(200)],
        "{delivery}"
    );
    for failed in &delivery["attempt_log"].as_array().unwrap()[..2] {
        assert!(
            failed["error"].as_str().is_some_and(|e| !e.is_empty()),
            "a failed attempt records its error: {failed}"
        );
    }
    assert!(delivery["attempt_log"][2]["error"].is_null());
    assert!(delivery["last_error"].is_null(), "{delivery}");
    assert!(delivery["delivered_at"].is_string());
    assert!(delivery["next_attempt_at"].is_null());

    let hits = receiver.hits();
    assert_eq!(hits.len(), 3, "two failures and one success");
    let first = &hits[0];
    assert_eq!(first.json()["type"], "ticket.created");
    assert_eq!(first.json()["ticket_id"], ticket["id"]);
    for hit in &hits {
        assert_eq!(
            hit.header("X-Tiski-Delivery"),
            Some(delivery["id"].to_string()),
            "the same delivery is retried"
        );
        assert_eq!(hit.body, first.body, "a retry sends the same body");
        assert_eq!(
            hit.header("X-Tiski-Signature").as_deref(),
            Some(expected_signature(secret, &hit.body).as_str())
        );
        assert_eq!(
            hit.header("X-Tiski-Event").as_deref(),
            Some("ticket.created")
        );
    }
    test.stop().await;
}

#[tokio::test]
async fn a_receiver_that_always_fails_ends_failed_after_four_attempts() {
    let test = TestApp::spawn().await;
    let receiver = Receiver::failing(usize::MAX).await;
    let hook = register(&test, &receiver.url, &["ticket.created"], None).await;
    let hook_id = hook["id"].as_i64().unwrap();
    test.ticket(&test.admin, new_ticket("Never", "never@example.com"))
        .await;

    let delivery = settled_delivery(&test, hook_id).await;
    assert_eq!(delivery["status"], "failed", "{delivery}");
    assert_eq!(delivery["attempts"], 4, "{delivery}");
    let log = delivery["attempt_log"].as_array().unwrap();
    assert_eq!(log.len(), 4, "{delivery}");
    for attempt in log {
        assert_eq!(attempt["status_code"], 500, "{attempt}");
        assert!(attempt["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    assert!(
        delivery["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("500")),
        "the last error names the answer: {delivery}"
    );
    assert!(delivery["delivered_at"].is_null());
    assert!(delivery["next_attempt_at"].is_null());
    let hits = receiver.hits();
    assert_eq!(hits.len(), 4, "four attempts reached the receiver");
    assert!(
        hits.iter()
            .all(|h| h.header("X-Tiski-Delivery") == Some(delivery["id"].to_string()))
    );
    test.stop().await;
}

#[tokio::test]
async fn an_unreachable_url_records_the_transport_error() {
    let test = TestApp::spawn().await;
    let closed = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let hook = register(
        &test,
        &format!("http://{closed}/hook"),
        &["ticket.created"],
        None,
    )
    .await;
    let hook_id = hook["id"].as_i64().unwrap();
    test.ticket(&test.admin, new_ticket("Nobody home", "nobody@example.com"))
        .await;

    let delivery = settled_delivery(&test, hook_id).await;
    assert_eq!(delivery["status"], "failed", "{delivery}");
    assert_eq!(delivery["attempts"], 4, "{delivery}");
    let log = delivery["attempt_log"].as_array().unwrap();
    assert_eq!(log.len(), 4, "{delivery}");
    for attempt in log {
        assert!(
            attempt["status_code"].is_null(),
            "no HTTP status without a connection: {attempt}"
        );
        let error = attempt["error"].as_str().unwrap_or_default().to_lowercase();
        assert!(
            error.contains("connect"),
            "the transport error is recorded: {attempt}"
        );
    }
    assert!(
        delivery["last_error"]
            .as_str()
            .is_some_and(|e| e.to_lowercase().contains("connect")),
        "{delivery}"
    );
    test.stop().await;
}

#[tokio::test]
async fn deleting_a_webhook_stops_deliveries() {
    let test = TestApp::spawn().await;
    let receiver = Receiver::ok().await;
    let witness = Receiver::ok().await;
    let hook = register(&test, &receiver.url, &["ticket.created"], None).await;
    let hook_id = hook["id"].as_i64().unwrap();
    register(&test, &witness.url, &["ticket.created"], None).await;

    let first = test
        .ticket(&test.admin, new_ticket("Before", "before@example.com"))
        .await;
    wait_for("the first delivery", async || {
        (!receiver.hits().is_empty()).then_some(())
    })
    .await;

    let response = test
        .request(
            Method::DELETE,
            &format!("/api/v1/webhooks/{hook_id}"),
            Some(&test.admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let again = test
        .call(
            Method::DELETE,
            &format!("/api/v1/webhooks/{hook_id}"),
            &test.admin,
            None,
        )
        .await;
    assert_problem(&again, StatusCode::NOT_FOUND, None);
    let (_, list) = test.get("/api/v1/webhooks", &test.admin).await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["id"] != hook_id),
        "a deleted webhook is not listed: {list}"
    );

    let second = test
        .ticket(&test.admin, new_ticket("After", "after@example.com"))
        .await;
    // The witness getting the second ticket means the dispatcher has handled its event.
    wait_for("the witness to get the second ticket", async || {
        witness
            .hits()
            .iter()
            .any(|h| h.json()["ticket_id"] == second["id"])
            .then_some(())
    })
    .await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 1, "no delivery after deletion");
    assert_eq!(hits[0].json()["ticket_id"], first["id"]);
    let log = deliveries(&test, hook_id).await;
    assert_eq!(
        log.len(),
        1,
        "the delivery log stays, with nothing new: {log:?}"
    );
    assert_eq!(log[0]["status"], "delivered");
    test.stop().await;
}

#[tokio::test]
async fn deleting_a_webhook_during_a_delivery_stops_its_retries() {
    let test = TestApp::spawn().await;
    let gate = Arc::new(Semaphore::new(0));
    let receiver = Receiver::start(usize::MAX, Some(gate.clone())).await;
    let hook = register(&test, &receiver.url, &["ticket.created"], None).await;
    let hook_id = hook["id"].as_i64().unwrap();
    test.ticket(&test.admin, new_ticket("In flight", "flight@example.com"))
        .await;

    // The first attempt is in flight: the receiver holds it.
    wait_for("the first attempt to arrive", async || {
        (!receiver.hits().is_empty()).then_some(())
    })
    .await;
    let response = test
        .request(
            Method::DELETE,
            &format!("/api/v1/webhooks/{hook_id}"),
            Some(&test.admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // Let this attempt and any later one through, each answered 500.
    gate.add_permits(100);

    let delivery = wait_for("the attempt to be recorded and settle", async || {
        let items = deliveries(&test, hook_id).await;
        let one = items.first()?.clone();
        (one["attempts"].as_i64() >= Some(1) && one["status"] != "pending").then_some(one)
    })
    .await;
    assert_eq!(
        delivery["status"], "failed",
        "a deleted webhook's delivery is not retried: {delivery}"
    );
    assert_eq!(
        delivery["attempts"], 1,
        "no attempt after the webhook was deleted: {delivery}"
    );
    assert_eq!(
        receiver.hits().len(),
        1,
        "the receiver got only the first attempt"
    );
    test.stop().await;
}
