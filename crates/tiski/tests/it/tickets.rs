//! Tickets through the API: create, list, change, messages, lifecycle.

use reqwest::StatusCode;
use serde_json::json;
use tiski_testkit::{TestApp, assert_problem};

#[tokio::test]
async fn create_find_or_create_customer_and_list() {
    let test = TestApp::spawn().await;
    let team = test.team("Orders").await;
    let body = json!({
        "subject": "Where is my order?",
        "requester": {"email": "Maija.Virtanen@Example.FI", "name": "Maija Virtanen"},
        "team_id": team,
        "tags": ["Order", "delivery"],
        "message": {"body": "Tilaukseni ei ole vielä saapunut."}
    });
    let first = test.ticket(&test.admin, body.clone()).await;
    assert_eq!(first["status"], "new");
    assert_eq!(first["tags"], json!(["delivery", "order"]));
    let second = test.ticket(&test.admin, body).await;
    assert_eq!(
        first["requester"]["id"], second["requester"]["id"],
        "the same email is the same customer"
    );

    let (status, page) = test
        .get(
            &format!("/api/v1/tickets?team_id={team}&status=new&limit=1"),
            &test.admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let cursor = page["next_cursor"]
        .as_str()
        .expect("a second page")
        .to_string();
    let (_, next) = test
        .get(
            &format!("/api/v1/tickets?team_id={team}&status=new&limit=1&cursor={cursor}"),
            &test.admin,
        )
        .await;
    assert_eq!(next["items"].as_array().unwrap().len(), 1);
    assert_ne!(page["items"][0]["id"], next["items"][0]["id"]);
    assert!(next["next_cursor"].is_null());

    // Paging by id (no separate sort value) works on both engines.
    let (_, by_id) = test
        .get("/api/v1/tickets?sort=-id&limit=1", &test.admin)
        .await;
    let cursor = by_id["next_cursor"]
        .as_str()
        .expect("a second page by id")
        .to_string();
    let (status, second) = test
        .get(
            &format!("/api/v1/tickets?sort=-id&limit=1&cursor={cursor}"),
            &test.admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert!(second["items"][0]["id"].as_i64() < by_id["items"][0]["id"].as_i64());

    let (_, tagged) = test.get("/api/v1/tickets?tag=order", &test.admin).await;
    assert_eq!(tagged["items"].as_array().unwrap().len(), 2);
    test.stop().await;
}

#[tokio::test]
async fn lifecycle_reopen_close_and_follow_up() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    let team = test.team("Support").await;
    let ticket = test
        .ticket(&test.admin, json!({"subject": "Kettle", "requester": {"phone": "+358 40 123 4567"}, "team_id": team, "message": {"body": "It leaks."}}))
        .await;
    let id = ticket["id"].as_i64().unwrap();
    let path = format!("/api/v1/tickets/{id}");

    let (_, reply) = test
        .post(
            &format!("{path}/messages"),
            &test.admin,
            // The requester has only a phone number: the reply names where it goes.
            json!({"body": "Sorry to hear that.", "to": ["kettle.owner@example.fi"]}),
        )
        .await;
    assert_eq!(reply["author_kind"], "agent", "{reply}");
    assert_eq!(
        test.get(&path, &test.admin).await.1["status"],
        "open",
        "an agent reply opens a new ticket"
    );

    let closed_early = test
        .patch(&path, &test.admin, json!({"status": "closed"}))
        .await;
    assert_problem(&closed_early, StatusCode::CONFLICT, Some("status"));

    assert_eq!(
        test.patch(&path, &test.admin, json!({"status": "solved"}))
            .await
            .1["status"],
        "solved"
    );
    test.post(
        &format!("{path}/messages"),
        &test.admin,
        json!({"body": "Still leaking!", "author": "customer"}),
    )
    .await;
    assert_eq!(
        test.get(&path, &test.admin).await.1["status"],
        "open",
        "a customer message reopens a solved ticket"
    );

    test.patch(&path, &test.admin, json!({"status": "solved"}))
        .await;
    let closed = test
        .patch(&path, &test.admin, json!({"status": "closed"}))
        .await;
    assert_eq!(closed.1["status"], "closed");
    assert_problem(
        &test
            .patch(&path, &test.admin, json!({"status": "open"}))
            .await,
        StatusCode::CONFLICT,
        None,
    );

    let (status, later) = test
        .post(
            &format!("{path}/messages"),
            &test.admin,
            json!({"body": "It broke again.", "author": "customer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let follow_up = later["ticket_id"].as_i64().unwrap();
    assert_ne!(follow_up, id);
    let (_, follow) = test
        .get(&format!("/api/v1/tickets/{follow_up}"), &test.admin)
        .await;
    assert_eq!(follow["follow_up_of"], id);
    assert_eq!(test.get(&path, &test.admin).await.1["status"], "closed");

    let (_, history) = test.get(&format!("{path}/events"), &test.admin).await;
    let kinds: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"ticket.created"));
    assert!(kinds.contains(&"ticket.status_changed"));
    test.stop().await;
}

#[tokio::test]
async fn solved_tickets_close_automatically() {
    let test = TestApp::spawn().await;
    let ticket = test.ticket(&test.admin, json!({"subject": "Done soon", "requester": {"email": "a@b.example"}, "message": {"body": "Hi"}})).await;
    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    test.patch(&path, &test.admin, json!({"status": "solved"}))
        .await;
    // Three days on, the ticket is still solved; past the four days of the setting, closed.
    test.advance(std::time::Duration::from_secs(3 * 24 * 3600));
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(test.get(&path, &test.admin).await.1["status"], "solved");
    test.advance(std::time::Duration::from_secs(24 * 3600 + 60));
    let mut status = String::new();
    for _ in 0..50 {
        status = test.get(&path, &test.admin).await.1["status"]
            .as_str()
            .unwrap()
            .to_string();
        if status == "closed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "closed");
    test.stop().await;
}

#[tokio::test]
async fn several_statuses_page_in_order_without_gaps() {
    let test = TestApp::spawn().await;
    let team = test.team("Merge").await;
    let mut expected = Vec::new();
    for (n, status) in [
        "new", "open", "pending", "open", "new", "solved", "pending", "open",
    ]
    .iter()
    .enumerate()
    {
        let ticket = test
            .ticket(&test.admin, json!({"subject": format!("T{n}"), "requester": {"email": format!("m{n}@example.com")}, "team_id": team, "message": {"body": "Hi"}}))
            .await;
        let id = ticket["id"].as_i64().unwrap();
        if *status != "new" {
            let path = format!("/api/v1/tickets/{id}");
            assert_eq!(
                test.patch(&path, &test.admin, json!({"status": status}))
                    .await
                    .0,
                StatusCode::OK
            );
        }
        if *status != "solved" {
            expected.push(id);
        }
    }
    for sort in ["-updated_at", "updated_at", "-id", "id", "-priority"] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!(
                "/api/v1/tickets?team_id={team}&status=new,open,pending&sort={sort}&limit=2"
            );
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let (status, page) = test.get(&path, &test.admin).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            seen.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t["id"].as_i64().unwrap()),
            );
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
        let mut sorted_seen = seen.clone();
        sorted_seen.sort();
        let mut want = expected.clone();
        want.sort();
        assert_eq!(sorted_seen, want, "sort {sort}: every matching ticket once");
        if sort == "-id" {
            assert!(seen.windows(2).all(|w| w[0] > w[1]), "{seen:?}");
        }
        if sort == "id" {
            assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
        }
    }
    test.stop().await;
}
