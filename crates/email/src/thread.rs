//! Threading: which ticket an inbound message belongs to.
//!
//! One rule for both ways a message names a ticket (the Message-IDs it answers, or the
//! `[#id]` tag in its subject): it joins that ticket only when its sender is on it, as an
//! email identity of the ticket's requester or as one of its CCs. Anyone can copy a
//! `References` header or type a ticket number, so a message from anyone else is
//! [`Thread::Apart`]: it opens a ticket of its own, linked to the one it named, and adds no CCs.

use tiski_kernel::{AppResult, Conn, Tx};
use tiski_mail::ParsedEmail;
use tiski_ticketing::{TicketView, cc, customers, tickets};

/// Where an inbound message goes.
#[derive(Debug)]
pub(crate) enum Thread {
    /// It names no ticket (or none that exists).
    New,
    /// It names a ticket its sender is on: it joins it.
    Joins(TicketView),
    /// It names a ticket its sender is not on: it opens its own ticket, linked to this one.
    Apart(TicketView),
}

/// The ticket an inbound message names (by the Message-IDs it answers, else by the `[#id]`
/// tag in its subject), and whether its sender may join it.
pub(crate) fn ticket_of(
    tx: &mut Tx<'_, '_>,
    parsed: &ParsedEmail,
    sender: &str,
) -> AppResult<Thread> {
    let Some(ticket) = named_ticket(tx, parsed)? else {
        return Ok(Thread::New);
    };
    Ok(if is_on_ticket(tx.conn(), &ticket, sender)? {
        Thread::Joins(ticket)
    } else {
        Thread::Apart(ticket)
    })
}

/// The ticket a message names, whoever sent it; for a ticket merged into another, the
/// survivor, where the conversation carries on.
fn named_ticket(tx: &mut Tx<'_, '_>, parsed: &ParsedEmail) -> AppResult<Option<TicketView>> {
    named_ticket_itself(tx, parsed)?
        .map(|ticket| tiski_ticketing::reshape::survivor(tx.conn(), ticket))
        .transpose()
}

/// The ticket a message names, whoever sent it.
fn named_ticket_itself(tx: &mut Tx<'_, '_>, parsed: &ParsedEmail) -> AppResult<Option<TicketView>> {
    let mut ids: Vec<&String> = parsed
        .in_reply_to
        .iter()
        .chain(parsed.references.iter().rev())
        .collect();
    ids.dedup();
    for id in ids.into_iter().take(30) {
        if let Some(ticket_id) = crate::repo::email_messages::ticket_of(tx.conn(), id)? {
            return Ok(Some(tickets::get(tx.conn(), ticket_id)?));
        }
    }
    let Some(ticket_id) = tiski_mail::ticket_tag(&parsed.subject) else {
        return Ok(None);
    };
    Ok(tickets::get(tx.conn(), ticket_id).ok())
}

/// Whether `sender` is on a ticket: an email identity of its requester, or copied on it.
pub(crate) fn is_on_ticket(
    conn: &mut dyn Conn,
    ticket: &TicketView,
    sender: &str,
) -> AppResult<bool> {
    Ok(
        customers::has_identity(conn, ticket.requester.id, "email", sender)?
            || cc::contains(conn, ticket.id, sender)?,
    )
}
