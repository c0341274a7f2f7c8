//! The agent workspace over HTTP: signing in and out, CSRF refusals, the sign-in rate limit,
//! pages that render with hostile data escaped, permissions through the pages, the language
//! switch, macros, presence, bulk actions and the live event stream.

mod admin;
mod card_numbers;
mod downloads;
mod email_held_apart;
mod pages;
mod reshape;
mod sign_in;
mod team_moves;
mod tickets;

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::json;
use std::collections::HashMap;
use tiski_domain::Role;
use tiski_staff::NewAgent;
use tiski_testkit::TestApp;

pub(crate) const PASSWORD: &str = "correct horse battery";

/// A browser: keeps cookies, does not follow redirects, remembers the CSRF token.
pub(crate) struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: HashMap<String, String>,
    csrf: String,
}

/// An answer: status, the redirect target, the body.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) body: String,
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

    pub(crate) fn cookie_header(&self) -> String {
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

    pub(crate) async fn get(&mut self, path: &str) -> Answer {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    /// A form post with the page's CSRF token.
    pub(crate) async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
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
pub(crate) async fn staff(
    test: &TestApp,
    email: &str,
    name: &str,
    role: Role,
    teams: &[i64],
) -> i64 {
    test.app
        .staff
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

pub(crate) async fn signed_in(test: &TestApp, email: &str) -> Browser {
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

impl Browser {
    /// A changing request from the page's script (`fetch`, `XMLHttpRequest`): the CSRF token
    /// in its header, the body as given.
    pub(crate) async fn script(
        &mut self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Answer {
        let request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("x-csrf-token", self.csrf.clone())
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body);
        self.send(request).await
    }

    /// An htmx form post (the CSRF token in the header), for suites outside this module.
    pub(crate) async fn htmx(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.htmx_post(path, fields).await
    }
}
