//! SQL of pruning the kernel's tables that only grow: idempotency keys past their lifetime,
//! finished outbox rows and their delivery attempts past their retention.

use tiski_store::{Conn, StoreError, params};

/// The finished outbox rows older than `cutoff`, at most `limit`, oldest first.
const FINISHED: &str = "SELECT id FROM outbox WHERE status IN ('delivered', 'failed') \
     AND COALESCE(delivered_at, created_at) < $1 ORDER BY id LIMIT $2";

/// Deletes up to `limit` idempotency keys made before `cutoff`.
pub(crate) fn idempotency_keys(
    conn: &mut dyn Conn,
    cutoff: i64,
    limit: i64,
) -> Result<u64, StoreError> {
    conn.execute(
        "DELETE FROM idempotency_keys WHERE (user_id, key) IN \
         (SELECT user_id, key FROM idempotency_keys WHERE created_at < $1 LIMIT $2)",
        params![cutoff, limit],
    )
}

/// Deletes up to `limit` delivered or failed outbox rows finished before `cutoff`, with their
/// delivery attempts; answers (rows, attempts).
pub(crate) fn finished_outbox(
    conn: &mut dyn Conn,
    cutoff: i64,
    limit: i64,
) -> Result<(u64, u64), StoreError> {
    let attempts = conn.execute(
        &format!("DELETE FROM delivery_attempts WHERE outbox_id IN ({FINISHED})"),
        params![cutoff, limit],
    )?;
    let rows = conn.execute(
        &format!("DELETE FROM outbox WHERE id IN ({FINISHED})"),
        params![cutoff, limit],
    )?;
    Ok((rows, attempts))
}
