//! Latency statistics and the final benchmark report.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::Scenario;

/// Nearest-rank percentile of an ascending-sorted slice.
///
/// `p` is in percent (`50.0` for the median) and is clamped to `0..=100`; `p = 0` gives the
/// minimum and `p = 100` the maximum. Returns `None` for an empty slice.
pub fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 100.0) };
    let n = sorted.len();
    // Nearest rank: the smallest value such that at least p% of the samples are <= it.
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    let index = rank.clamp(1, n) - 1;
    Some(sorted[index])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Latency distribution of successful requests, in milliseconds (`None` when there were none).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Latency {
    /// Number of samples.
    pub samples: usize,
    /// Median.
    pub p50_ms: Option<f64>,
    /// 90th percentile.
    pub p90_ms: Option<f64>,
    /// 95th percentile.
    pub p95_ms: Option<f64>,
    /// 99th percentile.
    pub p99_ms: Option<f64>,
    /// Slowest request.
    pub max_ms: Option<f64>,
    /// Arithmetic mean.
    pub mean_ms: Option<f64>,
}

impl Latency {
    /// Summarises the given samples (sorting them in place).
    pub fn from_samples(samples: &mut [Duration]) -> Self {
        samples.sort_unstable();
        let pick = |p: f64| percentile(samples, p).map(ms);
        let mean_ms = if samples.is_empty() {
            None
        } else {
            let total: Duration = samples.iter().sum();
            Some(ms(total) / samples.len() as f64)
        };
        Latency {
            samples: samples.len(),
            p50_ms: pick(50.0),
            p90_ms: pick(90.0),
            p95_ms: pick(95.0),
            p99_ms: pick(99.0),
            max_ms: samples.last().copied().map(ms),
            mean_ms,
        }
    }
}

/// Which cap ended the measured phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// `--requests` requests were issued.
    RequestCap,
    /// `--duration` seconds elapsed.
    DurationCap,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopReason::RequestCap => "request cap",
            StopReason::DurationCap => "duration cap",
        })
    }
}

/// The first failed request seen during the measured phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirstError {
    /// Operation that failed (`create`, `list`, `email`, `inbox` or `ticket`).
    pub operation: String,
    /// HTTP status code, or `transport` when no response was received.
    pub status: String,
    /// Response body (or transport error message), truncated.
    pub body: String,
}

/// Results for one kind of request (`create`, `list`, `email`, `inbox` or `ticket`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationReport {
    /// Operation name.
    pub operation: String,
    /// Successful (2xx) requests.
    pub ok: u64,
    /// Failed requests (non-2xx answers and transport errors).
    pub errors: u64,
    /// Latency of the successful requests.
    pub latency: Latency,
}

/// Outcome of a `tiski bench` run. `Display` renders a human-readable table; `Serialize` gives
/// the same data as JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The scenario that was run.
    pub scenario: Scenario,
    /// Base URL of the server (never includes the token).
    pub url: String,
    /// Team the tickets were created in / listed from.
    pub team_id: i64,
    /// Number of concurrent workers.
    pub concurrency: u32,
    /// Requests issued before measuring (not included below).
    pub warmup_requests: u64,
    /// Successful (2xx) measured requests.
    pub requests_ok: u64,
    /// Failed measured requests (non-2xx answers and transport errors).
    pub errors: u64,
    /// Failed requests by HTTP status (or `transport`).
    pub errors_by_status: BTreeMap<String, u64>,
    /// The first failure seen, if any.
    pub first_error: Option<FirstError>,
    /// Wall-clock duration of the measured phase, in seconds.
    pub elapsed_secs: f64,
    /// Which cap ended the measured phase.
    pub stopped_by: StopReason,
    /// Successful requests per second over the measured phase.
    pub throughput_rps: f64,
    /// Latency of all successful measured requests.
    pub latency: Latency,
    /// Per-operation breakdown (one entry per operation that was exercised).
    pub operations: Vec<OperationReport>,
}

impl Report {
    /// The report as pretty-printed JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

struct OptMs(Option<f64>);

impl fmt::Display for OptMs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(v) => match f.width() {
                Some(w) => write!(f, "{v:>w$.2}"),
                None => write!(f, "{v:.2}"),
            },
            None => match f.width() {
                Some(w) => write!(f, "{:>w$}", "-"),
                None => f.write_str("-"),
            },
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "tiski bench: scenario {} against {}",
            self.scenario, self.url
        )?;
        writeln!(f, "  {:<16}{}", "team id", self.team_id)?;
        writeln!(f, "  {:<16}{}", "concurrency", self.concurrency)?;
        writeln!(
            f,
            "  {:<16}{} (not measured)",
            "warmup", self.warmup_requests
        )?;
        writeln!(f, "  {:<16}{}", "requests ok", self.requests_ok)?;
        if self.errors_by_status.is_empty() {
            writeln!(f, "  {:<16}{}", "errors", self.errors)?;
        } else {
            let by_status = self
                .errors_by_status
                .iter()
                .map(|(status, n)| format!("{status}: {n}"))
                .collect::<Vec<_>>()
                .join(", ");
            writeln!(f, "  {:<16}{} ({by_status})", "errors", self.errors)?;
        }
        if let Some(first) = &self.first_error {
            writeln!(
                f,
                "  {:<16}{} {}: {}",
                "first error", first.operation, first.status, first.body
            )?;
        }
        writeln!(
            f,
            "  {:<16}{:.2} s (stopped by {})",
            "elapsed", self.elapsed_secs, self.stopped_by
        )?;
        writeln!(f, "  {:<16}{:.1} req/s", "throughput", self.throughput_rps)?;
        writeln!(
            f,
            "  {:<16}p50 {}  p90 {}  p95 {}  p99 {}  max {}  mean {}",
            "latency (ms)",
            OptMs(self.latency.p50_ms),
            OptMs(self.latency.p90_ms),
            OptMs(self.latency.p95_ms),
            OptMs(self.latency.p99_ms),
            OptMs(self.latency.max_ms),
            OptMs(self.latency.mean_ms),
        )?;
        if !self.operations.is_empty() {
            writeln!(
                f,
                "  {:<10}{:>10}{:>8}{:>10}{:>10}{:>10}{:>10}{:>10}",
                "operation", "ok", "errors", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "max ms"
            )?;
            for op in &self.operations {
                writeln!(
                    f,
                    "  {:<10}{:>10}{:>8}{:>10}{:>10}{:>10}{:>10}{:>10}",
                    op.operation,
                    op.ok,
                    op.errors,
                    OptMs(op.latency.p50_ms),
                    OptMs(op.latency.p90_ms),
                    OptMs(op.latency.p95_ms),
                    OptMs(op.latency.p99_ms),
                    OptMs(op.latency.max_ms),
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn millis(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn percentile_of_empty_is_none() {
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn percentile_single_sample() {
        let s = millis(&[7]);
        for p in [0.0, 1.0, 50.0, 99.0, 100.0] {
            assert_eq!(percentile(&s, p), Some(Duration::from_millis(7)));
        }
    }

    #[test]
    fn percentile_nearest_rank() {
        let s = millis(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&s, 0.0), Some(Duration::from_millis(1)));
        assert_eq!(percentile(&s, 50.0), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&s, 90.0), Some(Duration::from_millis(90)));
        assert_eq!(percentile(&s, 99.0), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&s, 99.5), Some(Duration::from_millis(100)));
        assert_eq!(percentile(&s, 100.0), Some(Duration::from_millis(100)));
        // Out-of-range and NaN inputs are clamped rather than panicking.
        assert_eq!(percentile(&s, 250.0), Some(Duration::from_millis(100)));
        assert_eq!(percentile(&s, -3.0), Some(Duration::from_millis(1)));
        assert_eq!(percentile(&s, f64::NAN), Some(Duration::from_millis(1)));
    }

    #[test]
    fn percentile_small_sets() {
        let s = millis(&[10, 20, 30, 40]);
        assert_eq!(percentile(&s, 25.0), Some(Duration::from_millis(10)));
        assert_eq!(percentile(&s, 50.0), Some(Duration::from_millis(20)));
        assert_eq!(percentile(&s, 51.0), Some(Duration::from_millis(30)));
        assert_eq!(percentile(&s, 90.0), Some(Duration::from_millis(40)));
    }

    #[test]
    fn latency_summary_sorts_and_summarises() {
        let mut s = millis(&[30, 10, 20, 40]);
        let l = Latency::from_samples(&mut s);
        assert_eq!(l.samples, 4);
        assert_eq!(l.p50_ms, Some(20.0));
        assert_eq!(l.p95_ms, Some(40.0));
        assert_eq!(l.p99_ms, Some(40.0));
        assert_eq!(l.max_ms, Some(40.0));
        assert_eq!(l.mean_ms, Some(25.0));
        assert_eq!(Latency::from_samples(&mut []), Latency::default());
    }

    #[test]
    fn report_renders_and_serialises() {
        let mut errors_by_status = BTreeMap::new();
        errors_by_status.insert("500".to_owned(), 2);
        let report = Report {
            scenario: Scenario::Mixed,
            url: "http://127.0.0.1:8080".into(),
            team_id: 3,
            concurrency: 4,
            warmup_requests: 10,
            requests_ok: 98,
            errors: 2,
            errors_by_status,
            first_error: Some(FirstError {
                operation: "create".into(),
                status: "500".into(),
                body: "boom".into(),
            }),
            elapsed_secs: 2.0,
            stopped_by: StopReason::RequestCap,
            throughput_rps: 49.0,
            latency: Latency::from_samples(&mut millis(&[1, 2, 3])),
            operations: vec![OperationReport {
                operation: "list".into(),
                ok: 98,
                errors: 0,
                latency: Latency::default(),
            }],
        };
        let text = report.to_string();
        assert!(text.contains("scenario mixed"));
        assert!(text.contains("500: 2"));
        assert!(text.contains("create 500: boom"));
        assert!(text.contains("49.0 req/s"));
        let json: serde_json::Value = serde_json::from_str(&report.to_json_pretty()).unwrap();
        assert_eq!(json["scenario"], "mixed");
        assert_eq!(json["stopped_by"], "request_cap");
        assert_eq!(json["errors_by_status"]["500"], 2);
        assert_eq!(json["latency"]["p50_ms"], 2.0);
    }
}
