//! Rule 9 (overflow: a step after 30 s adds queue B; with "skip when nobody could match" and
//! nobody in A who could, B at once) and rule 10 (the owner is offline and the customer
//! replies: the ticket goes back to its queue and to another agent, and its history says why),
//! on a fake clock.

use super::{Desk, queue};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::assert_problem;

/// Queue A of the desk's team overflowing into a new queue B of another team with one
/// available agent; B's queue id and its agent.
async fn with_overflow(desk: &Desk, step: Value) -> (i64, (i64, String)) {
    let team_b = desk.test.team("Overflow").await;
    let queue_b = queue(&desk.test, "B", json!(["email"]), team_b).await;
    let mut step = step;
    step["add_queue_id"] = json!(queue_b);
    let (code, view) = desk
        .test
        .patch(
            &format!("/api/v1/queues/{}", desk.queue),
            &desk.test.admin,
            json!({ "overflow": [step] }),
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{view}");
    let helper = desk.test.user(Role::Agent, &[team_b]).await;
    desk.status(&helper, "available").await;
    (queue_b, helper)
}

#[tokio::test]
async fn rule_9_a_step_after_30_s_adds_queue_b() {
    let desk = Desk::new(json!(["email"])).await;
    // A's only member is signed in but full.
    let member = desk.agent().await;
    desk.status(&member, "available").await;
    for _ in 0..5 {
        desk.item("email", json!({})).await;
    }
    desk.tick().await;
    let (queue_b, helper) = with_overflow(&desk, json!({"after_s": 30})).await;
    let item = desk.item("email", json!({})).await;
    desk.test.advance(Duration::from_secs(29));
    desk.tick().await;
    assert_eq!(desk.assignee(item).await, None, "29 s");
    desk.test.advance(Duration::from_secs(1));
    desk.tick().await;
    assert_eq!(desk.assignee(item).await, Some(helper.0), "30 s");
    let routed: Vec<Value> = desk
        .history(item)
        .await
        .into_iter()
        .filter(|e| e["type"] == "ticket.routed")
        .collect();
    assert_eq!(routed[0]["data"]["via_queue_id"], queue_b, "{routed:?}");
    assert_eq!(routed[0]["data"]["queue_id"], desk.queue);
    desk.test.stop().await;
}

#[tokio::test]
async fn rule_9_with_nobody_in_a_who_could_match_b_is_added_at_once() {
    let desk = Desk::new(json!(["email"])).await;
    // A's only member is offline: nobody in A could ever take the item.
    desk.agent().await;
    let (_, helper) =
        with_overflow(&desk, json!({"after_s": 30, "skip_when_unmatchable": true})).await;
    let item = desk.item("email", json!({})).await;
    desk.tick().await;
    assert_eq!(desk.assignee(item).await, Some(helper.0), "at once");
    // The steps are checked: a licence is never dropped, a queue never overflows into itself.
    let licence = desk.skill("Insurance", "licence", false).await;
    let path = format!("/api/v1/queues/{}", desk.queue);
    for (step, field) in [
        (
            json!({"after_s": 10, "drop_skill_id": licence}),
            "overflow/0/drop_skill_id",
        ),
        (
            json!({"after_s": 10, "drop_skill_id": 999999}),
            "overflow/0/drop_skill_id",
        ),
        (
            json!({"after_s": 10, "add_queue_id": 999999}),
            "overflow/0/add_queue_id",
        ),
        (
            json!({"after_s": 10, "add_queue_id": desk.queue}),
            "overflow/0/add_queue_id",
        ),
        (json!({"after_s": 10}), "overflow/0/add_queue_id"),
        (
            json!({"after_s": -1, "add_queue_id": 1}),
            "overflow/0/after_s",
        ),
        (
            json!({"after_s": "soon", "add_queue_id": 1}),
            "overflow/0.after_s",
        ),
    ] {
        let answer = desk
            .test
            .patch(
                &path,
                &desk.test.admin,
                json!({ "overflow": [step.clone()] }),
            )
            .await;
        eprintln!("{step}");
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    desk.test.stop().await;
}

/// The customer writes on the ticket.
async fn customer_replies(desk: &Desk, ticket: i64) {
    let (code, body) = desk
        .test
        .post(
            &format!("/api/v1/tickets/{ticket}/messages"),
            &desk.test.admin,
            json!({"body": "Any news?", "author": "customer"}),
        )
        .await;
    assert_eq!(code, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn rule_10_the_owner_is_offline_and_the_customer_replies_so_another_agent_gets_it() {
    let desk = Desk::new(json!(["email"])).await;
    let owner = desk.agent().await;
    let other = desk.agent().await;
    desk.status(&owner, "available").await;
    let ticket = desk.item("email", json!({})).await;
    desk.tick().await;
    assert_eq!(desk.assignee(ticket).await, Some(owner.0));
    // While the owner is online (even away), the reply stays with them.
    desk.status(&owner, "away").await;
    customer_replies(&desk, ticket).await;
    assert_eq!(desk.assignee(ticket).await, Some(owner.0));
    desk.status(&owner, "offline").await;
    desk.status(&other, "available").await;
    desk.test.advance(Duration::from_secs(60));
    customer_replies(&desk, ticket).await;
    // Back in its queue (the history below says so), and the router gives it to the other.
    desk.tick().await;
    assert_eq!(desk.assignee(ticket).await, Some(other.0));
    let history = desk.history(ticket).await;
    let requeued: Vec<&Value> = history
        .iter()
        .filter(|e| e["type"] == "ticket.requeued")
        .collect();
    assert_eq!(requeued.len(), 1, "{history:?}");
    assert_eq!(requeued[0]["data"]["reason"], "owner_offline");
    assert_eq!(requeued[0]["data"]["agent_id"], owner.0);
    // It kept its place: it waited 60 s since its original eligible time when routed again.
    let routed: Vec<&Value> = history
        .iter()
        .filter(|e| e["type"] == "ticket.routed")
        .collect();
    assert_eq!(routed.len(), 2);
    assert_eq!(routed[1]["data"]["waited_s"], 60);

    // A queue that keeps an offline owner's work.
    let (code, _) = desk
        .test
        .patch(
            &format!("/api/v1/queues/{}", desk.queue),
            &desk.test.admin,
            json!({"requeue_when_owner_offline": false}),
        )
        .await;
    assert_eq!(code, StatusCode::OK);
    desk.status(&other, "offline").await;
    customer_replies(&desk, ticket).await;
    assert_eq!(desk.assignee(ticket).await, Some(other.0), "kept");
    desk.test.stop().await;
}
