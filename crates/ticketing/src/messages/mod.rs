//! Messages on tickets: public replies and internal notes, from customers or staff, with
//! their files; how the API shows them and takes them.

mod commands;
mod write;

pub use write::{files_of, insert, is_text_file, set_new_text, store_files, text_of};

use crate::rules::message::{GivenFile, GivenMessage, MessageLimits, ValidMessage};
use serde::{Deserialize, Serialize};
use tiski_domain::{AuthorKind, Channel, MessageKind};
use tiski_kernel::AppResult;

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
    pub new_text: Option<String>,
    /// Files attached to the message.
    pub attachments: Vec<AttachmentView>,
    /// The email this message came in as or went out as, with its delivery state.
    pub email: Option<EmailState>,
}

/// An attachment as the API lists it on a message.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
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

/// A message's email identity and delivery state, filled in by the email context through
/// [`MessageStates`](crate::MessageStates).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
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
    /// For inbound mail: the ticket it referenced (by `References`/`In-Reply-To` or a `[#id]`
    /// subject tag) but did not join, because its sender was neither that ticket's requester
    /// nor copied on it. The message opened this ticket instead.
    pub referenced_ticket_id: Option<i64>,
}

/// Input for a new message.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    /// Plain text, up to the message size limit (256 KiB by default), kept exactly as written.
    /// Left empty (or out) beside `html`, the message is composed: the HTML is cleaned to the
    /// composer's tags and the text derived from it (lists as `- `, links as `text <url>`).
    #[serde(default)]
    pub body: String,
    /// HTML version; sanitised before it is stored.
    pub html: Option<String>,
    /// `reply` (default) or `note`.
    pub kind: Option<MessageKind>,
    /// Who speaks: on a new ticket the customer by default, on an existing one the agent.
    /// `customer` records what the customer said through another channel (a call, a visit).
    pub author: Option<AuthorKind>,
    /// Channel; defaults to the ticket's.
    pub channel: Option<Channel>,
    /// Files to attach (sent with an email reply); at most 10, 10 MiB each, 15 MiB together
    /// by default.
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

/// Validates an API message; `field` prefixes the fields at fault (see
/// [`crate::rules::message::validate`]).
pub fn validate(
    input: &NewMessage,
    field: &str,
    limits: &MessageLimits,
) -> AppResult<ValidMessage> {
    let files: Vec<GivenFile<'_>> = input
        .attachments
        .iter()
        .map(|a| GivenFile {
            filename: &a.filename,
            content_type: a.content_type.as_deref(),
            content_base64: &a.content_base64,
        })
        .collect();
    let given = GivenMessage {
        body: &input.body,
        html: input.html.as_deref(),
        kind: input.kind,
        author: input.author,
        channel: input.channel,
    };
    Ok(crate::rules::message::validate(
        &given, &files, field, limits,
    )?)
}
