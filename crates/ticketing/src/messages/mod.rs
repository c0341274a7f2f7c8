//! Messages on tickets: public replies and internal notes, from customers or staff, with
//! their files; how the API shows them and takes them.

mod commands;
mod write;

pub use write::{
    files_of, get, insert, is_text_file, of_ticket, set_new_text, store_files, text_of,
};

pub(crate) mod delivery;

pub use delivery::{NewForward, ReplyRoute, reply_through};

use crate::rules::message::{GivenFile, GivenMessage, MessageLimits, ValidMessage};
use serde::{Deserialize, Serialize};
use tiski_domain::{AuthorKind, Channel, MessageKind};
use tiski_kernel::AppResult;

/// Marks the ticket changed and inserts `message` on it by the transaction's actor: what
/// a rule's note or reply is (the rule's event records who wrote it).
pub fn touch_and_insert(
    tx: &mut tiski_kernel::Tx<'_, '_>,
    ticket: &crate::TicketView,
    message: &ValidMessage,
) -> AppResult<MessageView> {
    crate::tickets::touch(tx, ticket.id)?;
    insert(tx, ticket, message, ticket.channel)
}

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
    /// For a public reply (and a forward): whether it reached its channel, whatever the
    /// channel; `null` for notes and customer messages.
    pub delivery: Option<Delivery>,
    /// For a reply held in its undo window: until when it can still be taken back
    /// (`POST /api/v1/tickets/{id}/messages/{message_id}/undo`); `null` once it is queued.
    pub undo_until: Option<String>,
}

/// Where the delivery of a public reply stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting to go out (held in its undo window, or retried after a failure).
    Queued,
    /// Handed to the relay.
    Sent,
    /// It could not be handed over, for good.
    Failed,
    /// It was handed over, and a delivery report came back saying it did not arrive.
    Bounced,
}

impl DeliveryState {
    /// Reads a stored state; unknown ones are `None`.
    pub fn parse(text: &str) -> Option<DeliveryState> {
        match text {
            "queued" => Some(DeliveryState::Queued),
            "sent" => Some(DeliveryState::Sent),
            "failed" => Some(DeliveryState::Failed),
            "bounced" => Some(DeliveryState::Bounced),
            _ => None,
        }
    }

    /// The state's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
            DeliveryState::Bounced => "bounced",
        }
    }
}

/// The delivery of a public reply: its state and, when it failed or bounced, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Delivery {
    /// `queued`, `sent`, `failed` or `bounced`.
    pub state: DeliveryState,
    /// The relay's refusal, the connection error, or the bounce report; `null` otherwise.
    pub error: Option<String>,
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
    /// Recipients of outgoing mail (every address it went to, blind copies too).
    pub recipients: Vec<String>,
    /// Of those, the ones copied in the `Cc` header.
    #[serde(default)]
    pub cc: Vec<String>,
    /// Of those, the blind copies (in no header of the mail; shown to agents only).
    #[serde(default)]
    pub bcc: Vec<String>,
    /// For inbound mail: the ticket it referenced (by `References`/`In-Reply-To` or a `[#id]`
    /// subject tag) but did not join, because its sender was neither that ticket's requester
    /// nor copied on it. The message opened this ticket instead.
    pub referenced_ticket_id: Option<i64>,
}

/// Input for a new message.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
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
    /// A public reply's recipients instead of the requester (email addresses).
    pub to: Option<Vec<String>>,
    /// A public reply's copies instead of the ticket's CCs (email addresses; new ones join
    /// the ticket's CCs, so their answers thread into it).
    pub cc: Option<Vec<String>>,
    /// A public reply's blind copies: they get the mail, no header names them; the message
    /// records them for agents. At most 50 recipients in all.
    pub bcc: Option<Vec<String>>,
    /// Hold a public reply for the `undo_send_window` setting (10 s by default) before its
    /// mail is queued, so it can be taken back with `POST …/messages/{id}/undo`. Off by
    /// default in the API; the workspace always asks for it.
    pub undo_window: Option<bool>,
}

/// The most addresses one reply or forward goes to (To, Cc and Bcc together).
pub const MAX_RECIPIENTS: usize = 50;

/// Reads a list of addresses named `field` (`cc[1]` at fault), lower-cased and without
/// repeats; `count` is how many earlier lists already hold, for the overall limit.
pub fn addresses(field: &str, given: &[String], count: &mut usize) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(given.len());
    for (i, text) in given.iter().enumerate() {
        let address = tiski_domain::EmailAddress::parse(text.trim())
            .map_err(|e| e.at(format!("{field}[{i}]")))?
            .as_str()
            .to_string();
        if !out.contains(&address) {
            out.push(address);
        }
    }
    *count += out.len();
    if *count > MAX_RECIPIENTS {
        return Err(tiski_kernel::AppError::invalid(
            field,
            format!(
                "A reply goes to at most {MAX_RECIPIENTS} addresses (To, Cc and Bcc together)."
            ),
        ));
    }
    Ok(out)
}

/// The recipients an agent chose for a public reply, checked; `field` prefixes the fields at
/// fault (`message.cc[0]`). Recipients on a note or a customer's message are refused.
pub fn recipients(input: &NewMessage, field: &str) -> AppResult<crate::Recipients> {
    let named = |name: &str| format!("{field}{}{name}", if field.is_empty() { "" } else { "." });
    let public_agent = input.kind.unwrap_or(MessageKind::Reply) == MessageKind::Reply
        && input.author.unwrap_or(AuthorKind::Agent) == AuthorKind::Agent;
    let given = [("to", &input.to), ("cc", &input.cc), ("bcc", &input.bcc)];
    if !public_agent && let Some((name, _)) = given.iter().find(|(_, list)| list.is_some()) {
        return Err(tiski_kernel::AppError::invalid(
            named(name),
            "Only an agent's public reply has recipients; a note stays on the ticket.",
        ));
    }
    let mut count = 0;
    let to = input
        .to
        .as_deref()
        .map(|list| addresses(&named("to"), list, &mut count))
        .transpose()?;
    if to.as_ref().is_some_and(Vec::is_empty) {
        return Err(tiski_kernel::AppError::invalid(
            named("to"),
            "Give at least one address, or leave `to` out to write to the requester.",
        ));
    }
    let cc = input
        .cc
        .as_deref()
        .map(|list| addresses(&named("cc"), list, &mut count))
        .transpose()?;
    let bcc = addresses(
        &named("bcc"),
        input.bcc.as_deref().unwrap_or(&[]),
        &mut count,
    )?;
    Ok(crate::Recipients { to, cc, bcc })
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
