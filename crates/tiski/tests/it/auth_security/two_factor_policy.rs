//! The two-factor policy an admin sets in the workspace (stored, so every node signs in by
//! it): through the API and the admin page, sign-in sending a user of a required role to
//! enrol, a second node seeing the change, the server setting as a floor, and agents refused.

use super::staff;
use super::two_factor::{password_step, with_session};
use reqwest::{Method, StatusCode};
use serde_json::json;
use tiski_domain::Role;
use tiski_kernel::Settings;
use tiski_kernel::settings::RoleList;
use tiski_testkit::{TestApp, fast_settings};

const POLICY: &str = "/api/v1/two-factor/policy";

#[tokio::test]
async fn an_admin_requires_it_of_agents_and_every_node_enrols_them() {
    let test = TestApp::spawn().await;
    let node2 = TestApp::serve(test.location.clone(), fast_settings()).await;
    staff(&test, "plain@example.com", Role::Agent, &[]).await;
    let (_, to) = password_step(&test, "plain@example.com").await;
    assert_eq!(to, "/inbox", "nothing required yet");

    let (status, policy) = test
        .call(
            Method::PUT,
            POLICY,
            &test.admin,
            Some(json!({"required_roles": ["agent", "agent"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{policy}");
    assert_eq!(
        policy,
        json!({"required_roles": ["agent"], "forced_by_settings": []})
    );

    // The change is in the store: the other node reports it and signs agents in by it.
    let (status, seen) = node2.call(Method::GET, POLICY, &test.admin, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["required_roles"], json!(["agent"]));
    let (session, to) = password_step(&node2, "plain@example.com").await;
    assert_eq!(to, "/two-factor", "an agent without two-factor must enrol");
    let (status, location, _) = with_session(&node2, &session, "/inbox", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/two-factor"));
    let (_, to) = password_step(&test, "plain@example.com").await;
    assert_eq!(to, "/two-factor", "on the first node too");

    // The event names the roles and nothing else.
    let (_, events) = test
        .call(Method::GET, "/api/v1/events?limit=200", &test.admin, None)
        .await;
    let changed: Vec<_> = events["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["type"] == "two_factor.policy_changed")
        .collect();
    assert_eq!(changed.len(), 1, "{events}");
    assert_eq!(changed[0]["data"], json!({"required_roles": ["agent"]}));

    // Lifting it lets the agent in by password again.
    let (status, _) = test
        .call(
            Method::PUT,
            POLICY,
            &test.admin,
            Some(json!({"required_roles": []})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, to) = password_step(&node2, "plain@example.com").await;
    assert_eq!(to, "/inbox");
    node2.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn agents_and_supervisors_cannot_read_or_change_the_policy() {
    let test = TestApp::spawn().await;
    for role in [Role::Agent, Role::Supervisor] {
        let (_, token) = test.user(role, &[]).await;
        let (status, body) = test
            .call(
                Method::PUT,
                POLICY,
                &token,
                Some(json!({"required_roles": []})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}: {body}");
        let (status, _) = test.call(Method::GET, POLICY, &token, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}");
    }
    let (status, body) = test
        .call(
            Method::PUT,
            POLICY,
            &test.admin,
            Some(json!({"required_roles": ["owner"]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "required_roles");
    let (_, policy) = test.call(Method::GET, POLICY, &test.admin, None).await;
    assert_eq!(policy["required_roles"], json!([]), "nothing was stored");
    test.stop().await;
}

#[tokio::test]
async fn the_admin_page_saves_the_policy_and_the_setting_stays_a_floor() {
    let test = TestApp::spawn_with(Settings {
        two_factor_roles: RoleList(vec![Role::Supervisor]),
        ..fast_settings()
    })
    .await;
    staff(&test, "boss@example.com", Role::Admin, &[]).await;
    staff(&test, "worker@example.com", Role::Agent, &[]).await;
    let (session, _) = password_step(&test, "boss@example.com").await;
    let (status, _, page) = with_session(&test, &session, "/admin/two-factor", None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let supervisor = page
        .split("data-testid=\"two-factor-role-supervisor\"")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap_or_default();
    assert!(
        supervisor.contains("checked") && supervisor.contains("disabled"),
        "the setting's role is checked and disabled: {supervisor}"
    );
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string();
    let (status, location, _) = with_session(
        &test,
        &session,
        "/admin/two-factor",
        Some(&[("csrf", &csrf), ("required_roles", "agent")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/admin/two-factor"));
    let (_, policy) = test.call(Method::GET, POLICY, &test.admin, None).await;
    assert_eq!(
        policy,
        json!({"required_roles": ["agent"], "forced_by_settings": ["supervisor"]})
    );
    let (_, to) = password_step(&test, "worker@example.com").await;
    assert_eq!(to, "/two-factor");

    // Unchecking everything in the workspace leaves the setting's roles required.
    let (status, _, _) = with_session(
        &test,
        &session,
        "/admin/two-factor",
        Some(&[("csrf", &csrf)]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    staff(&test, "lead2@example.com", Role::Supervisor, &[]).await;
    let (_, to) = password_step(&test, "lead2@example.com").await;
    assert_eq!(to, "/two-factor", "the setting's floor holds");
    let (_, to) = password_step(&test, "worker@example.com").await;
    assert_eq!(to, "/inbox");
    test.stop().await;
}
