//! SQL of staff users and the scope of who sees whom.

use crate::{AgentView, ValidAgent};
use std::collections::HashMap;
use tiski_kernel::{Actor, AppError, AppResult, Sql, time};
use tiski_store::{Conn, Json, Row, params};

const COLUMNS: &str = "u.id, u.email, u.name, u.role, u.languages, u.active, u.created_at";

/// The condition keeping the users (alias `u`) `actor` sees: everyone for admins, otherwise
/// themselves and the members of their teams, with every value bound.
fn scope(sql: &mut Sql, actor: &Actor) -> String {
    if actor.is_admin() {
        return "1 = 1".into();
    }
    let me = sql.bind(actor.id);
    if actor.team_ids.is_empty() {
        return format!("u.id = {me}");
    }
    let teams = sql.bind_ids(&actor.team_ids);
    format!(
        "(u.id = {me} OR EXISTS (SELECT 1 FROM team_members m WHERE m.user_id = u.id AND m.team_id IN {teams}))"
    )
}

/// Reads rows of [`COLUMNS`] with all their team ids in one more query.
fn views(conn: &mut dyn Conn, rows: &[Row]) -> AppResult<Vec<AgentView>> {
    let ids = rows
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<Vec<i64>, _>>()?;
    let mut teams: HashMap<i64, Vec<i64>> = HashMap::new();
    if !ids.is_empty() {
        let mut sql = Sql::new(conn.engine());
        let list = sql.bind_ids(&ids);
        let text = format!(
            "SELECT user_id, team_id FROM team_members WHERE user_id IN {list} ORDER BY team_id"
        );
        for row in conn.query(&text, sql.params())? {
            teams.entry(row.get(0)?).or_default().push(row.get(1)?);
        }
    }
    rows.iter()
        .map(|row| {
            let id: i64 = row.get(0)?;
            let Json(languages): Json<Vec<String>> = row.get(4)?;
            Ok(AgentView {
                id,
                email: row.get(1)?,
                name: row.get(2)?,
                role: row.get(3)?,
                team_ids: teams.remove(&id).unwrap_or_default(),
                languages,
                active: row.get(5)?,
                created_at: time::format(row.get(6)?),
            })
        })
        .collect()
}

/// A user, whoever asks (inside commands that already checked).
pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<AgentView> {
    let rows = conn.query(
        &format!("SELECT {COLUMNS} FROM users u WHERE u.id = $1"),
        params![id],
    )?;
    views(conn, &rows)?
        .pop()
        .ok_or(AppError::not_found("agent"))
}

/// A user `actor` sees.
pub(crate) fn get_visible(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<AgentView> {
    let mut sql = Sql::new(conn.engine());
    let id_param = sql.bind(id);
    let scope = scope(&mut sql, actor);
    let rows = conn.query(
        &format!("SELECT {COLUMNS} FROM users u WHERE u.id = {id_param} AND {scope}"),
        sql.params(),
    )?;
    views(conn, &rows)?
        .pop()
        .ok_or(AppError::not_found("agent"))
}

/// The users `actor` sees with ids after `after`, in id order, at most `limit`.
pub(crate) fn list_visible(
    conn: &mut dyn Conn,
    actor: &Actor,
    after: i64,
    limit: i64,
) -> AppResult<Vec<AgentView>> {
    let mut sql = Sql::new(conn.engine());
    let after = sql.bind(after);
    let scope = scope(&mut sql, actor);
    let limit = sql.bind(limit);
    let rows = conn.query(
        &format!("SELECT {COLUMNS} FROM users u WHERE u.id > {after} AND {scope} ORDER BY u.id LIMIT {limit}"),
        sql.params(),
    )?;
    views(conn, &rows)
}

/// Whether a user with this sign-in email exists (active or not).
pub(crate) fn email_taken(conn: &mut dyn Conn, email: &str) -> AppResult<bool> {
    Ok(conn
        .query_opt("SELECT id FROM users WHERE email = $1", params![email])?
        .is_some())
}

pub(crate) fn insert(conn: &mut dyn Conn, agent: &ValidAgent, now: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO users (email, name, role, languages, active, password_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $6, $6) RETURNING id",
        params![
            agent.email.as_str(),
            agent.name.as_str(),
            agent.role.as_str(),
            serde_json::to_string(&agent.languages)?,
            agent.password_hash.clone(),
            now
        ],
    )?)
}

/// Changes of a user's stored fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserChanges {
    pub name: Option<String>,
    pub role: Option<tiski_domain::Role>,
    pub languages: Option<Vec<String>>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

pub(crate) fn update(
    conn: &mut dyn Conn,
    id: i64,
    changes: &UserChanges,
    now: i64,
) -> AppResult<()> {
    conn.execute(
        "UPDATE users SET name = COALESCE($1, name), role = COALESCE($2, role), languages = COALESCE($3, languages), \
         active = COALESCE($4, active), password_hash = COALESCE($5, password_hash), updated_at = $6 WHERE id = $7",
        params![
            changes.name.clone(),
            changes.role.map(|r| r.as_str()),
            changes.languages.as_ref().map(serde_json::to_string).transpose()?,
            changes.active,
            changes.password_hash.clone(),
            now,
            id
        ],
    )?;
    Ok(())
}

/// The id and password hash of the active user with this email.
pub(crate) fn password_of_email(
    conn: &mut dyn Conn,
    email: &str,
) -> AppResult<Option<(i64, Option<String>)>> {
    conn.query_opt(
        "SELECT id, password_hash FROM users WHERE email = $1 AND active = 1",
        params![email],
    )?
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .transpose()
}

/// The id of the active user with this email.
pub(crate) fn active_id_of_email(conn: &mut dyn Conn, email: &str) -> AppResult<Option<i64>> {
    conn.query_opt(
        "SELECT id FROM users WHERE email = $1 AND active = 1",
        params![email],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// Whether `id` is an active user.
pub(crate) fn is_active(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT id FROM users WHERE id = $1 AND active = 1",
            params![id],
        )?
        .is_some())
}

/// Whether `id` is a user, active or not.
pub(crate) fn exists(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    Ok(conn
        .query_opt("SELECT id FROM users WHERE id = $1", params![id])?
        .is_some())
}

/// An active user as an actor, with their teams.
pub(crate) fn actor(conn: &mut dyn Conn, user_id: i64) -> AppResult<Option<Actor>> {
    let Some(row) = conn.query_opt(
        "SELECT id, name, email, role FROM users WHERE id = $1 AND active = 1",
        params![user_id],
    )?
    else {
        return Ok(None);
    };
    let team_ids = conn
        .query(
            "SELECT team_id FROM team_members WHERE user_id = $1 ORDER BY team_id",
            params![user_id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<Vec<i64>, _>>()?;
    Ok(Some(Actor {
        id: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
        role: row.get(3)?,
        team_ids,
    }))
}

/// Whether an active admin exists.
pub(crate) fn has_admin(conn: &mut dyn Conn) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT id FROM users WHERE role = 'admin' AND active = 1 LIMIT 1",
            &[],
        )?
        .is_some())
}

/// Every user's display name, by id.
pub(crate) fn names(conn: &mut dyn Conn) -> AppResult<HashMap<i64, String>> {
    conn.query("SELECT id, name FROM users", &[])?
        .iter()
        .map(|row| Ok((row.get(0)?, row.get(1)?)))
        .collect()
}

/// The workspace language a user chose.
pub(crate) fn ui_locale(conn: &mut dyn Conn, id: i64) -> AppResult<Option<String>> {
    Ok(conn
        .query_opt("SELECT ui_locale FROM users WHERE id = $1", params![id])?
        .map(|row| row.get::<Option<String>>(0))
        .transpose()?
        .flatten())
}

pub(crate) fn set_ui_locale(conn: &mut dyn Conn, id: i64, locale: Option<&str>) -> AppResult<()> {
    conn.execute(
        "UPDATE users SET ui_locale = $1 WHERE id = $2",
        params![locale, id],
    )?;
    Ok(())
}

/// The credential epoch of an active user (`None` when not active).
pub(crate) fn auth_epoch(conn: &mut dyn Conn, id: i64) -> AppResult<Option<i64>> {
    conn.query_opt(
        "SELECT auth_epoch FROM users WHERE id = $1 AND active = 1",
        params![id],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// Raises a user's credential epoch: every stream opened before ends.
pub(crate) fn bump_auth_epoch(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE users SET auth_epoch = auth_epoch + 1 WHERE id = $1",
        params![id],
    )?;
    Ok(())
}

/// Every active staff user as an actor (role and teams), for deciding who may see a ticket
/// outside their own request (notifications): two queries, however many users.
pub(crate) fn active_actors(conn: &mut dyn Conn) -> AppResult<Vec<Actor>> {
    let mut teams: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in conn
        .query(
            "SELECT m.user_id, m.team_id FROM team_members m JOIN users u ON u.id = m.user_id WHERE u.active = 1 ORDER BY m.user_id, m.team_id",
            &[],
        )?
        .iter()
    {
        teams.entry(row.get(0)?).or_default().push(row.get(1)?);
    }
    conn.query(
        "SELECT id, name, email, role FROM users WHERE active = 1 ORDER BY id",
        &[],
    )?
    .iter()
    .map(|row| {
        let id: i64 = row.get(0)?;
        Ok(Actor {
            id,
            name: row.get(1)?,
            email: row.get(2)?,
            role: row.get(3)?,
            team_ids: teams.remove(&id).unwrap_or_default(),
        })
    })
    .collect()
}

/// Email, display name and language of an active user: the one they chose for the
/// workspace, else the first they speak.
pub(crate) fn contact(
    conn: &mut dyn Conn,
    id: i64,
) -> AppResult<Option<(String, String, Option<String>)>> {
    conn.query_opt(
        "SELECT email, name, ui_locale, languages FROM users WHERE id = $1 AND active = 1",
        params![id],
    )?
    .map(|row| {
        let ui_locale: Option<String> = row.get(2)?;
        let Json(languages): Json<Vec<String>> = row.get(3)?;
        Ok((
            row.get(0)?,
            row.get(1)?,
            ui_locale.or_else(|| languages.into_iter().next()),
        ))
    })
    .transpose()
}
