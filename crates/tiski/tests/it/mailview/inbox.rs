//! The inbox: every sort a column header asks for pages correctly by keyset over many rows
//! (no row lost or repeated, each page in order), through the API and the workspace; the
//! requester and "waiting since" columns; the priority mark.

use crate::ui_workspace::{signed_in, staff};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::TestApp;

fn key(ticket: &Value, sort: &str) -> i64 {
    let micros = |field: &str| {
        ticket[field]
            .as_str()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_microsecond())
            .unwrap_or_default()
    };
    match sort.trim_start_matches('-') {
        "updated_at" => micros("updated_at"),
        "created_at" => micros("created_at"),
        "priority" => ["low", "normal", "high", "urgent"]
            .iter()
            .position(|p| ticket["priority"] == *p)
            .unwrap() as i64,
        _ => ticket["id"].as_i64().unwrap(),
    }
}

#[tokio::test]
async fn every_header_sort_pages_by_keyset_without_losing_a_row() {
    let test = TestApp::spawn().await;
    staff(&test, "sort-admin@example.com", "Ada", Role::Admin, &[]).await;
    let priorities = ["low", "normal", "high", "urgent"];
    let mut made = Vec::new();
    for i in 0..45 {
        let ticket = test
            .ticket(&test.admin, json!({"subject": format!("Sort {i}"), "priority": priorities[i % 4],
                "requester": {"email": format!("sort{i}@example.com"), "name": format!("Customer {i}")}, "message": {"body": "x"}}))
            .await;
        made.push(ticket["id"].as_i64().unwrap());
        if i % 3 == 0 {
            test.advance(Duration::from_secs(60));
        }
    }
    // Touch some in another order, so that updated_at differs from created_at.
    for id in made.iter().rev().step_by(4) {
        test.advance(Duration::from_secs(7));
        let (status, _) = test
            .patch(
                &format!("/api/v1/tickets/{id}"),
                &test.admin,
                json!({"add_tags": ["touched"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    for sort in [
        "updated_at",
        "-updated_at",
        "priority",
        "-priority",
        "id",
        "-id",
        "created_at",
        "-created_at",
    ] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/tickets?sort={sort}&limit=7");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let (status, page) = test.get(&path, &test.admin).await;
            assert_eq!(status, StatusCode::OK, "{sort}: {page}");
            seen.extend(page["items"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
        let ids: Vec<i64> = seen.iter().map(|t| t["id"].as_i64().unwrap()).collect();
        assert_eq!(ids.len(), made.len(), "{sort}: {ids:?}");
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            made.len(),
            "{sort}: a row repeated"
        );
        let descending = sort.starts_with('-');
        for pair in seen.windows(2) {
            let (a, b) = (
                (key(&pair[0], sort), pair[0]["id"].as_i64().unwrap()),
                (key(&pair[1], sort), pair[1]["id"].as_i64().unwrap()),
            );
            if descending {
                assert!(a > b, "{sort}: {a:?} before {b:?}");
            } else {
                assert!(a < b, "{sort}: {a:?} before {b:?}");
            }
        }
    }

    // The workspace: a header's sort answers rows in that order, with the requester and a
    // priority mark on urgent and high tickets.
    let mut browser = signed_in(&test, "sort-admin@example.com").await;
    let rows = browser.get("/ui/inbox/list?view=all&sort=priority").await;
    assert_eq!(rows.status, StatusCode::OK);
    let low = made[0];
    let urgent = made[3];
    let at = |id: i64| {
        rows.body
            .find(&format!("data-testid=\"ticket-row-{id}\""))
            .unwrap_or(usize::MAX)
    };
    assert!(at(low) < at(urgent), "ascending priority puts low first");
    assert!(
        rows.body
            .contains(&format!("data-testid=\"priority-mark-{urgent}\""))
    );
    assert!(
        !rows
            .body
            .contains(&format!("data-testid=\"priority-mark-{low}\""))
    );
    assert!(
        rows.body
            .contains(&format!("data-testid=\"requester-{urgent}\">Customer 3<")),
        "{}",
        rows.body
    );
    let rows = browser.get("/ui/inbox/list?view=all&sort=-id").await;
    let first = rows.body.find("data-testid=\"ticket-row-").unwrap();
    assert!(rows.body[first..].starts_with(&format!("data-testid=\"ticket-row-{}\"", made[44])));
    let page = browser.get("/inbox?view=all").await;
    for header in ["sort-priority", "sort-id", "sort-updated"] {
        assert!(
            page.body.contains(&format!("data-testid=\"{header}\"")),
            "{header}"
        );
    }
    assert!(page.body.contains("data-testid=\"bulk-selected\""));
    test.stop().await;
}

#[tokio::test]
async fn waiting_since_is_the_first_unanswered_customer_message() {
    let test = TestApp::spawn().await;
    // Public replies need a mailbox that can reach the customer.
    test.default_mailbox().await;
    staff(&test, "wait-admin@example.com", "Ada", Role::Admin, &[]).await;
    let ticket = test
        .ticket(&test.admin, json!({"subject": "Waiting", "requester": {"email": "w@example.com", "name": "Waiting Customer"}, "message": {"body": "help"}}))
        .await;
    let id = ticket["id"].as_i64().unwrap();
    let asked = ticket["created_at"].as_str().unwrap().to_string();
    let admin = test
        .app
        .staff
        .authenticate_password("wait-admin@example.com", crate::ui_workspace::PASSWORD)
        .await
        .unwrap();
    let waiting = test
        .app
        .ticketing
        .waiting_since(&admin, vec![id])
        .await
        .unwrap();
    assert_eq!(waiting.get(&id), Some(&asked));
    // A note does not answer; a public reply does; the customer's next message waits anew.
    test.advance(Duration::from_secs(600));
    let messages_path = format!("/api/v1/tickets/{id}/messages");
    let post = |body: Value| test.post(&messages_path, &test.admin, body);
    assert_eq!(
        post(json!({"body": "checking", "kind": "note"})).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        test.app
            .ticketing
            .waiting_since(&admin, vec![id])
            .await
            .unwrap()
            .get(&id),
        Some(&asked)
    );
    assert_eq!(post(json!({"body": "on it"})).await.0, StatusCode::CREATED);
    assert!(
        test.app
            .ticketing
            .waiting_since(&admin, vec![id])
            .await
            .unwrap()
            .is_empty()
    );
    test.advance(Duration::from_secs(600));
    let (status, again) = post(json!({"body": "still broken", "author": "customer"})).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    let (_, now) = test
        .get(&format!("/api/v1/tickets/{id}"), &test.admin)
        .await;
    let waiting = test
        .app
        .ticketing
        .waiting_since(&admin, vec![id])
        .await
        .unwrap();
    if now["status"] == "new" || now["status"] == "open" {
        assert_eq!(
            waiting.get(&id).map(String::as_str),
            again["created_at"].as_str()
        );
    } else {
        assert!(waiting.is_empty(), "{now}");
    }
    // Someone who does not see the ticket learns nothing of it.
    let team = test.team("Other").await;
    staff(&test, "wait-out@example.com", "Olli", Role::Agent, &[team]).await;
    let outsider = test
        .app
        .staff
        .authenticate_password("wait-out@example.com", crate::ui_workspace::PASSWORD)
        .await
        .unwrap();
    assert!(
        test.app
            .ticketing
            .waiting_since(&outsider, vec![id])
            .await
            .unwrap()
            .is_empty()
    );
    let mut browser = signed_in(&test, "wait-admin@example.com").await;
    let rows = browser.get("/ui/inbox/list?view=all").await;
    assert!(
        rows.body.contains(&format!("data-testid=\"waiting-{id}\"")),
        "{}",
        rows.body
    );
    test.stop().await;
}

#[tokio::test]
async fn saved_views_show_their_counts_from_one_statement() {
    let test = TestApp::spawn().await;
    staff(&test, "count-admin@example.com", "Ada", Role::Admin, &[]).await;
    for i in 0..7 {
        test.ticket(&test.admin, json!({"subject": format!("Count {i}"), "priority": if i < 3 { "urgent" } else { "low" },
            "tags": if i % 2 == 0 { json!(["refund"]) } else { json!([]) },
            "requester": {"email": format!("count{i}@example.com")}, "message": {"body": "x"}}))
            .await;
    }
    let admin = test
        .app
        .staff
        .authenticate_password("count-admin@example.com", crate::ui_workspace::PASSWORD)
        .await
        .unwrap();
    let urgent = test
        .app
        .ticketing
        .create_saved_view(
            &admin,
            "Urgent",
            tiski_ticketing::ViewFilters {
                priority: Some(tiski_domain::Priority::Urgent),
                ..Default::default()
            },
            false,
        )
        .await
        .unwrap();
    let refunds = test
        .app
        .ticketing
        .create_saved_view(
            &admin,
            "Refunds",
            tiski_ticketing::ViewFilters {
                tag: Some("refund".into()),
                status: vec![tiski_domain::Status::New],
                ..Default::default()
            },
            true,
        )
        .await
        .unwrap();
    let counts = test.app.ticketing.inbox_counts(&admin).await.unwrap();
    assert_eq!(counts.saved.get(&urgent.id), Some(&3));
    assert_eq!(counts.saved.get(&refunds.id), Some(&4));
    assert_eq!(counts.all_open, 7);
    // An agent of no team sees none of these tickets: the shared view counts 0 for them.
    staff(&test, "count-agent@example.com", "Aaro", Role::Agent, &[]).await;
    let agent = test
        .app
        .staff
        .authenticate_password("count-agent@example.com", crate::ui_workspace::PASSWORD)
        .await
        .unwrap();
    let theirs = test.app.ticketing.inbox_counts(&agent).await.unwrap();
    assert_eq!(theirs.saved.get(&refunds.id), Some(&0));
    assert!(
        !theirs.saved.contains_key(&urgent.id),
        "a personal view is its owner's"
    );
    let mut browser = signed_in(&test, "count-admin@example.com").await;
    let nav = browser.get("/ui/inbox/counts?view=all").await;
    assert!(
        nav.body
            .contains(&format!("data-testid=\"nav-saved-{}-count\">3<", urgent.id)),
        "{}",
        nav.body
    );
    assert!(
        nav.body.contains(&format!(
            "data-testid=\"nav-saved-{}-count\">4<",
            refunds.id
        )),
        "{}",
        nav.body
    );
    test.stop().await;
}
