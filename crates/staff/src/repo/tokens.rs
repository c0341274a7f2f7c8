//! SQL of API tokens.

use crate::ApiTokenView;
use tiski_kernel::{Actor, AppResult, Sql};
use tiski_store::{Conn, Row, params};

pub(crate) fn insert(
    conn: &mut dyn Conn,
    user_id: i64,
    label: &str,
    digest: &str,
    now: i64,
) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        params![user_id, label, digest, now],
    )?)
}

/// The id of the token with this digest and the user it acts as.
pub(crate) fn of_digest(conn: &mut dyn Conn, digest: &str) -> AppResult<Option<(i64, i64)>> {
    conn.query_opt(
        "SELECT id, user_id FROM api_tokens WHERE token_hash = $1",
        params![digest],
    )?
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .transpose()
}

/// Whether token `id` exists and acts as `user_id`.
pub(crate) fn belongs_to(conn: &mut dyn Conn, id: i64, user_id: i64) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT id FROM api_tokens WHERE id = $1 AND user_id = $2",
            params![id, user_id],
        )?
        .is_some())
}

/// The condition keeping the tokens (alias `k`) `actor` may see: all for admins and tiski
/// itself, otherwise their own.
fn scope(sql: &mut Sql, actor: &Actor) -> String {
    if actor.is_admin() || actor.is_system() {
        return "1 = 1".into();
    }
    format!("k.user_id = {}", sql.bind(actor.id))
}

const COLUMNS: &str = "k.id, k.user_id, u.name, k.label, k.created_at";

fn view(row: &Row) -> AppResult<ApiTokenView> {
    Ok(ApiTokenView {
        id: row.get(0)?,
        user_id: row.get(1)?,
        user_name: row.get(2)?,
        label: row.get(3)?,
        created_at: row.get(4)?,
    })
}

/// The tokens `actor` may see, newest first, with ids below `before`, at most `limit`.
pub(crate) fn list_visible(
    conn: &mut dyn Conn,
    actor: &Actor,
    before: i64,
    limit: i64,
) -> AppResult<Vec<ApiTokenView>> {
    let mut sql = Sql::new(conn.engine());
    let before = sql.bind(before);
    let scope = scope(&mut sql, actor);
    let limit = sql.bind(limit);
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM api_tokens k JOIN users u ON u.id = k.user_id \
             WHERE k.id < {before} AND {scope} ORDER BY k.id DESC LIMIT {limit}"
        ),
        sql.params(),
    )?
    .iter()
    .map(view)
    .collect()
}

/// Token `id`, when `actor` may see it.
pub(crate) fn get_visible(
    conn: &mut dyn Conn,
    actor: &Actor,
    id: i64,
) -> AppResult<Option<ApiTokenView>> {
    let mut sql = Sql::new(conn.engine());
    let id = sql.bind(id);
    let scope = scope(&mut sql, actor);
    conn.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE k.id = {id} AND {scope}"
        ),
        sql.params(),
    )?
    .map(|row| view(&row))
    .transpose()
}

/// Deletes a token; whether there was one.
pub(crate) fn delete(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    Ok(conn.execute("DELETE FROM api_tokens WHERE id = $1", params![id])? > 0)
}
