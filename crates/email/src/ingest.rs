//! Ingest: one raw RFC 5322 message for a mailbox, in one transaction. Parse (or quarantine),
//! deduplicate, recognise a bounce, find or create the customer, thread (add, reopen, follow
//! up or open), keep the raw bytes and attachments, copy the people in To and Cc, and queue
//! an acknowledgement.

use crate::mailboxes::Mailbox;
use crate::repo::email_messages::{self, NewEmail};
use crate::thread::Thread;
use crate::{Email, outgoing, quarantine};
use serde::Serialize;
use tiski_domain::event::{EmailBounced, EmailReferenceRefused};
use tiski_domain::{AuthorKind, Channel, EmailAddress, MessageKind, Permission, Priority, Status};
use tiski_kernel::{Actor, AppError, AppResult, Tx, blobs, crypto};
use tiski_mail::{Address, AutoKind, ParsedEmail};
use tiski_ticketing::customers::{self, Requester};
use tiski_ticketing::rules::ticket::subject_from_outside;
use tiski_ticketing::tickets::{self, NewTicketRow};
use tiski_ticketing::{File, RequesterView, TicketView, ValidMessage, cc, messages};

/// Where an inbound message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmailSource {
    /// The built-in SMTP listener.
    Smtp,
    /// IMAP polling.
    Imap,
    /// `POST /api/v1/mailboxes/{id}/raw`.
    Api,
}

impl EmailSource {
    /// The stored name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EmailSource::Smtp => "smtp",
            EmailSource::Imap => "imap",
            EmailSource::Api => "api",
        }
    }
}

/// What became of an inbound message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IngestOutcome {
    /// A new ticket was opened.
    Created {
        /// The new ticket.
        ticket_id: i64,
        /// The customer's message.
        message_id: i64,
        /// The ticket the message referenced (by `References`/`In-Reply-To` or a `[#id]`
        /// subject tag) but did not join, because its sender is neither that ticket's
        /// requester nor copied on it; the new ticket is linked to it instead.
        #[serde(skip_serializing_if = "Option::is_none")]
        referenced_ticket_id: Option<i64>,
    },
    /// The message joined an existing ticket.
    Added {
        /// The ticket.
        ticket_id: i64,
        /// The customer's message.
        message_id: i64,
    },
    /// The message answered a closed ticket and opened a follow-up linked to it.
    FollowUp {
        /// The new ticket.
        ticket_id: i64,
        /// The closed ticket.
        follows: i64,
        /// The customer's message.
        message_id: i64,
    },
    /// The same message was ingested before; nothing was added.
    Duplicate {
        /// The ticket it went to, if any.
        ticket_id: Option<i64>,
    },
    /// A delivery status notification about one of our messages.
    Bounce {
        /// The ticket of the bounced message.
        ticket_id: Option<i64>,
    },
    /// The message was kept raw in quarantine.
    Quarantined {
        /// The quarantine entry.
        quarantine_id: i64,
        /// Why.
        reason: String,
    },
}

/// Everything the ingest transaction needs, prepared outside it.
struct Inbound {
    mailbox: Mailbox,
    own_addresses: Vec<String>,
    source: EmailSource,
    raw: Vec<u8>,
    parsed: Result<ParsedEmail, String>,
    language: Option<&'static str>,
    html: Option<String>,
}

impl Email {
    /// Ingests one raw RFC 5322 message for a mailbox, handed over by `actor` (a channel acts
    /// as tiski itself; an admin may post raw mail). What the message causes is recorded as
    /// arriving through the channel. Answers only after everything (the raw bytes included) is
    /// committed; the same message again is a duplicate, not a second copy.
    pub async fn ingest_email(
        &self,
        actor: &Actor,
        mailbox_id: i64,
        raw: Vec<u8>,
        source: EmailSource,
    ) -> AppResult<IngestOutcome> {
        let grant = actor.grant(Permission::EmailIngest)?;
        let max = self.kernel.settings().max_email_bytes;
        if raw.len() > max {
            return Err(AppError::invalid(
                "message",
                format!("The message is larger than {max} bytes."),
            ));
        }
        let all = self.mailboxes().await?;
        let mailbox = all
            .iter()
            .find(|m| m.id == mailbox_id && m.active)
            .cloned()
            .ok_or(AppError::not_found("mailbox"))?;
        let own_addresses = all.iter().map(|m| m.address.clone()).collect();
        // Parsing, card-number masking of the raw source, language detection and HTML
        // sanitising of a message of up to `max_email_bytes` is CPU work: it runs on a
        // blocking thread, not on the async workers that serve every other connection.
        let (raw, parsed, language, html) = tokio::task::spawn_blocking(move || {
            let (parsed, language, html) = prepare(&raw);
            let raw = crate::card_numbers::raw_to_store(raw, parsed.as_ref().ok());
            (raw, parsed, language, html)
        })
        .await
        .map_err(|_| AppError::invalid("message", "The message could not be parsed."))?;
        let inbound = Inbound {
            mailbox,
            own_addresses,
            source,
            raw,
            parsed,
            language,
            html,
        };
        self.kernel
            .command(&grant, "email.ingest", move |tx| {
                tx.as_system(|tx| ingest(tx, &inbound))
            })
            .await
    }
}

/// Parses a raw message and derives what the transaction needs of it: its language and its
/// sanitised HTML (a parser panic is an unreadable message, not a crash).
#[allow(clippy::type_complexity)]
fn prepare(
    raw: &[u8],
) -> (
    Result<ParsedEmail, String>,
    Option<&'static str>,
    Option<String>,
) {
    let parsed = match std::panic::catch_unwind(|| tiski_mail::parse(raw)) {
        Ok(Ok(parsed)) => Ok(parsed),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("The message could not be parsed: the parser failed on it.".to_string()),
    };
    let language = parsed
        .as_ref()
        .ok()
        .and_then(|p| tiski_ticketing::language::detect(&p.new_text));
    let html = parsed
        .as_ref()
        .ok()
        .and_then(|p| p.html.as_deref())
        .map(tiski_ticketing::sanitize_html);
    (parsed, language, html)
}

fn ingest(tx: &mut Tx<'_, '_>, inbound: &Inbound) -> AppResult<IngestOutcome> {
    let mailbox = &inbound.mailbox;
    let keep = |tx: &mut Tx<'_, '_>, reason: &str, parsed: Option<&ParsedEmail>| {
        quarantine::keep(
            tx,
            Some(mailbox.id),
            inbound.source,
            &inbound.raw,
            reason,
            parsed,
        )
    };
    let parsed = match &inbound.parsed {
        Ok(parsed) => parsed,
        Err(reason) => return keep(tx, reason, None),
    };
    let rfc_id = parsed
        .message_id
        .clone()
        .unwrap_or_else(|| format!("sha256-{}@tiski.invalid", crypto::sha256_hex(&inbound.raw)));
    if let Some(ticket_id) = email_messages::inbound_seen(tx.conn(), mailbox.id, &rfc_id)? {
        return Ok(IngestOutcome::Duplicate { ticket_id });
    }
    if let Some(bounce) = &parsed.bounce {
        return record_bounce(tx, inbound, parsed, bounce, &rfc_id);
    }
    let Some(from) = parsed
        .from
        .as_ref()
        .filter(|f| EmailAddress::parse(&f.email).is_ok())
    else {
        return keep(
            tx,
            "The message has no usable sender address.",
            Some(parsed),
        );
    };
    if inbound.own_addresses.contains(&from.email) {
        return keep(
            tx,
            "The message comes from one of our own addresses; it was not ingested to avoid a mail loop.",
            Some(parsed),
        );
    }
    let requester = customers::find_or_create(
        tx,
        ("email", &from.email),
        from.name.as_deref().filter(|n| !n.trim().is_empty()),
        None,
    )?;
    let is_auto = parsed.auto != AutoKind::Human;
    let message = customer_message(parsed, inbound.html.clone());
    let mut referenced = None;
    let (ticket, follows, is_new) = match crate::thread::ticket_of(tx, parsed, &from.email)? {
        Thread::Joins(ticket) if ticket.status == Status::Closed => {
            let follow_up = new_ticket(tx, inbound, parsed, &requester, Some(&ticket))?;
            (follow_up, Some(ticket.id), true)
        }
        Thread::Joins(ticket) => {
            if !is_auto && let Some(next) = ticket.status.after_customer_message() {
                tickets::set_status(tx, &ticket, next)?;
            }
            tickets::touch(tx, ticket.id)?;
            (ticket, None, false)
        }
        Thread::Apart(named) => {
            referenced = Some(named.id);
            (
                new_ticket(tx, inbound, parsed, &requester, None)?,
                None,
                true,
            )
        }
        Thread::New => (
            new_ticket(tx, inbound, parsed, &requester, None)?,
            None,
            true,
        ),
    };
    let view = messages::insert(tx, &ticket, &message, Channel::Email)?;
    if parsed.new_text != parsed.text && !parsed.new_text.trim().is_empty() {
        messages::set_new_text(tx, view.id, &parsed.new_text)?;
    }
    let files: Vec<File> = parsed.attachments.iter().map(file_of).collect();
    messages::store_files(tx, view.id, &files)?;
    if referenced.is_none() {
        // A message that named a ticket its sender is not on copies nobody: its To and Cc
        // are whatever the sender chose to write.
        let copied: Vec<&Address> = parsed.to.iter().chain(parsed.cc.iter()).collect();
        add_cc(tx, ticket.id, &copied, &inbound.own_addresses, &from.email)?;
    }
    let digest = blobs::put(tx, &inbound.raw)?;
    let now = tx.now();
    let email_id = email_messages::insert(
        tx.conn(),
        &NewEmail {
            mailbox_id: mailbox.id,
            direction: "in",
            rfc_message_id: &rfc_id,
            ticket_id: Some(ticket.id),
            message_id: Some(view.id),
            raw_sha256: &digest,
            envelope_from: Some(&from.email),
            recipients: &[],
            delivery_status: None,
            delivery_detail: None,
            referenced_ticket_id: referenced,
        },
        now,
    )?;
    if let Some(referenced_ticket_id) = referenced {
        tx.emit(
            Some(ticket.id),
            EmailReferenceRefused {
                email_message_id: email_id,
                referenced_ticket_id,
            },
        )?;
    }
    if is_new && mailbox.auto_ack && !is_auto {
        outgoing::queue_auto_ack(tx, mailbox, &ticket, from, &rfc_id)?;
    }
    Ok(match (follows, is_new) {
        (Some(follows), _) => IngestOutcome::FollowUp {
            ticket_id: ticket.id,
            follows,
            message_id: view.id,
        },
        (None, true) => IngestOutcome::Created {
            ticket_id: ticket.id,
            message_id: view.id,
            referenced_ticket_id: referenced,
        },
        (None, false) => IngestOutcome::Added {
            ticket_id: ticket.id,
            message_id: view.id,
        },
    })
}

/// The customer's message of a parsed email (its files are stored apart).
fn customer_message(parsed: &ParsedEmail, html: Option<String>) -> ValidMessage {
    let body = if parsed.text.trim().is_empty() {
        if parsed.attachments.is_empty() {
            "(empty message)".to_string()
        } else {
            "(attachments only)".to_string()
        }
    } else {
        parsed.text.clone()
    };
    ValidMessage {
        body,
        html,
        kind: MessageKind::Reply,
        author: AuthorKind::Customer,
        channel: Some(Channel::Email),
        attachments: Vec::new(),
    }
}

/// A mail attachment as a file on a message.
pub(crate) fn file_of(attachment: &tiski_mail::Attachment) -> File {
    File {
        filename: attachment.filename.clone(),
        content_type: attachment.content_type.clone(),
        content_id: attachment.content_id.clone(),
        inline: attachment.inline,
        bytes: attachment.bytes.clone(),
    }
}

/// Copies the people a message was also addressed to on its ticket (never our own addresses
/// or the requester).
fn add_cc(
    tx: &mut Tx<'_, '_>,
    ticket_id: i64,
    people: &[&Address],
    own: &[String],
    requester_email: &str,
) -> AppResult<()> {
    for address in people {
        if own.contains(&address.email)
            || address.email == requester_email
            || EmailAddress::parse(&address.email).is_err()
        {
            continue;
        }
        cc::add(tx, ticket_id, &address.email, address.name.as_deref())?;
    }
    Ok(())
}

/// Opens a ticket for a message, or the follow-up of the closed ticket it answers (which
/// inherits what [`TicketView::inherited`] says).
fn new_ticket(
    tx: &mut Tx<'_, '_>,
    inbound: &Inbound,
    parsed: &ParsedEmail,
    requester: &Requester,
    follows: Option<&TicketView>,
) -> AppResult<TicketView> {
    let subject = subject_from_outside(&tiski_mail::strip_reply_prefixes(&parsed.subject));
    let inherited = follows.map(TicketView::inherited);
    let language = inbound
        .language
        .map(str::to_string)
        .or(requester.language.clone());
    let tags = inherited
        .as_ref()
        .map(|i| i.tags.clone())
        .unwrap_or_default();
    tickets::insert(
        tx,
        NewTicketRow {
            subject: &subject,
            requester: RequesterView {
                id: requester.id,
                name: requester.name.clone(),
            },
            status: Status::New,
            priority: inherited
                .as_ref()
                .map(|i| i.priority)
                .unwrap_or(Priority::Normal),
            channel: Channel::Email,
            team_id: inherited
                .as_ref()
                .and_then(|i| i.team_id)
                .or(inbound.mailbox.team_id),
            assignee_id: inherited.as_ref().and_then(|i| i.assignee_id),
            language,
            tags: &tags,
            follow_up_of: follows.map(|t| t.id),
            mailbox_id: Some(inbound.mailbox.id),
        },
    )
}

/// Records a delivery status notification on the outgoing email it reports (quarantined
/// when it matches nothing we sent).
fn record_bounce(
    tx: &mut Tx<'_, '_>,
    inbound: &Inbound,
    parsed: &ParsedEmail,
    bounce: &tiski_mail::Bounce,
    rfc_id: &str,
) -> AppResult<IngestOutcome> {
    let detail = bounce
        .recipients
        .iter()
        .map(|r| {
            format!(
                "{} {}{}{}",
                r.email,
                r.action,
                r.status
                    .as_deref()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default(),
                r.diagnostic
                    .as_deref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let original = match &bounce.original_message_id {
        Some(id) => email_messages::outgoing_of(tx.conn(), id)?,
        None => None,
    };
    let Some((email_id, ticket_id)) = original else {
        return quarantine::keep(
            tx,
            Some(inbound.mailbox.id),
            inbound.source,
            &inbound.raw,
            "A delivery status notification that matches no message we sent.",
            Some(parsed),
        );
    };
    let failed = bounce
        .recipients
        .iter()
        .any(|r| r.action.eq_ignore_ascii_case("failed"))
        || bounce.recipients.is_empty();
    let now = tx.now();
    if failed {
        email_messages::mark_bounced(tx.conn(), email_id, &detail, now)?;
    }
    let digest = blobs::put(tx, &inbound.raw)?;
    email_messages::insert(
        tx.conn(),
        &NewEmail {
            mailbox_id: inbound.mailbox.id,
            direction: "in",
            rfc_message_id: rfc_id,
            ticket_id,
            message_id: None,
            raw_sha256: &digest,
            envelope_from: parsed.from.as_ref().map(|f| f.email.as_str()),
            recipients: &[],
            delivery_status: None,
            delivery_detail: Some(&detail),
            referenced_ticket_id: None,
        },
        now,
    )?;
    tx.emit(
        ticket_id,
        EmailBounced {
            email_message_id: email_id,
            failed,
        },
    )?;
    Ok(IngestOutcome::Bounce { ticket_id })
}
