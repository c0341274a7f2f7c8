//! Working on tickets: macros, presence, bulk actions and saved views, and the live event stream.

use super::{signed_in, staff, ticket_in};
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use serde_json::{Value, json};
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn macros_fill_placeholders_and_apply_their_changes() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    let team = test.team("Support").await;
    let hana = staff(
        &test,
        "hana@example.com",
        "Hana Helper",
        Role::Agent,
        &[team],
    )
    .await;
    let id = ticket_in(&test, team, "Broken kettle", "Aino Virtanen", "It leaks.").await;
    let mut browser = signed_in(&test, "hana@example.com").await;
    browser.get(&format!("/tickets/{id}")).await;

    // The seeded macros: searchable while typing, in the ticket's language first.
    let found = browser
        .get(&format!("/ui/tickets/{id}/macros?q=/solved"))
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains("Solved, with thanks"), "{}", found.body);
    let actor = test
        .app
        .staff
        .reload_actor(&tiski_kernel::Actor {
            id: hana,
            ..test.system()
        })
        .await
        .unwrap()
        .unwrap();
    let macros = test
        .app
        .ticketing
        .list_macros(&actor, Some("solved, with thanks"), None)
        .await
        .unwrap();
    let solved = macros.first().expect("the seeded macro");
    let filled = browser
        .get(&format!("/ui/tickets/{id}/macros/{}", solved.id))
        .await;
    let filled: Value = serde_json::from_str(&filled.body).expect("JSON");
    let text = filled["body"].as_str().unwrap();
    assert!(text.starts_with("Hello Aino,"), "{text}");
    assert!(text.contains(&format!("#{id}")));
    assert!(text.ends_with("Hana Helper"));
    assert_eq!(filled["set_status"], "solved");

    // Every seeded language greets by name and apologises.
    let all = test
        .app
        .ticketing
        .list_macros(&actor, None, None)
        .await
        .unwrap();
    for language in ["en", "fi", "pl", "lt", "tl"] {
        assert!(
            all.iter()
                .filter(|m| m.language.as_deref() == Some(language))
                .count()
                >= 2,
            "seeded macros in {language}"
        );
    }

    // Sending the reply applies the macro's changes.
    let sent = browser
        .htmx_post(
            &format!("/ui/tickets/{id}/messages"),
            &[
                ("body", text),
                ("kind", "reply"),
                ("set_status", "solved"),
                ("add_tags", "thanked"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.body.contains("Hello Aino,"));
    let (_, ticket) = test
        .get(&format!("/api/v1/tickets/{id}"), &test.admin)
        .await;
    assert_eq!(ticket["status"], "solved");
    assert_eq!(ticket["tags"], json!(["thanked"]));

    // A personal macro of one's own.
    browser.get("/macros").await;
    let created = browser
        .post(
            "/ui/macros",
            &[
                ("title", "Refund note"),
                ("body", "Dear {{customer.name}}, {{unknown}}"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let mine = test
        .app
        .ticketing
        .list_macros(&actor, Some("refund note"), None)
        .await
        .unwrap();
    assert_eq!(mine[0].owner_id, Some(hana));
    // A shared one is for supervisors.
    let shared = browser
        .post(
            "/ui/macros",
            &[("title", "Shared"), ("body", "x"), ("shared", "on")],
        )
        .await;
    assert_eq!(shared.status, StatusCode::FORBIDDEN);
    test.stop().await;
}

#[tokio::test]
async fn presence_warns_of_a_colleague_on_the_same_ticket() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    staff(&test, "ida@example.com", "Ida One", Role::Agent, &[team]).await;
    staff(&test, "jon@example.com", "Jon Two", Role::Agent, &[team]).await;
    let id = ticket_in(&test, team, "Shared ticket", "Kai Customer", "Hello?").await;
    let mut ida = signed_in(&test, "ida@example.com").await;
    let mut jon = signed_in(&test, "jon@example.com").await;
    ida.get(&format!("/tickets/{id}")).await;
    jon.get(&format!("/tickets/{id}")).await;
    let path = format!("/ui/tickets/{id}/presence");
    let alone = ida.htmx_post(&path, &[("typing", "0")]).await;
    assert!(!alone.body.contains("collision-warning"));
    let seen = jon.htmx_post(&path, &[("typing", "1")]).await;
    assert!(seen.body.contains("collision-warning") && seen.body.contains("Ida One"));
    let typing = ida.htmx_post(&path, &[("typing", "0")]).await;
    assert!(
        typing.body.contains("presence-typing") && typing.body.contains("Jon Two"),
        "{}",
        typing.body
    );
    test.stop().await;
}

#[tokio::test]
async fn bulk_actions_and_saved_views() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    let kim = staff(
        &test,
        "kim@example.com",
        "Kim Lead",
        Role::Supervisor,
        &[team],
    )
    .await;
    let first = ticket_in(&test, team, "First", "A Customer", "one").await;
    let second = ticket_in(&test, team, "Second", "B Customer", "two").await;
    let mut browser = signed_in(&test, "kim@example.com").await;
    let first_text = first.to_string();
    let second_text = second.to_string();
    let assigned = browser
        .htmx_post(
            "/ui/inbox/bulk",
            &[
                ("ids", &first_text),
                ("ids", &second_text),
                ("action", "assign"),
                ("assignee", "me"),
                ("view", "mine"),
            ],
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK);
    assert!(
        assigned.body.contains("2 tickets changed."),
        "{}",
        assigned.body
    );
    assert!(assigned.body.contains("First") && assigned.body.contains("Second"));
    for id in [first, second] {
        let (_, ticket) = test
            .get(&format!("/api/v1/tickets/{id}"), &test.admin)
            .await;
        assert_eq!(ticket["assignee_id"], kim);
    }
    let tagged = browser
        .htmx_post(
            "/ui/inbox/bulk",
            &[("ids", &first_text), ("action", "tag"), ("tag", "vip")],
        )
        .await;
    assert!(tagged.body.contains("One ticket changed."));
    let counts = browser.get("/ui/inbox/counts").await;
    assert!(
        counts.body.contains("data-testid=\"nav-mine-count\">2<"),
        "{}",
        counts.body
    );

    // A shared saved view by the supervisor, filtering on a tag.
    browser.get("/views/new").await;
    let saved = browser
        .post(
            "/ui/views",
            &[
                ("name", "VIP open"),
                ("status", "new"),
                ("status", "open"),
                ("tag", "vip"),
                ("shared", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let view = browser.get(saved.location.as_deref().unwrap()).await;
    assert!(view.body.contains("VIP open"));
    assert!(view.body.contains(&format!("ticket-row-{first}")));
    assert!(!view.body.contains(&format!("ticket-row-{second}")));
    test.stop().await;
}

#[tokio::test]
async fn the_event_stream_tells_the_page_of_new_activity() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    staff(&test, "lea@example.com", "Lea Agent", Role::Agent, &[team]).await;
    let browser = signed_in(&test, "lea@example.com").await;
    let response = browser
        .http
        .get(format!("{}/ui/events", browser.base))
        .header(COOKIE, browser.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let id = ticket_in(&test, team, "Live one", "Mia Customer", "hello").await;
    let mut response = response;
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains(&format!("\"ticket_id\":{id}")) {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .expect("an event in time")
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: ticket"));
    test.stop().await;
}
