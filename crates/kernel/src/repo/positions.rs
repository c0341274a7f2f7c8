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

/// The position of worker `name`, its row created at `initial` if missing and, on PostgreSQL, locked
/// until the transaction ends, so another node running the same worker waits and then reads
/// the position this one leaves.
pub(crate) fn lock(conn: &mut dyn Conn, name: &str, initial: i64) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO worker_positions (name, last_event_id) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        params![name, initial],
    )?;
    let lock = match conn.engine() {
        tiski_store::Engine::Postgres => " FOR UPDATE",
        tiski_store::Engine::Sqlite => "",
    };
    conn.query_scalar(
        &format!("SELECT last_event_id FROM worker_positions WHERE name = $1{lock}"),
        params![name],
    )
}
