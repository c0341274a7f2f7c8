//! SQL of tickets and their tags.

use crate::query::TicketQuery;
use crate::tickets::{NewTicketRow, RequesterView, TicketView};
use tiski_domain::{Priority, Status};
use tiski_kernel::{Actor, AppError, AppResult, Sql, Value, time};
use tiski_store::{Conn, Json, Row, params};

/// The columns [`view`] reads, in order.
pub(crate) const COLUMNS: &str = "t.id, t.subject, t.status, t.priority, t.channel, t.team_id, t.assignee_id, \
     t.requester_id, c.name, t.language, t.tags, t.follow_up_of, t.created_at, t.updated_at, t.solved_at, t.closed_at, t.mailbox_id, t.merged_into, t.split_from";
/// The tables [`COLUMNS`] come from.
pub(crate) const FROM: &str = "tickets t JOIN customers c ON c.id = t.requester_id";

/// Reads a row of [`COLUMNS`]; a stored value that does not fit is an error, not a default.
pub(crate) fn view(row: &Row) -> AppResult<TicketView> {
    let Json(tags): Json<Vec<String>> = row.get(10)?;
    Ok(TicketView {
        id: row.get(0)?,
        subject: row.get(1)?,
        status: row.get(2)?,
        priority: row.get(3)?,
        channel: row.get(4)?,
        team_id: row.get(5)?,
        assignee_id: row.get(6)?,
        requester: RequesterView {
            id: row.get(7)?,
            name: row.get(8)?,
        },
        language: row.get(9)?,
        tags,
        follow_up_of: row.get(11)?,
        created_at: time::format(row.get(12)?),
        updated_at: time::format(row.get(13)?),
        solved_at: time::format_opt(row.get(14)?),
        closed_at: time::format_opt(row.get(15)?),
        mailbox_id: row.get(16)?,
        merged_into: row.get(17)?,
        split_from: row.get(18)?,
        sla: Vec::new(),
        queue_id: None,
        requirements: Vec::new(),
    })
}

fn views(rows: &[Row]) -> AppResult<Vec<TicketView>> {
    rows.iter().map(view).collect()
}

/// A ticket, whoever asks (inside commands that already checked).
pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<TicketView> {
    let row = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM {FROM} WHERE t.id = $1"),
            params![id],
        )?
        .ok_or(AppError::not_found("ticket"))?;
    view(&row)
}

/// Tickets in `status` whose `created_at` (or, with `by_update`, `updated_at`) is from
/// `from` to `until`, oldest first, at most `limit`, as (id, that time): one range of the
/// index `tickets_status` (or `tickets_status_created`).
pub(crate) fn in_status_between(
    conn: &mut dyn Conn,
    status: Status,
    by_update: bool,
    from: i64,
    until: i64,
    limit: i64,
) -> AppResult<Vec<(i64, i64)>> {
    let column = if by_update {
        "updated_at"
    } else {
        "created_at"
    };
    let rows = conn.query(
        &format!("SELECT id, {column} FROM tickets WHERE status = $1 AND {column} >= $2 AND {column} <= $3 ORDER BY {column}, id LIMIT $4"),
        params![status.as_str(), from, until, limit],
    )?;
    let mut found = Vec::with_capacity(rows.len());
    for row in &rows {
        found.push((row.get(0)?, row.get(1)?));
    }
    Ok(found)
}

/// Marks a ticket as not disclosing its requester's record to those who see the ticket
/// (see `customer_scope`).
pub(crate) fn withhold_requester(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE tickets SET discloses_requester = 0 WHERE id = $1",
        params![id],
    )?;
    Ok(())
}

/// A ticket if `actor` may see it; otherwise not found.
pub(crate) fn get_visible(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<TicketView> {
    let mut sql = Sql::new(conn.engine());
    let id = sql.bind(id);
    let scope = super::ticket_scope(&mut sql, actor);
    let row = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM {FROM} WHERE t.id = {id} AND {scope}"),
            sql.params(),
        )?
        .ok_or(AppError::not_found("ticket"))?;
    view(&row)
}

/// One page of `query` for `actor`, with one extra row when another page follows.
pub(crate) fn page(
    conn: &mut dyn Conn,
    actor: &Actor,
    query: &TicketQuery,
) -> AppResult<Vec<TicketView>> {
    let mut sql = Sql::new(conn.engine());
    let text = super::ticket_list::page(&mut sql, actor, query);
    views(&conn.query(&text, sql.params())?)
}

/// The counts of `queries` for `actor`, in their order, in one statement.
pub(crate) fn counts_of(
    conn: &mut dyn Conn,
    actor: &Actor,
    queries: &[crate::query::TicketQuery],
) -> AppResult<Vec<i64>> {
    if queries.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(conn.engine());
    let text = super::ticket_list::counts_of(&mut sql, actor, queries);
    let row = conn.query_one(&text, sql.params())?;
    (0..queries.len()).map(|i| Ok(row.get(i)?)).collect()
}

/// Inserts a ticket with its tag rows; returns its id.
pub(crate) fn insert(conn: &mut dyn Conn, row: &NewTicketRow<'_>, now: i64) -> AppResult<i64> {
    let id: i64 = conn.query_scalar(
        "INSERT INTO tickets (subject, requester_id, status, priority, channel, team_id, assignee_id, language, tags, follow_up_of, created_at, updated_at, mailbox_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $11, $9, $10, $10, $12) RETURNING id",
        params![
            row.subject,
            row.requester.id,
            row.status.as_str(),
            row.priority.rank(),
            row.channel.as_str(),
            row.team_id,
            row.assignee_id,
            row.language.clone(),
            row.follow_up_of,
            now,
            serde_json::to_string(row.tags)?,
            row.mailbox_id
        ],
    )?;
    insert_tag_rows(conn, id, row.tags)?;
    Ok(id)
}

/// Inserts the tag index rows of a ticket in one statement.
fn insert_tag_rows(conn: &mut dyn Conn, ticket_id: i64, tags: &[String]) -> AppResult<()> {
    if tags.is_empty() {
        return Ok(());
    }
    let values = (0..tags.len())
        .map(|i| format!("($1, ${})", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let mut params = vec![Value::Int(ticket_id)];
    params.extend(tags.iter().map(|t| Value::from(t.as_str())));
    conn.execute(
        &format!("INSERT INTO ticket_tags (ticket_id, tag) VALUES {values}"),
        &params,
    )?;
    Ok(())
}

/// Replaces a ticket's tags (the list and the index rows).
pub(crate) fn set_tags(conn: &mut dyn Conn, ticket_id: i64, tags: &[String]) -> AppResult<()> {
    conn.execute(
        "DELETE FROM ticket_tags WHERE ticket_id = $1",
        params![ticket_id],
    )?;
    insert_tag_rows(conn, ticket_id, tags)?;
    conn.execute(
        "UPDATE tickets SET tags = $1 WHERE id = $2",
        params![serde_json::to_string(tags)?, ticket_id],
    )?;
    Ok(())
}

/// Sets the status with its timestamps.
pub(crate) fn set_status(conn: &mut dyn Conn, id: i64, to: Status, now: i64) -> AppResult<()> {
    let sql = match to {
        Status::Solved => {
            "UPDATE tickets SET status = $1, solved_at = $2, updated_at = $2 WHERE id = $3"
        }
        Status::Closed => {
            "UPDATE tickets SET status = $1, closed_at = $2, updated_at = $2 WHERE id = $3"
        }
        _ => "UPDATE tickets SET status = $1, solved_at = NULL, updated_at = $2 WHERE id = $3",
    };
    conn.execute(sql, params![to.as_str(), now, id])?;
    Ok(())
}

pub(crate) fn set_subject(conn: &mut dyn Conn, id: i64, subject: &str) -> AppResult<()> {
    conn.execute(
        "UPDATE tickets SET subject = $1 WHERE id = $2",
        params![subject, id],
    )?;
    Ok(())
}

pub(crate) fn set_priority(conn: &mut dyn Conn, id: i64, priority: Priority) -> AppResult<()> {
    conn.execute(
        "UPDATE tickets SET priority = $1 WHERE id = $2",
        params![priority.rank(), id],
    )?;
    Ok(())
}

pub(crate) fn set_team(conn: &mut dyn Conn, id: i64, team_id: Option<i64>) -> AppResult<()> {
    conn.execute(
        "UPDATE tickets SET team_id = $1 WHERE id = $2",
        params![team_id, id],
    )?;
    Ok(())
}

pub(crate) fn set_assignee(
    conn: &mut dyn Conn,
    id: i64,
    assignee_id: Option<i64>,
) -> AppResult<()> {
    conn.execute(
        "UPDATE tickets SET assignee_id = $1 WHERE id = $2",
        params![assignee_id, id],
    )?;
    Ok(())
}

/// Marks a ticket changed now.
pub(crate) fn touch(conn: &mut dyn Conn, id: i64, now: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE tickets SET updated_at = $1 WHERE id = $2",
        params![now, id],
    )?;
    Ok(())
}

/// The solved tickets solved before `cutoff`, oldest first, at most `batch`.
pub(crate) fn solved_before(conn: &mut dyn Conn, cutoff: i64, batch: i64) -> AppResult<Vec<i64>> {
    conn.query(
        "SELECT id FROM tickets WHERE status = 'solved' AND solved_at < $1 ORDER BY solved_at LIMIT $2",
        params![cutoff, batch],
    )?
    .iter()
    .map(|r| Ok(r.get(0)?))
    .collect()
}

/// The newest 50 tickets of a customer that `actor` may see.
pub(crate) fn of_customer(
    conn: &mut dyn Conn,
    actor: &Actor,
    customer_id: i64,
) -> AppResult<Vec<TicketView>> {
    let mut sql = Sql::new(conn.engine());
    let customer = sql.bind(customer_id);
    let scope = super::ticket_scope(&mut sql, actor);
    views(&conn.query(
        &format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE t.requester_id = {customer} AND {scope} ORDER BY t.updated_at DESC, t.id DESC LIMIT 50"
        ),
        sql.params(),
    )?)
}
