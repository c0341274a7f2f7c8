//! Card numbers written in the workspace (replies and notes) are stored and shown masked, as
//! over the API.

use super::{signed_in, staff};
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn a_card_number_written_in_the_workspace_is_stored_masked() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    let team = test.team("Cards").await;
    staff(&test, "typist@example.com", "Ty", Role::Agent, &[team]).await;
    let ticket = super::ticket_in(&test, team, "Card", "Cee", "hello").await;
    let mut agent = signed_in(&test, "typist@example.com").await;
    agent.get(&format!("/tickets/{ticket}")).await;
    for (kind, body) in [
        ("reply", "Refunded to 4111 1111 1111 1111."),
        ("note", "Customer's Amex: 3782-822463-10005"),
    ] {
        let answer = agent
            .htmx_post(
                &format!("/ui/tickets/{ticket}/messages"),
                &[("body", body), ("kind", kind)],
            )
            .await;
        assert!(
            answer.status.is_success(),
            "{} {}",
            answer.status,
            answer.body
        );
        assert!(
            !tiski_domain::card::contains_pan(answer.body.as_bytes()),
            "{}",
            answer.body
        );
    }
    let page = agent.get(&format!("/tickets/{ticket}")).await;
    assert!(page.body.contains("**** **** **** 1111"), "{}", page.body);
    assert!(page.body.contains("****-******-*0005"), "{}", page.body);
    crate::card_numbers::assert_no_pan_stored(&test, &["4111 1111 1111 1111", "378282246310005"])
        .await;
    test.stop().await;
}
