//! The routing repository: all SQL over `agent_presence`, `skills`, `agent_skills`, `queues`
//! and `work_items`.

use crate::{AgentSkillView, OfferTimeout, OverflowStep, QueueView, SkillView};
use tiski_domain::Channel;
use tiski_domain::routing::{PresenceStatus, Selection, SkillType};
use tiski_kernel::{AppError, AppResult, Engine, time};
use tiski_store::{Conn, Json, Row, params};

mod items;
pub(crate) use items::*;

fn parsed<T>(
    row: &Row,
    index: usize,
    what: &str,
    parse: fn(&str) -> Result<T, String>,
) -> AppResult<T> {
    let text: String = row.get(index)?;
    parse(&text).map_err(|e| AppError::Corrupt(format!("{what}: {e}")))
}

fn status(text: &str) -> Result<PresenceStatus, String> {
    PresenceStatus::parse(text).map_err(|e| e.message)
}

fn skill_type(text: &str) -> Result<SkillType, String> {
    SkillType::parse(text).map_err(|e| e.message)
}

fn selection(text: &str) -> Result<Selection, String> {
    Selection::parse(text).map_err(|e| e.message)
}

/// A stored presence row.
#[derive(Debug, Clone)]
pub(crate) struct Presence {
    pub user_id: i64,
    pub status: PresenceStatus,
    pub since: i64,
    pub capacity: i64,
    pub last_assigned_at: Option<i64>,
    pub not_responding_since: Option<i64>,
}

const PRESENCE: &str = "SELECT user_id, status, since, capacity, last_assigned_at, not_responding_since FROM agent_presence";

fn presence_row(row: &Row) -> AppResult<Presence> {
    Ok(Presence {
        user_id: row.get(0)?,
        status: parsed(row, 1, "agent_presence.status", status)?,
        since: row.get(2)?,
        capacity: row.get(3)?,
        last_assigned_at: row.get(4)?,
        not_responding_since: row.get(5)?,
    })
}

/// An agent's presence row.
pub(crate) fn presence(conn: &mut dyn Conn, user_id: i64) -> AppResult<Option<Presence>> {
    conn.query_opt(&format!("{PRESENCE} WHERE user_id = $1"), params![user_id])?
        .map(|row| presence_row(&row))
        .transpose()
}

/// Every presence row.
pub(crate) fn presences(conn: &mut dyn Conn) -> AppResult<Vec<Presence>> {
    conn.query(&format!("{PRESENCE} ORDER BY user_id"), &[])?
        .iter()
        .map(presence_row)
        .collect()
}

/// Sets an agent's status (the row made with `capacity` when missing).
pub(crate) fn set_status(
    conn: &mut dyn Conn,
    user_id: i64,
    status: PresenceStatus,
    now: i64,
    capacity: i64,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO agent_presence (user_id, status, since, capacity) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET status = excluded.status, since = excluded.since",
        params![user_id, status.as_str(), now, capacity],
    )?;
    Ok(())
}

/// The status and capacity of an agent, locked until the transaction ends on PostgreSQL (so
/// claims for one agent by two nodes take turns); `None` without a presence row.
pub(crate) fn lock_agent(
    conn: &mut dyn Conn,
    user_id: i64,
) -> AppResult<Option<(PresenceStatus, i64, bool)>> {
    let lock = match conn.engine() {
        Engine::Postgres => " FOR UPDATE",
        Engine::Sqlite => "",
    };
    conn.query_opt(
        &format!("SELECT status, capacity, not_responding_since FROM agent_presence WHERE user_id = $1{lock}"),
        params![user_id],
    )?
    .map(|row| {
        let not_responding: Option<i64> = row.get(2)?;
        Ok((
            parsed(&row, 0, "agent_presence.status", status)?,
            row.get(1)?,
            not_responding.is_some(),
        ))
    })
    .transpose()
}

/// Records that the agent was just assigned work.
pub(crate) fn touch_assigned(conn: &mut dyn Conn, user_id: i64, now: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE agent_presence SET last_assigned_at = $1 WHERE user_id = $2",
        params![now, user_id],
    )?;
    Ok(())
}

/// Marks an agent not responding since `now` unless they are already; whether it changed.
pub(crate) fn set_not_responding(conn: &mut dyn Conn, user_id: i64, now: i64) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE agent_presence SET not_responding_since = $1 WHERE user_id = $2 AND not_responding_since IS NULL",
        params![now, user_id],
    )? == 1)
}

/// Clears an agent's "not responding"; whether they were.
pub(crate) fn clear_not_responding(conn: &mut dyn Conn, user_id: i64) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE agent_presence SET not_responding_since = NULL WHERE user_id = $1 AND not_responding_since IS NOT NULL",
        params![user_id],
    )? == 1)
}

/// Work an agent has or is offered: it counts against their capacity.
#[derive(Debug, Clone)]
pub(crate) struct Work {
    pub agent_id: i64,
    pub channel: Channel,
    pub cost: i64,
    pub ticket_id: i64,
    pub offered: bool,
}

/// Work agents have or are offered, for one agent or all.
pub(crate) fn loads(conn: &mut dyn Conn, agent: Option<i64>) -> AppResult<Vec<Work>> {
    const COLUMNS: &str = "SELECT agent_id, channel, cost, ticket_id, state FROM work_items";
    let rows = match agent {
        Some(agent) => conn.query(
            &format!("{COLUMNS} WHERE agent_id = $1 AND state IN ('assigned', 'offered') ORDER BY id"),
            params![agent],
        )?,
        None => conn.query(
            &format!("{COLUMNS} WHERE state IN ('assigned', 'offered') AND agent_id IS NOT NULL ORDER BY id"),
            &[],
        )?,
    };
    rows.iter()
        .map(|row| {
            let state: String = row.get(4)?;
            Ok(Work {
                agent_id: row.get(0)?,
                channel: row.get(1)?,
                cost: row.get(2)?,
                ticket_id: row.get(3)?,
                offered: state == "offered",
            })
        })
        .collect()
}

const SKILL: &str = "SELECT id, name, kind, relaxable, created_at FROM skills";

fn skill_row(row: &Row) -> AppResult<SkillView> {
    Ok(SkillView {
        id: row.get(0)?,
        name: row.get(1)?,
        kind: parsed(row, 2, "skills.kind", skill_type)?,
        relaxable: row.get(3)?,
        created_at: time::format(row.get(4)?),
    })
}

/// Inserts a skill; `None` when the name is taken.
pub(crate) fn insert_skill(
    conn: &mut dyn Conn,
    name: &str,
    kind: SkillType,
    relaxable: bool,
    now: i64,
) -> AppResult<Option<i64>> {
    conn.query_opt(
        "INSERT INTO skills (name, kind, relaxable, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name) DO NOTHING RETURNING id",
        params![name, kind.as_str(), relaxable, now],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// Every skill, by name.
pub(crate) fn skills(conn: &mut dyn Conn) -> AppResult<Vec<SkillView>> {
    conn.query(&format!("{SKILL} ORDER BY name, id"), &[])?
        .iter()
        .map(skill_row)
        .collect()
}

/// One skill.
pub(crate) fn skill(conn: &mut dyn Conn, id: i64) -> AppResult<Option<SkillView>> {
    conn.query_opt(&format!("{SKILL} WHERE id = $1"), params![id])?
        .map(|row| skill_row(&row))
        .transpose()
}

/// A stored skill of an agent, with the moment it stops counting.
#[derive(Debug, Clone)]
pub(crate) struct HeldSkill {
    pub user_id: i64,
    pub skill_id: i64,
    pub proficiency: i64,
    pub valid_until: Option<String>,
    pub valid_before: Option<i64>,
}

impl HeldSkill {
    pub(crate) fn view(&self, now: i64) -> AgentSkillView {
        AgentSkillView {
            skill_id: self.skill_id,
            proficiency: self.proficiency,
            valid_until: self.valid_until.clone(),
            expired: self.valid_before.is_some_and(|end| now >= end),
        }
    }
}

/// The skills of one agent, or of everyone.
pub(crate) fn held_skills(conn: &mut dyn Conn, user_id: Option<i64>) -> AppResult<Vec<HeldSkill>> {
    const COLUMNS: &str =
        "SELECT user_id, skill_id, proficiency, valid_until, valid_before FROM agent_skills";
    let rows = match user_id {
        Some(user) => conn.query(
            &format!("{COLUMNS} WHERE user_id = $1 ORDER BY skill_id"),
            params![user],
        )?,
        None => conn.query(&format!("{COLUMNS} ORDER BY user_id, skill_id"), &[])?,
    };
    rows.iter()
        .map(|row| {
            Ok(HeldSkill {
                user_id: row.get(0)?,
                skill_id: row.get(1)?,
                proficiency: row.get(2)?,
                valid_until: row.get(3)?,
                valid_before: row.get(4)?,
            })
        })
        .collect()
}

/// Replaces an agent's skills.
pub(crate) fn replace_skills(
    conn: &mut dyn Conn,
    user_id: i64,
    skills: &[HeldSkill],
) -> AppResult<()> {
    conn.execute(
        "DELETE FROM agent_skills WHERE user_id = $1",
        params![user_id],
    )?;
    for skill in skills {
        conn.execute(
            "INSERT INTO agent_skills (user_id, skill_id, proficiency, valid_until, valid_before) \
             VALUES ($1, $2, $3, $4, $5)",
            params![
                user_id,
                skill.skill_id,
                skill.proficiency,
                skill.valid_until.clone(),
                skill.valid_before
            ],
        )?;
    }
    Ok(())
}

/// A queue row and where round robin goes on from.
pub(crate) struct QueueRow {
    pub view: QueueView,
    /// The timeouts set on the queue (the others are the channels' defaults).
    pub timeouts: Vec<OfferTimeout>,
    pub last_agent_id: Option<i64>,
}

const QUEUE: &str = "SELECT q.id, q.name, q.channels, q.team_ids, q.selection, q.push, q.created_at, q.updated_at, q.last_agent_id, \
     (SELECT COUNT(*) FROM work_items w WHERE w.queue_id = q.id AND w.state = 'waiting'), \
     q.offer_timeouts, q.overflow, q.requeue_offline FROM queues q";

fn queue_row(row: &Row) -> AppResult<QueueRow> {
    let Json(channels): Json<Vec<Channel>> = row.get(2)?;
    let Json(team_ids): Json<Vec<i64>> = row.get(3)?;
    let Json(timeouts): Json<Vec<OfferTimeout>> = row.get(10)?;
    let Json(overflow): Json<Vec<OverflowStep>> = row.get(11)?;
    Ok(QueueRow {
        view: QueueView {
            id: row.get(0)?,
            name: row.get(1)?,
            team_ids,
            selection: parsed(row, 4, "queues.selection", selection)?,
            push: row.get(5)?,
            created_at: time::format(row.get(6)?),
            updated_at: time::format(row.get(7)?),
            waiting: row.get(9)?,
            offer_timeouts: crate::rules::queue_input::effective_timeouts(&channels, &timeouts),
            channels,
            overflow,
            requeue_when_owner_offline: row.get(12)?,
        },
        timeouts,
        last_agent_id: row.get(8)?,
    })
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// The fields of a queue to store.
pub(crate) struct QueueFields<'a> {
    pub name: &'a str,
    pub channels: &'a [Channel],
    pub team_ids: &'a [i64],
    pub selection: Selection,
    pub push: bool,
    pub timeouts: &'a [OfferTimeout],
    pub overflow: &'a [OverflowStep],
    pub requeue_offline: bool,
}

/// Inserts a queue; `None` when the name is taken.
pub(crate) fn insert_queue(
    conn: &mut dyn Conn,
    q: &QueueFields<'_>,
    now: i64,
) -> AppResult<Option<i64>> {
    conn.query_opt(
        "INSERT INTO queues (name, channels, team_ids, selection, push, created_at, updated_at, offer_timeouts, overflow, requeue_offline) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) ON CONFLICT (name) DO NOTHING RETURNING id",
        params![
            q.name,
            json(&q.channels),
            json(&q.team_ids),
            q.selection.as_str(),
            q.push,
            now,
            json(&q.timeouts),
            json(&q.overflow),
            q.requeue_offline
        ],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// Stores a queue's fields; `false` when the name is another queue's.
pub(crate) fn update_queue(
    conn: &mut dyn Conn,
    id: i64,
    q: &QueueFields<'_>,
    now: i64,
) -> AppResult<bool> {
    let taken: i64 = conn.query_scalar(
        "SELECT COUNT(*) FROM queues WHERE name = $1 AND id <> $2",
        params![q.name, id],
    )?;
    if taken > 0 {
        return Ok(false);
    }
    conn.execute(
        "UPDATE queues SET name = $1, channels = $2, team_ids = $3, selection = $4, push = $5, updated_at = $6, \
         offer_timeouts = $7, overflow = $8, requeue_offline = $9 WHERE id = $10",
        params![q.name, json(&q.channels), json(&q.team_ids), q.selection.as_str(), q.push, now,
            json(&q.timeouts), json(&q.overflow), q.requeue_offline, id],
    )?;
    Ok(true)
}

/// Every queue, by name.
pub(crate) fn queues(conn: &mut dyn Conn) -> AppResult<Vec<QueueRow>> {
    conn.query(&format!("{QUEUE} ORDER BY q.name, q.id"), &[])?
        .iter()
        .map(queue_row)
        .collect()
}

/// One queue.
pub(crate) fn queue(conn: &mut dyn Conn, id: i64) -> AppResult<Option<QueueRow>> {
    conn.query_opt(&format!("{QUEUE} WHERE q.id = $1"), params![id])?
        .map(|row| queue_row(&row))
        .transpose()
}

/// Where round robin goes on from in a queue.
pub(crate) fn set_last_agent(conn: &mut dyn Conn, queue_id: i64, agent_id: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE queues SET last_agent_id = $1 WHERE id = $2",
        params![agent_id, queue_id],
    )?;
    Ok(())
}

/// A queue's counts: (queue, waiting, oldest eligible time of the waiting, assigned).
pub(crate) type QueueCounts = (i64, i64, Option<i64>, i64);

/// Per queue: waiting count, oldest eligible time of the waiting, assigned count.
pub(crate) fn queue_counts(conn: &mut dyn Conn) -> AppResult<Vec<QueueCounts>> {
    conn.query(
        "SELECT queue_id, \
           SUM(CASE WHEN state = 'waiting' THEN 1 ELSE 0 END), \
           MIN(CASE WHEN state = 'waiting' THEN eligible_at END), \
           SUM(CASE WHEN state = 'assigned' THEN 1 ELSE 0 END) \
         FROM work_items WHERE queue_id IS NOT NULL GROUP BY queue_id",
        &[],
    )?
    .iter()
    .map(|row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
    .collect()
}
