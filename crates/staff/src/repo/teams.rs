//! SQL of teams and their members.

use crate::TeamView;
use std::collections::HashMap;
use tiski_kernel::{AppError, AppResult, Sql, time};
use tiski_store::{Conn, Row, params};

fn member_ids(conn: &mut dyn Conn, team_id: i64) -> AppResult<Vec<i64>> {
    conn.query(
        "SELECT m.user_id FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 ORDER BY m.user_id",
        params![team_id],
    )?
    .iter()
    .map(|r| Ok(r.get(0)?))
    .collect()
}

fn view(conn: &mut dyn Conn, row: &Row) -> AppResult<TeamView> {
    let id: i64 = row.get(0)?;
    Ok(TeamView {
        id,
        name: row.get(1)?,
        member_ids: member_ids(conn, id)?,
        created_at: time::format(row.get(2)?),
    })
}

pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<TeamView> {
    let row = conn
        .query_opt(
            "SELECT id, name, created_at FROM teams WHERE id = $1",
            params![id],
        )?
        .ok_or(AppError::not_found("team"))?;
    view(conn, &row)
}

/// Teams with ids after `after`, in id order, with their members in one more query.
pub(crate) fn list(conn: &mut dyn Conn, after: i64, limit: i64) -> AppResult<Vec<TeamView>> {
    let rows = conn.query(
        "SELECT id, name, created_at FROM teams WHERE id > $1 ORDER BY id LIMIT $2",
        params![after, limit],
    )?;
    let ids = rows
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<Vec<i64>, _>>()?;
    let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
    if !ids.is_empty() {
        let mut sql = Sql::new(conn.engine());
        let list = sql.bind_ids(&ids);
        let text = format!(
            "SELECT team_id, user_id FROM team_members WHERE team_id IN {list} ORDER BY user_id"
        );
        for row in conn.query(&text, sql.params())? {
            members.entry(row.get(0)?).or_default().push(row.get(1)?);
        }
    }
    rows.iter()
        .map(|row| {
            let id: i64 = row.get(0)?;
            Ok(TeamView {
                id,
                name: row.get(1)?,
                member_ids: members.remove(&id).unwrap_or_default(),
                created_at: time::format(row.get(2)?),
            })
        })
        .collect()
}

/// The id of the team with this case-folded name.
pub(crate) fn id_of_name(conn: &mut dyn Conn, key: &str) -> AppResult<Option<i64>> {
    conn.query_opt("SELECT id FROM teams WHERE name_key = $1", params![key])?
        .map(|row| Ok(row.get(0)?))
        .transpose()
}

pub(crate) fn insert(conn: &mut dyn Conn, name: &str, key: &str, now: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO teams (name, name_key, created_at) VALUES ($1, $2, $3) RETURNING id",
        params![name, key, now],
    )?)
}

pub(crate) fn exists(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    Ok(conn
        .query_opt("SELECT id FROM teams WHERE id = $1", params![id])?
        .is_some())
}

pub(crate) fn is_member(conn: &mut dyn Conn, team_id: i64, user_id: i64) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2",
            params![team_id, user_id],
        )?
        .is_some())
}

pub(crate) fn teams_of(conn: &mut dyn Conn, user_id: i64) -> AppResult<Vec<i64>> {
    conn.query(
        "SELECT team_id FROM team_members WHERE user_id = $1",
        params![user_id],
    )?
    .iter()
    .map(|r| Ok(r.get(0)?))
    .collect()
}

pub(crate) fn add_member(conn: &mut dyn Conn, team_id: i64, user_id: i64) -> AppResult<()> {
    conn.execute(
        "INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)",
        params![team_id, user_id],
    )?;
    Ok(())
}

pub(crate) fn remove_member(conn: &mut dyn Conn, team_id: i64, user_id: i64) -> AppResult<()> {
    conn.execute(
        "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2",
        params![team_id, user_id],
    )?;
    Ok(())
}
