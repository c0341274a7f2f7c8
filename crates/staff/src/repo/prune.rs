//! SQL of pruning expired workspace sessions.

use tiski_kernel::AppResult;
use tiski_store::{Conn, params};

/// Deletes up to `limit` sessions that expired before `now` (served by `sessions_expires`).
pub(crate) fn expired_sessions(conn: &mut dyn Conn, now: i64, limit: i64) -> AppResult<u64> {
    Ok(conn.execute(
        "DELETE FROM sessions WHERE id IN \
         (SELECT id FROM sessions WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)",
        params![now, limit],
    )?)
}
