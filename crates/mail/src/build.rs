//! Building outbound messages.

use std::borrow::Cow;

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address as BuilderAddress;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::MimePart;

use crate::address::Address;
use crate::parse::Attachment;

/// A message tiski sends: an agent's reply, a notification or an automatic acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutgoingEmail {
    /// Sender: the mailbox of the helpdesk channel.
    pub from: Address,
    /// Primary recipients.
    pub to: Vec<Address>,
    /// Copy recipients.
    pub cc: Vec<Address>,
    /// Subject, any script; encoded as RFC 2047 when not ASCII.
    pub subject: String,
    /// `Message-ID` without angle brackets, usually from [`new_message_id`]; stored by the
    /// application so that replies and bounces find the ticket.
    pub message_id: String,
    /// The message this one answers, without angle brackets.
    pub in_reply_to: Option<String>,
    /// The thread so far, oldest first, without angle brackets.
    pub references: Vec<String>,
    /// Plain-text body; always sent, as the `text/plain` alternative.
    pub text: String,
    /// HTML body; when given the message is `multipart/alternative` text + HTML.
    pub html: Option<String>,
    /// Files to attach. Parts with `inline: true` and a `content_id` are placed next to the
    /// HTML body (`multipart/related`) so `cid:` images show; the rest are attachments.
    pub attachments: Vec<Attachment>,
    /// Marks automatic messages (acknowledgements): adds `Auto-Submitted: auto-replied` and
    /// `X-Auto-Response-Suppress: All` so that well-behaved responders do not answer them.
    pub auto_submitted: bool,
    /// With `auto_submitted`: `Auto-Submitted: auto-generated` instead, for automatic mail
    /// that answers nobody (a digest).
    pub auto_generated: bool,
    /// More header fields, such as `List-Unsubscribe`. Fields that [`build`] writes itself
    /// (`From`, `Subject`, `Message-ID`, `Content-*`, …) and names that are not valid
    /// header names are left out; line breaks in values become spaces.
    pub extra_headers: Vec<(String, String)>,
    /// `Date` as Unix seconds; `None` writes the current time. Set it when the date must be
    /// when the agent pressed send, not when the outbox worker got to it, and in tests.
    pub date: Option<i64>,
}

/// Header names [`build`] writes itself, lower-case.
const RESERVED_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "message-id",
    "in-reply-to",
    "references",
    "date",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
    "auto-submitted",
    "x-auto-response-suppress",
];

/// Serialises a message to RFC 5322 bytes, ready for SMTP `DATA` (CRLF line endings).
///
/// Structure: `text/plain`, or `multipart/alternative` (text, HTML) when HTML is given,
/// wrapped in `multipart/related` with inline parts and in `multipart/mixed` with
/// attachments. Names and subjects outside ASCII are RFC 2047 encoded, bodies are sent as
/// UTF-8 with quoted-printable or base64 as mail-builder chooses.
pub fn build(message: &OutgoingEmail) -> Vec<u8> {
    let mut builder = MessageBuilder::new()
        .from(builder_address(&message.from))
        .subject(Text::new(single_line(&message.subject)))
        .message_id(MessageId::new(bare_id(&message.message_id)));
    if !message.to.is_empty() {
        builder = builder.to(BuilderAddress::new_list(
            message.to.iter().map(builder_address).collect(),
        ));
    }
    if !message.cc.is_empty() {
        builder = builder.cc(BuilderAddress::new_list(
            message.cc.iter().map(builder_address).collect(),
        ));
    }
    if let Some(in_reply_to) = &message.in_reply_to {
        builder = builder.in_reply_to(MessageId::new(bare_id(in_reply_to)));
    }
    if !message.references.is_empty() {
        builder = builder.references(MessageId::new_list(
            message.references.iter().map(|id| bare_id(id)),
        ));
    }
    if let Some(date) = message.date {
        builder = builder.date(Date::new(date));
    }
    if message.auto_submitted {
        builder = builder
            .header(
                "Auto-Submitted",
                Raw::new(if message.auto_generated {
                    "auto-generated"
                } else {
                    "auto-replied"
                }),
            )
            .header("X-Auto-Response-Suppress", Raw::new("All"));
    }
    for (name, value) in &message.extra_headers {
        let name = name.trim();
        let valid_name = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')
            && !RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str());
        if !valid_name {
            continue;
        }
        let value = single_line(value);
        builder = if value.is_ascii() {
            builder.header(name.to_string(), Raw::new(value))
        } else {
            builder.header(name.to_string(), Text::new(value))
        };
    }
    builder = builder.body(body(message));
    let mut bytes = Vec::new();
    builder.serialize(&mut bytes);
    bytes
}

fn body(message: &OutgoingEmail) -> MimePart<'static> {
    let text = MimePart::new("text/plain", message.text.clone());
    let mut body = match &message.html {
        Some(html) => MimePart::new(
            "multipart/alternative",
            vec![text, MimePart::new("text/html", html.clone())],
        ),
        None => text,
    };
    let (inline, attached): (Vec<&Attachment>, Vec<&Attachment>) = message
        .attachments
        .iter()
        .partition(|a| a.inline && a.content_id.is_some());
    if !inline.is_empty() {
        let mut parts = vec![body];
        parts.extend(inline.into_iter().map(attachment_part));
        body = MimePart::new("multipart/related", parts);
    }
    if !attached.is_empty() {
        let mut parts = vec![body];
        parts.extend(attached.into_iter().map(attachment_part));
        body = MimePart::new("multipart/mixed", parts);
    }
    body
}

fn attachment_part(attachment: &Attachment) -> MimePart<'static> {
    let content_type = attachment.content_type.trim().to_ascii_lowercase();
    let valid_type = content_type
        .split_once('/')
        .is_some_and(|(kind, sub)| is_token(kind) && is_token(sub));
    let content_type = if valid_type {
        content_type
    } else {
        "application/octet-stream".to_string()
    };
    let mut disposition = ContentType::new(if attachment.inline {
        "inline"
    } else {
        "attachment"
    });
    if let Some(filename) = &attachment.filename {
        disposition = disposition.attribute("filename", single_line(filename));
    }
    let mut part = MimePart::new(ContentType::new(content_type), attachment.bytes.clone())
        .header("Content-Disposition", disposition);
    if let Some(content_id) = &attachment.content_id {
        part = part.cid(bare_id(content_id));
    }
    part
}

fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
}

fn builder_address(address: &Address) -> BuilderAddress<'static> {
    BuilderAddress::new_address(
        address.name.as_deref().map(|n| Cow::Owned(single_line(n))),
        single_line(&address.email).replace(' ', ""),
    )
}

/// Removes line breaks and other control characters, which in a header would start a new
/// field (header injection).
fn single_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn bare_id(id: &str) -> String {
    single_line(id)
        .trim_start_matches('<')
        .trim_end_matches('>')
        .replace(' ', "")
}

/// Makes a `Message-ID` (without angle brackets) of the form `unique.tiski@domain`.
///
/// `unique` should be unique per message (a ULID or the outbox row id); characters not
/// allowed in a message id are replaced by `-`, and an empty domain becomes `localhost`.
/// The `.tiski` marker lets the application recognise its own messages in `References`.
pub fn new_message_id(domain: &str, unique: &str) -> String {
    let clean = |text: &str| -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .trim_matches('.')
            .to_string()
    };
    let unique = clean(unique);
    let unique = if unique.is_empty() {
        "message".to_string()
    } else {
        unique
    };
    let domain = clean(domain).to_ascii_lowercase();
    let domain = if domain.is_empty() {
        "localhost".to_string()
    } else {
        domain
    };
    format!("{unique}.tiski@{domain}")
}
