//! Unit tests of the crate: argument parsing, the operation mix, and whole runs against a
//! mock server.

use super::*;
use crate::op::{Op, ticket_payload, truncate};
use clap::Parser;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::sync::atomic::Ordering;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    bench: BenchArgs,
}

#[test]
fn args_defaults_and_parsing() {
    let cli = Cli::try_parse_from(["bench", "--token", "t0k", "--scenario", "mixed"]).unwrap();
    let a = cli.bench;
    assert_eq!(a.url, "http://127.0.0.1:8080");
    assert_eq!(a.scenario, Scenario::Mixed);
    assert_eq!(a.concurrency, 32);
    assert_eq!(a.requests, 20_000);
    assert_eq!(a.duration, 30);
    assert_eq!(a.team_id, None);
    assert_eq!(a.warmup, 200);
    assert!(!a.json);
    assert!(!format!("{a:?}").contains("t0k"));
    assert!(Cli::try_parse_from(["bench", "--token", "t", "--concurrency", "0"]).is_err());
    assert!(Cli::try_parse_from(["bench", "--token", "t", "--scenario", "nope"]).is_err());
}

#[tokio::test]
async fn run_refuses_remote_urls_before_sending_anything() {
    let cli = Cli::try_parse_from([
        "bench",
        "--token",
        "t",
        "--url",
        "http://example.com:8080",
        "--team-id",
        "1",
    ])
    .unwrap();
    let err = run(cli.bench).await.unwrap_err();
    assert!(err.to_string().contains("not loopback"), "{err}");
}

#[test]
fn mixed_scenario_is_mostly_lists() {
    let mut rng = StdRng::seed_from_u64(7);
    let creates = (0..10_000)
        .filter(|_| Op::pick(Scenario::Mixed, &mut rng) == Op::Create)
        .count();
    assert!((1_700..2_300).contains(&creates), "{creates}");
    assert_eq!(Op::pick(Scenario::Create, &mut rng), Op::Create);
    assert_eq!(Op::pick(Scenario::List, &mut rng), Op::List);
}

#[test]
fn ticket_payload_matches_the_api_contract() {
    let mut rng = StdRng::seed_from_u64(1);
    let t = ticket_payload(&mut rng, 9, 42);
    assert_eq!(t["team_id"], 9);
    assert_eq!(t["priority"], "normal");
    assert!(t["subject"].as_str().unwrap().contains("#42"));
    let email = t["requester"]["email"].as_str().unwrap();
    assert!(email.starts_with("customer") && email.ends_with("@bench.example.com"));
    assert!(!t["requester"]["name"].as_str().unwrap().is_empty());
    assert!(!t["message"]["body"].as_str().unwrap().is_empty());
}

/// A tiny blocking HTTP/1.1 server implementing just enough of the tiski API contract.
mod mock {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[derive(Default)]
    pub struct State {
        pub open: AtomicU64,
        pub created: AtomicU64,
        pub patched: AtomicU64,
        pub listed: AtomicU64,
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

    fn serve(stream: TcpStream, st: &State) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut out = stream;
        out.set_nodelay(true).unwrap();
        loop {
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                return;
            }
            let mut content_length = 0usize;
            let mut auth = String::new();
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
                    _ => {}
                }
            }
            let mut body = vec![0; content_length];
            reader.read_exact(&mut body).unwrap();
            let mut parts = request_line.split_whitespace();
            let method = parts.next().unwrap_or_default();
            let target = parts.next().unwrap_or_default();
            let path = target.split('?').next().unwrap_or_default();
            let (status, reply) = if auth != "Bearer good" {
                (401, r#"{"error":"unauthorized"}"#.to_owned())
            } else {
                match (method, path) {
                    ("GET", "/api/v1/teams") => {
                        (200, r#"{"items":[{"id":1,"name":"Support"}]}"#.to_owned())
                    }
                    ("POST", "/api/v1/teams") => (201, r#"{"id":7,"name":"Bench"}"#.to_owned()),
                    ("POST", "/api/v1/tickets") => {
                        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
                        assert!(v["requester"]["email"].is_string());
                        let id = st.created.fetch_add(1, Ordering::Relaxed) + 1;
                        (201, format!(r#"{{"id":{id},"status":"new"}}"#))
                    }
                    ("GET", "/api/v1/tickets") => {
                        assert!(target.contains("status=open") && target.contains("limit=50"));
                        st.listed.fetch_add(1, Ordering::Relaxed);
                        let n = st.open.load(Ordering::Relaxed).min(50);
                        let items = vec!["{}"; n as usize].join(",");
                        (200, format!(r#"{{"items":[{items}],"next_cursor":null}}"#))
                    }
                    ("PATCH", p) if p.starts_with("/api/v1/tickets/") => {
                        st.patched.fetch_add(1, Ordering::Relaxed);
                        st.open.fetch_add(1, Ordering::Relaxed);
                        (200, "{}".to_owned())
                    }
                    _ => (404, r#"{"error":"not found"}"#.to_owned()),
                }
            };
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                reply.len()
            );
            // One write per response, so Nagle's algorithm does not add delayed-ACK latency.
            if out.write_all(format!("{head}{reply}").as_bytes()).is_err() {
                return;
            }
        }
    }
}

fn args(url: &str, extra: &[&str]) -> BenchArgs {
    let mut argv = vec!["bench", "--url", url];
    argv.extend_from_slice(extra);
    Cli::try_parse_from(argv).unwrap().bench
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_run_against_mock_server_stops_at_request_cap() {
    let (url, state) = mock::start();
    let a = args(
        &url,
        &[
            "--token",
            "good",
            "--scenario",
            "mixed",
            "--concurrency",
            "4",
            "--requests",
            "300",
            "--warmup",
            "10",
            "--duration",
            "60",
        ],
    );
    let report = run(a).await.unwrap();
    assert_eq!(report.team_id, 7);
    assert_eq!(report.requests_ok, 300, "{report}");
    assert_eq!(report.errors, 0, "{report}");
    assert_eq!(report.stopped_by, StopReason::RequestCap);
    assert_eq!(report.latency.samples, 300);
    assert!(report.throughput_rps > 0.0);
    // Seeding: 60 tickets were created and opened before measuring.
    assert_eq!(state.patched.load(Ordering::Relaxed), 60);
    let creates: u64 = report
        .operations
        .iter()
        .filter(|o| o.operation == "create")
        .map(|o| o.ok)
        .sum();
    assert!(creates > 0 && creates < 300, "{report}");
    // Everything else the server created came from seeding (60) or warmup (at most 10).
    let warmup_creates = state.created.load(Ordering::Relaxed) - 60 - creates;
    assert!(warmup_creates <= 10);
    assert_eq!(
        state.listed.load(Ordering::Relaxed),
        1 + 10 - warmup_creates + 300 - creates
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_run_stops_at_duration_cap() {
    let (url, state) = mock::start();
    let a = args(
        &url,
        &[
            "--token",
            "good",
            "--scenario",
            "create",
            "--concurrency",
            "2",
            "--requests",
            "10000000",
            "--warmup",
            "0",
            "--duration",
            "1",
            "--team-id",
            "3",
        ],
    );
    let report = run(a).await.unwrap();
    assert_eq!(report.stopped_by, StopReason::DurationCap);
    assert!(
        report.elapsed_secs >= 1.0 && report.elapsed_secs < 5.0,
        "{report}"
    );
    assert_eq!(report.requests_ok, state.created.load(Ordering::Relaxed));
    assert_eq!(state.listed.load(Ordering::Relaxed), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_2xx_answers_are_counted_as_errors() {
    let (url, _state) = mock::start();
    let a = args(
        &url,
        &[
            "--token",
            "bad",
            "--scenario",
            "create",
            "--concurrency",
            "2",
            "--requests",
            "20",
            "--warmup",
            "0",
            "--team-id",
            "3",
        ],
    );
    let report = run(a).await.unwrap();
    assert_eq!(report.requests_ok, 0);
    assert_eq!(report.errors, 20);
    assert_eq!(report.errors_by_status.get("401"), Some(&20));
    let first = report.first_error.unwrap();
    assert_eq!(first.status, "401");
    assert!(first.body.contains("unauthorized"));
    assert_eq!(report.latency.p50_ms, None);

    // Without --team-id, setup fails with a clear message instead.
    let a = args(&url, &["--token", "bad", "--warmup", "0"]);
    let err = run(a).await.unwrap_err().to_string();
    assert!(err.contains("401") && err.contains("--token"), "{err}");
}

#[test]
fn truncate_respects_char_boundaries() {
    assert_eq!(truncate("short", 10), "short");
    assert_eq!(truncate("ääää", 3), "ä…");
}
