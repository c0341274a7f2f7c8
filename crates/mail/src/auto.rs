//! Telling mail written by a person from mail sent by a machine.

use crate::headers::{RawHeader, find};

/// Who or what sent a message, as far as its headers and subject tell.
///
/// The application must never send an automatic acknowledgement to anything but `Human`:
/// answering an out-of-office reply with an acknowledgement that itself triggers another
/// out-of-office reply is the classic helpdesk mail loop (RFC 3834 section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AutoKind {
    /// Written by a person; safe to acknowledge.
    #[default]
    Human,
    /// An automatic answer: out-of-office and vacation replies, autoresponders, anything
    /// marked `Auto-Submitted` other than `no`, delivery reports and other
    /// `multipart/report` messages, and mail sent with a null return path (`<>`).
    AutoReply,
    /// Mass mail: `Precedence: bulk/junk/list`, mailing lists (`List-Id`, `List-Unsubscribe`).
    /// It may deserve a ticket, but it must not be acknowledged.
    Bulk,
}

/// Headers whose presence alone marks an automatic reply.
const AUTO_REPLY_HEADERS: &[&str] = &[
    "x-autoreply",
    "x-autorespond",
    "x-autoresponder",
    "x-auto-reply",
    "x-autoreply-from",
    "x-mail-autoreply",
    "x-vacation",
    "x-ms-exchange-generated-message-source",
];

/// Subject fragments used by out-of-office and autoresponder messages, lower-case.
///
/// English, Finnish, Polish, Lithuanian, Tagalog/Filipino and the languages our customers'
/// correspondents commonly use (Outlook and Gmail wordings).
const AUTO_REPLY_SUBJECTS: &[&str] = &[
    "out of office",
    "out of the office",
    "automatic reply",
    "auto reply",
    "auto-reply",
    "autoreply",
    "auto response",
    "auto-response",
    "autorespons",
    "automatic response",
    "autoresponder",
    "away from the office",
    "vacation reply",
    // fi
    "automaattinen vastaus",
    "poissa toimistolta",
    "lomaviesti",
    // pl
    "poza biurem",
    "automatyczna odpowiedź",
    "automatyczna odpowiedz",
    // lt
    "automatinis atsakymas",
    "ne biure",
    "nesu darbe",
    // tl / fil
    "awtomatikong tugon",
    "awtomatikong sagot",
    "wala sa opisina",
    // de, fr, nl, sv, da, no, it, es, pt
    "abwesenheitsnotiz",
    "automatische antwort",
    "réponse automatique",
    "absence du bureau",
    "automatisch antwoord",
    "automatiskt svar",
    "autosvar",
    "risposta automatica",
    "fuori ufficio",
    "respuesta automática",
    "fuera de la oficina",
    "resposta automática",
    "ausente do escritório",
];

/// Classifies a message from its root headers, decoded subject and what the caller already
/// knows about its structure.
pub(crate) fn classify(
    headers: &[RawHeader],
    subject: &str,
    is_report: bool,
    is_bounce: bool,
) -> AutoKind {
    if is_bounce || is_report {
        return AutoKind::AutoReply;
    }
    if let Some(value) = find(headers, "auto-submitted") {
        let value = value.trim().to_ascii_lowercase();
        if !value.is_empty() && !value.starts_with("no") {
            return AutoKind::AutoReply;
        }
    }
    if headers.iter().any(|header| {
        AUTO_REPLY_HEADERS
            .iter()
            .any(|name| header.name.eq_ignore_ascii_case(name))
    }) {
        return AutoKind::AutoReply;
    }
    if find(headers, "x-apple-action").is_some_and(|v| v.eq_ignore_ascii_case("vacation")) {
        return AutoKind::AutoReply;
    }
    let precedence = find(headers, "precedence")
        .or_else(|| find(headers, "x-precedence"))
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if precedence.starts_with("auto_reply") || precedence.starts_with("auto-reply") {
        return AutoKind::AutoReply;
    }
    // A null reverse path is what RFC 3834 asks responders to use; people never send with it.
    if let Some(return_path) = find(headers, "return-path")
        && return_path.trim().trim_matches(['<', '>', ' ']).is_empty()
    {
        return AutoKind::AutoReply;
    }
    let subject = subject.to_lowercase();
    if AUTO_REPLY_SUBJECTS
        .iter()
        .any(|needle| subject.contains(needle))
    {
        return AutoKind::AutoReply;
    }
    if ["bulk", "junk", "list"]
        .iter()
        .any(|kind| precedence.starts_with(kind))
    {
        return AutoKind::Bulk;
    }
    if find(headers, "list-id").is_some() || find(headers, "list-unsubscribe").is_some() {
        return AutoKind::Bulk;
    }
    AutoKind::Human
}
