//! The webhooks repository: all SQL over the `webhooks` table.

use crate::WebhookView;
use tiski_kernel::{AppResult, time};
use tiski_store::{Conn, Json, Row, params};

fn view(row: &Row) -> AppResult<WebhookView> {
    let Json(event_types) = row.get(2)?;
    Ok(WebhookView {
        id: row.get(0)?,
        url: row.get(1)?,
        event_types,
        active: row.get(3)?,
        created_at: time::format(row.get(4)?),
        secret: None,
    })
}

pub(crate) fn insert(
    conn: &mut dyn Conn,
    url: &str,
    types: &[String],
    secret: &str,
    created_by: i64,
    now: i64,
) -> AppResult<WebhookView> {
    let id: i64 = conn.query_scalar(
        "INSERT INTO webhooks (url, event_types, secret, active, created_by, created_at) VALUES ($1, $2, $3, 1, $4, $5) RETURNING id",
        params![url, serde_json::to_string(types)?, secret, created_by, now],
    )?;
    let row = conn.query_one(
        "SELECT id, url, event_types, active, created_at FROM webhooks WHERE id = $1",
        params![id],
    )?;
    view(&row)
}

/// Active webhooks with ids after `after`, in id order, at most `limit`.
pub(crate) fn active(conn: &mut dyn Conn, after: i64, limit: i64) -> AppResult<Vec<WebhookView>> {
    conn.query(
        "SELECT id, url, event_types, active, created_at FROM webhooks WHERE active = 1 AND id > $1 ORDER BY id LIMIT $2",
        params![after, limit],
    )?
    .iter()
    .map(view)
    .collect()
}

/// Deactivates a webhook; whether it was active.
pub(crate) fn deactivate(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE webhooks SET active = 0 WHERE id = $1 AND active = 1",
        params![id],
    )? > 0)
}

pub(crate) fn exists(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    Ok(conn
        .query_opt("SELECT id FROM webhooks WHERE id = $1", params![id])?
        .is_some())
}

/// Every active webhook's id and event types, for the dispatcher.
pub(crate) fn subscriptions(conn: &mut dyn Conn) -> AppResult<Vec<(i64, Vec<String>)>> {
    conn.query("SELECT id, event_types FROM webhooks WHERE active = 1", &[])?
        .iter()
        .map(|r| {
            let Json(types) = r.get(1)?;
            Ok((r.get(0)?, types))
        })
        .collect()
}

/// The URL and secret of an active webhook.
pub(crate) fn target(conn: &mut dyn Conn, id: i64) -> AppResult<Option<(String, String)>> {
    conn.query_opt(
        "SELECT url, secret FROM webhooks WHERE id = $1 AND active = 1",
        params![id],
    )?
    .map(|r| Ok((r.get(0)?, r.get(1)?)))
    .transpose()
}
