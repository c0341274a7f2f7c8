//! Bad input through the API: every mistake a client can make answers a 4xx
//! `application/problem+json` naming the field at fault (where there is one), never a 5xx, and
//! changes nothing. Hostile strings from the Big List of Naughty Strings are stored exactly or
//! refused cleanly, and outside HTML comes back without scripts.

use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, WWW_AUTHENTICATE};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tiski_testkit::TestApp;

/// An answer, read without waiting on a live event stream.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: String,
    www_authenticate: Option<String>,
    body: Value,
}

impl Answer {
    /// Whether this is a problem document of `status`.
    fn is_problem(&self, status: u16) -> bool {
        self.status == status
            && self.content_type == "application/problem+json"
            && self.body["status"] == status
            && self.body["detail"].as_str().is_some_and(|d| !d.is_empty())
            && self.body["code"].as_str().is_some_and(|c| !c.is_empty())
    }
}

/// Who a request claims to be.
#[derive(Debug, Clone)]
enum Credentials {
    /// The admin's token.
    Admin,
    /// No `Authorization` header.
    Nothing,
    /// This `Authorization` header.
    Header(HeaderValue),
}

/// One bad request and the problem it must answer.
#[derive(Debug, Clone)]
struct Case {
    method: Method,
    /// Under `/api/v1`.
    path: String,
    body: Option<Vec<u8>>,
    /// Sent when given; JSON bodies default to `application/json`.
    content_type: Option<String>,
    headers: Vec<(&'static str, HeaderValue)>,
    credentials: Credentials,
    status: u16,
    /// The field the problem must name; `None` when no single field is at fault.
    field: Option<String>,
}

fn request(method: Method, path: impl Into<String>, body: Option<&str>) -> Case {
    Case {
        method,
        path: path.into(),
        body: body.map(|b| b.as_bytes().to_vec()),
        content_type: body.map(|_| "application/json".to_string()),
        headers: Vec::new(),
        credentials: Credentials::Admin,
        status: 0,
        field: None,
    }
}

fn get(path: impl Into<String>) -> Case {
    request(Method::GET, path, None)
}

fn post(path: impl Into<String>, body: &str) -> Case {
    request(Method::POST, path, Some(body))
}

fn patch(path: impl Into<String>, body: &str) -> Case {
    request(Method::PATCH, path, Some(body))
}

fn put(path: impl Into<String>) -> Case {
    request(Method::PUT, path, None)
}

fn delete(path: impl Into<String>) -> Case {
    request(Method::DELETE, path, None)
}

impl Case {
    /// The answer due: a problem of `status` naming `field`.
    fn fails(mut self, status: u16, field: Option<&str>) -> Case {
        assert!((400..500).contains(&status), "bad input answers 4xx");
        self.status = status;
        self.field = field.map(str::to_string);
        self
    }

    fn raw_body(mut self, bytes: Vec<u8>) -> Case {
        self.body = Some(bytes);
        self
    }

    fn content_type(mut self, content_type: Option<&str>) -> Case {
        self.content_type = content_type.map(str::to_string);
        self
    }

    fn header(mut self, name: &'static str, value: HeaderValue) -> Case {
        self.headers.push((name, value));
        self
    }

    fn credentials(mut self, credentials: Credentials) -> Case {
        self.credentials = credentials;
        self
    }

    fn describe(&self) -> String {
        let mut text = format!("{} {}", self.method, self.path);
        if let Some(body) = &self.body {
            let body = String::from_utf8_lossy(body);
            let short: String = body.chars().take(120).collect();
            let more = if body.chars().count() > 120 {
                format!("… ({} bytes)", body.len())
            } else {
                String::new()
            };
            text.push_str(&format!(" {short}{more}"));
        }
        if self.content_type.as_deref() != Some("application/json") && self.body.is_some() {
            text.push_str(&format!(" [Content-Type: {:?}]", self.content_type));
        }
        for (name, value) in &self.headers {
            text.push_str(&format!(" [{name}: {value:?}]"));
        }
        match &self.credentials {
            Credentials::Admin => {}
            Credentials::Nothing => text.push_str(" [no Authorization]"),
            Credentials::Header(value) => {
                let shown: String = format!("{value:?}").chars().take(60).collect();
                text.push_str(&format!(" [Authorization: {shown}]"));
            }
        }
        text
    }
}

async fn send(test: &TestApp, case: &Case) -> Answer {
    let mut request = test.request(case.method.clone(), &format!("/api/v1{}", case.path), None);
    match &case.credentials {
        Credentials::Admin => request = request.bearer_auth(&test.admin),
        Credentials::Nothing => {}
        Credentials::Header(value) => request = request.header(AUTHORIZATION, value.clone()),
    }
    if let Some(content_type) = &case.content_type {
        request = request.header(CONTENT_TYPE, content_type);
    }
    for (name, value) in &case.headers {
        request = request.header(*name, value.clone());
    }
    if let Some(body) = &case.body {
        request = request.body(body.clone());
    }
    let response = request.send().await.expect("the server answers");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header(CONTENT_TYPE).unwrap_or_default();
    let www_authenticate = header(WWW_AUTHENTICATE);
    let status = response.status().as_u16();
    // A live event stream does not end: its status and type are the whole answer.
    let body = if content_type.starts_with("text/event-stream") {
        Value::Null
    } else {
        serde_json::from_str(&response.text().await.unwrap_or_default()).unwrap_or(Value::Null)
    };
    Answer {
        status,
        content_type,
        www_authenticate,
        body,
    }
}

/// The newest event id in the log (every change appends events).
async fn newest_event(test: &TestApp) -> i64 {
    everything(test, "/api/v1/events")
        .await
        .last()
        .and_then(|event| event["id"].as_i64())
        .unwrap_or(0)
}

/// Runs the cases and returns what went wrong, one line per wrong answer. Since every change
/// appends to the event log, a case after which the log grew changed something.
async fn check(test: &TestApp, cases: &[Case]) -> Vec<String> {
    let mut faults = Vec::new();
    let mut newest = newest_event(test).await;
    for case in cases {
        assert_ne!(case.status, 0, "{}: no expected answer", case.describe());
        let answer = send(test, case).await;
        let mut wrong = Vec::new();
        let (_, log) = test
            .get(&format!("/api/v1/events?after={newest}"), &test.admin)
            .await;
        let appended = log["items"].as_array().cloned().unwrap_or_default();
        if let Some(last) = appended.last().and_then(|event| event["id"].as_i64()) {
            newest = last;
            let kinds: Vec<&str> = appended
                .iter()
                .filter_map(|event| event["type"].as_str())
                .collect();
            wrong.push(format!("it changed state (new events {kinds:?})"));
        }
        if !answer.is_problem(case.status) {
            wrong.push(format!(
                "got {} {:?} {}",
                answer.status, answer.content_type, answer.body
            ));
        } else if let Some(field) = &case.field
            && answer.body["field"] != field.as_str()
        {
            wrong.push(format!(
                "the problem names {} not {field:?}: {}",
                answer.body["field"], answer.body
            ));
        }
        if case.status == 401 && answer.www_authenticate.as_deref() != Some("Bearer") {
            wrong.push(format!("WWW-Authenticate is {:?}", answer.www_authenticate));
        }
        if !wrong.is_empty() {
            faults.push(format!(
                "{}: expected {} problem{}; {}",
                case.describe(),
                case.status,
                case.field
                    .as_ref()
                    .map(|f| format!(" at {f:?}"))
                    .unwrap_or_default(),
                wrong.join("; ")
            ));
        }
    }
    faults
}

/// Every item of a list as the admin, following the pages.
async fn everything(test: &TestApp, path: &str) -> Vec<Value> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let page = match &next {
            None => format!("{path}{separator}limit=200"),
            Some(after) if path.starts_with("/api/v1/events") => {
                format!("{path}{separator}limit=200&after={after}")
            }
            Some(cursor) => format!("{path}{separator}limit=200&cursor={cursor}"),
        };
        let (status, body) = test.get(&page, &test.admin).await;
        assert_eq!(status, 200, "GET {page}: {body}");
        items.extend(body["items"].as_array().expect("items").iter().cloned());
        match body["next_cursor"].as_str() {
            Some(cursor) => next = Some(cursor.to_string()),
            None => return items,
        }
    }
}

/// Everything the admin can see: the event log and every list.
async fn snapshot(test: &TestApp) -> BTreeMap<&'static str, Value> {
    let mut state = BTreeMap::new();
    for (name, path) in [
        ("events", "/api/v1/events"),
        ("tickets", "/api/v1/tickets?sort=id"),
        ("customers", "/api/v1/customers"),
        ("agents", "/api/v1/agents"),
    ] {
        state.insert(name, Value::from(everything(test, path).await));
    }
    for (name, path) in [("teams", "/api/v1/teams"), ("webhooks", "/api/v1/webhooks")] {
        let (status, body) = test.get(path, &test.admin).await;
        assert_eq!(status, 200, "{path}: {body}");
        state.insert(name, body);
    }
    state
}

/// What differs between two snapshots, one line per changed part.
fn changes(
    before: &BTreeMap<&'static str, Value>,
    after: &BTreeMap<&'static str, Value>,
) -> Vec<String> {
    let count = |v: &Value| v.as_array().map(Vec::len).unwrap_or(0);
    before
        .iter()
        .filter(|(name, value)| after[*name] != **value)
        .map(|(name, value)| {
            format!(
                "the {name} changed: {} items before, {} after",
                count(value),
                count(&after[name])
            )
        })
        .collect()
}

/// Ids the fixture made, for the paths and bodies of the cases.
struct Fixture {
    test: TestApp,
    team: i64,
    agent: i64,
    admin: i64,
    taken: i64,
    other: i64,
    ticket: i64,
    closed: i64,
    webhook: i64,
    /// A real `next_cursor` of the ticket list under the default sort.
    ticket_cursor: String,
}

const MISSING: i64 = 987_654;

async fn created(test: &TestApp, path: &str, body: Value) -> Value {
    let (status, answer) = test.post(path, &test.admin, body).await;
    assert_eq!(status, 201, "POST {path}: {answer}");
    answer
}

impl Fixture {
    async fn build() -> Fixture {
        let test = TestApp::spawn().await;
        let team = test.team("Support").await;
        let agent = created(
            &test,
            "/api/v1/agents",
            json!({"email": "agent.taken@example.com", "name": "Taken Agent", "role": "agent", "team_ids": [team]}),
        )
        .await["id"]
            .as_i64()
            .expect("an agent id");
        let admin = test.get("/api/v1/me", &test.admin).await.1["id"]
            .as_i64()
            .expect("the admin's id");
        let taken = created(
            &test,
            "/api/v1/customers",
            json!({"name": "Taken", "emails": ["taken@example.com"], "phones": ["+358 40 123 4567"]}),
        )
        .await["id"]
            .as_i64()
            .expect("a customer id");
        let other = created(
            &test,
            "/api/v1/customers",
            json!({"name": "Other", "emails": ["other@example.com"]}),
        )
        .await["id"]
            .as_i64()
            .expect("a customer id");
        let ticket = test
            .ticket(
                &test.admin,
                json!({"subject": "Open ticket", "requester": {"id": taken}, "team_id": team,
                    "message": {"body": "We are on it.", "author": "agent"}}),
            )
            .await;
        assert_eq!(ticket["status"], "open");
        let closed = test
            .ticket(
                &test.admin,
                json!({"subject": "Closed ticket", "requester": {"id": other}, "team_id": team,
                    "message": {"body": "Done."}}),
            )
            .await["id"]
            .as_i64()
            .expect("a ticket id");
        for status in ["solved", "closed"] {
            let (code, answer) = test
                .patch(
                    &format!("/api/v1/tickets/{closed}"),
                    &test.admin,
                    json!({"status": status}),
                )
                .await;
            assert_eq!(code, 200, "{answer}");
        }
        let webhook = created(
            &test,
            "/api/v1/webhooks",
            json!({"url": "http://127.0.0.1:9/hook", "event_types": ["team.created"]}),
        )
        .await["id"]
            .as_i64()
            .expect("a webhook id");
        let first = test
            .request(Method::POST, "/api/v1/customers", Some(&test.admin))
            .header("Idempotency-Key", "key-1")
            .json(&json!({"name": "Idempotent"}))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(first.status(), 201, "the first use of an idempotency key");
        let (_, page) = test.get("/api/v1/tickets?limit=1", &test.admin).await;
        let ticket_cursor = page["next_cursor"]
            .as_str()
            .expect("a second page of tickets")
            .to_string();
        Fixture {
            test,
            team,
            agent,
            admin,
            taken,
            other,
            ticket: ticket["id"].as_i64().expect("a ticket id"),
            closed,
            webhook,
            ticket_cursor,
        }
    }
}

/// A valid new ticket with some fields replaced (`null` removes a field).
fn ticket_with(changes: Value) -> String {
    let mut body = json!({
        "subject": "Kettle",
        "requester": {"email": "asker@example.com"},
        "message": {"body": "It leaks."},
    });
    for (key, value) in changes.as_object().expect("changes as an object") {
        if value.is_null() {
            body.as_object_mut().expect("an object").remove(key);
        } else {
            body[key] = value.clone();
        }
    }
    body.to_string()
}

fn header(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).expect("a header value")
}

fn bearer(token: &str) -> Credentials {
    Credentials::Header(HeaderValue::from_str(&format!("Bearer {token}")).expect("a header"))
}

/// `text` percent-encoded as one query value.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[rustfmt::skip]
fn bad_requests(f: &Fixture) -> Vec<Case> {
    let ticket = format!("/tickets/{}", f.ticket);
    let closed = format!("/tickets/{}", f.closed);
    let messages = format!("{ticket}/messages");
    let two_mib = 2 * 1024 * 1024;
    let mut cases = vec![
        // Malformed JSON.
        post("/tickets", r#"{"subject": "Unfinished", "#).fails(400, None),
        post("/tickets", "").fails(400, None),
        post("/customers", "name=Maija").fails(400, None),
        post("/customers", r#"{"name": "Twice"} {"name": "Twice"}"#).fails(400, None),
        patch(&ticket, r#"{"subject": 'single quotes'}"#).fails(400, None),
        patch(&ticket, r#"{"subject": "trailing comma",}"#).fails(400, None),
        post(&messages, r#"{"body": "\ud800 is half a character"}"#).fails(400, None),
        post("/customers", "").raw_body(b"{\"name\": \"\xff\xfe\"}".to_vec()).fails(400, None),

        // Not JSON at all, by its declared type.
        post("/tickets", &ticket_with(json!({}))).content_type(Some("text/plain")).fails(415, Some("Content-Type")),
        post("/customers", r#"{"name": "No type"}"#).content_type(None).fails(415, Some("Content-Type")),
        patch(&ticket, r#"{"priority": "high"}"#).content_type(Some("application/x-www-form-urlencoded")).fails(415, Some("Content-Type")),
        post(&messages, r#"{"body": "x"}"#).content_type(Some("application/jsonx")).fails(415, Some("Content-Type")),
        post("/teams", r#"{"name": "XML"}"#).content_type(Some("application/xml")).fails(415, Some("Content-Type")),

        // Wrong types.
        post("/tickets", "[1, 2]").fails(422, None),
        patch(&ticket, "null").fails(422, None),
        post("/tickets", &ticket_with(json!({"subject": 5}))).fails(422, Some("subject")),
        post("/tickets", &ticket_with(json!({"requester": {"email": 42}}))).fails(422, Some("requester.email")),
        post("/tickets", &ticket_with(json!({"tags": ["ok", 7]}))).fails(422, Some("tags/1")),
        post("/tickets", &ticket_with(json!({"team_id": "one"}))).fails(422, Some("team_id")),
        post("/tickets", &ticket_with(json!({"priority": "whenever"}))).fails(422, Some("priority")),
        post("/tickets", &ticket_with(json!({"channel": "pigeon"}))).fails(422, Some("channel")),
        post("/tickets", &ticket_with(json!({"message": {"body": ["x"]}}))).fails(422, Some("message.body")),
        post("/tickets", &ticket_with(json!({"message": "It leaks."}))).fails(422, Some("message")),
        post("/tickets", r#"{"subject": "Big", "requester": {"email": "a@example.com"}, "team_id": 99999999999999999999, "message": {"body": "x"}}"#).fails(422, Some("team_id")),
        patch(&ticket, r#"{"assignee_id": "me"}"#).fails(422, Some("assignee_id")),
        patch(&ticket, r#"{"status": 3}"#).fails(422, Some("status")),
        patch(&ticket, r#"{"tags": "one,two"}"#).fails(422, Some("tags")),
        post("/customers", r#"{"name": "X", "emails": "x@example.com"}"#).fails(422, Some("emails")),
        post("/customers", r#"{"name": "X", "phones": [358401234567]}"#).fails(422, Some("phones/0")),
        patch(format!("/agents/{}", f.agent), r#"{"active": "no"}"#).fails(422, Some("active")),
        post("/agents", r#"{"email": "boss@example.com", "name": "Boss", "role": "boss"}"#).fails(422, Some("role")),
        post("/teams", r#"{"name": null}"#).fails(422, Some("name")),
        post("/webhooks", r#"{"url": "http://127.0.0.1:9/x", "event_types": "*"}"#).fails(422, Some("event_types")),

        // Unknown fields.
        post("/tickets", &ticket_with(json!({"sujbect": "Typo"}))).fails(422, Some("sujbect")),
        post("/tickets", &ticket_with(json!({"requester": {"email": "a@example.com", "emial": "b@example.com"}}))).fails(422, Some("requester.emial")),
        post("/tickets", &ticket_with(json!({"message": {"body": "x", "files": []}}))).fails(422, Some("message.files")),
        patch(&ticket, r#"{"state": "open"}"#).fails(422, Some("state")),
        post("/customers", r#"{"name": "X", "email": "x@example.com"}"#).fails(422, Some("email")),
        patch(format!("/agents/{}", f.agent), r#"{"admin": true}"#).fails(422, Some("admin")),
        post("/teams", r#"{"name": "Led", "lead": 1}"#).fails(422, Some("lead")),
        post("/webhooks", r#"{"url": "http://127.0.0.1:9/x", "events": ["*"], "event_types": ["*"]}"#).fails(422, Some("events")),

        // Missing required fields.
        post("/tickets", &ticket_with(json!({"subject": null}))).fails(422, Some("subject")),
        post("/tickets", &ticket_with(json!({"requester": null}))).fails(422, Some("requester")),
        post("/tickets", &ticket_with(json!({"message": null}))).fails(422, Some("message")),
        post("/tickets", &ticket_with(json!({"message": {}}))).fails(422, Some("message.body")),
        post("/customers", "{}").fails(422, Some("name")),
        post(&messages, r#"{"kind": "note"}"#).fails(422, Some("body")),
        post("/agents", r#"{"email": "norole@example.com", "name": "No Role"}"#).fails(422, Some("role")),
        post("/agents", r#"{"name": "No Email", "role": "agent"}"#).fails(422, Some("email")),
        post("/teams", "{}").fails(422, Some("name")),
        post("/webhooks", r#"{"url": "http://127.0.0.1:9/x"}"#).fails(422, Some("event_types")),
        // Present but empty.
        post("/tickets", &ticket_with(json!({"subject": "   "}))).fails(422, Some("subject")),
        post("/tickets", &ticket_with(json!({"requester": {}}))).fails(422, Some("requester")),
        post("/tickets", &ticket_with(json!({"message": {"body": " \n\t "}}))).fails(422, Some("message.body")),
        post(&messages, r#"{"body": ""}"#).fails(422, Some("body")),
        post("/customers", r#"{"name": "  "}"#).fails(422, Some("name")),
        post("/teams", r#"{"name": ""}"#).fails(422, Some("name")),
        post("/agents", r#"{"email": "blank@example.com", "name": " ", "role": "agent"}"#).fails(422, Some("name")),
        patch(format!("/customers/{}", f.other), r#"{"name": ""}"#).fails(422, Some("name")),

        // Values that do not fit.
        post("/tickets", &ticket_with(json!({"requester": {"email": "not-an-email"}}))).fails(422, Some("requester.email")),
        post("/tickets", &ticket_with(json!({"requester": {"phone": "12"}}))).fails(422, Some("requester.phone")),
        post("/tickets", &ticket_with(json!({"requester": {"email": "a@example.com", "phone": "+358401234567"}}))).fails(422, Some("requester")),
        post("/tickets", &ticket_with(json!({"tags": ["fine", "two words"]}))).fails(422, Some("tags/1")),
        post("/tickets", &ticket_with(json!({"language": "not a language!"}))).fails(422, Some("language")),
        post("/tickets", &ticket_with(json!({"subject": "x".repeat(501)}))).fails(422, Some("subject")),
        post("/tickets", &ticket_with(json!({"message": {"body": "x", "author": "system"}}))).fails(422, Some("message.author")),
        post("/tickets", &ticket_with(json!({"team_id": MISSING}))).fails(422, Some("team_id")),
        post("/tickets", &ticket_with(json!({"requester": {"id": MISSING}}))).fails(422, Some("requester.id")),
        post("/tickets", &ticket_with(json!({"team_id": f.team, "assignee_id": MISSING}))).fails(422, Some("assignee_id")),
        post("/tickets", &ticket_with(json!({"team_id": f.team, "assignee_id": f.admin}))).fails(422, Some("assignee_id")),
        patch(&ticket, &json!({"team_id": MISSING}).to_string()).fails(422, Some("team_id")),
        patch(&ticket, r#"{"add_tags": ["ok", "not ok"]}"#).fails(422, Some("add_tags/1")),
        patch(&ticket, &json!({"tags": (0..51).map(|i| format!("t{i}")).collect::<Vec<_>>()}).to_string()).fails(422, Some("tags")),
        post(&messages, r#"{"body": "Said on the phone", "author": "customer", "kind": "note"}"#).fails(422, Some("kind")),
        post("/customers", r#"{"name": "X", "emails": ["nope"]}"#).fails(422, Some("emails/0")),
        post("/customers", r#"{"name": "X", "phones": ["+358401234567", "call me"]}"#).fails(422, Some("phones/1")),
        post("/customers", r#"{"name": "X", "time_zone": "Mars/Olympus_Mons"}"#).fails(422, Some("time_zone")),
        post("/customers", &json!({"name": "X", "notes": "n".repeat(20_001)}).to_string()).fails(422, Some("notes")),
        post("/customers", &json!({"name": "n".repeat(201)}).to_string()).fails(422, Some("name")),
        post("/agents", r#"{"email": "weak@example.com", "name": "Weak", "role": "agent", "password": "short"}"#).fails(422, Some("password")),
        post("/agents", r#"{"email": "lang@example.com", "name": "Lang", "role": "agent", "languages": ["fi", "!!"]}"#).fails(422, Some("languages/1")),
        post("/agents", &json!({"email": "teams@example.com", "name": "Teams", "role": "agent", "team_ids": [f.team, MISSING]}).to_string()).fails(422, Some("team_ids/1")),
        patch(format!("/agents/{}", f.agent), &json!({"team_ids": [MISSING]}).to_string()).fails(422, Some("team_ids/0")),
        patch(format!("/agents/{}", f.admin), r#"{"active": false}"#).fails(422, Some("active")),
        post("/webhooks", r#"{"url": "ftp://example.com/x", "event_types": ["*"]}"#).fails(422, Some("url")),
        post("/webhooks", r#"{"url": "javascript:alert(1)", "event_types": ["*"]}"#).fails(422, Some("url")),
        post("/webhooks", r#"{"url": "http://127.0.0.1:9/x", "event_types": []}"#).fails(422, Some("event_types")),
        post("/webhooks", r#"{"url": "http://127.0.0.1:9/x", "event_types": ["*", "no.such"]}"#).fails(422, Some("event_types/1")),
        post("/webhooks", r#"{"url": "http://127.0.0.1:9/x", "event_types": ["*"], "secret": "short"}"#).fails(422, Some("secret")),

        // Too large: over the 2 MiB request limit, and over the 256 KiB message limit.
        post("/tickets", &ticket_with(json!({"subject": "x".repeat(two_mib)}))).fails(413, Some("body")),
        patch(&ticket, &json!({"subject": "x".repeat(3 * 1024 * 1024)}).to_string()).fails(413, Some("body")),
        post("/customers", &json!({"name": "Big", "notes": "x".repeat(two_mib)}).to_string()).fails(413, Some("body")),
        // Messages take up to 21 MiB (attachments in base64); a long body is refused by size.
        post(&messages, &json!({"body": "x".repeat(two_mib + 1)}).to_string()).fails(422, Some("body")),
        post(&messages, &json!({"body": "x".repeat(22 * 1024 * 1024)}).to_string()).fails(413, Some("body")),
        post(&messages, &json!({"body": "x".repeat(256 * 1024 + 1)}).to_string()).fails(422, Some("body")),
        post("/tickets", &ticket_with(json!({"message": {"body": "x".repeat(256 * 1024 + 1)}}))).fails(422, Some("message.body")),

        // Ids nothing has.
        get(format!("/tickets/{MISSING}")).fails(404, None),
        patch(format!("/tickets/{MISSING}"), r#"{"priority": "low"}"#).fails(404, None),
        get(format!("/tickets/{MISSING}/messages")).fails(404, None),
        post(format!("/tickets/{MISSING}/messages"), r#"{"body": "Anyone?"}"#).fails(404, None),
        get(format!("/tickets/{MISSING}/events")).fails(404, None),
        get(format!("/customers/{MISSING}")).fails(404, None),
        patch(format!("/customers/{MISSING}"), r#"{"name": "Ghost"}"#).fails(404, None),
        get(format!("/agents/{MISSING}")).fails(404, None),
        patch(format!("/agents/{MISSING}"), r#"{"name": "Ghost"}"#).fails(404, None),
        get(format!("/teams/{MISSING}")).fails(404, None),
        put(format!("/teams/{MISSING}/members/{}", f.agent)).fails(404, None),
        put(format!("/teams/{}/members/{MISSING}", f.team)).fails(404, None),
        delete(format!("/teams/{}/members/{MISSING}", f.team)).fails(404, None),
        delete(format!("/webhooks/{MISSING}")).fails(404, None),
        get(format!("/webhooks/{MISSING}/deliveries")).fails(404, None),
        get("/no-such-thing").fails(404, None),
        get(format!("{ticket}/attachments")).fails(404, None),

        // Ids that are not ids.
        get("/tickets/abc").fails(400, Some("id")),
        get("/tickets/0").fails(400, Some("id")),
        get("/tickets/-1").fails(400, Some("id")),
        get("/tickets/1.5").fails(400, Some("id")),
        get("/tickets/1e3").fails(400, Some("id")),
        get("/tickets/0x10").fails(400, Some("id")),
        get("/tickets/%20").fails(400, Some("id")),
        get("/tickets/99999999999999999999").fails(400, Some("id")),
        patch("/tickets/abc", r#"{"priority": "low"}"#).fails(400, Some("id")),
        post("/tickets/abc/messages", r#"{"body": "x"}"#).fails(400, Some("id")),
        get("/tickets/abc/messages").fails(400, Some("id")),
        get("/tickets/abc/events").fails(400, Some("id")),
        get("/customers/abc").fails(400, Some("id")),
        patch("/customers/abc", r#"{"name": "x"}"#).fails(400, Some("id")),
        get("/agents/me").fails(400, Some("id")),
        patch("/agents/abc", r#"{"name": "x"}"#).fails(400, Some("id")),
        get("/teams/support").fails(400, Some("id")),
        put(format!("/teams/abc/members/{}", f.agent)).fails(400, Some("id")),
        put(format!("/teams/{}/members/abc", f.team)).fails(400, Some("user_id")),
        delete(format!("/teams/{}/members/-5", f.team)).fails(400, Some("user_id")),
        delete("/webhooks/abc").fails(400, Some("id")),
        get("/webhooks/abc/deliveries").fails(400, Some("id")),

        // Illegal status changes; the whole change is refused, not just the status.
        patch(&ticket, r#"{"status": "new"}"#).fails(409, Some("status")),
        patch(&ticket, r#"{"status": "closed"}"#).fails(409, Some("status")),
        patch(&ticket, r#"{"subject": "Changed", "priority": "urgent", "tags": ["sneaky"], "status": "new"}"#).fails(409, Some("status")),
        patch(&ticket, r#"{"status": "reopened"}"#).fails(422, Some("status")),
        patch(&closed, r#"{"status": "open"}"#).fails(409, None),
        patch(&closed, r#"{"subject": "Too late"}"#).fails(409, None),
        post(format!("{closed}/messages"), r#"{"body": "An agent reply"}"#).fails(409, None),

        // Duplicates.
        post("/customers", r#"{"name": "Dup", "emails": ["taken@example.com"]}"#).fails(409, Some("emails/0")),
        post("/customers", r#"{"name": "Dup", "emails": ["fresh@example.com", " TAKEN@Example.com "]}"#).fails(409, Some("emails/1")),
        post("/customers", r#"{"name": "Dup", "phones": ["+358 40 123 4567"]}"#).fails(409, Some("phones/0")),
        post("/customers", r#"{"name": "Dup", "phones": ["00358401234567"]}"#).fails(409, Some("phones/0")),
        patch(format!("/customers/{}", f.other), r#"{"emails": ["other@example.com", "taken@example.com"]}"#).fails(409, Some("emails/1")),
        patch(format!("/customers/{}", f.other), r#"{"phones": ["+358401234567"]}"#).fails(409, Some("phones/0")),
        post("/teams", r#"{"name": "Support"}"#).fails(409, Some("name")),
        post("/teams", r#"{"name": "  SUPPORT "}"#).fails(409, Some("name")),
        post("/agents", r#"{"email": "Agent.Taken@Example.com", "name": "Twin", "role": "agent"}"#).fails(409, Some("email")),
        post("/agents", r#"{"email": "admin@example.com", "name": "Twin", "role": "admin"}"#).fails(409, Some("email")),

        // Cursors this server did not make for this list and sort.
        get("/tickets?cursor=garbage").fails(422, Some("cursor")),
        get("/tickets?cursor=").fails(422, Some("cursor")),
        get(format!("/tickets?sort=id&cursor={}", f.ticket_cursor)).fails(422, Some("cursor")),
        get("/tickets?cursor=eyJzIjoiLXVwZGF0ZWRfYXQiLCJ2IjoieCIsImkiOjF9").fails(422, Some("cursor")),
        get(format!("/customers?cursor={}", f.ticket_cursor)).fails(422, Some("cursor")),
        get("/customers?cursor=%25%25%25").fails(422, Some("cursor")),
        get("/agents?cursor=garbage").fails(422, Some("cursor")),
        get(format!("{messages}?cursor=garbage")).fails(422, Some("cursor")),
        get(format!("{ticket}/events?cursor=garbage")).fails(422, Some("cursor")),
        get(format!("/webhooks/{}/deliveries?cursor=garbage", f.webhook)).fails(422, Some("cursor")),
        get("/events?after=garbage").fails(400, Some("after")),
        get("/events?after=-1").fails(400, Some("after")),

        // Sorts and times that do not exist.
        get("/tickets?sort=subject").fails(422, Some("sort")),
        get("/tickets?sort=--id").fails(422, Some("sort")),
        get("/tickets?sort=").fails(422, Some("sort")),
        get("/tickets?sort=-").fails(422, Some("sort")),
        get("/tickets?sort=ID").fails(422, Some("sort")),
        get("/tickets?sort=id%3Bdrop%20table%20tickets").fails(422, Some("sort")),
        get("/tickets?updated_since=yesterday").fails(422, Some("updated_since")),
        get("/tickets?updated_since=2026-13-01T00:00:00Z").fails(422, Some("updated_since")),
        get("/tickets?updated_since=2026-01-01T25:00:00Z").fails(422, Some("updated_since")),
        get("/tickets?updated_since=2026-01-01").fails(422, Some("updated_since")),
        get("/tickets?updated_since=1700000000").fails(422, Some("updated_since")),
        get("/tickets?updated_since=").fails(422, Some("updated_since")),

        // Other filters of the wrong shape.
        get("/tickets?team_id=abc").fails(400, Some("team_id")),
        get("/tickets?customer_id=1.5").fails(400, Some("customer_id")),
        get("/tickets?assignee_id=me").fails(422, Some("assignee_id")),
        get("/tickets?status=bogus").fails(422, Some("status")),
        get("/tickets?status=open,bogus").fails(422, Some("status")),
        get("/tickets?status=,").fails(422, Some("status")),
        get("/tickets?tag=two%20words").fails(422, Some("tag")),
        get(format!("/customers?q={}", "q".repeat(201))).fails(422, Some("q")),
        get("/tickets?limit=10&limit=20").fails(400, Some("limit")),

        // Event stream starting points that are not event ids.
        get("/events/stream?after=abc").fails(400, Some("after")),
        get("/events/stream?after=-1").fails(400, Some("after")),

        // Unknown query parameters, on routes with and without parameters.
        get("/tickets?bogus=1").fails(400, Some("bogus")),
        get("/tickets?page=2").fails(400, Some("page")),
        get("/customers?search=maija").fails(400, Some("search")),
        get("/agents?offset=5").fails(400, Some("offset")),
        get("/events?since=1").fails(400, Some("since")),
        get("/events?cursor=1").fails(400, Some("cursor")),
        get("/events/stream?since=1").fails(400, Some("since")),
        get(format!("{messages}?order=desc")).fails(400, Some("order")),
        get(format!("{ticket}/events?expand=all")).fails(400, Some("expand")),
        get(format!("/webhooks/{}/deliveries?status=failed", f.webhook)).fails(400, Some("status")),
        get("/me?expand=teams").fails(400, Some("expand")),
        get("/teams?sort=name").fails(400, Some("sort")),
        get(format!("/teams/{}?expand=members", f.team)).fails(400, Some("expand")),
        get(format!("{ticket}?expand=messages")).fails(400, Some("expand")),
        get(format!("/customers/{}?expand=tickets", f.taken)).fails(400, Some("expand")),
        get(format!("/agents/{}?expand=teams", f.agent)).fails(400, Some("expand")),
        get("/webhooks?active=false").fails(400, Some("active")),
        post("/customers?dry_run=true", r#"{"name": "Dry Run"}"#).fails(400, Some("dry_run")),

        // Missing and wrong credentials.
        get("/tickets").credentials(Credentials::Nothing).fails(401, Some("Authorization")),
        post("/tickets", &ticket_with(json!({}))).credentials(Credentials::Nothing).fails(401, Some("Authorization")),
        get("/me").credentials(Credentials::Header(header("Basic YWRtaW46YWRtaW4="))).fails(401, Some("Authorization")),
        get("/me").credentials(Credentials::Header(header("Bearer"))).fails(401, Some("Authorization")),
        get("/me").credentials(Credentials::Header(header("Bearer "))).fails(401, Some("Authorization")),
        get("/me").credentials(bearer("tsk_wrong")).fails(401, Some("Authorization")),
        get("/me").credentials(bearer("not-even-a-tiski-token")).fails(401, Some("Authorization")),
        get("/me").credentials(bearer(&f.test.admin[..f.test.admin.len() - 1])).fails(401, Some("Authorization")),
        get("/me").credentials(bearer(&format!("{}x", f.test.admin))).fails(401, Some("Authorization")),
        get("/me").credentials(bearer(&format!("{} {}", f.test.admin, f.test.admin))).fails(401, Some("Authorization")),
        get("/me").credentials(bearer(&format!("tsk_{}", "a".repeat(300)))).fails(401, Some("Authorization")),
        get("/me").credentials(Credentials::Header(header(&format!("Token {}", f.test.admin)))).fails(401, Some("Authorization")),
        get("/me").credentials(Credentials::Header(header(&f.test.admin))).fails(401, Some("Authorization")),
        get("/me").credentials(Credentials::Header(HeaderValue::from_bytes(b"Bearer tsk_\xff\xfe").expect("obs-text"))).fails(401, Some("Authorization")),
        patch(&ticket, r#"{"subject": "No token"}"#).credentials(Credentials::Nothing).fails(401, Some("Authorization")),

        // Idempotency keys that are not keys, and a key reused for another request.
        post("/customers", r#"{"name": "Idem A"}"#).header("Idempotency-Key", header("")).fails(422, Some("Idempotency-Key")),
        post("/customers", r#"{"name": "Idem B"}"#).header("Idempotency-Key", header(&"k".repeat(256))).fails(422, Some("Idempotency-Key")),
        post("/customers", r#"{"name": "Idem C"}"#).header("Idempotency-Key", header("has space")).fails(422, Some("Idempotency-Key")),
        post("/customers", r#"{"name": "Idem D"}"#).header("Idempotency-Key", header("tab\there")).fails(422, Some("Idempotency-Key")),
        post("/customers", r#"{"name": "Idem E"}"#).header("Idempotency-Key", HeaderValue::from_bytes("ключ".as_bytes()).expect("obs-text")).fails(422, Some("Idempotency-Key")),
        post("/tickets", &ticket_with(json!({}))).header("Idempotency-Key", HeaderValue::from_bytes(b"\xffkey").expect("obs-text")).fails(422, Some("Idempotency-Key")),
        post("/customers", r#"{"name": "Not the first body"}"#).header("Idempotency-Key", header("key-1")).fails(409, Some("Idempotency-Key")),
        post("/teams", r#"{"name": "Idempotent"}"#).header("Idempotency-Key", header("key-1")).fails(409, Some("Idempotency-Key")),
    ];

    // Page sizes outside 1 to 200, or not numbers, on every paged list.
    for list in [
        "/tickets".to_string(),
        "/customers".to_string(),
        "/agents".to_string(),
        "/events".to_string(),
        messages.clone(),
        format!("{ticket}/events"),
        format!("/webhooks/{}/deliveries", f.webhook),
    ] {
        for (limit, status) in [("0", 422), ("201", 422), ("-1", 422), ("abc", 400), ("1.5", 400), ("", 400)] {
            cases.push(get(format!("{list}?limit={limit}")).fails(status, Some("limit")));
        }
    }
    cases.push(get("/events/stream?limit=abc").fails(400, Some("limit")));

    // Last-Event-ID values that are not event ids.
    for value in ["abc", "", "1.5", "-1", "99999999999999999999", "0x10"] {
        cases.push(get("/events/stream").header("Last-Event-ID", header(value)).fails(400, Some("Last-Event-ID")));
    }
    cases
}

#[tokio::test]
async fn bad_requests_answer_problems_and_change_nothing() {
    let fixture = Fixture::build().await;
    let test = &fixture.test;
    let before = snapshot(test).await;
    let cases = bad_requests(&fixture);
    let mut faults = check(test, &cases).await;
    let after = snapshot(test).await;
    faults.extend(changes(&before, &after));
    assert!(
        faults.is_empty(),
        "{} faults in {} bad requests:\n{}",
        faults.len(),
        cases.len(),
        faults.join("\n")
    );
    fixture.test.stop().await;
}

/// What a hostile string may do to a field.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verdict {
    /// It fits the field's documented rules: it must be stored.
    Accept,
    /// It breaks them: it must be refused with a 422 naming the field.
    Refuse,
    /// Either is right (a NUL character, which not every database can store).
    Either,
}

fn verdict(text: &str, fits: bool) -> Verdict {
    if text.contains('\0') {
        Verdict::Either
    } else if fits {
        Verdict::Accept
    } else {
        Verdict::Refuse
    }
}

/// The Big List of Naughty Strings, and a few more of our own.
fn hostile_strings() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let mut strings: Vec<String> =
        serde_json::from_str(&text).expect("blns.json is a list of strings");
    assert!(strings.len() > 500, "the whole list");
    strings.extend(
        [
            "nul\u{0}inside",
            "\u{0}",
            "  padded on both sides  ",
            "ends with a newline\n",
            "Thanks!\n\n-- \nAgent Smith",
            "\u{feff}byte order mark",
            "\u{202e}right-to-left override",
            "Robert'); DROP TABLE customers;--",
            "' OR 1=1 --",
            "%s%s%s%n",
            "${jndi:ldap://127.0.0.1/x}",
            "{{7*7}}<%= 7*7 %>",
            "\r\nX-Injected: header",
            "../../../../etc/passwd",
        ]
        .map(str::to_string),
    );
    strings.push("é".repeat(200));
    strings.push("😀".repeat(500));
    strings.push("x".repeat(501));
    strings.push("y".repeat(256 * 1024 + 1));
    strings
}

async fn post_json(test: &TestApp, path: &str, body: Value) -> Answer {
    send(test, &post(path, &body.to_string())).await
}

/// Whether a hostile string was accepted; a wrong verdict is added to `faults`.
fn judge(
    faults: &mut Vec<String>,
    index: usize,
    shown: &str,
    what: &str,
    answer: &Answer,
    verdict: Verdict,
    field: &str,
) -> bool {
    let accepted = answer.status == 201;
    let refused = answer.is_problem(422) && answer.body["field"] == field;
    let right = match verdict {
        Verdict::Accept => accepted,
        Verdict::Refuse => refused,
        Verdict::Either => accepted || refused,
    };
    if !right {
        faults.push(format!(
            "#{index} {shown} as {what}: expected {verdict:?}, got {} {}",
            answer.status, answer.body
        ));
    }
    accepted
}

#[tokio::test]
async fn hostile_strings_are_stored_exactly_or_refused() {
    let test = TestApp::spawn().await;
    let requester = created(&test, "/api/v1/customers", json!({"name": "Requester"})).await["id"]
        .as_i64()
        .expect("a customer id");
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "Hostile messages", "requester": {"id": requester}, "message": {"body": "Start"}}),
        )
        .await["id"]
        .as_i64()
        .expect("a ticket id");
    let messages = format!("/tickets/{ticket}/messages");
    let tickets_before = everything(&test, "/api/v1/tickets").await.len();

    let mut faults: Vec<String> = Vec::new();
    let mut tickets_accepted = 0;
    let mut bodies: BTreeMap<i64, String> = BTreeMap::new();
    let strings = hostile_strings();
    for (index, text) in strings.iter().enumerate() {
        let shown: String = format!("{text:?}").chars().take(80).collect();
        // A customer's name: trimmed, 1 to 200 characters.
        let name = text.trim();
        let fits = !name.is_empty() && name.chars().count() <= 200;
        let answer = post_json(&test, "/customers", json!({"name": text})).await;
        if judge(
            &mut faults,
            index,
            &shown,
            "a customer name",
            &answer,
            verdict(text, fits),
            "name",
        ) {
            let id = answer.body["id"].as_i64().expect("a customer id");
            let (_, stored) = test
                .get(&format!("/api/v1/customers/{id}"), &test.admin)
                .await;
            for (source, value) in [
                ("answer", &answer.body["name"]),
                ("read back", &stored["name"]),
            ] {
                if value != name {
                    faults.push(format!("#{index} {shown} as a customer name: {source} is {value}, expected {name:?}"));
                }
            }
        }

        // A ticket's subject: trimmed, 1 to 500 characters.
        let subject = text.trim();
        let fits = !subject.is_empty() && subject.chars().count() <= 500;
        let answer = post_json(
            &test,
            "/tickets",
            json!({"subject": text, "requester": {"id": requester}, "message": {"body": "Hostile subject"}}),
        )
        .await;
        if judge(
            &mut faults,
            index,
            &shown,
            "a ticket subject",
            &answer,
            verdict(text, fits),
            "subject",
        ) {
            tickets_accepted += 1;
            let id = answer.body["id"].as_i64().expect("a ticket id");
            let (_, stored) = test
                .get(&format!("/api/v1/tickets/{id}"), &test.admin)
                .await;
            for (source, value) in [
                ("answer", &answer.body["subject"]),
                ("read back", &stored["subject"]),
            ] {
                if value != subject {
                    faults.push(format!(
                        "#{index} {shown} as a subject: {source} is {value}, expected {subject:?}"
                    ));
                }
            }
        }

        // A message body: stored as written (only subjects and names are documented as
        // trimmed), not blank, at most 256 KiB.
        let fits = !text.trim().is_empty() && text.len() <= 256 * 1024;
        let answer = post_json(&test, &messages, json!({"body": text, "kind": "note"})).await;
        if judge(
            &mut faults,
            index,
            &shown,
            "a message body",
            &answer,
            verdict(text, fits),
            "body",
        ) {
            bodies.insert(
                answer.body["id"].as_i64().expect("a message id"),
                text.clone(),
            );
            if answer.body["body"] != text.as_str() {
                faults.push(format!(
                    "#{index} {shown} as a message body: answered {}",
                    answer.body["body"]
                ));
            }
        }

        // Message HTML: always taken, sanitised.
        let answer = post_json(
            &test,
            &messages,
            json!({"body": "With HTML", "html": text, "kind": "note"}),
        )
        .await;
        if judge(
            &mut faults,
            index,
            &shown,
            "message HTML",
            &answer,
            verdict(text, true),
            "html",
        ) {
            bodies.insert(
                answer.body["id"].as_i64().expect("a message id"),
                "With HTML".into(),
            );
            if let Some(html) = answer.body["html"].as_str()
                && html.to_lowercase().contains("<script")
            {
                faults.push(format!(
                    "#{index} {shown} as HTML: a script survived: {html}"
                ));
            }
        }

        // As search text and as a tag filter: a page, or a problem naming the parameter.
        // (Strings longer than a URL may be are left out.)
        if text.len() > 4096 {
            continue;
        }
        let q = text.trim();
        let query = format!("/customers?q={}", query_value(text));
        let answer = send(&test, &get(&query)).await;
        let fits = q.chars().count() <= 200;
        let right = match (answer.status, verdict(text, fits)) {
            (200, Verdict::Accept | Verdict::Either) => true,
            (_, Verdict::Refuse | Verdict::Either) => {
                answer.is_problem(422) && answer.body["field"] == "q"
            }
            _ => false,
        };
        if !right {
            faults.push(format!(
                "#{index} {shown} as ?q=: got {} {}",
                answer.status, answer.body
            ));
        }
        let answer = send(&test, &get(format!("/tickets?tag={}", query_value(text)))).await;
        if !(answer.status == 200 || answer.is_problem(422) && answer.body["field"] == "tag") {
            faults.push(format!(
                "#{index} {shown} as ?tag=: got {} {}",
                answer.status, answer.body
            ));
        }
    }

    // Every accepted message reads back exactly as the answer gave it.
    let stored: BTreeMap<i64, Value> = everything(&test, &format!("/api/v1{messages}"))
        .await
        .into_iter()
        .map(|m| (m["id"].as_i64().expect("a message id"), m["body"].clone()))
        .collect();
    for (id, body) in &bodies {
        if stored.get(id) != Some(&Value::from(body.as_str())) {
            let shown: String = format!("{body:?}").chars().take(80).collect();
            faults.push(format!(
                "message {id} {shown} read back as {:?}",
                stored.get(id)
            ));
        }
    }
    // Refused tickets left nothing behind.
    assert_eq!(
        everything(&test, "/api/v1/tickets").await.len(),
        tickets_before + tickets_accepted,
        "tickets stored besides the accepted ones"
    );
    assert!(
        faults.is_empty(),
        "{} wrong answers for {} hostile strings:\n{}",
        faults.len(),
        strings.len(),
        faults.join("\n")
    );
    test.stop().await;
}

#[tokio::test]
async fn message_html_loses_scripts_handlers_and_javascript_urls() {
    let test = TestApp::spawn().await;
    let payload = r#"<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>"#;
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "HTML", "requester": {"email": "html@example.com"},
                "message": {"body": "x", "html": payload}}),
        )
        .await["id"]
        .as_i64()
        .expect("a ticket id");
    let messages = format!("/api/v1/tickets/{ticket}/messages");
    let (status, reply) = test
        .post(
            &messages,
            &test.admin,
            json!({"body": "x", "html": payload}),
        )
        .await;
    assert_eq!(status, 201, "{reply}");

    let listed = everything(&test, &messages).await;
    assert_eq!(listed.len(), 2, "the first message and the reply");
    let answered = reply["html"].as_str().expect("the reply's HTML");
    for html in listed
        .iter()
        .map(|m| m["html"].as_str().expect("stored HTML"))
        .chain([answered])
    {
        let lower = html.to_lowercase();
        for banned in ["<script", "alert(1)</script>", "onerror", "javascript:"] {
            assert!(!lower.contains(banned), "{banned:?} survived in {html}");
        }
        assert!(html.contains(">x</a>"), "the link text stays: {html}");
        assert!(html.contains("<img"), "the harmless image stays: {html}");
    }
    test.stop().await;
}
