//! Triggers: each action, order, at most once per event, no loop, and the time condition.

use super::{customer_ticket, events, fired, settle, ticket, trigger};
use reqwest::StatusCode;
use serde_json::json;
use tiski_domain::Role;
use tiski_testkit::TestApp;
use tiski_ticketing::NewMacro;

async fn shared_macro(test: &TestApp, body: &str, language: &str) -> i64 {
    let admin = test
        .app
        .staff
        .authenticate_token(&test.admin)
        .await
        .expect("the admin");
    test.app
        .ticketing
        .create_macro(
            &admin,
            NewMacro {
                title: format!("Thanks ({language})"),
                body: body.into(),
                language: Some(language.into()),
                shared: true,
                ..NewMacro::default()
            },
        )
        .await
        .expect("a shared macro")
        .id
}

#[tokio::test]
async fn every_action_runs_and_is_recorded_as_the_triggers_doing() {
    let test = TestApp::spawn().await;
    test.default_mailbox().await;
    let team = test.team("Refunds").await;
    let (agent, _) = test.user(Role::Agent, &[team]).await;
    let english = shared_macro(
        &test,
        "Hello {{customer.first_name}}, we got ticket {{ticket.id}}.",
        "en",
    )
    .await;
    let finnish = shared_macro(
        &test,
        "Hei {{customer.first_name}}, saimme tiketin {{ticket.id}}.",
        "fi",
    )
    .await;
    let id = trigger(
        &test,
        json!({
            "name": "Refund requests",
            "event": "ticket.created",
            "conditions": [
                {"field": "subject", "op": "contains", "value": "REFUND"},
                {"field": "body", "op": "contains", "value": "money back"},
                {"field": "message.author", "value": "customer"},
                {"field": "message.visibility", "value": "public"},
                {"field": "status", "value": "new"},
                {"field": "language", "value": "fi"},
                {"field": "tags", "op": "not_contains", "value": "spam"}
            ],
            "actions": [
                {"type": "set_status", "status": "open"},
                {"type": "set_priority", "priority": "high"},
                {"type": "set_team", "team_id": team},
                {"type": "set_assignee", "assignee_id": agent},
                {"type": "add_tags", "tags": ["refund", "money"]},
                {"type": "remove_tags", "tags": ["money"]},
                {"type": "add_note", "body": "Refund rule saw ticket {{ticket.id}}."},
                {"type": "send_reply", "macro_ids": [english, finnish]}
            ]
        }),
    )
    .await;
    let ticket_id = test
        .ticket(
            &test.admin,
            json!({"subject": "Refund please", "language": "fi", "requester": {"email": "aino@example.fi", "name": "Aino Virtanen"}, "message": {"body": "I want my money back."}}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let other = customer_ticket(&test, "Hello", "Just saying hi.").await;
    settle(&test).await;

    let after = ticket(&test, ticket_id).await;
    assert_eq!(after["status"], "open");
    assert_eq!(after["priority"], "high");
    assert_eq!(after["team_id"], team);
    assert_eq!(after["assignee_id"], agent);
    assert_eq!(after["tags"], json!(["refund"]));
    let (_, messages) = test
        .get(
            &format!("/api/v1/tickets/{ticket_id}/messages"),
            &test.admin,
        )
        .await;
    let messages = messages["items"].as_array().unwrap().clone();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(messages[1]["kind"], "note");
    assert_eq!(
        messages[1]["body"],
        format!("Refund rule saw ticket {ticket_id}.")
    );
    assert_eq!(messages[2]["kind"], "reply");
    assert_eq!(
        messages[2]["body"],
        format!("Hei Aino, saimme tiketin {ticket_id}.")
    );
    assert_eq!(
        messages[2]["delivery"]["state"], "queued",
        "{}",
        messages[2]
    );

    // Every change is the trigger's, and trigger.fired names what it ran.
    let log = events(&test, ticket_id).await;
    let by_trigger: Vec<&serde_json::Value> = log
        .iter()
        .filter(|e| e["actor_kind"] == "trigger")
        .collect();
    assert!(by_trigger.len() >= 8, "{log:?}");
    assert!(by_trigger.iter().all(|e| e["actor_id"] == id));
    for kind in [
        "ticket.status_changed",
        "ticket.priority_changed",
        "ticket.team_changed",
        "ticket.assigned",
        "ticket.tags_changed",
        "message.added",
    ] {
        assert!(
            by_trigger.iter().any(|e| e["type"] == kind),
            "{kind} by the trigger: {log:?}"
        );
    }
    let fired = fired(&test, ticket_id).await;
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0]["data"]["trigger_id"], id);
    assert_eq!(
        fired[0]["data"]["actions"],
        json!([
            "set_status",
            "set_priority",
            "set_team",
            "set_assignee",
            "add_tags",
            "remove_tags",
            "add_note",
            "send_reply"
        ])
    );
    // The other ticket's subject does not match: nothing happened to it.
    assert!(super::fired(&test, other).await.is_empty());
    assert_eq!(ticket(&test, other).await["status"], "new");
}

#[tokio::test]
async fn escalation_raises_the_priority_and_moves_the_ticket() {
    let test = TestApp::spawn().await;
    let seniors = test.team("Seniors").await;
    trigger(
        &test,
        json!({
            "name": "Angry",
            "event": "message.added",
            "conditions": [{"field": "body", "op": "contains", "value": "lawyer"}, {"field": "message.author", "value": "customer"}],
            "actions": [{"type": "escalate", "priority": "urgent", "team_id": seniors}]
        }),
    )
    .await;
    let calm = customer_ticket(&test, "Kettle", "It leaks.").await;
    let (status, _) = test
        .post(
            &format!("/api/v1/tickets/{calm}/messages"),
            &test.admin,
            json!({"body": "My LAWYER will hear of this.", "author": "customer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // An agent writing the word does not count.
    let other = customer_ticket(&test, "Toaster", "Burnt.").await;
    test.post(
        &format!("/api/v1/tickets/{other}/messages"),
        &test.admin,
        json!({"body": "No lawyer needed.", "kind": "note"}),
    )
    .await;
    settle(&test).await;
    let escalated = ticket(&test, calm).await;
    assert_eq!(escalated["priority"], "urgent");
    assert_eq!(escalated["team_id"], seniors);
    assert_eq!(ticket(&test, other).await["priority"], "normal");
}

#[tokio::test]
async fn triggers_run_in_order_each_once_per_event_and_never_ping_pong() {
    let test = TestApp::spawn().await;
    // Position 2 runs after position 1 and sees its change.
    trigger(
        &test,
        json!({"name": "second", "position": 2, "event": "ticket.created",
               "conditions": [{"field": "priority", "value": "low"}],
               "actions": [{"type": "add_tags", "tags": ["saw-low"]}]}),
    )
    .await;
    trigger(
        &test,
        json!({"name": "first", "position": 1, "event": "ticket.created",
               "actions": [{"type": "set_priority", "priority": "low"}]}),
    )
    .await;
    // Two triggers that would undo each other for ever if their changes fired triggers.
    let ping = trigger(
        &test,
        json!({"name": "ping", "event": "ticket.tags_changed",
               "conditions": [{"field": "tags", "op": "contains", "value": "b"}],
               "actions": [{"type": "remove_tags", "tags": ["b"]}, {"type": "add_tags", "tags": ["a"]}]}),
    )
    .await;
    let pong = trigger(
        &test,
        json!({"name": "pong", "event": "ticket.tags_changed",
               "conditions": [{"field": "tags", "op": "contains", "value": "a"}],
               "actions": [{"type": "remove_tags", "tags": ["a"]}, {"type": "add_tags", "tags": ["b"]}]}),
    )
    .await;
    let id = customer_ticket(&test, "Order", "Where is it?").await;
    settle(&test).await;
    let after = ticket(&test, id).await;
    assert_eq!(after["priority"], "low");
    assert_eq!(after["tags"], json!(["saw-low"]));

    let (status, _) = test
        .patch(
            &format!("/api/v1/tickets/{id}"),
            &test.admin,
            json!({"add_tags": ["b"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    settle(&test).await;
    // ping fired on the agent's change (b → a); pong then held for the ticket as ping left
    // it (a) and fired on the same event; neither fired again on the other's changes.
    let fired = fired(&test, id).await;
    let names: Vec<i64> = fired
        .iter()
        .map(|e| e["data"]["trigger_id"].as_i64().unwrap())
        .collect();
    assert_eq!(names.iter().filter(|t| **t == ping).count(), 1, "{fired:?}");
    assert_eq!(names.iter().filter(|t| **t == pong).count(), 1, "{fired:?}");
    assert_eq!(ticket(&test, id).await["tags"], json!(["b", "saw-low"]));
    // Once settled, a further run reads nothing and fires nothing.
    assert_eq!(test.app.automation.run_triggers(500).await.unwrap(), 0);
}

#[tokio::test]
async fn inactive_and_deleted_triggers_do_not_fire_and_time_conditions_follow_the_calendar() {
    let test = TestApp::spawn().await;
    // A calendar that never opens.
    let (status, calendar) = test
        .post(
            "/api/v1/calendars",
            &test.admin,
            json!({"name": "Closed", "time_zone": "Europe/Helsinki"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{calendar}");
    let calendar = calendar["id"].as_i64().unwrap();
    trigger(
        &test,
        json!({"name": "after hours", "event": "ticket.created",
               "conditions": [{"field": "time", "value": "closed", "calendar_id": calendar}],
               "actions": [{"type": "add_tags", "tags": ["after-hours"]}]}),
    )
    .await;
    trigger(
        &test,
        json!({"name": "in hours", "event": "ticket.created",
               "conditions": [{"field": "time", "value": "open", "calendar_id": calendar}],
               "actions": [{"type": "add_tags", "tags": ["in-hours"]}]}),
    )
    .await;
    let off = trigger(
        &test,
        json!({"name": "off", "active": false, "event": "ticket.created",
               "actions": [{"type": "add_tags", "tags": ["off"]}]}),
    )
    .await;
    let gone = trigger(
        &test,
        json!({"name": "gone", "event": "ticket.created",
               "actions": [{"type": "add_tags", "tags": ["gone"]}]}),
    )
    .await;
    let (status, _) = test
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/triggers/{gone}"),
            &test.admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = test
        .get(&format!("/api/v1/triggers/{gone}"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let id = customer_ticket(&test, "Late", "It is midnight.").await;
    settle(&test).await;
    assert_eq!(ticket(&test, id).await["tags"], json!(["after-hours"]));

    // Switched on, it fires on the next event (not on the past one).
    let (status, changed) = test
        .patch(
            &format!("/api/v1/triggers/{off}"),
            &test.admin,
            json!({"active": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["active"], true);
    settle(&test).await;
    assert_eq!(ticket(&test, id).await["tags"], json!(["after-hours"]));
    let next = customer_ticket(&test, "Later", "Still midnight.").await;
    settle(&test).await;
    assert_eq!(
        ticket(&test, next).await["tags"],
        json!(["after-hours", "off"])
    );
}

#[tokio::test]
async fn agents_read_and_try_triggers_but_only_admins_change_them() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let (_, supervisor) = test.user(Role::Supervisor, &[team]).await;
    let body = json!({"name": "x", "event": "ticket.created", "actions": [{"type": "add_tags", "tags": ["x"]}]});
    for token in [&agent, &supervisor] {
        let (status, answer) = test.post("/api/v1/triggers", token, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
        assert_eq!(answer["status"], 403);
    }
    let id = trigger(&test, body.clone()).await;
    let (status, list) = test.get("/api/v1/triggers", &agent).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"][0]["id"], id);
    let (status, _) = test
        .patch(
            &format!("/api/v1/triggers/{id}"),
            &agent,
            json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = test
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/triggers/{id}"),
            &agent,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = test.post("/api/v1/triggers/test", &agent, body).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_dry_run_counts_matching_tickets_without_acting() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let mut urgent = Vec::new();
    for n in 0..5 {
        let priority = if n % 2 == 0 { "urgent" } else { "low" };
        let made = test
            .ticket(
                &test.admin,
                json!({"subject": format!("Case {n}"), "priority": priority, "team_id": team, "requester": {"email": format!("c{n}@example.com")}, "message": {"body": "Help"}}),
            )
            .await;
        if priority == "urgent" {
            urgent.push(made["id"].as_i64().unwrap());
        }
    }
    // Outside the agent's team: counted for the admin only.
    test.ticket(
        &test.admin,
        json!({"subject": "Elsewhere", "priority": "urgent", "requester": {"email": "x@example.com"}, "message": {"body": "Help"}}),
    )
    .await;
    let body = json!({"name": "urgent", "event": "ticket.created",
                      "conditions": [{"field": "priority", "value": "urgent"}],
                      "actions": [{"type": "add_tags", "tags": ["hot"]}]});
    let (status, run) = test
        .post("/api/v1/triggers/test", &agent, body.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert_eq!(run["checked"], 5);
    assert_eq!(run["matched"], 3);
    let mut ids: Vec<i64> = run["ticket_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, urgent);
    let (_, run) = test.post("/api/v1/triggers/test", &test.admin, body).await;
    assert_eq!(run["matched"], 4);
    assert_eq!(run["capped"], false);
    settle(&test).await;
    // Nothing was acted on, and no trigger was stored.
    let (_, list) = test.get("/api/v1/triggers", &test.admin).await;
    assert_eq!(list["items"], json!([]));
    for id in urgent {
        assert_eq!(ticket(&test, id).await["tags"], json!([]));
    }
}
