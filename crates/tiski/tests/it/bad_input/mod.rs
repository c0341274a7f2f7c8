//! Bad input through the API: every mistake a client can make answers a 4xx
//! `application/problem+json` naming the field at fault (where there is one), never a 5xx, and
//! changes nothing. Hostile strings from the Big List of Naughty Strings are stored exactly or
//! refused cleanly, and outside HTML comes back without scripts.

mod hostile;
mod privacy;
mod requests;
mod two_factor_policy;

use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, WWW_AUTHENTICATE};
use serde_json::Value;
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

async fn created(test: &TestApp, path: &str, body: Value) -> Value {
    let (status, answer) = test.post(path, &test.admin, body).await;
    assert_eq!(status, 201, "POST {path}: {answer}");
    answer
}
