//! SQL of the people copied on a ticket.

use tiski_kernel::AppResult;
use tiski_store::{Conn, params};

pub(crate) fn add(
    conn: &mut dyn Conn,
    ticket_id: i64,
    email: &str,
    name: Option<&str>,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO ticket_cc (ticket_id, email, name) VALUES ($1, $2, $3) ON CONFLICT (ticket_id, email) DO NOTHING",
        params![ticket_id, email, name],
    )?;
    Ok(())
}

pub(crate) fn list(
    conn: &mut dyn Conn,
    ticket_id: i64,
) -> AppResult<Vec<(String, Option<String>)>> {
    conn.query(
        "SELECT email, name FROM ticket_cc WHERE ticket_id = $1 ORDER BY email",
        params![ticket_id],
    )?
    .iter()
    .map(|r| Ok((r.get(0)?, r.get(1)?)))
    .collect()
}

pub(crate) fn contains(conn: &mut dyn Conn, ticket_id: i64, email: &str) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT 1 FROM ticket_cc WHERE ticket_id = $1 AND email = $2",
            params![ticket_id, email],
        )?
        .is_some())
}
