//! Pages that render with hostile data escaped, permissions through the pages, and the language
//! switch.

use super::{Browser, signed_in, staff, ticket_in};
use reqwest::StatusCode;
use tiski_domain::Role;
use tiski_testkit::TestApp;

#[tokio::test]
async fn pages_render_and_escape_hostile_strings() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    staff(&test, "eve@example.com", "Eve Admin", Role::Admin, &[team]).await;
    let hostile_subject = "<script>alert('subject')</script>";
    let hostile_name = "<img src=x onerror=alert(1)> \u{202e}evil";
    let hostile_body = "\"><svg onload=alert(2)> body";
    let id = ticket_in(&test, team, hostile_subject, hostile_name, hostile_body).await;
    let (_, customer) = test
        .get(&format!("/api/v1/tickets/{id}"), &test.admin)
        .await;
    let customer_id = customer["requester"]["id"].as_i64().unwrap();
    let mut browser = signed_in(&test, "eve@example.com").await;

    let pages = [
        "/inbox?view=all".to_string(),
        "/inbox?view=unassigned&sort=-priority".to_string(),
        "/inbox?view=pending".to_string(),
        "/inbox?view=solved&sort=created_at".to_string(),
        format!("/tickets/{id}?view=all"),
        format!("/ui/tickets/{id}/timeline"),
        format!("/ui/tickets/{id}/properties"),
        "/ui/inbox/counts".to_string(),
        "/ui/inbox/list?view=all".to_string(),
        "/customers".to_string(),
        format!("/customers?q={}", "img"),
        format!("/customers/{customer_id}"),
        "/settings".to_string(),
        "/macros".to_string(),
        "/views/new".to_string(),
        "/admin/agents".to_string(),
        "/admin/teams".to_string(),
        "/admin/webhooks".to_string(),
        "/admin/mailboxes".to_string(),
        "/admin/tokens".to_string(),
    ];
    for page in &pages {
        let answer = browser.get(page).await;
        assert_eq!(answer.status, StatusCode::OK, "{page}: {}", answer.body);
        for raw in ["<script>alert", "<img src=x", "<svg onload"] {
            assert!(!answer.body.contains(raw), "{page} renders {raw} unescaped");
        }
    }
    let ticket = browser.get(&format!("/tickets/{id}")).await;
    // askama writes < > " ' as numeric character references.
    assert!(
        ticket
            .body
            .contains("&#60;script&#62;alert(&#39;subject&#39;)&#60;/script&#62;")
    );
    assert!(ticket.body.contains("&#60;img src=x onerror=alert(1)&#62;"));
    assert!(
        ticket
            .body
            .contains("&#34;&#62;&#60;svg onload=alert(2)&#62; body")
    );
    let inbox = browser.get("/inbox?view=all").await;
    assert!(
        inbox
            .body
            .contains(&format!("data-testid=\"ticket-row-{id}\""))
    );

    // Assets are embedded and cached for long.
    let css = test
        .request(reqwest::Method::GET, "/assets/app.css", None)
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let htmx = test
        .request(reqwest::Method::GET, "/assets/vendor/htmx.min.js", None)
        .send()
        .await
        .unwrap();
    assert_eq!(htmx.status(), StatusCode::OK);
    test.stop().await;
}

#[tokio::test]
async fn an_agent_cannot_open_a_ticket_outside_their_teams() {
    let test = TestApp::spawn().await;
    let billing = test.team("Billing").await;
    let returns = test.team("Returns").await;
    staff(
        &test,
        "fay@example.com",
        "Fay Agent",
        Role::Agent,
        &[returns],
    )
    .await;
    let secret = ticket_in(
        &test,
        billing,
        "Billing secret",
        "Hidden Customer",
        "private",
    )
    .await;
    let (_, ticket) = test
        .get(&format!("/api/v1/tickets/{secret}"), &test.admin)
        .await;
    let customer = ticket["requester"]["id"].as_i64().unwrap();
    let mut browser = signed_in(&test, "fay@example.com").await;

    assert_eq!(
        browser.get(&format!("/tickets/{secret}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser
            .get(&format!("/ui/tickets/{secret}/timeline"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser.get(&format!("/customers/{customer}")).await.status,
        StatusCode::NOT_FOUND
    );
    let all = browser.get("/inbox?view=all").await;
    assert!(!all.body.contains("Billing secret"));
    let unassigned = browser.get("/inbox?view=unassigned").await;
    assert!(!unassigned.body.contains("Billing secret"));
    let customers = browser.get("/customers").await;
    assert!(!customers.body.contains("Hidden Customer"));
    let reply = browser
        .htmx_post(
            &format!("/ui/tickets/{secret}/messages"),
            &[("body", "sneaky")],
        )
        .await;
    assert!(
        reply.body.contains("flash-error"),
        "refused: {}",
        reply.body
    );
    let update = browser
        .post(
            &format!("/ui/tickets/{secret}/update"),
            &[("status", "solved")],
        )
        .await;
    assert_eq!(update.status, StatusCode::NOT_FOUND);
    // Admin pages are for admins.
    assert_eq!(
        browser.get("/admin/agents").await.status,
        StatusCode::FORBIDDEN
    );
    test.stop().await;
}

#[tokio::test]
async fn the_language_switch_shows_finnish() {
    let test = TestApp::spawn().await;
    let team = test.team("Tuki").await;
    staff(&test, "gia@example.com", "Gia Agent", Role::Agent, &[team]).await;
    let mut browser = signed_in(&test, "gia@example.com").await;
    browser.get("/settings").await;
    let switched = browser
        .post("/ui/settings/language", &[("locale", "fi")])
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let inbox = browser.get("/inbox").await;
    assert!(inbox.body.contains("lang=\"fi\""));
    assert!(inbox.body.contains("Omat, avoimet"), "Finnish view names");
    assert!(inbox.body.contains("Saapuneet"));
    assert!(!inbox.body.contains("Mine, open"));
    // The choice is the user's: a new session keeps it.
    let mut again = signed_in(&test, "gia@example.com").await;
    assert!(again.get("/settings").await.body.contains("Työtilan kieli"));
    // An unknown language is refused.
    let bad = browser
        .post("/ui/settings/language", &[("locale", "xx")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The sign-in page follows the browser's language.
    let mut polish = Browser::new(&test);
    let request = polish
        .http
        .get(format!("{}/login", polish.base))
        .header("accept-language", "pl-PL,pl;q=0.9");
    assert!(polish.send(request).await.body.contains("Zaloguj się"));
    test.stop().await;
}
