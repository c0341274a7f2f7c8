//! SQL of API tokens.

use crate::ApiTokenView;
use tiski_kernel::AppResult;
use tiski_store::{Conn, params};

pub(crate) fn insert(
    conn: &mut dyn Conn,
    user_id: i64,
    label: &str,
    digest: &str,
    now: i64,
) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        params![user_id, label, digest, now],
    )?)
}

/// The user a token digest acts as.
pub(crate) fn user_of(conn: &mut dyn Conn, digest: &str) -> AppResult<Option<i64>> {
    conn.query_opt(
        "SELECT user_id FROM api_tokens WHERE token_hash = $1",
        params![digest],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

pub(crate) fn list(conn: &mut dyn Conn) -> AppResult<Vec<ApiTokenView>> {
    conn.query(
        "SELECT k.id, k.user_id, u.name, k.label, k.created_at FROM api_tokens k JOIN users u ON u.id = k.user_id ORDER BY k.id DESC LIMIT 500",
        &[],
    )?
    .iter()
    .map(|row| {
        Ok(ApiTokenView {
            id: row.get(0)?,
            user_id: row.get(1)?,
            user_name: row.get(2)?,
            label: row.get(3)?,
            created_at: row.get(4)?,
        })
    })
    .collect()
}

/// Deletes a token; whether there was one.
pub(crate) fn delete(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    Ok(conn.execute("DELETE FROM api_tokens WHERE id = $1", params![id])? > 0)
}
