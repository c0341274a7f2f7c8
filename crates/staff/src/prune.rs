//! Pruning of expired workspace sessions, which otherwise stay as rows after they ended
//! (a session's expiry already caps its idle time and its whole lifetime).

use tiski_kernel::{AppResult, Tx};

/// Deletes up to `limit` sessions expired as of `tx.now()`; answers how many.
pub fn expired_sessions(tx: &mut Tx<'_, '_>, limit: i64) -> AppResult<u64> {
    let now = tx.now();
    crate::repo::prune::expired_sessions(tx.conn(), now, limit)
}
