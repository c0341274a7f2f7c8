//! SQL of the outbox and its delivery attempts.

use crate::outbox::Attempt;
use tiski_store::{Conn, Engine, Row, StoreError, params};

/// A delivery as its list shows it.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    /// Id.
    pub id: i64,
    /// The subject delivered (the event id).
    pub subject_id: i64,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due.
    pub next_attempt_at: i64,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it was delivered.
    pub delivered_at: Option<i64>,
}

/// One logged attempt.
#[derive(Debug, Clone)]
pub struct AttemptRow {
    /// The delivery.
    pub outbox_id: i64,
    /// When.
    pub attempted_at: i64,
    /// The answer's status code.
    pub status_code: Option<i64>,
    /// The failure.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

pub(crate) fn insert(
    conn: &mut dyn Conn,
    kind: &str,
    target_id: Option<i64>,
    subject_id: i64,
    payload: &str,
    now: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO outbox (kind, webhook_id, event_id, payload, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5) ON CONFLICT DO NOTHING",
        params![kind, target_id, subject_id, payload, now],
    )?;
    Ok(())
}

pub(crate) fn claim(
    conn: &mut dyn Conn,
    engine: Engine,
    kind: &str,
    now: i64,
    lease_until: i64,
    batch: i64,
) -> Result<Vec<Row>, StoreError> {
    let lock = match engine {
        Engine::Postgres => "FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    conn.query(
        &format!(
            "UPDATE outbox SET next_attempt_at = $1 WHERE id IN (SELECT id FROM outbox WHERE kind = $2 AND status = 'pending' \
             AND next_attempt_at <= $3 ORDER BY next_attempt_at LIMIT $4 {lock}) RETURNING id, webhook_id, event_id, payload, attempts"
        ),
        params![lease_until, kind, now, batch],
    )
}

pub(crate) fn log_attempt(
    conn: &mut dyn Conn,
    outbox_id: i64,
    now: i64,
    attempt: &Attempt,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO delivery_attempts (outbox_id, attempted_at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)",
        params![outbox_id, now, attempt.status_code, attempt.error.clone(), attempt.duration_ms],
    )?;
    Ok(())
}

pub(crate) fn delivered(
    conn: &mut dyn Conn,
    id: i64,
    attempts: i64,
    now: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE outbox SET status = 'delivered', attempts = $1, delivered_at = $2, last_error = NULL WHERE id = $3 AND status <> 'delivered'",
        params![attempts, now, id],
    )?;
    Ok(())
}

pub(crate) fn failed(
    conn: &mut dyn Conn,
    id: i64,
    attempts: i64,
    next_attempt_at: i64,
    error: &str,
    give_up: bool,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE outbox SET status = CASE WHEN status = 'pending' THEN $1 ELSE status END, attempts = $2, \
         next_attempt_at = $3, last_error = $4 WHERE id = $5",
        params![if give_up { "failed" } else { "pending" }, attempts, next_attempt_at, error, id],
    )?;
    Ok(())
}

pub(crate) fn cancel_target(
    conn: &mut dyn Conn,
    kind: &str,
    target_id: i64,
    reason: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE outbox SET status = 'failed', last_error = $1 WHERE kind = $2 AND webhook_id = $3 AND status = 'pending'",
        params![reason, kind, target_id],
    )?;
    Ok(())
}

pub(crate) fn of_target(
    conn: &mut dyn Conn,
    target_id: i64,
    before: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>, StoreError> {
    conn.query(
        "SELECT id, event_id, status, attempts, next_attempt_at, last_error, delivered_at FROM outbox \
         WHERE webhook_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
        params![target_id, before, limit],
    )?
    .iter()
    .map(|row| {
        Ok(OutboxRow {
            id: row.get(0)?,
            subject_id: row.get(1)?,
            status: row.get(2)?,
            attempts: row.get(3)?,
            next_attempt_at: row.get(4)?,
            last_error: row.get(5)?,
            delivered_at: row.get(6)?,
        })
    })
    .collect()
}

pub(crate) fn attempts(
    conn: &mut dyn Conn,
    target_id: i64,
    first: i64,
    last: i64,
) -> Result<Vec<AttemptRow>, StoreError> {
    conn.query(
        "SELECT a.outbox_id, a.attempted_at, a.status_code, a.error, a.duration_ms FROM delivery_attempts a \
         JOIN outbox o ON o.id = a.outbox_id WHERE o.webhook_id = $1 AND a.outbox_id BETWEEN $2 AND $3 ORDER BY a.id",
        params![target_id, first, last],
    )?
    .iter()
    .map(|row| {
        Ok(AttemptRow {
            outbox_id: row.get(0)?,
            attempted_at: row.get(1)?,
            status_code: row.get(2)?,
            error: row.get(3)?,
            duration_ms: row.get(4)?,
        })
    })
    .collect()
}

pub(crate) fn depth(conn: &mut dyn Conn) -> Result<i64, StoreError> {
    conn.query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'", &[])
}

/// Deletes the rows of `kind` for `event_ids` and their attempts (whose errors may quote
/// what was sent).
pub(crate) fn forget(conn: &mut dyn Conn, kind: &str, event_ids: &[i64]) -> Result<(), StoreError> {
    if event_ids.is_empty() {
        return Ok(());
    }
    let mut sql = crate::Sql::new(conn.engine());
    let kind = sql.bind(kind);
    let ids = sql.bind_ids(event_ids);
    conn.execute(
        &format!(
            "DELETE FROM delivery_attempts WHERE outbox_id IN (SELECT id FROM outbox WHERE kind = {kind} AND event_id IN {ids})"
        ),
        sql.params(),
    )?;
    conn.execute(
        &format!("DELETE FROM outbox WHERE kind = {kind} AND event_id IN {ids}"),
        sql.params(),
    )?;
    Ok(())
}

pub(crate) fn insert_due(
    conn: &mut dyn Conn,
    kind: &str,
    subject_id: i64,
    payload: &str,
    now: i64,
    due: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO outbox (kind, webhook_id, event_id, payload, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, NULL, $2, $3, 'pending', 0, $4, $5) ON CONFLICT DO NOTHING",
        params![kind, subject_id, payload, due, now],
    )?;
    Ok(())
}

pub(crate) fn withdraw(
    conn: &mut dyn Conn,
    kind: &str,
    subject_id: i64,
    due: i64,
) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "DELETE FROM outbox WHERE kind = $1 AND event_id = $2 AND status = 'pending' AND attempts = 0 AND next_attempt_at = $3",
        params![kind, subject_id, due],
    )? > 0)
}
