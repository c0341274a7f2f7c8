//! What each caller sees: the lists, the event log and the live stream, also across team
//! changes.

use super::{Caller, NEW_NOTE, STAFF, Step, World, ids_of, run_steps};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

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
