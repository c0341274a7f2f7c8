//! `tiski bench`: a bounded HTTP load generator for a tiski server running on this machine.
//!
//! The generator only talks to loopback addresses, and every run is capped both by a number
//! of requests and by a wall-clock duration, whichever comes first, so it always stops by
//! itself. Call [`run`] with parsed [`BenchArgs`] to get a [`Report`], or [`run_and_print`]
//! to also print it.

mod report;
mod smtp;
mod target;
mod ui;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde::Serialize;
use serde_json::{Value, json};

pub use report::{FirstError, Latency, OperationReport, Report, StopReason, percentile};
pub use target::{TargetError, check_base_url, is_loopback_host};

/// Number of distinct customer e-mail addresses tickets are created for, so customers get reused.
const CUSTOMER_POOL: u32 = 5000;
/// Page size of the measured list request.
const LIST_LIMIT: usize = 50;
/// The `list` scenario makes sure the team has at least this many open tickets...
const MIN_OPEN_TICKETS: usize = 50;
/// ...by creating (and opening) this many when it has fewer.
const SEED_TICKETS: usize = 60;
/// Name of the team used when `--team-id` is not given.
const BENCH_TEAM: &str = "Bench";
/// Per-request timeout, so a stuck server cannot keep the run alive past its caps for long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest error body kept in the report.
const MAX_ERROR_BODY: usize = 500;

/// What kind of traffic to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// Create tickets (POST /api/v1/tickets) for customers drawn from a pool of 5000 addresses.
    Create,
    /// List the team's open tickets (GET /api/v1/tickets?status=open&limit=50).
    List,
    /// 80% list, 20% create.
    Mixed,
    /// Customer email over SMTP into `--smtp` for `--mailbox`, half of it replies to earlier
    /// messages (each message: connect, EHLO, MAIL, RCPT, DATA, 250 after commit).
    Email,
    /// The agent workspace, signed in as `--ui-email`: half GET /inbox?view=all, half GET
    /// /tickets/{id} of a ticket with 100 messages (found by its `bench-ui` tag, or created).
    Ui,
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scenario::Create => "create",
            Scenario::List => "list",
            Scenario::Mixed => "mixed",
            Scenario::Email => "email",
            Scenario::Ui => "ui",
        })
    }
}

/// Generate load against a tiski server on this machine and report throughput and latency.
///
/// Only loopback URLs (127.0.0.0/8, ::1, localhost) are accepted. The run stops after
/// `--requests` requests or `--duration` seconds, whichever comes first.
#[derive(Clone, Args)]
pub struct BenchArgs {
    /// Base URL of the tiski server; must be a loopback address.
    #[arg(long, env = "TISKI_BENCH_URL", default_value = "http://127.0.0.1:8080")]
    pub url: String,

    /// API token sent as `Authorization: Bearer <token>` (see `tiski token create`).
    #[arg(long, env = "TISKI_TOKEN", hide_env_values = true)]
    pub token: String,

    /// Traffic to generate.
    #[arg(long, value_enum, default_value_t = Scenario::Create)]
    pub scenario: Scenario,

    /// Number of concurrent workers (each keeps one request in flight).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,

    /// Maximum number of measured requests (the run stops at this or --duration, whichever comes first).
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub requests: u64,

    /// Maximum length of the measured phase, in seconds (the run stops at this or --requests, whichever comes first).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub duration: u64,

    /// Team to create tickets in and list from. If absent, a team named "Bench" is found or created.
    #[arg(long)]
    pub team_id: Option<i64>,

    /// Requests sent before measuring starts (to warm connections and caches); not counted in the report.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub warmup: u64,

    /// Also print the report as JSON (after the human-readable table).
    #[arg(long)]
    pub json: bool,

    /// The SMTP listener for the email scenario (`tiski serve --smtp-listen`); loopback only.
    #[arg(long, default_value = "127.0.0.1:2525")]
    pub smtp: std::net::SocketAddr,

    /// The mailbox address the email scenario writes to.
    #[arg(long, default_value = "support@bench.example.com")]
    pub mailbox: String,

    /// The user the ui scenario signs in as; the token's user when absent.
    #[arg(long)]
    pub ui_email: Option<String>,

    /// The password the ui scenario signs in with.
    #[arg(long, env = "TISKI_BENCH_UI_PASSWORD", hide_env_values = true)]
    pub ui_password: Option<String>,

    /// Open the ui scenario's ticket the way the inbox links it from this view
    /// (`/tickets/ID?view=VIEW&sort=-updated_at`, which also finds the view's next ticket);
    /// plain `/tickets/ID` when absent.
    #[arg(long, value_parser = ui::parse_view)]
    pub ui_ticket_view: Option<String>,
}

impl fmt::Debug for BenchArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BenchArgs")
            .field("url", &self.url)
            .field("token", &"<redacted>")
            .field("scenario", &self.scenario)
            .field("concurrency", &self.concurrency)
            .field("requests", &self.requests)
            .field("duration", &self.duration)
            .field("team_id", &self.team_id)
            .field("warmup", &self.warmup)
            .field("json", &self.json)
            .field("smtp", &self.smtp)
            .field("mailbox", &self.mailbox)
            .field("ui_email", &self.ui_email)
            .field(
                "ui_password",
                &self.ui_password.as_ref().map(|_| "<redacted>"),
            )
            .field("ui_ticket_view", &self.ui_ticket_view)
            .finish()
    }
}

/// Runs the benchmark described by `args` and prints the report to stdout (as a table, then as
/// JSON when `--json` is set).
pub async fn run_and_print(args: BenchArgs) -> anyhow::Result<Report> {
    let json = args.json;
    let report = run(args).await?;
    print!("{report}");
    if json {
        println!("{}", report.to_json_pretty());
    }
    Ok(report)
}

/// Runs the benchmark described by `args` and returns its report.
///
/// Fails before sending anything if the URL is not loopback or the arguments are out of range,
/// and fails during setup (team lookup/creation, seeding open tickets) if the server answers
/// unexpectedly. Failed requests during the measured phase are counted in the report instead.
pub async fn run(args: BenchArgs) -> anyhow::Result<Report> {
    let base = check_base_url(&args.url)?;
    if args.token.trim().is_empty() {
        bail!("--token (or TISKI_TOKEN) is empty");
    }
    if args.concurrency == 0 || args.requests == 0 || args.duration == 0 {
        bail!("--concurrency, --requests and --duration must all be at least 1");
    }
    let ui_password = match (args.scenario, args.ui_password.as_deref()) {
        (Scenario::Ui, Some(password)) if !password.is_empty() => Some(password),
        (Scenario::Ui, _) => {
            bail!("--scenario ui needs --ui-password (or TISKI_BENCH_UI_PASSWORD)")
        }
        _ => None,
    };

    let client = build_client(&args.token, args.concurrency)?;
    let team_id = match args.team_id {
        Some(id) => id,
        None => find_or_create_team(&client, &base).await?,
    };
    tracing::info!(%base, team_id, scenario = %args.scenario, "tiski bench starting");

    if args.scenario == Scenario::Email && !args.smtp.ip().is_loopback() {
        bail!("--smtp must be a loopback address; {} is not", args.smtp);
    }
    let ui = match ui_password {
        Some(password) => Some(ui::prepare(&client, &base, team_id, &args, password).await?),
        None => None,
    };
    let mut target = Target::new(client, &base, team_id, args.smtp, &args.mailbox);
    target.ui = ui;
    let target = Arc::new(target);
    if matches!(args.scenario, Scenario::List | Scenario::Mixed) {
        ensure_open_tickets(&target).await?;
    }

    let duration = Duration::from_secs(args.duration);
    if args.warmup > 0 {
        tracing::info!(requests = args.warmup, "warming up");
        let warm = run_phase(
            &target,
            args.scenario,
            args.concurrency,
            args.warmup,
            duration,
        )
        .await;
        tracing::info!(ok = warm.ok(), errors = warm.errors(), "warmup done");
    }

    tracing::info!(
        concurrency = args.concurrency,
        requests = args.requests,
        duration_secs = args.duration,
        "measuring"
    );
    let phase = run_phase(
        &target,
        args.scenario,
        args.concurrency,
        args.requests,
        duration,
    )
    .await;
    Ok(phase.into_report(&args, &base, team_id))
}

fn build_client(token: &str, concurrency: u32) -> anyhow::Result<reqwest::Client> {
    // reqwest is built without a default rustls provider; installing fails harmlessly if one
    // is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut auth = HeaderValue::from_str(&format!("Bearer {}", token.trim()))
        .context("the token contains characters that cannot be sent in an HTTP header")?;
    auth.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(header::AUTHORIZATION, auth);
    reqwest::Client::builder()
        .default_headers(headers)
        // Never route loopback traffic through an HTTP(S)_PROXY from the environment.
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(concurrency as usize)
        .user_agent(concat!("tiski-bench/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("building the HTTP client")
}

/// Reads a setup response, failing with a helpful message unless its status is `expected`.
async fn expect_status(
    resp: reqwest::Response,
    expected: reqwest::StatusCode,
    what: &str,
) -> anyhow::Result<Value> {
    let status = resp.status();
    let body = resp
        .text()
        .await
        .with_context(|| format!("{what}: reading the response"))?;
    if status != expected {
        let hint = match status.as_u16() {
            401 => " (is --token / TISKI_TOKEN valid?)",
            403 => " (does the token's user have permission? an admin token is simplest)",
            _ => "",
        };
        bail!(
            "{what}: expected {expected}, got {status}{hint}: {}",
            truncate(&body, MAX_ERROR_BODY)
        );
    }
    serde_json::from_str(&body)
        .with_context(|| format!("{what}: response is not JSON: {}", truncate(&body, 200)))
}

async fn find_or_create_team(client: &reqwest::Client, base: &str) -> anyhow::Result<i64> {
    let url = format!("{base}/api/v1/teams");
    let resp = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("GET {url}: is the server running?"))?;
    let teams = expect_status(resp, reqwest::StatusCode::OK, "listing teams").await?;
    let existing = teams["items"].as_array().and_then(|items| {
        items
            .iter()
            .find(|t| t["name"].as_str() == Some(BENCH_TEAM))
            .and_then(|t| t["id"].as_i64())
    });
    if let Some(id) = existing {
        tracing::info!(team_id = id, "using existing team {BENCH_TEAM:?}");
        return Ok(id);
    }
    let resp = client
        .post(&url)
        .json(&json!({ "name": BENCH_TEAM }))
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    let team = expect_status(resp, reqwest::StatusCode::CREATED, "creating team").await?;
    let id = team["id"]
        .as_i64()
        .with_context(|| format!("creating team: no integer \"id\" in {team}"))?;
    tracing::info!(team_id = id, "created team {BENCH_TEAM:?}");
    Ok(id)
}

/// Makes sure the team has enough open tickets for the list scenario to be meaningful.
async fn ensure_open_tickets(target: &Target) -> anyhow::Result<()> {
    let resp = target
        .client
        .get(&target.list_url)
        .send()
        .await
        .with_context(|| format!("GET {}: is the server running?", target.list_url))?;
    let page = expect_status(resp, reqwest::StatusCode::OK, "listing open tickets").await?;
    let open = page["items"]
        .as_array()
        .map(Vec::len)
        .with_context(|| format!("listing open tickets: no \"items\" array in {page}"))?;
    if open >= MIN_OPEN_TICKETS {
        return Ok(());
    }
    tracing::info!(
        open,
        creating = SEED_TICKETS,
        "seeding open tickets for the list scenario"
    );
    let mut rng = StdRng::from_os_rng();
    for seq in 0..SEED_TICKETS as u64 {
        let resp = target
            .client
            .post(&target.create_url)
            .json(&ticket_payload(&mut rng, target.team_id, seq))
            .send()
            .await
            .with_context(|| format!("POST {}", target.create_url))?;
        let ticket =
            expect_status(resp, reqwest::StatusCode::CREATED, "creating a seed ticket").await?;
        let id = ticket["id"]
            .as_i64()
            .with_context(|| format!("creating a seed ticket: no integer \"id\" in {ticket}"))?;
        let url = format!("{}/{id}", target.create_url);
        let resp = target
            .client
            .patch(&url)
            .json(&json!({ "status": "open" }))
            .send()
            .await
            .with_context(|| format!("PATCH {url}"))?;
        expect_status(resp, reqwest::StatusCode::OK, "opening a seed ticket").await?;
    }
    Ok(())
}

/// Everything a worker needs to send requests.
struct Target {
    client: reqwest::Client,
    team_id: i64,
    create_url: String,
    list_url: String,
    smtp: std::net::SocketAddr,
    mailbox: String,
    /// The signed-in pages of the ui scenario.
    ui: Option<ui::UiTarget>,
}

impl Target {
    fn new(
        client: reqwest::Client,
        base: &str,
        team_id: i64,
        smtp: std::net::SocketAddr,
        mailbox: &str,
    ) -> Self {
        Target {
            client,
            team_id,
            smtp,
            mailbox: mailbox.to_owned(),
            ui: None,
            create_url: format!("{base}/api/v1/tickets"),
            list_url: format!(
                "{base}/api/v1/tickets?team_id={team_id}&status=open&limit={LIST_LIMIT}"
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    List,
    Email,
    Inbox,
    Ticket,
}

/// Number of kinds of [`Op`].
const OPS: usize = 5;

impl Op {
    const ALL: [Op; OPS] = [Op::Create, Op::List, Op::Email, Op::Inbox, Op::Ticket];

    fn index(self) -> usize {
        match self {
            Op::Create => 0,
            Op::List => 1,
            Op::Email => 2,
            Op::Inbox => 3,
            Op::Ticket => 4,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::List => "list",
            Op::Email => "email",
            Op::Inbox => "inbox",
            Op::Ticket => "ticket",
        }
    }

    fn pick(scenario: Scenario, rng: &mut impl Rng) -> Op {
        match scenario {
            Scenario::Create => Op::Create,
            Scenario::List => Op::List,
            Scenario::Email => Op::Email,
            Scenario::Ui => {
                if rng.random_bool(0.5) {
                    Op::Inbox
                } else {
                    Op::Ticket
                }
            }
            Scenario::Mixed => {
                if rng.random_bool(0.2) {
                    Op::Create
                } else {
                    Op::List
                }
            }
        }
    }
}

const SUBJECTS: &[&str] = &[
    "Cannot log in to my account",
    "Invoice amount looks wrong",
    "Password reset e-mail never arrives",
    "Order has not shipped yet",
    "Refund request",
    "App crashes on startup",
    "How do I export my data?",
    "Change billing address",
    "Two-factor code not accepted",
    "Feature request: dark mode",
    "Delivery arrived damaged",
    "Subscription renewed unexpectedly",
];

const BODIES: &[&str] = &[
    "Hello, I have been trying for a while and nothing seems to work. Could you help?",
    "Hi team, please see the details below. This started happening yesterday afternoon.",
    "Good morning. I followed the instructions in the help centre but the problem remains.",
    "Hi, a colleague of mine has the same issue. We would appreciate a quick answer.",
];

const FIRST_NAMES: &[&str] = &[
    "Aino", "Ben", "Carla", "Dmitri", "Eeva", "Farid", "Grace", "Hiro", "Ines", "Jonas",
];
const LAST_NAMES: &[&str] = &[
    "Virtanen", "Okafor", "Silva", "Ivanov", "Korhonen", "Haddad", "Nguyen", "Tanaka", "Garcia",
    "Berg",
];

/// A realistic-looking ticket for a customer drawn from a pool of [`CUSTOMER_POOL`].
fn ticket_payload(rng: &mut impl Rng, team_id: i64, seq: u64) -> Value {
    let customer = rng.random_range(0..CUSTOMER_POOL) as usize;
    let first = FIRST_NAMES[customer % FIRST_NAMES.len()];
    let last = LAST_NAMES[(customer / FIRST_NAMES.len()) % LAST_NAMES.len()];
    let subject = SUBJECTS[rng.random_range(0..SUBJECTS.len())];
    let body = BODIES[rng.random_range(0..BODIES.len())];
    json!({
        "subject": format!("{subject} (bench #{seq})"),
        "requester": {
            "email": format!("customer{customer:04}@bench.example.com"),
            "name": format!("{first} {last}"),
        },
        "team_id": team_id,
        "priority": "normal",
        "message": { "body": format!("{body}\n\nReference: bench-{seq}") },
    })
}

/// Why a single request failed.
struct Failure {
    status: String,
    body: String,
}

async fn perform(target: &Target, op: Op, rng: &mut StdRng, seq: u64) -> Result<(), Failure> {
    let request = match op {
        Op::Create => {
            target
                .client
                .post(&target.create_url)
                .json(&ticket_payload(rng, target.team_id, seq))
        }
        Op::List => target.client.get(&target.list_url),
        Op::Email => {
            let (from, message) = smtp::message(seq, &target.mailbox);
            return smtp::send(target.smtp, &from, &target.mailbox, &message)
                .await
                .map_err(|(status, body)| Failure { status, body });
        }
        Op::Inbox | Op::Ticket => {
            let Some(ui) = &target.ui else {
                return Err(Failure {
                    status: "setup".to_owned(),
                    body: "the ui scenario was not prepared".to_owned(),
                });
            };
            let url = if op == Op::Inbox {
                &ui.inbox_url
            } else {
                &ui.ticket_url
            };
            ui.client.get(url)
        }
    };
    let transport = |e: reqwest::Error| Failure {
        status: "transport".to_owned(),
        body: error_chain(&e),
    };
    let resp = request.send().await.map_err(transport)?;
    let status = resp.status();
    // Always read the body, both to measure the full response and to keep the connection reusable.
    let body = resp.bytes().await.map_err(transport)?;
    if status.is_success() {
        Ok(())
    } else {
        Err(Failure {
            status: status.as_u16().to_string(),
            body: truncate(&String::from_utf8_lossy(&body), MAX_ERROR_BODY),
        })
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Per-operation measurements from one or more workers.
#[derive(Default)]
struct OpStats {
    latencies: Vec<Duration>,
    errors: BTreeMap<String, u64>,
    first_error: Option<(Instant, FirstError)>,
}

impl OpStats {
    fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    fn merge(&mut self, other: OpStats) {
        self.latencies.extend(other.latencies);
        for (status, n) in other.errors {
            *self.errors.entry(status).or_default() += n;
        }
        if let Some((at, err)) = other.first_error
            && self.first_error.as_ref().is_none_or(|(mine, _)| at < *mine)
        {
            self.first_error = Some((at, err));
        }
    }
}

/// Results of one phase (warmup or measurement).
struct Phase {
    scenario: Scenario,
    ops: [OpStats; OPS],
    elapsed: Duration,
    stopped_by: StopReason,
}

impl Phase {
    fn ok(&self) -> u64 {
        self.ops.iter().map(|s| s.latencies.len() as u64).sum()
    }

    fn errors(&self) -> u64 {
        self.ops.iter().map(OpStats::error_count).sum()
    }

    fn into_report(mut self, args: &BenchArgs, base: &str, team_id: i64) -> Report {
        let requests_ok = self.ok();
        let errors = self.errors();
        let mut errors_by_status = BTreeMap::new();
        let mut first_error: Option<(Instant, FirstError)> = None;
        let mut all = Vec::with_capacity(requests_ok as usize);
        let mut operations = Vec::new();
        for op in Op::ALL {
            let stats = &mut self.ops[op.index()];
            for (status, n) in &stats.errors {
                *errors_by_status.entry(status.clone()).or_default() += n;
            }
            if let Some((at, err)) = stats.first_error.take()
                && first_error.as_ref().is_none_or(|(mine, _)| at < *mine)
            {
                first_error = Some((at, err));
            }
            let op_errors = stats.error_count();
            all.extend_from_slice(&stats.latencies);
            let exercised = !stats.latencies.is_empty() || op_errors > 0;
            if exercised {
                operations.push(OperationReport {
                    operation: op.name().to_owned(),
                    ok: stats.latencies.len() as u64,
                    errors: op_errors,
                    latency: Latency::from_samples(&mut stats.latencies),
                });
            }
        }
        let elapsed_secs = self.elapsed.as_secs_f64();
        let throughput_rps = if elapsed_secs > 0.0 {
            requests_ok as f64 / elapsed_secs
        } else {
            0.0
        };
        Report {
            scenario: self.scenario,
            url: base.to_owned(),
            team_id,
            concurrency: args.concurrency,
            warmup_requests: args.warmup,
            requests_ok,
            errors,
            errors_by_status,
            first_error: first_error.map(|(_, e)| e),
            elapsed_secs,
            stopped_by: self.stopped_by,
            throughput_rps,
            latency: Latency::from_samples(&mut all),
            operations,
        }
    }
}

/// Runs `concurrency` workers until `limit` requests have been issued or `max_duration` has
/// elapsed, whichever comes first.
async fn run_phase(
    target: &Arc<Target>,
    scenario: Scenario,
    concurrency: u32,
    limit: u64,
    max_duration: Duration,
) -> Phase {
    let issued = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + max_duration;
    let per_worker = usize::try_from(limit / u64::from(concurrency) + 1)
        .unwrap_or(usize::MAX)
        .min(1 << 20);

    let mut workers = Vec::with_capacity(concurrency as usize);
    for _ in 0..concurrency {
        let target = Arc::clone(target);
        let issued = Arc::clone(&issued);
        workers.push(tokio::spawn(async move {
            let mut rng = StdRng::from_os_rng();
            let mut ops: [OpStats; OPS] = Default::default();
            for stats in &mut ops {
                stats.latencies.reserve(per_worker);
            }
            loop {
                if Instant::now() >= deadline {
                    break;
                }
                let seq = issued.fetch_add(1, Ordering::Relaxed);
                if seq >= limit {
                    break;
                }
                let op = Op::pick(scenario, &mut rng);
                let started = Instant::now();
                let outcome = perform(&target, op, &mut rng, seq).await;
                let took = started.elapsed();
                let stats = &mut ops[op.index()];
                match outcome {
                    Ok(()) => stats.latencies.push(took),
                    Err(failure) => {
                        *stats.errors.entry(failure.status.clone()).or_default() += 1;
                        if stats.first_error.is_none() {
                            stats.first_error = Some((
                                started,
                                FirstError {
                                    operation: op.name().to_owned(),
                                    status: failure.status,
                                    body: failure.body,
                                },
                            ));
                        }
                    }
                }
            }
            ops
        }));
    }

    let mut ops: [OpStats; OPS] = Default::default();
    for worker in workers {
        match worker.await {
            Ok(worker_ops) => {
                for (mine, theirs) in ops.iter_mut().zip(worker_ops) {
                    mine.merge(theirs);
                }
            }
            Err(e) => tracing::error!(error = %e, "bench worker failed"),
        }
    }
    let elapsed = start.elapsed();
    let stopped_by = if issued.load(Ordering::Relaxed) >= limit {
        StopReason::RequestCap
    } else {
        StopReason::DurationCap
    };
    Phase {
        scenario,
        ops,
        elapsed,
        stopped_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

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
}
