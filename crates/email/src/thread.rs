//! Threading: which ticket an inbound message belongs to.

use tiski_kernel::{AppResult, Tx};
use tiski_mail::ParsedEmail;
use tiski_ticketing::{TicketView, cc, customers, tickets};

/// The ticket an inbound message belongs to: by the Message-IDs it answers, else by the
/// `[#id]` tag in its subject when the sender is on that ticket (its requester or copied).
pub(crate) fn ticket_of(
    tx: &mut Tx<'_, '_>,
    parsed: &ParsedEmail,
    sender: &str,
) -> AppResult<Option<TicketView>> {
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
    let Ok(ticket) = tickets::get(tx.conn(), ticket_id) else {
        return Ok(None);
    };
    let on_ticket = customers::has_identity(tx.conn(), ticket.requester.id, "email", sender)?
        || cc::contains(tx.conn(), ticket.id, sender)?;
    Ok(on_ticket.then_some(ticket))
}
