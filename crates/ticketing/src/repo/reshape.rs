//! SQL of reshaping work: merging tickets and customers, splitting a message off, and the
//! history of a ticket with the tickets merged into it.

use tiski_domain::Channel;
use tiski_kernel::events::{COLUMNS, EventView, view};
use tiski_kernel::{AppResult, Sql};
use tiski_store::{Conn, params};

/// Moves every message of ticket `from` (their files follow them) onto `into`; how many.
pub(crate) fn move_messages(conn: &mut dyn Conn, from: i64, into: i64) -> AppResult<i64> {
    let moved = conn.execute(
        "UPDATE messages SET ticket_id = $1 WHERE ticket_id = $2",
        params![into, from],
    )?;
    Ok(i64::try_from(moved).unwrap_or(i64::MAX))
}

/// Moves one message (its files follow it) onto ticket `into`.
pub(crate) fn move_message(conn: &mut dyn Conn, message_id: i64, into: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE messages SET ticket_id = $1 WHERE id = $2",
        params![into, message_id],
    )?;
    Ok(())
}

/// The ticket a message is on, how many messages that ticket has, and the message's channel.
pub(crate) fn message_ticket(
    conn: &mut dyn Conn,
    message_id: i64,
) -> AppResult<Option<(i64, i64, Channel)>> {
    conn.query_opt(
        "SELECT m.ticket_id, (SELECT COUNT(*) FROM messages o WHERE o.ticket_id = m.ticket_id), m.channel FROM messages m WHERE m.id = $1",
        params![message_id],
    )?
    .map(|row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
    .transpose()
}

/// Moves the CCs of ticket `from` onto `into` (those already there stay once).
pub(crate) fn move_ccs(conn: &mut dyn Conn, from: i64, into: i64) -> AppResult<()> {
    conn.execute(
        "INSERT INTO ticket_cc (ticket_id, email, name) SELECT CAST($1 AS BIGINT), email, name FROM ticket_cc WHERE ticket_id = $2 \
         ON CONFLICT (ticket_id, email) DO NOTHING",
        params![into, from],
    )?;
    conn.execute("DELETE FROM ticket_cc WHERE ticket_id = $1", params![from])?;
    Ok(())
}

/// Points a merged ticket at its survivor.
pub(crate) fn set_merged_into(conn: &mut dyn Conn, id: i64, into: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE tickets SET merged_into = $1 WHERE id = $2",
        params![into, id],
    )?;
    Ok(())
}

/// Links a split-off ticket to the ticket its message came from.
pub(crate) fn set_split_from(conn: &mut dyn Conn, id: i64, from: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE tickets SET split_from = $1 WHERE id = $2",
        params![from, id],
    )?;
    Ok(())
}

/// The ticket itself and every ticket merged into it, directly or through others (at most
/// 1,000, along the `merged_into` index).
pub(crate) fn merged_family(conn: &mut dyn Conn, id: i64) -> AppResult<Vec<i64>> {
    conn.query(
        "WITH RECURSIVE family(id) AS (SELECT id FROM tickets WHERE id = $1 UNION SELECT t.id FROM tickets t JOIN family f ON t.merged_into = f.id) \
         SELECT id FROM family LIMIT 1000",
        params![id],
    )?
    .iter()
    .map(|r| Ok(r.get(0)?))
    .collect()
}

/// Events of `ticket_ids` after `after`, oldest first, at most `limit`.
pub(crate) fn events_of(
    conn: &mut dyn Conn,
    ticket_ids: &[i64],
    after: i64,
    limit: i64,
) -> AppResult<Vec<EventView>> {
    let mut sql = Sql::new(conn.engine());
    let ids = sql.bind_ids(ticket_ids);
    let after = sql.bind(after);
    let limit = sql.bind(limit);
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM events e WHERE e.ticket_id IN {ids} AND e.id > {after} ORDER BY e.id LIMIT {limit}"
        ),
        sql.params(),
    )?
    .iter()
    .map(view)
    .collect()
}

/// Moves the identities of customer `from` onto `into`; how many.
pub(crate) fn move_identities(conn: &mut dyn Conn, from: i64, into: i64) -> AppResult<i64> {
    let moved = conn.execute(
        "UPDATE customer_identities SET customer_id = $1 WHERE customer_id = $2",
        params![into, from],
    )?;
    Ok(i64::try_from(moved).unwrap_or(i64::MAX))
}

/// Makes customer `into` the requester (and author of the customer messages) of every ticket
/// of `from`; how many tickets.
pub(crate) fn move_requests(conn: &mut dyn Conn, from: i64, into: i64) -> AppResult<i64> {
    conn.execute(
        "UPDATE messages SET author_id = $1 WHERE ticket_id IN (SELECT id FROM tickets WHERE requester_id = $2) \
         AND author_kind = 'customer' AND author_id = $2",
        params![into, from],
    )?;
    let moved = conn.execute(
        "UPDATE tickets SET requester_id = $1 WHERE requester_id = $2",
        params![into, from],
    )?;
    Ok(i64::try_from(moved).unwrap_or(i64::MAX))
}

/// Marks a customer merged into another: out of lists and searches, pointing at the survivor.
pub(crate) fn set_customer_merged(
    conn: &mut dyn Conn,
    id: i64,
    into: i64,
    now: i64,
) -> AppResult<()> {
    conn.execute(
        "UPDATE customers SET merged_into = $1, search_text = '', updated_at = $2 WHERE id = $3",
        params![into, now, id],
    )?;
    Ok(())
}

/// The customer a customer was merged into, if it was.
pub(crate) fn customer_merged_into(conn: &mut dyn Conn, id: i64) -> AppResult<Option<i64>> {
    Ok(conn
        .query_opt(
            "SELECT merged_into FROM customers WHERE id = $1",
            params![id],
        )?
        .map(|row| row.get::<Option<i64>>(0))
        .transpose()?
        .flatten())
}
