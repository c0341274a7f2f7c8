//! What this context gives search (tiski-knowledge): the text of its tickets, messages and
//! customers for the indexer, and the scopes a search query joins so that an actor finds
//! only what they may open.

use tiski_kernel::{Actor, AppResult, Sql};
use tiski_store::Conn;

use crate::repo;

/// The searchable text of a ticket.
#[derive(Debug, Clone)]
pub struct TicketText {
    /// The subject.
    pub subject: String,
    /// The ticket's detected language, if any.
    pub language: Option<String>,
    /// Its messages, oldest first.
    pub messages: Vec<MessageText>,
}

/// The searchable text of a message.
#[derive(Debug, Clone)]
pub struct MessageText {
    /// The message.
    pub id: i64,
    /// Its ticket.
    pub ticket_id: i64,
    /// Whether it is an internal note.
    pub internal: bool,
    /// Its plain text.
    pub text: String,
}

/// The searchable text of a customer.
#[derive(Debug, Clone)]
pub struct CustomerText {
    /// The name.
    pub name: String,
    /// The organisation.
    pub organization: Option<String>,
    /// The customer's language, if known.
    pub language: Option<String>,
    /// The values of their identities (addresses, phone numbers).
    pub identities: Vec<String>,
}

/// A ticket with its messages; `None` when it is gone or erased.
pub fn ticket(conn: &mut dyn Conn, id: i64) -> AppResult<Option<TicketText>> {
    let Some((subject, language)) = repo::search::ticket(conn, id)? else {
        return Ok(None);
    };
    let messages = repo::search::messages(conn, id)?
        .into_iter()
        .map(|(message_id, internal, text)| MessageText {
            id: message_id,
            ticket_id: id,
            internal,
            text,
        })
        .collect();
    Ok(Some(TicketText {
        subject,
        language,
        messages,
    }))
}

/// A ticket's subject; `None` when it is gone or erased.
pub fn subject(conn: &mut dyn Conn, id: i64) -> AppResult<Option<String>> {
    Ok(repo::search::ticket(conn, id)?.map(|(subject, _)| subject))
}

/// One message; `None` when it is gone.
pub fn message(conn: &mut dyn Conn, id: i64) -> AppResult<Option<MessageText>> {
    Ok(
        repo::search::message(conn, id)?.map(|(ticket_id, internal, text)| MessageText {
            id,
            ticket_id,
            internal,
            text,
        }),
    )
}

/// A customer; `None` when gone or erased.
pub fn customer(conn: &mut dyn Conn, id: i64) -> AppResult<Option<CustomerText>> {
    repo::search::customer(conn, id)
}

/// The condition keeping the tickets (alias `t`, the table `tickets`) `actor` may open, its
/// values bound in `sql`.
pub fn ticket_scope(sql: &mut Sql, actor: &Actor) -> String {
    repo::ticket_scope(sql, actor)
}

/// The condition keeping the customers (alias `c`, the table `customers`) `actor` may see,
/// its values bound in `sql`.
pub fn customer_scope(sql: &mut Sql, actor: &Actor) -> String {
    repo::customer_scope(sql, actor)
}

/// What a search may narrow its ticket hits to (absent: no narrowing); values already checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketNarrowing {
    /// Only these statuses (empty: any).
    pub statuses: Vec<tiski_domain::Status>,
    /// Only this team's tickets.
    pub team_id: Option<i64>,
    /// Only tickets of this language (its primary subtag: `fi` also finds `fi-FI`).
    pub language: Option<String>,
    /// Only tickets that came through this channel.
    pub channel: Option<tiski_domain::Channel>,
    /// Only tickets created at or after this time (microseconds).
    pub created_from: Option<i64>,
    /// Only tickets created before this time (microseconds).
    pub created_before: Option<i64>,
}

/// The condition (on alias `t`) keeping the tickets of `narrowing`, its values bound in `sql`;
/// `1 = 1` when nothing narrows.
pub fn ticket_narrowing(sql: &mut Sql, narrowing: &TicketNarrowing) -> String {
    repo::search::narrowing(sql, narrowing)
}

/// The column a search sorted by date orders its tickets by (alias `t`).
pub const TICKET_DATE_COLUMN: &str = "t.updated_at";
