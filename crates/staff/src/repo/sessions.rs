//! SQL of workspace sessions.

use tiski_kernel::AppResult;
use tiski_store::{Conn, params};

/// A stored session as loaded for a request.
pub(crate) struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub locale: Option<String>,
    pub stage: i64,
}

pub(crate) fn delete_expired_of(conn: &mut dyn Conn, user_id: i64, now: i64) -> AppResult<()> {
    conn.execute(
        "DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2",
        params![user_id, now],
    )?;
    Ok(())
}

/// A session to store.
pub(crate) struct NewSession<'a> {
    pub digest: &'a str,
    pub user_id: i64,
    pub csrf: &'a str,
    pub user_agent: &'a str,
    pub now: i64,
    pub expires_at: i64,
    pub stage: i64,
}

pub(crate) fn insert(conn: &mut dyn Conn, s: &NewSession<'_>) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, user_agent, created_at, last_seen_at, expires_at, stage) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7) RETURNING id",
        params![s.digest, s.user_id, s.csrf, s.user_agent, s.now, s.expires_at, s.stage],
    )?)
}

/// The live session with this token digest.
pub(crate) fn find_live(
    conn: &mut dyn Conn,
    digest: &str,
    now: i64,
) -> AppResult<Option<SessionRow>> {
    conn.query_opt(
        "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.ui_locale, s.stage \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
        params![digest, now],
    )?
    .map(|row| {
        Ok(SessionRow {
            id: row.get(0)?,
            user_id: row.get(1)?,
            csrf_token: row.get(2)?,
            created_at: row.get(3)?,
            last_seen_at: row.get(4)?,
            locale: row.get(5)?,
            stage: row.get(6)?,
        })
    })
    .transpose()
}

pub(crate) fn touch(conn: &mut dyn Conn, id: i64, now: i64, expires_at: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3",
        params![now, expires_at, id],
    )?;
    Ok(())
}

/// Deletes the session with this token digest; its id and user when there was one.
pub(crate) fn delete_by_digest(conn: &mut dyn Conn, digest: &str) -> AppResult<Option<(i64, i64)>> {
    conn.query_opt(
        "DELETE FROM sessions WHERE token_hash = $1 RETURNING id, user_id",
        params![digest],
    )?
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .transpose()
}

/// Deletes a user's sessions but one; the ids of those deleted.
pub(crate) fn delete_others(conn: &mut dyn Conn, user_id: i64, keep: i64) -> AppResult<Vec<i64>> {
    conn.query(
        "DELETE FROM sessions WHERE user_id = $1 AND id <> $2 RETURNING id",
        params![user_id, keep],
    )?
    .iter()
    .map(|row| Ok(row.get(0)?))
    .collect()
}

/// Whether session `id` of `user_id` is live: not expired, not older than `created_after`.
pub(crate) fn is_live(
    conn: &mut dyn Conn,
    id: i64,
    user_id: i64,
    now: i64,
    created_after: i64,
) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT id FROM sessions WHERE id = $1 AND user_id = $2 AND expires_at > $3 AND created_at >= $4 AND stage = 0",
            params![id, user_id, now, created_after],
        )?
        .is_some())
}

/// Deletes every session of a user; the ids of those deleted.
pub(crate) fn delete_all_of(conn: &mut dyn Conn, user_id: i64) -> AppResult<Vec<i64>> {
    conn.query(
        "DELETE FROM sessions WHERE user_id = $1 RETURNING id",
        params![user_id],
    )?
    .iter()
    .map(|row| Ok(row.get(0)?))
    .collect()
}

/// When user `user_id` last used a workspace session (its last touch), if they hold one.
pub(crate) fn last_active(conn: &mut dyn Conn, user_id: i64) -> AppResult<Option<i64>> {
    Ok(conn
        .query_opt(
            "SELECT MAX(last_seen_at) FROM sessions WHERE user_id = $1",
            params![user_id],
        )?
        .map(|row| row.get::<Option<i64>>(0))
        .transpose()?
        .flatten())
}
