//! The people copied on a ticket: kept from the mail that arrived, and copied on replies.

use crate::repo;
use tiski_kernel::{AppResult, Conn, Tx};

/// Copies `email` on a ticket (once); a card number in the display name is masked.
pub fn add(tx: &mut Tx<'_, '_>, ticket_id: i64, email: &str, name: Option<&str>) -> AppResult<()> {
    let name = name.map(tiski_domain::card::mask_pans);
    repo::cc::add(tx.conn(), ticket_id, email, name.as_deref())
}

/// The people copied on a ticket, by address: `(email, name)`.
pub fn list(conn: &mut dyn Conn, ticket_id: i64) -> AppResult<Vec<(String, Option<String>)>> {
    repo::cc::list(conn, ticket_id)
}

/// Whether `email` is copied on a ticket.
pub fn contains(conn: &mut dyn Conn, ticket_id: i64, email: &str) -> AppResult<bool> {
    repo::cc::contains(conn, ticket_id, email)
}
