//! The presence switcher in the workspace's top bar.

use crate::ui_workspace::{signed_in, staff};
use reqwest::StatusCode;
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn the_top_bar_switches_the_agents_own_presence() {
    let test = TestApp::spawn().await;
    let team = test.team("Desk").await;
    let id = staff(&test, "pia@example.com", "Pia Agent", Role::Agent, &[team]).await;
    let mut browser = signed_in(&test, "pia@example.com").await;
    let inbox = browser.get("/inbox").await;
    assert!(inbox.body.contains("hx-get=\"/ui/presence\""));
    let switch = browser.get("/ui/presence").await;
    assert_eq!(switch.status, StatusCode::OK);
    assert!(
        switch.body.contains("value=\"offline\" selected"),
        "{}",
        switch.body
    );
    assert!(switch.body.contains(">Available</option>"));
    let changed = browser
        .htmx("/ui/presence", &[("status", "available")])
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(changed.body.contains("value=\"available\" selected"));
    let presence = test
        .get(&format!("/api/v1/agents/{id}/presence"), &test.admin)
        .await
        .1;
    assert_eq!(presence["status"], "available");
    // An unknown status is refused (shown as an error, never a 500) and changes nothing.
    let refused = browser.htmx("/ui/presence", &[("status", "asleep")]).await;
    assert!(!refused.status.is_server_error(), "{}", refused.status);
    assert!(
        !refused.body.contains("value=\"asleep\""),
        "{}",
        refused.body
    );
    let presence = test
        .get(&format!("/api/v1/agents/{id}/presence"), &test.admin)
        .await
        .1;
    assert_eq!(presence["status"], "available");
    test.stop().await;
}

#[tokio::test]
async fn supervisors_see_their_teams_on_the_board_and_agents_do_not() {
    let test = TestApp::spawn().await;
    let team = test.team("Desk").await;
    let agent = staff(&test, "ari@example.com", "Ari Agent", Role::Agent, &[team]).await;
    staff(
        &test,
        "sue@example.com",
        "Sue Lead",
        Role::Supervisor,
        &[team],
    )
    .await;
    let mut lead = signed_in(&test, "sue@example.com").await;
    let page = lead.get("/board").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains(&format!("data-testid=\"board-agent-{agent}\""))
    );
    assert!(page.body.contains("Ari Agent"));
    assert!(page.body.contains("data-testid=\"nav-board\""));
    let tables = lead.get("/ui/board").await;
    assert_eq!(tables.status, StatusCode::OK);
    let mut ari = signed_in(&test, "ari@example.com").await;
    let inbox = ari.get("/inbox").await;
    assert!(!inbox.body.contains("data-testid=\"nav-board\""));
    assert_eq!(ari.get("/board").await.status, StatusCode::FORBIDDEN);
    test.stop().await;
}
