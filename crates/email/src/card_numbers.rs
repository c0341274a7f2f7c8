//! The raw source of inbound mail keeps no card number either. Its text, HTML, subject and
//! text files are masked where ticketing writes them; the source is stored as follows:
//!
//! - without a card number anywhere (the bytes or any decoded part): as received;
//! - otherwise with card numbers masked in its bytes (plain, 8-bit and most
//!   quoted-printable parts), when a fresh parse of the result shows none in any decoded part;
//! - when one is still hidden in an encoded part (base64, an encoded header word, a
//!   quoted-printable soft break inside the number): as its header block (masked) and a note
//!   that the source was not kept, since the message's text and files are stored apart;
//! - unreadable mail, kept raw in quarantine: with card numbers masked in its bytes, the
//!   only reading there is.

use tiski_domain::card::{contains_pan, mask_pans_in_bytes};
use tiski_mail::ParsedEmail;

/// The text that stands in for a source that could not be stored without a card number.
const NOTE: &str = "The source of this message held a card number in an encoded part, so tiski did not keep it; the message's text and files are stored with card numbers masked.\r\n";

/// The bytes to store for `raw`, parsed as `parsed` (`None` when unreadable).
pub(crate) fn raw_to_store(raw: Vec<u8>, parsed: Option<&ParsedEmail>) -> Vec<u8> {
    let Some(parsed) = parsed else {
        return mask_pans_in_bytes(&raw).into_owned();
    };
    if !contains_pan(&raw) && !parts_hold_pan(parsed) {
        return raw;
    }
    let masked = mask_pans_in_bytes(&raw).into_owned();
    if reads_clean(&masked) {
        return masked;
    }
    let head_end = find(&masked, b"\r\n\r\n")
        .map(|i| i + 2)
        .or_else(|| find(&masked, b"\n\n").map(|i| i + 1))
        .unwrap_or(0);
    let mut kept = masked[..head_end].to_vec();
    kept.extend_from_slice(b"\r\n");
    kept.extend_from_slice(NOTE.as_bytes());
    if reads_clean(&kept) {
        return kept;
    }
    format!("Subject: (not kept)\r\n\r\n{NOTE}").into_bytes()
}

/// Whether `raw` parses to parts without a card number.
fn reads_clean(raw: &[u8]) -> bool {
    match std::panic::catch_unwind(|| tiski_mail::parse(raw)) {
        Ok(Ok(parsed)) => !parts_hold_pan(&parsed),
        _ => false,
    }
}

/// Whether any decoded part of `parsed` that is stored or shown holds a card number.
fn parts_hold_pan(parsed: &ParsedEmail) -> bool {
    let names = parsed
        .from
        .iter()
        .chain(parsed.reply_to.iter())
        .chain(parsed.to.iter())
        .chain(parsed.cc.iter())
        .filter_map(|a| a.name.as_deref());
    [
        parsed.subject.as_str(),
        parsed.text.as_str(),
        parsed.new_text.as_str(),
    ]
    .into_iter()
    .chain(parsed.html.as_deref())
    .chain(names)
    .any(|text| contains_pan(text.as_bytes()))
        || parsed.attachments.iter().any(|file| {
            file.filename
                .as_deref()
                .is_some_and(|n| contains_pan(n.as_bytes()))
                || (tiski_ticketing::messages::is_text_file(&file.content_type)
                    && contains_pan(&file.bytes))
        })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
