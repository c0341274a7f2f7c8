//! SQL of erasure and retention over ticketing's tables: what a customer's conversations
//! hold goes, the skeletons of their tickets (status, priority, team, times) stay.

use tiski_kernel::{AppResult, Sql};
use tiski_store::{Conn, params};

/// The tickets of a customer, oldest first.
pub(crate) fn tickets_of(conn: &mut dyn Conn, customer_id: i64) -> AppResult<Vec<i64>> {
    conn.query(
        "SELECT id FROM tickets WHERE requester_id = $1 ORDER BY id",
        params![customer_id],
    )?
    .iter()
    .map(|row| Ok(row.get(0)?))
    .collect()
}

/// The messages of tickets: `(message id, ticket id)`.
pub(crate) fn messages_of(conn: &mut dyn Conn, ticket_ids: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    let mut sql = Sql::new(conn.engine());
    let tickets = sql.bind_ids(ticket_ids);
    conn.query(
        &format!("SELECT id, ticket_id FROM messages WHERE ticket_id IN {tickets} ORDER BY id"),
        sql.params(),
    )?
    .iter()
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .collect()
}

/// Deletes the files of messages; returns the digests of their bytes.
pub(crate) fn delete_attachments(
    conn: &mut dyn Conn,
    message_ids: &[i64],
) -> AppResult<Vec<String>> {
    let mut sql = Sql::new(conn.engine());
    let messages = sql.bind_ids(message_ids);
    let digests = conn
        .query(
            &format!("SELECT DISTINCT sha256 FROM attachments WHERE message_id IN {messages}"),
            sql.params(),
        )?
        .iter()
        .map(|row| Ok(row.get(0)?))
        .collect::<AppResult<Vec<String>>>()?;
    conn.execute(
        &format!("DELETE FROM attachments WHERE message_id IN {messages}"),
        sql.params(),
    )?;
    Ok(digests)
}

/// Whether a file still refers to the blob `digest`.
pub(crate) fn attachment_uses_blob(conn: &mut dyn Conn, digest: &str) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT 1 FROM attachments WHERE sha256 = $1 LIMIT 1",
            params![digest],
        )?
        .is_some())
}

/// Deletes the messages, CC entries and subjects of tickets and marks them erased.
pub(crate) fn erase_conversations(
    conn: &mut dyn Conn,
    ticket_ids: &[i64],
    now: i64,
) -> AppResult<()> {
    let mut sql = Sql::new(conn.engine());
    let tickets = sql.bind_ids(ticket_ids);
    for statement in [
        format!("DELETE FROM messages WHERE ticket_id IN {tickets}"),
        format!("DELETE FROM ticket_cc WHERE ticket_id IN {tickets}"),
    ] {
        conn.execute(&statement, sql.params())?;
    }
    let now = sql.bind(now);
    conn.execute(
        &format!("UPDATE tickets SET subject = '', erased_at = {now} WHERE id IN {tickets}"),
        sql.params(),
    )?;
    Ok(())
}

/// Deletes the CC entries of an address on any ticket.
pub(crate) fn delete_cc_address(conn: &mut dyn Conn, email: &str) -> AppResult<()> {
    conn.execute("DELETE FROM ticket_cc WHERE email = $1", params![email])?;
    Ok(())
}

/// Anonymises a customer's row and deletes their identities.
pub(crate) fn anonymise_customer(conn: &mut dyn Conn, id: i64, now: i64) -> AppResult<()> {
    conn.execute(
        "DELETE FROM customer_identities WHERE customer_id = $1",
        params![id],
    )?;
    conn.execute(
        "UPDATE customers SET name = '', language = NULL, time_zone = NULL, organization = NULL, notes = '', \
         search_text = '', erased_at = $1, updated_at = $1 WHERE id = $2",
        params![now, id],
    )?;
    Ok(())
}

/// How many closed tickets, closed before `cutoff`, are not yet erased (at most `cap`, read
/// from the partial index).
pub(crate) fn count_closed_before(conn: &mut dyn Conn, cutoff: i64, cap: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "SELECT COUNT(*) FROM (SELECT id FROM tickets WHERE status = 'closed' AND erased_at IS NULL \
         AND closed_at < $1 LIMIT $2) due",
        params![cutoff, cap],
    )?)
}

/// Up to `limit` closed tickets, closed before `cutoff`, not yet erased, oldest first.
pub(crate) fn closed_before(conn: &mut dyn Conn, cutoff: i64, limit: i64) -> AppResult<Vec<i64>> {
    conn.query(
        "SELECT id FROM tickets WHERE status = 'closed' AND erased_at IS NULL AND closed_at < $1 \
         ORDER BY closed_at, id LIMIT $2",
        params![cutoff, limit],
    )?
    .iter()
    .map(|row| Ok(row.get(0)?))
    .collect()
}
