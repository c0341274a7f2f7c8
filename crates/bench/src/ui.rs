//! The `ui` scenario: the agent workspace's two busiest pages, rendered for a signed-in agent.
//!
//! Setup signs in once through the sign-in form (GET `/login` for the form's CSRF cookie and
//! field, POST `/login`, keep the session cookie from `Set-Cookie`), and finds or prepares a
//! ticket with [`TICKET_MESSAGES`] messages through the API. The measured requests are then
//! GET `/inbox?view=all` and GET `/tickets/{id}`, half each. With `--ui-ticket-view VIEW` the
//! ticket is opened the way the inbox links it (`/tickets/{id}?view=VIEW&sort=-updated_at`),
//! so the page also looks up the next ticket of that view. Redirects are not followed, so a
//! lost session shows up as errors (303 to `/login`) instead of as fast pages.

use anyhow::{Context, bail};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::{BODIES, BenchArgs, MAX_ERROR_BODY, REQUEST_TIMEOUT, expect_status, truncate};

/// The session cookie of the workspace (`tiski_web::ui::auth::SESSION_COOKIE`).
const SESSION_COOKIE: &str = "tiski_session";
/// The sign-in form's CSRF cookie (`tiski_web::ui::auth::LOGIN_COOKIE`).
const LOGIN_COOKIE: &str = "tiski_login";
/// Tag of the ticket the scenario opens, so later runs find it instead of making another.
pub(crate) const TICKET_TAG: &str = "bench-ui";
/// Messages the measured ticket has (its first one included).
pub(crate) const TICKET_MESSAGES: usize = 100;

/// What the workers of the `ui` scenario request, with the session cookie.
pub(crate) struct UiTarget {
    /// Sends the session cookie and follows no redirects.
    pub client: reqwest::Client,
    /// The inbox page: all open tickets the agent sees.
    pub inbox_url: String,
    /// The page of the ticket with [`TICKET_MESSAGES`] messages.
    pub ticket_url: String,
}

/// Signs in as `--ui-email` (the token's user when absent) with `password`, makes sure the
/// team has a ticket with [`TICKET_MESSAGES`] messages, and checks that both pages render for
/// the session.
pub(crate) async fn prepare(
    api: &reqwest::Client,
    base: &str,
    team_id: i64,
    args: &BenchArgs,
    password: &str,
) -> anyhow::Result<UiTarget> {
    let email = match args.ui_email.as_deref() {
        Some(email) => email.trim().to_owned(),
        None => {
            let url = format!("{base}/api/v1/me");
            let resp = api
                .get(&url)
                .send()
                .await
                .with_context(|| format!("GET {url}: is the server running?"))?;
            let me = expect_status(resp, StatusCode::OK, "finding the token's user").await?;
            me["email"]
                .as_str()
                .with_context(|| format!("finding the token's user: no \"email\" in {me}"))?
                .to_owned()
        }
    };
    let ticket_id = ensure_ticket(api, base, team_id).await?;
    let session = sign_in(base, &email, password).await?;
    let client = session_client(&session, args.concurrency)?;
    let ticket_url = match &args.ui_ticket_view {
        Some(view) => format!("{base}/tickets/{ticket_id}?view={view}&sort=-updated_at"),
        None => format!("{base}/tickets/{ticket_id}"),
    };
    let target = UiTarget {
        client,
        inbox_url: format!("{base}/inbox?view=all"),
        ticket_url,
    };

    // Both pages must render for this session before anything is measured.
    let inbox = page(&target.client, &target.inbox_url, "the inbox").await?;
    let rows = count_ticket_rows(&inbox);
    if rows == 0 {
        bail!(
            "the inbox of {email} shows no tickets: does this user see team {team_id}? (an admin sees every team)"
        );
    }
    let ticket = page(&target.client, &target.ticket_url, "the ticket page").await?;
    let last = message_marker(TICKET_MESSAGES);
    if !ticket.contains(&message_marker(1)) || !ticket.contains(&last) {
        bail!(
            "the page of ticket {ticket_id} does not show all its {TICKET_MESSAGES} messages (looked for {last:?})"
        );
    }
    tracing::info!(
        %email,
        ticket_url = %target.ticket_url,
        inbox_rows = rows,
        inbox_bytes = inbox.len(),
        ticket_bytes = ticket.len(),
        "signed in; the inbox and the ticket page render"
    );
    Ok(target)
}

/// GETs a page for the session and returns its HTML, failing unless the answer is 200.
async fn page(client: &reqwest::Client, url: &str, what: &str) -> anyhow::Result<String> {
    let resp = client
        .get(url)
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    let status = resp.status();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = resp
        .text()
        .await
        .with_context(|| format!("GET {url}: reading the response"))?;
    if status != StatusCode::OK {
        let detail = match location {
            Some(to) => format!("redirected to {to} (the session was not accepted)"),
            None => truncate(&body, MAX_ERROR_BODY),
        };
        bail!("{what}: expected 200 OK, got {status}: {detail}");
    }
    Ok(body)
}

/// A client that sends the session cookie with every request and follows no redirects.
fn session_client(session: &str, concurrency: u32) -> anyhow::Result<reqwest::Client> {
    let mut cookie = HeaderValue::from_str(&format!("{SESSION_COOKIE}={session}"))
        .context("the session cookie cannot be sent in an HTTP header")?;
    cookie.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(header::COOKIE, cookie);
    plain_client(headers, concurrency)
}

fn plain_client(headers: HeaderMap, concurrency: u32) -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(std::time::Duration::from_secs(5))
        .pool_max_idle_per_host(concurrency as usize)
        .user_agent(concat!("tiski-bench/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("building the HTTP client")
}

/// Signs in through the form and returns the session token.
async fn sign_in(base: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let client = plain_client(HeaderMap::new(), 1)?;
    let url = format!("{base}/login");
    let resp = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("GET {url}: is the server running?"))?;
    let status = resp.status();
    let login_cookie = set_cookie(resp.headers(), LOGIN_COOKIE);
    let form = resp
        .text()
        .await
        .with_context(|| format!("GET {url}: reading the response"))?;
    if status != StatusCode::OK {
        bail!(
            "the sign-in form: expected 200 OK, got {status}: {}",
            truncate(&form, MAX_ERROR_BODY)
        );
    }
    let login_cookie = login_cookie
        .filter(|c| !c.is_empty())
        .with_context(|| format!("GET {url} set no {LOGIN_COOKIE} cookie"))?;
    let csrf = hidden_field(&form, "csrf").unwrap_or_else(|| login_cookie.clone());

    let body = form_encode(&[
        ("csrf", &csrf),
        ("email", email),
        ("password", password),
        ("next", "/inbox"),
    ]);
    let mut cookie = HeaderValue::from_str(&format!("{LOGIN_COOKIE}={login_cookie}"))
        .context("the sign-in cookie cannot be sent in an HTTP header")?;
    cookie.set_sensitive(true);
    let resp = client
        .post(&url)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    let status = resp.status();
    let session = set_cookie(resp.headers(), SESSION_COOKIE).filter(|s| !s.is_empty());
    match session {
        Some(session) if status.is_redirection() => Ok(session),
        _ => {
            let hint = match status.as_u16() {
                401 => " (are --ui-email and --ui-password / TISKI_BENCH_UI_PASSWORD right?)",
                429 => " (too many sign-in attempts; wait 15 minutes or restart the server)",
                403 => " (the CSRF check refused the form)",
                _ => "",
            };
            bail!(
                "signing in as {email}: expected a redirect with a session cookie, got {status}{hint}"
            );
        }
    }
}

/// Finds the team's ticket tagged [`TICKET_TAG`], or creates it, and tops it up to
/// [`TICKET_MESSAGES`] messages. Returns its id.
async fn ensure_ticket(api: &reqwest::Client, base: &str, team_id: i64) -> anyhow::Result<i64> {
    let tickets = format!("{base}/api/v1/tickets");
    let url = format!("{tickets}?team_id={team_id}&tag={TICKET_TAG}&limit=1");
    let resp = api
        .get(&url)
        .send()
        .await
        .with_context(|| format!("GET {url}: is the server running?"))?;
    let found = expect_status(resp, StatusCode::OK, "looking for the ui ticket").await?;
    let existing = found["items"]
        .as_array()
        .and_then(|items| items.first())
        .and_then(|t| t["id"].as_i64());
    let id = match existing {
        Some(id) => id,
        None => {
            let resp = api
                .post(&tickets)
                .json(&json!({
                    "subject": "Order arrived damaged, and a long conversation since (bench ui)",
                    "requester": {
                        "email": "long.conversation@bench.example.com",
                        "name": "Liisa Pitkänen",
                    },
                    "team_id": team_id,
                    "priority": "high",
                    "tags": [TICKET_TAG],
                    "message": { "body": message_body(1) },
                }))
                .send()
                .await
                .with_context(|| format!("POST {tickets}"))?;
            let ticket = expect_status(resp, StatusCode::CREATED, "creating the ui ticket").await?;
            ticket["id"]
                .as_i64()
                .with_context(|| format!("creating the ui ticket: no integer \"id\" in {ticket}"))?
        }
    };

    let messages = format!("{tickets}/{id}/messages");
    let resp = api
        .get(format!("{messages}?limit=200"))
        .send()
        .await
        .with_context(|| format!("GET {messages}"))?;
    let page = expect_status(resp, StatusCode::OK, "counting the ui ticket's messages").await?;
    let have = page["items"].as_array().map_or(0, Vec::len);
    if have < TICKET_MESSAGES {
        tracing::info!(
            ticket_id = id,
            have,
            adding = TICKET_MESSAGES - have,
            "preparing the ui ticket"
        );
    }
    for n in have + 1..=TICKET_MESSAGES {
        let resp = api
            .post(&messages)
            .json(&message_payload(n))
            .send()
            .await
            .with_context(|| format!("POST {messages}"))?;
        expect_status(
            resp,
            StatusCode::CREATED,
            "adding a message to the ui ticket",
        )
        .await?;
    }
    Ok(id)
}

/// Message `n` (1-based) of the conversation: customer messages, agent replies and internal
/// notes taking turns, ending with the customer (so the ticket stays open).
fn message_payload(n: usize) -> Value {
    let body = message_body(n);
    match n % 4 {
        2 => json!({ "body": body, "author": "agent", "kind": "reply" }),
        3 => json!({ "body": body, "author": "agent", "kind": "note" }),
        _ => json!({ "body": body, "author": "customer" }),
    }
}

fn message_body(n: usize) -> String {
    let text = BODIES[n % BODIES.len()];
    format!(
        "{text}\n\nThe parcel was left at the door and the box was crushed on one side; the \
         order number is 2026-{n:05}. Photos are attached to my earlier message.\n\n{}",
        message_marker(n)
    )
}

/// Text unique to message `n`, to check that the page shows the whole conversation.
fn message_marker(n: usize) -> String {
    format!("(bench ui message {n} of {TICKET_MESSAGES})")
}

/// Number of ticket rows in an inbox page.
fn count_ticket_rows(html: &str) -> usize {
    html.matches("data-testid=\"ticket-row-").count()
}

/// The value of cookie `name` set by a response (the last `Set-Cookie` for it wins).
fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.trim().split_once('='))
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .next_back()
}

/// The value of the first `<input … name="NAME" value="…">` in `html` (attribute order as
/// the templates write it), with the few entities askama escapes undone.
fn hidden_field(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle)? + needle.len();
    let end = html[start..].find('"')? + start;
    Some(
        html[start..end]
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// Parses `--ui-ticket-view`: an inbox view name (`all`, `mine`, `saved-3`, …).
pub(crate) fn parse_view(text: &str) -> Result<String, String> {
    let ok = !text.is_empty()
        && text.len() <= 40
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(text.to_owned())
    } else {
        Err("an inbox view: all, mine, unassigned, pending, solved or saved-ID".to_owned())
    }
}

/// `application/x-www-form-urlencoded` encoding of `pairs`.
fn form_encode(pairs: &[(&str, &str)]) -> String {
    fn encode(out: &mut String, text: &str) {
        for b in text.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                    out.push(b as char)
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
    }
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(&mut out, k);
        out.push('=');
        encode(&mut out, v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_escapes_everything_but_unreserved() {
        assert_eq!(
            form_encode(&[("email", "a+b@x.fi"), ("password", "p ä&=%")]),
            "email=a%2Bb%40x.fi&password=p+%C3%A4%26%3D%25"
        );
        assert_eq!(form_encode(&[]), "");
    }

    #[test]
    fn set_cookie_finds_the_named_cookie() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::SET_COOKIE,
            HeaderValue::from_static("tiski_lang=fi; Path=/"),
        );
        headers.append(
            header::SET_COOKIE,
            HeaderValue::from_static("tiski_session=tks_abc; Path=/; HttpOnly; SameSite=Lax"),
        );
        headers.append(
            header::SET_COOKIE,
            HeaderValue::from_static("tiski_login=; Path=/; Max-Age=0"),
        );
        assert_eq!(
            set_cookie(&headers, SESSION_COOKIE).as_deref(),
            Some("tks_abc")
        );
        assert_eq!(set_cookie(&headers, LOGIN_COOKIE).as_deref(), Some(""));
        assert_eq!(set_cookie(&headers, "tiski"), None);
    }

    #[test]
    fn hidden_field_reads_the_csrf_input() {
        let html = r#"<form method="post" action="/login">
    <input type="hidden" name="csrf" value="0a1b&amp;2c">
    <input type="hidden" name="next" value="/inbox"></form>"#;
        assert_eq!(hidden_field(html, "csrf").as_deref(), Some("0a1b&2c"));
        assert_eq!(hidden_field(html, "next").as_deref(), Some("/inbox"));
        assert_eq!(hidden_field(html, "email"), None);
    }

    #[test]
    fn the_conversation_ends_with_the_customer_and_is_marked() {
        let last = message_payload(TICKET_MESSAGES);
        assert_eq!(last["author"], "customer");
        assert!(
            last["body"]
                .as_str()
                .unwrap()
                .ends_with(&message_marker(TICKET_MESSAGES))
        );
        let kinds: Vec<_> = (1..=4)
            .map(|n| message_payload(n)["kind"].as_str().unwrap_or("").to_owned())
            .collect();
        assert_eq!(kinds, ["", "reply", "note", ""]);
        // Markers are unique: "message 1 of" is not a prefix of "message 10 of".
        assert!(!message_marker(10).contains(&message_marker(1)));
    }

    /// A tiny blocking HTTP/1.1 server with just enough of the sign-in flow, the API and the
    /// two pages.
    mod mock {
        use std::io::{BufRead, BufReader, Read, Write};
        use std::net::{TcpListener, TcpStream};
        use std::sync::atomic::{AtomicU64, Ordering};
        use std::sync::{Arc, Mutex};

        pub const PASSWORD: &str = "correct horse & battery";
        const CSRF: &str = "c5rf000000000000000000000000000000000000000000ab";
        const SESSION: &str = "tks_session0123";

        #[derive(Default)]
        pub struct State {
            pub messages: Mutex<Vec<String>>,
            pub tickets_created: AtomicU64,
            pub sign_ins: AtomicU64,
            pub pages: AtomicU64,
            pub ticket_queries: Mutex<Vec<String>>,
        }

        pub fn start() -> (String, Arc<State>) {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let state = Arc::new(State::default());
            let st = Arc::clone(&state);
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let st = Arc::clone(&st);
                    std::thread::spawn(move || serve(stream, &st));
                }
            });
            (url, state)
        }

        fn form(body: &str, name: &str) -> Option<String> {
            body.split('&')
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| {
                    let v = v.replace('+', " ");
                    let mut out = Vec::new();
                    let b = v.as_bytes();
                    let mut i = 0;
                    while i < b.len() {
                        if b[i] == b'%' {
                            out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                            i += 3;
                        } else {
                            out.push(b[i]);
                            i += 1;
                        }
                    }
                    String::from_utf8(out).unwrap()
                })
        }

        fn serve(stream: TcpStream, st: &State) {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut out = stream;
            out.set_nodelay(true).unwrap();
            loop {
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                    return;
                }
                let (mut content_length, mut auth, mut cookie) =
                    (0usize, String::new(), String::new());
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    let (name, value) = line.split_once(':').unwrap();
                    match name.to_ascii_lowercase().as_str() {
                        "content-length" => content_length = value.trim().parse().unwrap(),
                        "authorization" => auth = value.trim().to_owned(),
                        "cookie" => cookie = value.trim().to_owned(),
                        _ => {}
                    }
                }
                let mut body = vec![0; content_length];
                reader.read_exact(&mut body).unwrap();
                let body = String::from_utf8(body).unwrap();
                let mut parts = request_line.split_whitespace();
                let method = parts.next().unwrap_or_default();
                let target = parts.next().unwrap_or_default();
                let path = target.split('?').next().unwrap_or_default();
                let api = auth == "Bearer good";
                let signed_in = cookie == format!("tiski_session={SESSION}");
                let mut extra = String::new();
                let (status, reply) = match (method, path) {
                    ("GET", "/login") => {
                        extra = format!("set-cookie: tiski_login={CSRF}; Path=/; HttpOnly\r\n");
                        (
                            200,
                            format!(r#"<form><input type="hidden" name="csrf" value="{CSRF}">"#),
                        )
                    }
                    ("POST", "/login") => {
                        st.sign_ins.fetch_add(1, Ordering::Relaxed);
                        let csrf_ok = cookie == format!("tiski_login={CSRF}")
                            && form(&body, "csrf").as_deref() == Some(CSRF);
                        if !csrf_ok {
                            (403, "csrf".to_owned())
                        } else if form(&body, "email").as_deref() == Some("agent@example.com")
                            && form(&body, "password").as_deref() == Some(PASSWORD)
                        {
                            extra = format!(
                                "location: /inbox\r\nset-cookie: tiski_session={SESSION}; Path=/\r\nset-cookie: tiski_login=; Max-Age=0\r\n"
                            );
                            (303, String::new())
                        } else {
                            (401, "wrong".to_owned())
                        }
                    }
                    ("GET", "/inbox") | ("GET", "/tickets/1") if !signed_in => {
                        extra = "location: /login\r\n".to_owned();
                        (303, String::new())
                    }
                    ("GET", "/inbox") => {
                        assert!(target.ends_with("?view=all"), "{target}");
                        st.pages.fetch_add(1, Ordering::Relaxed);
                        (200, r#"<tr data-testid="ticket-row-1"></tr>"#.repeat(50))
                    }
                    ("GET", "/tickets/1") => {
                        st.ticket_queries.lock().unwrap().push(target.to_owned());
                        st.pages.fetch_add(1, Ordering::Relaxed);
                        (200, st.messages.lock().unwrap().join("<hr>"))
                    }
                    _ if !api => (401, "unauthorized".to_owned()),
                    ("GET", "/api/v1/me") => (200, r#"{"email":"agent@example.com"}"#.to_owned()),
                    ("GET", "/api/v1/tickets") => {
                        assert!(target.contains("tag=bench-ui") && target.contains("team_id=3"));
                        let items = if st.tickets_created.load(Ordering::Relaxed) > 0 {
                            r#"{"id":1}"#
                        } else {
                            ""
                        };
                        (200, format!(r#"{{"items":[{items}]}}"#))
                    }
                    ("POST", "/api/v1/tickets") => {
                        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                        assert_eq!(v["tags"][0], "bench-ui");
                        st.tickets_created.fetch_add(1, Ordering::Relaxed);
                        let text = v["message"]["body"].as_str().unwrap().to_owned();
                        st.messages.lock().unwrap().push(text);
                        (201, r#"{"id":1}"#.to_owned())
                    }
                    ("GET", "/api/v1/tickets/1/messages") => {
                        let n = st.messages.lock().unwrap().len();
                        let items = vec!["{}"; n].join(",");
                        (200, format!(r#"{{"items":[{items}]}}"#))
                    }
                    ("POST", "/api/v1/tickets/1/messages") => {
                        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                        let text = v["body"].as_str().unwrap().to_owned();
                        st.messages.lock().unwrap().push(text);
                        (201, "{}".to_owned())
                    }
                    _ => (404, "not found".to_owned()),
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\n{extra}content-length: {}\r\n\r\n",
                    reply.len()
                );
                if out.write_all(format!("{head}{reply}").as_bytes()).is_err() {
                    return;
                }
            }
        }
    }

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        bench: crate::BenchArgs,
    }

    fn args(url: &str, extra: &[&str]) -> crate::BenchArgs {
        use clap::Parser;
        let mut argv = vec![
            "bench",
            "--url",
            url,
            "--token",
            "good",
            "--scenario",
            "ui",
            "--team-id",
            "3",
        ];
        argv.extend_from_slice(extra);
        Cli::try_parse_from(argv).unwrap().bench
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ui_run_signs_in_prepares_the_ticket_and_measures_both_pages() {
        use std::sync::atomic::Ordering;
        let (url, state) = mock::start();
        let run_args = [
            "--ui-password",
            mock::PASSWORD,
            "--concurrency",
            "3",
            "--requests",
            "200",
            "--warmup",
            "6",
        ];
        let report = crate::run(args(&url, &run_args)).await.unwrap();
        assert_eq!(report.requests_ok, 200, "{report}");
        assert_eq!(report.errors, 0, "{report}");
        let ops: Vec<_> = report
            .operations
            .iter()
            .map(|o| (o.operation.as_str(), o.ok))
            .collect();
        assert_eq!(ops.len(), 2, "{report}");
        assert!(ops.iter().all(|(_, ok)| *ok > 40), "{ops:?}");
        assert_eq!(ops[0].0, "inbox");
        assert_eq!(ops[1].0, "ticket");
        assert!(report.latency.p95_ms.is_some());
        assert!(report.to_string().contains("p95"));
        assert_eq!(state.sign_ins.load(Ordering::Relaxed), 1);
        assert_eq!(state.tickets_created.load(Ordering::Relaxed), 1);
        assert_eq!(state.messages.lock().unwrap().len(), TICKET_MESSAGES);
        // Two checks during setup, the warmup, then the measured requests.
        assert_eq!(state.pages.load(Ordering::Relaxed), 2 + 6 + 200);
        assert!(
            state
                .ticket_queries
                .lock()
                .unwrap()
                .iter()
                .all(|t| t == "/tickets/1")
        );

        // A second run finds the ticket instead of making another; this one opens it from a view.
        state.ticket_queries.lock().unwrap().clear();
        let mut from_view = run_args.to_vec();
        from_view.extend(["--ui-ticket-view", "all"]);
        let report = crate::run(args(&url, &from_view)).await.unwrap();
        assert_eq!(report.errors, 0, "{report}");
        assert!(
            state
                .ticket_queries
                .lock()
                .unwrap()
                .iter()
                .all(|t| t == "/tickets/1?view=all&sort=-updated_at")
        );
        assert_eq!(state.tickets_created.load(Ordering::Relaxed), 1);
        assert_eq!(state.messages.lock().unwrap().len(), TICKET_MESSAGES);
        assert_eq!(state.sign_ins.load(Ordering::Relaxed), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ui_run_needs_the_right_password() {
        let (url, state) = mock::start();
        let err = crate::run(args(&url, &[])).await.unwrap_err().to_string();
        assert!(err.contains("--ui-password"), "{err}");
        assert_eq!(state.pages.load(std::sync::atomic::Ordering::Relaxed), 0);

        let err = crate::run(args(&url, &["--ui-password", "nope", "--warmup", "0"]))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("401") && err.contains("--ui-password"),
            "{err}"
        );
        let dbg = format!("{:?}", args(&url, &["--ui-password", "s3cret"]));
        assert!(!dbg.contains("s3cret"), "{dbg}");
        use clap::Parser;
        for bad in ["", "All", "all&x=1", "../x"] {
            let argv = ["bench", "--token", "t", "--ui-ticket-view", bad];
            assert!(Cli::try_parse_from(argv).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn inbox_rows_are_counted() {
        let html = r#"<tr class="ticket-row" data-href="/tickets/1" data-testid="ticket-row-1">
<a href="/tickets/1" data-testid="ticket-link-1">a</a></tr>
<tr data-testid="ticket-row-2"></tr><a href="/inbox">"#;
        assert_eq!(count_ticket_rows(html), 2);
    }
}
