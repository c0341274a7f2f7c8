//! Rule 3 at the scale, as a property over seeds: two matchers (two nodes on one
//! PostgreSQL; on SQLite two steps at once on one node) race on 1,000 queued items of email
//! and chat and 50 agents who become available in an order each seed shuffles. Whatever the
//! seed: every item is assigned at most once, no agent goes over capacity, and once the race
//! is over no item waits while an agent has room for it.

use super::Desk;
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use tiski_testkit::{TestApp, fast_settings};

const AGENTS: usize = 50;
const ITEMS: usize = 1000;
const SEEDS: u64 = 3;

/// A small deterministic generator (SplitMix64), so a failing seed can be run again.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, list: &mut [T]) {
        for i in (1..list.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            list.swap(i, j);
        }
    }
}

#[tokio::test]
async fn rule_3_two_matchers_race_on_1000_items_and_50_agents_over_many_seeds() {
    let desk = Desk::new(json!(["email", "chat"])).await;
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
    let mut channels = Seeded(0);
    let kinds: Vec<&str> = (0..ITEMS)
        .map(|_| {
            if channels.next().is_multiple_of(3) {
                "chat"
            } else {
                "email"
            }
        })
        .collect();
    let desk_ref = &desk;
    let tickets: Vec<i64> = futures_util::stream::iter(kinds.iter())
        .map(|kind| desk_ref.item(kind, json!({})))
        .buffered(8)
        .collect()
        .await;
    let cost: HashMap<i64, i64> = tickets
        .iter()
        .zip(&kinds)
        .map(|(t, k)| (*t, if *k == "chat" { 20 } else { 12 }))
        .collect();
    let here = desk.test.app.routing.clone();
    let other = node2.as_ref().map_or(&desk.test, |n| n).app.routing.clone();
    let mut ever_assigned: HashSet<i64> = HashSet::new();
    for seed in 1..=SEEDS {
        let mut order = agents.clone();
        Seeded(seed).shuffle(&mut order);
        let statuses = async {
            for agent in &order {
                desk.status(agent, "available").await;
            }
        };
        let race = async {
            for _ in 0..12 {
                let (one, two) = tokio::join!(here.match_once(), other.match_once());
                one.unwrap();
                two.unwrap();
            }
        };
        tokio::join!(statuses, race);
        // The nodes' own workers may still be stepping: settle until two steps in a row
        // assign nothing.
        let mut quiet = 0;
        for _ in 0..30 {
            if here.match_once().await.unwrap() == 0 {
                quiet += 1;
                if quiet == 2 {
                    break;
                }
            } else {
                quiet = 0;
            }
        }
        let board = desk
            .test
            .get("/api/v1/routing/board", &desk.test.admin)
            .await
            .1;
        let mut held: Vec<i64> = Vec::new();
        let mut spare_room = 0;
        for agent in board["agents"].as_array().unwrap() {
            let (load, capacity) = (
                agent["load"].as_i64().unwrap(),
                agent["capacity"].as_i64().unwrap(),
            );
            assert!(load <= capacity, "seed {seed}: {agent}");
            let tickets: Vec<i64> = agent["ticket_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_i64().unwrap())
                .collect();
            let sum: i64 = tickets.iter().map(|t| cost[t]).sum();
            assert_eq!(sum, load, "seed {seed}: {agent}");
            if agent["status"] == "available" {
                spare_room = spare_room.max(capacity - load);
            }
            held.extend(tickets);
        }
        let unique: HashSet<i64> = held.iter().copied().collect();
        assert_eq!(unique.len(), held.len(), "seed {seed}: an item held twice");
        for ticket in &held {
            assert!(
                ever_assigned.insert(*ticket),
                "seed {seed}: {ticket} assigned again"
            );
        }
        // Nothing waits while someone has room for it: every agent is too full for an email.
        let waiting = board["queues"][0]["waiting"].as_i64().unwrap();
        assert!(
            waiting > 0 && spare_room < 12,
            "seed {seed}: {waiting} waiting, {spare_room} spare"
        );
        // The next seed starts from free agents: this seed's work is solved, everyone offline.
        let solved: Vec<_> = futures_util::stream::iter(held.iter())
            .map(|ticket| async move {
                let path = format!("/api/v1/tickets/{ticket}");
                desk_ref
                    .test
                    .patch(&path, &desk_ref.test.admin, json!({"status": "solved"}))
                    .await
            })
            .buffered(8)
            .collect()
            .await;
        let refused: Vec<_> = solved
            .iter()
            .filter(|(code, _)| !code.is_success())
            .collect();
        assert!(refused.is_empty(), "{:?}", refused.first());
        for agent in &agents {
            desk.status(agent, "offline").await;
        }
    }
    // Every item was routed at most once over all seeds.
    let routed_twice: Vec<(i64, usize)> = futures_util::stream::iter(tickets.iter())
        .map(|ticket| async move {
            let events: Value = desk_ref
                .test
                .get(
                    &format!("/api/v1/tickets/{ticket}/events"),
                    &desk_ref.test.admin,
                )
                .await
                .1;
            let routed = events["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["type"] == "ticket.routed")
                .count();
            (*ticket, routed)
        })
        .buffered(8)
        .filter(|(_, routed)| std::future::ready(*routed > 1))
        .collect()
        .await;
    assert!(routed_twice.is_empty(), "{routed_twice:?}");
    if let Some(node2) = node2 {
        node2.stop().await;
    }
    desk.test.stop().await;
}
