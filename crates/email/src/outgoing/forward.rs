//! A forward: a message (or the public conversation) of a ticket sent to someone outside it,
//! through the ticket's mailbox, as a new thread; the internal note recording it carries its
//! email row, so the note shows the delivery state.

use super::enqueue;
use super::reply::{attachments, mailbox_of, signed};
use tiski_domain::{AuthorKind, MessageKind};
use tiski_kernel::{AppResult, Tx};
use tiski_mail::{Address, OutgoingEmail};
use tiski_ticketing::{MessageView, TicketView, Unreachable, messages};

/// The most messages a forward of a whole conversation carries.
const CONVERSATION_LIMIT: i64 = 200;

/// One forwarded message as text, with who wrote it and when.
fn quoted(ticket: &TicketView, message: &MessageView) -> String {
    let author = match message.author_kind {
        AuthorKind::Customer => ticket.requester.name.clone(),
        _ => "Support".to_string(),
    };
    format!(
        "---------- Forwarded message ----------\nFrom: {author}\nDate: {}\n\n{}\n",
        message.created_at, message.body
    )
}

/// Builds and queues the forward recorded by `note_id`.
pub(crate) fn queue(
    tx: &mut Tx<'_, '_>,
    ticket: &TicketView,
    note_id: i64,
    forwarded: Option<i64>,
    to: &[String],
) -> AppResult<()> {
    let Some(mailbox) = mailbox_of(tx.conn(), ticket)? else {
        return Err(Unreachable::NoChannel.error());
    };
    let (note, _) = messages::text_of(tx.conn(), note_id)?;
    let (chosen, files) = match forwarded {
        Some(id) => {
            let message = messages::get(tx.conn(), ticket.id, id)?
                .ok_or(tiski_kernel::AppError::not_found("message"))?;
            (vec![message], attachments(tx.conn(), id)?)
        }
        // Internal notes stay inside: a forwarded conversation is what the customer saw.
        None => (
            messages::of_ticket(tx.conn(), ticket.id, CONVERSATION_LIMIT)?
                .into_iter()
                .filter(|m| m.kind == MessageKind::Reply && m.id != note_id)
                .collect(),
            Vec::new(),
        ),
    };
    let body = std::iter::once(note)
        .chain(chosen.iter().map(|m| quoted(ticket, m)))
        .collect::<Vec<_>>()
        .join("\n\n");
    let (text, html) = signed(&mailbox, &body, None);
    let email = OutgoingEmail {
        from: Address {
            name: Some(format!("{} | {}", tx.actor().name, mailbox.name)),
            email: mailbox.address.clone(),
        },
        to: to
            .iter()
            .map(|email| Address {
                email: email.clone(),
                name: None,
            })
            .collect(),
        cc: Vec::new(),
        subject: format!(
            "Fwd: {} [#{}]",
            tiski_mail::strip_reply_prefixes(&ticket.subject),
            ticket.id
        ),
        message_id: String::new(),
        in_reply_to: None,
        references: Vec::new(),
        text,
        html: Some(html),
        attachments: files,
        auto_submitted: false,
        auto_generated: false,
        extra_headers: vec![],
        date: Some(tx.now() / 1_000_000),
    };
    enqueue(tx, &mailbox, ticket, note_id, email)
}
