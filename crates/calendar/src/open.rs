//! Whether a calendar is open at an instant, for other contexts inside their transactions
//! (automations' "inside / outside opening hours" condition).

use crate::{commands, repo};
use jiff::Timestamp;
use tiski_kernel::{AppError, AppResult, Conn};

/// Whether calendar `id` (none: the default calendar) is open at `at` (microseconds);
/// `None` when there is no such calendar (or no default one).
pub fn is_open_at(conn: &mut dyn Conn, id: Option<i64>, at: i64) -> AppResult<Option<bool>> {
    let view = match id {
        Some(id) => match repo::get(conn, id) {
            Ok(view) => Some(view),
            Err(AppError::NotFound { .. }) => None,
            Err(error) => return Err(error),
        },
        None => repo::default(conn)?,
    };
    let Some(view) = view else { return Ok(None) };
    let calendar = commands::arithmetic(&view)?;
    let at = Timestamp::from_microsecond(at)
        .map_err(|e| AppError::Corrupt(format!("instant {at}: {e}")))?;
    Ok(Some(calendar.is_open(at)))
}

/// Whether calendar `id` exists.
pub fn exists(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    repo::calendar_exists(conn, id)
}
