//! SQL of macros.

use crate::macros::{MacroView, ValidMacro};
use tiski_domain::Status;
use tiski_kernel::AppResult;
use tiski_store::{Conn, Json, Row, Value, params};

const COLUMNS: &str =
    "m.id, m.title, m.body, m.language, m.set_status, m.add_tags, m.set_team_id, m.owner_id";

fn view(row: &Row) -> AppResult<MacroView> {
    let Json(add_tags) = row.get(5)?;
    Ok(MacroView {
        id: row.get(0)?,
        title: row.get(1)?,
        body: row.get(2)?,
        language: row.get(3)?,
        set_status: row.get::<Option<Status>>(4)?,
        add_tags,
        set_team_id: row.get(6)?,
        owner_id: row.get(7)?,
    })
}

/// A macro `user_id` may use: shared, or their own.
pub(crate) fn get_usable(
    conn: &mut dyn Conn,
    user_id: i64,
    id: i64,
) -> AppResult<Option<MacroView>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM macros m WHERE m.id = $1 AND (m.owner_id IS NULL OR m.owner_id = $2)"),
        params![id, user_id],
    )?
    .map(|row| view(&row))
    .transpose()
}

/// The macros `user_id` may use, matching `pattern` (a `LIKE` pattern) when given; those in
/// `language` first, then by title; at most 50.
pub(crate) fn usable(
    conn: &mut dyn Conn,
    user_id: i64,
    pattern: Option<&str>,
    language: &str,
) -> AppResult<Vec<MacroView>> {
    let rows = match pattern {
        Some(pattern) => conn.query(
            &format!("SELECT {COLUMNS} FROM macros m WHERE (m.owner_id IS NULL OR m.owner_id = $1) AND m.search_text LIKE $2 ESCAPE '\\' \
                      ORDER BY CASE WHEN m.language = $3 THEN 0 ELSE 1 END, m.title, m.id LIMIT 50"),
            params![user_id, pattern, language],
        )?,
        None => conn.query(
            &format!("SELECT {COLUMNS} FROM macros m WHERE (m.owner_id IS NULL OR m.owner_id = $1) \
                      ORDER BY CASE WHEN m.language = $2 THEN 0 ELSE 1 END, m.title, m.id LIMIT 50"),
            params![user_id, language],
        )?,
    };
    rows.iter().map(view).collect()
}

/// The stored fields of a macro, `$1` to `$8` of its insert and update.
fn fields(valid: &ValidMacro) -> AppResult<Vec<Value>> {
    Ok(vec![
        valid.title.as_str().into(),
        valid.body.as_str().into(),
        valid.language.clone().into(),
        valid.set_status.map(|s| s.as_str()).into(),
        serde_json::to_string(&valid.add_tags)?.into(),
        valid.set_team_id.into(),
        valid.owner_id.into(),
        valid.search_text.as_str().into(),
    ])
}

pub(crate) fn insert(
    conn: &mut dyn Conn,
    valid: &ValidMacro,
    created_by: i64,
    now: i64,
) -> AppResult<i64> {
    let mut values = fields(valid)?;
    values.extend([created_by.into(), now.into()]);
    Ok(conn.query_scalar(
        "INSERT INTO macros (title, body, language, set_status, add_tags, set_team_id, owner_id, search_text, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        &values,
    )?)
}

pub(crate) fn update(conn: &mut dyn Conn, id: i64, valid: &ValidMacro, now: i64) -> AppResult<()> {
    let mut values = fields(valid)?;
    values.extend([now.into(), id.into()]);
    conn.execute(
        "UPDATE macros SET title = $1, body = $2, language = $3, set_status = $4, add_tags = $5, set_team_id = $6, owner_id = $7, search_text = $8, updated_at = $9 WHERE id = $10",
        &values,
    )?;
    Ok(())
}

pub(crate) fn delete(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    conn.execute("DELETE FROM macros WHERE id = $1", params![id])?;
    Ok(())
}
