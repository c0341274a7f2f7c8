//! Rule 3 with smaller numbers: two matchers race on queued items (two nodes on one
//! PostgreSQL; on SQLite two steps at once on one node): every item is assigned at most once
//! and no agent goes over capacity.

use super::Desk;
use serde_json::json;
use std::collections::HashMap;
use tiski_testkit::{TestApp, fast_settings};

const AGENTS: usize = 8;
const ITEMS: usize = 60;

#[tokio::test]
async fn rule_3_two_matchers_never_assign_twice_nor_beyond_capacity() {
    let desk = Desk::new(json!(["email"])).await;
    let on_pg = std::env::var("TISKI_TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty());
    let node2 = if on_pg {
        Some(TestApp::serve(desk.test.location.clone(), fast_settings()).await)
    } else {
        None
    };
    let mut agents = Vec::new();
    for _ in 0..AGENTS {
        agents.push(desk.agent().await);
    }
    let mut tickets = Vec::new();
    for _ in 0..ITEMS {
        tickets.push(desk.item("email", json!({})).await);
    }
    // Everyone becomes available at once while both matchers step as fast as they can.
    let statuses =
        futures_util::future::join_all(agents.iter().map(|a| desk.status(a, "available")));
    let other = node2.as_ref().map_or(&desk.test, |n| n).app.routing.clone();
    let here = desk.test.app.routing.clone();
    let race = async {
        for _ in 0..10 {
            let (one, two) = tokio::join!(here.match_once(), other.match_once());
            one.unwrap();
            two.unwrap();
        }
    };
    tokio::join!(statuses, race);
    desk.tick().await;
    let mut per_agent: HashMap<i64, usize> = HashMap::new();
    for ticket in &tickets {
        let events = desk
            .test
            .get(
                &format!("/api/v1/tickets/{ticket}/events"),
                &desk.test.admin,
            )
            .await
            .1;
        let routed = events["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "ticket.routed")
            .count();
        assert!(routed <= 1, "ticket {ticket} routed {routed} times");
        if let Some(agent) = desk.assignee(*ticket).await {
            *per_agent.entry(agent).or_default() += 1;
        }
    }
    // 60 units, 12 an email: five each, and every agent full since work was left.
    assert_eq!(per_agent.len(), AGENTS, "{per_agent:?}");
    assert!(per_agent.values().all(|n| *n == 5), "{per_agent:?}");
    let board = desk
        .test
        .get("/api/v1/routing/board", &desk.test.admin)
        .await
        .1;
    for agent in board["agents"].as_array().unwrap() {
        assert!(
            agent["load"].as_i64().unwrap() <= agent["capacity"].as_i64().unwrap(),
            "{agent}"
        );
    }
    let queue = &board["queues"][0];
    assert_eq!(queue["waiting"], (ITEMS - 5 * AGENTS) as i64, "{board}");
    assert_eq!(queue["assigned"], (5 * AGENTS) as i64);
    if let Some(node2) = node2 {
        node2.stop().await;
    }
    desk.test.stop().await;
}
