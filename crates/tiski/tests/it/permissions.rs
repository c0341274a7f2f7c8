//! Who may do what, and who sees what.
//!
//! One table walks every route of `/api/v1` (checked against the OpenAPI document, so a new
//! route without a row fails) with every kind of caller: an admin, the supervisor of team A,
//! an agent of team A, an agent of team B, an agent in no team who is assigned one ticket, no
//! token, a token that is not one, and the token of a deactivated user. The other tests check
//! that every list and the event log and stream hold exactly what the caller may see, that a
//! ticket moved out of a team leaves its agents' view, and that refused requests change
//! nothing.
//!
//! The rules: admins see and do everything. Supervisors see all tickets and customers of their
//! teams and the agents of their teams. Agents see the tickets of their teams and the tickets
//! assigned to them, and the customers with such tickets or whom they created. A ticket (or
//! customer, or agent) outside the caller's reach answers 404; an action beyond their role 403.
//! Only admins create and change staff, create teams and manage webhooks; a team's members are
//! changed by admins and the team's supervisors.

use reqwest::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::TestApp;

/// The kinds of caller, in the order of the table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Admin,
    SupervisorA,
    AgentA,
    AgentB,
    /// An agent in no team, assigned one ticket that has no team.
    Loner,
    NoToken,
    BadToken,
    /// A user who was deactivated after their token was issued and used.
    Deactivated,
    /// An agent in no team with no tickets (not a column of the table).
    Spare,
}

const CALLERS: [Caller; 8] = [
    Caller::Admin,
    Caller::SupervisorA,
    Caller::AgentA,
    Caller::AgentB,
    Caller::Loner,
    Caller::NoToken,
    Caller::BadToken,
    Caller::Deactivated,
];

/// The callers with a working token.
const STAFF: [Caller; 5] = [
    Caller::Admin,
    Caller::SupervisorA,
    Caller::AgentA,
    Caller::AgentB,
    Caller::Loner,
];

/// An answer, read without waiting on a live event stream.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: String,
    www_authenticate: Option<String>,
    body: Value,
}

impl Answer {
    /// What is wrong with this answer if `expected` was due, or `None` when it is right. Every
    /// error must be an `application/problem+json` document with that status.
    fn fault(&self, expected: u16) -> Option<String> {
        if self.status != expected {
            return Some(format!("answered {} {}", self.status, self.body));
        }
        if expected >= 400 {
            if self.content_type != "application/problem+json" {
                return Some(format!(
                    "answered {expected} as {:?}, not application/problem+json",
                    self.content_type
                ));
            }
            if self.body["status"] != expected
                || self.body["detail"].as_str().is_none_or(str::is_empty)
            {
                return Some(format!(
                    "answered {expected} with a bad problem: {}",
                    self.body
                ));
            }
            if expected == 401 && self.www_authenticate.as_deref() != Some("Bearer") {
                return Some(format!(
                    "answered 401 with WWW-Authenticate {:?}",
                    self.www_authenticate
                ));
            }
        }
        None
    }
}

/// Teams A and B with their people, tickets in each, customers and webhooks.
///
/// Tickets: `ticket_a` (team A), `ticket_b` (team B), `ticket_loner` (no team, assigned to the
/// loner), `ticket_shared_a` and `ticket_shared_b` (one customer's tickets in A and in B).
/// Customers: `customer_a`, `customer_b`, `customer_loner` and `customer_shared` (the
/// requesters), `customer_none` (created by the admin, no tickets) and `customer_of_b`
/// (created by agent B, no tickets). Staff: `admin`, `supervisor_a`, `agent_a`, `agent_b`,
/// `loner`, `spare` (in no team, no tickets) and `gone` (in team A, deactivated). Webhooks:
/// `webhook` and `doomed_webhook`. `missing` is an id nothing has.
struct World {
    test: TestApp,
    tokens: BTreeMap<Caller, Option<String>>,
    ids: BTreeMap<&'static str, i64>,
    serial: AtomicU64,
}

impl World {
    async fn build() -> World {
        let test = TestApp::spawn().await;
        let team_a = test.team("Team A").await;
        let team_b = test.team("Team B").await;
        let (supervisor_a, supervisor_a_token) = test.user(Role::Supervisor, &[team_a]).await;
        let (agent_a, agent_a_token) = test.user(Role::Agent, &[team_a]).await;
        let (agent_b, agent_b_token) = test.user(Role::Agent, &[team_b]).await;
        let (loner, loner_token) = test.user(Role::Agent, &[]).await;
        let (spare, spare_token) = test.user(Role::Agent, &[]).await;
        let (gone, gone_token) = test.user(Role::Agent, &[team_a]).await;
        let admin = test.get("/api/v1/me", &test.admin).await.1["id"]
            .as_i64()
            .expect("the admin's id");

        let ticket = |subject: &str, email: &str, team: Option<i64>, assignee: Option<i64>| {
            json!({
                "subject": subject,
                "requester": {"email": email},
                "team_id": team,
                "assignee_id": assignee,
                "message": {"body": format!("{subject}, please help.")},
            })
        };
        let ticket_a = test
            .ticket(
                &test.admin,
                ticket("Leaking kettle", "aino@example.com", Some(team_a), None),
            )
            .await;
        let ticket_b = test
            .ticket(
                &test.admin,
                ticket("Late delivery", "bruno@example.com", Some(team_b), None),
            )
            .await;
        let ticket_loner = test
            .ticket(
                &test.admin,
                ticket("Odd invoice", "nora@example.com", None, Some(loner)),
            )
            .await;
        let ticket_shared_a = test
            .ticket(
                &test.admin,
                ticket("Broken lid", "sami@example.com", Some(team_a), None),
            )
            .await;
        let ticket_shared_b = test
            .ticket(
                &test.admin,
                ticket("Refund", "sami@example.com", Some(team_b), None),
            )
            .await;
        let (status, customer_none) = test
            .post(
                "/api/v1/customers",
                &test.admin,
                json!({"name": "Quiet Customer", "emails": ["quiet@example.com"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{customer_none}");
        let (status, customer_of_b) = test
            .post(
                "/api/v1/customers",
                &agent_b_token,
                json!({"name": "Walk-in", "phones": ["+358 40 765 4321"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{customer_of_b}");
        let webhook_body =
            json!({"url": "http://127.0.0.1:9/hook", "event_types": ["team.created"]});
        let (status, webhook) = test
            .post("/api/v1/webhooks", &test.admin, webhook_body.clone())
            .await;
        assert_eq!(status, StatusCode::CREATED, "{webhook}");
        let (status, doomed_webhook) = test
            .post("/api/v1/webhooks", &test.admin, webhook_body)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{doomed_webhook}");

        // A mailbox of team A, an email ticket with an attachment, and a quarantined message.
        let (status, mailbox) = test
            .post(
                "/api/v1/mailboxes",
                &test.admin,
                json!({"address": "support@a.example", "name": "Team A support", "team_id": team_a}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{mailbox}");
        let mailbox_id = mailbox["id"].as_i64().expect("a mailbox id");
        let raw = |body: &'static str| {
            test.request(
                Method::POST,
                &format!("/api/v1/mailboxes/{mailbox_id}/raw"),
                Some(&test.admin),
            )
            .body(body)
            .send()
        };
        let mailed: Value = raw("From: mailer@example.org\r\nTo: support@a.example\r\nSubject: With a file\r\nMessage-ID: <perm-1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nSee the file.\r\n--B\r\nContent-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nfile body\r\n--B--\r\n")
            .await
            .expect("raw mail")
            .json()
            .await
            .expect("an outcome");
        let email_ticket = mailed["ticket_id"].as_i64().expect("an email ticket");
        let email_customer = test
            .get(&format!("/api/v1/tickets/{email_ticket}"), &test.admin)
            .await
            .1["requester"]["id"]
            .as_i64()
            .expect("the mailer is a customer");
        let messages = test
            .get(
                &format!("/api/v1/tickets/{email_ticket}/messages"),
                &test.admin,
            )
            .await
            .1;
        let attachment = messages["items"][0]["attachments"][0]["id"]
            .as_i64()
            .expect("an attachment");
        let kept: Value = raw("Subject: nobody sent this\r\n\r\nno sender\r\n")
            .await
            .expect("raw mail")
            .json()
            .await
            .expect("an outcome");
        let quarantined = kept["quarantine_id"]
            .as_i64()
            .expect("a quarantined message");

        // The deactivated user's token worked (and was remembered) before the deactivation.
        assert_eq!(test.get("/api/v1/me", &gone_token).await.0, StatusCode::OK);
        let (status, deactivated) = test
            .patch(
                &format!("/api/v1/agents/{gone}"),
                &test.admin,
                json!({"active": false}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{deactivated}");

        let id = |value: &Value| value["id"].as_i64().expect("an id");
        let requester = |value: &Value| value["requester"]["id"].as_i64().expect("a requester");
        let ids = BTreeMap::from([
            ("team_a", team_a),
            ("team_b", team_b),
            ("admin", admin),
            ("supervisor_a", supervisor_a),
            ("agent_a", agent_a),
            ("agent_b", agent_b),
            ("loner", loner),
            ("spare", spare),
            ("gone", gone),
            ("ticket_a", id(&ticket_a)),
            ("ticket_b", id(&ticket_b)),
            ("ticket_loner", id(&ticket_loner)),
            ("ticket_shared_a", id(&ticket_shared_a)),
            ("ticket_shared_b", id(&ticket_shared_b)),
            ("customer_a", requester(&ticket_a)),
            ("customer_b", requester(&ticket_b)),
            ("customer_loner", requester(&ticket_loner)),
            ("customer_shared", requester(&ticket_shared_a)),
            ("customer_none", id(&customer_none)),
            ("customer_of_b", id(&customer_of_b)),
            ("webhook", id(&webhook)),
            ("doomed_webhook", id(&doomed_webhook)),
            ("mailbox", mailbox_id),
            ("email_ticket", email_ticket),
            ("email_customer", email_customer),
            ("attachment", attachment),
            ("quarantined", quarantined),
            ("missing", 987_654),
        ]);
        let tokens = BTreeMap::from([
            (Caller::Admin, Some(test.admin.clone())),
            (Caller::SupervisorA, Some(supervisor_a_token)),
            (Caller::AgentA, Some(agent_a_token)),
            (Caller::AgentB, Some(agent_b_token)),
            (Caller::Loner, Some(loner_token)),
            (Caller::NoToken, None),
            (
                Caller::BadToken,
                Some("tsk_NotARealTokenNotARealTokenNotARealToken0".to_string()),
            ),
            (Caller::Deactivated, Some(gone_token)),
            (Caller::Spare, Some(spare_token)),
        ]);
        World {
            test,
            tokens,
            ids,
            serial: AtomicU64::new(0),
        }
    }

    fn id(&self, name: &str) -> i64 {
        *self
            .ids
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in the world"))
    }

    fn ids(&self, names: &[&str]) -> BTreeSet<i64> {
        names.iter().map(|name| self.id(name)).collect()
    }

    fn token(&self, caller: Caller) -> Option<&str> {
        self.tokens[&caller].as_deref()
    }

    /// Replaces `{name}` with the id of `name`, and `{serial}` with a number used once.
    fn fill(&self, template: &str) -> String {
        let mut text = template.to_string();
        while let Some(start) = text.find("{serial}") {
            let serial = self.serial.fetch_add(1, Ordering::SeqCst).to_string();
            text.replace_range(start..start + "{serial}".len(), &serial);
        }
        for (name, id) in &self.ids {
            text = text.replace(&format!("{{{name}}}"), &id.to_string());
        }
        assert!(
            placeholder(&text).is_none(),
            "unknown placeholder in {template}"
        );
        text
    }

    /// Sends `method path` (under `/api/v1`) as `caller` with an optional JSON body.
    async fn call(&self, caller: Caller, method: Method, path: &str, body: Option<&str>) -> Answer {
        let mut request = self
            .test
            .request(method, &format!("/api/v1{path}"), self.token(caller));
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string());
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

    async fn get(&self, caller: Caller, path: &str) -> Answer {
        self.call(caller, Method::GET, path, None).await
    }

    /// Every item of a list as `caller`, following the pages (`after` for the event log,
    /// `cursor` elsewhere).
    async fn everything(&self, caller: Caller, path: &str) -> Vec<Value> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let page = match &next {
                None => format!("{path}{separator}limit=200"),
                Some(after) if path.starts_with("/events") => {
                    format!("{path}{separator}limit=200&after={after}")
                }
                Some(cursor) => format!("{path}{separator}limit=200&cursor={cursor}"),
            };
            let answer = self.get(caller, &page).await;
            assert_eq!(answer.status, 200, "{caller:?} GET {page}: {}", answer.body);
            items.extend(
                answer.body["items"]
                    .as_array()
                    .expect("a page of items")
                    .iter()
                    .cloned(),
            );
            match answer.body["next_cursor"].as_str() {
                Some(cursor) => next = Some(cursor.to_string()),
                None => return items,
            }
        }
    }

    /// The ids in a list as `caller`.
    async fn listed(&self, caller: Caller, path: &str) -> BTreeSet<i64> {
        ids_of(&self.everything(caller, path).await)
    }
}

/// The first `{name}` left in a text, if any (JSON braces never hold a bare name).
fn placeholder(text: &str) -> Option<&str> {
    text.match_indices('{').find_map(|(start, _)| {
        let rest = &text[start + 1..];
        let end = rest.find('}')?;
        let name = &rest[..end];
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .then_some(name)
    })
}

fn ids_of(items: &[Value]) -> BTreeSet<i64> {
    items
        .iter()
        .map(|item| item["id"].as_i64().expect("an item with an id"))
        .collect()
}

/// `/api/v1/tickets/{id}/messages` and `/tickets/{ticket_a}/messages` both become
/// `/tickets/{}/messages`.
fn route_shape(path: &str) -> String {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// One row of the permission table: a request and its expected status for each caller, in
/// the order of [`CALLERS`].
struct Rule {
    method: Method,
    path: &'static str,
    body: Option<&'static str>,
    expect: [u16; 8],
}

fn get(path: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::GET,
        path,
        body: None,
        expect,
    }
}

fn post(path: &'static str, body: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::POST,
        path,
        body: Some(body),
        expect,
    }
}

fn patch(path: &'static str, body: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::PATCH,
        path,
        body: Some(body),
        expect,
    }
}

fn put(path: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::PUT,
        path,
        body: None,
        expect,
    }
}

fn delete(path: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::DELETE,
        path,
        body: None,
        expect,
    }
}

const NEW_AGENT: &str =
    r#"{"email": "new{serial}@example.com", "name": "New Agent", "role": "agent"}"#;
const NEW_TEAM: &str = r#"{"name": "Team {serial}"}"#;
const NEW_CUSTOMER: &str = r#"{"name": "Customer {serial}"}"#;
const NEW_TICKET: &str = r#"{"subject": "Ticket {serial}", "requester": {"email": "asker{serial}@example.com"}, "message": {"body": "Hello"}}"#;
/// Any existing customer may be named as a requester by id, as by email or phone: agents
/// take calls from customers whose earlier tickets belong to other teams.
const TICKET_FOR_CUSTOMER_B: &str = r#"{"subject": "Ticket {serial}", "requester": {"id": {customer_b}}, "message": {"body": "Hello"}}"#;
const NEW_MAILBOX: &str = r#"{"address": "box{serial}@a.example", "name": "Box {serial}"}"#;
const MAILBOX_CHANGE: &str = r#"{"signature": "Team A"}"#;
const NEW_RAW_MAIL: &str = "From: raw{serial}@example.org\r\nTo: support@a.example\r\nSubject: Raw {serial}\r\n\r\nHello\r\n";
const NEW_NOTE: &str = r#"{"body": "Looking into it.", "kind": "note"}"#;
const NEW_WEBHOOK: &str =
    r#"{"url": "http://127.0.0.1:9/hook", "event_types": ["ticket.created"]}"#;
const TICKET_CHANGE: &str = r#"{"priority": "high"}"#;
const CUSTOMER_CHANGE: &str = r#"{"organization": "Acme Oy"}"#;
const AGENT_CHANGE: &str = r#"{"languages": ["fi", "en"]}"#;

/// The permission spec. Each row runs as every caller; the admin goes last so that a row
/// whose success removes its target (deleting a webhook) still tests everyone else first.
#[rustfmt::skip]
fn permission_table() -> Vec<Rule> {
    vec![
        //                                                       admin supA  agtA  agtB  loner none  bad   gone
        get("/health",                                          [200,  200,  200,  200,  200,  200,  200,  200]),
        get("/openapi.json",                                    [200,  200,  200,  200,  200,  200,  200,  200]),
        get("/me",                                              [200,  200,  200,  200,  200,  401,  401,  401]),

        // Staff: everyone sees themselves and their teams' members; only admins change staff.
        get("/agents",                                          [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/agents", NEW_AGENT,                              [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/agents/{admin}",                                  [200,  404,  404,  404,  404,  401,  401,  401]),
        get("/agents/{supervisor_a}",                           [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/agents/{agent_a}",                                [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/agents/{agent_b}",                                [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/agents/{loner}",                                  [200,  404,  404,  404,  200,  401,  401,  401]),
        get("/agents/{missing}",                                [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/agents/{agent_a}", AGENT_CHANGE,                [200,  403,  403,  403,  403,  401,  401,  401]),
        patch("/agents/{agent_b}", AGENT_CHANGE,                [200,  403,  403,  403,  403,  401,  401,  401]),
        patch("/agents/{loner}", AGENT_CHANGE,                  [200,  403,  403,  403,  403,  401,  401,  401]),
        patch("/agents/{missing}", AGENT_CHANGE,                [404,  403,  403,  403,  403,  401,  401,  401]),

        // Teams: names are not secret; only admins create them; members change by admins
        // and the team's own supervisors.
        get("/teams",                                           [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/teams", NEW_TEAM,                                [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/teams/{team_a}",                                  [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/teams/{team_b}",                                  [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/teams/{missing}",                                 [404,  404,  404,  404,  404,  401,  401,  401]),
        put("/teams/{team_a}/members/{spare}",                  [200,  200,  403,  403,  403,  401,  401,  401]),
        delete("/teams/{team_a}/members/{spare}",               [200,  200,  403,  403,  403,  401,  401,  401]),
        put("/teams/{team_b}/members/{spare}",                  [200,  403,  403,  403,  403,  401,  401,  401]),
        delete("/teams/{team_b}/members/{spare}",               [200,  403,  403,  403,  403,  401,  401,  401]),
        put("/teams/{missing}/members/{spare}",                 [404,  403,  403,  403,  403,  401,  401,  401]),
        put("/teams/{team_a}/members/{missing}",                [404,  404,  403,  403,  403,  401,  401,  401]),
        delete("/teams/{team_a}/members/{missing}",             [404,  404,  403,  403,  403,  401,  401,  401]),

        // Customers: visible through a visible ticket (or to whoever created them).
        get("/customers",                                       [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/customers", NEW_CUSTOMER,                        [201,  201,  201,  201,  201,  401,  401,  401]),
        get("/customers/{customer_a}",                          [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/customers/{customer_b}",                          [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/customers/{customer_loner}",                      [200,  404,  404,  404,  200,  401,  401,  401]),
        get("/customers/{customer_shared}",                     [200,  200,  200,  200,  404,  401,  401,  401]),
        get("/customers/{customer_none}",                       [200,  404,  404,  404,  404,  401,  401,  401]),
        get("/customers/{customer_of_b}",                       [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/customers/{missing}",                             [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/customers/{customer_a}", CUSTOMER_CHANGE,       [200,  200,  200,  404,  404,  401,  401,  401]),
        patch("/customers/{customer_b}", CUSTOMER_CHANGE,       [200,  404,  404,  200,  404,  401,  401,  401]),
        patch("/customers/{customer_loner}", CUSTOMER_CHANGE,   [200,  404,  404,  404,  200,  401,  401,  401]),
        patch("/customers/{customer_none}", CUSTOMER_CHANGE,    [200,  404,  404,  404,  404,  401,  401,  401]),
        patch("/customers/{customer_of_b}", CUSTOMER_CHANGE,    [200,  404,  404,  200,  404,  401,  401,  401]),
        patch("/customers/{missing}", CUSTOMER_CHANGE,          [404,  404,  404,  404,  404,  401,  401,  401]),

        // Tickets: of the caller's teams, or assigned to them; anything else is not there.
        get("/tickets",                                         [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/tickets", NEW_TICKET,                            [201,  201,  201,  201,  201,  401,  401,  401]),
        post("/tickets", TICKET_FOR_CUSTOMER_B,                 [201,  201,  201,  201,  201,  401,  401,  401]),
        get("/tickets/{ticket_a}",                              [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_b}",                              [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/tickets/{ticket_loner}",                          [200,  404,  404,  404,  200,  401,  401,  401]),
        get("/tickets/{missing}",                               [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/tickets/{ticket_a}", TICKET_CHANGE,             [200,  200,  200,  404,  404,  401,  401,  401]),
        patch("/tickets/{ticket_b}", TICKET_CHANGE,             [200,  404,  404,  200,  404,  401,  401,  401]),
        patch("/tickets/{ticket_loner}", TICKET_CHANGE,         [200,  404,  404,  404,  200,  401,  401,  401]),
        patch("/tickets/{missing}", TICKET_CHANGE,              [404,  404,  404,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_a}/messages",                     [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_b}/messages",                     [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/tickets/{ticket_loner}/messages",                 [200,  404,  404,  404,  200,  401,  401,  401]),
        get("/tickets/{missing}/messages",                      [404,  404,  404,  404,  404,  401,  401,  401]),
        post("/tickets/{ticket_a}/messages", NEW_NOTE,          [201,  201,  201,  404,  404,  401,  401,  401]),
        post("/tickets/{ticket_b}/messages", NEW_NOTE,          [201,  404,  404,  201,  404,  401,  401,  401]),
        post("/tickets/{ticket_loner}/messages", NEW_NOTE,      [201,  404,  404,  404,  201,  401,  401,  401]),
        post("/tickets/{missing}/messages", NEW_NOTE,           [404,  404,  404,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_a}/events",                       [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_b}/events",                       [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/tickets/{ticket_loner}/events",                   [200,  404,  404,  404,  200,  401,  401,  401]),
        get("/tickets/{missing}/events",                        [404,  404,  404,  404,  404,  401,  401,  401]),

        // The event log and stream: everyone may read, scoped (checked below).
        get("/events",                                          [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/events/stream",                                   [200,  200,  200,  200,  200,  401,  401,  401]),

        // Webhooks: admins only.
        get("/webhooks",                                        [200,  403,  403,  403,  403,  401,  401,  401]),
        post("/webhooks", NEW_WEBHOOK,                          [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/webhooks/{webhook}/deliveries",                   [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/webhooks/{missing}/deliveries",                   [404,  403,  403,  403,  403,  401,  401,  401]),
        delete("/webhooks/{doomed_webhook}",                    [204,  403,  403,  403,  403,  401,  401,  401]),
        delete("/webhooks/{missing}",                           [404,  403,  403,  403,  403,  401,  401,  401]),
        // Email: mailboxes, raw mail and the quarantine are for admins; attachments follow
        // their ticket.
        get("/mailboxes",                                       [200,  403,  403,  403,  403,  401,  401,  401]),
        post("/mailboxes", NEW_MAILBOX,                         [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/mailboxes/{mailbox}",                             [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/mailboxes/{missing}",                             [404,  403,  403,  403,  403,  401,  401,  401]),
        patch("/mailboxes/{mailbox}", MAILBOX_CHANGE,           [200,  403,  403,  403,  403,  401,  401,  401]),
        post("/mailboxes/{mailbox}/raw", NEW_RAW_MAIL,          [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/quarantine",                                      [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/quarantine/{quarantined}/raw",                    [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/quarantine/{missing}/raw",                        [404,  403,  403,  403,  403,  401,  401,  401]),
        get("/attachments/{attachment}",                        [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/attachments/{missing}",                           [404,  404,  404,  404,  404,  401,  401,  401]),
    ]
}

/// Every route and method the OpenAPI document lists (plus the document itself), as
/// (method, route shape).
async fn documented_routes(world: &World) -> BTreeSet<(String, String)> {
    let doc = world.get(Caller::Admin, "/openapi.json").await.body;
    let mut routes = BTreeSet::from([("GET".to_string(), "/openapi.json".to_string())]);
    for (path, operations) in doc["paths"].as_object().expect("paths in the document") {
        for method in operations.as_object().expect("operations").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                routes.insert((method.to_uppercase(), route_shape(path)));
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_route_with_every_caller() {
    let world = World::build().await;
    let table = permission_table();

    let documented = documented_routes(&world).await;
    let tabled: BTreeSet<(String, String)> = table
        .iter()
        .map(|rule| (rule.method.to_string(), route_shape(rule.path)))
        .collect();
    assert_eq!(
        documented.difference(&tabled).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "routes without a row in the permission table"
    );
    assert_eq!(
        tabled.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "rows for routes the OpenAPI document does not list"
    );

    let mut faults = Vec::new();
    let mut checked = 0;
    for rule in &table {
        let order = (1..CALLERS.len()).chain([0]);
        for column in order {
            let caller = CALLERS[column];
            let path = world.fill(rule.path);
            let body = rule.body.map(|body| world.fill(body));
            let answer = world
                .call(caller, rule.method.clone(), &path, body.as_deref())
                .await;
            checked += 1;
            if let Some(fault) = answer.fault(rule.expect[column]) {
                faults.push(format!(
                    "{caller:?} {} {path}: expected {}, {fault}",
                    rule.method, rule.expect[column]
                ));
            }
        }
    }
    assert_eq!(checked, table.len() * CALLERS.len());
    assert!(
        faults.is_empty(),
        "{} of {checked} answers were wrong:\n{}",
        faults.len(),
        faults.join("\n")
    );
    world.test.stop().await;
}

#[tokio::test]
async fn methods_a_route_does_not_take_are_refused() {
    let world = World::build().await;
    let documented = documented_routes(&world).await;
    let shapes: BTreeSet<&String> = documented.iter().map(|(_, shape)| shape).collect();
    let mut faults = Vec::new();
    for shape in shapes {
        let path = shape.replace("{}", &world.id("ticket_a").to_string());
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            if documented.contains(&(method.to_string(), shape.clone())) {
                continue;
            }
            let answer = world.call(Caller::Admin, method.clone(), &path, None).await;
            if let Some(fault) = answer.fault(405) {
                faults.push(format!("{method} {path}: expected 405, {fault}"));
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    world.test.stop().await;
}

/// What each caller may see of the world, by name.
fn visible_tickets(caller: Caller) -> &'static [&'static str] {
    match caller {
        Caller::Admin => &[
            "ticket_a",
            "ticket_b",
            "ticket_loner",
            "ticket_shared_a",
            "ticket_shared_b",
            "email_ticket",
        ],
        Caller::SupervisorA | Caller::AgentA => &["ticket_a", "ticket_shared_a", "email_ticket"],
        Caller::AgentB => &["ticket_b", "ticket_shared_b"],
        Caller::Loner => &["ticket_loner"],
        _ => &[],
    }
}

fn visible_customers(caller: Caller) -> &'static [&'static str] {
    match caller {
        Caller::Admin => &[
            "customer_a",
            "customer_b",
            "customer_loner",
            "customer_shared",
            "customer_none",
            "customer_of_b",
            "email_customer",
        ],
        Caller::SupervisorA | Caller::AgentA => {
            &["customer_a", "customer_shared", "email_customer"]
        }
        Caller::AgentB => &["customer_b", "customer_shared", "customer_of_b"],
        Caller::Loner => &["customer_loner"],
        _ => &[],
    }
}

fn visible_agents(caller: Caller) -> &'static [&'static str] {
    match caller {
        Caller::Admin => &[
            "admin",
            "supervisor_a",
            "agent_a",
            "agent_b",
            "loner",
            "spare",
            "gone",
        ],
        Caller::SupervisorA | Caller::AgentA => &["supervisor_a", "agent_a", "gone"],
        Caller::AgentB => &["agent_b"],
        Caller::Loner => &["loner"],
        _ => &[],
    }
}

/// The events of the whole log (read by the admin) that concern the tickets `caller` sees;
/// everything for the admin.
async fn visible_events(world: &World, caller: Caller) -> BTreeSet<i64> {
    let tickets = world.ids(visible_tickets(caller));
    world
        .everything(Caller::Admin, "/events")
        .await
        .iter()
        .filter(|event| {
            caller == Caller::Admin
                || event["ticket_id"]
                    .as_i64()
                    .is_some_and(|ticket| tickets.contains(&ticket))
        })
        .map(|event| event["id"].as_i64().expect("an event id"))
        .collect()
}

/// Opens the event stream as `caller`, starting after event `after`.
async fn open_stream(world: &World, caller: Caller, after: i64) -> reqwest::Response {
    let response = world
        .test
        .request(
            Method::GET,
            &format!("/api/v1/events/stream?after={after}"),
            world.token(caller),
        )
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::OK, "{caller:?} stream");
    response
}

/// Reads an event stream until event `marker` arrives and returns the ids it delivered. The
/// deadline only turns a hang into a failure.
async fn read_until(stream: &mut reqwest::Response, marker: i64) -> BTreeSet<i64> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut seen = BTreeSet::new();
    let mut pending: Vec<u8> = Vec::new();
    while !seen.contains(&marker) {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| {
                panic!("the stream never delivered event {marker}; it gave {seen:?}")
            })
            .expect("the stream reads")
            .expect("the stream stays open");
        pending.extend_from_slice(&chunk);
        while let Some(end) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            if let Some(id) = line.trim_end().strip_prefix("id:") {
                seen.insert(id.trim().parse::<i64>().expect("a numeric event id"));
            }
        }
    }
    seen
}

#[tokio::test]
async fn lists_hold_exactly_what_the_caller_may_see() {
    let world = World::build().await;
    let mut faults = Vec::new();
    let mut check = |what: String, got: BTreeSet<i64>, want: BTreeSet<i64>| {
        if got != want {
            faults.push(format!("{what}: got {got:?}, expected {want:?}"));
        }
    };

    for caller in STAFF {
        check(
            format!("{caller:?} GET /tickets"),
            world.listed(caller, "/tickets").await,
            world.ids(visible_tickets(caller)),
        );
        check(
            format!("{caller:?} GET /customers"),
            world.listed(caller, "/customers").await,
            world.ids(visible_customers(caller)),
        );
        check(
            format!("{caller:?} GET /agents"),
            world.listed(caller, "/agents").await,
            world.ids(visible_agents(caller)),
        );
        // The team list is not scoped: moving tickets between teams needs their names.
        check(
            format!("{caller:?} GET /teams"),
            world.listed(caller, "/teams").await,
            world.ids(&["team_a", "team_b"]),
        );
    }

    // Filters narrow the caller's view; they never widen it.
    let filtered = [
        (Caller::AgentA, "/tickets?team_id={team_b}", vec![]),
        (
            Caller::AgentA,
            "/tickets?customer_id={customer_shared}",
            vec!["ticket_shared_a"],
        ),
        (Caller::AgentA, "/tickets?customer_id={customer_b}", vec![]),
        (Caller::AgentA, "/tickets?assignee_id={loner}", vec![]),
        (
            Caller::AgentB,
            "/tickets?status=new,open",
            vec!["ticket_b", "ticket_shared_b"],
        ),
        (Caller::Loner, "/tickets?assignee_id=none", vec![]),
        (Caller::SupervisorA, "/tickets?team_id={team_b}", vec![]),
        (Caller::AgentA, "/customers?q=bruno", vec![]),
        (Caller::AgentA, "/customers?q=sami", vec!["customer_shared"]),
        (
            Caller::Loner,
            "/customers?q=example.com",
            vec!["customer_loner"],
        ),
    ];
    for (caller, path, want) in filtered {
        let path = world.fill(path);
        check(
            format!("{caller:?} GET {path}"),
            world.listed(caller, &path).await,
            world.ids(&want),
        );
    }

    // A customer's page lists only the tickets the reader sees.
    let shared = world.fill("/customers/{customer_shared}");
    for (caller, want) in [
        (Caller::Admin, vec!["ticket_shared_a", "ticket_shared_b"]),
        (Caller::SupervisorA, vec!["ticket_shared_a"]),
        (Caller::AgentA, vec!["ticket_shared_a"]),
        (Caller::AgentB, vec!["ticket_shared_b"]),
    ] {
        let answer = world.get(caller, &shared).await;
        assert_eq!(
            answer.status, 200,
            "{caller:?} GET {shared}: {}",
            answer.body
        );
        let tickets = answer.body["tickets"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        check(
            format!("{caller:?} GET {shared} tickets"),
            ids_of(&tickets),
            world.ids(&want),
        );
    }

    // The event log, read as a list and followed live: a marker note on a ticket the
    // caller sees is the newest event, so once the stream delivers it, it has delivered
    // everything it ever will up to there.
    for caller in STAFF {
        let ticket = visible_tickets(caller)[0];
        let (status, note) = world
            .test
            .post(
                &format!("/api/v1/tickets/{}/messages", world.id(ticket)),
                &world.test.admin,
                json!({"body": format!("Marker for {caller:?}"), "kind": "note"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{note}");
        let want = visible_events(&world, caller).await;
        let marker = *want.last().expect("the marker is visible");
        let events = world.everything(caller, "/events").await;
        check(
            format!("{caller:?} GET /events"),
            ids_of(&events),
            want.clone(),
        );
        if caller != Caller::Admin {
            let stray: Vec<&Value> = events
                .iter()
                .filter(|event| event["ticket_id"].is_null())
                .collect();
            assert!(
                stray.is_empty(),
                "{caller:?} sees events of no ticket: {stray:?}"
            );
        }
        check(
            format!("{caller:?} GET /events/stream"),
            read_until(&mut open_stream(&world, caller, 0).await, marker).await,
            want,
        );
    }

    assert!(faults.is_empty(), "{}", faults.join("\n"));
    world.test.stop().await;
}

#[tokio::test]
async fn a_ticket_moved_out_of_a_team_leaves_its_agents_view() {
    let world = World::build().await;
    let ticket = world.id("ticket_a");
    #[rustfmt::skip]
    let steps: &[Step] = &[
        (Caller::AgentA, Method::GET, "/tickets/{ticket_a}", None, 200),
        (Caller::AgentB, Method::GET, "/tickets/{ticket_a}", None, 404),
        // Agent A hands their team's ticket over to team B...
        (Caller::AgentA, Method::PATCH, "/tickets/{ticket_a}", Some(r#"{"team_id": {team_b}}"#), 200),
        // ...and with it, it is out of team A's reach, its customer too.
        (Caller::AgentA, Method::GET, "/tickets/{ticket_a}", None, 404),
        (Caller::AgentA, Method::PATCH, "/tickets/{ticket_a}", Some(TICKET_CHANGE), 404),
        (Caller::AgentA, Method::GET, "/tickets/{ticket_a}/messages", None, 404),
        (Caller::AgentA, Method::POST, "/tickets/{ticket_a}/messages", Some(NEW_NOTE), 404),
        (Caller::AgentA, Method::GET, "/tickets/{ticket_a}/events", None, 404),
        (Caller::AgentA, Method::GET, "/customers/{customer_a}", None, 404),
        (Caller::SupervisorA, Method::GET, "/tickets/{ticket_a}", None, 404),
        (Caller::SupervisorA, Method::GET, "/customers/{customer_a}", None, 404),
        // Team B has it now.
        (Caller::AgentB, Method::GET, "/tickets/{ticket_a}", None, 200),
        (Caller::AgentB, Method::GET, "/tickets/{ticket_a}/events", None, 200),
        (Caller::AgentB, Method::GET, "/customers/{customer_a}", None, 200),
        // An assigned ticket moved to a team its assignee is not in leaves the assignee too,
        // and with it the assignee's view.
        (Caller::Admin, Method::PATCH, "/tickets/{ticket_shared_a}", Some(r#"{"assignee_id": {agent_a}}"#), 200),
        (Caller::AgentA, Method::GET, "/tickets/{ticket_shared_a}", None, 200),
        (Caller::Admin, Method::PATCH, "/tickets/{ticket_shared_a}", Some(r#"{"team_id": {team_b}}"#), 200),
        (Caller::AgentA, Method::GET, "/tickets/{ticket_shared_a}", None, 404),
    ];
    let faults = run_steps(&world, steps).await;
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    let shared = world
        .get(Caller::Admin, &world.fill("/tickets/{ticket_shared_a}"))
        .await;
    assert_eq!(shared.body["assignee_id"], Value::Null, "{}", shared.body);

    // The lists and the log agree with the single reads.
    for (caller, sees) in [
        (Caller::AgentA, false),
        (Caller::SupervisorA, false),
        (Caller::AgentB, true),
    ] {
        let tickets = world.listed(caller, "/tickets").await;
        assert_eq!(tickets.contains(&ticket), sees, "{caller:?} GET /tickets");
        let customers = world.listed(caller, "/customers").await;
        assert_eq!(
            customers.contains(&world.id("customer_a")),
            sees,
            "{caller:?} GET /customers"
        );
        let events = world.everything(caller, "/events").await;
        assert_eq!(
            events.iter().any(|e| e["ticket_id"] == ticket),
            sees,
            "{caller:?} GET /events"
        );
    }
    world.test.stop().await;
}

/// One request in a sequence: who sends what, and the status due.
type Step = (Caller, Method, &'static str, Option<&'static str>, u16);

/// Runs `steps` in order (filling in ids) and returns the wrong answers.
async fn run_steps(world: &World, steps: &[Step]) -> Vec<String> {
    let mut faults = Vec::new();
    for (caller, method, path, body, want) in steps {
        let path = world.fill(path);
        let body = body.map(|body| world.fill(body));
        let answer = world
            .call(*caller, method.clone(), &path, body.as_deref())
            .await;
        if let Some(fault) = answer.fault(*want) {
            faults.push(format!(
                "{caller:?} {method} {path}: expected {want}, {fault}"
            ));
        }
    }
    faults
}

/// The state an admin sees: every list, and the full event log.
async fn snapshot(world: &World) -> BTreeMap<&'static str, Value> {
    let mut state = BTreeMap::new();
    for (name, path) in [
        ("events", "/events"),
        ("tickets", "/tickets?sort=id"),
        ("customers", "/customers"),
        ("agents", "/agents"),
        ("teams", "/teams"),
    ] {
        state.insert(
            name,
            Value::from(world.everything(Caller::Admin, path).await),
        );
    }
    state.insert(
        "webhooks",
        world.get(Caller::Admin, "/webhooks").await.body["items"].clone(),
    );
    for (name, path) in [
        ("ticket_a", "/tickets/{ticket_a}"),
        ("ticket_a messages", "/tickets/{ticket_a}/messages"),
        ("customer_a", "/customers/{customer_a}"),
        ("agent_a", "/agents/{agent_a}"),
        ("team_a", "/teams/{team_a}"),
        ("team_b", "/teams/{team_b}"),
    ] {
        let answer = world.get(Caller::Admin, &world.fill(path)).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        state.insert(name, answer.body);
    }
    state
}

#[tokio::test]
async fn refused_requests_change_nothing() {
    let world = World::build().await;
    let before = snapshot(&world).await;

    #[rustfmt::skip]
    let refused: &[Step] = &[
        (Caller::AgentB, Method::PATCH, "/tickets/{ticket_a}",
            Some(r#"{"subject": "Hijacked", "status": "solved", "team_id": {team_b}, "tags": ["mine"]}"#), 404),
        (Caller::Loner, Method::PATCH, "/tickets/{ticket_a}", Some(r#"{"assignee_id": {loner}}"#), 404),
        (Caller::AgentB, Method::POST, "/tickets/{ticket_a}/messages", Some(r#"{"body": "Sneaky reply"}"#), 404),
        (Caller::AgentB, Method::POST, "/tickets/{ticket_a}/messages",
            Some(r#"{"body": "Reopen!", "author": "customer"}"#), 404),
        (Caller::AgentB, Method::PATCH, "/customers/{customer_a}",
            Some(r#"{"name": "Renamed", "emails": ["thief@example.com"]}"#), 404),
        (Caller::AgentA, Method::PATCH, "/agents/{agent_a}", Some(r#"{"role": "admin"}"#), 403),
        (Caller::SupervisorA, Method::PATCH, "/agents/{agent_a}",
            Some(r#"{"team_ids": [{team_a}, {team_b}], "active": false}"#), 403),
        (Caller::SupervisorA, Method::POST, "/agents",
            Some(r#"{"email": "sneaky@example.com", "name": "Sneaky", "role": "admin"}"#), 403),
        (Caller::SupervisorA, Method::PUT, "/teams/{team_b}/members/{supervisor_a}", None, 403),
        (Caller::AgentA, Method::PUT, "/teams/{team_a}/members/{agent_b}", None, 403),
        (Caller::AgentA, Method::DELETE, "/teams/{team_a}/members/{supervisor_a}", None, 403),
        (Caller::SupervisorA, Method::DELETE, "/teams/{team_b}/members/{agent_b}", None, 403),
        (Caller::SupervisorA, Method::POST, "/teams", Some(r#"{"name": "Shadow team"}"#), 403),
        (Caller::SupervisorA, Method::POST, "/webhooks",
            Some(r#"{"url": "http://127.0.0.1:9/steal", "event_types": ["*"]}"#), 403),
        (Caller::AgentA, Method::DELETE, "/webhooks/{webhook}", None, 403),
        (Caller::Deactivated, Method::PATCH, "/tickets/{ticket_a}", Some(r#"{"subject": "Ghost"}"#), 401),
        (Caller::Deactivated, Method::POST, "/tickets/{ticket_a}/messages", Some(r#"{"body": "Boo"}"#), 401),
        (Caller::NoToken, Method::POST, "/customers", Some(r#"{"name": "Anonymous"}"#), 401),
        (Caller::BadToken, Method::PATCH, "/tickets/{ticket_a}", Some(r#"{"status": "solved"}"#), 401),
    ];
    let faults = run_steps(&world, refused).await;
    assert!(faults.is_empty(), "{}", faults.join("\n"));

    let after = snapshot(&world).await;
    for (name, value) in &before {
        assert_eq!(&after[name], value, "{name} changed by refused requests");
    }
    // The refusals did not, behind the answers, widen anyone's view.
    #[rustfmt::skip]
    let still: &[Step] = &[
        (Caller::AgentB, Method::GET, "/tickets/{ticket_a}", None, 404),
        (Caller::AgentB, Method::GET, "/customers/{customer_a}", None, 404),
        (Caller::SupervisorA, Method::GET, "/tickets/{ticket_b}", None, 404),
        (Caller::AgentA, Method::POST, "/teams", Some(NEW_TEAM), 403),
        (Caller::Deactivated, Method::GET, "/me", None, 401),
    ];
    let faults = run_steps(&world, still).await;
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    world.test.stop().await;
}

#[tokio::test]
async fn changes_of_role_and_team_take_effect_at_once() {
    let world = World::build().await;
    #[rustfmt::skip]
    let steps: &[Step] = &[
        // An agent made admin does an admin's work and sees everything at once; made an
        // agent again, they no longer do.
        (Caller::AgentA, Method::POST, "/teams", Some(NEW_TEAM), 403),
        (Caller::Admin, Method::PATCH, "/agents/{agent_a}", Some(r#"{"role": "admin"}"#), 200),
        (Caller::AgentA, Method::POST, "/teams", Some(NEW_TEAM), 201),
        (Caller::AgentA, Method::GET, "/tickets/{ticket_b}", None, 200),
        (Caller::Admin, Method::PATCH, "/agents/{agent_a}", Some(r#"{"role": "agent"}"#), 200),
        (Caller::AgentA, Method::POST, "/teams", Some(NEW_TEAM), 403),
        (Caller::AgentA, Method::GET, "/tickets/{ticket_b}", None, 404),
        // Joining a team opens its tickets at once; leaving closes them.
        (Caller::Spare, Method::GET, "/tickets/{ticket_a}", None, 404),
        (Caller::SupervisorA, Method::PUT, "/teams/{team_a}/members/{spare}", None, 200),
        (Caller::Spare, Method::GET, "/tickets/{ticket_a}", None, 200),
        (Caller::Spare, Method::GET, "/customers/{customer_a}", None, 200),
        (Caller::SupervisorA, Method::DELETE, "/teams/{team_a}/members/{spare}", None, 200),
        (Caller::Spare, Method::GET, "/tickets/{ticket_a}", None, 404),
        (Caller::Spare, Method::GET, "/customers/{customer_a}", None, 404),
        // Moving an agent to another team through their record moves their view.
        (Caller::Admin, Method::PATCH, "/agents/{agent_b}", Some(r#"{"team_ids": [{team_a}]}"#), 200),
        (Caller::AgentB, Method::GET, "/tickets/{ticket_a}", None, 200),
        (Caller::AgentB, Method::GET, "/tickets/{ticket_b}", None, 404),
        // A deactivated user is out at once, and back at once when reactivated.
        (Caller::Admin, Method::PATCH, "/agents/{spare}", Some(r#"{"active": false}"#), 200),
        (Caller::Spare, Method::GET, "/me", None, 401),
        (Caller::Admin, Method::PATCH, "/agents/{spare}", Some(r#"{"active": true}"#), 200),
        (Caller::Spare, Method::GET, "/me", None, 200),
    ];
    let faults = run_steps(&world, steps).await;
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    world.test.stop().await;
}

#[tokio::test]
async fn a_live_stream_follows_team_changes() {
    let world = World::build().await;
    // Agent B works team B's ticket, assigned to them, so it stays theirs after they leave.
    let assigned = world
        .call(
            Caller::Admin,
            Method::PATCH,
            &world.fill("/tickets/{ticket_b}"),
            Some(&world.fill(r#"{"assignee_id": {agent_b}}"#)),
        )
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
    let newest = visible_events(&world, Caller::Admin)
        .await
        .last()
        .copied()
        .unwrap_or(0);
    let mut stream = open_stream(&world, Caller::AgentB, newest).await;

    // Agent B leaves team B while the stream is open.
    #[rustfmt::skip]
    let steps: &[Step] = &[
        (Caller::Admin, Method::DELETE, "/teams/{team_b}/members/{agent_b}", None, 200),
        (Caller::AgentB, Method::GET, "/tickets/{ticket_shared_b}", None, 404),
        (Caller::AgentB, Method::GET, "/tickets/{ticket_b}", None, 200),
        // A note on team B's other ticket, then a marker on the ticket still assigned to them.
        (Caller::Admin, Method::POST, "/tickets/{ticket_shared_b}/messages", Some(NEW_NOTE), 201),
        (Caller::Admin, Method::POST, "/tickets/{ticket_b}/messages", Some(NEW_NOTE), 201),
    ];
    let faults = run_steps(&world, steps).await;
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    let events = world.everything(Caller::Admin, "/events").await;
    let note_on = |ticket: &str| {
        events
            .iter()
            .rev()
            .find(|e| e["ticket_id"] == world.id(ticket) && e["type"] == "message.added")
            .and_then(|e| e["id"].as_i64())
            .expect("the note's event")
    };
    let hidden = note_on("ticket_shared_b");
    let marker = note_on("ticket_b");

    let seen = read_until(&mut stream, marker).await;
    assert!(
        !seen.contains(&hidden),
        "agent B's open stream delivered event {hidden} of team B's ticket after agent B left team B (it gave {seen:?})"
    );
    world.test.stop().await;
}
