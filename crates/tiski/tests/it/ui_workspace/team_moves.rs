//! Moving a ticket into a team through the workspace: an agent only into their own teams,
//! a supervisor into any (the same command and permission as the API).

use super::{signed_in, staff};
use reqwest::StatusCode;
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn an_agent_cannot_move_a_ticket_into_another_team_from_the_workspace() {
    let test = TestApp::spawn().await;
    let team_a = test.team("Workspace A").await;
    let team_b = test.team("Workspace B").await;
    staff(&test, "mover@example.com", "Mo", Role::Agent, &[team_a]).await;
    staff(&test, "boss@example.com", "Bo", Role::Supervisor, &[team_a]).await;
    let ticket = super::ticket_in(&test, team_a, "Move me", "Cee", "hello").await;
    let mut agent = signed_in(&test, "mover@example.com").await;
    agent.get(&format!("/tickets/{ticket}")).await;
    // The panel offers the agent only the teams they may move the ticket into.
    let panel = agent.get(&format!("/ui/tickets/{ticket}/properties")).await;
    assert!(
        panel.body.contains(">Workspace A</option>"),
        "{}",
        panel.body
    );
    assert!(
        !panel.body.contains(">Workspace B</option>"),
        "{}",
        panel.body
    );
    let team = team_b.to_string();
    let refused = agent
        .htmx_post(
            &format!("/ui/tickets/{ticket}/update"),
            &[("team_id", &team)],
        )
        .await;
    assert!(
        refused.body.contains("flash-error"),
        "the move is refused: {} {}",
        refused.status,
        refused.body
    );
    let (_, shown) = test
        .get(&format!("/api/v1/tickets/{ticket}"), &test.admin)
        .await;
    assert_eq!(shown["team_id"], team_a);

    let mut supervisor = signed_in(&test, "boss@example.com").await;
    supervisor.get(&format!("/tickets/{ticket}")).await;
    let panel = supervisor
        .get(&format!("/ui/tickets/{ticket}/properties"))
        .await;
    assert!(
        panel.body.contains(">Workspace B</option>"),
        "{}",
        panel.body
    );
    let moved = supervisor
        .htmx_post(
            &format!("/ui/tickets/{ticket}/update"),
            &[("team_id", &team)],
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let (_, shown) = test
        .get(&format!("/api/v1/tickets/{ticket}"), &test.admin)
        .await;
    assert_eq!(shown["team_id"], team_b);
    test.stop().await;
}
