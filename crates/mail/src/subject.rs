//! Subject line conventions: the ticket tag and reply/forward prefixes.

/// Finds the ticket number in a subject tagged as `[#1234]`.
///
/// Tiski puts this tag in the subject of every message it sends, so a reply whose threading
/// headers were lost (a customer who starts a new message and pastes the subject, a mail
/// client that drops `In-Reply-To`) still lands on its ticket. The first well-formed tag wins;
/// numbers that do not fit an `i64` are ignored.
pub fn ticket_tag(subject: &str) -> Option<i64> {
    tag_spans(subject).into_iter().next().map(|(_, _, id)| id)
}

/// Every `[#digits]` tag in `subject`: byte start, byte end (exclusive) and the number.
fn tag_spans(subject: &str) -> Vec<(usize, usize, i64)> {
    let bytes = subject.as_bytes();
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(offset) = subject.get(at..).and_then(|rest| rest.find("[#")) {
        let start = at + offset;
        let digits_start = start + 2;
        let mut end = digits_start;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        if end > digits_start
            && end - digits_start <= 18
            && bytes.get(end) == Some(&b']')
            && let Ok(id) = subject[digits_start..end].parse::<i64>()
        {
            spans.push((start, end + 1, id));
            at = end + 1;
        } else {
            at = digits_start;
        }
    }
    spans
}

/// Reply and forward prefixes in the languages tiski serves and their neighbours, lower-case.
///
/// en `re`/`fw`/`fwd`; de `aw`/`wg`; fi `vs`/`vl`; pl `odp`/`pd`; lt `ats`/`pers`; fr `tr`;
/// sv/da/no `sv`/`vs`/`vb`; nl `antw`/`doorst`; it `r`/`i`; es/pt `rv`/`res`/`enc`; tr `ynt`/`ilt`.
const PREFIXES: &[&str] = &[
    "re", "fw", "fwd", "aw", "wg", "vs", "vl", "odp", "pd", "ats", "pers", "tr", "sv", "vb",
    "antw", "antwort", "doorst", "r", "i", "rv", "res", "enc", "ynt", "ilt", "ref", "atb",
];

/// Removes reply and forward prefixes (`Re:`, `RE:`, `Fwd:`, `AW:`, `VS:`, `Odp:`, `SV:`,
/// `WG:`, `TR:`, `Re[2]:` …) repeatedly from the start, and every `[#123]` ticket tag.
///
/// Used to compare a reply's subject with the ticket's, and to give a new ticket a clean
/// title. Whitespace is collapsed so that `"Re:  [#12]  Hello"` becomes `"Hello"`.
pub fn strip_reply_prefixes(subject: &str) -> String {
    let mut without_tags = String::with_capacity(subject.len());
    let mut last = 0;
    for (start, end, _) in tag_spans(subject) {
        without_tags.push_str(&subject[last..start]);
        without_tags.push(' ');
        last = end;
    }
    without_tags.push_str(&subject[last..]);

    let mut rest = without_tags.trim_start();
    while let Some(after) = strip_one_prefix(rest) {
        rest = after.trim_start();
    }
    rest.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Strips one prefix such as `Re:`, `RE :`, `Re[3]:`, `Re(2):` or `Re：` from the start.
fn strip_one_prefix(text: &str) -> Option<&str> {
    let word_end = text
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(text.len(), |(index, _)| index);
    if word_end == 0 {
        return None;
    }
    let word = text[..word_end].to_lowercase();
    if !PREFIXES.contains(&word.as_str()) {
        return None;
    }
    let mut rest = &text[word_end..];
    // A counter as in `Re[2]:` or `Re(2):`.
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(inner) = rest.strip_prefix(open)
            && let Some(close_at) = inner.find(close)
            && close_at > 0
            && inner[..close_at].chars().all(|c| c.is_ascii_digit())
        {
            rest = &inner[close_at + 1..];
        }
    }
    // French typography puts a space before the colon: `RE : …`.
    let rest = rest.trim_start_matches(' ');
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))
}
