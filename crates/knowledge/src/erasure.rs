//! Erasure: the index's copies of an erased conversation or customer go in the erasure's own
//! transaction (ticketing calls this port), not when the indexer next looks.

use tiski_kernel::{AppResult, Conn, Tx};
use tiski_ticketing::{ChannelData, ErasureScope};

use crate::repo;

/// The index's part in an erasure: the documents of the erased tickets, messages and
/// customer.
pub struct SearchData;

impl ChannelData for SearchData {
    fn erase(&self, tx: &mut Tx<'_, '_>, scope: &ErasureScope) -> AppResult<Vec<String>> {
        repo::erase(
            tx.conn(),
            &scope.ticket_ids,
            &scope.message_ids,
            scope.customer_id,
        )?;
        Ok(Vec::new())
    }

    fn uses_blob(&self, _conn: &mut dyn Conn, _digest: &str) -> AppResult<bool> {
        Ok(false)
    }
}
