//! The customer-data pages of the workspace: admins see the access log, export it, count
//! what retention would erase, and export or erase a customer from their page (with the id
//! typed again); agents see none of it.

use crate::ui_workspace::{signed_in, staff};
use reqwest::StatusCode;
use serde_json::json;
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn admins_read_the_access_log_and_export_or_erase_from_the_customer_page() {
    let test = TestApp::spawn().await;
    let team = test.team("Team A").await;
    staff(&test, "boss@desk.example", "Boss", Role::Admin, &[team]).await;
    staff(&test, "agent@desk.example", "Agent", Role::Agent, &[team]).await;
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "Lid", "team_id": team, "requester": {"email": "page@example.com", "name": "Paula Page"},
                   "message": {"body": "Broken."}}),
        )
        .await;
    let customer = ticket["requester"]["id"].as_i64().expect("a customer");

    let mut agent = signed_in(&test, "agent@desk.example").await;
    let page = agent.get(&format!("/customers/{customer}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("customer-privacy"),
        "agents see no erase button"
    );
    assert_eq!(
        agent.get("/admin/privacy").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        agent.get("/ui/audit/export?format=csv").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        agent
            .get(&format!("/ui/customers/{customer}/export"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let refused = agent
        .post(
            &format!("/ui/customers/{customer}/erase"),
            &[("confirm", &customer.to_string())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut admin = signed_in(&test, "boss@desk.example").await;
    let page = admin.get(&format!("/customers/{customer}")).await;
    assert!(
        page.body.contains("data-testid=\"customer-erase-form\""),
        "admins see the erase form"
    );
    let export = admin.get(&format!("/ui/customers/{customer}/export")).await;
    assert_eq!(export.status, StatusCode::OK);
    let log = admin
        .get(&format!("/admin/privacy?customer_id={customer}"))
        .await;
    assert_eq!(log.status, StatusCode::OK);
    assert_eq!(
        log.body.matches("data-testid=\"audit-row\"").count(),
        3,
        "the agent's read, the admin's read and export"
    );
    assert!(log.body.contains("customer.export"));
    let bad = admin.get("/admin/privacy?customer_id=abc").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let csv = admin
        .get(&format!(
            "/ui/audit/export?format=csv&customer_id={customer}"
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.body.lines().count(), 4, "{}", csv.body);
    let retention = admin.get("/admin/privacy?months=3").await;
    assert!(
        retention.body.contains("data-testid=\"retention-due\""),
        "the dry run is shown"
    );

    // The erasure needs the id typed again.
    admin.get(&format!("/customers/{customer}")).await;
    let wrong = admin
        .post(
            &format!("/ui/customers/{customer}/erase"),
            &[("confirm", "999999")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, still) = test
        .get(&format!("/api/v1/customers/{customer}"), &test.admin)
        .await;
    assert_eq!(still["name"], "Paula Page");
    admin.get(&format!("/customers/{customer}")).await;
    let done = admin
        .post(
            &format!("/ui/customers/{customer}/erase"),
            &[("confirm", &customer.to_string())],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let (_, erased) = test
        .get(&format!("/api/v1/customers/{customer}"), &test.admin)
        .await;
    assert_eq!(erased["name"], "");
    assert_eq!(erased["emails"], json!([]));
    let ticket_page = admin.get(&format!("/tickets/{}", ticket["id"])).await;
    assert_eq!(
        ticket_page.status,
        StatusCode::OK,
        "the skeleton's page still renders"
    );
}
