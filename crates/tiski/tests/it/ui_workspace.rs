//! The agent workspace over HTTP: signing in and out, CSRF refusals, the sign-in rate limit,
//! pages that render with hostile data escaped, permissions through the pages, the language
//! switch, macros, presence, bulk actions and the live event stream.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;
use tiski_app::NewAgent;
use tiski_domain::Role;
use tiski_testkit::TestApp;

const PASSWORD: &str = "correct horse battery";

/// A browser: keeps cookies, does not follow redirects, remembers the CSRF token.
struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: HashMap<String, String>,
    csrf: String,
}

/// An answer: status, the redirect target, the body.
struct Answer {
    status: StatusCode,
    location: Option<String>,
    body: String,
    set_cookies: Vec<String>,
}

impl Browser {
    fn new(test: &TestApp) -> Browser {
        Browser {
            base: test.url.clone(),
            http: reqwest::Client::builder()
                .no_proxy()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a client"),
            cookies: HashMap::new(),
            csrf: String::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Answer {
        let response = request
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .expect("the server answers");
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let set_cookies: Vec<String> = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        for cookie in &set_cookies {
            let pair = cookie.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || cookie.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
        }
        let body = response.text().await.unwrap_or_default();
        if let Some(token) = hidden_csrf(&body) {
            self.csrf = token;
        }
        Answer {
            status,
            location,
            body,
            set_cookies,
        }
    }

    async fn get(&mut self, path: &str) -> Answer {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    /// A form post with the page's CSRF token.
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone();
        all.push(("csrf", &csrf));
        self.post_raw(path, &all).await
    }

    /// A form post exactly as given (no CSRF token added).
    async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let request = self.http.post(format!("{}{path}", self.base)).form(fields);
        self.send(request).await
    }

    /// An htmx post: the CSRF token in the header.
    async fn htmx_post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("hx-request", "true")
            .header("x-csrf-token", self.csrf.clone())
            .form(fields);
        self.send(request).await
    }

    async fn sign_in(&mut self, email: &str, password: &str) -> Answer {
        let page = self.get("/login").await;
        assert_eq!(page.status, StatusCode::OK);
        self.post(
            "/login",
            &[("email", email), ("password", password), ("next", "/inbox")],
        )
        .await
    }
}

/// The value of the first hidden `csrf` input, or the `data-csrf` of the page body.
fn hidden_csrf(html: &str) -> Option<String> {
    for marker in ["name=\"csrf\" value=\"", "data-csrf=\""] {
        if let Some(start) = html.find(marker) {
            let rest = &html[start + marker.len()..];
            return rest.split('"').next().map(str::to_string);
        }
    }
    None
}

/// A staff user with a password, in `teams`.
async fn staff(test: &TestApp, email: &str, name: &str, role: Role, teams: &[i64]) -> i64 {
    test.app
        .create_agent_as_system(NewAgent {
            email: email.into(),
            name: name.into(),
            role,
            team_ids: teams.to_vec(),
            languages: vec!["en".into()],
            password: Some(PASSWORD.into()),
        })
        .await
        .expect("create a user")
        .id
}

async fn signed_in(test: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::new(test);
    let answer = browser.sign_in(email, PASSWORD).await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "sign-in failed: {}",
        answer.body
    );
    let inbox = browser.get("/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK);
    browser
}

async fn ticket_in(test: &TestApp, team: i64, subject: &str, name: &str, body: &str) -> i64 {
    test.ticket(
        &test.admin,
        json!({
            "subject": subject,
            "team_id": team,
            "requester": {"email": format!("c{}@example.com", rand_suffix()), "name": name},
            "message": {"body": body},
            "language": "en"
        }),
    )
    .await["id"]
        .as_i64()
        .expect("a ticket id")
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

#[tokio::test]
async fn sign_in_and_out() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    staff(&test, "ann@example.com", "Ann Agent", Role::Agent, &[team]).await;
    let mut browser = Browser::new(&test);

    // Not signed in: pages send to the sign-in form.
    let inbox = browser.get("/inbox").await;
    assert_eq!(inbox.status, StatusCode::SEE_OTHER);
    assert!(inbox.location.unwrap().starts_with("/login"));

    let page = browser.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"login-form\""));
    assert!(
        page.body.contains("<label for=\"email\">"),
        "fields are labelled"
    );

    // The wrong password is refused with a message.
    let wrong = browser
        .post(
            "/login",
            &[
                ("email", "ann@example.com"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("login-error"));

    let ok = browser.sign_in("ANN@example.com", PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location.as_deref(), Some("/inbox"));
    let cookie = ok
        .set_cookies
        .iter()
        .find(|c| c.starts_with("tiski_session=tss_"))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http gets no Secure flag: {cookie}"
    );
    let token = browser.cookies["tiski_session"].clone();
    // Only the digest is stored.
    let stored: i64 = test
        .app
        .store()
        .read(move |conn| {
            conn.query_scalar::<i64>(
                "SELECT COUNT(*) FROM sessions WHERE token_hash = $1",
                tiski_store::params![token.as_str()],
            )
        })
        .await
        .unwrap();
    assert_eq!(stored, 0, "the raw token must not be stored");

    let inbox = browser.get("/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(inbox.body.contains("Ann Agent"));
    assert!(inbox.body.contains("Mine, open"));
    let headers = browser
        .http
        .get(format!("{}/inbox", browser.base))
        .header(COOKIE, browser.cookie_header())
        .send()
        .await
        .unwrap();
    let csp = headers.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(headers.headers()["cache-control"], "no-store");

    let out = browser.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = browser.get("/inbox").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "signed out");

    // Over https (as a proxy reports it) the cookie is Secure.
    let mut secure = Browser::new(&test);
    secure.get("/login").await;
    let csrf = secure.csrf.clone();
    let request = secure
        .http
        .post(format!("{}/login", secure.base))
        .header("x-forwarded-proto", "https")
        .form(&[
            ("email", "ann@example.com"),
            ("password", PASSWORD),
            ("csrf", &csrf),
        ]);
    let answer = secure.send(request).await;
    assert!(
        answer
            .set_cookies
            .iter()
            .any(|c| c.starts_with("tiski_session=") && c.contains("; Secure")),
        "{:?}",
        answer.set_cookies
    );
    test.stop().await;
}

#[tokio::test]
async fn changing_requests_need_the_csrf_token() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    staff(&test, "ben@example.com", "Ben Agent", Role::Agent, &[team]).await;
    let id = ticket_in(&test, team, "Kettle", "Aino Virtanen", "It leaks.").await;
    let mut browser = signed_in(&test, "ben@example.com").await;
    let path = format!("/ui/tickets/{id}/messages");

    let none = browser
        .post_raw(&path, &[("body", "no token"), ("kind", "note")])
        .await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    let wrong = browser
        .post_raw(
            &path,
            &[
                ("body", "wrong token"),
                ("kind", "note"),
                ("csrf", "forged"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // A cross-site origin is refused even with the token.
    let csrf = browser.csrf.clone();
    let request = browser
        .http
        .post(format!("{}{path}", browser.base))
        .header("origin", "https://evil.example")
        .header("x-csrf-token", csrf)
        .form(&[("body", "cross-site"), ("kind", "note")]);
    assert_eq!(browser.send(request).await.status, StatusCode::FORBIDDEN);
    // The sign-in form needs its own token too.
    let mut stranger = Browser::new(&test);
    let login = stranger
        .post_raw(
            "/login",
            &[("email", "ben@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);

    let messages = test
        .get(&format!("/api/v1/tickets/{id}/messages"), &test.admin)
        .await;
    assert_eq!(
        messages.1["items"].as_array().unwrap().len(),
        1,
        "nothing was added"
    );

    let ok = browser
        .htmx_post(&path, &[("body", "With the token."), ("kind", "note")])
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("With the token."));
    assert!(ok.body.contains("message-note"));
    test.stop().await;
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_email() {
    let test = TestApp::spawn().await;
    staff(&test, "cai@example.com", "Cai Agent", Role::Agent, &[]).await;
    let mut browser = Browser::new(&test);
    browser.get("/login").await;
    for _ in 0..5 {
        let answer = browser
            .post(
                "/login",
                &[
                    ("email", "cai@example.com"),
                    ("password", "guess guess guess"),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let limited = browser
        .post(
            "/login",
            &[("email", "cai@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("Too many sign-in attempts"));
    // Another email is not affected.
    staff(&test, "dan@example.com", "Dan Agent", Role::Agent, &[]).await;
    let other = browser
        .post(
            "/login",
            &[("email", "dan@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    test.stop().await;
}

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

#[tokio::test]
async fn macros_fill_placeholders_and_apply_their_changes() {
    let test = TestApp::spawn().await;
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
        .reload_actor(&tiski_app::Actor {
            id: hana,
            ..test.system()
        })
        .await
        .unwrap()
        .unwrap();
    let macros = test
        .app
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
    let all = test.app.list_macros(&actor, None, None).await.unwrap();
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
    let edited = admin
        .post(
            &format!("/admin/mailboxes/{id}"),
            &[
                ("name", "Help desk 2"),
                ("team_id", &team_id),
                ("signature", "-- Help"),
                ("active", "on"),
                ("imap_host", "imap2.example.invalid"),
                ("imap_port", "143"),
                ("imap_tls", "starttls"),
                ("imap_username", "help"),
                ("imap_password", ""),
                ("imap_folder", "Support"),
                ("imap_after", "mark_seen"),
                ("smtp_host", "smtp.example.invalid"),
                ("smtp_tls", "implicit"),
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
    assert_eq!(mailbox["imap"]["host"], "imap2.example.invalid");
    assert_eq!(mailbox["imap"]["port"], 143);
    assert_eq!(mailbox["imap"]["folder"], "Support");
    assert_eq!(mailbox["imap"]["password_set"], true);
    assert_eq!(mailbox["smtp"]["tls"], "implicit");
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
                ("imap_host", "imap2.example.invalid"),
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
