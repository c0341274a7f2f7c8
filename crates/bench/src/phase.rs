//! The phase runner: workers sending requests until a cap is reached, and what they measured.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::op::{OPS, Op, Target, perform};
use crate::{BenchArgs, FirstError, Latency, OperationReport, Report, Scenario, StopReason};

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
pub(crate) struct Phase {
    scenario: Scenario,
    ops: [OpStats; OPS],
    elapsed: Duration,
    stopped_by: StopReason,
}

impl Phase {
    pub(crate) fn ok(&self) -> u64 {
        self.ops.iter().map(|s| s.latencies.len() as u64).sum()
    }

    pub(crate) fn errors(&self) -> u64 {
        self.ops.iter().map(OpStats::error_count).sum()
    }

    pub(crate) fn into_report(mut self, args: &BenchArgs, base: &str, team_id: i64) -> Report {
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
pub(crate) async fn run_phase(
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
