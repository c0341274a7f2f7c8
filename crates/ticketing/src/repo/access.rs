//! SQL of the access log (`access_log`): append a batch, search newest first by keyset, and
//! prune what is past its retention.

use crate::access::{AccessEntry, AccessQuery, PendingAccess};
use tiski_kernel::{AppResult, Sql, time};
use tiski_store::{Conn, params};

/// Appends a batch of entries (one transaction, one statement text). The ticket of a file's
/// message and the requester of a ticket are found here, off the read path.
pub(crate) fn append(conn: &mut dyn Conn, batch: &[PendingAccess]) -> AppResult<()> {
    for entry in batch {
        conn.execute(
            "INSERT INTO access_log (at, actor_id, action, customer_id, ticket_id, client, surface) \
             VALUES ($1, $2, $3, \
             COALESCE($4, (SELECT t.requester_id FROM tickets t WHERE t.id = COALESCE($5, (SELECT m.ticket_id FROM messages m WHERE m.id = $8)))), \
             COALESCE($5, (SELECT m.ticket_id FROM messages m WHERE m.id = $8)), $6, $7)",
            params![
                entry.at,
                entry.actor_id,
                entry.action.as_str(),
                entry.customer_id,
                entry.ticket_id,
                entry.client.clone(),
                entry.surface.as_str(),
                entry.message_id
            ],
        )?;
    }
    Ok(())
}

/// The entries matching `query` with ids below `before`, newest first. Each filter is served
/// by an index: actor, customer and ticket by `(column, id)`, a time range by `(at, id)`.
pub(crate) fn search(
    conn: &mut dyn Conn,
    query: &AccessQuery,
    before: i64,
    limit: i64,
) -> AppResult<Vec<AccessEntry>> {
    let mut sql = Sql::new(conn.engine());
    let mut conditions = vec![format!("id < {}", sql.bind(before))];
    if let Some(actor) = query.actor_id {
        conditions.push(format!("actor_id = {}", sql.bind(actor)));
    }
    if let Some(customer) = query.customer_id {
        conditions.push(format!("customer_id = {}", sql.bind(customer)));
    }
    if let Some(ticket) = query.ticket_id {
        conditions.push(format!("ticket_id = {}", sql.bind(ticket)));
    }
    if let Some(since) = query.since {
        conditions.push(format!("at >= {}", sql.bind(since)));
    }
    if let Some(until) = query.until {
        conditions.push(format!("at < {}", sql.bind(until)));
    }
    let limit = sql.bind(limit);
    let text = format!(
        "SELECT id, at, actor_id, action, customer_id, ticket_id, client, surface FROM access_log \
         WHERE {} ORDER BY id DESC LIMIT {limit}",
        conditions.join(" AND ")
    );
    conn.query(&text, sql.params())?
        .iter()
        .map(|row| {
            Ok(AccessEntry {
                id: row.get(0)?,
                at: time::format(row.get(1)?),
                actor_id: row.get(2)?,
                action: row.get(3)?,
                customer_id: row.get(4)?,
                ticket_id: row.get(5)?,
                client: row.get(6)?,
                surface: row.get(7)?,
            })
        })
        .collect()
}

/// Deletes up to `limit` of the oldest entries written before `cutoff`; returns how many.
pub(crate) fn prune(conn: &mut dyn Conn, cutoff: i64, limit: i64) -> AppResult<usize> {
    let deleted = conn.execute(
        "DELETE FROM access_log WHERE id IN \
         (SELECT id FROM access_log WHERE at < $1 ORDER BY at, id LIMIT $2)",
        params![cutoff, limit],
    )?;
    Ok(deleted as usize)
}
