//! Public holidays: the bundled feeds (written for 2025–2029 from each country's rules, fixed
//! dates as yearly rules) and the merge of a feed into a calendar's exceptions, which keeps
//! the days an admin switched off switched off and never overrides a day set by hand.

use crate::Exception;
use crate::ical::Holiday;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};

/// The bundled feeds: code, country and the iCalendar text.
pub const BUNDLED: &[(&str, &str, &str)] = &[
    ("FI", "Finland", include_str!("../holidays/FI.ics")),
    ("PL", "Poland", include_str!("../holidays/PL.ics")),
    ("LT", "Lithuania", include_str!("../holidays/LT.ics")),
    ("PH", "the Philippines", include_str!("../holidays/PH.ics")),
    (
        "GB",
        "England and Wales",
        include_str!("../holidays/GB.ics"),
    ),
    (
        "US",
        "the United States (federal)",
        include_str!("../holidays/US.ics"),
    ),
];

/// The text of a bundled feed by its code.
pub fn bundled(code: &str) -> Option<&'static str> {
    BUNDLED
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, text)| *text)
}

/// The dates a feed is read for on a given day: one year back and three ahead, whole years.
pub fn window(today: Date) -> (Date, Date) {
    let year = today.year();
    let first = Date::new(year.saturating_sub(1), 1, 1).unwrap_or(today);
    let last = Date::new(year.saturating_add(3), 12, 31).unwrap_or(today);
    (first, last)
}

/// A calendar's exceptions after a feed is merged in, and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The exceptions, by date.
    pub exceptions: Vec<Exception>,
    /// Days added, or renamed.
    pub added: i64,
    /// Days of the feed an admin had switched off, kept off.
    pub kept_off: i64,
    /// Days of this source in the window the feed no longer has, removed.
    pub removed: i64,
}

/// Merges the holidays of `source` read for `[from, to]` into `existing`: new days are added
/// closed; days of this source keep their switch (an admin's "off" stays off); days of this
/// source in the window that the feed lost are removed (older years stay, as history); a
/// date set by hand or by another feed is left as it is.
pub fn merge(
    existing: &[Exception],
    source: &str,
    feed: &[Holiday],
    (from, to): (Date, Date),
) -> Merged {
    let wanted: BTreeMap<String, &Holiday> = feed.iter().map(|h| (h.date.to_string(), h)).collect();
    let (from, to) = (from.to_string(), to.to_string());
    let mut out = Vec::with_capacity(existing.len() + feed.len());
    let mut seen = BTreeSet::new();
    let (mut added, mut kept_off, mut removed) = (0, 0, 0);
    for item in existing {
        seen.insert(item.date.clone());
        if item.source != source {
            out.push(item.clone());
            continue;
        }
        match wanted.get(&item.date) {
            Some(holiday) => {
                if !item.enabled {
                    kept_off += 1;
                }
                let name = (!holiday.name.is_empty()).then(|| holiday.name.clone());
                if name != item.name || !item.closed {
                    added += 1;
                }
                out.push(Exception {
                    closed: true,
                    intervals: Vec::new(),
                    name,
                    ..item.clone()
                });
            }
            None if item.date >= from && item.date <= to => removed += 1,
            None => out.push(item.clone()),
        }
    }
    for (date, holiday) in &wanted {
        if seen.contains(date) {
            continue;
        }
        added += 1;
        out.push(Exception {
            date: date.clone(),
            closed: true,
            intervals: Vec::new(),
            name: (!holiday.name.is_empty()).then(|| holiday.name.clone()),
            source: source.to_string(),
            enabled: true,
        });
    }
    out.sort_by(|a, b| a.date.cmp(&b.date));
    Merged {
        exceptions: out,
        added,
        kept_off,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: &str, source: &str, enabled: bool) -> Exception {
        Exception {
            date: date.into(),
            closed: true,
            intervals: vec![],
            name: Some("X".into()),
            source: source.into(),
            enabled,
        }
    }

    fn holiday(date: &str) -> Holiday {
        Holiday {
            date: date.parse().unwrap(),
            name: "X".into(),
        }
    }

    #[test]
    fn a_reimport_keeps_switched_off_days_off_and_hand_made_days_as_they_are() {
        let window = ("2025-01-01".parse().unwrap(), "2029-12-31".parse().unwrap());
        let existing = vec![
            day("2020-05-01", "holidays:FI", true),
            day("2026-01-06", "holidays:FI", false),
            day("2026-05-01", "holidays:FI", true),
            day("2026-12-24", "manual", true),
            day("2027-03-01", "holidays:FI", true),
        ];
        let feed = [
            holiday("2026-01-06"),
            holiday("2026-05-01"),
            holiday("2026-12-24"),
            holiday("2026-12-25"),
        ];
        let merged = merge(&existing, "holidays:FI", &feed, window);
        let dates: Vec<(&str, bool, &str)> = merged
            .exceptions
            .iter()
            .map(|e| (e.date.as_str(), e.enabled, e.source.as_str()))
            .collect();
        assert_eq!(
            dates,
            [
                ("2020-05-01", true, "holidays:FI"),
                ("2026-01-06", false, "holidays:FI"),
                ("2026-05-01", true, "holidays:FI"),
                ("2026-12-24", true, "manual"),
                ("2026-12-25", true, "holidays:FI"),
            ]
        );
        assert_eq!((merged.added, merged.kept_off, merged.removed), (1, 1, 1));
        // Importing again changes nothing.
        let again = merge(&merged.exceptions, "holidays:FI", &feed, window);
        assert_eq!(again.exceptions, merged.exceptions);
        assert_eq!((again.added, again.kept_off, again.removed), (0, 1, 0));
    }
}
