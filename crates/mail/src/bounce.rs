//! Delivery failure reports: RFC 3464 DSNs and the common non-standard bounces.

use crate::address::{Address, normalise_email};
use crate::headers::{RawHeader, clean_id, field_blocks, find};

/// A delivery failure (or delay) report about a message we sent.
///
/// The application uses it to mark the outgoing message as failed, warn the agent, and stop
/// the report itself from becoming a ticket or receiving an acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bounce {
    /// `Message-ID` of the message that could not be delivered (without angle brackets), read
    /// from the returned message or its headers; this is how a bounce finds its ticket.
    pub original_message_id: Option<String>,
    /// One entry per recipient the report speaks about; may be empty when a report names no
    /// recipient that could be read.
    pub recipients: Vec<BounceRecipient>,
}

/// What happened to one recipient, as the reporting server put it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BounceRecipient {
    /// The recipient address, lower-cased.
    pub email: String,
    /// RFC 3464 action, lower-case: `failed`, `delayed`, `delivered`, `relayed`, `expanded`.
    /// Only `failed` should stop further mail to the address.
    pub action: String,
    /// Enhanced status code such as `5.1.1`, when given.
    pub status: Option<String>,
    /// The remote server's explanation (`550 5.1.1 User unknown`), for the agent to read.
    pub diagnostic: Option<String>,
}

/// What [`detect`] needs to know about a message, gathered by the parser.
pub(crate) struct Evidence<'a> {
    pub headers: &'a [RawHeader],
    pub subject: &'a str,
    pub from: Option<&'a Address>,
    pub to: &'a [Address],
    /// `report-type` of a `multipart/report` root, lower-case.
    pub report_type: Option<String>,
    /// Bodies of `message/delivery-status` (and `message/global-delivery-status`) parts.
    pub delivery_status: Vec<String>,
    /// Delivery-status bodies found inside attached messages: some gateways wrap the report
    /// of the next hop. Used only when the message itself comes from a mail system.
    pub nested_delivery_status: Vec<String>,
    /// `Message-ID` of a returned `message/rfc822` or `text/rfc822-headers` part.
    pub returned_message_id: Option<String>,
    /// The human-readable notification text.
    pub text: &'a str,
}

/// Local parts used by mail systems to send reports.
const DAEMON_LOCAL_PARTS: &[&str] = &[
    "mailer-daemon",
    "mailer_daemon",
    "mailerdaemon",
    "mail-daemon",
    "postmaster",
    "post_master",
    "mail.delivery.system",
    "mdaemon",
    "mmdf",
];

/// Subject fragments of bounces, lower-case.
const BOUNCE_SUBJECTS: &[&str] = &[
    "undeliver",
    "undelivered mail",
    "delivery status notification",
    "delivery failure",
    "delivery failed",
    "mail delivery failed",
    "delivery has failed",
    "returned mail",
    "failure notice",
    "could not be delivered",
    "mail system error",
    "returned to sender",
    "delivery notification",
    "delivery problem",
    "non remis",
    "unzustellbar",
    "nicht zustellbar",
    "no se puede entregar",
    "niedostarczon",
    "nepristatyt",
    "ei voitu toimittaa",
    "toimitus epäonnistui",
    "error sending your mail",
    "mail failure",
    "delayed",
    "mail failed",
    "could not send",
    "warning: message",
];

/// Phrases in the notification text of bounces, lower-case.
const BOUNCE_PHRASES: &[&str] = &[
    "could not be delivered",
    "couldn't be delivered",
    "wasn't able to deliver",
    "was not able to deliver",
    "unable to deliver",
    "delivery to the following recipient",
    "following address(es) failed",
    "following addresses had permanent fatal errors",
    "permanent error",
    "permanent fatal error",
    "delivery has failed",
    "message was not delivered",
    "undeliverable",
    "user unknown",
    "mailbox unavailable",
    "no such user",
    "delivery status notification",
    "returned to sender",
    "has not yet been delivered",
    "will continue to try",
];

/// Lines that start the returned copy of the original message in a plain-text bounce.
const ORIGINAL_MARKERS: &[&str] = &[
    "copy of the message",
    "copy of your message",
    "original message",
    "returned message",
    "header of the original",
    "headers of the original",
    "original message headers",
    "unsent message below",
    "message headers follow",
];

/// Recognises a bounce; `None` for every other message.
pub(crate) fn detect(evidence: &Evidence<'_>) -> Option<Bounce> {
    let is_dsn = !evidence.delivery_status.is_empty()
        || evidence.report_type.as_deref() == Some("delivery-status");
    if !is_dsn && !looks_like_plain_bounce(evidence) {
        return None;
    }
    let mut recipients: Vec<BounceRecipient> = evidence
        .delivery_status
        .iter()
        .flat_map(|body| dsn_recipients(body))
        .collect();
    if recipients.is_empty() && !is_dsn {
        recipients = evidence
            .nested_delivery_status
            .iter()
            .flat_map(|body| dsn_recipients(body))
            .collect();
    }
    if recipients.is_empty() {
        // A report whose MIME structure is broken (a wrong boundary) arrives as one text
        // body that still holds the per-recipient fields.
        recipients = dsn_recipients(evidence.text);
    }
    let notification = notification_text(evidence.text);
    if recipients.is_empty() {
        recipients = plain_recipients(evidence, notification);
    }
    dedupe(&mut recipients);
    let original_message_id = evidence
        .returned_message_id
        .clone()
        .or_else(|| message_id_in_text(evidence.text))
        .or_else(|| find(evidence.headers, "in-reply-to").and_then(clean_first_id));
    Some(Bounce {
        original_message_id,
        recipients,
    })
}

fn clean_first_id(value: &str) -> Option<String> {
    crate::headers::ids_in(value).into_iter().next()
}

/// A non-RFC 3464 bounce: sent by a mail daemon (or with a null return path) and worded
/// like one. A person forwarding a bounce to support is not a bounce.
fn looks_like_plain_bounce(evidence: &Evidence<'_>) -> bool {
    let subject = evidence.subject.to_lowercase();
    if subject.starts_with("fw") || subject.starts_with("wg:") || subject.starts_with("tr:") {
        return false;
    }
    if find(evidence.headers, "x-failed-recipients").is_some() {
        return true;
    }
    let subject_says = BOUNCE_SUBJECTS
        .iter()
        .any(|needle| subject.contains(needle));
    let head: String = evidence
        .text
        .chars()
        .take(4000)
        .collect::<String>()
        .to_lowercase();
    let text_says = BOUNCE_PHRASES.iter().any(|needle| head.contains(needle));
    let from_daemon = evidence.from.is_some_and(|from| {
        let local = from.email.split('@').next().unwrap_or_default();
        let name = from.name.as_deref().unwrap_or_default().to_lowercase();
        DAEMON_LOCAL_PARTS.contains(&local)
            || local.starts_with("mailer-daemon")
            || name.contains("mail delivery")
            || name.contains("mail deliver system")
            || name.contains("mailer-daemon")
            || name.contains("mailer daemon")
    }) || evidence.from.is_none()
        && find(evidence.headers, "from")
            .is_some_and(|f| f.to_lowercase().contains("mailer-daemon"));
    let null_sender = find(evidence.headers, "return-path")
        .is_some_and(|path| path.trim().trim_matches(['<', '>', ' ']).is_empty());
    (from_daemon && (subject_says || text_says)) || (null_sender && subject_says && text_says)
}

/// Recipients of RFC 3464 `message/delivery-status` per-recipient blocks.
fn dsn_recipients(body: &str) -> Vec<BounceRecipient> {
    field_blocks(body)
        .iter()
        .filter_map(|block| {
            let address = |name: &str| {
                find(block, name)
                    .map(|value| value.rsplit(';').next().unwrap_or(value))
                    .map(normalise_email)
                    .filter(|email| email.contains('@'))
            };
            let email = address("final-recipient")
                .or_else(|| address("original-recipient"))
                .or_else(|| address("x-actual-recipient"))?;
            let status = find(block, "status").and_then(status_code);
            let action = find(block, "action")
                .map(|action| {
                    action
                        .split(|c: char| c.is_whitespace() || c == '(')
                        .next()
                        .unwrap_or_default()
                        .to_ascii_lowercase()
                })
                .filter(|action| !action.is_empty())
                .unwrap_or_else(|| action_from_status(status.as_deref()));
            let diagnostic = find(block, "diagnostic-code")
                .map(strip_type_prefix)
                .filter(|text| !text.is_empty())
                .map(|text| truncate(&text, 1000));
            Some(BounceRecipient {
                email,
                action,
                status,
                diagnostic,
            })
        })
        .collect()
}

fn action_from_status(status: Option<&str>) -> String {
    match status.and_then(|s| s.chars().next()) {
        Some('2') => "delivered",
        Some('4') => "delayed",
        _ => "failed",
    }
    .to_string()
}

/// `smtp; 550 5.1.1 …` → `550 5.1.1 …`.
fn strip_type_prefix(value: &str) -> String {
    match value.split_once(';') {
        Some((kind, rest)) if !kind.trim().contains(' ') && kind.len() < 20 => {
            rest.trim().to_string()
        }
        _ => value.trim().to_string(),
    }
}

/// The enhanced status code at the start of a `Status:` value (`5.1.1 (user unknown)`).
fn status_code(value: &str) -> Option<String> {
    let first = value.split_whitespace().next()?;
    if is_status_code(first) {
        Some(first.to_string())
    } else {
        find_status_code(value)
    }
}

fn is_status_code(token: &str) -> bool {
    let mut parts = token.split('.');
    let (Some(class), Some(subject), Some(detail), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!(class, "2" | "4" | "5")
        && (1..=3).contains(&subject.len())
        && (1..=3).contains(&detail.len())
        && subject.bytes().all(|b| b.is_ascii_digit())
        && detail.bytes().all(|b| b.is_ascii_digit())
}

/// The first enhanced status code (`5.1.1`) standing as its own token in `text`.
fn find_status_code(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|token| token.trim_end_matches('.'))
        .find(|token| is_status_code(token))
        .map(str::to_string)
}

/// The part of a plain-text bounce before the returned copy of the original message.
fn notification_text(text: &str) -> &str {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let lower = trimmed.to_lowercase();
        let is_marker = (trimmed.starts_with("--") || trimmed.starts_with("=="))
            && ORIGINAL_MARKERS.iter().any(|m| lower.contains(m))
            || ORIGINAL_MARKERS
                .iter()
                .any(|m| lower.starts_with(m) && lower.len() < m.len() + 30)
            || [
                "received:",
                "return-path:",
                "message-id:",
                "dkim-signature:",
            ]
            .iter()
            .any(|h| lower.starts_with(h));
        if is_marker && offset > 0 {
            return &text[..offset];
        }
        offset += line.len();
    }
    text
}

/// Recipients named in the text of a non-standard bounce.
fn plain_recipients(evidence: &Evidence<'_>, notification: &str) -> Vec<BounceRecipient> {
    let action = {
        let subject = evidence.subject.to_lowercase();
        let head = notification.to_lowercase();
        if subject.contains("delay")
            || subject.contains("warning")
            || head.contains("will continue to try")
            || head.contains("has not yet been delivered")
            || head.contains("still trying")
        {
            "delayed"
        } else {
            "failed"
        }
    };
    let mut candidates: Vec<String> = find(evidence.headers, "x-failed-recipients")
        .map(|value| {
            value
                .split(',')
                .map(normalise_email)
                .filter(|email| email.contains('@'))
                .collect()
        })
        .unwrap_or_default();
    if candidates.is_empty() {
        candidates = addresses_in(notification)
            .into_iter()
            .filter(|email| {
                let local = email.split('@').next().unwrap_or_default();
                !DAEMON_LOCAL_PARTS.contains(&local)
                    && evidence.from.is_none_or(|from| from.email != *email)
                    && !evidence.to.iter().any(|to| to.email == *email)
            })
            .take(50)
            .collect();
    }
    let lines: Vec<&str> = notification.lines().collect();
    let global_status = find_status_code(notification);
    candidates
        .into_iter()
        .map(|email| {
            let (status, diagnostic) = diagnose(&lines, &email);
            BounceRecipient {
                email,
                action: action.to_string(),
                status: status.or_else(|| global_status.clone()),
                diagnostic,
            }
        })
        .collect()
}

/// Status and diagnostic line near the first mention of `email` in the notification.
fn diagnose(lines: &[&str], email: &str) -> (Option<String>, Option<String>) {
    let start = lines
        .iter()
        .position(|line| line.to_lowercase().contains(email))
        .unwrap_or(0);
    let window = lines.iter().skip(start).take(8);
    let mut status = None;
    let mut diagnostic = None;
    for line in window {
        if status.is_none() {
            status = find_status_code(line);
        }
        if diagnostic.is_none() && has_smtp_code(line) {
            diagnostic = Some(truncate(line.trim(), 1000));
        }
    }
    (status, diagnostic)
}

/// Whether a line holds a 4xx/5xx SMTP reply code as its own word.
fn has_smtp_code(line: &str) -> bool {
    line.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| {
            word.len() == 3
                && matches!(word.as_bytes()[0], b'4' | b'5')
                && word.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Addresses in free text, lower-cased, in order of appearance, without repeats.
fn addresses_in(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for token in text.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '<' | '>' | '(' | ')' | '[' | ']' | '"' | '\'' | ',' | ';'
            )
    }) {
        let token = token.strip_prefix("mailto:").unwrap_or(token);
        let token = token.trim_matches(|c: char| !c.is_alphanumeric());
        let Some((local, domain)) = token.split_once('@') else {
            continue;
        };
        if local.is_empty()
            || !domain.contains('.')
            || domain.contains('@')
            || !domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        {
            continue;
        }
        let email = token.to_lowercase();
        if !found.contains(&email) {
            found.push(email);
        }
    }
    found
}

/// The `Message-ID:` of an original message returned inline in a plain-text bounce.
fn message_id_in_text(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        if name.trim().eq_ignore_ascii_case("message-id") {
            crate::headers::ids_in(value).into_iter().next()
        } else {
            None
        }
    })
}

/// Reads the `Message-ID` out of `text/rfc822-headers` content.
pub(crate) fn message_id_in_headers(text: &str) -> Option<String> {
    field_blocks(text)
        .first()
        .and_then(|block| find(block, "message-id"))
        .and_then(clean_id)
}

fn dedupe(recipients: &mut Vec<BounceRecipient>) {
    let mut seen: Vec<String> = Vec::new();
    recipients.retain(|recipient| {
        if seen.contains(&recipient.email) {
            false
        } else {
            seen.push(recipient.email.clone());
            true
        }
    });
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}
