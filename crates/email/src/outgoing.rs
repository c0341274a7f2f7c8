//! Outgoing mail: an agent's public reply on an email ticket, and the acknowledgement of a
//! new ticket, each built with a stable Message-ID, stored, and put in the outbox in the
//! transaction that wrote the message.

mod acknowledgement;

pub(crate) use acknowledgement::queue_auto_ack;

use crate::mailboxes::Mailbox;
use crate::repo;
use crate::repo::email_messages::{self, NewEmail};
use tiski_domain::event::MessageAdded;
use tiski_domain::{AuthorKind, Event, MessageKind};
use tiski_kernel::{AppResult, Reaction, Tx, blobs, crypto, outbox};
use tiski_mail::{Address, OutgoingEmail};
use tiski_ticketing::{TicketView, cc, customers, messages, tickets};

/// The outbox kind of outgoing email.
pub(crate) const OUTBOX_KIND: &str = "email";

/// Reacts to an agent's public reply on an email ticket by queueing it as mail to the
/// requester and the people copied, in the transaction that added the reply.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReplyMail;

impl Reaction for ReplyMail {
    fn react(&self, tx: &mut Tx<'_, '_>, ticket_id: Option<i64>, event: &Event) -> AppResult<()> {
        let (Event::MessageAdded(added), Some(ticket_id)) = (event, ticket_id) else {
            return Ok(());
        };
        if added.author_kind != AuthorKind::Agent || added.kind != MessageKind::Reply {
            return Ok(());
        }
        let ticket = tickets::get(tx.conn(), ticket_id)?;
        queue_reply(tx, &ticket, added)
    }
}

/// Builds and queues the mail of an agent's reply (nothing for a ticket without a mailbox,
/// or a requester without an address).
fn queue_reply(tx: &mut Tx<'_, '_>, ticket: &TicketView, added: &MessageAdded) -> AppResult<()> {
    let Some(mailbox_id) = ticket.mailbox_id else {
        return Ok(());
    };
    let mailbox = repo::mailboxes::get(tx.conn(), mailbox_id)?;
    let Some(to_email) = requester_address(tx, ticket)? else {
        return Ok(());
    };
    let copied = cc::list(tx.conn(), ticket.id)?
        .into_iter()
        .map(|(email, name)| Address { email, name })
        .collect();
    let thread = email_messages::thread(tx.conn(), ticket.id)?;
    let in_reply_to = thread
        .iter()
        .rev()
        .find(|(_, d)| d == "in")
        .or(thread.last())
        .map(|(id, _)| id.clone());
    let references: Vec<String> = thread
        .iter()
        .skip(thread.len().saturating_sub(20))
        .map(|(id, _)| id.clone())
        .collect();
    let (body, html) = messages::text_of(tx.conn(), added.message_id)?;
    let signature = if mailbox.signature.is_empty() {
        String::new()
    } else {
        format!("\n\n-- \n{}", mailbox.signature)
    };
    let html_body = html.unwrap_or_else(|| text_to_html(&body));
    let html = format!(
        "<div>{html_body}</div>{}",
        if mailbox.signature.is_empty() {
            String::new()
        } else {
            format!("<div>-- <br>{}</div>", text_to_html(&mailbox.signature))
        }
    );
    let attachments = messages::files_of(tx.conn(), added.message_id)?
        .into_iter()
        .map(|file| tiski_mail::Attachment {
            filename: file.filename,
            content_type: file.content_type,
            content_id: file.content_id,
            inline: file.inline,
            bytes: file.bytes,
        })
        .collect();
    let email = OutgoingEmail {
        from: Address {
            name: Some(format!("{} | {}", tx.actor().name, mailbox.name)),
            email: mailbox.address.clone(),
        },
        to: vec![Address {
            name: Some(ticket.requester.name.clone()).filter(|n| !n.is_empty()),
            email: to_email,
        }],
        cc: copied,
        subject: format!(
            "Re: {} [#{}]",
            tiski_mail::strip_reply_prefixes(&ticket.subject),
            ticket.id
        ),
        message_id: String::new(),
        in_reply_to,
        references,
        text: format!("{body}{signature}"),
        html: Some(html),
        attachments,
        auto_submitted: false,
        extra_headers: vec![],
        date: Some(tx.now() / 1_000_000),
    };
    enqueue(tx, &mailbox, ticket, added.message_id, email)
}

/// Where a reply to the requester goes: one of the requester's own email identities, never
/// whoever wrote last. Of those, the one they last wrote from on this ticket, else their first.
fn requester_address(tx: &mut Tx<'_, '_>, ticket: &TicketView) -> AppResult<Option<String>> {
    for sender in email_messages::inbound_senders(tx.conn(), ticket.id)? {
        if customers::has_identity(tx.conn(), ticket.requester.id, "email", &sender)? {
            return Ok(Some(sender));
        }
    }
    customers::first_email(tx.conn(), ticket.requester.id)
}

/// Builds an outgoing message with a stable Message-ID, stores it, and puts it in the
/// outbox.
pub(crate) fn enqueue(
    tx: &mut Tx<'_, '_>,
    mailbox: &Mailbox,
    ticket: &TicketView,
    message_id: i64,
    mut email: OutgoingEmail,
) -> AppResult<()> {
    let domain = mailbox
        .address
        .split_once('@')
        .map(|(_, d)| d)
        .unwrap_or("tiski.invalid");
    // The Message-ID is random (144 bits), so nobody can guess the `References` of a
    // ticket's mail; it is made once here and kept in the stored raw message and the email
    // row, so every retry of this delivery sends the same one.
    email.message_id = tiski_mail::new_message_id(domain, &crypto::random_text(18));
    let raw = tiski_mail::build(&email);
    let digest = blobs::put(tx, &raw)?;
    let recipients: Vec<String> = email
        .to
        .iter()
        .chain(email.cc.iter())
        .map(|a| a.email.clone())
        .collect();
    let now = tx.now();
    let email_id = email_messages::insert(
        tx.conn(),
        &NewEmail {
            mailbox_id: mailbox.id,
            direction: "out",
            rfc_message_id: &email.message_id,
            ticket_id: Some(ticket.id),
            message_id: Some(message_id),
            raw_sha256: &digest,
            envelope_from: Some(&mailbox.address),
            recipients: &recipients,
            delivery_status: Some("queued"),
            delivery_detail: None,
            referenced_ticket_id: None,
        },
        now,
    )?;
    // For email rows, the outbox's subject is the email message being delivered.
    outbox::enqueue(tx, OUTBOX_KIND, None, email_id, "{}")
}

/// Plain text as escaped HTML with line breaks.
pub(crate) fn text_to_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', "<br>\n")
}
