//! The outbox: whatever leaves tiski (webhook calls, email) is written here in the transaction
//! that decided to send it, then claimed by a worker, delivered, and recorded with retries on
//! a backoff schedule. Accepted means durable; each attempt is logged.

use crate::repo::outbox as repo;
use crate::{AppResult, Tx, time};
use std::time::Duration;
use tiski_store::Conn;

pub use repo::{AttemptRow, OutboxRow};

/// When to try again after a failed attempt, and when to give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first retry delay; each further one doubles.
    pub base: Duration,
    /// The longest retry delay.
    pub max: Duration,
    /// Attempts before a delivery is marked failed.
    pub attempts: u32,
}

impl RetryPolicy {
    /// The delay after the `attempts`-th failed attempt, in microseconds.
    pub fn delay_after(&self, attempts: i64) -> i64 {
        let doublings = u32::try_from((attempts - 1).clamp(0, 20)).unwrap_or(20);
        time::micros(self.base)
            .saturating_mul(2_i64.saturating_pow(doublings))
            .min(time::micros(self.max))
    }
}

/// A delivery claimed by a worker.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The kind of delivery (`webhook`, `email`).
    pub kind: &'static str,
    /// The outbox row.
    pub id: i64,
    /// What it goes to (the webhook), when the kind has targets.
    pub target_id: Option<i64>,
    /// What is delivered (the event, the outgoing email).
    pub subject_id: i64,
    /// The prepared payload.
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i64,
}

/// How one attempt went.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// The receiver's status code, when it answered.
    pub status_code: Option<i64>,
    /// The failure, when the attempt failed.
    pub error: Option<String>,
    /// Whether trying again cannot help (a permanent refusal).
    pub permanent: bool,
    /// How long the attempt took.
    pub duration_ms: i64,
}

/// Where a delivery stands after an attempt was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Delivered.
    Delivered,
    /// It will be tried again.
    Retrying,
    /// Given up on.
    Failed,
}

/// Puts a delivery of `kind` in the outbox, due now; a second one for the same target and
/// subject is ignored.
pub fn enqueue(
    tx: &mut Tx<'_, '_>,
    kind: &str,
    target_id: Option<i64>,
    subject_id: i64,
    payload: &str,
) -> AppResult<()> {
    let now = tx.now();
    Ok(repo::insert(
        tx.conn(),
        kind,
        target_id,
        subject_id,
        payload,
        now,
    )?)
}

/// Claims up to `batch` due deliveries of `kind`, leasing them for `lease` so another node
/// (or a later round) skips them until then.
pub fn claim(
    tx: &mut Tx<'_, '_>,
    kind: &'static str,
    lease: Duration,
    batch: i64,
) -> AppResult<Vec<Claimed>> {
    let now = tx.now();
    let engine = tx.engine();
    let rows = repo::claim(
        tx.conn(),
        engine,
        kind,
        now,
        now + time::micros(lease),
        batch,
    )?;
    rows.iter()
        .map(|row| {
            Ok(Claimed {
                kind,
                id: row.get(0)?,
                target_id: row.get(1)?,
                subject_id: row.get(2)?,
                payload: row.get(3)?,
                attempts: row.get(4)?,
            })
        })
        .collect()
}

/// Records an attempt on a claimed delivery: delivered, retried after the policy's delay, or
/// failed for good. A delivery cancelled meanwhile stays cancelled.
pub fn record(
    tx: &mut Tx<'_, '_>,
    claimed: &Claimed,
    attempt: &Attempt,
    policy: &RetryPolicy,
) -> AppResult<Standing> {
    let now = tx.now();
    let attempts = claimed.attempts + 1;
    repo::log_attempt(tx.conn(), claimed.id, now, attempt)?;
    let standing = match &attempt.error {
        None => {
            repo::delivered(tx.conn(), claimed.id, attempts, now)?;
            Standing::Delivered
        }
        Some(error) => {
            let give_up = attempt.permanent || attempts >= i64::from(policy.attempts);
            let next = now + policy.delay_after(attempts);
            repo::failed(tx.conn(), claimed.id, attempts, next, error, give_up)?;
            if give_up {
                Standing::Failed
            } else {
                Standing::Retrying
            }
        }
    };
    let kind = claimed.kind;
    match standing {
        Standing::Delivered => {
            metrics::counter!("tiski_outbox_delivered_total", "kind" => kind).increment(1)
        }
        _ => metrics::counter!("tiski_outbox_failures_total", "kind" => kind).increment(1),
    }
    Ok(standing)
}

/// Cancels the pending deliveries to a target (a deleted webhook), with the reason.
pub fn cancel_target(
    tx: &mut Tx<'_, '_>,
    kind: &str,
    target_id: i64,
    reason: &str,
) -> AppResult<()> {
    Ok(repo::cancel_target(tx.conn(), kind, target_id, reason)?)
}

/// A target's deliveries before `before` (newest first), one more than `limit`.
pub fn of_target(
    conn: &mut dyn Conn,
    target_id: i64,
    before: i64,
    limit: i64,
) -> AppResult<Vec<OutboxRow>> {
    Ok(repo::of_target(conn, target_id, before, limit)?)
}

/// The attempts of a target's deliveries with ids from `first` to `last`, oldest first.
pub fn attempts(
    conn: &mut dyn Conn,
    target_id: i64,
    first: i64,
    last: i64,
) -> AppResult<Vec<AttemptRow>> {
    Ok(repo::attempts(conn, target_id, first, last)?)
}

/// How many deliveries wait, for the metrics.
pub fn depth(conn: &mut dyn Conn) -> AppResult<i64> {
    Ok(repo::depth(conn)?)
}

/// Forgets the rows of `kind` for `event_ids` (what an erasure removes along with the data
/// they would deliver) and their attempts.
pub fn forget(conn: &mut dyn Conn, kind: &str, event_ids: &[i64]) -> AppResult<()> {
    Ok(repo::forget(conn, kind, event_ids)?)
}

/// Puts a delivery of `kind` in the outbox, due at `due` (microseconds; a held reply waits
/// out its undo window there, so a restart neither loses nor repeats it).
pub fn enqueue_at(
    tx: &mut Tx<'_, '_>,
    kind: &str,
    subject_id: i64,
    payload: &str,
    due: i64,
) -> AppResult<()> {
    let now = tx.now();
    Ok(repo::insert_due(
        tx.conn(),
        kind,
        subject_id,
        payload,
        now,
        due.max(now),
    )?)
}

/// Takes back a delivery of `kind` for `subject_id` put in due at `due` that is still
/// waiting for it (never tried, not claimed, `due` still ahead); whether there was one. A
/// claimed delivery has moved its due time to its lease, and one that came due is left
/// alone, so a delivery is never both withdrawn and sent.
pub fn withdraw(tx: &mut Tx<'_, '_>, kind: &str, subject_id: i64, due: i64) -> AppResult<bool> {
    let now = tx.now();
    if due <= now {
        return Ok(false);
    }
    Ok(repo::withdraw(tx.conn(), kind, subject_id, due)?)
}
