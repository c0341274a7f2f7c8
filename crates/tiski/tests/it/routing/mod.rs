//! Routing on a fake clock, on SQLite and PostgreSQL: capacity and the oldest item first
//! (rule 1), licences that never relax and expired ones (rule 6), a requirement that relaxes
//! at exactly its time (rule 7), priority head starts (rule 8); `nodes` and `race` race two
//! matchers (rule 3), `offers` rule 4, `overflow` rules 9 and 10, `bad_input` every new
//! endpoint, `ui` the presence switcher.

mod bad_input;
mod nodes;
mod offers;
mod overflow;
mod race;
mod ui;

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::TestApp;

/// A desk with one team and a queue of `channels` for it.
pub(super) struct Desk {
    pub test: TestApp,
    pub team: i64,
    pub queue: i64,
}

impl Desk {
    pub async fn new(channels: Value) -> Desk {
        let test = TestApp::spawn().await;
        let team = test.team("Routing").await;
        let queue = queue(&test, "Main", channels, team).await;
        Desk { test, team, queue }
    }

    /// A new agent in the team (offline).
    pub async fn agent(&self) -> (i64, String) {
        self.test.user(Role::Agent, &[self.team]).await
    }

    /// Sets an agent's status as themselves.
    pub async fn status(&self, agent: &(i64, String), status: &str) {
        let (code, body) = self
            .test
            .call(
                reqwest::Method::PUT,
                &format!("/api/v1/agents/{}/presence", agent.0),
                &agent.1,
                Some(json!({"status": status})),
            )
            .await;
        assert_eq!(code, StatusCode::OK, "{body}");
    }

    /// A customer's ticket in `queue` through `channel`; its id.
    pub async fn item(&self, channel: &str, extra: Value) -> i64 {
        let mut body = json!({"subject": "Help", "channel": channel, "queue_id": self.queue,
            "requester": {"email": "asker@customer.example"}, "message": {"body": "Hello?"}});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.test.ticket(&self.test.admin, body).await["id"]
            .as_i64()
            .unwrap()
    }

    /// Runs one matcher step now.
    pub async fn tick(&self) {
        self.test.app.routing.match_once().await.unwrap();
    }

    /// The ticket's assignee.
    pub async fn assignee(&self, ticket: i64) -> Option<i64> {
        let (_, view) = self
            .test
            .get(&format!("/api/v1/tickets/{ticket}"), &self.test.admin)
            .await;
        view["assignee_id"].as_i64()
    }

    pub async fn skill(&self, name: &str, kind: &str, relaxable: bool) -> i64 {
        let (code, skill) = self
            .test
            .post(
                "/api/v1/skills",
                &self.test.admin,
                json!({"name": name, "type": kind, "relaxable": relaxable}),
            )
            .await;
        assert_eq!(code, StatusCode::CREATED, "{skill}");
        skill["id"].as_i64().unwrap()
    }

    pub async fn skills(&self, agent: i64, items: Value) {
        let (code, body) = self
            .test
            .call(
                reqwest::Method::PUT,
                &format!("/api/v1/agents/{agent}/skills"),
                &self.test.admin,
                Some(json!({ "items": items })),
            )
            .await;
        assert_eq!(code, StatusCode::OK, "{body}");
    }
}

pub(super) async fn queue(test: &TestApp, name: &str, channels: Value, team: i64) -> i64 {
    let (code, queue) = test
        .post(
            "/api/v1/queues",
            &test.admin,
            json!({"name": name, "channels": channels, "team_ids": [team], "selection": "longest_idle", "push": true}),
        )
        .await;
    assert_eq!(code, StatusCode::CREATED, "{queue}");
    queue["id"].as_i64().unwrap()
}

#[tokio::test]
async fn rule_1_capacity_holds_and_the_oldest_waiting_chat_goes_first() {
    let desk = Desk::new(json!(["chat", "phone"])).await;
    let agent = desk.agent().await;
    let mut chats = Vec::new();
    for _ in 0..5 {
        chats.push(desk.item("chat", json!({})).await);
        desk.test.advance(Duration::from_secs(1));
    }
    let call = desk.item("phone", json!({})).await;
    desk.status(&agent, "available").await;
    desk.tick().await;
    desk.tick().await;
    for (index, chat) in chats.iter().enumerate() {
        let expected = (index < 3).then_some(agent.0);
        assert_eq!(desk.assignee(*chat).await, expected, "chat {index}");
    }
    assert_eq!(desk.assignee(call).await, None, "no call beside chats");
    let presence = desk
        .test
        .get(&format!("/api/v1/agents/{}/presence", agent.0), &agent.1)
        .await
        .1;
    assert_eq!(presence["load"], 60, "{presence}");
    assert_eq!(presence["status"], "available");
    // One chat is solved: the oldest waiting chat (the fourth) follows within one step.
    let (code, _) = desk
        .test
        .patch(
            &format!("/api/v1/tickets/{}", chats[0]),
            &agent.1,
            json!({"status": "solved"}),
        )
        .await;
    assert_eq!(code, StatusCode::OK);
    desk.tick().await;
    assert_eq!(desk.assignee(chats[3]).await, Some(agent.0));
    assert_eq!(desk.assignee(chats[4]).await, None);
    // The router's assignment says which rule chose the agent.
    let events = desk
        .test
        .get(
            &format!("/api/v1/tickets/{}/events", chats[3]),
            &desk.test.admin,
        )
        .await
        .1;
    let routed: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "ticket.routed")
        .collect();
    assert_eq!(routed.len(), 1, "{events}");
    assert_eq!(routed[0]["data"]["rule"], "longest_idle");
    assert_eq!(routed[0]["data"]["agent_id"], agent.0);
    let ticket = desk
        .test
        .get(&format!("/api/v1/tickets/{}", chats[4]), &desk.test.admin)
        .await
        .1;
    assert_eq!(ticket["queue_id"], desk.queue, "{ticket}");
    desk.test.stop().await;
}

#[tokio::test]
async fn rules_6_and_7_licences_never_relax_and_a_language_relaxes_at_exactly_its_time() {
    let desk = Desk::new(json!(["email"])).await;
    let licence = desk.skill("Insurance licence", "licence", false).await;
    let finnish = desk.skill("Finnish", "language", true).await;
    let finn = desk.agent().await;
    desk.skills(finn.0, json!([{"skill_id": finnish, "proficiency": 5}]))
        .await;
    desk.status(&finn, "available").await;
    let needs = |relax| {
        json!({"requirements": [
            {"skill_id": licence, "min_proficiency": 1, "relax_after_s": relax},
            {"skill_id": finnish, "min_proficiency": 3, "relax_after_s": 60},
        ]})
    };
    let insured = desk.item("email", needs(json!(60))).await;
    desk.test.advance(Duration::from_secs(3600));
    desk.tick().await;
    assert_eq!(
        desk.assignee(insured).await,
        None,
        "a licence never relaxes"
    );
    let expired = desk.agent().await;
    desk.skills(
        expired.0,
        json!([{"skill_id": licence, "proficiency": 5, "valid_until": "2000-01-01"},
               {"skill_id": finnish, "proficiency": 5}]),
    )
    .await;
    desk.status(&expired, "available").await;
    desk.tick().await;
    assert_eq!(desk.assignee(insured).await, None, "an expired licence");

    // Rule 7: nobody speaks Finnish well enough among the licensed; it relaxes at 60 s.
    let licensed = desk.agent().await;
    desk.skills(
        licensed.0,
        json!([{"skill_id": licence, "proficiency": 2, "valid_until": "2999-12-31"}]),
    )
    .await;
    let relaxing = desk.item("email", needs(Value::Null)).await;
    desk.status(&licensed, "available").await;
    desk.test.advance(Duration::from_secs(59));
    desk.tick().await;
    assert_eq!(desk.assignee(relaxing).await, None, "59 s");
    // The older item is served first once Finnish relaxed for it too.
    assert_eq!(desk.assignee(insured).await, Some(licensed.0));
    desk.test.advance(Duration::from_secs(1));
    desk.tick().await;
    assert_eq!(desk.assignee(relaxing).await, Some(licensed.0), "60 s");
    desk.test.stop().await;
}

#[tokio::test]
async fn rule_8_priority_head_starts() {
    let desk = Desk::new(json!(["desk"])).await;
    let normal = desk.item("desk", json!({"priority": "normal"})).await;
    desk.test.advance(Duration::from_secs(100));
    let urgent = desk.item("desk", json!({"priority": "urgent"})).await;
    let low = desk.item("desk", json!({"priority": "low"})).await;
    let agent = desk.agent().await;
    desk.status(&agent, "available").await;
    desk.tick().await;
    assert_eq!(desk.assignee(urgent).await, Some(agent.0));
    assert_eq!(desk.assignee(normal).await, None);

    // Low moved (its place reset) at 100 s stands at 700 s: a normal one enqueued at 700 s
    // comes after it.
    let team = desk.test.team("Later").await;
    let later_queue = queue(&desk.test, "Later", json!(["desk"]), team).await;
    let moved = desk
        .test
        .patch(
            &format!("/api/v1/tickets/{low}"),
            &desk.test.admin,
            json!({"queue_id": later_queue}),
        )
        .await;
    assert_eq!(moved.0, StatusCode::OK, "{}", moved.1);
    desk.test.advance(Duration::from_secs(600));
    let normal2 = desk.item("desk", json!({"queue_id": later_queue})).await;
    let low2 = low;
    let other = desk.test.user(Role::Agent, &[team]).await;
    desk.status(&other, "available").await;
    desk.tick().await;
    assert_eq!(
        desk.assignee(low2).await,
        Some(other.0),
        "low at 100 s + 600 s"
    );
    assert_eq!(desk.assignee(normal2).await, None);
    desk.test.stop().await;
}
