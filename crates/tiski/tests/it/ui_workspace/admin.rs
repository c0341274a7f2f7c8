//! The admin pages: mailbox settings and the quarantine.

use super::{signed_in, staff};
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn admins_manage_mailboxes_and_read_the_quarantine() {
    let test = TestApp::spawn().await;
    let team = test.team("Mail desk").await;
    staff(&test, "boss@example.com", "Boss", Role::Admin, &[team]).await;
    staff(&test, "plain@example.com", "Plain", Role::Agent, &[team]).await;
    let imap_secret = "imap-secret-Zq81";
    let smtp_secret = "smtp-secret-Wx27";

    // Not for agents.
    let mut agent = signed_in(&test, "plain@example.com").await;
    for path in [
        "/admin/mailboxes",
        "/admin/quarantine",
        "/ui/quarantine/1/raw",
    ] {
        let answer = agent.get(path).await;
        assert!(
            answer.status == StatusCode::FORBIDDEN || answer.status.is_redirection(),
            "{path}: {}",
            answer.status
        );
    }
    let refused = agent
        .post(
            "/admin/mailboxes",
            &[("address", "x@example.com"), ("name", "X")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut admin = signed_in(&test, "boss@example.com").await;
    let page = admin.get("/admin/mailboxes").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"mailbox-form\""));

    // A bad host is named in a notice on the page, not a failure.
    let bad = admin
        .post(
            "/admin/mailboxes",
            &[
                ("address", "help@example.com"),
                ("name", "Help"),
                ("imap_host", "bad host!"),
                ("imap_username", "help"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("data-testid=\"flash-error\""),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("imap.host"));

    let team_id = team.to_string();
    let created = admin
        .post(
            "/admin/mailboxes",
            &[
                ("address", "help@example.com"),
                ("name", "Help desk"),
                ("team_id", &team_id),
                ("signature", "-- Help"),
                ("auto_ack", "on"),
                ("imap_host", "imap.example.invalid"),
                ("imap_port", "993"),
                ("imap_tls", "implicit"),
                ("imap_username", "help"),
                ("imap_password", imap_secret),
                ("imap_folder", "INBOX"),
                ("imap_after", "move"),
                ("imap_move_to", "Done"),
                ("smtp_host", "smtp.example.invalid"),
                ("smtp_port", "587"),
                ("smtp_tls", "starttls"),
                ("smtp_username", "help"),
                ("smtp_password", smtp_secret),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let (_, boxes) = test.get("/api/v1/mailboxes", &test.admin).await;
    let mailbox = boxes["items"]
        .as_array()
        .and_then(|items| items.iter().find(|m| m["address"] == "help@example.com"))
        .cloned()
        .expect("the new mailbox");
    let id = mailbox["id"].as_i64().expect("an id");
    assert_eq!(mailbox["team_id"], team);
    assert_eq!(mailbox["imap"]["after"], "move");
    assert_eq!(mailbox["imap"]["move_to"], "Done");
    assert_eq!(mailbox["imap"]["password_set"], true);
    assert_eq!(mailbox["smtp"]["tls"], "starttls");
    assert_eq!(mailbox["smtp"]["password_set"], true);

    // Edit with empty passwords: the stored ones stay, and the page never shows them.
    let form = admin.get(&format!("/admin/mailboxes?edit={id}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains(&format!("action=\"/admin/mailboxes/{id}\""))
    );
    assert!(form.body.contains("imap.example.invalid"));
    for page in [&page.body, &form.body, &created.body] {
        assert!(!page.contains(imap_secret) && !page.contains(smtp_secret));
    }
    // A stored password is not sent to another server: a new host needs it again.
    let moved = admin
        .post(
            &format!("/admin/mailboxes/{id}"),
            &[
                ("name", "Help desk 2"),
                ("active", "on"),
                ("imap_host", "imap2.example.invalid"),
                ("imap_port", "143"),
                ("imap_tls", "starttls"),
                ("imap_username", "help"),
                ("imap_password", ""),
            ],
        )
        .await;
    assert_ne!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert!(moved.body.contains("imap.password"), "{}", moved.body);
    let edited = admin
        .post(
            &format!("/admin/mailboxes/{id}"),
            &[
                ("name", "Help desk 2"),
                ("team_id", &team_id),
                ("signature", "-- Help"),
                ("active", "on"),
                ("imap_host", "imap.example.invalid"),
                ("imap_port", "993"),
                ("imap_tls", "implicit"),
                ("imap_username", "help"),
                ("imap_password", ""),
                ("imap_folder", "Support"),
                ("imap_after", "mark_seen"),
                ("smtp_host", "smtp.example.invalid"),
                ("smtp_port", "587"),
                ("smtp_tls", "starttls"),
                ("smtp_username", "help"),
                ("smtp_password", ""),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    let (_, mailbox) = test
        .get(&format!("/api/v1/mailboxes/{id}"), &test.admin)
        .await;
    assert_eq!(mailbox["name"], "Help desk 2");
    assert_eq!(mailbox["auto_ack"], false);
    assert_eq!(mailbox["imap"]["host"], "imap.example.invalid");
    assert_eq!(mailbox["imap"]["port"], 993);
    assert_eq!(mailbox["imap"]["folder"], "Support");
    assert_eq!(mailbox["imap"]["password_set"], true);
    assert_eq!(mailbox["smtp"]["tls"], "starttls");
    assert_eq!(mailbox["smtp"]["password_set"], true);
    let listed = admin.get("/admin/mailboxes?done=1").await;
    assert!(listed.body.contains("data-testid=\"flash-ok\""));
    assert!(!listed.body.contains(imap_secret) && !listed.body.contains(smtp_secret));

    // Removing the SMTP settings.
    let removed = admin
        .post(
            &format!("/admin/mailboxes/{id}"),
            &[
                ("name", "Help desk 2"),
                ("active", "on"),
                ("imap_host", "imap.example.invalid"),
                ("imap_username", "help"),
                ("smtp_remove", "on"),
            ],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    let (_, mailbox) = test
        .get(&format!("/api/v1/mailboxes/{id}"), &test.admin)
        .await;
    assert!(mailbox["smtp"].is_null());
    assert_eq!(mailbox["imap"]["password_set"], true);

    // Unreadable mail lands in the quarantine, listed and downloadable as it came.
    let raw = "Subject: x\r\n\r\nno sender";
    let response = test
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/mailboxes/{id}/raw"),
            Some(&test.admin),
        )
        .header("content-type", "message/rfc822")
        .body(raw.as_bytes().to_vec())
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::OK);
    let (_, quarantined) = test.get("/api/v1/quarantine", &test.admin).await;
    let qid = quarantined["items"][0]["id"]
        .as_i64()
        .expect("a quarantined message");
    let list = admin.get("/admin/quarantine").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("data-testid=\"quarantine-row\""));
    assert!(list.body.contains("help@example.com"));
    assert!(list.body.contains(&format!("/ui/quarantine/{qid}/raw")));
    let download = admin
        .http
        .get(format!("{}/ui/quarantine/{qid}/raw", admin.base))
        .header(COOKIE, admin.cookie_header())
        .send()
        .await
        .expect("the server answers");
    assert_eq!(download.status(), StatusCode::OK);
    let headers = download.headers().clone();
    assert_eq!(headers["content-type"], "message/rfc822");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("attachment")
    );
    assert_eq!(
        download.bytes().await.expect("a body").as_ref(),
        raw.as_bytes()
    );
    test.stop().await;
}
