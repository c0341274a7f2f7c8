//! What search reads of this context: the text of a ticket, a message and a customer as the
//! indexer of tiski-knowledge analyses it.

use crate::search::CustomerText;
use tiski_kernel::AppResult;
use tiski_store::{Conn, params};

/// A ticket's subject and language; `None` when it is gone or erased.
pub(crate) fn ticket(conn: &mut dyn Conn, id: i64) -> AppResult<Option<(String, Option<String>)>> {
    conn.query_opt(
        "SELECT subject, language FROM tickets WHERE id = $1 AND erased_at IS NULL",
        params![id],
    )?
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .transpose()
}

/// A ticket's messages: id, whether it is an internal note, and the text.
pub(crate) fn messages(conn: &mut dyn Conn, ticket_id: i64) -> AppResult<Vec<(i64, bool, String)>> {
    conn.query(
        "SELECT id, kind, body_text FROM messages WHERE ticket_id = $1 ORDER BY id",
        params![ticket_id],
    )?
    .iter()
    .map(|row| {
        let kind: String = row.get(1)?;
        Ok((row.get(0)?, kind == "note", row.get(2)?))
    })
    .collect()
}

/// One message: its ticket, whether it is a note, and the text.
pub(crate) fn message(conn: &mut dyn Conn, id: i64) -> AppResult<Option<(i64, bool, String)>> {
    conn.query_opt(
        "SELECT ticket_id, kind, body_text FROM messages WHERE id = $1",
        params![id],
    )?
    .map(|row| {
        let kind: String = row.get(1)?;
        Ok((row.get(0)?, kind == "note", row.get(2)?))
    })
    .transpose()
}

/// A customer's name, organisation, language and identity values; `None` when gone or erased.
pub(crate) fn customer(conn: &mut dyn Conn, id: i64) -> AppResult<Option<CustomerText>> {
    let Some(row) = conn.query_opt(
        "SELECT name, organization, language FROM customers WHERE id = $1 AND erased_at IS NULL",
        params![id],
    )?
    else {
        return Ok(None);
    };
    let identities = conn
        .query(
            "SELECT value FROM customer_identities WHERE customer_id = $1 ORDER BY id",
            params![id],
        )?
        .iter()
        .map(|r| Ok(r.get(0)?))
        .collect::<AppResult<Vec<String>>>()?;
    Ok(Some(CustomerText {
        name: row.get(0)?,
        organization: row.get(1)?,
        language: row.get(2)?,
        identities,
    }))
}

/// The condition of [`crate::search::ticket_narrowing`].
pub(crate) fn narrowing(sql: &mut tiski_kernel::Sql, n: &crate::search::TicketNarrowing) -> String {
    let mut all = vec!["1 = 1".to_owned()];
    if !n.statuses.is_empty() {
        let statuses: Vec<String> = n.statuses.iter().map(|s| sql.bind(s.as_str())).collect();
        all.push(format!("t.status IN ({})", statuses.join(", ")));
    }
    if let Some(team) = n.team_id {
        all.push(format!("t.team_id = {}", sql.bind(team)));
    }
    if let Some(language) = &n.language {
        let exact = sql.bind(language.as_str());
        let prefix = sql.bind(format!("{language}-%"));
        all.push(format!(
            "(t.language = {exact} OR t.language LIKE {prefix})"
        ));
    }
    if let Some(channel) = n.channel {
        all.push(format!("t.channel = {}", sql.bind(channel.as_str())));
    }
    if let Some(from) = n.created_from {
        all.push(format!("t.created_at >= {}", sql.bind(from)));
    }
    if let Some(before) = n.created_before {
        all.push(format!("t.created_at < {}", sql.bind(before)));
    }
    all.join(" AND ")
}
