//! A small reader of iCalendar (RFC 5545) holiday feeds: the all-day `VEVENT`s with their
//! `DTSTART` (and a `DTEND` of later days), `SUMMARY`, and `RRULE:FREQ=YEARLY` (with
//! `INTERVAL`, `COUNT`, `UNTIL`), expanded within a window of dates. Rules of any other kind
//! (monthly, `BYDAY` …) are not read: such events are counted as skipped. Public-holiday feeds
//! write moving feasts as single dates, so this is what they need; no crate for the job is in
//! the workspace.

use jiff::civil::Date;
use std::collections::BTreeMap;

/// Most events a feed may have.
pub const MAX_EVENTS: usize = 5000;
/// Most days one event may span.
const MAX_SPAN_DAYS: i32 = 31;

/// One holiday of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// The local date.
    pub date: Date,
    /// Its name (`SUMMARY`), at most 200 characters.
    pub name: String,
}

/// A feed read: its holidays in the window by date (one per date), and the events skipped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Feed {
    /// Holidays, by date.
    pub holidays: Vec<Holiday>,
    /// Events whose dates or rules could not be read.
    pub skipped: usize,
}

/// Why a feed cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedError(pub String);

impl std::error::Error for FeedError {}

impl std::fmt::Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Joins folded lines (a line starting with a space or tab continues the one before).
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        match (line.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ => lines.push(line.to_string()),
        }
    }
    lines
}

/// A content line's name (upper case), parameters and value.
fn property(line: &str) -> Option<(String, String, String)> {
    let mut quoted = false;
    let colon = line.char_indices().find_map(|(i, c)| {
        if c == '"' {
            quoted = !quoted;
        }
        (c == ':' && !quoted).then_some(i)
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let (name, params) = head.split_once(';').unwrap_or((head, ""));
    Some((
        name.trim().to_ascii_uppercase(),
        params.to_ascii_uppercase(),
        value.to_string(),
    ))
}

/// The date of a `DATE` or `DATE-TIME` value (its first eight digits, as written).
fn date_of(value: &str) -> Option<Date> {
    let digits = value.get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i16 = digits[..4].parse().ok()?;
    let month: i8 = digits[4..6].parse().ok()?;
    let day: i8 = digits[6..8].parse().ok()?;
    Date::new(year, month, day).ok()
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        } else if !c.is_control() {
            out.push(c);
        }
    }
    out.trim().chars().take(200).collect()
}

#[derive(Default)]
struct Event {
    start: Option<String>,
    end: Option<String>,
    summary: Option<String>,
    rule: Option<String>,
    cancelled: bool,
}

/// The yearly repetitions of `start` a rule asks for, within `[from, to]`; `None` when the
/// rule is not one this reader follows.
fn yearly(start: Date, rule: &str, from: Date, to: Date) -> Option<Vec<Date>> {
    let mut interval = 1i16;
    let mut count: Option<usize> = None;
    let mut until: Option<Date> = None;
    let mut yearly = false;
    for part in rule.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=')?;
        match key.trim().to_ascii_uppercase().as_str() {
            "FREQ" => yearly = value.eq_ignore_ascii_case("YEARLY"),
            "INTERVAL" => interval = value.parse().ok().filter(|i| (1..=100).contains(i))?,
            "COUNT" => count = Some(value.parse().ok().filter(|c| *c <= 1000)?),
            "UNTIL" => until = Some(date_of(value)?),
            "BYMONTH" if value.parse::<i8>().ok() == Some(start.month()) => {}
            "BYMONTHDAY" if value.parse::<i8>().ok() == Some(start.day()) => {}
            "WKST" => {}
            _ => return None,
        }
    }
    if !yearly {
        return None;
    }
    let last = until.map_or(to, |u| u.min(to));
    let mut dates = Vec::new();
    let mut year = start.year();
    let mut made = 0usize;
    while year <= last.year() && count.is_none_or(|c| made < c) {
        // 29 February repeats only in leap years.
        if let Ok(date) = Date::new(year, start.month(), start.day()) {
            made += 1;
            if date >= from && date <= last {
                dates.push(date);
            }
        }
        year = year.checked_add(interval)?;
    }
    Some(dates)
}

/// Reads a feed's holidays in `[from, to]`.
pub fn parse(text: &str, from: Date, to: Date) -> Result<Feed, FeedError> {
    let lines = unfold(text);
    if !lines
        .iter()
        .any(|l| l.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err(FeedError(
            "This is not an iCalendar file: it has no BEGIN:VCALENDAR.".into(),
        ));
    }
    let mut days: BTreeMap<Date, String> = BTreeMap::new();
    let mut feed = Feed::default();
    let mut current: Option<Event> = None;
    let mut events = 0usize;
    for line in &lines {
        let Some((name, params, value)) = property(line) else {
            continue;
        };
        match (name.as_str(), current.as_mut()) {
            ("BEGIN", None) if value.trim().eq_ignore_ascii_case("VEVENT") => {
                events += 1;
                if events > MAX_EVENTS {
                    return Err(FeedError(format!(
                        "The feed has more than {MAX_EVENTS} events."
                    )));
                }
                current = Some(Event::default());
            }
            ("END", Some(_)) if value.trim().eq_ignore_ascii_case("VEVENT") => {
                if let Some(event) = current.take()
                    && !add(&event, from, to, &mut days)
                {
                    feed.skipped += 1;
                }
            }
            ("DTSTART", Some(event)) => event.start = Some(value),
            ("DTEND", Some(event)) if params.contains("VALUE=DATE") => event.end = Some(value),
            ("SUMMARY", Some(event)) => event.summary = Some(unescape(&value)),
            ("RRULE", Some(event)) => event.rule = Some(value),
            ("STATUS", Some(event)) => {
                event.cancelled = value.trim().eq_ignore_ascii_case("CANCELLED")
            }
            _ => {}
        }
    }
    feed.holidays = days
        .into_iter()
        .map(|(date, name)| Holiday { date, name })
        .collect();
    Ok(feed)
}

/// Adds an event's days in the window; whether it could be read.
fn add(event: &Event, from: Date, to: Date, days: &mut BTreeMap<Date, String>) -> bool {
    if event.cancelled {
        return true;
    }
    let Some(start) = event.start.as_deref().and_then(date_of) else {
        return false;
    };
    let span = match event.end.as_deref().map(date_of) {
        None => 1,
        Some(None) => return false,
        Some(Some(end)) => {
            let days = end.since(start).map(|s| s.get_days()).unwrap_or(0);
            if !(1..=MAX_SPAN_DAYS).contains(&days) {
                return false;
            }
            days
        }
    };
    let starts = match event.rule.as_deref() {
        None => vec![start],
        Some(rule) => match yearly(start, rule, from, to) {
            Some(dates) => dates,
            None => return false,
        },
    };
    let name = event.summary.clone().unwrap_or_default();
    for first in starts {
        for offset in 0..span {
            let Ok(date) = first.checked_add(jiff::Span::new().days(offset)) else {
                continue;
            };
            if date >= from && date <= to {
                days.entry(date).or_insert_with(|| name.clone());
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn all_day_events_rules_and_folded_lines_are_read() {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nRRULE:FREQ=YEARLY;UNTIL=20271231\r\nSUMMARY:New Year\\, Day\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260403\r\nSUMMARY:Good\r\n  Friday\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261227\r\nSUMMARY:Christmas\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20260101\r\nRRULE:FREQ=MONTHLY\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:bad\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let feed = parse(text, d("2025-06-01"), d("2030-12-31")).unwrap();
        let dates: Vec<String> = feed.holidays.iter().map(|h| h.date.to_string()).collect();
        assert_eq!(
            dates,
            [
                "2026-01-01",
                "2026-04-03",
                "2026-12-24",
                "2026-12-25",
                "2026-12-26",
                "2027-01-01"
            ]
        );
        assert_eq!(feed.holidays[0].name, "New Year, Day");
        assert_eq!(feed.holidays[1].name, "Good Friday");
        assert_eq!(feed.skipped, 2, "the monthly rule and the bad date");
        assert!(parse("hello", d("2025-01-01"), d("2026-01-01")).is_err());
    }

    #[test]
    fn a_rule_counts_and_skips_missing_leap_days() {
        let leap = yearly(
            d("2024-02-29"),
            "FREQ=YEARLY;COUNT=2",
            d("2020-01-01"),
            d("2040-01-01"),
        );
        assert_eq!(leap, Some(vec![d("2024-02-29"), d("2028-02-29")]));
        assert_eq!(
            yearly(
                d("2024-01-01"),
                "FREQ=YEARLY;BYDAY=MO",
                d("2024-01-01"),
                d("2025-01-01")
            ),
            None
        );
    }

    #[test]
    fn the_bundled_feeds_have_their_known_days() {
        let window = (d("2025-01-01"), d("2029-12-31"));
        for (code, _, text) in crate::holidays::BUNDLED {
            let feed = parse(text, window.0, window.1).unwrap();
            assert_eq!(feed.skipped, 0, "{code}");
            assert!(feed.holidays.len() >= 40, "{code}: {}", feed.holidays.len());
        }
        let fi = parse(crate::holidays::bundled("FI").unwrap(), window.0, window.1).unwrap();
        let has = |feed: &Feed, date: &str| feed.holidays.iter().any(|h| h.date == d(date));
        assert!(has(&fi, "2026-04-03"), "Good Friday 2026");
        assert!(has(&fi, "2026-06-19"), "Midsummer Eve 2026");
        assert!(
            has(&fi, "2029-12-06"),
            "Independence Day by the yearly rule"
        );
        let gb = parse(crate::holidays::bundled("GB").unwrap(), window.0, window.1).unwrap();
        assert!(has(&gb, "2027-12-28"), "Boxing Day substitute 2027");
        let us = parse(crate::holidays::bundled("US").unwrap(), window.0, window.1).unwrap();
        assert!(has(&us, "2026-11-26"), "Thanksgiving 2026");
        assert!(has(&us, "2027-12-31"), "New Year's Day 2028 observed");
    }
}
