//! Card numbers are never stored: every customer text is passed through [`mask_pans`] before
//! it is written, which replaces a card number (a PAN) by stars, keeping its last four digits
//! and the shape of its separators (`4111 1111 1111 1111` → `**** **** **** 1111`).
//!
//! What counts as a card number: 13 to 19 digits that pass the Luhn check, written together
//! or in groups joined by one space, dash, no-break space or `&nbsp;`. The groups of a number
//! (a *candidate*: the longest such run of groups) are searched window by window, so a card
//! number followed by its security code (`4111 1111 1111 1111 123`) is still found; a run of
//! more than 19 digits without separators is not a card number. A candidate glued to a
//! letter (an IBAN's `DE89 3704 …`, a reference `INV4111…`), starting with `+` (a phone
//! number) or part of a decimal or date (`12.4111…`, `2026/…`) is left alone. Text without a
//! Luhn-valid window is returned unchanged, and masking is idempotent.

use std::borrow::Cow;

/// The fewest digits of a card number.
pub const MIN_PAN_DIGITS: usize = 13;
/// The most digits of a card number.
pub const MAX_PAN_DIGITS: usize = 19;
/// Digits kept visible at the end of a masked number.
const KEEP_LAST: usize = 4;
/// What may join two groups of digits of one number (the longest first).
const SEPARATORS: &[&[u8]] = &[b"&nbsp;", "\u{a0}".as_bytes(), b" ", b"-"];

/// `text` with every card number masked (see the module documentation); borrowed when
/// there was none.
pub fn mask_pans(text: &str) -> Cow<'_, str> {
    match mask_pans_in_bytes(text.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Only ASCII digits were replaced by ASCII stars, so the bytes stay UTF-8.
        Cow::Owned(bytes) => Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into()),
        ),
    }
}

/// The same as [`mask_pans`] over bytes (raw mail, text files in any ASCII-compatible
/// charset): digits become `*`, nothing else changes, so the length stays the same.
pub fn mask_pans_in_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    let mut current: Cow<'_, [u8]> = Cow::Borrowed(bytes);
    // Each pass that changes something removes digits, so this ends; a second pass finds
    // numbers that a kept last four and the following groups make together.
    while let Some(next) = mask_pass(&current) {
        current = Cow::Owned(next);
    }
    current
}

/// Whether `text` holds a card number that [`mask_pans`] would mask.
pub fn contains_pan(text: &[u8]) -> bool {
    mask_pass(text).is_some()
}

/// Whether `digits` (ASCII digits) pass the Luhn check.
pub fn luhn_valid(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut value = u32::from(d - b'0');
        if i % 2 == 1 {
            value *= 2;
            if value > 9 {
                value -= 9;
            }
        }
        sum += value;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// One pass over `bytes`: the masked copy, or `None` when nothing was masked.
fn mask_pass(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        let groups = groups_from(bytes, at);
        let end = groups.last().map_or(at + 1, |g| g.1);
        if !touches_word(bytes, at, end) {
            mask_windows(bytes, &groups, &mut out);
        }
        at = end;
    }
    out
}

/// The digit groups of the candidate starting at `start`: `(start, end)` byte ranges.
fn groups_from(bytes: &[u8], start: usize) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut at = start;
    loop {
        let begin = at;
        while at < bytes.len() && bytes[at].is_ascii_digit() {
            at += 1;
        }
        groups.push((begin, at));
        let next = SEPARATORS.iter().find_map(|sep| {
            let after = at + sep.len();
            (bytes[at..].starts_with(sep) && bytes.get(after).is_some_and(u8::is_ascii_digit))
                .then_some(after)
        });
        match next {
            Some(after) => at = after,
            None => return groups,
        }
    }
}

/// Whether the candidate `start..end` is glued to a word, a phone number's `+`, or a
/// decimal or date around it.
fn touches_word(bytes: &[u8], start: usize, end: usize) -> bool {
    let word = |b: u8| b.is_ascii_alphabetic() || b == b'_';
    let joins_number = |b: u8| matches!(b, b'.' | b',' | b':' | b'/');
    let before = start.checked_sub(1).map(|i| bytes[i]);
    let before2 = start.checked_sub(2).map(|i| bytes[i]);
    let after = bytes.get(end).copied();
    let after2 = bytes.get(end + 1).copied();
    before.is_some_and(|b| word(b) || b == b'+')
        || after.is_some_and(word)
        || (before.is_some_and(joins_number) && before2.is_some_and(|b| b.is_ascii_digit()))
        || (after.is_some_and(joins_number) && after2.is_some_and(|b| b.is_ascii_digit()))
}

/// Masks every window of whole groups that is a card number, the longest from each start.
fn mask_windows(bytes: &[u8], groups: &[(usize, usize)], out: &mut Option<Vec<u8>>) {
    let mut first = 0;
    while first < groups.len() {
        let mut digits = Vec::with_capacity(MAX_PAN_DIGITS);
        let mut found = None;
        for (last, group) in groups.iter().enumerate().skip(first) {
            digits.extend_from_slice(&bytes[group.0..group.1]);
            if digits.len() > MAX_PAN_DIGITS {
                break;
            }
            if digits.len() >= MIN_PAN_DIGITS && luhn_valid(&digits) {
                found = Some((last, digits.len()));
            }
        }
        match found {
            Some((last, count)) => {
                let out = out.get_or_insert_with(|| bytes.to_vec());
                let mut left = count - KEEP_LAST;
                for group in &groups[first..=last] {
                    for byte in &mut out[group.0..group.1] {
                        if left == 0 {
                            break;
                        }
                        *byte = b'*';
                        left -= 1;
                    }
                }
                first = last + 1;
            }
            None => first += 1,
        }
    }
}

#[cfg(test)]
mod tests;
