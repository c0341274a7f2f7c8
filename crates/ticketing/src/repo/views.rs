//! SQL of saved views.

use crate::SavedView;
use tiski_kernel::AppResult;
use tiski_store::{Conn, Json, Row, params};

fn view(row: &Row) -> AppResult<SavedView> {
    let Json(filters) = row.get(2)?;
    Ok(SavedView {
        id: row.get(0)?,
        name: row.get(1)?,
        filters,
        owner_id: row.get(3)?,
    })
}

/// Shared views and `user_id`'s own, by name.
pub(crate) fn usable(conn: &mut dyn Conn, user_id: i64) -> AppResult<Vec<SavedView>> {
    conn.query(
        "SELECT id, name, filters, owner_id FROM saved_views WHERE owner_id IS NULL OR owner_id = $1 ORDER BY name, id LIMIT 100",
        params![user_id],
    )?
    .iter()
    .map(view)
    .collect()
}

/// A view `user_id` may use.
pub(crate) fn get_usable(
    conn: &mut dyn Conn,
    user_id: i64,
    id: i64,
) -> AppResult<Option<SavedView>> {
    conn.query_opt(
        "SELECT id, name, filters, owner_id FROM saved_views WHERE id = $1 AND (owner_id IS NULL OR owner_id = $2)",
        params![id, user_id],
    )?
    .map(|row| view(&row))
    .transpose()
}

pub(crate) fn insert(
    conn: &mut dyn Conn,
    name: &str,
    filters_json: &str,
    owner: Option<i64>,
    created_by: i64,
    now: i64,
) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO saved_views (name, filters, owner_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        params![name, filters_json, owner, created_by, now],
    )?)
}

pub(crate) fn delete(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    conn.execute("DELETE FROM saved_views WHERE id = $1", params![id])?;
    Ok(())
}
