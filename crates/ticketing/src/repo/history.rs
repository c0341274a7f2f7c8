//! SQL of the event log as a scoped reader sees it: the events of the tickets they see.

use tiski_kernel::events::{COLUMNS, EventView, view};
use tiski_kernel::{Actor, AppResult, Sql};
use tiski_store::Conn;

/// Events after `after` of tickets `actor` sees, oldest first, at most `limit`.
pub(crate) fn of_visible_tickets(
    conn: &mut dyn Conn,
    actor: &Actor,
    after: i64,
    limit: i64,
) -> AppResult<Vec<EventView>> {
    let mut sql = Sql::new(conn.engine());
    let after = sql.bind(after);
    let scope = super::ticket_scope(&mut sql, actor);
    let limit = sql.bind(limit);
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM events e JOIN tickets t ON t.id = e.ticket_id \
             WHERE e.id > {after} AND {scope} ORDER BY e.id LIMIT {limit}"
        ),
        sql.params(),
    )?
    .iter()
    .map(view)
    .collect()
}
