//! SQL of the event log.

use tiski_store::{Conn, Row, StoreError, params};

/// The columns [`crate::events::view`] reads, in order, from `events e`.
pub const COLUMNS: &str =
    "e.id, e.at, e.kind, e.actor_kind, e.actor_id, e.ticket_id, e.version, e.payload";

pub(crate) fn after(conn: &mut dyn Conn, after: i64, limit: i64) -> Result<Vec<Row>, StoreError> {
    conn.query(
        &format!("SELECT {COLUMNS} FROM events e WHERE e.id > $1 ORDER BY e.id LIMIT $2"),
        params![after, limit],
    )
}

pub(crate) fn of_ticket(
    conn: &mut dyn Conn,
    ticket_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<Row>, StoreError> {
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM events e WHERE e.ticket_id = $1 AND e.id > $2 ORDER BY e.id LIMIT $3"
        ),
        params![ticket_id, after, limit],
    )
}

/// Whether an event of one of `kinds` has an id in `(after, upto]` (read by the id index).
pub(crate) fn any_of_kinds(
    conn: &mut dyn Conn,
    after: i64,
    upto: i64,
    kinds: &[&str],
) -> Result<bool, StoreError> {
    let mut sql = tiski_store::Sql::new(conn.engine());
    let after = sql.bind(after);
    let upto = sql.bind(upto);
    let list: Vec<String> = kinds.iter().map(|k| sql.bind(k.to_string())).collect();
    let text = format!(
        "SELECT e.id FROM events e WHERE e.id > {after} AND e.id <= {upto} AND e.kind IN ({}) LIMIT 1",
        list.join(", ")
    );
    Ok(conn.query_opt(&text, sql.params())?.is_some())
}

pub(crate) fn newest(conn: &mut dyn Conn) -> Result<i64, StoreError> {
    conn.query_scalar("SELECT COALESCE(MAX(id), 0) FROM events", &[])
}

pub(crate) fn old_versions(
    conn: &mut dyn Conn,
    after: i64,
    limit: i64,
) -> Result<Vec<Row>, StoreError> {
    conn.query(
        "SELECT id, kind, version, payload FROM events WHERE version = 1 AND id > $1 ORDER BY id LIMIT $2",
        params![after, limit],
    )
}

pub(crate) fn rewrite(
    conn: &mut dyn Conn,
    id: i64,
    version: i64,
    payload: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE events SET version = $1, payload = $2 WHERE id = $3",
        params![version, payload, id],
    )?;
    Ok(())
}
