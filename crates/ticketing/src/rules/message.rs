//! Rules of messages: the body kept exactly as written, who may write what, the files a
//! message carries, and outside HTML made safe to show.

use super::mail_html::sanitize_html;
use super::refuse_nul;
use base64::Engine as _;
use tiski_domain::{AuthorKind, Channel, FieldError, MessageKind};

/// How large a message and its files may be (from the settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageLimits {
    /// The largest text, in bytes; its HTML may have four times as much.
    pub body_bytes: usize,
    /// Files per message.
    pub attachments: usize,
    /// The largest file.
    pub attachment_bytes: usize,
    /// All files together.
    pub attachments_bytes: usize,
}

/// A file on a message: as sent, or as given in the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// File name, without a path.
    pub filename: Option<String>,
    /// MIME type.
    pub content_type: String,
    /// Content-ID of an inline part.
    pub content_id: Option<String>,
    /// Whether it is shown inline.
    pub inline: bool,
    /// The content.
    pub bytes: Vec<u8>,
}

/// A file as the API gives it: its name, type and base64 content.
#[derive(Debug, Clone, Copy)]
pub struct GivenFile<'a> {
    /// File name.
    pub filename: &'a str,
    /// MIME type, when given.
    pub content_type: Option<&'a str>,
    /// The content, base64.
    pub content_base64: &'a str,
}

/// A message as a person wrote it, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenMessage<'a> {
    /// Plain text.
    pub body: &'a str,
    /// HTML, when given.
    pub html: Option<&'a str>,
    /// Reply or note.
    pub kind: Option<MessageKind>,
    /// Who speaks.
    pub author: Option<AuthorKind>,
    /// Channel.
    pub channel: Option<Channel>,
}

/// A validated message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMessage {
    /// Plain text, exactly as written.
    pub body: String,
    /// Sanitised HTML.
    pub html: Option<String>,
    /// Reply or note.
    pub kind: MessageKind,
    /// Who wrote it.
    pub author: AuthorKind,
    /// The channel, when given.
    pub channel: Option<Channel>,
    /// Files.
    pub attachments: Vec<File>,
}

/// Validates a message; `field` prefixes the names of the fields at fault. On a ticket's
/// first message (`field` is `message`) the author defaults to the customer, on a message
/// added later (`field` empty) to the agent.
pub fn validate(
    input: &GivenMessage<'_>,
    files: &[GivenFile<'_>],
    field: &str,
    limits: &MessageLimits,
) -> Result<ValidMessage, FieldError> {
    let at = |name: &str| {
        if field.is_empty() {
            name.to_string()
        } else {
            format!("{field}.{name}")
        }
    };
    refuse_nul(&at("body"), input.body)?;
    if let Some(html) = input.html {
        refuse_nul(&at("html"), html)?;
    }
    if input.html.is_some_and(|h| h.len() > 4 * limits.body_bytes) {
        return Err(FieldError::new(
            at("html"),
            format!(
                "The message's HTML must be at most {} KiB.",
                4 * limits.body_bytes / 1024
            ),
        ));
    }
    // A body left empty beside HTML is a composed message: its HTML is cleaned to the
    // composer's tags and its text part derived from that (see `rules::compose`).
    let composed = input.body.is_empty() && input.html.is_some();
    let (body, html) = if composed {
        let html = super::compose::clean_composed(input.html.unwrap_or(""));
        (super::compose::text_of_html(&html), Some(html))
    } else {
        (input.body.to_string(), input.html.map(sanitize_html))
    };
    if body.trim().is_empty() {
        return Err(FieldError::new(
            at(if composed { "html" } else { "body" }),
            "The message body cannot be empty.",
        ));
    }
    if body.len() > limits.body_bytes {
        return Err(FieldError::new(
            at("body"),
            format!(
                "The message must be at most {} KiB.",
                limits.body_bytes / 1024
            ),
        ));
    }
    let kind = input.kind.unwrap_or(MessageKind::Reply);
    let author = input.author.unwrap_or(if field.is_empty() {
        AuthorKind::Agent
    } else {
        AuthorKind::Customer
    });
    if author == AuthorKind::System {
        return Err(FieldError::new(
            at("author"),
            "Messages are written by a customer or an agent.",
        ));
    }
    if author == AuthorKind::Customer && kind == MessageKind::Note {
        return Err(FieldError::new(
            at("kind"),
            "An internal note is written by an agent, not the customer.",
        ));
    }
    Ok(ValidMessage {
        body,
        html: html.filter(|h| !h.trim().is_empty()),
        kind,
        author,
        channel: input.channel,
        attachments: files_of(&at("attachments"), files, limits)?,
    })
}

/// Validates and decodes the files of a message.
fn files_of(
    field: &str,
    input: &[GivenFile<'_>],
    limits: &MessageLimits,
) -> Result<Vec<File>, FieldError> {
    if input.len() > limits.attachments {
        return Err(FieldError::new(
            field,
            format!("At most {} attachments.", limits.attachments),
        ));
    }
    let mut total = 0;
    let mut out = Vec::with_capacity(input.len());
    for (index, file) in input.iter().enumerate() {
        let at = |name: &str| format!("{field}/{index}/{name}");
        let (filename, content_type) = file_meta(
            &format!("{field}/{index}"),
            file.filename,
            file.content_type,
        )?;
        let cleaned: String = file
            .content_base64
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(cleaned.trim_end_matches('='))
            .map_err(|_| {
                FieldError::new(at("content_base64"), "The content is not valid base64.")
            })?;
        if bytes.len() > limits.attachment_bytes {
            return Err(FieldError::new(
                at("content_base64"),
                format!(
                    "An attachment may have at most {} MiB.",
                    limits.attachment_bytes / (1024 * 1024)
                ),
            ));
        }
        total += bytes.len();
        if total > limits.attachments_bytes {
            return Err(FieldError::new(
                field,
                format!(
                    "Attachments may have at most {} MiB together.",
                    limits.attachments_bytes / (1024 * 1024)
                ),
            ));
        }
        out.push(File {
            filename: Some(filename),
            content_type,
            content_id: None,
            inline: false,
            bytes,
        });
    }
    Ok(out)
}

/// Checks a file's name (1 to 200 characters, no path) and MIME type (`type/subtype`;
/// `application/octet-stream` when absent); answers them cleaned. `field` prefixes the
/// fields at fault (`{field}/filename`, `{field}/content_type`).
pub fn file_meta(
    field: &str,
    filename: &str,
    content_type: Option<&str>,
) -> Result<(String, String), FieldError> {
    let at = |name: &str| format!("{field}/{name}");
    let filename = filename.trim();
    let bad_name = filename.is_empty()
        || filename.chars().count() > 200
        || filename
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '\\'))
        || filename == "."
        || filename == "..";
    if bad_name {
        return Err(FieldError::new(
            at("filename"),
            "Give a file name of 1 to 200 characters without a path.",
        ));
    }
    let content_type = content_type
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
        return Err(FieldError::new(
            at("content_type"),
            "Give a MIME type such as application/pdf.",
        ));
    }
    Ok((filename.to_string(), content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: MessageLimits = MessageLimits {
        body_bytes: 1024,
        attachments: 2,
        attachment_bytes: 8,
        attachments_bytes: 10,
    };

    fn message(body: &str) -> GivenMessage<'_> {
        GivenMessage {
            body,
            html: None,
            kind: None,
            author: None,
            channel: None,
        }
    }

    #[test]
    fn bodies_authors_and_kinds() {
        let valid = validate(&message(" kept as written "), &[], "", &LIMITS).unwrap();
        assert_eq!(valid.body, " kept as written ");
        assert_eq!(valid.author, AuthorKind::Agent);
        assert_eq!(
            validate(&message("x"), &[], "message", &LIMITS)
                .unwrap()
                .author,
            AuthorKind::Customer
        );
        assert_eq!(
            validate(&message(" "), &[], "message", &LIMITS)
                .unwrap_err()
                .field,
            "message.body"
        );
        assert!(validate(&message(&"x".repeat(1025)), &[], "", &LIMITS).is_err());
        let note = GivenMessage {
            kind: Some(MessageKind::Note),
            author: Some(AuthorKind::Customer),
            ..message("x")
        };
        assert_eq!(validate(&note, &[], "", &LIMITS).unwrap_err().field, "kind");
        let html = GivenMessage {
            html: Some("<p onclick=\"x()\">hi</p><script>alert(1)</script>"),
            ..message("hi")
        };
        let valid = validate(&html, &[], "", &LIMITS).unwrap();
        assert_eq!(valid.html.as_deref(), Some("<p>hi</p>"));
    }

    #[test]
    fn files_are_checked_and_decoded() {
        let file = |name, content| GivenFile {
            filename: name,
            content_type: None,
            content_base64: content,
        };
        let valid = validate(&message("x"), &[file("a.txt", "aGk=")], "", &LIMITS).unwrap();
        assert_eq!(valid.attachments[0].bytes, b"hi");
        assert_eq!(
            valid.attachments[0].content_type,
            "application/octet-stream"
        );
        let error = validate(&message("x"), &[file("../a", "aGk=")], "", &LIMITS).unwrap_err();
        assert_eq!(error.field, "attachments/0/filename");
        let error = validate(&message("x"), &[file("a", "***")], "", &LIMITS).unwrap_err();
        assert_eq!(error.field, "attachments/0/content_base64");
        let error = validate(&message("x"), &[file("a", "MTIzNDU2Nzg5")], "", &LIMITS).unwrap_err();
        assert_eq!(error.field, "attachments/0/content_base64");
        let three = [file("a", "aGk="), file("b", "aGk="), file("c", "aGk=")];
        assert_eq!(
            validate(&message("x"), &three, "", &LIMITS)
                .unwrap_err()
                .field,
            "attachments"
        );
    }
}
