//! Every mistake a client can make in a request answers a 4xx problem naming the field at
//! fault, and changes nothing.

use super::{Case, Credentials, changes, check, created, delete, get, patch, post, put, snapshot};
use reqwest::Method;
use reqwest::header::HeaderValue;
use serde_json::{Value, json};
use tiski_testkit::TestApp;

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

impl Fixture {
    async fn build() -> Fixture {
        let test = TestApp::spawn().await;
        test.default_mailbox().await;
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
        post("/tickets", &ticket_with(json!({"tags": ["fine", "two/words"]}))).fails(422, Some("tags/1")),
        post("/tickets", &ticket_with(json!({"language": "not a language!"}))).fails(422, Some("language")),
        post("/tickets", &ticket_with(json!({"subject": "x".repeat(501)}))).fails(422, Some("subject")),
        post("/tickets", &ticket_with(json!({"message": {"body": "x", "author": "system"}}))).fails(422, Some("message.author")),
        post("/tickets", &ticket_with(json!({"team_id": MISSING}))).fails(422, Some("team_id")),
        post("/tickets", &ticket_with(json!({"requester": {"id": MISSING}}))).fails(422, Some("requester.id")),
        post("/tickets", &ticket_with(json!({"team_id": f.team, "assignee_id": MISSING}))).fails(422, Some("assignee_id")),
        post("/tickets", &ticket_with(json!({"team_id": f.team, "assignee_id": f.admin}))).fails(422, Some("assignee_id")),
        patch(&ticket, &json!({"team_id": MISSING}).to_string()).fails(422, Some("team_id")),
        patch(&ticket, r#"{"add_tags": ["ok", "not#ok"]}"#).fails(422, Some("add_tags/1")),
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
