//! Moving a ticket into a team: agents only into teams they are members of; supervisors and
//! admins into any team (the `ticket.move_to_any_team` permission). A refused move changes
//! nothing, and a ticket out of reach stays 404.

use super::{Caller, Step, World, run_steps};
use reqwest::Method;

#[tokio::test]
async fn agents_move_tickets_only_into_their_own_teams() {
    let world = World::build().await;
    let into_b = Some(r#"{"team_id": {team_b}}"#);
    let into_a = Some(r#"{"team_id": {team_a}}"#);
    #[rustfmt::skip]
    let steps: &[Step] = &[
        // A team-A ticket into team B: by role, not by membership.
        (Caller::AgentA, Method::PATCH, "/tickets/{ticket_a}", into_b, 403),
        (Caller::AgentB, Method::PATCH, "/tickets/{ticket_a}", into_b, 404),
        (Caller::Loner, Method::PATCH, "/tickets/{ticket_a}", into_b, 404),
        (Caller::AgentB, Method::GET, "/tickets/{ticket_a}", None, 404),
        (Caller::SupervisorA, Method::PATCH, "/tickets/{ticket_a}", into_b, 200),
        (Caller::AgentB, Method::GET, "/tickets/{ticket_a}", None, 200),
        // Agent B may move it back into team B (theirs) but not into team A.
        (Caller::AgentB, Method::PATCH, "/tickets/{ticket_a}", into_a, 403),
        (Caller::AgentB, Method::PATCH, "/tickets/{ticket_a}", into_b, 200),
        (Caller::Admin, Method::PATCH, "/tickets/{ticket_a}", into_a, 200),
        (Caller::AgentA, Method::GET, "/tickets/{ticket_a}", None, 200),
        // A ticket assigned to an agent in no team: they may not put it into any team.
        (Caller::Loner, Method::PATCH, "/tickets/{ticket_loner}", into_a, 403),
        (Caller::Loner, Method::GET, "/tickets/{ticket_loner}", None, 200),
        // Agent B moves team B's ticket to no team, and back into their own team.
        (Caller::AgentB, Method::PATCH, "/tickets/{ticket_b}", Some(r#"{"team_id": null}"#), 200),
        (Caller::Admin, Method::PATCH, "/tickets/{ticket_b}", into_b, 200),
    ];
    let faults = run_steps(&world, steps).await;
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    let moved = world
        .get(Caller::Admin, &world.fill("/tickets/{ticket_loner}"))
        .await;
    assert_eq!(
        moved.body["team_id"],
        serde_json::Value::Null,
        "{}",
        moved.body
    );
}
