//! The automations repository: all SQL over `triggers`, `time_rules` and `time_rule_runs`.

use crate::rules::{Action, Condition};
use crate::{Rule, RuleKind};
use tiski_kernel::{AppError, AppResult, time};
use tiski_store::{Conn, Json, Row, params};

/// The table of a kind of rule.
fn table(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Trigger => "triggers",
        RuleKind::TimeRule => "time_rules",
    }
}

/// What a kind of rule stores beyond the shared columns: a trigger's event, a time rule's
/// status, clock and hours.
fn columns(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Trigger => {
            "id, name, position, active, conditions, actions, created_at, updated_at, event, NULL, NULL, NULL"
        }
        RuleKind::TimeRule => {
            "id, name, position, active, conditions, actions, created_at, updated_at, NULL, status, since, hours"
        }
    }
}

fn rule(row: &Row) -> AppResult<Rule> {
    let Json(conditions): Json<Vec<Condition>> = row.get(4)?;
    let Json(actions): Json<Vec<Action>> = row.get(5)?;
    Ok(Rule {
        id: row.get(0)?,
        name: row.get(1)?,
        position: row.get(2)?,
        active: row.get(3)?,
        conditions,
        actions,
        created_at: time::format(row.get(6)?),
        updated_at: time::format(row.get(7)?),
        event: row.get(8)?,
        status: row.get(9)?,
        since: row.get(10)?,
        hours: row.get(11)?,
    })
}

/// How many rules of a kind there are.
pub(crate) fn count(conn: &mut dyn Conn, kind: RuleKind) -> AppResult<i64> {
    Ok(conn.query_scalar(&format!("SELECT COUNT(*) FROM {}", table(kind)), &[])?)
}

/// Stores a new rule; its id.
pub(crate) fn insert(conn: &mut dyn Conn, kind: RuleKind, r: &Rule, now: i64) -> AppResult<i64> {
    let conditions = serde_json::to_string(&r.conditions)?;
    let actions = serde_json::to_string(&r.actions)?;
    Ok(match kind {
        RuleKind::Trigger => conn.query_scalar(
            "INSERT INTO triggers (name, position, active, event, conditions, actions, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
            params![r.name.as_str(), r.position, r.active, r.event.as_deref().unwrap_or(""), conditions, actions, now],
        )?,
        RuleKind::TimeRule => conn.query_scalar(
            "INSERT INTO time_rules (name, position, active, status, since, hours, conditions, actions, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            params![r.name.as_str(), r.position, r.active, r.status.as_deref().unwrap_or(""), r.since.as_deref().unwrap_or(""), r.hours.unwrap_or(0), conditions, actions, now],
        )?,
    })
}

/// Rewrites a rule's fields.
pub(crate) fn update(conn: &mut dyn Conn, kind: RuleKind, r: &Rule, now: i64) -> AppResult<()> {
    let conditions = serde_json::to_string(&r.conditions)?;
    let actions = serde_json::to_string(&r.actions)?;
    match kind {
        RuleKind::Trigger => conn.execute(
            "UPDATE triggers SET name = $2, position = $3, active = $4, event = $5, conditions = $6, actions = $7, updated_at = $8 WHERE id = $1",
            params![r.id, r.name.as_str(), r.position, r.active, r.event.as_deref().unwrap_or(""), conditions, actions, now],
        )?,
        RuleKind::TimeRule => conn.execute(
            "UPDATE time_rules SET name = $2, position = $3, active = $4, status = $5, since = $6, hours = $7, conditions = $8, actions = $9, updated_at = $10 WHERE id = $1",
            params![r.id, r.name.as_str(), r.position, r.active, r.status.as_deref().unwrap_or(""), r.since.as_deref().unwrap_or(""), r.hours.unwrap_or(0), conditions, actions, now],
        )?,
    };
    Ok(())
}

/// Deletes a rule (a time rule with its record of what it acted on).
pub(crate) fn delete(conn: &mut dyn Conn, kind: RuleKind, id: i64) -> AppResult<()> {
    if kind == RuleKind::TimeRule {
        conn.execute("DELETE FROM time_rule_runs WHERE rule_id = $1", params![id])?;
    }
    conn.execute(
        &format!("DELETE FROM {} WHERE id = $1", table(kind)),
        params![id],
    )?;
    Ok(())
}

/// A rule by id.
pub(crate) fn get(conn: &mut dyn Conn, kind: RuleKind, id: i64) -> AppResult<Rule> {
    conn.query_opt(
        &format!(
            "SELECT {} FROM {} WHERE id = $1",
            columns(kind),
            table(kind)
        ),
        params![id],
    )?
    .map(|r| rule(&r))
    .transpose()?
    .ok_or_else(|| AppError::not_found(kind.noun()))
}

/// The rules of a kind in the order they run (position, then id), at most `limit`.
pub(crate) fn list(conn: &mut dyn Conn, kind: RuleKind, limit: i64) -> AppResult<Vec<Rule>> {
    conn.query(
        &format!(
            "SELECT {} FROM {} ORDER BY position, id LIMIT $1",
            columns(kind),
            table(kind)
        ),
        params![limit],
    )?
    .iter()
    .map(rule)
    .collect()
}

/// The active triggers of an event type, in order (the partial index `triggers_active_event`).
pub(crate) fn active_triggers(conn: &mut dyn Conn, event: &str) -> AppResult<Vec<Rule>> {
    conn.query(
        &format!(
            "SELECT {} FROM triggers WHERE event = $1 AND active = 1 ORDER BY position, id",
            columns(RuleKind::Trigger)
        ),
        params![event],
    )?
    .iter()
    .map(rule)
    .collect()
}

/// The active time rules, in order.
pub(crate) fn active_time_rules(conn: &mut dyn Conn) -> AppResult<Vec<Rule>> {
    conn.query(
        &format!(
            "SELECT {} FROM time_rules WHERE active = 1 ORDER BY position, id",
            columns(RuleKind::TimeRule)
        ),
        &[],
    )?
    .iter()
    .map(rule)
    .collect()
}

/// Records that time rule `rule_id` acted on `ticket_id` for `occurrence`; `false` when it
/// already had (a second node, or an earlier step).
pub(crate) fn record_run(
    conn: &mut dyn Conn,
    rule_id: i64,
    ticket_id: i64,
    occurrence: i64,
    now: i64,
) -> AppResult<bool> {
    let inserted = conn.execute(
        "INSERT INTO time_rule_runs (rule_id, ticket_id, occurrence, at) VALUES ($1, $2, $3, $4) ON CONFLICT (rule_id, ticket_id, occurrence) DO NOTHING",
        params![rule_id, ticket_id, occurrence, now],
    )?;
    Ok(inserted > 0)
}

/// Of `candidates` (ticket, occurrence), those time rule `rule_id` already acted on.
pub(crate) fn done_of(
    conn: &mut dyn Conn,
    rule_id: i64,
    candidates: &[(i64, i64)],
) -> AppResult<Vec<(i64, i64)>> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = candidates.iter().map(|(id, _)| *id).collect();
    let mut sql = tiski_store::Sql::new(conn.engine());
    let rule = sql.bind(rule_id);
    let list = sql.bind_ids(&ids);
    let rows = conn.query(
        &format!(
            "SELECT ticket_id, occurrence FROM time_rule_runs WHERE rule_id = {rule} AND ticket_id IN {list}"
        ),
        sql.params(),
    )?;
    let mut done = Vec::new();
    for row in &rows {
        done.push((row.get(0)?, row.get(1)?));
    }
    Ok(done)
}
