//! An agent's public reply as mail: which mailbox sends it (the ticket's, else its team's,
//! else the default one), to whom (the requester's own address, the ticket's CCs, or the
//! recipients the agent chose), and taking it back while it waits in its undo window.

use super::{enqueue_with, text_to_html};
use crate::mailboxes::Mailbox;
use crate::repo;
use crate::repo::email_messages;
use tiski_kernel::{AppResult, Conn, Tx, blobs, outbox};
use tiski_mail::{Address, OutgoingEmail};
use tiski_ticketing::{Recipients, ReplyChannel, Route, TicketView, cc, customers, messages};

/// The email channel of public replies, plugged into ticketing as its [`ReplyChannel`]:
/// every agent reply goes out as mail through the mailbox that can reach the requester.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReplyMail;

/// The mailbox a ticket's mail goes out through: the one it came in by (or was opened in),
/// else an active mailbox of the ticket's team, else the active default mailbox.
pub(crate) fn mailbox_of(conn: &mut dyn Conn, ticket: &TicketView) -> AppResult<Option<Mailbox>> {
    if let Some(id) = ticket.mailbox_id {
        return Ok(Some(repo::mailboxes::get(conn, id)?));
    }
    if let Some(team_id) = ticket.team_id
        && let Some(mailbox) = repo::mailboxes::active_of_team(conn, team_id)?
    {
        return Ok(Some(mailbox));
    }
    repo::mailboxes::active_default(conn)
}

/// Where a reply to the requester goes: one of the requester's own email identities, never
/// whoever wrote last. Of those, the one they last wrote from on this ticket, else their first.
fn requester_address(conn: &mut dyn Conn, ticket: &TicketView) -> AppResult<Option<String>> {
    for sender in email_messages::inbound_senders(conn, ticket.id)? {
        if customers::has_identity(conn, ticket.requester.id, "email", &sender)? {
            return Ok(Some(sender));
        }
    }
    customers::first_email(conn, ticket.requester.id)
}

/// `In-Reply-To` and `References` of the next mail on a ticket.
pub(crate) fn threading(
    conn: &mut dyn Conn,
    ticket_id: i64,
) -> AppResult<(Option<String>, Vec<String>)> {
    let thread = email_messages::thread(conn, ticket_id)?;
    let in_reply_to = thread
        .iter()
        .rev()
        .find(|(_, d)| d == "in")
        .or(thread.last())
        .map(|(id, _)| id.clone());
    let references = thread
        .iter()
        .skip(thread.len().saturating_sub(20))
        .map(|(id, _)| id.clone())
        .collect();
    Ok((in_reply_to, references))
}

/// The mailbox's signature under a text and an HTML body.
pub(crate) fn signed(mailbox: &Mailbox, body: &str, html: Option<String>) -> (String, String) {
    let signature = if mailbox.signature.is_empty() {
        String::new()
    } else {
        format!("\n\n-- \n{}", mailbox.signature)
    };
    let html_body = html.unwrap_or_else(|| text_to_html(body));
    let html = format!(
        "<div>{html_body}</div>{}",
        if mailbox.signature.is_empty() {
            String::new()
        } else {
            format!("<div>-- <br>{}</div>", text_to_html(&mailbox.signature))
        }
    );
    (format!("{body}{signature}"), html)
}

/// The files of a message as mail attachments.
pub(crate) fn attachments(
    conn: &mut dyn Conn,
    message_id: i64,
) -> AppResult<Vec<tiski_mail::Attachment>> {
    Ok(messages::files_of(conn, message_id)?
        .into_iter()
        .map(|file| tiski_mail::Attachment {
            filename: file.filename,
            content_type: file.content_type,
            content_id: file.content_id,
            inline: file.inline,
            bytes: file.bytes,
        })
        .collect())
}

fn addresses(list: &[String]) -> Vec<Address> {
    list.iter()
        .map(|email| Address {
            email: email.clone(),
            name: None,
        })
        .collect()
}

impl ReplyChannel for ReplyMail {
    fn route(&self, conn: &mut dyn Conn, ticket: &TicketView) -> AppResult<Route> {
        Ok(Route {
            to: requester_address(conn, ticket)?,
            via: mailbox_of(conn, ticket)?.map(|m| m.address),
        })
    }

    fn send_reply(
        &self,
        tx: &mut Tx<'_, '_>,
        ticket: &TicketView,
        message_id: i64,
        recipients: &Recipients,
        hold_until: Option<i64>,
    ) -> AppResult<()> {
        let Some(mailbox) = mailbox_of(tx.conn(), ticket)? else {
            return Err(tiski_ticketing::Unreachable::NoChannel.error());
        };
        let to = match &recipients.to {
            Some(list) => addresses(list),
            None => {
                let Some(email) = requester_address(tx.conn(), ticket)? else {
                    return Err(tiski_ticketing::Unreachable::NoAddress.error());
                };
                vec![Address {
                    name: Some(ticket.requester.name.clone()).filter(|n| !n.is_empty()),
                    email,
                }]
            }
        };
        let copied = match &recipients.cc {
            Some(list) => {
                // Whoever the agent copies joins the ticket's CCs, so their answers thread
                // into it.
                for email in list {
                    cc::add(tx, ticket.id, email, None)?;
                }
                addresses(list)
            }
            None => cc::list(tx.conn(), ticket.id)?
                .into_iter()
                .map(|(email, name)| Address { email, name })
                .collect(),
        };
        let copied: Vec<Address> = copied
            .into_iter()
            .filter(|c| !to.iter().any(|t| t.email == c.email))
            .collect();
        let (in_reply_to, references) = threading(tx.conn(), ticket.id)?;
        let (body, html) = messages::text_of(tx.conn(), message_id)?;
        let (text, html) = signed(&mailbox, &body, html);
        let email = OutgoingEmail {
            from: Address {
                name: Some(format!("{} | {}", tx.actor().name, mailbox.name)),
                email: mailbox.address.clone(),
            },
            to,
            cc: copied,
            subject: format!(
                "Re: {} [#{}]",
                tiski_mail::strip_reply_prefixes(&ticket.subject),
                ticket.id
            ),
            message_id: String::new(),
            in_reply_to,
            references,
            text,
            html: Some(html),
            attachments: attachments(tx.conn(), message_id)?,
            auto_submitted: false,
            auto_generated: false,
            extra_headers: vec![],
            date: Some(tx.now() / 1_000_000),
        };
        let bcc: Vec<String> = recipients
            .bcc
            .iter()
            .filter(|b| !email.to.iter().chain(&email.cc).any(|a| &a.email == *b))
            .cloned()
            .collect();
        enqueue_with(tx, &mailbox, ticket, message_id, email, &bcc, hold_until)
    }

    fn forward(
        &self,
        tx: &mut Tx<'_, '_>,
        ticket: &TicketView,
        note_id: i64,
        forwarded: Option<i64>,
        to: &[String],
    ) -> AppResult<()> {
        super::forward::queue(tx, ticket, note_id, forwarded, to)
    }

    fn withdraw(&self, tx: &mut Tx<'_, '_>, message_id: i64) -> AppResult<bool> {
        let Some((email_id, due, digest)) = email_messages::held(tx.conn(), message_id)? else {
            return Ok(false);
        };
        if !outbox::withdraw(tx, super::OUTBOX_KIND, email_id, due)? {
            return Ok(false);
        }
        email_messages::delete(tx.conn(), email_id)?;
        // The raw mail names the customer; its Message-ID is random, so no one else uses it.
        blobs::delete(tx.conn(), &digest)?;
        Ok(true)
    }
}
