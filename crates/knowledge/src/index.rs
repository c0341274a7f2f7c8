//! The indexer: a worker step that follows the event log from its stored position and keeps
//! `search_documents` current, with the new position in the same transaction (so a step
//! that fails is done again whole, and two nodes never index an event twice: the position row
//! is locked).
//!
//! A new message adds its own document; anything else that changes a ticket's text (created,
//! subject changed, a message withdrawn, merged, split, its conversation erased) rebuilds the
//! ticket's documents from what ticketing stores now; a customer's change rebuilds theirs. An
//! erased ticket or customer has no text any more, so rebuilding removes their rows.

use std::collections::BTreeSet;

use tiski_domain::Event;
use tiski_kernel::{AppResult, Conn, events, positions};
use tiski_ticketing::language;
use tiski_ticketing::search::{self as source, MessageText};

use crate::Knowledge;
use crate::analyze::{Language, analyse, surface};
use crate::repo::{self, Document, Kind};

/// The worker's name in the worker positions.
pub const POSITION: &str = "search-index";

/// What one batch of events asks the indexer to do.
#[derive(Default)]
struct Work {
    messages: BTreeSet<i64>,
    tickets: BTreeSet<i64>,
    customers: BTreeSet<i64>,
}

impl Work {
    fn note(&mut self, event: &Event, ticket_id: Option<i64>) {
        match event {
            Event::MessageAdded(e) => {
                self.messages.insert(e.message_id);
            }
            Event::TicketCreated(_)
            | Event::TicketSubjectChanged(_)
            | Event::MessageWithdrawn(_)
            | Event::TicketConversationErased(_) => self.tickets.extend(ticket_id),
            Event::TicketMerged(e) => {
                self.tickets.extend([e.ticket_id, e.into]);
                self.tickets.extend(ticket_id);
            }
            Event::TicketSplit(e) => self.tickets.extend([e.from, e.to]),
            Event::CustomerCreated(e) => {
                self.customers.insert(e.customer_id);
            }
            Event::CustomerUpdated(e) => {
                self.customers.insert(e.customer_id);
            }
            Event::CustomerErased(e) => {
                self.customers.insert(e.customer_id);
            }
            Event::CustomerMerged(e) => self.customers.extend([e.customer_id, e.into]),
            _ => {}
        }
    }
}

/// The language a message is analysed in: its own when detection is sure, else its ticket's.
fn message_language(text: &str, ticket: Option<&str>) -> Language {
    match language::detect(text) {
        Some(tag) => Language::from_tag(Some(tag)),
        None => Language::from_tag(ticket),
    }
}

fn index_message(
    conn: &mut dyn Conn,
    message: &MessageText,
    ticket: Option<&str>,
) -> AppResult<()> {
    let language = message_language(&message.text, ticket);
    let terms = analyse(&message.text, language).join(" ");
    let words = surface(&message.text);
    repo::insert(
        conn,
        &Document {
            kind: Kind::Message,
            ticket_id: Some(message.ticket_id),
            message_id: Some(message.id),
            customer_id: None,
            internal: message.internal,
            language: language.tag(),
            terms: &terms,
            words: &words,
        },
    )
}

/// Rebuilds every document of a ticket.
pub(crate) fn ticket(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    repo::delete_ticket(conn, id)?;
    let Some(text) = source::ticket(conn, id)? else {
        return Ok(());
    };
    let language = Language::from_tag(text.language.as_deref());
    let terms = analyse(&text.subject, language).join(" ");
    let words = surface(&text.subject);
    repo::insert(
        conn,
        &Document {
            kind: Kind::Ticket,
            ticket_id: Some(id),
            message_id: None,
            customer_id: None,
            internal: false,
            language: language.tag(),
            terms: &terms,
            words: &words,
        },
    )?;
    for message in &text.messages {
        index_message(conn, message, text.language.as_deref())?;
    }
    Ok(())
}

/// Indexes one new message (replacing its document if it had one).
fn message(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    repo::delete_message(conn, id)?;
    let Some(message) = source::message(conn, id)? else {
        return Ok(());
    };
    let Some(ticket) = source::ticket(conn, message.ticket_id)? else {
        return Ok(());
    };
    index_message(conn, &message, ticket.language.as_deref())
}

/// Rebuilds the document of a customer: name, organisation and identities, in the
/// neutral analysis (names are not inflected words) plus the customer's language.
fn customer(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    repo::delete_customer(conn, id)?;
    let Some(text) = source::customer(conn, id)? else {
        return Ok(());
    };
    let mut all = vec![text.name.clone()];
    all.extend(text.organization.clone());
    all.extend(text.identities.iter().cloned());
    let joined = all.join(" ");
    let terms = analyse(&joined, Language::Neutral).join(" ");
    let words = surface(&joined);
    repo::insert(
        conn,
        &Document {
            kind: Kind::Customer,
            ticket_id: None,
            message_id: None,
            customer_id: Some(id),
            internal: false,
            language: Language::Neutral.tag(),
            terms: &terms,
            words: &words,
        },
    )
}

impl Knowledge {
    /// Indexes the events after the indexer's position (at most `batch`), moving the position
    /// in the same transaction. Returns how many events were read (0: the index is current).
    pub async fn index(&self, batch: i64) -> AppResult<usize> {
        self.kernel
            .housekeeping("search.index", move |tx| {
                let position = positions::lock(tx.conn(), POSITION, 0)?;
                let events = events::after(tx.conn(), position, batch)?;
                let Some(last) = events.last().map(|e| e.id) else {
                    return Ok(0);
                };
                let mut work = Work::default();
                for event in &events {
                    work.note(&event.event, event.ticket_id);
                }
                for id in &work.tickets {
                    ticket(tx.conn(), *id)?;
                }
                for id in &work.messages {
                    let rebuilt = source::message(tx.conn(), *id)?
                        .is_some_and(|m| work.tickets.contains(&m.ticket_id));
                    if !rebuilt {
                        message(tx.conn(), *id)?;
                    }
                }
                for id in &work.customers {
                    customer(tx.conn(), *id)?;
                }
                positions::set(tx.conn(), POSITION, last)?;
                Ok(events.len())
            })
            .await
    }
}
