//! The command line of `tiski bench`: [`BenchArgs`] and the [`Scenario`]s it can generate.

use std::fmt;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::ui;

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
    /// X12 850 purchase orders (POST /api/v1/edi) from a bench trading partner (found or made),
    /// each answered after its order and its 997 and 855 are committed.
    Edi,
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scenario::Create => "create",
            Scenario::List => "list",
            Scenario::Mixed => "mixed",
            Scenario::Email => "email",
            Scenario::Ui => "ui",
            Scenario::Edi => "edi",
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
