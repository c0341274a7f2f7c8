//! Unit tests of the `ui` scenario: whole runs against a mock server with the sign-in flow, the
//! API and the two pages.

use super::*;

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
            let (mut content_length, mut auth, mut cookie) = (0usize, String::new(), String::new());
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
