//! SQL of messages.

use crate::MessageView;
use crate::rules::message::ValidMessage;
use tiski_domain::Channel;
use tiski_kernel::{AppResult, time};
use tiski_store::{Conn, Row, params};

const COLUMNS: &str = "m.id, m.ticket_id, m.author_kind, m.author_id, m.kind, m.body_text, m.body_html, m.channel, m.created_at, m.new_text";

fn view(row: &Row) -> AppResult<MessageView> {
    Ok(MessageView {
        id: row.get(0)?,
        ticket_id: row.get(1)?,
        author_kind: row.get(2)?,
        author_id: row.get(3)?,
        kind: row.get(4)?,
        body: row.get(5)?,
        html: row.get(6)?,
        channel: row.get(7)?,
        created_at: time::format(row.get(8)?),
        new_text: row.get(9)?,
        attachments: Vec::new(),
        email: None,
        delivery: None,
        undo_until: None,
    })
}

pub(crate) fn insert(
    conn: &mut dyn Conn,
    ticket_id: i64,
    message: &ValidMessage,
    author_id: Option<i64>,
    channel: Channel,
    now: i64,
) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO messages (ticket_id, author_kind, author_id, kind, body_text, body_html, channel, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        params![
            ticket_id,
            message.author.as_str(),
            author_id,
            message.kind.as_str(),
            message.body.as_str(),
            message.html.clone(),
            channel.as_str(),
            now
        ],
    )?)
}

pub(crate) fn set_new_text(conn: &mut dyn Conn, id: i64, text: &str) -> AppResult<()> {
    conn.execute(
        "UPDATE messages SET new_text = $1 WHERE id = $2",
        params![text, id],
    )?;
    Ok(())
}

/// A ticket's messages after `after`, oldest first, at most `limit`.
pub(crate) fn of_ticket(
    conn: &mut dyn Conn,
    ticket_id: i64,
    after: i64,
    limit: i64,
) -> AppResult<Vec<MessageView>> {
    conn.query(
        &format!("SELECT {COLUMNS} FROM messages m WHERE m.ticket_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3"),
        params![ticket_id, after, limit],
    )?
    .iter()
    .map(view)
    .collect()
}

/// One message, whoever may see it (the caller checks its ticket).
pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<Option<MessageView>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM messages m WHERE m.id = $1"),
        params![id],
    )?
    .map(|row| view(&row))
    .transpose()
}

/// The text and HTML of a message.
pub(crate) fn text_of(conn: &mut dyn Conn, id: i64) -> AppResult<(String, Option<String>)> {
    let row = conn.query_one(
        "SELECT body_text, body_html FROM messages WHERE id = $1",
        params![id],
    )?;
    Ok((row.get(0)?, row.get(1)?))
}

/// A message by id, on its ticket.
pub(crate) fn get_on_ticket(
    conn: &mut dyn Conn,
    ticket_id: i64,
    id: i64,
) -> AppResult<Option<MessageView>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM messages m WHERE m.id = $1 AND m.ticket_id = $2"),
        params![id, ticket_id],
    )?
    .map(|row| view(&row))
    .transpose()
}

/// Deletes a message and its file list (a reply taken back; its blobs stay until pruned with
/// the rest that no one uses).
pub(crate) fn delete(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    conn.execute("DELETE FROM attachments WHERE message_id = $1", params![id])?;
    conn.execute("DELETE FROM messages WHERE id = $1", params![id])?;
    Ok(())
}

/// Since when each of `ids` (tickets the actor sees, new or open) has waited for an answer:
/// the first customer message no agent's public reply followed (an acknowledgement sent by
/// tiski answers nothing). One grouped query for a page.
pub(crate) fn waiting_since(
    conn: &mut dyn Conn,
    actor: &tiski_kernel::Actor,
    ids: &[i64],
) -> AppResult<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = tiski_kernel::Sql::new(conn.engine());
    let list = sql.bind_ids(ids);
    let scope = super::ticket_scope(&mut sql, actor);
    conn.query(
        &format!(
            "SELECT m.ticket_id, MIN(m.created_at) FROM messages m JOIN tickets t ON t.id = m.ticket_id \
             WHERE m.ticket_id IN {list} AND {scope} AND t.status IN ('new', 'open') \
             AND m.author_kind = 'customer' AND NOT EXISTS (SELECT 1 FROM messages r \
             WHERE r.ticket_id = m.ticket_id AND r.id > m.id AND r.kind = 'reply' AND r.author_kind = 'agent') \
             GROUP BY m.ticket_id"
        ),
        sql.params(),
    )?
    .iter()
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .collect()
}
