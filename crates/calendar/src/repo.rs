//! The calendars repository: all SQL over the `calendars` and `sla_policies` tables.

use crate::rules::Checked;
use crate::sla::{Policy, SlaPolicyView};
use crate::{CalendarView, Exception, Weekly};
use tiski_kernel::{AppError, AppResult, time};
use tiski_store::{Conn, Json, Row, params};

const COLUMNS: &str =
    "id, name, time_zone, always_open, weekly, exceptions, is_default, created_at, updated_at";

fn view(row: &Row) -> AppResult<CalendarView> {
    let Json(weekly): Json<Vec<Weekly>> = row.get(4)?;
    let Json(exceptions): Json<Vec<Exception>> = row.get(5)?;
    Ok(CalendarView {
        id: row.get(0)?,
        name: row.get(1)?,
        time_zone: row.get(2)?,
        always_open: row.get(3)?,
        weekly,
        exceptions,
        default: row.get(6)?,
        created_at: time::format(row.get(7)?),
        updated_at: time::format(row.get(8)?),
    })
}

/// Stores a new calendar; its id.
pub(crate) fn insert(conn: &mut dyn Conn, calendar: &Checked, now: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO calendars (name, time_zone, always_open, weekly, exceptions, is_default, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $6) RETURNING id",
        params![
            calendar.name.as_str(),
            calendar.time_zone.as_str(),
            calendar.always_open,
            serde_json::to_string(&calendar.weekly)?,
            serde_json::to_string(&calendar.exceptions)?,
            now
        ],
    )?)
}

/// Rewrites a calendar's fields.
pub(crate) fn update(conn: &mut dyn Conn, id: i64, calendar: &Checked, now: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE calendars SET name = $2, time_zone = $3, always_open = $4, weekly = $5, exceptions = $6, updated_at = $7 WHERE id = $1",
        params![
            id,
            calendar.name.as_str(),
            calendar.time_zone.as_str(),
            calendar.always_open,
            serde_json::to_string(&calendar.weekly)?,
            serde_json::to_string(&calendar.exceptions)?,
            now
        ],
    )?;
    Ok(())
}

/// A calendar by id.
pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<CalendarView> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM calendars WHERE id = $1"),
        params![id],
    )?
    .map(|r| view(&r))
    .transpose()?
    .ok_or_else(|| AppError::not_found("calendar"))
}

/// Calendars with ids after `after`, in id order, at most `limit`.
pub(crate) fn list(conn: &mut dyn Conn, after: i64, limit: i64) -> AppResult<Vec<CalendarView>> {
    conn.query(
        &format!("SELECT {COLUMNS} FROM calendars WHERE id > $1 ORDER BY id LIMIT $2"),
        params![after, limit],
    )?
    .iter()
    .map(view)
    .collect()
}

/// The default calendar, if there is one.
pub(crate) fn default(conn: &mut dyn Conn) -> AppResult<Option<CalendarView>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM calendars WHERE is_default = 1"),
        &[],
    )?
    .map(|r| view(&r))
    .transpose()
}

/// Makes `id` the one default calendar (the old one first stops being it: at most one is).
pub(crate) fn set_default(conn: &mut dyn Conn, id: i64, now: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE calendars SET is_default = 0, updated_at = $2 WHERE is_default = 1 AND id <> $1",
        params![id, now],
    )?;
    conn.execute(
        "UPDATE calendars SET is_default = 1 WHERE id = $1",
        params![id],
    )?;
    Ok(())
}

/// Whether a calendar exists.
pub(crate) fn calendar_exists(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    Ok(conn
        .query_opt("SELECT id FROM calendars WHERE id = $1", params![id])?
        .is_some())
}

const POLICY_COLUMNS: &str =
    "id, name, position, filter, calendar_id, targets, created_at, updated_at";

fn policy_view(row: &Row) -> AppResult<SlaPolicyView> {
    let Json(filter) = row.get(3)?;
    let Json(targets) = row.get(5)?;
    Ok(SlaPolicyView {
        id: row.get(0)?,
        name: row.get(1)?,
        position: row.get(2)?,
        filter,
        calendar_id: row.get(4)?,
        targets,
        created_at: time::format(row.get(6)?),
        updated_at: time::format(row.get(7)?),
    })
}

/// How many SLA policies there are.
pub(crate) fn policy_count(conn: &mut dyn Conn) -> AppResult<i64> {
    Ok(conn.query_scalar("SELECT COUNT(*) FROM sla_policies", &[])?)
}

/// Stores a new SLA policy; its id.
pub(crate) fn insert_policy(conn: &mut dyn Conn, policy: &Policy, now: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO sla_policies (name, position, filter, calendar_id, targets, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        params![
            policy.name.as_str(),
            policy.position,
            serde_json::to_string(&policy.filter)?,
            policy.calendar_id,
            serde_json::to_string(&policy.targets)?,
            now
        ],
    )?)
}

/// Rewrites an SLA policy's fields.
pub(crate) fn update_policy(
    conn: &mut dyn Conn,
    id: i64,
    policy: &Policy,
    now: i64,
) -> AppResult<()> {
    conn.execute(
        "UPDATE sla_policies SET name = $2, position = $3, filter = $4, calendar_id = $5, targets = $6, updated_at = $7 WHERE id = $1",
        params![
            id,
            policy.name.as_str(),
            policy.position,
            serde_json::to_string(&policy.filter)?,
            policy.calendar_id,
            serde_json::to_string(&policy.targets)?,
            now
        ],
    )?;
    Ok(())
}

/// An SLA policy by id.
pub(crate) fn policy(conn: &mut dyn Conn, id: i64) -> AppResult<SlaPolicyView> {
    conn.query_opt(
        &format!("SELECT {POLICY_COLUMNS} FROM sla_policies WHERE id = $1"),
        params![id],
    )?
    .map(|r| policy_view(&r))
    .transpose()?
    .ok_or_else(|| AppError::not_found("SLA policy"))
}

/// The SLA policies in the order they apply, at most `limit`.
pub(crate) fn policies(conn: &mut dyn Conn, limit: i64) -> AppResult<Vec<SlaPolicyView>> {
    conn.query(
        &format!("SELECT {POLICY_COLUMNS} FROM sla_policies ORDER BY position, id LIMIT $1"),
        params![limit],
    )?
    .iter()
    .map(policy_view)
    .collect()
}
