//! The event log: appending typed events in a command's transaction, reading them back as
//! views, and upgrading rows written in older schema versions.

use crate::repo::events as repo;
use crate::{Actor, AppResult, time};
use serde::Serialize;
use tiski_domain::{EVENT_SCHEMA_VERSION, Event, EventType};
use tiski_store::{Conn, NewEvent, Row, Store, WriteTx};

pub use repo::COLUMNS;

/// Appends `event` in the current write transaction.
pub(crate) fn append(
    tx: &mut WriteTx<'_>,
    actor: &Actor,
    rule: Option<crate::Rule>,
    at: i64,
    ticket_id: Option<i64>,
    event: &Event,
) {
    let kind = event.kind();
    let (actor_kind, actor_id) = match rule {
        Some(rule) => (rule.kind, Some(rule.id)),
        None if actor.is_system() => ("system", None),
        None => ("agent", Some(actor.id)),
    };
    tx.append_event(NewEvent {
        at,
        actor_kind: actor_kind.into(),
        actor_id,
        ticket_id,
        kind: kind.as_str().into(),
        version: EVENT_SCHEMA_VERSION,
        payload: event.payload_json(),
    });
    metrics::counter!("tiski_events_total", "type" => kind.as_str()).increment(1);
}

/// An event as the API, webhooks and live streams show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventView {
    /// Monotonic id; pass as `after` to read on.
    pub id: i64,
    /// When it happened.
    pub at: String,
    /// The event type, such as `ticket.created`.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// The schema version of `data`.
    pub version: i64,
    /// `customer`, `agent`, `system`, or the automation rule that acted (`trigger`,
    /// `time_rule`, with its id as `actor_id`).
    pub actor_kind: String,
    /// The acting user or customer.
    pub actor_id: Option<i64>,
    /// The ticket, for ticket events.
    pub ticket_id: Option<i64>,
    /// The event's data: ids and the fields that changed, never personal data.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// The same event, typed, for readers inside tiski.
    #[serde(skip)]
    pub event: Event,
}

/// Reads a row of [`COLUMNS`] as a view; a row that does not decode is an error naming it.
pub fn view(row: &Row) -> AppResult<EventView> {
    let kind: String = row.get(2)?;
    let version: i64 = row.get(6)?;
    let payload: String = row.get(7)?;
    let (event, data) = Event::decode_with_data(&kind, version, &payload)?;
    Ok(EventView {
        id: row.get(0)?,
        at: time::format(row.get(1)?),
        kind: event.kind(),
        version: EVENT_SCHEMA_VERSION,
        actor_kind: row.get(3)?,
        actor_id: row.get(4)?,
        ticket_id: row.get(5)?,
        data,
        event,
    })
}

/// Every event after `after`, oldest first (for admins and workers, who see everything).
pub fn after(conn: &mut dyn Conn, after: i64, limit: i64) -> AppResult<Vec<EventView>> {
    repo::after(conn, after, limit)?.iter().map(view).collect()
}

/// A ticket's events after `after`, oldest first.
pub fn of_ticket(
    conn: &mut dyn Conn,
    ticket_id: i64,
    after: i64,
    limit: i64,
) -> AppResult<Vec<EventView>> {
    repo::of_ticket(conn, ticket_id, after, limit)?
        .iter()
        .map(view)
        .collect()
}

/// Whether an event of one of `kinds` has an id in `(after, upto]`: how a per-node cache
/// learns from the shared log that what it remembers changed (on any node).
pub fn any_of_kinds(
    conn: &mut dyn Conn,
    after: i64,
    upto: i64,
    kinds: &[tiski_domain::EventType],
) -> AppResult<bool> {
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    Ok(repo::any_of_kinds(conn, after, upto, &kinds)?)
}

/// The newest event id in the log (0 when empty).
pub fn newest(conn: &mut dyn Conn) -> AppResult<i64> {
    Ok(repo::newest(conn)?)
}

/// Rewrites events stored in an older schema version into the current one, in batches; run
/// once at start-up (it is cheap when nothing is old). Returns how many rows were rewritten.
/// A row that cannot be upgraded is left as it is and reported: reading it stays an error.
pub async fn upgrade_log(store: &Store) -> AppResult<usize> {
    let mut upgraded = 0;
    let mut after = 0;
    loop {
        let (done, last, count) = store
            .write(move |tx| {
                let rows = repo::old_versions(tx.conn(), after, 500)?;
                let mut last = after;
                let mut count = 0;
                for row in &rows {
                    let id: i64 = row.get(0)?;
                    let kind: String = row.get(1)?;
                    let version: i64 = row.get(2)?;
                    let payload: String = row.get(3)?;
                    last = id;
                    match Event::decode(&kind, version, &payload) {
                        Ok(event) => {
                            repo::rewrite(
                                tx.conn(),
                                id,
                                EVENT_SCHEMA_VERSION,
                                &event.payload_json(),
                            )?;
                            count += 1;
                        }
                        Err(error) => {
                            tracing::error!(id, %error, "an old event cannot be upgraded")
                        }
                    }
                }
                Ok::<_, crate::AppError>((rows.len() < 500, last, count))
            })
            .await?;
        upgraded += count;
        after = last;
        if done {
            break;
        }
    }
    if upgraded > 0 {
        tracing::info!(
            upgraded,
            "upgraded old events to the current schema version"
        );
    }
    Ok(upgraded)
}
