//! Attacks on signing in, sessions, tokens and event streams, performed over HTTP against a
//! running server: parallel guessing, lock-out of the owner, forged proxy headers, open
//! redirects, streams that outlive a revocation, sign-out, password reset or deactivation (on
//! a second node too), too many streams, and the token API and command line.

mod redirects;
mod signin;
mod streams;
mod tokens;
mod two_factor;
mod two_factor_policy;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;
use tiski_domain::Role;
use tiski_staff::NewAgent;
use tiski_testkit::TestApp;
use tokio::time::Instant;

const PASSWORD: &str = "correct horse battery";
/// A made-up sign-in form token: the form's CSRF check compares it with its own cookie.
const FORM: &str = "0123456789abcdef0123456789abcdef0123456789abcdef";
/// How long an asynchronous outcome may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(15);

/// An HTTP client whose connections come from `ip` (any 127.x address is loopback), so a
/// test has several clients by their socket address; redirects are not followed.
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .local_address(ip.parse::<std::net::IpAddr>().expect("an address"))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// A staff user with a password; their id.
async fn staff(test: &TestApp, email: &str, role: Role, teams: &[i64]) -> i64 {
    test.app
        .staff
        .create_agent_as_system(NewAgent {
            email: email.into(),
            name: format!("User {email}"),
            role,
            team_ids: teams.to_vec(),
            languages: vec!["en".into()],
            password: Some(PASSWORD.into()),
        })
        .await
        .expect("create a user")
        .id
}

/// The answer to a sign-in.
struct SignIn {
    status: StatusCode,
    location: Option<String>,
    set_cookies: Vec<String>,
}

impl SignIn {
    /// The session token the answer set, when it signed in.
    fn session(&self) -> Option<String> {
        self.set_cookies.iter().find_map(|c| {
            c.strip_prefix("tiski_session=")
                .and_then(|rest| rest.split(';').next())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        })
    }
}

/// Posts the sign-in form from `client`, with extra headers.
async fn sign_in(
    client: &reqwest::Client,
    test: &TestApp,
    email: &str,
    password: &str,
    next: Option<&str>,
    headers: &[(&str, &str)],
) -> SignIn {
    let mut form = vec![("csrf", FORM), ("email", email), ("password", password)];
    if let Some(next) = next {
        form.push(("next", next));
    }
    let mut request = client
        .post(format!("{}/login", test.url))
        .header(COOKIE, format!("tiski_login={FORM}"))
        .form(&form);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the server answers");
    SignIn {
        status: response.status(),
        location: response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        set_cookies: response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect(),
    }
}

/// Signs `email` in from loopback and returns the session token.
async fn session_of(test: &TestApp, email: &str) -> String {
    let answer = sign_in(&client_from("127.0.0.1"), test, email, PASSWORD, None, &[]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "signing in {email}");
    answer.session().expect("a session cookie")
}

/// A ticket in `team`, created by the admin; its id.
async fn ticket_in(test: &TestApp, team: i64, subject: &str) -> i64 {
    test.ticket(
        &test.admin,
        json!({
            "subject": subject,
            "team_id": team,
            "requester": {"email": "requester@example.com"},
            "message": {"body": "Hello."},
        }),
    )
    .await["id"]
        .as_i64()
        .expect("a ticket id")
}

/// An open event stream's body, read as it comes.
struct Stream {
    response: reqwest::Response,
    /// Everything read so far.
    text: String,
}

impl Stream {
    /// Opens the API stream with a token on `node`.
    async fn api(node: &TestApp, token: &str) -> Stream {
        let response = node
            .request(Method::GET, "/api/v1/events/stream", Some(token))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), StatusCode::OK, "opening the API stream");
        Stream {
            response,
            text: String::new(),
        }
    }

    /// Opens the workspace stream with a session cookie on `node`.
    async fn ui(node: &TestApp, session: &str) -> Stream {
        let response = client_from("127.0.0.1")
            .get(format!("{}/ui/events", node.url))
            .header(COOKIE, format!("tiski_session={session}"))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), StatusCode::OK, "opening the UI stream");
        Stream {
            response,
            text: String::new(),
        }
    }

    /// Reads until `needle` has arrived; fails after [`DEADLINE`].
    async fn until(&mut self, needle: &str) {
        let deadline = Instant::now() + DEADLINE;
        while !self.text.contains(needle) {
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Ok(Ok(Some(chunk))) => self.text.push_str(&String::from_utf8_lossy(&chunk)),
                Ok(Ok(None)) => panic!("the stream ended before {needle:?}: {}", self.text),
                Ok(Err(error)) => panic!("reading the stream failed: {error}"),
                Err(_) => panic!("{needle:?} did not arrive: {}", self.text),
            }
        }
    }

    /// Reads until the server ends the stream and returns what came after this call; fails
    /// when it is still open after [`DEADLINE`].
    async fn ends(mut self) -> String {
        let deadline = Instant::now() + DEADLINE;
        let mut rest = String::new();
        loop {
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Ok(Ok(Some(chunk))) => rest.push_str(&String::from_utf8_lossy(&chunk)),
                Ok(Ok(None)) | Ok(Err(_)) => return rest,
                Err(_) => panic!("the stream is still open; it sent: {rest}"),
            }
        }
    }
}
