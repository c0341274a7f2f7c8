//! Turning raw bytes into a [`ParsedEmail`].

use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders, PartType};

use crate::address::{self, Address};
use crate::auto::{self, AutoKind};
use crate::bounce::{self, Bounce, Evidence};
use crate::headers::{self, clean_id, find};
use crate::quote::split_quoted;

/// Why a byte string could not be read as a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Nothing to parse; the caller should drop the message rather than retry it.
    #[error("The message is empty.")]
    Empty,
    /// The bytes hold no header section, so they are not an RFC 5322 message.
    #[error("The message has no headers, so it is not an email message.")]
    NoHeaders,
    /// The underlying parser panicked; the message is kept aside so that the bug can be
    /// reported instead of taking down the ingest worker.
    #[error("The message could not be parsed because the MIME parser failed on it.")]
    ParserFailed,
}

/// A file attached to a message, or an inline part such as an image referenced by `cid:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attachment {
    /// File name as sent (RFC 2231/2047 decoded), reduced to its last path component and
    /// stripped of control characters, so it can be offered for download as it is.
    pub filename: Option<String>,
    /// `type/subtype`, lower-case; `application/octet-stream` when the sender gave none.
    pub content_type: String,
    /// `Content-ID` without angle brackets: what `cid:` URLs in the HTML body refer to.
    pub content_id: Option<String>,
    /// Whether the part was meant to be shown in the body (disposition `inline`, or no
    /// disposition but a `Content-ID`) rather than offered as a file.
    pub inline: bool,
    /// The decoded content. Text parts (`text/*` other than the body) arrive converted to
    /// UTF-8 by the parser, so serve them with `charset=utf-8`. A nested message
    /// (`message/rfc822`) is its raw bytes, an `.eml` file.
    pub bytes: Vec<u8>,
}

/// What tiski needs from one inbound message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedEmail {
    /// `Message-ID` without angle brackets; `None` when missing (the application should then
    /// make one up to deduplicate).
    pub message_id: Option<String>,
    /// `In-Reply-To` ids without angle brackets, in order.
    pub in_reply_to: Vec<String>,
    /// `References` ids without angle brackets, oldest first as sent.
    pub references: Vec<String>,
    /// Subject decoded from RFC 2047, line breaks and tabs turned into spaces, trimmed; empty
    /// when there is none.
    pub subject: String,
    /// First address of `From` (or of `Sender` when `From` has none).
    pub from: Option<Address>,
    /// First address of `Reply-To`: where answers should go when it differs from `from`.
    pub reply_to: Option<Address>,
    /// Every `To` address (all `To` fields, groups flattened).
    pub to: Vec<Address>,
    /// Every `Cc` address.
    pub cc: Vec<Address>,
    /// `Date` as Unix seconds; `None` when missing or unreadable.
    pub date: Option<i64>,
    /// The full text body: the `text/plain` parts, or text made from the HTML part when there
    /// is no plain part. Several inline text parts are joined with a blank line.
    pub text: String,
    /// The HTML body as sent. Not sanitised: the application must sanitise before display.
    pub html: Option<String>,
    /// `text` without quoted history or signature (see [`crate::split_quoted`]); equal to
    /// `text` when nothing was recognised.
    pub new_text: String,
    /// Every attachment and inline part; nested messages come as `message/rfc822` `.eml` files.
    pub attachments: Vec<Attachment>,
    /// Whether a person wrote it; see [`AutoKind`]. Bounces are `AutoReply`.
    pub auto: AutoKind,
    /// The delivery report when this message is a bounce.
    pub bounce: Option<Bounce>,
    /// The raw `Auto-Submitted` header value, for the record.
    pub headers_auto_submitted: Option<String>,
}

/// Parses one RFC 5322 message.
///
/// Never panics, whatever the bytes: malformed MIME is parsed best-effort (the way mail
/// clients show it), and only input with no header section at all is refused. Line endings
/// may be CRLF, LF or CR.
pub fn parse(raw: &[u8]) -> Result<ParsedEmail, ParseError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    // mail-parser is written not to panic, but it is a large parser fed with hostile input;
    // a bug there must cost one message, not the worker that ingests the mailbox.
    match std::panic::catch_unwind(|| parse_message(raw)) {
        Ok(result) => result,
        Err(_) => Err(ParseError::ParserFailed),
    }
}

fn parse_message(raw: &[u8]) -> Result<ParsedEmail, ParseError> {
    let normalised;
    let raw = if has_bare_cr_line_endings(raw) {
        normalised = normalise_cr(raw);
        &normalised[..]
    } else {
        raw
    };
    let raw = skip_preamble(raw);
    let message = MessageParser::default()
        .parse(raw)
        .ok_or(ParseError::NoHeaders)?;
    if message.parts.is_empty() || !has_message_header(&message.parts[0]) {
        return Err(ParseError::NoHeaders);
    }
    let root_headers = headers::root_headers(&message);

    let subject = message.subject().map(clean_subject).unwrap_or_default();
    let from = address::from_parser(message.from())
        .into_iter()
        .next()
        .or_else(|| address::from_parser(message.sender()).into_iter().next());
    let reply_to = address::from_parser(message.reply_to()).into_iter().next();
    let to: Vec<Address> = message
        .all_to()
        .flat_map(|a| address::from_parser(Some(a)))
        .collect();
    let cc: Vec<Address> = message
        .all_cc()
        .flat_map(|a| address::from_parser(Some(a)))
        .collect();
    let date = message
        .date()
        .filter(|date| date.is_valid())
        .map(|date| date.to_timestamp());

    let text = body_text(&message);
    let html = body_html(&message);
    let attachments = attachments(&message, raw);

    let report_type = root_report_type(&message);
    let (delivery_status, nested_delivery_status, returned_message_id) = report_parts(&message);
    let bounce = bounce::detect(&Evidence {
        headers: &root_headers,
        subject: &subject,
        from: from.as_ref(),
        to: &to,
        report_type: report_type.clone(),
        delivery_status,
        nested_delivery_status,
        returned_message_id,
        text: &text,
    });
    let auto = auto::classify(
        &root_headers,
        &subject,
        report_type.is_some(),
        bounce.is_some(),
    );
    let new_text = split_quoted(&text).0;

    Ok(ParsedEmail {
        message_id: message.message_id().and_then(clean_id),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        subject,
        from,
        reply_to,
        to,
        cc,
        date,
        text,
        html,
        new_text,
        attachments,
        auto,
        bounce,
        headers_auto_submitted: find(&root_headers, "auto-submitted").map(str::to_string),
    })
}

/// Whether a part has at least one field that only a message header section has; the
/// parser reads any text as headers up to its first blank line, so plain text would pass.
fn has_message_header(part: &mail_parser::MessagePart<'_>) -> bool {
    use mail_parser::HeaderName;
    part.headers.iter().any(|header| match &header.name {
        HeaderName::Other(name) => {
            let name = name.to_ascii_lowercase();
            name.starts_with("x-")
                || ["delivered-to", "precedence", "envelope-to", "thread-topic"]
                    .contains(&name.as_str())
        }
        _ => true,
    })
}

/// Skips what some stores put before the header section: leading blank lines (a message
/// cannot start with one, it would mean "no headers") and an mbox `From ` separator line.
fn skip_preamble(raw: &[u8]) -> &[u8] {
    let start = raw
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(raw.len());
    let raw = &raw[start..];
    if raw.starts_with(b"From ") {
        let line_end = raw
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |i| i + 1);
        let first_line = &raw[..line_end];
        // `From user@host date` has no colon before its first space, unlike a `From:` field.
        if !first_line.starts_with(b"From :") {
            return &raw[line_end..];
        }
    }
    raw
}

/// Old Mac mail uses a bare CR as line ending, which mail-parser reads as one long line.
fn has_bare_cr_line_endings(raw: &[u8]) -> bool {
    let head = &raw[..raw.len().min(4096)];
    !head.contains(&b'\n') && head.contains(&b'\r')
}

fn normalise_cr(raw: &[u8]) -> Vec<u8> {
    raw.iter()
        .map(|&byte| if byte == b'\r' { b'\n' } else { byte })
        .collect()
}

fn clean_subject(subject: &str) -> String {
    subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => clean_id(id).into_iter().collect(),
        HeaderValue::TextList(list) => list.iter().filter_map(|id| clean_id(id)).collect(),
        _ => Vec::new(),
    }
}

/// The text body: plain parts as they are, HTML parts converted when no plain part exists.
fn body_text(message: &Message<'_>) -> String {
    let parts: Vec<String> = (0..message.text_body.len())
        .filter_map(|index| message.body_text(index))
        .map(|text| text.into_owned())
        .filter(|text| !text.trim().is_empty())
        .collect();
    if parts.is_empty() {
        // A multipart whose boundary never appears is kept by the parser as one text part
        // outside the body; it is still what the sender wrote.
        if let Some(root) = message.parts.first()
            && let PartType::Text(text) = &root.body
            && root
                .content_type()
                .is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart"))
        {
            return text.to_string();
        }
    }
    parts.join("\n\n")
}

/// The HTML body, when the message has a real HTML part.
fn body_html(message: &Message<'_>) -> Option<String> {
    let parts: Vec<&str> = message
        .html_body
        .iter()
        .filter_map(|&id| match &message.parts.get(id as usize)?.body {
            PartType::Html(html) => Some(html.as_ref()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("\n"))
    }
}

fn attachments(message: &Message<'_>, raw: &[u8]) -> Vec<Attachment> {
    message
        .attachments
        .iter()
        .filter_map(|&id| message.parts.get(id as usize))
        .map(|part| {
            let content_type = part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub),
                    None => ct.ctype().to_string(),
                })
                .map(|ct| ct.trim().to_ascii_lowercase())
                .filter(|ct| ct.contains('/'))
                .unwrap_or_else(|| match &part.body {
                    PartType::Message(_) => "message/rfc822".to_string(),
                    PartType::Text(_) => "text/plain".to_string(),
                    PartType::Html(_) => "text/html".to_string(),
                    _ => "application/octet-stream".to_string(),
                });
            let disposition = part
                .content_disposition()
                .map(|d| d.ctype().to_ascii_lowercase());
            let content_id = part.content_id().and_then(clean_id);
            let inline = match disposition.as_deref() {
                Some("inline") => true,
                Some(_) => false,
                None => content_id.is_some(),
            };
            let (bytes, filename) = match &part.body {
                PartType::Message(nested) => {
                    let bytes = if part.encoding == mail_parser::Encoding::None {
                        raw.get(part.offset_body as usize..part.offset_end as usize)
                            .map(<[u8]>::to_vec)
                            .unwrap_or_else(|| nested.raw_message.to_vec())
                    } else {
                        nested.raw_message.to_vec()
                    };
                    let name = part
                        .attachment_name()
                        .and_then(clean_filename)
                        .or_else(|| {
                            nested
                                .parts
                                .first()
                                .and_then(|_| nested.subject())
                                .map(clean_subject)
                                .and_then(|s| clean_filename(&format!("{s}.eml")))
                        })
                        .or_else(|| Some("message.eml".to_string()));
                    (bytes, name)
                }
                _ => (
                    part.contents().to_vec(),
                    part.attachment_name().and_then(clean_filename),
                ),
            };
            Attachment {
                filename,
                content_type,
                content_id,
                inline,
                bytes,
            }
        })
        .collect()
}

/// Keeps the last path component of a file name and drops control characters.
fn clean_filename(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base: String = base.chars().filter(|c| !c.is_control()).collect();
    let base = base.trim().trim_matches('.').trim();
    if base.is_empty() {
        None
    } else {
        Some(base.chars().take(255).collect())
    }
}

/// `report-type` of a `multipart/report` root, lower-case.
fn root_report_type(message: &Message<'_>) -> Option<String> {
    let root = message.parts.first()?;
    let content_type = root.content_type()?;
    if !content_type.ctype().eq_ignore_ascii_case("multipart")
        || !content_type
            .subtype()
            .is_some_and(|sub| sub.eq_ignore_ascii_case("report"))
    {
        return None;
    }
    Some(
        content_type
            .attribute("report-type")
            .unwrap_or("unknown")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// Bodies of delivery-status parts (of the message, and of messages attached to it), and
/// the `Message-ID` of the returned message if any.
fn report_parts(message: &Message<'_>) -> (Vec<String>, Vec<String>, Option<String>) {
    let mut statuses = Vec::new();
    let mut nested_statuses = Vec::new();
    let mut returned_id = None;
    for part in &message.parts {
        if let PartType::Message(nested) = &part.body {
            nested_statuses.extend(
                nested
                    .parts
                    .iter()
                    .filter(|p| is_delivery_status(p))
                    .map(|p| String::from_utf8_lossy(p.contents()).into_owned()),
            );
        }
        let Some(content_type) = part.content_type() else {
            continue;
        };
        let subtype = content_type
            .subtype()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if is_delivery_status(part) {
            statuses.push(String::from_utf8_lossy(part.contents()).into_owned());
        } else if returned_id.is_none() {
            match &part.body {
                PartType::Message(nested) if !nested.parts.is_empty() => {
                    returned_id = nested.message_id().and_then(clean_id);
                }
                _ if subtype == "rfc822-headers" || subtype == "global-headers" => {
                    returned_id =
                        bounce::message_id_in_headers(&String::from_utf8_lossy(part.contents()));
                }
                // A returned message whose body the parser kept as text.
                PartType::Text(text) if subtype == "rfc822" => {
                    returned_id = bounce::message_id_in_headers(text);
                }
                _ => {}
            }
        }
    }
    (statuses, nested_statuses, returned_id)
}

fn is_delivery_status(part: &mail_parser::MessagePart<'_>) -> bool {
    part.content_type()
        .and_then(|ct| ct.subtype())
        .is_some_and(|sub| {
            sub.eq_ignore_ascii_case("delivery-status")
                || sub.eq_ignore_ascii_case("global-delivery-status")
        })
}
