//! SQL of the worker positions.

use tiski_store::{Conn, StoreError, params};

pub(crate) fn get(conn: &mut dyn Conn, name: &str) -> Result<Option<i64>, StoreError> {
    conn.query_opt(
        "SELECT last_event_id FROM worker_positions WHERE name = $1",
        params![name],
    )?
    .map(|row| row.get(0))
    .transpose()
}

pub(crate) fn set(conn: &mut dyn Conn, name: &str, last: i64) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO worker_positions (name, last_event_id) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET last_event_id = excluded.last_event_id",
        params![name, last],
    )?;
    Ok(())
}
