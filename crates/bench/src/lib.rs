//! `tiski bench`: a bounded HTTP load generator for a tiski server running on this machine.
//!
//! The generator only talks to loopback addresses, and every run is capped both by a number
//! of requests and by a wall-clock duration, whichever comes first, so it always stops by
//! itself. Call [`run`] with parsed [`BenchArgs`] to get a [`Report`], or [`run_and_print`]
//! to also print it.

mod args;
mod edi;
mod op;
mod phase;
mod report;
mod setup;
mod smtp;
mod target;
#[cfg(test)]
mod tests;
mod ui;

use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;

pub use args::{BenchArgs, Scenario};
pub use report::{FirstError, Latency, OperationReport, Report, StopReason, percentile};
pub use target::{TargetError, check_base_url, is_loopback_host};

use op::Target;
use phase::run_phase;
use setup::{build_client, ensure_open_tickets, find_or_create_team};

/// Per-request timeout, so a stuck server cannot keep the run alive past its caps for long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest error body kept in the report.
const MAX_ERROR_BODY: usize = 500;

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
    if args.scenario == Scenario::Edi {
        edi::prepare(&target.client, &base).await?;
    }
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
