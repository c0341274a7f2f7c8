//! Appending events and reading the log, scoped to what the reader may see.

use crate::{Actor, AppResult, time};
use serde::Serialize;
use tiski_domain::EventType;
use tiski_store::{Conn, NewEvent, Row, WriteTx, params};

/// Appends an event in the current write transaction.
pub(crate) fn append(
    tx: &mut WriteTx<'_>,
    actor: &Actor,
    ticket_id: Option<i64>,
    kind: EventType,
    payload: serde_json::Value,
) {
    tx.append_event(NewEvent {
        at: time::now_micros(),
        actor_kind: if actor.id == 0 { "system" } else { "agent" }.into(),
        actor_id: (actor.id != 0).then_some(actor.id),
        ticket_id,
        kind: kind.as_str().into(),
        payload: payload.to_string(),
    });
    metrics::counter!("tiski_events_total", "type" => kind.as_str()).increment(1);
}

/// An event as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventView {
    /// Monotonic id; pass as `after` to read on.
    pub id: i64,
    /// When it happened.
    pub at: String,
    /// The event type, such as `ticket.created`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `customer`, `agent` or `system`.
    pub actor_kind: String,
    /// The acting user or customer.
    pub actor_id: Option<i64>,
    /// The ticket, for ticket events.
    pub ticket_id: Option<i64>,
    /// The event's data.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

const COLUMNS: &str = "e.id, e.at, e.kind, e.actor_kind, e.actor_id, e.ticket_id, e.payload";

fn view(row: &Row) -> AppResult<EventView> {
    let payload: String = row.get(6)?;
    Ok(EventView {
        id: row.get(0)?,
        at: time::format(row.get(1)?),
        kind: row.get(2)?,
        actor_kind: row.get(3)?,
        actor_id: row.get(4)?,
        ticket_id: row.get(5)?,
        data: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
    })
}

/// Events after `after` that `actor` may see, oldest first. Admins see every event; others see
/// the events of tickets they may see now.
pub(crate) fn after(
    conn: &mut dyn Conn,
    actor: &Actor,
    after: i64,
    limit: i64,
) -> AppResult<Vec<EventView>> {
    let sql = if actor.is_admin() {
        format!("SELECT {COLUMNS} FROM events e WHERE e.id > $1 ORDER BY e.id LIMIT $2")
    } else {
        format!(
            "SELECT {COLUMNS} FROM events e JOIN tickets t ON t.id = e.ticket_id \
             WHERE e.id > $1 AND {} ORDER BY e.id LIMIT $2",
            actor.ticket_scope_sql()
        )
    };
    conn.query(&sql, params![after, limit])?
        .iter()
        .map(view)
        .collect()
}

/// A ticket's history, oldest first.
pub(crate) fn of_ticket(
    conn: &mut dyn Conn,
    ticket_id: i64,
    after: i64,
    limit: i64,
) -> AppResult<Vec<EventView>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events e WHERE e.ticket_id = $1 AND e.id > $2 ORDER BY e.id LIMIT $3"
    );
    conn.query(&sql, params![ticket_id, after, limit])?
        .iter()
        .map(view)
        .collect()
}
