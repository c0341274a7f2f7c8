//! Notifications: each kind made once, never for the one who acted nor for someone who may
//! not see the ticket; read marks only one's own; preferences honoured; bad input refused;
//! two nodes on one PostgreSQL make no duplicates.

mod bad_input;
mod nodes;

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::TestApp;

/// How long the worker may take to make a notification before the test fails.
const DEADLINE: Duration = Duration::from_secs(10);

/// Team T with agents A and B; C in team U (cannot see T's tickets); a ticket in T.
struct Desk {
    test: TestApp,
    a: (i64, String),
    b: (i64, String),
    c: (i64, String),
    ticket: i64,
}

impl Desk {
    async fn new() -> Desk {
        Desk::on(TestApp::spawn().await).await
    }

    async fn on(test: TestApp) -> Desk {
        let t = test.team("T").await;
        let u = test.team("U").await;
        let a = test.user(Role::Agent, &[t]).await;
        let b = test.user(Role::Agent, &[t]).await;
        let c = test.user(Role::Agent, &[u]).await;
        let ticket = test
            .ticket(
                &test.admin,
                json!({"subject": "Parcel lost", "team_id": t,
                       "requester": {"email": "pia@customer.example"},
                       "message": {"body": "Where is it?"}}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        Desk {
            test,
            a,
            b,
            c,
            ticket,
        }
    }

    /// `(name, email)` of a user, as the API shows them.
    async fn person(&self, id: i64) -> (String, String) {
        let (_, agent) = self
            .test
            .get(&format!("/api/v1/agents/{id}"), &self.test.admin)
            .await;
        (
            agent["name"].as_str().unwrap().to_string(),
            agent["email"].as_str().unwrap().to_string(),
        )
    }

    async fn note(&self, token: &str, body: &str) {
        let (status, answer) = self
            .test
            .post(
                &format!("/api/v1/tickets/{}/messages", self.ticket),
                token,
                json!({"body": body, "kind": "note"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }

    async fn assign(&self, token: &str, to: i64) {
        let (status, answer) = self
            .test
            .patch(
                &format!("/api/v1/tickets/{}", self.ticket),
                token,
                json!({"assignee_id": to}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }

    /// Waits until the worker has read the whole log, then answers `token`'s notifications.
    async fn notifications(&self, token: &str) -> Value {
        settle(&self.test).await;
        let (status, page) = self.test.get("/api/v1/notifications", token).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page
    }
}

/// Waits until the notification worker has caught up with the log.
async fn settle(test: &TestApp) {
    let started = std::time::Instant::now();
    loop {
        // The worker's own events (`notification.created`) move the log too: caught up is
        // when a step reads nothing new.
        if test.app.notify.produce(500).await.expect("a step") == 0 {
            return;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "the notification worker never caught up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn kinds(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Every kind, once, for the one it concerns: assigned, mentioned (by name and by local
/// part), customer replied, asked for help; none for the actor's own doing, none for C who
/// may not see the ticket even when named.
#[tokio::test]
async fn each_kind_is_made_once_for_whom_it_concerns() {
    let desk = Desk::new().await;
    let (a, a_token) = &desk.a;
    let (b, b_token) = &desk.b;
    let (c, c_token) = &desk.c;
    let (b_name, _) = desk.person(*b).await;
    let (a_name, a_email) = desk.person(*a).await;
    let (_, c_email) = desk.person(*c).await;
    let c_handle = c_email.split('@').next().unwrap();
    let a_handle = a_email.split('@').next().unwrap();

    // A assigns the ticket to themselves: nothing. Then to B: B is told.
    desk.assign(a_token, *a).await;
    desk.assign(a_token, *b).await;
    // A mentions B by name, C (who cannot see the ticket) and themselves: only B.
    desk.note(
        a_token,
        &format!("@{b_name}, see this. Not for @{c_handle} or @{a_name}."),
    )
    .await;
    // B mentions A by local part: A is told; B's own note tells B nothing.
    desk.note(b_token, &format!("On it, thanks @{a_handle}."))
        .await;
    // The customer writes on B's ticket.
    let (status, answer) = desk
        .test
        .post(
            &format!("/api/v1/tickets/{}/messages", desk.ticket),
            &desk.test.admin,
            json!({"body": "Any news?", "author": "customer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    // B asks A for help; the ticket stays B's.
    let (status, note) = desk
        .test
        .post(
            &format!("/api/v1/tickets/{}/help", desk.ticket),
            b_token,
            json!({"colleague_id": a, "request": "Could you check the depot?"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert_eq!(note["kind"], "note");
    let (_, ticket) = desk
        .test
        .get(
            &format!("/api/v1/tickets/{}", desk.ticket),
            &desk.test.admin,
        )
        .await;
    assert_eq!(
        ticket["assignee_id"],
        json!(b),
        "asking for help gives nothing away"
    );

    let b_page = desk.notifications(b_token).await;
    assert_eq!(
        kinds(&b_page),
        ["customer_replied", "mentioned", "assigned"],
        "{b_page}"
    );
    assert_eq!(b_page["unread"], 3);
    let newest = &b_page["items"][0];
    assert_eq!(newest["ticket_id"], json!(desk.ticket));
    assert_eq!(newest["read"], false);
    assert!(
        newest["actor_id"].is_null(),
        "the customer is no staff actor"
    );
    assert_eq!(b_page["items"][2]["actor_id"], json!(a));
    let a_page = desk.notifications(a_token).await;
    assert_eq!(kinds(&a_page), ["help_requested", "mentioned"], "{a_page}");
    assert_eq!(a_page["items"][0]["actor_id"], json!(b));
    let c_page = desk.notifications(c_token).await;
    assert_eq!(kinds(&c_page), Vec::<String>::new(), "{c_page}");

    // Stepping the worker again (as another node would) makes nothing new.
    let count = |page: &Value| page["items"].as_array().unwrap().len();
    let (one, two) = tokio::join!(
        desk.test.app.notify.produce(500),
        desk.test.app.notify.produce(500)
    );
    assert_eq!((one.unwrap(), two.unwrap()), (0, 0));
    assert_eq!(count(&desk.notifications(b_token).await), 3);
    assert_eq!(count(&desk.notifications(a_token).await), 2);

    // Paging newest first by keyset.
    let (_, first) = desk
        .test
        .get("/api/v1/notifications?limit=2", b_token)
        .await;
    assert_eq!(kinds(&first), ["customer_replied", "mentioned"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = desk
        .test
        .get(
            &format!("/api/v1/notifications?limit=2&cursor={cursor}"),
            b_token,
        )
        .await;
    assert_eq!(kinds(&second), ["assigned"]);
    assert!(second["next_cursor"].is_null());
    assert_eq!(second["unread"], 3);
}

/// Marking read touches only the caller's own; others' and unknown ids are skipped.
#[tokio::test]
async fn read_marks_only_ones_own() {
    let desk = Desk::new().await;
    let (_, a_token) = &desk.a;
    let (b, b_token) = &desk.b;
    let (b_name, _) = desk.person(*b).await;
    desk.assign(a_token, *b).await;
    desk.note(a_token, &format!("@{b_name} look")).await;
    let b_page = desk.notifications(b_token).await;
    let ids: Vec<i64> = b_page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);

    // A tries to mark B's: nothing changes for B.
    let (status, answer) = desk
        .test
        .post("/api/v1/notifications/read", a_token, json!({"ids": ids}))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer, json!({"marked": 0, "unread": 0}));
    assert_eq!(desk.notifications(b_token).await["unread"], 2);

    // B marks one (with an unknown id beside it), then all.
    let (_, answer) = desk
        .test
        .post(
            "/api/v1/notifications/read",
            b_token,
            json!({"ids": [ids[0], 999_999]}),
        )
        .await;
    assert_eq!(answer, json!({"marked": 1, "unread": 1}));
    let page = desk.notifications(b_token).await;
    assert_eq!(page["items"][0]["read"], true);
    assert_eq!(page["items"][1]["read"], false);
    let (_, answer) = desk
        .test
        .post("/api/v1/notifications/read", b_token, json!({"all": true}))
        .await;
    assert_eq!(answer, json!({"marked": 1, "unread": 0}));
}

/// A kind turned off is not notified; turned on again, it is.
#[tokio::test]
async fn preferences_are_honoured() {
    let desk = Desk::new().await;
    let (_, a_token) = &desk.a;
    let (b, b_token) = &desk.b;
    let (b_name, _) = desk.person(*b).await;
    let (status, prefs) = desk
        .test
        .call(
            reqwest::Method::PUT,
            "/api/v1/notifications/preferences",
            b_token,
            Some(
                json!({"preferences": [{"kind": "mentioned", "in_app": false, "browser": false}]}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{prefs}");
    let all = prefs["preferences"].as_array().unwrap();
    assert_eq!(all.len(), 5, "every kind, sla_at_risk included: {prefs}");
    assert_eq!(
        all[1],
        json!({"kind": "mentioned", "in_app": false, "browser": false, "email": true})
    );
    assert_eq!(
        all[0],
        json!({"kind": "assigned", "in_app": true, "browser": true, "email": true})
    );
    assert_eq!(
        all[2],
        json!({"kind": "customer_replied", "in_app": true, "browser": true, "email": false})
    );
    let (_, again) = desk
        .test
        .get("/api/v1/notifications/preferences", b_token)
        .await;
    assert_eq!(again, prefs);

    desk.note(a_token, &format!("@{b_name} first")).await;
    desk.assign(a_token, *b).await;
    assert_eq!(kinds(&desk.notifications(b_token).await), ["assigned"]);

    desk.test
        .call(
            reqwest::Method::PUT,
            "/api/v1/notifications/preferences",
            b_token,
            Some(json!({"preferences": [{"kind": "mentioned", "in_app": true, "browser": false}]})),
        )
        .await;
    desk.note(a_token, &format!("@{b_name} second")).await;
    assert_eq!(
        kinds(&desk.notifications(b_token).await),
        ["mentioned", "assigned"]
    );
}
