//! Highlighted snippets: a window of the original text around the first word that matches the
//! query, HTML-escaped, with every matching word in `<mark>`. Made in Rust from the stored
//! text, so both engines give the same snippet.

use std::collections::BTreeSet;

use crate::analyze::{QueryWord, is_word_char, query_terms};

/// Words shown before the first match.
const BEFORE: usize = 6;
/// Most characters of text a snippet shows.
const MAX_CHARS: usize = 220;
/// How far into a long text a match is looked for, in bytes.
const SCAN_BYTES: usize = 20_000;

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The word spans (byte ranges) of `text`.
fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The snippet of `text` for the query words; the start of the text when no word matches.
pub fn snippet(text: &str, query: &[QueryWord]) -> String {
    let mut cut = text.len().min(SCAN_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &text[..cut];
    let wanted: BTreeSet<&String> = query.iter().flat_map(|q| q.terms.iter()).collect();
    let matches = |word: &str| {
        query_terms(word, None)
            .iter()
            .any(|w| w.terms.iter().any(|t| wanted.contains(t)))
    };
    let spans = spans(text);
    let marked: Vec<bool> = spans.iter().map(|(s, e)| matches(&text[*s..*e])).collect();
    let first = marked.iter().position(|m| *m).unwrap_or(0);
    let from = first.saturating_sub(BEFORE);
    let start = spans.get(from).map_or(0, |s| s.0);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    let mut shown = 0;
    for (i, (s, e)) in spans.iter().enumerate().skip(from) {
        let gap = &text[at..*s];
        let word = &text[*s..*e];
        shown += gap.chars().count() + word.chars().count();
        if shown > MAX_CHARS && i > first {
            out.push_str(" …");
            return out;
        }
        out.push_str(&escape(gap));
        if marked[i] {
            out.push_str("<mark>");
            out.push_str(&escape(word));
            out.push_str("</mark>");
        } else {
            out.push_str(&escape(word));
        }
        at = *e;
    }
    out.push_str(&escape(&text[at..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_inflected_matches_and_escapes_the_rest() {
        let q = query_terms("toimitusaika", None);
        let s = snippet("Milloin <b>toimitusajat</b> muuttuvat & miksi?", &q);
        assert_eq!(
            s,
            "Milloin &lt;b&gt;<mark>toimitusajat</mark>&lt;/b&gt; muuttuvat &amp; miksi?"
        );
    }

    #[test]
    fn long_texts_are_windowed_around_the_first_match() {
        let text = format!(
            "{} refund please {}",
            "word ".repeat(100),
            "tail ".repeat(100)
        );
        let s = snippet(&text, &query_terms("refunds", None));
        assert!(s.starts_with('…'), "{s}");
        assert!(s.contains("<mark>refund</mark>"), "{s}");
        assert!(s.ends_with('…'), "{s}");
        assert!(s.chars().count() < 300, "{s}");
    }

    #[test]
    fn no_match_shows_the_start() {
        assert_eq!(
            snippet("Hello there", &query_terms("zzz", None)),
            "Hello there"
        );
        assert_eq!(snippet("", &query_terms("zzz", None)), "");
    }
}
