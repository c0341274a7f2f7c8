//! `Idempotency-Key`: a retried create answers the first result again and creates nothing
//! twice; a key reused for another request is refused; keys belong to one user.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

/// An answer with the replay marker.
#[derive(Debug, Clone)]
struct Answer {
    status: StatusCode,
    replayed: Option<String>,
    body: Value,
}

impl Answer {
    fn problem(&self) -> (StatusCode, Value) {
        (self.status, self.body.clone())
    }

    #[track_caller]
    fn assert_fresh(&self) {
        assert_eq!(self.status, StatusCode::CREATED, "{}", self.body);
        assert_eq!(self.replayed, None, "a first request is not a replay");
    }

    #[track_caller]
    fn assert_replay_of(&self, first: &Answer) {
        assert_eq!(self.status, StatusCode::CREATED, "a replay: {}", self.body);
        assert_eq!(
            self.replayed.as_deref(),
            Some("true"),
            "a replay carries idempotent-replayed: true"
        );
        assert_eq!(self.body, first.body, "a replay answers the first body");
    }
}

/// POSTs `body` (as these exact bytes) to `path` as `token` with an optional key.
async fn post_with(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    key: Option<&str>,
    body: &[u8],
) -> Answer {
    let mut request = http
        .request(Method::POST, format!("{base}{path}"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let text = response.text().await.unwrap_or_default();
    Answer {
        status,
        replayed,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn post(test: &TestApp, token: &str, path: &str, key: Option<&str>, body: &Value) -> Answer {
    let bytes = serde_json::to_vec(body).unwrap();
    post_with(&client(), &test.url, token, path, key, &bytes).await
}

/// Every event in the log (as admin).
async fn log(test: &TestApp) -> Vec<Value> {
    let mut after = 0;
    let mut all = Vec::new();
    loop {
        let (status, page) = test
            .get(
                &format!("/api/v1/events?after={after}&limit=200"),
                &test.admin,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        all.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => after = next.parse().unwrap(),
            None => return all,
        }
    }
}

async fn count_events(test: &TestApp, kind: &str, matches: impl Fn(&Value) -> bool) -> usize {
    log(test)
        .await
        .iter()
        .filter(|e| e["type"] == kind && matches(e))
        .count()
}

/// The tickets tagged `tag`, as admin.
async fn tagged(test: &TestApp, tag: &str) -> Vec<Value> {
    let (status, page) = test
        .get(&format!("/api/v1/tickets?tag={tag}&limit=200"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

fn ticket(subject: &str, tag: &str) -> Value {
    json!({
        "subject": subject,
        "requester": {"email": "idem@example.com", "name": "Ida Empotent"},
        "tags": [tag],
        "message": {"body": "Please help"}
    })
}

#[tokio::test]
async fn a_retried_ticket_create_replays_the_first_answer() {
    let test = TestApp::spawn().await;
    let body = ticket("Retried", "retried");
    let first = post(&test, &test.admin, "/api/v1/tickets", Some("key-1"), &body).await;
    first.assert_fresh();
    let second = post(&test, &test.admin, "/api/v1/tickets", Some("key-1"), &body).await;
    second.assert_replay_of(&first);
    let third = post(&test, &test.admin, "/api/v1/tickets", Some("key-1"), &body).await;
    third.assert_replay_of(&first);

    let id = first.body["id"].clone();
    let listed = tagged(&test, "retried").await;
    assert_eq!(listed.len(), 1, "one ticket: {listed:?}");
    assert_eq!(listed[0]["id"], id);
    assert_eq!(
        count_events(&test, "ticket.created", |e| e["ticket_id"] == id).await,
        1
    );
    assert_eq!(
        count_events(&test, "ticket.created", |_| true).await,
        1,
        "no other ticket was made"
    );
    assert_eq!(
        count_events(&test, "message.added", |_| true).await,
        1,
        "the first message was added once"
    );

    // Without a key the same body makes a new ticket each time.
    let plain = post(&test, &test.admin, "/api/v1/tickets", None, &body).await;
    plain.assert_fresh();
    assert_ne!(plain.body["id"], id);
    assert_eq!(tagged(&test, "retried").await.len(), 2);
    test.stop().await;
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_refused() {
    let test = TestApp::spawn().await;
    let body = ticket("Original", "original");
    let first = post(&test, &test.admin, "/api/v1/tickets", Some("reused"), &body).await;
    first.assert_fresh();

    let other = ticket("Something else", "original");
    let conflict = post(
        &test,
        &test.admin,
        "/api/v1/tickets",
        Some("reused"),
        &other,
    )
    .await;
    assert_problem(
        &conflict.problem(),
        StatusCode::CONFLICT,
        Some("Idempotency-Key"),
    );
    assert_eq!(conflict.replayed, None);
    // The same body on another endpoint is another request too.
    let customer = json!({"name": "Ida", "emails": ["ida@example.com"]});
    let elsewhere = post(
        &test,
        &test.admin,
        "/api/v1/customers",
        Some("reused"),
        &customer,
    )
    .await;
    assert_problem(
        &elsewhere.problem(),
        StatusCode::CONFLICT,
        Some("Idempotency-Key"),
    );
    let (_, customers) = test
        .get("/api/v1/customers?q=ida%40example.com", &test.admin)
        .await;
    assert_eq!(
        customers["items"].as_array().unwrap().len(),
        0,
        "the refused request created nothing: {customers}"
    );

    let listed = tagged(&test, "original").await;
    assert_eq!(listed.len(), 1, "the conflict created nothing");
    assert_eq!(listed[0]["subject"], "Original");
    // The original request still replays.
    post(&test, &test.admin, "/api/v1/tickets", Some("reused"), &body)
        .await
        .assert_replay_of(&first);

    // A key whose request failed was not used up.
    let bad = json!({"subject": "Bad team", "requester": {"email": "x@example.com"},
        "team_id": 999_999, "message": {"body": "x"}});
    let failed = post(
        &test,
        &test.admin,
        "/api/v1/tickets",
        Some("after-failure"),
        &bad,
    )
    .await;
    assert!(
        failed.status.is_client_error(),
        "a ticket for a missing team fails: {failed:?}"
    );
    let good = ticket("After a failure", "after-failure");
    post(
        &test,
        &test.admin,
        "/api/v1/tickets",
        Some("after-failure"),
        &good,
    )
    .await
    .assert_fresh();

    // Keys are checked.
    for key in ["has space", &"k".repeat(256)] {
        let invalid = post(&test, &test.admin, "/api/v1/tickets", Some(key), &good).await;
        assert_problem(
            &invalid.problem(),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Idempotency-Key"),
        );
    }
    assert_eq!(tagged(&test, "after-failure").await.len(), 1);
    test.stop().await;
}

#[tokio::test]
async fn keys_belong_to_one_user() {
    let test = TestApp::spawn().await;
    let team = test.team("Shared").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let mut body = ticket("Same key, two users", "two-users");
    body["team_id"] = json!(team);

    let admins = post(
        &test,
        &test.admin,
        "/api/v1/tickets",
        Some("shared-key"),
        &body,
    )
    .await;
    admins.assert_fresh();
    let agents = post(&test, &agent, "/api/v1/tickets", Some("shared-key"), &body).await;
    agents.assert_fresh();
    assert_ne!(
        admins.body["id"], agents.body["id"],
        "another user's key does not replay"
    );
    // Each replays their own.
    post(&test, &agent, "/api/v1/tickets", Some("shared-key"), &body)
        .await
        .assert_replay_of(&agents);
    post(
        &test,
        &test.admin,
        "/api/v1/tickets",
        Some("shared-key"),
        &body,
    )
    .await
    .assert_replay_of(&admins);
    // And a different body from the other user is fine too: the key is theirs.
    let (_, other_agent) = test.user(Role::Agent, &[team]).await;
    let mut other = ticket("Third user's ticket", "two-users");
    other["team_id"] = json!(team);
    post(
        &test,
        &other_agent,
        "/api/v1/tickets",
        Some("shared-key"),
        &other,
    )
    .await
    .assert_fresh();
    assert_eq!(tagged(&test, "two-users").await.len(), 3);
    test.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_key_create_one_ticket() {
    let test = TestApp::spawn().await;
    let body = serde_json::to_vec(&ticket("Twenty at once", "concurrent")).unwrap();
    let http = client();
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (http, base, token, body) = (
            http.clone(),
            test.url.clone(),
            test.admin.clone(),
            body.clone(),
        );
        requests.spawn(async move {
            post_with(
                &http,
                &base,
                &token,
                "/api/v1/tickets",
                Some("one-key"),
                &body,
            )
            .await
        });
    }
    let mut answers = Vec::new();
    while let Some(answer) = requests.join_next().await {
        answers.push(answer.expect("a request task"));
    }
    assert_eq!(answers.len(), 20);
    for answer in &answers {
        assert_eq!(
            answer.status,
            StatusCode::CREATED,
            "every concurrent request gets the ticket: {answer:?}"
        );
    }
    let fresh: Vec<&Answer> = answers.iter().filter(|a| a.replayed.is_none()).collect();
    assert_eq!(fresh.len(), 1, "exactly one request created: {answers:#?}");
    for answer in &answers {
        assert_eq!(
            answer.body, fresh[0].body,
            "all answers are the same ticket"
        );
    }

    let listed = tagged(&test, "concurrent").await;
    assert_eq!(listed.len(), 1, "one ticket: {listed:#?}");
    assert_eq!(listed[0]["id"], fresh[0].body["id"]);
    assert_eq!(count_events(&test, "ticket.created", |_| true).await, 1);
    assert_eq!(
        count_events(&test, "customer.created", |_| true).await,
        1,
        "one requester"
    );
    test.stop().await;
}

#[tokio::test]
async fn customers_messages_teams_and_webhooks_are_idempotent_too() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;

    // Customers.
    let customer = json!({"name": "Kari Key", "emails": ["kari@example.com"]});
    let first = post(
        &test,
        &test.admin,
        "/api/v1/customers",
        Some("c-1"),
        &customer,
    )
    .await;
    first.assert_fresh();
    post(
        &test,
        &test.admin,
        "/api/v1/customers",
        Some("c-1"),
        &customer,
    )
    .await
    .assert_replay_of(&first);
    let (_, found) = test.get("/api/v1/customers?q=kari", &test.admin).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(
        count_events(&test, "customer.created", |e| e["data"]["customer_id"]
            == first.body["id"])
        .await,
        1
    );
    let changed = json!({"name": "Kari Other", "emails": ["kari.other@example.com"]});
    assert_problem(
        &post(
            &test,
            &test.admin,
            "/api/v1/customers",
            Some("c-1"),
            &changed,
        )
        .await
        .problem(),
        StatusCode::CONFLICT,
        Some("Idempotency-Key"),
    );

    // Messages.
    let made = test
        .ticket(&test.admin, ticket("Messages", "messages"))
        .await;
    let path = format!("/api/v1/tickets/{}/messages", made["id"]);
    let message = json!({"body": "Only once, please"});
    let first = post(&test, &test.admin, &path, Some("m-1"), &message).await;
    first.assert_fresh();
    post(&test, &test.admin, &path, Some("m-1"), &message)
        .await
        .assert_replay_of(&first);
    let (_, messages) = test.get(&path, &test.admin).await;
    let bodies: Vec<&Value> = messages["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["body"])
        .filter(|b| *b == "Only once, please")
        .collect();
    assert_eq!(bodies.len(), 1, "{messages}");
    assert_eq!(
        count_events(&test, "message.added", |e| e["ticket_id"] == made["id"]).await,
        2,
        "the first message and the reply"
    );
    assert_problem(
        &post(
            &test,
            &test.admin,
            &path,
            Some("m-1"),
            &json!({"body": "Another"}),
        )
        .await
        .problem(),
        StatusCode::CONFLICT,
        Some("Idempotency-Key"),
    );

    // Teams: without a key a second create of the name would conflict; with one it replays.
    let team = json!({"name": "Idempotent Team"});
    let first = post(&test, &test.admin, "/api/v1/teams", Some("t-1"), &team).await;
    first.assert_fresh();
    post(&test, &test.admin, "/api/v1/teams", Some("t-1"), &team)
        .await
        .assert_replay_of(&first);
    let (_, teams) = test.get("/api/v1/teams", &test.admin).await;
    assert_eq!(
        teams["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["name"] == "Idempotent Team")
            .count(),
        1,
        "{teams}"
    );
    assert_eq!(count_events(&test, "team.created", |_| true).await, 1);
    assert_problem(
        &post(
            &test,
            &test.admin,
            "/api/v1/teams",
            Some("t-1"),
            &json!({"name": "Other"}),
        )
        .await
        .problem(),
        StatusCode::CONFLICT,
        Some("Idempotency-Key"),
    );

    // Webhooks.
    let hook = json!({"url": "http://127.0.0.1:9/hook", "event_types": ["ticket.created"],
        "secret": "idempotent-secret-123456"});
    let first = post(&test, &test.admin, "/api/v1/webhooks", Some("w-1"), &hook).await;
    first.assert_fresh();
    post(&test, &test.admin, "/api/v1/webhooks", Some("w-1"), &hook)
        .await
        .assert_replay_of(&first);
    let (_, hooks) = test.get("/api/v1/webhooks", &test.admin).await;
    assert_eq!(hooks["items"].as_array().unwrap().len(), 1, "{hooks}");
    assert_eq!(count_events(&test, "webhook.created", |_| true).await, 1);
    let other_hook = json!({"url": "http://127.0.0.1:9/other", "event_types": ["*"]});
    assert_problem(
        &post(
            &test,
            &test.admin,
            "/api/v1/webhooks",
            Some("w-1"),
            &other_hook,
        )
        .await
        .problem(),
        StatusCode::CONFLICT,
        Some("Idempotency-Key"),
    );
    test.stop().await;
}
