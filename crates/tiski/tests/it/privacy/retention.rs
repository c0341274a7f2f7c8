//! Retention of closed tickets, on the app's clock: the dry run counts what the worker's step
//! then erases, exactly; tickets closed more recently, and open ones, stay whole.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use tiski_domain::Role;
use tiski_kernel::Settings;
use tiski_testkit::{TestApp, fast_settings};

const DAY: Duration = Duration::from_secs(24 * 3600);

async fn ticket(test: &TestApp, team: i64, subject: &str) -> i64 {
    test.ticket(
        &test.admin,
        json!({"subject": subject, "team_id": team, "requester": {"email": format!("{subject}@example.com")},
               "message": {"body": format!("{subject} body")}}),
    )
    .await["id"]
        .as_i64()
        .expect("a ticket")
}

async fn close(test: &TestApp, id: i64) {
    for status in ["solved", "closed"] {
        let (code, body) = test
            .patch(
                &format!("/api/v1/tickets/{id}"),
                &test.admin,
                json!({"status": status}),
            )
            .await;
        assert_eq!(code, StatusCode::OK, "{body}");
    }
}

async fn messages(test: &TestApp, id: i64) -> usize {
    test.get(&format!("/api/v1/tickets/{id}/messages"), &test.admin)
        .await
        .1["items"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn the_dry_run_counts_what_retention_then_erases() {
    // The worker's own schedule is far off; the test runs its step itself.
    let settings = Settings {
        retention_closed_months: 6,
        retention_interval: Duration::from_secs(3600),
        ..fast_settings()
    };
    let test = TestApp::spawn_with(settings).await;
    let team = test.team("Team A").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let old_a = ticket(&test, team, "olda").await;
    let old_b = ticket(&test, team, "oldb").await;
    let open = ticket(&test, team, "open").await;
    close(&test, old_a).await;
    close(&test, old_b).await;
    test.advance(DAY * 95);
    let recent = ticket(&test, team, "recent").await;
    close(&test, recent).await;
    test.advance(DAY * 95);

    let preview = |query: &'static str| {
        let test = &test;
        async move {
            test.get(&format!("/api/v1/retention{query}"), &test.admin)
                .await
        }
    };
    let (status, dry) = preview("").await;
    assert_eq!(status, StatusCode::OK, "{dry}");
    assert_eq!(dry["months"], 6);
    assert_eq!(dry["enabled"], true);
    assert_eq!(dry["due"], 2, "{dry}");
    let (_, three) = preview("?months=3").await;
    assert_eq!(
        three["due"], 3,
        "a shorter policy reaches the recent one too: {three}"
    );
    assert_eq!(
        test.get("/api/v1/retention", &agent).await.0,
        StatusCode::FORBIDDEN
    );
    for (query, status, field) in [
        ("?months=0", StatusCode::UNPROCESSABLE_ENTITY, "months"),
        ("?months=1201", StatusCode::UNPROCESSABLE_ENTITY, "months"),
        ("?months=-1", StatusCode::BAD_REQUEST, "months"),
        ("?months=six", StatusCode::BAD_REQUEST, "months"),
        ("?days=3", StatusCode::BAD_REQUEST, "days"),
    ] {
        let answer = preview(query).await;
        tiski_testkit::assert_problem(&answer, status, Some(field));
    }

    let erased = test
        .app
        .ticketing
        .apply_retention(100)
        .await
        .expect("a retention step");
    assert_eq!(
        erased as i64,
        dry["due"].as_i64().unwrap_or(-1),
        "the run erases what the dry run counted"
    );
    assert_eq!(preview("").await.1["due"], 0);
    assert_eq!(
        test.app
            .ticketing
            .apply_retention(100)
            .await
            .expect("again"),
        0
    );

    for id in [old_a, old_b] {
        let (_, skeleton) = test
            .get(&format!("/api/v1/tickets/{id}"), &test.admin)
            .await;
        assert_eq!(skeleton["status"], "closed");
        assert_eq!(skeleton["team_id"], team);
        assert_eq!(skeleton["subject"], "");
        assert_eq!(messages(&test, id).await, 0);
    }
    for id in [open, recent] {
        assert_eq!(
            messages(&test, id).await,
            1,
            "ticket {id} keeps its conversation"
        );
    }
    let (_, events) = test.get("/api/v1/events?limit=200", &test.admin).await;
    let erasures: Vec<&Value> = events["items"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"] == "ticket.conversation_erased")
        .collect();
    assert_eq!(erasures.len(), 2);
    assert!(
        erasures.iter().all(|e| e["data"]["reason"] == "retention"),
        "{erasures:?}"
    );
}
