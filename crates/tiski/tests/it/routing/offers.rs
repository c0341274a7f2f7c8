//! Rule 4 on a fake clock: an unanswered call (20 s) or a declined one marks the agent not
//! responding and goes to the next agent with its original place; the agent gets nothing
//! more until their status is set again. Email auto-accepts. Bad input on the offer routes.

use super::Desk;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tiski_testkit::assert_problem;

impl Desk {
    /// The caller's open offers.
    pub async fn offers(&self, agent: &(i64, String)) -> Vec<Value> {
        let (code, body) = self.test.get("/api/v1/routing/offers", &agent.1).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        body.as_array().unwrap().clone()
    }

    /// Answers an offer; the status.
    pub async fn answer(&self, agent: &(i64, String), item: i64, how: &str) -> StatusCode {
        let path = format!("/api/v1/routing/offers/{item}/{how}");
        self.test.call(Method::POST, &path, &agent.1, None).await.0
    }

    /// The types of a ticket's events, in order.
    pub async fn history(&self, ticket: i64) -> Vec<Value> {
        let events = self
            .test
            .get(
                &format!("/api/v1/tickets/{ticket}/events"),
                &self.test.admin,
            )
            .await
            .1;
        events["items"].as_array().unwrap().clone()
    }

    /// An agent's presence answer.
    pub async fn presence(&self, agent: &(i64, String)) -> Value {
        let path = format!("/api/v1/agents/{}/presence", agent.0);
        self.test.get(&path, &agent.1).await.1
    }
}

fn channel_state(presence: &Value, channel: &str) -> String {
    presence["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == channel)
        .map(|c| c["state"].as_str().unwrap().to_string())
        .unwrap()
}

#[tokio::test]
async fn rule_4_an_unanswered_offer_marks_the_agent_not_responding_and_goes_on_with_its_place() {
    let desk = Desk::new(json!(["phone", "email"])).await;
    let first = desk.agent().await;
    let second = desk.agent().await;
    desk.status(&first, "available").await;
    let call = desk.item("phone", json!({})).await;
    desk.tick().await;
    let offers = desk.offers(&first).await;
    assert_eq!(offers.len(), 1, "{offers:?}");
    assert_eq!(offers[0]["ticket_id"], call);
    let item = offers[0]["id"].as_i64().unwrap();
    assert_eq!(desk.assignee(call).await, None, "offered, not assigned");
    assert_eq!(
        channel_state(&desk.presence(&first).await, "phone"),
        "offered"
    );
    // A newer call waits meanwhile: the offer holds the agent's capacity.
    desk.test.advance(Duration::from_secs(5));
    let newer = desk.item("phone", json!({})).await;
    desk.test.advance(Duration::from_secs(14));
    desk.tick().await;
    assert_eq!(desk.offers(&first).await.len(), 1, "19 s: still offered");
    // At 20 s the offer lapses; the next agent gets the older call, not the newer.
    desk.test.advance(Duration::from_secs(1));
    desk.status(&second, "available").await;
    desk.tick().await;
    assert!(desk.offers(&first).await.is_empty());
    let offered = desk.offers(&second).await;
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert_eq!(offered[0]["ticket_id"], call, "the original place");
    let presence = desk.presence(&first).await;
    assert!(presence["not_responding_since"].is_string(), "{presence}");
    assert_eq!(channel_state(&presence, "phone"), "not_responding");
    assert_eq!(channel_state(&presence, "email"), "not_responding");
    let lapsed: Vec<Value> = desk
        .history(call)
        .await
        .into_iter()
        .filter(|e| e["type"] == "ticket.offer_lapsed")
        .collect();
    assert_eq!(lapsed.len(), 1);
    assert_eq!(lapsed[0]["data"]["reason"], "timed_out");
    assert_eq!(lapsed[0]["data"]["agent_id"], first.0);
    // The lapsed offer cannot be accepted any more; the second agent accepts theirs.
    assert_eq!(
        desk.answer(&first, item, "accept").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(desk.answer(&second, item, "accept").await, StatusCode::OK);
    assert_eq!(desk.assignee(call).await, Some(second.0));
    assert_eq!(
        channel_state(&desk.presence(&second).await, "phone"),
        "engaged"
    );
    // The first agent gets nothing more, not even email, until their status is set again.
    let mail = desk.item("email", json!({})).await;
    desk.tick().await;
    assert_eq!(desk.assignee(mail).await, None);
    assert!(desk.offers(&first).await.is_empty());
    desk.status(&first, "available").await;
    assert!(desk.presence(&first).await["not_responding_since"].is_null());
    desk.tick().await;
    // Back, they are offered the oldest waiting work: the newer call.
    assert_eq!(desk.offers(&first).await[0]["ticket_id"], newer);
    // Email auto-accepts: assigned at once, never offered.
    let third = desk.agent().await;
    desk.status(&third, "available").await;
    desk.tick().await;
    assert_eq!(desk.assignee(mail).await, Some(third.0));
    assert!(
        !desk
            .history(mail)
            .await
            .iter()
            .any(|e| e["type"] == "ticket.offered")
    );
    desk.test.stop().await;
}

#[tokio::test]
async fn rule_4_a_declined_offer_goes_to_the_next_agent_and_the_decliner_gets_nothing_more() {
    let desk = Desk::new(json!(["phone"])).await;
    let first = desk.agent().await;
    let second = desk.agent().await;
    desk.status(&first, "available").await;
    let call = desk.item("phone", json!({})).await;
    desk.tick().await;
    let item = desk.offers(&first).await[0]["id"].as_i64().unwrap();
    // Nobody else answers someone's offer.
    assert_eq!(
        desk.answer(&second, item, "accept").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        desk.answer(&second, item, "decline").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(desk.answer(&first, item, "decline").await, StatusCode::OK);
    assert_eq!(
        desk.answer(&first, item, "decline").await,
        StatusCode::NOT_FOUND
    );
    desk.tick().await;
    assert!(desk.offers(&first).await.is_empty(), "not offered again");
    desk.status(&second, "available").await;
    desk.tick().await;
    assert_eq!(desk.offers(&second).await[0]["ticket_id"], call);
    let types: Vec<String> = desk
        .history(call)
        .await
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect();
    let offered = types.iter().filter(|t| *t == "ticket.offered").count();
    assert_eq!(offered, 2, "{types:?}");
    assert!(types.contains(&"ticket.offer_lapsed".to_string()));
    // A supervisor clears the first agent by setting their status; going offline lapses
    // the second's offer without marking them.
    let (code, _) = desk
        .test
        .call(
            Method::PUT,
            &format!("/api/v1/agents/{}/presence", second.0),
            &second.1,
            Some(json!({"status": "offline"})),
        )
        .await;
    assert_eq!(code, StatusCode::OK);
    assert!(desk.presence(&second).await["not_responding_since"].is_null());
    let (code, _) = desk
        .test
        .call(
            Method::PUT,
            &format!("/api/v1/agents/{}/presence", first.0),
            &desk.test.admin,
            Some(json!({"status": "available"})),
        )
        .await;
    assert_eq!(code, StatusCode::OK);
    desk.tick().await;
    assert_eq!(desk.offers(&first).await[0]["ticket_id"], call);
    desk.test.stop().await;
}

#[tokio::test]
async fn offers_and_offer_timeouts_refuse_bad_input() {
    let desk = Desk::new(json!(["phone"])).await;
    let agent = desk.agent().await;
    let admin = desk.test.admin.clone();
    for path in [
        "/api/v1/routing/offers/abc/accept",
        "/api/v1/routing/offers/0/decline",
    ] {
        let answer = desk.test.call(Method::POST, path, &agent.1, None).await;
        assert_problem(&answer, StatusCode::BAD_REQUEST, Some("id"));
    }
    let answer = desk
        .test
        .call(
            Method::POST,
            "/api/v1/routing/offers/99999/accept",
            &agent.1,
            None,
        )
        .await;
    assert_problem(&answer, StatusCode::NOT_FOUND, None);
    let queue = format!("/api/v1/queues/{}", desk.queue);
    for (body, field) in [
        (
            json!({"offer_timeouts": [{"channel": "phone", "seconds": 601}]}),
            "offer_timeouts/0/seconds",
        ),
        (
            json!({"offer_timeouts": [{"channel": "phone", "seconds": -1}]}),
            "offer_timeouts/0/seconds",
        ),
        (
            json!({"offer_timeouts": [{"channel": "chat", "seconds": 5}]}),
            "offer_timeouts/0/channel",
        ),
        (
            json!({"offer_timeouts": [{"channel": "phone", "seconds": 5}, {"channel": "phone", "seconds": 6}]}),
            "offer_timeouts/1/channel",
        ),
        (
            json!({"offer_timeouts": [{"channel": "pigeon", "seconds": 5}]}),
            "offer_timeouts/0.channel",
        ),
        (
            json!({"requeue_when_owner_offline": "yes"}),
            "requeue_when_owner_offline",
        ),
    ] {
        let answer = desk.test.patch(&queue, &admin, body.clone()).await;
        eprintln!("{body}");
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    // Timeouts set per queue; the view shows the one in force per channel.
    let (code, view) = desk
        .test
        .patch(
            &queue,
            &admin,
            json!({"offer_timeouts": [{"channel": "phone", "seconds": 45}]}),
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{view}");
    assert_eq!(
        view["offer_timeouts"],
        json!([{"channel": "phone", "seconds": 45}])
    );
    desk.test.stop().await;
}
