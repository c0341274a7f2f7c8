//! Outgoing mail: an agent's public reply (on any ticket, through the mailbox that can reach
//! the requester), a forward, and the acknowledgement of a new ticket, each built with a
//! stable Message-ID, stored, and put in the outbox in the transaction that wrote the message.

mod acknowledgement;
mod forward;
mod reply;
mod staff;

pub(crate) use acknowledgement::queue_auto_ack;
pub use reply::ReplyMail;
pub use staff::{StaffMail, can_mail_staff, queue_staff_mail};

use crate::mailboxes::Mailbox;
use crate::repo::email_messages::{self, NewEmail};
use tiski_kernel::{AppResult, Tx, blobs, crypto, outbox};
use tiski_mail::OutgoingEmail;
use tiski_ticketing::TicketView;

/// The outbox kind of outgoing email.
pub(crate) const OUTBOX_KIND: &str = "email";

/// Builds an outgoing message with a stable Message-ID, stores it, and puts it in the
/// outbox.
pub(crate) fn enqueue(
    tx: &mut Tx<'_, '_>,
    mailbox: &Mailbox,
    ticket: &TicketView,
    message_id: i64,
    email: OutgoingEmail,
) -> AppResult<()> {
    enqueue_with(tx, mailbox, ticket, message_id, email, &[], None)
}

/// Like [`enqueue`], with blind copies (in the envelope and on the record, in no header) and,
/// for a reply in its undo window, the time it comes due.
pub(crate) fn enqueue_with(
    tx: &mut Tx<'_, '_>,
    mailbox: &Mailbox,
    ticket: &TicketView,
    message_id: i64,
    email: OutgoingEmail,
    bcc: &[String],
    hold_until: Option<i64>,
) -> AppResult<()> {
    store_and_queue(
        tx,
        mailbox,
        Some(ticket.id),
        Some(message_id),
        email,
        bcc,
        hold_until,
    )
}

/// Builds `email` with a stable Message-ID, stores it as an outgoing email row (of a ticket's
/// message, or of none: mail to staff) and puts it in the outbox.
fn store_and_queue(
    tx: &mut Tx<'_, '_>,
    mailbox: &Mailbox,
    ticket_id: Option<i64>,
    message_id: Option<i64>,
    mut email: OutgoingEmail,
    bcc: &[String],
    hold_until: Option<i64>,
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
        .chain(bcc.iter().cloned())
        .fold(Vec::new(), |mut all, address| {
            if !all.contains(&address) {
                all.push(address);
            }
            all
        });
    let cc: Vec<String> = email.cc.iter().map(|a| a.email.clone()).collect();
    let now = tx.now();
    let email_id = email_messages::insert(
        tx.conn(),
        &NewEmail {
            mailbox_id: mailbox.id,
            direction: "out",
            rfc_message_id: &email.message_id,
            ticket_id,
            message_id,
            raw_sha256: &digest,
            envelope_from: Some(&mailbox.address),
            recipients: &recipients,
            delivery_status: Some("queued"),
            delivery_detail: None,
            referenced_ticket_id: None,
        },
        now,
    )?;
    email_messages::set_copies(tx.conn(), email_id, &cc, bcc, hold_until)?;
    // For email rows, the outbox's subject is the email message being delivered.
    match hold_until {
        Some(due) => outbox::enqueue_at(tx, OUTBOX_KIND, email_id, "{}", due),
        None => outbox::enqueue(tx, OUTBOX_KIND, None, email_id, "{}"),
    }
}

/// Plain text as escaped HTML with line breaks.
pub(crate) fn text_to_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', "<br>\n")
}
