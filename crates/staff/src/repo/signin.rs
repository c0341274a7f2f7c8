//! SQL of the sign-in attempt counters (`signin_limits`), shared by every node.

use tiski_kernel::AppResult;
use tiski_store::{Conn, Engine, params};

/// A counter of sign-in attempts under one key (a digest, never the email or address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counter {
    pub attempts: i64,
    pub last_attempt_at: i64,
    pub next_allowed_at: i64,
}

/// The counter of `key`, created when missing and locked for the rest of the transaction,
/// so two nodes reserving attempts at once take turns (SQLite has one writer anyway).
pub(crate) fn lock(conn: &mut dyn Conn, key: &str, now: i64) -> AppResult<Counter> {
    conn.execute(
        "INSERT INTO signin_limits (key, attempts, last_attempt_at, next_allowed_at) VALUES ($1, 0, $2, 0) \
         ON CONFLICT (key) DO NOTHING",
        params![key, now],
    )?;
    let select = match conn.engine() {
        Engine::Postgres => {
            "SELECT attempts, last_attempt_at, next_allowed_at FROM signin_limits WHERE key = $1 FOR UPDATE"
        }
        Engine::Sqlite => {
            "SELECT attempts, last_attempt_at, next_allowed_at FROM signin_limits WHERE key = $1"
        }
    };
    let row = conn.query_opt(select, params![key])?;
    Ok(match row {
        Some(row) => Counter {
            attempts: row.get(0)?,
            last_attempt_at: row.get(1)?,
            next_allowed_at: row.get(2)?,
        },
        None => Counter {
            attempts: 0,
            last_attempt_at: now,
            next_allowed_at: 0,
        },
    })
}

pub(crate) fn save(conn: &mut dyn Conn, key: &str, counter: &Counter) -> AppResult<()> {
    conn.execute(
        "UPDATE signin_limits SET attempts = $1, last_attempt_at = $2, next_allowed_at = $3 WHERE key = $4",
        params![
            counter.attempts,
            counter.last_attempt_at,
            counter.next_allowed_at,
            key
        ],
    )?;
    Ok(())
}

/// Forgets a counter (after a successful sign-in).
pub(crate) fn clear(conn: &mut dyn Conn, key: &str) -> AppResult<()> {
    conn.execute("DELETE FROM signin_limits WHERE key = $1", params![key])?;
    Ok(())
}

/// Gives back one attempt (a client's successful sign-in does not count against it).
pub(crate) fn refund(conn: &mut dyn Conn, key: &str) -> AppResult<()> {
    conn.execute(
        "UPDATE signin_limits SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0",
        params![key],
    )?;
    Ok(())
}

/// Forgets counters whose last attempt is older than `before` and that hold nothing back.
pub(crate) fn prune(conn: &mut dyn Conn, before: i64, now: i64) -> AppResult<()> {
    conn.execute(
        "DELETE FROM signin_limits WHERE last_attempt_at < $1 AND next_allowed_at < $2",
        params![before, now],
    )?;
    Ok(())
}
