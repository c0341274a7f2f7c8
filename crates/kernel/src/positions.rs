//! Where each worker stands in the event log, stored with the work it did, so a restarted
//! worker resumes and none handles an event twice.

use crate::AppResult;
use crate::repo::positions as repo;
use tiski_store::Conn;

/// The last event id worker `name` handled (0 before its first run).
pub fn get(conn: &mut dyn Conn, name: &str) -> AppResult<i64> {
    Ok(repo::get(conn, name)?.unwrap_or(0))
}

/// Records that worker `name` handled events up to `last`.
pub fn set(conn: &mut dyn Conn, name: &str, last: i64) -> AppResult<()> {
    Ok(repo::set(conn, name, last)?)
}

/// The last event id worker `name` handled, holding its position until the transaction ends
/// (on PostgreSQL a row lock; SQLite has one writer anyway): a worker that must never handle
/// an event twice on two nodes reads its position with this. A worker without a position yet
/// starts at `initial`.
pub fn lock(conn: &mut dyn Conn, name: &str, initial: i64) -> AppResult<i64> {
    Ok(repo::lock(conn, name, initial)?)
}
