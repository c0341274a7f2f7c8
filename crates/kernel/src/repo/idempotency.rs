//! SQL of the idempotency keys.

use tiski_store::{Conn, StoreError, params};

/// The request digest and the stored answer of a key, if it was used.
pub(crate) fn find(
    conn: &mut dyn Conn,
    user_id: i64,
    key: &str,
) -> Result<Option<(String, String)>, StoreError> {
    conn.query_opt(
        "SELECT request_digest, response FROM idempotency_keys WHERE user_id = $1 AND key = $2",
        params![user_id, key],
    )?
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .transpose()
}

pub(crate) fn insert(
    conn: &mut dyn Conn,
    user_id: i64,
    key: &str,
    digest: &str,
    response: &str,
    now: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO idempotency_keys (user_id, key, request_digest, status, response, created_at) \
         VALUES ($1, $2, $3, 201, $4, $5)",
        params![user_id, key, digest, response, now],
    )?;
    Ok(())
}

/// Deletes the stored answers whose text contains `needle` (a `LIKE` pattern, escaped with
/// `\`); returns how many.
pub(crate) fn forget_matching(conn: &mut dyn Conn, pattern: &str) -> Result<u64, StoreError> {
    conn.execute(
        "DELETE FROM idempotency_keys WHERE response LIKE $1 ESCAPE '\\'",
        params![pattern],
    )
}
