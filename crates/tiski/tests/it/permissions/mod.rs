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

mod changes;
mod table;
mod team_moves;
mod visibility;

use reqwest::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
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
        let message_a = test
            .get(
                &format!("/api/v1/tickets/{}/messages", ticket_a["id"]),
                &test.admin,
            )
            .await
            .1["items"][0]["id"]
            .as_i64()
            .expect("the first message of ticket A");
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

        // API tokens: each caller's own, and spare ones for the revocation rows.
        let email_of = |user: i64| {
            let test = &test;
            async move {
                test.get(&format!("/api/v1/agents/{user}"), &test.admin)
                    .await
                    .1["email"]
                    .as_str()
                    .expect("an email")
                    .to_string()
            }
        };
        for user in [agent_a, agent_b, spare] {
            test.app
                .staff
                .create_token(&email_of(user).await, "doomed")
                .await
                .expect("a spare token");
        }
        let all_tokens = test
            .app
            .staff
            .list_api_tokens(&tiski_kernel::Actor::system(), Some(200), None)
            .await
            .expect("the tokens");
        let token_of = |user: i64, label: &str| {
            all_tokens
                .items
                .iter()
                .find(|t| t.user_id == user && t.label == label)
                .map(|t| t.id)
                .expect("a token of the user")
        };

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
            ("message_a", message_a),
            ("quarantined", quarantined),
            ("token_agent_a", token_of(agent_a, "test")),
            ("doomed_token_a", token_of(agent_a, "doomed")),
            ("doomed_token_b", token_of(agent_b, "doomed")),
            ("doomed_token_spare", token_of(spare, "doomed")),
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

const NEW_AGENT: &str =
    r#"{"email": "new{serial}@example.com", "name": "New Agent", "role": "agent"}"#;
const NEW_TEAM: &str = r#"{"name": "Team {serial}"}"#;
const NEW_CUSTOMER: &str = r#"{"name": "Customer {serial}"}"#;
const NEW_TICKET: &str = r#"{"subject": "Ticket {serial}", "requester": {"email": "asker{serial}@example.com"}, "message": {"body": "Hello"}}"#;
/// A customer may be named as a requester by id only by those who see them; to anyone else
/// the id answers like one nothing has (422 on `requester.id`).
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
const ERASE_CUSTOMER_NONE: &str = r#"{"confirm": {customer_none}}"#;
const ERASE_MISSING: &str = r#"{"confirm": {missing}}"#;
const MERGE_INTO_SELF_A: &str = r#"{"into": {ticket_a}}"#;
const MERGE_INTO_MISSING: &str = r#"{"into": {missing}}"#;
const MERGE_INTO_TICKET_B: &str = r#"{"into": {ticket_b}}"#;
const MERGE_INTO_CUSTOMER_B: &str = r#"{"into": {customer_b}}"#;
const SPLIT: &str = "{}";

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

/// A forward of a whole conversation.
const NEW_FORWARD: &str = r#"{"to": ["partner{serial}@example.org"]}"#;
/// An empty JSON body.
const EMPTY: &str = "{}";
