//! The email channel's use cases: ingest a raw message (thread it, find or create the customer,
//! keep attachments, recognise loops and bounces, quarantine what cannot be read), queue
//! replies and auto-acknowledgements as outgoing mail, and record deliveries.
//!
//! Raw messages and attachments are content-addressed blobs in the database, written in the
//! same transaction as the message that refers to them: an accepted message is durable whole.

use crate::customers;
use crate::mailboxes::{self, Mailbox};
use crate::messages::{MessageView, ValidMessage};
use crate::tickets::{self, RequesterView, TicketRow, TicketView};
use crate::{Actor, App, AppError, AppResult, events, time};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tiski_domain::{AuthorKind, Channel, EventType, MessageKind, Priority, Status};
use tiski_mail::{Address, AutoKind, OutgoingEmail, ParsedEmail};
use tiski_store::{Conn, WriteTx, params};

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
    fn as_str(self) -> &'static str {
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

/// A quarantined message as the API lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuarantineView {
    /// Id.
    pub id: i64,
    /// The mailbox it arrived for.
    pub mailbox_id: Option<i64>,
    /// `smtp`, `imap` or `api`.
    pub source: String,
    /// Why it was not ingested.
    pub reason: String,
    /// Size of the raw message in bytes.
    pub size: i64,
    /// The sender as far as it could be read.
    pub sender: Option<String>,
    /// The subject as far as it could be read.
    pub subject: Option<String>,
    /// When it arrived.
    pub created_at: String,
}

/// An attachment as the API lists it on a message.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AttachmentView {
    /// Id (download at `/api/v1/attachments/{id}`).
    pub id: i64,
    /// The message it belongs to.
    pub message_id: i64,
    /// File name as sent.
    pub filename: Option<String>,
    /// MIME type as sent.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Content-ID of an inline part (referenced as `cid:` from the HTML).
    pub content_id: Option<String>,
    /// Whether it is shown inline.
    pub inline: bool,
}

/// A message's email identity and delivery state.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EmailState {
    /// `in` or `out`.
    pub direction: String,
    /// The RFC 5322 Message-ID, without angle brackets.
    pub message_id: String,
    /// For outgoing mail: `queued`, `sent`, `failed` or `bounced`.
    pub delivery_status: Option<String>,
    /// The relay's answer, the failure, or the bounce report.
    pub delivery_detail: Option<String>,
    /// Recipients of outgoing mail.
    pub recipients: Vec<String>,
}

/// Adds attachments and email state to a page of messages, in two queries.
pub(crate) fn decorate(conn: &mut dyn Conn, messages: &mut [MessageView]) -> AppResult<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let ids = crate::actor::join_ids(&messages.iter().map(|m| m.id).collect::<Vec<_>>());
    for row in conn.query(
        &format!("SELECT id, message_id, filename, content_type, size, content_id, inline FROM attachments WHERE message_id IN ({ids}) ORDER BY id"),
        &[],
    )? {
        let message_id: i64 = row.get(1)?;
        if let Some(message) = messages.iter_mut().find(|m| m.id == message_id) {
            message.attachments.push(AttachmentView {
                id: row.get(0)?,
                message_id,
                filename: row.get(2)?,
                content_type: row.get(3)?,
                size: row.get(4)?,
                content_id: row.get(5)?,
                inline: row.get(6)?,
            });
        }
    }
    for row in conn.query(
        &format!("SELECT message_id, direction, rfc_message_id, delivery_status, delivery_detail, recipients FROM email_messages WHERE message_id IN ({ids}) ORDER BY id"),
        &[],
    )? {
        let message_id: i64 = row.get(0)?;
        let recipients: String = row.get(5)?;
        if let Some(message) = messages.iter_mut().find(|m| m.id == message_id) {
            message.email = Some(EmailState {
                direction: row.get(1)?,
                message_id: row.get(2)?,
                delivery_status: row.get(3)?,
                delivery_detail: row.get(4)?,
                recipients: serde_json::from_str(&recipients).unwrap_or_default(),
            });
        }
    }
    Ok(())
}

/// An outgoing email claimed for delivery.
#[derive(Debug, Clone)]
pub struct OutgoingDelivery {
    /// The outbox row.
    pub outbox_id: i64,
    /// The email message row.
    pub email_message_id: i64,
    /// Attempts made before this one.
    pub attempts: i64,
    /// The mailbox it goes out through (with its SMTP settings).
    pub mailbox: Mailbox,
    /// The envelope sender.
    pub envelope_from: String,
    /// The envelope recipients.
    pub recipients: Vec<String>,
    /// The message as it goes on the wire.
    pub raw: Vec<u8>,
}

/// How one delivery attempt went.
#[derive(Debug, Clone)]
pub enum DeliveryResult {
    /// The relay accepted it; its answer.
    Sent(String),
    /// It failed; the server's answer or the connection error, and whether retrying is futile.
    Failed {
        /// What the server said, or the error.
        detail: String,
        /// A permanent (5xx) refusal.
        permanent: bool,
    },
}

/// The digest under which bytes are stored.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    crate::auth::hex(&Sha256::digest(bytes))
}

/// Stores bytes once under their digest and returns the digest.
pub(crate) fn put_blob(conn: &mut dyn Conn, bytes: &[u8]) -> AppResult<String> {
    let digest = sha256_hex(bytes);
    conn.execute(
        "INSERT INTO blobs (sha256, size, bytes, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
        params![digest.as_str(), bytes.len() as i64, bytes.to_vec(), time::now_micros()],
    )?;
    Ok(digest)
}

fn get_blob(conn: &mut dyn Conn, digest: &str) -> AppResult<Vec<u8>> {
    Ok(conn.query_scalar("SELECT bytes FROM blobs WHERE sha256 = $1", params![digest])?)
}

fn quarantine(
    tx: &mut WriteTx<'_>,
    mailbox_id: Option<i64>,
    source: EmailSource,
    raw: &[u8],
    reason: &str,
    parsed: Option<&ParsedEmail>,
) -> AppResult<IngestOutcome> {
    let digest = put_blob(tx.conn(), raw)?;
    if let Some(row) = tx.conn().query_opt(
        "SELECT id, reason FROM quarantine WHERE raw_sha256 = $1 AND mailbox_id IS NOT DISTINCT FROM $2",
        params![digest.as_str(), mailbox_id],
    )? {
        return Ok(IngestOutcome::Quarantined { quarantine_id: row.get(0)?, reason: row.get(1)? });
    }
    let id: i64 = tx.conn().query_scalar(
        "INSERT INTO quarantine (mailbox_id, source, reason, raw_sha256, size, sender, subject, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        params![
            mailbox_id,
            source.as_str(),
            reason,
            digest.as_str(),
            raw.len() as i64,
            parsed.and_then(|p| p.from.as_ref().map(|a| a.email.clone())),
            parsed.map(|p| p.subject.chars().take(500).collect::<String>()),
            time::now_micros()
        ],
    )?;
    events::append(
        tx,
        &Actor::system(),
        None,
        EventType::EmailQuarantined,
        serde_json::json!({"quarantine_id": id, "mailbox_id": mailbox_id, "reason": reason}),
    );
    Ok(IngestOutcome::Quarantined {
        quarantine_id: id,
        reason: reason.to_string(),
    })
}

/// The ticket an inbound message belongs to: by the Message-IDs it answers, else by the
/// `[#id]` tag in its subject when the sender is on that ticket.
fn thread(
    tx: &mut WriteTx<'_>,
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
        if let Some(row) = tx.conn().query_opt(
            "SELECT ticket_id FROM email_messages WHERE rfc_message_id = $1 AND ticket_id IS NOT NULL ORDER BY id DESC LIMIT 1",
            params![id.as_str()],
        )? {
            return Ok(Some(tickets::get_in(tx.conn(), row.get(0)?)?));
        }
    }
    let Some(ticket_id) = tiski_mail::ticket_tag(&parsed.subject) else {
        return Ok(None);
    };
    let Ok(ticket) = tickets::get_in(tx.conn(), ticket_id) else {
        return Ok(None);
    };
    let on_ticket = tx
        .conn()
        .query_opt(
            "SELECT 1 FROM customer_identities WHERE customer_id = $1 AND kind = 'email' AND value = $2 \
             UNION ALL SELECT 1 FROM ticket_cc WHERE ticket_id = $3 AND email = $2",
            params![ticket.requester.id, sender, ticket.id],
        )?
        .is_some();
    Ok(on_ticket.then_some(ticket))
}

fn add_cc(
    tx: &mut WriteTx<'_>,
    ticket_id: i64,
    people: &[&Address],
    own: &[String],
    requester_email: &str,
) -> AppResult<()> {
    for address in people {
        if own.contains(&address.email)
            || address.email == requester_email
            || tiski_domain::EmailAddress::parse(&address.email).is_err()
        {
            continue;
        }
        tx.conn().execute(
            "INSERT INTO ticket_cc (ticket_id, email, name) VALUES ($1, $2, $3) ON CONFLICT (ticket_id, email) DO NOTHING",
            params![ticket_id, address.email.as_str(), address.name.clone()],
        )?;
    }
    Ok(())
}

/// Stores files as blobs and lists them on a message.
pub(crate) fn store_attachments(
    tx: &mut WriteTx<'_>,
    message_id: i64,
    attachments: &[tiski_mail::Attachment],
) -> AppResult<()> {
    for attachment in attachments {
        let digest = put_blob(tx.conn(), &attachment.bytes)?;
        tx.conn().execute(
            "INSERT INTO attachments (message_id, filename, content_type, content_id, inline, size, sha256, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            params![
                message_id,
                attachment.filename.clone(),
                attachment.content_type.as_str(),
                attachment.content_id.clone(),
                attachment.inline,
                attachment.bytes.len() as i64,
                digest.as_str(),
                time::now_micros()
            ],
        )?;
    }
    Ok(())
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

fn ingest(tx: &mut WriteTx<'_>, inbound: &Inbound) -> AppResult<IngestOutcome> {
    let mailbox = &inbound.mailbox;
    let parsed = match &inbound.parsed {
        Ok(parsed) => parsed,
        Err(reason) => {
            return quarantine(
                tx,
                Some(mailbox.id),
                inbound.source,
                &inbound.raw,
                reason,
                None,
            );
        }
    };
    let raw_digest = sha256_hex(&inbound.raw);
    let rfc_id = parsed
        .message_id
        .clone()
        .unwrap_or_else(|| format!("sha256-{raw_digest}@tiski.invalid"));
    if let Some(row) = tx.conn().query_opt(
        "SELECT ticket_id FROM email_messages WHERE mailbox_id = $1 AND direction = 'in' AND rfc_message_id = $2",
        params![mailbox.id, rfc_id.as_str()],
    )? {
        return Ok(IngestOutcome::Duplicate { ticket_id: row.get(0)? });
    }
    if let Some(bounce) = &parsed.bounce {
        return record_bounce(tx, inbound, parsed, bounce, &rfc_id);
    }
    let Some(from) = parsed
        .from
        .as_ref()
        .filter(|f| tiski_domain::EmailAddress::parse(&f.email).is_ok())
    else {
        return quarantine(
            tx,
            Some(mailbox.id),
            inbound.source,
            &inbound.raw,
            "The message has no usable sender address.",
            Some(parsed),
        );
    };
    if inbound.own_addresses.contains(&from.email) {
        return quarantine(
            tx,
            Some(mailbox.id),
            inbound.source,
            &inbound.raw,
            "The message comes from one of our own addresses; it was not ingested to avoid a mail loop.",
            Some(parsed),
        );
    }
    let system = Actor::system();
    let requester = customers::find_or_create(
        tx,
        &system,
        ("email", &from.email),
        from.name.as_deref().filter(|n| !n.trim().is_empty()),
        None,
    )?;
    let is_auto = parsed.auto != AutoKind::Human;
    let body = if parsed.text.trim().is_empty() {
        if parsed.attachments.is_empty() {
            "(empty message)".to_string()
        } else {
            "(attachments only)".to_string()
        }
    } else {
        parsed.text.clone()
    };
    let message = ValidMessage {
        body,
        html: inbound.html.clone(),
        kind: MessageKind::Reply,
        author: AuthorKind::Customer,
        channel: Some(Channel::Email),
        attachments: Vec::new(),
    };
    let existing = thread(tx, parsed, &from.email)?;
    let (ticket, follows, is_new) = match existing {
        Some(ticket) if ticket.status == Status::Closed => {
            let follow_up = new_ticket(tx, inbound, parsed, &requester, Some(&ticket))?;
            (follow_up, Some(ticket.id), true)
        }
        Some(ticket) => {
            if !is_auto && let Some(next) = ticket.status.after_customer_message() {
                tickets::set_status(tx, &system, &ticket, next)?;
            }
            tx.conn().execute(
                "UPDATE tickets SET updated_at = $1 WHERE id = $2",
                params![time::now_micros(), ticket.id],
            )?;
            (ticket, None, false)
        }
        None => (
            new_ticket(tx, inbound, parsed, &requester, None)?,
            None,
            true,
        ),
    };
    let message_view = crate::messages::insert(tx, &system, &ticket, &message, Channel::Email)?;
    if parsed.new_text != parsed.text && !parsed.new_text.trim().is_empty() {
        tx.conn().execute(
            "UPDATE messages SET new_text = $1 WHERE id = $2",
            params![parsed.new_text.as_str(), message_view.id],
        )?;
    }
    store_attachments(tx, message_view.id, &parsed.attachments)?;
    let cc: Vec<&Address> = parsed.to.iter().chain(parsed.cc.iter()).collect();
    add_cc(tx, ticket.id, &cc, &inbound.own_addresses, &from.email)?;
    let digest = put_blob(tx.conn(), &inbound.raw)?;
    let now = time::now_micros();
    tx.conn().execute(
        "INSERT INTO email_messages (mailbox_id, direction, rfc_message_id, ticket_id, message_id, raw_sha256, envelope_from, recipients, created_at, updated_at) \
         VALUES ($1, 'in', $2, $3, $4, $5, $6, '[]', $7, $7)",
        params![mailbox.id, rfc_id.as_str(), ticket.id, message_view.id, digest.as_str(), from.email.as_str(), now],
    )?;
    if is_new && mailbox.auto_ack && !is_auto {
        queue_auto_ack(tx, mailbox, &ticket, from, &rfc_id)?;
    }
    Ok(match (follows, is_new) {
        (Some(follows), _) => IngestOutcome::FollowUp {
            ticket_id: ticket.id,
            follows,
            message_id: message_view.id,
        },
        (None, true) => IngestOutcome::Created {
            ticket_id: ticket.id,
            message_id: message_view.id,
        },
        (None, false) => IngestOutcome::Added {
            ticket_id: ticket.id,
            message_id: message_view.id,
        },
    })
}

fn new_ticket(
    tx: &mut WriteTx<'_>,
    inbound: &Inbound,
    parsed: &ParsedEmail,
    requester: &customers::Requester,
    follows: Option<&TicketView>,
) -> AppResult<TicketView> {
    let subject = tiski_mail::strip_reply_prefixes(&parsed.subject);
    let subject: String = if subject.trim().is_empty() {
        "(no subject)".into()
    } else {
        subject.chars().take(500).collect()
    };
    let language = inbound
        .language
        .map(str::to_string)
        .or(requester.language.clone());
    let team_id = follows.and_then(|t| t.team_id).or(inbound.mailbox.team_id);
    let tags = follows.map(|t| t.tags.clone()).unwrap_or_default();
    tickets::insert(
        tx,
        &Actor::system(),
        TicketRow {
            subject: &subject,
            requester: RequesterView {
                id: requester.id,
                name: requester.name.clone(),
            },
            status: Status::New,
            priority: follows.map(|t| t.priority).unwrap_or(Priority::Normal),
            channel: Channel::Email,
            team_id,
            assignee_id: follows.and_then(|t| t.assignee_id),
            language,
            tags: &tags,
            follow_up_of: follows.map(|t| t.id),
            mailbox_id: Some(inbound.mailbox.id),
        },
    )
}

fn record_bounce(
    tx: &mut WriteTx<'_>,
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
        Some(id) => tx.conn().query_opt(
            "SELECT id, ticket_id FROM email_messages WHERE rfc_message_id = $1 AND direction = 'out' ORDER BY id DESC LIMIT 1",
            params![id.as_str()],
        )?,
        None => None,
    };
    let Some(original) = original else {
        return quarantine(
            tx,
            Some(inbound.mailbox.id),
            inbound.source,
            &inbound.raw,
            "A delivery status notification that matches no message we sent.",
            Some(parsed),
        );
    };
    let email_id: i64 = original.get(0)?;
    let ticket_id: Option<i64> = original.get(1)?;
    let failed = bounce
        .recipients
        .iter()
        .any(|r| r.action.eq_ignore_ascii_case("failed"))
        || bounce.recipients.is_empty();
    let now = time::now_micros();
    if failed {
        tx.conn().execute(
            "UPDATE email_messages SET delivery_status = 'bounced', delivery_detail = $1, updated_at = $2 WHERE id = $3",
            params![detail.as_str(), now, email_id],
        )?;
    }
    let digest = put_blob(tx.conn(), &inbound.raw)?;
    tx.conn().execute(
        "INSERT INTO email_messages (mailbox_id, direction, rfc_message_id, ticket_id, raw_sha256, envelope_from, recipients, delivery_detail, created_at, updated_at) \
         VALUES ($1, 'in', $2, $3, $4, $5, '[]', $6, $7, $7)",
        params![inbound.mailbox.id, rfc_id, ticket_id, digest.as_str(), parsed.from.as_ref().map(|f| f.email.clone()), detail.as_str(), now],
    )?;
    events::append(
        tx,
        &Actor::system(),
        ticket_id,
        EventType::EmailBounced,
        serde_json::json!({"email_message_id": email_id, "failed": failed, "detail": detail}),
    );
    Ok(IngestOutcome::Bounce { ticket_id })
}

/// The default auto-acknowledgements, by language.
fn default_ack(language: &str) -> (&'static str, &'static str) {
    match language {
        "fi" => (
            "Olemme vastaanottaneet viestisi [#{{ticket.id}}]",
            "Hei {{customer.name}},\n\nkiitos viestistäsi. Olemme vastaanottaneet sen ja vastaamme mahdollisimman pian. Viitenumerosi on {{ticket.id}}; voit vastata tähän viestiin, jos haluat lisätä jotain.\n\nYstävällisin terveisin\n{{mailbox.name}}",
        ),
        "pl" => (
            "Otrzymaliśmy Twoją wiadomość [#{{ticket.id}}]",
            "Dzień dobry {{customer.name}},\n\ndziękujemy za wiadomość. Otrzymaliśmy ją i odpowiemy najszybciej, jak to możliwe. Numer zgłoszenia to {{ticket.id}}; aby coś dodać, wystarczy odpowiedzieć na tę wiadomość.\n\nZ pozdrowieniami\n{{mailbox.name}}",
        ),
        "lt" => (
            "Gavome jūsų laišką [#{{ticket.id}}]",
            "Sveiki, {{customer.name}},\n\ndėkojame už laišką. Jį gavome ir atsakysime kuo greičiau. Jūsų užklausos numeris – {{ticket.id}}; jei norite ką nors papildyti, tiesiog atsakykite į šį laišką.\n\nPagarbiai\n{{mailbox.name}}",
        ),
        "tl" | "fil" => (
            "Natanggap namin ang iyong mensahe [#{{ticket.id}}]",
            "Magandang araw, {{customer.name}},\n\nsalamat sa iyong mensahe. Natanggap na namin ito at sasagot kami sa lalong madaling panahon. Ang numero ng iyong kahilingan ay {{ticket.id}}; kung may nais kang idagdag, sumagot lamang sa mensaheng ito.\n\nLubos na gumagalang,\n{{mailbox.name}}",
        ),
        _ => (
            "We have received your message [#{{ticket.id}}]",
            "Hello {{customer.name}},\n\nthank you for writing to us. We have received your message and will answer as soon as we can. Your reference number is {{ticket.id}}; to add anything, simply reply to this email.\n\nKind regards\n{{mailbox.name}}",
        ),
    }
}

fn fill(template: &str, customer: &str, ticket: &TicketView, mailbox: &Mailbox) -> String {
    template
        .replace("{{customer.name}}", customer)
        .replace("{{ticket.id}}", &ticket.id.to_string())
        .replace("{{ticket.subject}}", &ticket.subject)
        .replace("{{mailbox.name}}", &mailbox.name)
}

fn queue_auto_ack(
    tx: &mut WriteTx<'_>,
    mailbox: &Mailbox,
    ticket: &TicketView,
    to: &Address,
    in_reply_to: &str,
) -> AppResult<()> {
    let language = ticket
        .language
        .as_deref()
        .map(|l| l.split('-').next().unwrap_or(l))
        .unwrap_or("en");
    let (subject, body) = match mailbox
        .ack_templates
        .get(language)
        .or_else(|| mailbox.ack_templates.get("en"))
    {
        Some(custom) => (custom.subject.clone(), custom.body.clone()),
        None => {
            let (subject, body) = default_ack(language);
            (subject.to_string(), body.to_string())
        }
    };
    let customer = to
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| ticket.requester.name.clone());
    let subject = fill(&subject, &customer, ticket, mailbox);
    let body = fill(&body, &customer, ticket, mailbox);
    let message = ValidMessage {
        body: body.clone(),
        html: None,
        kind: MessageKind::Reply,
        author: AuthorKind::System,
        channel: Some(Channel::Email),
        attachments: Vec::new(),
    };
    let view = crate::messages::insert(tx, &Actor::system(), ticket, &message, Channel::Email)?;
    let email = OutgoingEmail {
        from: Address {
            name: Some(mailbox.name.clone()),
            email: mailbox.address.clone(),
        },
        to: vec![to.clone()],
        cc: vec![],
        subject,
        message_id: String::new(),
        in_reply_to: Some(in_reply_to.to_string()),
        references: vec![in_reply_to.to_string()],
        text: body,
        html: None,
        attachments: vec![],
        auto_submitted: true,
        extra_headers: vec![],
        date: Some(time::now_micros() / 1_000_000),
    };
    enqueue(tx, mailbox, ticket, view.id, email)
}

/// Builds and stores an outgoing message with a stable Message-ID and puts it in the outbox.
fn enqueue(
    tx: &mut WriteTx<'_>,
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
    email.message_id =
        tiski_mail::new_message_id(domain, &format!("t{}-m{}", ticket.id, message_id));
    let raw = tiski_mail::build(&email);
    let digest = put_blob(tx.conn(), &raw)?;
    let recipients: Vec<String> = email
        .to
        .iter()
        .chain(email.cc.iter())
        .map(|a| a.email.clone())
        .collect();
    let now = time::now_micros();
    let email_id: i64 = tx.conn().query_scalar(
        "INSERT INTO email_messages (mailbox_id, direction, rfc_message_id, ticket_id, message_id, raw_sha256, envelope_from, recipients, delivery_status, created_at, updated_at) \
         VALUES ($1, 'out', $2, $3, $4, $5, $6, $7, 'queued', $8, $8) RETURNING id",
        params![mailbox.id, email.message_id.as_str(), ticket.id, message_id, digest.as_str(), mailbox.address.as_str(), serde_json::to_string(&recipients)?, now],
    )?;
    // For email rows, `event_id` holds the email message being delivered.
    tx.conn().execute(
        "INSERT INTO outbox (kind, webhook_id, event_id, payload, status, attempts, next_attempt_at, created_at) VALUES ('email', NULL, $1, '{}', 'pending', 0, $2, $2)",
        params![email_id, now],
    )?;
    Ok(())
}

/// Queues an agent's public reply on an email ticket as mail to the requester and the CC'd.
pub(crate) fn queue_reply(
    tx: &mut WriteTx<'_>,
    actor: &Actor,
    ticket: &TicketView,
    message: &MessageView,
    attachments: &[tiski_mail::Attachment],
) -> AppResult<()> {
    let Some(mailbox_id) = ticket.mailbox_id else {
        return Ok(());
    };
    let mailbox = mailboxes::get_in(tx.conn(), mailbox_id)?;
    let to_email: Option<String> = match tx.conn().query_opt(
        "SELECT envelope_from FROM email_messages WHERE ticket_id = $1 AND direction = 'in' AND envelope_from IS NOT NULL ORDER BY id DESC LIMIT 1",
        params![ticket.id],
    )? {
        Some(row) => row.get(0)?,
        None => tx
            .conn()
            .query_opt("SELECT value FROM customer_identities WHERE customer_id = $1 AND kind = 'email' ORDER BY id LIMIT 1", params![ticket.requester.id])?
            .map(|r| r.get(0))
            .transpose()?,
    };
    let Some(to_email) = to_email else {
        return Ok(());
    };
    let cc = tx
        .conn()
        .query(
            "SELECT email, name FROM ticket_cc WHERE ticket_id = $1 ORDER BY email",
            params![ticket.id],
        )?
        .iter()
        .map(|r| {
            Ok(Address {
                email: r.get(0)?,
                name: r.get(1)?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let thread = tx
        .conn()
        .query(
            "SELECT rfc_message_id, direction FROM email_messages WHERE ticket_id = $1 ORDER BY id",
            params![ticket.id],
        )?
        .iter()
        .map(|r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))
        .collect::<AppResult<Vec<_>>>()?;
    let in_reply_to = thread
        .iter()
        .rev()
        .find(|(_, d)| d == "in")
        .or(thread.last())
        .map(|(id, _)| id.clone());
    let references: Vec<String> = thread
        .iter()
        .map(|(id, _)| id.clone())
        .rev()
        .take(20)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tag = format!("[#{}]", ticket.id);
    let subject = format!(
        "Re: {} {tag}",
        tiski_mail::strip_reply_prefixes(&ticket.subject)
    );
    let signature = if mailbox.signature.is_empty() {
        String::new()
    } else {
        format!("\n\n-- \n{}", mailbox.signature)
    };
    let text = format!("{}{signature}", message.body);
    let html_body = message
        .html
        .clone()
        .unwrap_or_else(|| text_to_html(&message.body));
    let html = format!(
        "<div>{html_body}</div>{}",
        if mailbox.signature.is_empty() {
            String::new()
        } else {
            format!("<div>-- <br>{}</div>", text_to_html(&mailbox.signature))
        }
    );
    let email = OutgoingEmail {
        from: Address {
            name: Some(format!("{} | {}", actor.name, mailbox.name)),
            email: mailbox.address.clone(),
        },
        to: vec![Address {
            name: Some(ticket.requester.name.clone()).filter(|n| !n.is_empty()),
            email: to_email,
        }],
        cc,
        subject,
        message_id: String::new(),
        in_reply_to,
        references,
        text,
        html: Some(html),
        attachments: attachments.to_vec(),
        auto_submitted: false,
        extra_headers: vec![],
        date: Some(time::now_micros() / 1_000_000),
    };
    enqueue(tx, &mailbox, ticket, message.id, email)
}

/// Plain text as escaped HTML with line breaks.
fn text_to_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', "<br>\n")
}

impl App {
    /// Ingests one raw RFC 5322 message for a mailbox. Answers only after everything (the raw
    /// bytes included) is committed; the same message again is a duplicate, not a second copy.
    pub async fn ingest_email(
        &self,
        mailbox_id: i64,
        raw: Vec<u8>,
        source: EmailSource,
    ) -> AppResult<IngestOutcome> {
        if raw.len() > self.config().max_email_bytes {
            return Err(AppError::invalid(
                "message",
                format!(
                    "The message is larger than {} bytes.",
                    self.config().max_email_bytes
                ),
            ));
        }
        let all = self.mailboxes().await?;
        let mailbox = all
            .iter()
            .find(|m| m.id == mailbox_id && m.active)
            .cloned()
            .ok_or(AppError::not_found("mailbox"))?;
        let own_addresses = all.iter().map(|m| m.address.clone()).collect();
        let parsed = match std::panic::catch_unwind(|| tiski_mail::parse(&raw)) {
            Ok(Ok(parsed)) => Ok(parsed),
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err("The message could not be parsed: the parser failed on it.".to_string()),
        };
        let language = parsed
            .as_ref()
            .ok()
            .and_then(|p| crate::language::detect(&p.new_text));
        let html = parsed
            .as_ref()
            .ok()
            .and_then(|p| p.html.as_deref())
            .map(crate::messages::sanitize_html);
        let inbound = Inbound {
            mailbox,
            own_addresses,
            source,
            raw,
            parsed,
            language,
            html,
        };
        let result = self.store().write(move |tx| ingest(tx, &inbound)).await;
        self.command_done("email.ingest", &result);
        result
    }

    /// The active mailbox for an address, for the SMTP listener's RCPT check.
    pub async fn mailbox_for_address(&self, address: &str) -> AppResult<Option<Mailbox>> {
        let address = address.trim().to_lowercase();
        self.store()
            .read(move |conn| {
                conn.query_opt(
                    &format!(
                        "SELECT {} FROM mailboxes WHERE address = $1 AND active = 1",
                        mailboxes::COLUMNS
                    ),
                    params![address.as_str()],
                )?
                .map(|r| mailboxes::read(&r))
                .transpose()
            })
            .await
    }

    /// Quarantined messages, newest first. Admins only.
    pub async fn list_quarantine(
        &self,
        actor: &Actor,
        limit: Option<i64>,
    ) -> AppResult<crate::Page<QuarantineView>> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("Only admins may see the quarantine."));
        }
        let limit = crate::cursor::limit(limit)?;
        self.store()
            .read(move |conn| {
                let items = conn
                    .query(
                        "SELECT id, mailbox_id, source, reason, size, sender, subject, created_at FROM quarantine ORDER BY id DESC LIMIT $1",
                        params![limit],
                    )?
                    .iter()
                    .map(|r| {
                        Ok(QuarantineView {
                            id: r.get(0)?,
                            mailbox_id: r.get(1)?,
                            source: r.get(2)?,
                            reason: r.get(3)?,
                            size: r.get(4)?,
                            sender: r.get(5)?,
                            subject: r.get(6)?,
                            created_at: time::format(r.get(7)?),
                        })
                    })
                    .collect::<AppResult<Vec<_>>>()?;
                Ok(crate::Page { items, next_cursor: None })
            })
            .await
    }

    /// The raw bytes of a quarantined message. Admins only.
    pub async fn quarantine_raw(&self, actor: &Actor, id: i64) -> AppResult<Vec<u8>> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("Only admins may see the quarantine."));
        }
        self.store()
            .read(move |conn| {
                let digest: String = conn
                    .query_opt(
                        "SELECT raw_sha256 FROM quarantine WHERE id = $1",
                        params![id],
                    )?
                    .ok_or(AppError::not_found("quarantined message"))?
                    .get(0)?;
                get_blob(conn, &digest)
            })
            .await
    }

    /// An attachment's metadata and bytes, if the actor may see its ticket.
    pub async fn attachment(&self, actor: &Actor, id: i64) -> AppResult<(AttachmentView, Vec<u8>)> {
        let actor = actor.clone();
        self.store()
            .read(move |conn| {
                let row = conn
                    .query_opt(
                        "SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.content_id, a.inline, a.sha256, m.ticket_id \
                         FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = $1",
                        params![id],
                    )?
                    .ok_or(AppError::not_found("attachment"))?;
                tickets::get_visible(conn, &actor, row.get(8)?).map_err(|_| AppError::not_found("attachment"))?;
                let view = AttachmentView {
                    id: row.get(0)?,
                    message_id: row.get(1)?,
                    filename: row.get(2)?,
                    content_type: row.get(3)?,
                    size: row.get(4)?,
                    content_id: row.get(5)?,
                    inline: row.get(6)?,
                };
                let digest: String = row.get(7)?;
                Ok((view, get_blob(conn, &digest)?))
            })
            .await
    }

    /// Claims due outgoing emails for the sender, leasing them for two minutes.
    pub async fn claim_outgoing_emails(&self, batch: i64) -> AppResult<Vec<OutgoingDelivery>> {
        let now = time::now_micros();
        let lease = now + 120_000_000;
        self.store()
            .write(move |tx| {
                let lock = if tx.engine() == tiski_store::Engine::Postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
                let rows = tx.conn().query(
                    &format!(
                        "UPDATE outbox SET next_attempt_at = $1 WHERE id IN (SELECT id FROM outbox WHERE kind = 'email' AND status = 'pending' \
                         AND next_attempt_at <= $2 ORDER BY next_attempt_at LIMIT $3 {lock}) RETURNING id, event_id, attempts"
                    ),
                    params![lease, now, batch],
                )?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let email_id: i64 = row.get(1)?;
                    let email = tx.conn().query_one(
                        "SELECT mailbox_id, raw_sha256, envelope_from, recipients FROM email_messages WHERE id = $1",
                        params![email_id],
                    )?;
                    let recipients: String = email.get(3)?;
                    let digest: String = email.get(1)?;
                    out.push(OutgoingDelivery {
                        outbox_id: row.get(0)?,
                        email_message_id: email_id,
                        attempts: row.get(2)?,
                        mailbox: mailboxes::get_in(tx.conn(), email.get(0)?)?,
                        envelope_from: email.get(2)?,
                        recipients: serde_json::from_str(&recipients)?,
                        raw: get_blob(tx.conn(), &digest)?,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// Records how a delivery attempt went: sent, retried later with backoff, or failed.
    pub async fn record_email_delivery(
        &self,
        delivery: &OutgoingDelivery,
        result: DeliveryResult,
    ) -> AppResult<()> {
        let attempts = delivery.attempts + 1;
        let config = self.config();
        let delay = (config.webhook_retry_base.as_micros() as i64)
            .saturating_mul(2_i64.saturating_pow((attempts - 1).clamp(0, 20) as u32))
            .min(config.webhook_retry_max.as_micros() as i64);
        let max_attempts = i64::from(config.webhook_max_attempts);
        let (outbox_id, email_id) = (delivery.outbox_id, delivery.email_message_id);
        match &result {
            DeliveryResult::Sent(_) => {
                metrics::counter!("tiski_outbox_delivered_total", "kind" => "email").increment(1)
            }
            DeliveryResult::Failed { .. } => {
                metrics::counter!("tiski_outbox_failures_total", "kind" => "email").increment(1)
            }
        }
        self.store()
            .write(move |tx| {
                let now = time::now_micros();
                let ticket_id: Option<i64> = tx.conn().query_scalar("SELECT ticket_id FROM email_messages WHERE id = $1", params![email_id])?;
                tx.conn().execute(
                    "INSERT INTO delivery_attempts (outbox_id, attempted_at, status_code, error, duration_ms) VALUES ($1, $2, NULL, $3, 0)",
                    params![outbox_id, now, match &result { DeliveryResult::Sent(_) => None, DeliveryResult::Failed { detail, .. } => Some(detail.clone()) }],
                )?;
                match &result {
                    DeliveryResult::Sent(answer) => {
                        tx.conn().execute("UPDATE outbox SET status = 'delivered', attempts = $1, delivered_at = $2, last_error = NULL WHERE id = $3", params![attempts, now, outbox_id])?;
                        tx.conn().execute(
                            "UPDATE email_messages SET delivery_status = 'sent', delivery_detail = $1, updated_at = $2 WHERE id = $3 AND delivery_status = 'queued'",
                            params![answer.as_str(), now, email_id],
                        )?;
                        events::append(tx, &Actor::system(), ticket_id, EventType::EmailSent, serde_json::json!({"email_message_id": email_id, "answer": answer}));
                    }
                    DeliveryResult::Failed { detail, permanent } => {
                        let give_up = *permanent || attempts >= max_attempts;
                        tx.conn().execute(
                            "UPDATE outbox SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $5",
                            params![if give_up { "failed" } else { "pending" }, attempts, now + delay, detail.as_str(), outbox_id],
                        )?;
                        tx.conn().execute(
                            "UPDATE email_messages SET delivery_status = $1, delivery_detail = $2, updated_at = $3 WHERE id = $4",
                            params![if give_up { "failed" } else { "queued" }, detail.as_str(), now, email_id],
                        )?;
                        if give_up {
                            events::append(tx, &Actor::system(), ticket_id, EventType::EmailFailed, serde_json::json!({"email_message_id": email_id, "detail": detail}));
                        }
                    }
                }
                Ok::<_, AppError>(())
            })
            .await
    }
}
