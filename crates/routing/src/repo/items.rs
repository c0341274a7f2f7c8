//! The SQL over `work_items`: one per routed ticket, waiting, offered, assigned or parked.

use super::json;
use tiski_domain::{Channel, Priority};
use tiski_kernel::{AppResult, Sql};
use tiski_store::{Conn, Json, Row, params};
use tiski_ticketing::Requirement;

/// A ticket's work item.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub id: i64,
    pub ticket_id: i64,
    pub queue_id: Option<i64>,
    pub channel: Channel,
    pub cost: i64,
    pub priority: Priority,
    pub eligible_at: i64,
    pub requirements: Vec<Requirement>,
    pub state: String,
    pub agent_id: Option<i64>,
    pub offered_at: Option<i64>,
    pub offer_expires_at: Option<i64>,
}

const ITEM: &str = "SELECT id, ticket_id, queue_id, channel, cost, priority, eligible_at, requirements, state, agent_id, offered_at, offer_expires_at FROM work_items";

fn item_row(row: &Row) -> AppResult<Item> {
    let Json(requirements): Json<Vec<Requirement>> = row.get(7)?;
    Ok(Item {
        id: row.get(0)?,
        ticket_id: row.get(1)?,
        queue_id: row.get(2)?,
        channel: row.get(3)?,
        cost: row.get(4)?,
        priority: row.get(5)?,
        eligible_at: row.get(6)?,
        requirements,
        state: row.get(8)?,
        agent_id: row.get(9)?,
        offered_at: row.get(10)?,
        offer_expires_at: row.get(11)?,
    })
}

/// A work item by its id.
pub(crate) fn item(conn: &mut dyn Conn, id: i64) -> AppResult<Option<Item>> {
    conn.query_opt(&format!("{ITEM} WHERE id = $1"), params![id])?
        .map(|row| item_row(&row))
        .transpose()
}

/// The items offered to an agent, oldest offer first.
pub(crate) fn offers_to(conn: &mut dyn Conn, agent_id: i64) -> AppResult<Vec<Item>> {
    conn.query(
        &format!("{ITEM} WHERE agent_id = $1 AND state = 'offered' ORDER BY offered_at, id"),
        params![agent_id],
    )?
    .iter()
    .map(item_row)
    .collect()
}

/// Offers that lapse by `now`, at most `limit`, by their lapse time.
pub(crate) fn lapsed_offers(conn: &mut dyn Conn, now: i64, limit: i64) -> AppResult<Vec<Item>> {
    conn.query(
        &format!("{ITEM} WHERE state = 'offered' AND offer_expires_at <= $1 ORDER BY offer_expires_at, id LIMIT $2"),
        params![now, limit],
    )?
    .iter()
    .map(item_row)
    .collect()
}

/// Offers a waiting item of `queue_id` to an agent until `expires_at`: `false` when it no
/// longer waits there, so an item is never offered twice.
pub(crate) fn offer(
    conn: &mut dyn Conn,
    item_id: i64,
    queue_id: i64,
    agent_id: i64,
    now: i64,
    expires_at: i64,
) -> AppResult<bool> {
    let changed = conn.execute(
        "UPDATE work_items SET state = 'offered', agent_id = $1, offered_at = $2, offer_expires_at = $3, updated_at = $2 \
         WHERE id = $4 AND state = 'waiting' AND queue_id = $5",
        params![agent_id, now, expires_at, item_id, queue_id],
    )?;
    Ok(changed == 1)
}

/// Ends the offer of an item to an agent: accepted, it is assigned to them; otherwise it
/// waits again (its eligible time kept). `false` when it was not offered to them.
pub(crate) fn end_offer(
    conn: &mut dyn Conn,
    item_id: i64,
    agent_id: i64,
    accepted: bool,
    now: i64,
) -> AppResult<bool> {
    let sql = if accepted {
        "UPDATE work_items SET state = 'assigned', assigned_at = $1, offered_at = NULL, offer_expires_at = NULL, updated_at = $1 \
         WHERE id = $2 AND state = 'offered' AND agent_id = $3"
    } else {
        "UPDATE work_items SET state = 'waiting', agent_id = NULL, offered_at = NULL, offer_expires_at = NULL, updated_at = $1 \
         WHERE id = $2 AND state = 'offered' AND agent_id = $3"
    };
    Ok(conn.execute(sql, params![now, item_id, agent_id])? == 1)
}

/// The work item of a ticket.
pub(crate) fn item_of(conn: &mut dyn Conn, ticket_id: i64) -> AppResult<Option<Item>> {
    conn.query_opt(&format!("{ITEM} WHERE ticket_id = $1"), params![ticket_id])?
        .map(|row| item_row(&row))
        .transpose()
}

/// The work items of these tickets.
pub(crate) fn items_of(conn: &mut dyn Conn, ticket_ids: &[i64]) -> AppResult<Vec<Item>> {
    let mut sql = Sql::new(conn.engine());
    let ids = sql.bind_ids(ticket_ids);
    conn.query(&format!("{ITEM} WHERE ticket_id IN {ids}"), sql.params())?
        .iter()
        .map(item_row)
        .collect()
}

/// Items waiting in a queue, eligible by `now`, oldest first, at most `limit`.
pub(crate) fn waiting(conn: &mut dyn Conn, now: i64, limit: i64) -> AppResult<Vec<Item>> {
    conn.query(
        &format!("{ITEM} WHERE state = 'waiting' AND queue_id IS NOT NULL AND eligible_at <= $1 ORDER BY eligible_at, id LIMIT $2"),
        params![now, limit],
    )?
    .iter()
    .map(item_row)
    .collect()
}

/// Inserts a ticket's work item; its id.
pub(crate) fn insert_item(conn: &mut dyn Conn, item: &Item, now: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO work_items (ticket_id, queue_id, channel, cost, priority, eligible_at, requirements, state, agent_id, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        params![
            item.ticket_id,
            item.queue_id,
            item.channel.as_str(),
            item.cost,
            item.priority.rank(),
            item.eligible_at,
            json(&item.requirements),
            item.state.as_str(),
            item.agent_id,
            now
        ],
    )?)
}

/// Stores what may change of a work item: queue, eligible time, requirements, priority, state
/// and agent.
pub(crate) fn update_item(conn: &mut dyn Conn, item: &Item, now: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE work_items SET queue_id = $1, eligible_at = $2, requirements = $3, priority = $4, state = $5, agent_id = $6, updated_at = $7, \
         offered_at = CASE WHEN $5 = 'offered' THEN offered_at END, offer_expires_at = CASE WHEN $5 = 'offered' THEN offer_expires_at END WHERE id = $8",
        params![
            item.queue_id,
            item.eligible_at,
            json(&item.requirements),
            item.priority.rank(),
            item.state.as_str(),
            item.agent_id,
            now,
            item.id
        ],
    )?;
    Ok(())
}

/// Claims a waiting item of `queue_id` for an agent: `false` when it no longer waits there
/// (another node took it, or it moved), so an item is never given twice.
pub(crate) fn claim(
    conn: &mut dyn Conn,
    item_id: i64,
    queue_id: i64,
    agent_id: i64,
    now: i64,
) -> AppResult<bool> {
    let changed = conn.execute(
        "UPDATE work_items SET state = 'assigned', agent_id = $1, assigned_at = $2, updated_at = $2 \
         WHERE id = $3 AND state = 'waiting' AND queue_id = $4",
        params![agent_id, now, item_id, queue_id],
    )?;
    Ok(changed == 1)
}
