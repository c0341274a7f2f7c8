//! Messages on tickets: public replies and internal notes, from customers or staff.

use crate::cursor::{Cursor, Page};
use crate::idempotency::{self, Idempotency, Stored};
use crate::tickets::{self, TicketRow, TicketView};
use crate::{Actor, App, AppError, AppResult, events, time};
use serde::{Deserialize, Serialize};
use tiski_domain::{AuthorKind, Channel, EventType, MessageKind, Status};
use tiski_store::{Row, WriteTx, params};

/// The largest message body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A message as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MessageView {
    /// Id.
    pub id: i64,
    /// The ticket it belongs to.
    pub ticket_id: i64,
    /// Who wrote it.
    pub author_kind: AuthorKind,
    /// The customer or user who wrote it.
    pub author_id: Option<i64>,
    /// Public reply or internal note.
    pub kind: MessageKind,
    /// Plain text body.
    pub body: String,
    /// Sanitised HTML body, when the message had one.
    pub html: Option<String>,
    /// Channel it came or went through.
    pub channel: Channel,
    /// When it was written.
    pub created_at: String,
    /// For an email reply, the part above the quoted history (the full text stays in `body`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_text: Option<String>,
    /// Files that came with it.
    #[serde(default)]
    pub attachments: Vec<crate::email::AttachmentView>,
    /// For a message sent or received by email: its Message-ID and delivery state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<crate::email::EmailState>,
}

/// Input for a new message.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    /// Plain text body.
    pub body: String,
    /// HTML body; it is sanitised before it is stored.
    pub html: Option<String>,
    /// `reply` (default) or `note`.
    pub kind: Option<MessageKind>,
    /// Who speaks: on a new ticket the customer by default, on an existing one the agent.
    /// `customer` records what the customer said through another channel (a call, a visit).
    pub author: Option<AuthorKind>,
    /// Channel; defaults to the ticket's.
    pub channel: Option<Channel>,
    /// Files to attach (sent with an email reply); at most 10, 10 MiB each, 15 MiB together.
    #[serde(default)]
    pub attachments: Vec<NewAttachment>,
}

/// A file attached to a new message, its content in base64.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAttachment {
    /// File name, without a path.
    pub filename: String,
    /// MIME type; `application/octet-stream` when absent.
    pub content_type: Option<String>,
    /// The content, base64 (standard alphabet, padding optional).
    pub content_base64: String,
}

/// The largest attachment accepted on a new message.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

fn validate_attachments(
    field: &str,
    input: &[NewAttachment],
) -> AppResult<Vec<tiski_mail::Attachment>> {
    use base64::Engine as _;
    if input.len() > 10 {
        return Err(AppError::invalid(field, "At most 10 attachments."));
    }
    let mut total = 0;
    let mut out = Vec::with_capacity(input.len());
    for (index, attachment) in input.iter().enumerate() {
        let at = |name: &str| format!("{field}/{index}/{name}");
        let filename = attachment.filename.trim();
        let bad_name = filename.is_empty()
            || filename.chars().count() > 200
            || filename
                .chars()
                .any(|c| c.is_control() || matches!(c, '/' | '\\'))
            || filename == "."
            || filename == "..";
        if bad_name {
            return Err(AppError::invalid(
                at("filename"),
                "Give a file name of 1 to 200 characters without a path.",
            ));
        }
        let content_type = attachment
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream")
            .trim()
            .to_ascii_lowercase();
        let type_ok = content_type.len() <= 100
            && content_type.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && (a.to_string() + b)
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            });
        if !type_ok {
            return Err(AppError::invalid(
                at("content_type"),
                "Give a MIME type such as application/pdf.",
            ));
        }
        let cleaned: String = attachment
            .content_base64
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(cleaned.trim_end_matches('='))
            .map_err(|_| {
                AppError::invalid(at("content_base64"), "The content is not valid base64.")
            })?;
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(AppError::invalid(
                at("content_base64"),
                "An attachment may have at most 10 MiB.",
            ));
        }
        total += bytes.len();
        if total > 15 * 1024 * 1024 {
            return Err(AppError::invalid(
                field,
                "Attachments may have at most 15 MiB together.",
            ));
        }
        out.push(tiski_mail::Attachment {
            filename: Some(filename.to_string()),
            content_type,
            content_id: None,
            inline: false,
            bytes,
        });
    }
    Ok(out)
}

/// A validated message.
#[derive(Debug, Clone)]
pub(crate) struct ValidMessage {
    pub body: String,
    pub html: Option<String>,
    pub kind: MessageKind,
    pub author: AuthorKind,
    pub channel: Option<Channel>,
    pub attachments: Vec<tiski_mail::Attachment>,
}

/// Validates a message; `field` prefixes the names of the fields at fault. On a ticket's first
/// message the author defaults to the customer; [`App::add_message`] defaults it to the agent.
pub(crate) fn validate(input: &NewMessage, field: &str) -> AppResult<ValidMessage> {
    // The body is kept exactly as written; only an empty one is refused.
    let body = input.body.as_str();
    let at = |name: &str| {
        if field.is_empty() {
            name.to_string()
        } else {
            format!("{field}.{name}")
        }
    };
    crate::refuse_nul(&at("body"), body)?;
    if let Some(html) = &input.html {
        crate::refuse_nul(&at("html"), html)?;
    }
    if body.trim().is_empty() {
        return Err(AppError::invalid(
            at("body"),
            "The message body cannot be empty.",
        ));
    }
    if body.len() > MAX_BODY_BYTES
        || input
            .html
            .as_ref()
            .is_some_and(|h| h.len() > 4 * MAX_BODY_BYTES)
    {
        return Err(AppError::invalid(
            at("body"),
            format!("The message must be at most {} KiB.", MAX_BODY_BYTES / 1024),
        ));
    }
    let kind = input.kind.unwrap_or(MessageKind::Reply);
    let author = input.author.unwrap_or(if field.is_empty() {
        AuthorKind::Agent
    } else {
        AuthorKind::Customer
    });
    if author == AuthorKind::System {
        return Err(AppError::invalid(
            at("author"),
            "Messages are written by a customer or an agent.",
        ));
    }
    if author == AuthorKind::Customer && kind == MessageKind::Note {
        return Err(AppError::invalid(
            at("kind"),
            "An internal note is written by an agent, not the customer.",
        ));
    }
    Ok(ValidMessage {
        body: body.to_string(),
        html: input
            .html
            .as_deref()
            .map(sanitize_html)
            .filter(|h| !h.trim().is_empty()),
        kind,
        author,
        channel: input.channel,
        attachments: validate_attachments(&at("attachments"), &input.attachments)?,
    })
}

/// Makes outside HTML safe to render: an allow-list of tags and attributes, no scripts, no
/// event handlers, links opened without referrer.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

const COLUMNS: &str = "m.id, m.ticket_id, m.author_kind, m.author_id, m.kind, m.body_text, m.body_html, m.channel, m.created_at, m.new_text";

fn view(row: &Row) -> AppResult<MessageView> {
    let author_kind: String = row.get(2)?;
    let kind: String = row.get(4)?;
    let channel: String = row.get(7)?;
    Ok(MessageView {
        id: row.get(0)?,
        ticket_id: row.get(1)?,
        author_kind: AuthorKind::parse(&author_kind).unwrap_or(AuthorKind::System),
        author_id: row.get(3)?,
        kind: MessageKind::parse(&kind).unwrap_or(MessageKind::Note),
        body: row.get(5)?,
        html: row.get(6)?,
        channel: Channel::parse(&channel).unwrap_or(Channel::Api),
        created_at: time::format(row.get(8)?),
        new_text: row.get(9)?,
        attachments: Vec::new(),
        email: None,
    })
}

/// Inserts a message on `ticket` and appends `message.added`.
pub(crate) fn insert(
    tx: &mut WriteTx<'_>,
    actor: &Actor,
    ticket: &TicketView,
    message: &ValidMessage,
    default_channel: Channel,
) -> AppResult<MessageView> {
    let author_id = match message.author {
        AuthorKind::Customer => Some(ticket.requester.id),
        _ => (actor.id != 0).then_some(actor.id),
    };
    let channel = message.channel.unwrap_or(default_channel);
    let now = time::now_micros();
    let id: i64 = tx.conn().query_scalar(
        "INSERT INTO messages (ticket_id, author_kind, author_id, kind, body_text, body_html, channel, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        params![
            ticket.id,
            message.author.as_str(),
            author_id,
            message.kind.as_str(),
            message.body.as_str(),
            message.html.clone(),
            channel.as_str(),
            now
        ],
    )?;
    crate::email::store_attachments(tx, id, &message.attachments)?;
    let view = MessageView {
        id,
        ticket_id: ticket.id,
        author_kind: message.author,
        author_id,
        kind: message.kind,
        body: message.body.clone(),
        html: message.html.clone(),
        channel,
        created_at: time::format(now),
        new_text: None,
        attachments: Vec::new(),
        email: None,
    };
    events::append(
        tx,
        actor,
        Some(ticket.id),
        EventType::MessageAdded,
        serde_json::json!({
            "message_id": id,
            "kind": message.kind,
            "author_kind": message.author,
            "author_id": author_id,
            "channel": channel,
            "preview": message.body.chars().take(200).collect::<String>(),
        }),
    );
    Ok(view)
}

impl App {
    /// Adds a reply or note to a ticket the actor may see. A customer message on a closed
    /// ticket opens a follow-up ticket linked to it and lands there.
    pub async fn add_message(
        &self,
        actor: &Actor,
        ticket_id: i64,
        input: NewMessage,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<MessageView>> {
        let message = validate(&input, "")?;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                idempotency::run(tx, &actor, idempotency.as_ref(), |tx| {
                    let ticket = tickets::get_visible(tx.conn(), &actor, ticket_id)?;
                    let now = time::now_micros();
                    if message.author == AuthorKind::Customer {
                        let Some(next) = ticket.status.after_customer_message() else {
                            let follow_up = tickets::insert(
                                tx,
                                &actor,
                                TicketRow {
                                    subject: &ticket.subject,
                                    requester: ticket.requester.clone(),
                                    status: Status::New,
                                    priority: ticket.priority,
                                    channel: message.channel.unwrap_or(ticket.channel),
                                    team_id: ticket.team_id,
                                    assignee_id: ticket.assignee_id,
                                    language: ticket.language.clone(),
                                    tags: &ticket.tags,
                                    follow_up_of: Some(ticket.id),
                                    mailbox_id: ticket.mailbox_id,
                                },
                            )?;
                            return insert(tx, &actor, &follow_up, &message, follow_up.channel);
                        };
                        tickets::set_status(tx, &actor, &ticket, next)?;
                    } else {
                        if ticket.status == Status::Closed {
                            return Err(AppError::Conflict {
                                field: None,
                                message: format!("Ticket {ticket_id} is closed; it takes no more replies or notes."),
                            });
                        }
                        if message.kind == MessageKind::Reply {
                            tickets::set_status(tx, &actor, &ticket, ticket.status.after_agent_reply())?;
                        }
                    }
                    tx.conn().execute("UPDATE tickets SET updated_at = $1 WHERE id = $2", params![now, ticket_id])?;
                    let mut view = insert(tx, &actor, &ticket, &message, ticket.channel)?;
                    if message.author == AuthorKind::Agent && message.kind == MessageKind::Reply {
                        crate::email::queue_reply(tx, &actor, &ticket, &view, &message.attachments)?;
                    }
                    crate::email::decorate(tx.conn(), std::slice::from_mut(&mut view))?;
                    Ok(view)
                })
            })
            .await;
        self.command_done("message.add", &result);
        result
    }

    /// A ticket's messages, oldest first.
    pub async fn list_messages(
        &self,
        actor: &Actor,
        ticket_id: i64,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<MessageView>> {
        let limit = crate::cursor::limit(limit)?;
        let after = match cursor {
            Some(text) => Cursor::decode(&text, "id")?.id,
            None => 0,
        };
        let actor = actor.clone();
        self.store()
            .read(move |conn| {
                tickets::get_visible(conn, &actor, ticket_id)?;
                let rows = conn.query(
                    &format!("SELECT {COLUMNS} FROM messages m WHERE m.ticket_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3"),
                    params![ticket_id, after, limit + 1],
                )?;
                let mut items = rows.iter().map(view).collect::<AppResult<Vec<_>>>()?;
                crate::email::decorate(conn, &mut items)?;
                Ok(crate::page_by_id(&mut items, limit, |m| m.id))
            })
            .await
    }

    /// A ticket's history (its events), oldest first.
    pub async fn ticket_events(
        &self,
        actor: &Actor,
        ticket_id: i64,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<events::EventView>> {
        let limit = crate::cursor::limit(limit)?;
        let after = match cursor {
            Some(text) => Cursor::decode(&text, "id")?.id,
            None => 0,
        };
        let actor = actor.clone();
        self.store()
            .read(move |conn| {
                tickets::get_visible(conn, &actor, ticket_id)?;
                let mut items = events::of_ticket(conn, ticket_id, after, limit + 1)?;
                Ok(crate::page_by_id(&mut items, limit, |e| e.id))
            })
            .await
    }

    /// Events after `after` that the actor may see, oldest first.
    pub async fn events_after(
        &self,
        actor: &Actor,
        after: i64,
        limit: Option<i64>,
    ) -> AppResult<Page<events::EventView>> {
        let limit = crate::cursor::limit(limit)?;
        let actor = actor.clone();
        self.store()
            .read(move |conn| {
                let mut items = events::after(conn, &actor, after, limit + 1)?;
                Ok(crate::page_by_id(&mut items, limit, |e| e.id))
            })
            .await
    }
}
