//! Changes of teams and roles take effect at once, and refused requests change nothing.

use super::{Caller, NEW_NOTE, NEW_TEAM, Step, TICKET_CHANGE, World, run_steps};
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeMap;

#[tokio::test]
async fn a_ticket_moved_out_of_a_team_leaves_its_agents_view() {
    let world = World::build().await;
    let ticket = world.id("ticket_a");
    #[rustfmt::skip]
    let steps: &[Step] = &[
        (Caller::AgentA, Method::GET, "/tickets/{ticket_a}", None, 200),
        (Caller::AgentB, Method::GET, "/tickets/{ticket_a}", None, 404),
        // Agent A may not push their team's ticket into team B, which they are not in...
        (Caller::AgentA, Method::PATCH, "/tickets/{ticket_a}", Some(r#"{"team_id": {team_b}}"#), 403),
        (Caller::AgentB, Method::GET, "/tickets/{ticket_a}", None, 404),
        // ...but their supervisor may hand it over...
        (Caller::SupervisorA, Method::PATCH, "/tickets/{ticket_a}", Some(r#"{"team_id": {team_b}}"#), 200),
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
