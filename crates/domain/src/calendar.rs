//! Business calendars: when a desk is open, as pure functions on UTC instants.
//!
//! A [`Calendar`] is an IANA time zone, opening hours per weekday (any number of intervals a
//! day; an interval whose end is not after its start runs overnight into the next day, and
//! `24:00` ends a day), an "always open" flag (every day 00:00–24:00), and dated exceptions
//! that replace a day's hours (closed, or other hours). Hours belong to the day they start
//! on: an exception for 24 December replaces the intervals that start on 24 December, and an
//! overnight interval starting on the 23rd still runs into its morning.
//!
//! Local times become instants through the tz database with the "compatible" rule (a time in
//! a spring-forward gap moves forward by the gap, a time in an autumn fold is its earlier
//! occurrence), so a day of a DST change is 23 or 25 hours long and nothing drifts. The
//! arithmetic walks open intervals, never minutes ([`Calendar::open_between`] over a year is
//! about 400 interval steps).

mod walk;

use crate::{ParseError, wire_enum};
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeMap;

pub use walk::Walk;

wire_enum! {
    /// A day of the week, as calendars name it.
    Day, "day of the week" {
        /// Monday.
        Mon = "mon",
        /// Tuesday.
        Tue = "tue",
        /// Wednesday.
        Wed = "wed",
        /// Thursday.
        Thu = "thu",
        /// Friday.
        Fri = "fri",
        /// Saturday.
        Sat = "sat",
        /// Sunday.
        Sun = "sun",
    }
}

impl Day {
    /// The day of the week of a civil date.
    pub fn of(date: Date) -> Day {
        Day::from_weekday(date.weekday())
    }

    /// The day of jiff's weekday.
    pub fn from_weekday(weekday: Weekday) -> Day {
        match weekday {
            Weekday::Monday => Day::Mon,
            Weekday::Tuesday => Day::Tue,
            Weekday::Wednesday => Day::Wed,
            Weekday::Thursday => Day::Thu,
            Weekday::Friday => Day::Fri,
            Weekday::Saturday => Day::Sat,
            Weekday::Sunday => Day::Sun,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Minutes in a day: `24:00`.
pub const DAY_MINUTES: u16 = 24 * 60;

/// Which end of an interval is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The start.
    Start,
    /// The end.
    End,
}

/// One opening interval of a day, in minutes after local midnight: `start` in 0..1440, `end`
/// in 1..=1440. An `end` before `start` runs overnight to `end` on the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hours {
    start: u16,
    end: u16,
}

impl Hours {
    /// The whole day, 00:00–24:00.
    pub const ALL_DAY: Hours = Hours {
        start: 0,
        end: DAY_MINUTES,
    };

    /// Hours from `HH:MM` texts; the error says which end is wrong and why.
    pub fn parse(start: &str, end: &str) -> Result<Hours, (End, ParseError)> {
        let start_minutes = parse_time(start).map_err(|e| (End::Start, e))?;
        if start_minutes == DAY_MINUTES {
            return Err((
                End::Start,
                ParseError::new("An interval cannot start at 24:00; start it at 00:00."),
            ));
        }
        let end_minutes = parse_time(end).map_err(|e| (End::End, e))?;
        Hours::new(start_minutes, end_minutes).ok_or_else(|| {
            (
                End::End,
                ParseError::new("The end must differ from the start."),
            )
        })
    }

    /// Hours from minutes after midnight; `None` when they are out of range or equal. An end
    /// of 0 is midnight at the end of the day (18:00–00:00 is 18:00–24:00); an end before the
    /// start runs overnight (22:00–06:00).
    pub fn new(start: u16, end: u16) -> Option<Hours> {
        if start >= DAY_MINUTES || end > DAY_MINUTES || start == end {
            return None;
        }
        let end = if end == 0 { DAY_MINUTES } else { end };
        Some(Hours { start, end })
    }

    /// The start, in minutes after midnight.
    pub fn start(self) -> u16 {
        self.start
    }

    /// The end, in minutes after midnight (1..=1440, of the next day when overnight).
    pub fn end(self) -> u16 {
        self.end
    }

    /// Whether the interval runs into the next day.
    pub fn overnight(self) -> bool {
        self.end < self.start
    }

    /// The start as `HH:MM`.
    pub fn start_text(self) -> String {
        format_time(self.start)
    }

    /// The end as `HH:MM` (`24:00` at the end of a day).
    pub fn end_text(self) -> String {
        format_time(self.end)
    }
}

/// Reads `HH:MM` (00:00 to 24:00) as minutes after midnight.
pub fn parse_time(text: &str) -> Result<u16, ParseError> {
    let bad = || {
        ParseError::new(format!(
            "{text:?} is not a time of day; write HH:MM from 00:00 to 24:00."
        ))
    };
    let bytes = text.as_bytes();
    if bytes.len() != 5 || bytes[2] != b':' {
        return Err(bad());
    }
    let digits = |range: std::ops::Range<usize>| -> Result<u16, ParseError> {
        let part = &text[range];
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse::<u16>().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (hours, minutes) = (digits(0..2)?, digits(3..5)?);
    if minutes > 59 || hours > 24 || (hours == 24 && minutes != 0) {
        return Err(bad());
    }
    Ok(hours * 60 + minutes)
}

fn format_time(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Finds an IANA time zone in the bundled tz database.
pub fn time_zone(name: &str) -> Result<TimeZone, ParseError> {
    let unknown = || {
        ParseError::new(format!(
            "{name:?} is not a known time zone; use an IANA name such as Europe/Helsinki."
        ))
    };
    if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control()) {
        return Err(unknown());
    }
    TimeZone::get(name).map_err(|_| unknown())
}

/// A business calendar, ready for arithmetic.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: TimeZone,
    weekly: [Vec<Hours>; 7],
    exceptions: BTreeMap<Date, Vec<Hours>>,
}

impl Calendar {
    /// A calendar in `tz` open the `weekly` hours (or every hour when `always_open`), with
    /// dated exceptions replacing a day's hours (an empty list: closed that day).
    pub fn new(
        tz: TimeZone,
        always_open: bool,
        weekly: impl IntoIterator<Item = (Day, Hours)>,
        exceptions: impl IntoIterator<Item = (Date, Vec<Hours>)>,
    ) -> Calendar {
        let mut days: [Vec<Hours>; 7] = Default::default();
        if always_open {
            for day in &mut days {
                day.push(Hours::ALL_DAY);
            }
        } else {
            for (day, hours) in weekly {
                days[day.index()].push(hours);
            }
        }
        Calendar {
            tz,
            weekly: days,
            exceptions: exceptions.into_iter().collect(),
        }
    }

    /// The calendar's time zone.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The hours that start on a local date.
    pub fn hours_on(&self, date: Date) -> &[Hours] {
        self.exceptions
            .get(&date)
            .unwrap_or(&self.weekly[Day::of(date).index()])
    }

    /// The open intervals from `from` on, as non-overlapping `[start, end)` pairs in order
    /// (adjacent ones are not joined); the first starts at `from` when it is open.
    pub fn walk(&self, from: Timestamp) -> Walk<'_> {
        Walk::new(self, from)
    }

    /// Whether the desk is open at `t`.
    pub fn is_open(&self, t: Timestamp) -> bool {
        self.next_open(t) == Some(t)
    }

    /// `t` when it is open, else the next instant it opens; `None` when it does not open
    /// within five years.
    pub fn next_open(&self, t: Timestamp) -> Option<Timestamp> {
        self.walk(t).next().map(|(start, _)| start)
    }

    /// The instant `d` of open time after `t` (`t` itself for no time). When the time runs
    /// out at the end of an interval, that end. `None` when the calendar stops opening.
    pub fn add_open(&self, t: Timestamp, d: SignedDuration) -> Option<Timestamp> {
        if d <= SignedDuration::ZERO {
            return Some(t);
        }
        let mut left = d;
        for (start, end) in self.walk(t) {
            let length = end.duration_since(start);
            if left <= length {
                return start.checked_add(left).ok();
            }
            left -= length;
        }
        None
    }

    /// How much open time lies in `[a, b)`; zero when `b` is not after `a`.
    pub fn open_between(&self, a: Timestamp, b: Timestamp) -> SignedDuration {
        let mut total = SignedDuration::ZERO;
        if b <= a {
            return total;
        }
        for (start, end) in self.walk(a).until(b) {
            if start >= b {
                break;
            }
            total += end.min(b).duration_since(start);
        }
        total
    }
}

#[cfg(test)]
mod tests;
