//! The email digest of notifications: an agent away from the workspace gets one mail, after
//! the delay and not before, of what they have not read, of the kinds they want by email, in
//! their language, through a real SMTP relay; an agent who is active gets none; two workers
//! racing send one.

use crate::email_send::{Sink, free_port, start_sender, stop_sender};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tiski_domain::Role;
use tiski_kernel::events;
use tiski_testkit::{TestApp, fast_settings};

/// Just under and just over the default delay (15 minutes).
const BEFORE: Duration = Duration::from_secs(14 * 60);
const AFTER: Duration = Duration::from_secs(2 * 60);

/// Agents A and B in team T, a ticket of T, and a default mailbox (through `smtp` if given).
struct Desk {
    test: TestApp,
    a_token: String,
    b: i64,
    b_token: String,
    b_name: String,
    ticket: i64,
}

impl Desk {
    async fn new(smtp: Option<Value>) -> Desk {
        Desk::on(TestApp::spawn().await, smtp).await
    }

    async fn on(test: TestApp, smtp: Option<Value>) -> Desk {
        let mut mailbox = json!({"address": "desk@tiski.test", "name": "Desk", "auto_ack": false, "default": true});
        if let Some(smtp) = smtp {
            mailbox["smtp"] = smtp;
        }
        let (status, answer) = test.post("/api/v1/mailboxes", &test.admin, mailbox).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        let t = test.team("T").await;
        let (_, a_token) = test.user(Role::Agent, &[t]).await;
        let (b, b_token) = test.user(Role::Agent, &[t]).await;
        let (_, agent) = test.get(&format!("/api/v1/agents/{b}"), &test.admin).await;
        let ticket = test
            .ticket(
                &test.admin,
                json!({"subject": "Parcel <lost> in Espoo", "team_id": t,
                       "requester": {"email": "pia@customer.example"},
                       "message": {"body": "Where is it?"}}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        Desk {
            test,
            a_token,
            b,
            b_token,
            b_name: agent["name"].as_str().unwrap().to_string(),
            ticket,
        }
    }

    /// A mentions B in a note; the notification worker makes it.
    async fn mention(&self) {
        let (status, answer) = self
            .test
            .post(
                &format!("/api/v1/tickets/{}/messages", self.ticket),
                &self.a_token,
                json!({"body": format!("@{} could you look?", self.b_name), "kind": "note"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        settle(&self.test).await;
    }

    /// B's notifications.
    async fn notifications(&self) -> Value {
        self.test
            .get("/api/v1/notifications", &self.b_token)
            .await
            .1
    }

    /// One digest step, by hand (the app's own worker looks only every 15 s).
    async fn step(&self) -> usize {
        self.test.app.notify.digest(50).await.unwrap().mailed
    }
}

/// Until the notification worker read the whole log.
async fn settle(test: &TestApp) {
    let started = Instant::now();
    while test.app.notify.produce(500).await.unwrap() > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never caught up"
        );
    }
}

/// The `notification.digested` events so far, as `data`.
async fn digested(test: &TestApp) -> Vec<Value> {
    test.app
        .kernel
        .read_internal(|conn| events::after(conn, 0, 10_000))
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.kind().as_str() == "notification.digested")
        .map(|e| serde_json::to_value(&e.event).unwrap()["data"].clone())
        .collect()
}

/// Waits until the sink has `n` messages (or 20 s passed), and answers what it has.
async fn received(sink: &Sink, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = sink.received();
        if got.len() >= n || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn smtp(port: u16) -> Option<Value> {
    Some(json!({"host": "127.0.0.1", "port": port, "tls": "none"}))
}

#[tokio::test]
async fn a_mention_while_away_is_mailed_once_after_the_delay_in_the_agents_language() {
    let port = free_port();
    let sink = Sink::start(port, "accept");
    let desk = Desk::new(smtp(port)).await;
    let b = desk
        .test
        .app
        .staff
        .authenticate_token(&desk.b_token)
        .await
        .unwrap();
    desk.test
        .app
        .staff
        .set_ui_locale(&b, Some("fi"))
        .await
        .unwrap();
    let sender = start_sender(&desk.test);
    desk.mention().await;

    desk.test.advance(BEFORE);
    assert_eq!(desk.step().await, 0, "not before the delay");
    assert!(digested(&desk.test).await.is_empty());
    desk.test.advance(AFTER);
    desk.step().await;
    assert_eq!(desk.step().await, 0, "nothing is digested twice");
    let mails = received(&sink, 1).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    let (_, agent) = desk
        .test
        .get(&format!("/api/v1/agents/{}", desk.b), &desk.test.admin)
        .await;
    assert_eq!(mail["rcpt_tos"], json!([agent["email"]]), "{mail}");
    let headers = &mail["headers"];
    assert_eq!(
        headers["subject"], "tiski: 1 uusi ilmoitus poissaolosi aikana",
        "{mail}"
    );
    assert_eq!(headers["auto-submitted"], "auto-generated");
    assert!(
        headers["message-id"]
            .as_str()
            .unwrap()
            .ends_with("@tiski.test>"),
        "{mail}"
    );
    let parts = mail["parts"].as_array().unwrap();
    let part = |kind: &str| {
        parts
            .iter()
            .find(|p| p["type"] == kind)
            .and_then(|p| p["content"].as_str())
            .unwrap_or_else(|| panic!("a {kind} part: {mail}"))
            .to_string()
    };
    let text = part("text/plain");
    let link = format!("http://localhost:8080/tickets/{}", desk.ticket);
    assert!(
        text.contains(&format!(
            "- Sinut mainittiin: #{} Parcel <lost> in Espoo",
            desk.ticket
        )),
        "{text}"
    );
    assert!(text.contains(&link), "{text}");
    let html = part("text/html");
    assert!(html.contains(&format!("<a href=\"{link}\">")), "{html}");
    assert!(html.contains("Parcel &lt;lost&gt;"), "{html}");

    let events = digested(&desk.test).await;
    assert_eq!(events.len(), 1, "{events:?}");
    let id = desk.notifications().await["items"][0]["id"].clone();
    assert_eq!(
        events[0],
        json!({"recipient_id": desk.b, "notification_ids": [id], "count": 1})
    );
    // Still unread on the bell: the mail tells, it does not read for them.
    assert_eq!(desk.notifications().await["unread"], 1);
    stop_sender(sender).await;
    desk.test.stop().await;
}

#[tokio::test]
async fn a_notification_read_before_the_delay_stays_out() {
    let desk = Desk::new(None).await;
    desk.mention().await;
    let first = desk.notifications().await["items"][0]["id"].clone();
    desk.test.advance(Duration::from_secs(60));
    desk.mention().await;
    let (status, answer) = desk
        .test
        .post(
            "/api/v1/notifications/read",
            &desk.b_token,
            json!({"ids": [first]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    desk.test.advance(BEFORE + AFTER);
    desk.step().await;
    let events = digested(&desk.test).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["count"], 1);
    assert_ne!(events[0]["notification_ids"][0], first);
    desk.test.stop().await;
}

#[tokio::test]
async fn an_agent_who_turned_email_off_gets_none() {
    let desk = Desk::new(None).await;
    let (status, prefs) = desk
        .test
        .call(
            Method::PUT,
            "/api/v1/notifications/preferences",
            &desk.b_token,
            Some(json!({"preferences": [{"kind": "mentioned", "in_app": true, "browser": true, "email": false}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{prefs}");
    assert_eq!(prefs["preferences"][1]["email"], false);
    // A change without `email` keeps it.
    let (_, prefs) = desk
        .test
        .call(
            Method::PUT,
            "/api/v1/notifications/preferences",
            &desk.b_token,
            Some(json!({"preferences": [{"kind": "mentioned", "in_app": true, "browser": false}]})),
        )
        .await;
    assert_eq!(prefs["preferences"][1]["email"], false, "{prefs}");
    desk.mention().await;
    assert_eq!(desk.notifications().await["unread"], 1, "still on the bell");
    desk.test.advance(BEFORE + AFTER);
    assert_eq!(desk.step().await, 0);
    assert!(digested(&desk.test).await.is_empty());
    desk.test.stop().await;
}

#[tokio::test]
async fn an_active_agent_gets_none() {
    let desk = Desk::new(None).await;
    let b = desk
        .test
        .app
        .staff
        .authenticate_token(&desk.b_token)
        .await
        .unwrap();
    let (cookie, _) = desk
        .test
        .app
        .staff
        .create_session(&b, "test")
        .await
        .unwrap();
    desk.mention().await;
    // B keeps working in the workspace (a session is touched at most every five minutes).
    for _ in 0..3 {
        desk.test.advance(Duration::from_secs(6 * 60));
        assert!(
            desk.test
                .app
                .staff
                .session(&cookie)
                .await
                .unwrap()
                .is_some()
        );
    }
    assert_eq!(desk.step().await, 0);
    assert!(digested(&desk.test).await.is_empty());
    // Then B leaves; what comes afterwards is mailed, what B was there for is not.
    desk.test.advance(Duration::from_secs(60));
    desk.mention().await;
    desk.test.advance(BEFORE + AFTER);
    desk.step().await;
    let events = digested(&desk.test).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["count"], 1, "{events:?}");
    desk.test.stop().await;
}

#[tokio::test]
async fn two_workers_racing_send_one_digest() {
    let desk = Desk::new(None).await;
    // On PostgreSQL a second node on the same database; on SQLite the same app twice.
    let postgres = std::env::var("TISKI_TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty());
    let node2 = if postgres {
        Some(TestApp::serve(desk.test.location.clone(), fast_settings()).await)
    } else {
        None
    };
    for _ in 0..3 {
        desk.mention().await;
    }
    desk.test.advance(BEFORE + AFTER);
    let other = match &node2 {
        Some(node) => {
            node.advance(BEFORE + AFTER);
            node.app.notify.clone()
        }
        None => desk.test.app.notify.clone(),
    };
    let (one, two) = tokio::join!(desk.test.app.notify.digest(50), other.digest(50),);
    let mailed = one.unwrap().mailed + two.unwrap().mailed;
    let events = digested(&desk.test).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(mailed <= 1, "{mailed}");
    assert_eq!(events[0]["count"], 3);
    if let Some(node) = node2 {
        node.stop().await;
    }
    desk.test.stop().await;
}

/// The settings page shows an Email column per kind, and the form keeps what was chosen.
#[tokio::test]
async fn the_settings_page_offers_and_keeps_the_email_choice() {
    use crate::ui_workspace::{signed_in, staff};
    let test = TestApp::spawn().await;
    staff(&test, "ella@example.com", "Ella Email", Role::Agent, &[]).await;
    let mut browser = signed_in(&test, "ella@example.com").await;
    let page = browser.get("/ui/settings/notifications").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let checkbox = |body: &str, kind: &str| {
        let marker = format!("data-testid=\"pref-email-{kind}\"");
        let at = body
            .find(&marker)
            .unwrap_or_else(|| panic!("{marker}: {body}"));
        let start = body[..at].rfind("<input").unwrap();
        body[start..at].contains("checked")
    };
    assert!(checkbox(&page.body, "mentioned"));
    assert!(!checkbox(&page.body, "customer_replied"));
    let saved = browser
        .htmx(
            "/ui/settings/notifications",
            &[
                ("app-assigned", "on"),
                ("browser-assigned", "on"),
                ("email-assigned", "on"),
                ("app-mentioned", "on"),
                ("app-customer_replied", "on"),
                ("email-customer_replied", "on"),
                ("app-help_requested", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(!checkbox(&saved.body, "mentioned"), "{}", saved.body);
    assert!(checkbox(&saved.body, "customer_replied"));
    let token = test
        .app
        .staff
        .create_token("ella@example.com", "t")
        .await
        .unwrap();
    let (_, prefs) = test.get("/api/v1/notifications/preferences", &token).await;
    let email: Vec<_> = prefs["preferences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["kind"].as_str().unwrap().to_string(), p["email"].clone()))
        .collect();
    assert_eq!(
        email,
        [
            ("assigned".to_string(), json!(true)),
            ("mentioned".into(), json!(false)),
            ("customer_replied".into(), json!(true)),
            ("help_requested".into(), json!(false)),
            ("sla_at_risk".into(), json!(false)),
        ]
    );
    let page = browser.get("/ui/settings/notifications").await;
    assert!(!checkbox(&page.body, "mentioned"), "kept after a reload");
    test.stop().await;
}

/// A digest's stored mail names tickets' subjects and belongs to no ticket: once delivered,
/// it is pruned with the outbox's finished rows.
#[tokio::test]
async fn a_delivered_digest_is_pruned_after_the_outbox_retention() {
    let desk = Desk::new(None).await;
    desk.mention().await;
    desk.test.advance(BEFORE + AFTER);
    desk.step().await;
    let claimed = desk.test.app.email.claim_outgoing_emails(10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let raw = String::from_utf8_lossy(&claimed[0].raw).to_string();
    assert!(raw.contains("Auto-Submitted: auto-generated"), "{raw}");
    desk.test
        .app
        .email
        .record_email_delivery(
            &claimed[0],
            tiski_email::DeliveryResult::Sent("250 ok".into()),
        )
        .await
        .unwrap();
    assert_eq!(
        desk.test.app.prune().await.unwrap().staff_mail,
        0,
        "kept a while"
    );
    desk.test
        .advance(desk.test.app.settings().outbox_retention + Duration::from_secs(3600));
    assert_eq!(desk.test.app.prune().await.unwrap().staff_mail, 1);
    assert_eq!(desk.test.app.prune().await.unwrap().staff_mail, 0);
    desk.test.stop().await;
}

/// Without a workspace language of their own, the mail is in the first language the agent
/// speaks; several notifications are counted with that language's plural.
#[tokio::test]
async fn without_a_workspace_language_the_mail_speaks_the_agents_first_language() {
    let port = free_port();
    let sink = Sink::start(port, "accept");
    let desk = Desk::new(smtp(port)).await;
    let team = desk
        .test
        .app
        .staff
        .authenticate_token(&desk.b_token)
        .await
        .unwrap()
        .team_ids;
    let polish = desk
        .test
        .app
        .staff
        .create_agent_as_system(tiski_staff::NewAgent {
            email: "pola@example.com".into(),
            name: "Pola Nowak".into(),
            role: Role::Agent,
            team_ids: team,
            languages: vec!["pl".into(), "en".into()],
            password: None,
        })
        .await
        .unwrap();
    for _ in 0..5 {
        let (status, answer) = desk
            .test
            .post(
                &format!("/api/v1/tickets/{}/messages", desk.ticket),
                &desk.a_token,
                json!({"body": "@Pola Nowak spójrz proszę", "kind": "note"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    settle(&desk.test).await;
    let sender = start_sender(&desk.test);
    desk.test.advance(BEFORE + AFTER);
    desk.step().await;
    let mails = received(&sink, 1).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["rcpt_tos"], json!([polish.email]));
    assert_eq!(
        mails[0]["headers"]["subject"],
        "tiski: 5 nowych powiadomień podczas Twojej nieobecności"
    );
    stop_sender(sender).await;
    desk.test.stop().await;
}
