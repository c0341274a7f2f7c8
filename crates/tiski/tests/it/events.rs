//! The event log: paging through `GET /api/v1/events`, following it live over server-sent
//! events, resuming with `Last-Event-ID`, visibility by team, and a second node.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};
use tokio::time::Instant;

/// How long an asynchronous outcome may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(10);

/// One server-sent event.
#[derive(Debug, Clone)]
struct SseEvent {
    id: Option<String>,
    event: Option<String>,
    data: String,
}

impl SseEvent {
    fn json(&self) -> Value {
        serde_json::from_str(&self.data)
            .unwrap_or_else(|e| panic!("event data is not JSON ({e}): {}", self.data))
    }

    fn id(&self) -> i64 {
        self.id
            .as_deref()
            .expect("an event with an id")
            .parse()
            .expect("a numeric event id")
    }
}

/// A `text/event-stream` body read incrementally.
struct Sse {
    response: reqwest::Response,
    buffer: Vec<u8>,
}

impl Sse {
    /// Opens the stream on `node` as `token`, optionally resuming after `last_event_id`.
    async fn open(node: &TestApp, token: &str, last_event_id: Option<i64>) -> Sse {
        let mut request = node.request(Method::GET, "/api/v1/events/stream", Some(token));
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.expect("the server answers");
        assert_eq!(response.status(), StatusCode::OK, "opening the stream");
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(
            content_type.starts_with("text/event-stream"),
            "the stream's content type: {content_type}"
        );
        Sse {
            response,
            buffer: Vec::new(),
        }
    }

    /// The next event, or `None` when `deadline` passes or the stream ends.
    async fn next_before(&mut self, deadline: Instant) -> Option<SseEvent> {
        loop {
            if let Some(event) = self.parse_one() {
                return Some(event);
            }
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                // Line ends may be CRLF; keeping only the LF makes one form to parse.
                Ok(Ok(Some(chunk))) => self.buffer.extend(chunk.iter().filter(|b| **b != b'\r')),
                Ok(Ok(None)) | Err(_) => return None,
                Ok(Err(error)) => panic!("reading the stream failed: {error}"),
            }
        }
    }

    /// Takes one complete event off the buffer, skipping comment-only blocks (keep-alives).
    fn parse_one(&mut self) -> Option<SseEvent> {
        loop {
            let end = self.buffer.windows(2).position(|w| w == b"\n\n")?;
            let block = String::from_utf8(self.buffer[..end].to_vec()).expect("UTF-8 events");
            self.buffer.drain(..end + 2);
            let mut event = SseEvent {
                id: None,
                event: None,
                data: String::new(),
            };
            let mut has_data = false;
            for line in block.lines() {
                if line.starts_with(':') {
                    continue;
                }
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "id" => event.id = Some(value.to_string()),
                    "event" => event.event = Some(value.to_string()),
                    "data" => {
                        if has_data {
                            event.data.push('\n');
                        }
                        event.data.push_str(value);
                        has_data = true;
                    }
                    _ => {}
                }
            }
            if has_data {
                return Some(event);
            }
        }
    }

    /// Reads events until one satisfies `stop` (included), failing after [`DEADLINE`].
    async fn until(&mut self, what: &str, stop: impl Fn(&Value) -> bool) -> Vec<SseEvent> {
        let deadline = Instant::now() + DEADLINE;
        let mut seen = Vec::new();
        loop {
            let Some(event) = self.next_before(deadline).await else {
                panic!("timed out waiting for {what}; got {seen:#?}");
            };
            let done = stop(&event.json());
            seen.push(event);
            if done {
                return seen;
            }
        }
    }
}

/// Checks that every event's `id:` and `event:` agree with its data, and ids rise.
#[track_caller]
fn check_consistent(events: &[SseEvent]) {
    let mut previous = 0;
    for event in events {
        let data = event.json();
        assert_eq!(
            Some(event.id()),
            data["id"].as_i64(),
            "id: matches the data"
        );
        assert_eq!(
            event.event.as_deref(),
            data["type"].as_str(),
            "event: is the type"
        );
        assert!(event.id() > previous, "ids rise: {events:#?}");
        previous = event.id();
    }
}

fn ticket_body(subject: &str, team: Option<i64>) -> Value {
    let mut body = json!({
        "subject": subject,
        "requester": {"email": format!("{}@example.com", subject.to_lowercase().replace(' ', "."))},
        "message": {"body": "Hello"}
    });
    if let Some(team) = team {
        body["team_id"] = json!(team);
    }
    body
}

/// Every event `token` may see, read page by page.
async fn log(test: &TestApp, token: &str) -> Vec<Value> {
    let mut after = 0;
    let mut all = Vec::new();
    loop {
        let (status, page) = test
            .get(&format!("/api/v1/events?after={after}&limit=200"), token)
            .await;
        assert_eq!(status, StatusCode::OK, "reading the log: {page}");
        all.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => after = next.parse().expect("the cursor is the last id"),
            None => return all,
        }
    }
}

fn ids(events: &[Value]) -> Vec<i64> {
    events.iter().map(|e| e["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn the_log_pages_in_id_order() {
    let test = TestApp::spawn().await;
    for n in 0..4 {
        test.ticket(&test.admin, ticket_body(&format!("Paging {n}"), None))
            .await;
    }
    let (status, whole) = test
        .get("/api/v1/events?after=0&limit=200", &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK);
    let whole = whole["items"].as_array().unwrap().clone();
    assert!(
        whole.len() >= 12,
        "four tickets make at least twelve events"
    );
    let whole_ids = ids(&whole);
    assert!(
        whole_ids.windows(2).all(|w| w[0] < w[1]),
        "ascending ids: {whole_ids:?}"
    );
    assert_eq!(
        whole
            .iter()
            .filter(|e| e["type"] == "ticket.created")
            .count(),
        4
    );

    let mut after = 0;
    let mut paged = Vec::new();
    let mut pages = 0;
    loop {
        let (status, page) = test
            .get(
                &format!("/api/v1/events?after={after}&limit=5"),
                &test.admin,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 5);
        pages += 1;
        for item in items {
            assert!(
                item["id"].as_i64().unwrap() > after,
                "only events after {after}"
            );
        }
        paged.extend(items.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => {
                assert_eq!(items.len(), 5, "only a full page has a next page");
                assert_eq!(
                    next,
                    items.last().unwrap()["id"].to_string(),
                    "the cursor is the last id"
                );
                after = next.parse().unwrap();
            }
            None => break,
        }
        assert!(pages < 100, "paging ends");
    }
    assert!(pages >= 3);
    assert_eq!(
        ids(&paged),
        whole_ids,
        "pages join up without gaps or repeats"
    );

    let middle = whole_ids[whole_ids.len() / 2];
    let (_, rest) = test
        .get(&format!("/api/v1/events?after={middle}"), &test.admin)
        .await;
    assert_eq!(
        ids(rest["items"].as_array().unwrap()),
        whole_ids
            .iter()
            .copied()
            .filter(|id| *id > middle)
            .collect::<Vec<_>>()
    );
    let newest = *whole_ids.last().unwrap();
    let (_, empty) = test
        .get(&format!("/api/v1/events?after={newest}"), &test.admin)
        .await;
    assert_eq!(empty["items"], json!([]));
    assert!(empty["next_cursor"].is_null());

    assert_problem(
        &test.get("/api/v1/events?after=-1", &test.admin).await,
        StatusCode::BAD_REQUEST,
        Some("after"),
    );
    assert_problem(
        &test.get("/api/v1/events?after=x", &test.admin).await,
        StatusCode::BAD_REQUEST,
        Some("after"),
    );
    assert_problem(
        &test.get("/api/v1/events?limit=0", &test.admin).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("limit"),
    );
    let anonymous = test
        .request(Method::GET, "/api/v1/events", None)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    test.stop().await;
}

#[tokio::test]
async fn the_stream_delivers_new_events_and_resumes_without_gaps() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    test.ticket(&test.admin, ticket_body("Before connecting", None))
        .await;
    let before = *ids(&log(&test, &test.admin).await).last().unwrap();

    let mut stream = Sse::open(&test, &test.admin, None).await;
    let ticket = test
        .ticket(&test.admin, ticket_body("After connecting", None))
        .await;
    let first = stream
        .until("the new ticket's ticket.created", |e| {
            e["type"] == "ticket.created" && e["ticket_id"] == ticket["id"]
        })
        .await;
    check_consistent(&first);
    assert!(
        first.iter().all(|e| e.id() > before),
        "a new stream starts at the newest event, not before: {first:#?}"
    );
    let created = first.last().unwrap().json();
    assert_eq!(created["data"]["requester_id"], ticket["requester"]["id"]);
    assert!(
        !created.to_string().contains("After connecting"),
        "events carry ids, not copies of the subject: {created}"
    );
    let mut received: Vec<i64> = first.iter().map(SseEvent::id).collect();
    let resume_from = *received.last().unwrap();
    drop(stream);

    // While disconnected: the rest of that ticket's creation and more.
    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    test.patch(&path, &test.admin, json!({"priority": "high"}))
        .await;
    let (status, _) = test
        .post(
            &format!("{path}/messages"),
            &test.admin,
            json!({"body": "While you were away"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let last_ticket = test
        .ticket(&test.admin, ticket_body("While away", None))
        .await;
    let full = ids(&log(&test, &test.admin).await);
    let newest = *full.last().unwrap();

    let mut resumed = Sse::open(&test, &test.admin, Some(resume_from)).await;
    let rest = resumed
        .until("the newest event", |e| e["id"] == newest)
        .await;
    check_consistent(&rest);
    assert!(
        rest.iter()
            .any(|e| e.json()["ticket_id"] == last_ticket["id"])
    );
    received.extend(rest.iter().map(SseEvent::id));
    let expected: Vec<i64> = full.iter().copied().filter(|id| *id > before).collect();
    assert_eq!(
        received, expected,
        "the two connections together give every event once, in order"
    );

    // And it keeps following after the catch-up.
    let live = test
        .ticket(&test.admin, ticket_body("Live again", None))
        .await;
    let more = resumed
        .until("the next ticket", |e| {
            e["type"] == "ticket.created" && e["ticket_id"] == live["id"]
        })
        .await;
    assert!(
        more.iter().all(|e| e.id() > newest),
        "no repeats: {more:#?}"
    );

    // `after` in the query works like Last-Event-ID.
    let response = test
        .request(
            Method::GET,
            &format!("/api/v1/events/stream?after={resume_from}"),
            Some(&test.admin),
        )
        .send()
        .await
        .unwrap();
    let mut by_query = Sse {
        response,
        buffer: Vec::new(),
    };
    let again = by_query
        .until("the newest event", |e| e["id"] == newest)
        .await;
    assert_eq!(
        again.iter().map(SseEvent::id).collect::<Vec<_>>(),
        full.iter()
            .copied()
            .filter(|id| *id > resume_from)
            .collect::<Vec<_>>()
    );

    let bad = test
        .request(Method::GET, "/api/v1/events/stream", Some(&test.admin))
        .header("Last-Event-ID", "yesterday")
        .send()
        .await
        .unwrap();
    let status = bad.status();
    let problem: Value = bad.json().await.unwrap_or_default();
    assert_problem(
        &(status, problem),
        StatusCode::BAD_REQUEST,
        Some("Last-Event-ID"),
    );
    test.stop().await;
}

#[tokio::test]
async fn agents_follow_only_events_of_tickets_they_may_see() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    let team_a = test.team("Team A").await;
    let team_b = test.team("Team B").await;
    let (_, agent_a) = test.user(Role::Agent, &[team_a]).await;
    let (_, agent_b) = test.user(Role::Agent, &[team_b]).await;

    let mut stream_a = Sse::open(&test, &agent_a, None).await;
    let mut stream_b = Sse::open(&test, &agent_b, None).await;
    let mut stream_admin = Sse::open(&test, &test.admin, None).await;

    let ticket_a = test
        .ticket(&test.admin, ticket_body("For team A", Some(team_a)))
        .await;
    let ticket_b = test
        .ticket(&test.admin, ticket_body("For team B", Some(team_b)))
        .await;
    let ticket_a2 = test
        .ticket(&test.admin, ticket_body("For team A again", Some(team_a)))
        .await;
    // A change on team A's ticket after team B's ticket exists.
    let (status, reply_a) = test
        .post(
            &format!("/api/v1/tickets/{}/messages", ticket_a["id"]),
            &test.admin,
            json!({"body": "Team A reply"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let is_a_reply = |e: &Value| {
        e["type"] == "message.added"
            && e["ticket_id"] == ticket_a["id"]
            && e["data"]["message_id"] == reply_a["id"]
    };
    let seen_a = stream_a.until("team A's reply", is_a_reply).await;
    check_consistent(&seen_a);
    let a_tickets: Vec<Value> = seen_a
        .iter()
        .map(|e| e.json()["ticket_id"].clone())
        .collect();
    assert!(a_tickets.contains(&ticket_a["id"]));
    assert!(a_tickets.contains(&ticket_a2["id"]));
    for ticket in &a_tickets {
        assert!(
            *ticket == ticket_a["id"] || *ticket == ticket_a2["id"],
            "an agent of team A saw an event of another ticket: {seen_a:#?}"
        );
    }
    assert!(
        seen_a.iter().any(
            |e| e.json()["type"] == "ticket.created" && e.json()["ticket_id"] == ticket_a["id"]
        )
    );

    // Team B's agent: their ticket arrives; team A's never do, even though they came later.
    // Another team B event after all of team A's makes a sync point.
    let (status, reply_b) = test
        .post(
            &format!("/api/v1/tickets/{}/messages", ticket_b["id"]),
            &test.admin,
            json!({"body": "Team B reply"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let seen_b = stream_b
        .until("team B's reply", |e| {
            e["type"] == "message.added"
                && e["ticket_id"] == ticket_b["id"]
                && e["data"]["message_id"] == reply_b["id"]
        })
        .await;
    check_consistent(&seen_b);
    assert!(
        seen_b.iter().any(
            |e| e.json()["type"] == "ticket.created" && e.json()["ticket_id"] == ticket_b["id"]
        )
    );
    for event in &seen_b {
        assert_eq!(
            event.json()["ticket_id"],
            ticket_b["id"],
            "an agent of team B saw an event of another ticket: {event:#?}"
        );
    }

    // The admin sees everything, in one order.
    let seen_admin = stream_admin
        .until("team B's reply", |e| {
            e["type"] == "message.added" && e["data"]["message_id"] == reply_b["id"]
        })
        .await;
    check_consistent(&seen_admin);
    for ticket in [&ticket_a, &ticket_b, &ticket_a2] {
        assert!(
            seen_admin
                .iter()
                .any(|e| e.json()["ticket_id"] == ticket["id"]),
            "the admin sees every ticket's events"
        );
    }

    // The plain log is scoped the same way.
    let log_b = log(&test, &agent_b).await;
    assert!(!log_b.is_empty());
    assert!(
        log_b.iter().all(|e| e["ticket_id"] == ticket_b["id"]),
        "GET /events shows team B only its ticket: {log_b:#?}"
    );
    let log_a = log(&test, &agent_a).await;
    assert!(
        log_a
            .iter()
            .all(|e| e["ticket_id"] == ticket_a["id"] || e["ticket_id"] == ticket_a2["id"]),
        "GET /events shows team A only its tickets: {log_a:#?}"
    );
    test.stop().await;
}

#[tokio::test]
async fn a_stream_on_a_second_node_sees_writes_of_the_first() {
    if std::env::var("TISKI_TEST_DATABASE_URL").map_or(true, |url| url.is_empty()) {
        println!("note: two nodes need PostgreSQL; set TISKI_TEST_DATABASE_URL to run this test");
        return;
    }
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    let node2 = TestApp::serve(test.location.clone(), tiski_testkit::fast_settings()).await;
    let mut stream = Sse::open(&node2, &test.admin, None).await;
    let ticket = test
        .ticket(&test.admin, ticket_body("Across nodes", None))
        .await;
    let seen = stream
        .until("node 1's ticket on node 2", |e| {
            e["type"] == "ticket.created" && e["ticket_id"] == ticket["id"]
        })
        .await;
    check_consistent(&seen);
    assert_eq!(
        seen.last().unwrap().json()["data"]["requester_id"],
        ticket["requester"]["id"]
    );

    // And the other way round, resuming on node 1 from what node 2 delivered.
    let resume = seen.last().unwrap().id();
    let mut back = Sse::open(&test, &test.admin, Some(resume)).await;
    let (status, reply) = node2
        .post(
            &format!("/api/v1/tickets/{}/messages", ticket["id"]),
            &test.admin,
            json!({"body": "Written on node 2"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let later = back
        .until("node 2's message on node 1", |e| {
            e["type"] == "message.added" && e["data"]["message_id"] == reply["id"]
        })
        .await;
    check_consistent(&later);
    assert!(later.iter().all(|e| e.id() > resume));
    drop(stream);
    drop(back);
    node2.stop().await;
    test.stop().await;
}
