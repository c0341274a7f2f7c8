//! The calendar's rules: its input checked field by field (`weekly[2].end`), and the
//! calendar of domain arithmetic built from what is stored.

use crate::{CalendarPatch, Exception, Interval, NewCalendar, Weekly};
use std::collections::BTreeSet;
use tiski_domain::FieldError;
use tiski_domain::calendar::{self, Calendar, Day, End, Hours};

/// Most weekly intervals a calendar has.
pub const MAX_WEEKLY: usize = 100;
/// Most dated exceptions a calendar has (holidays of many years included).
pub const MAX_EXCEPTIONS: usize = 2000;
/// Most intervals an exception day has.
pub const MAX_DAY_INTERVALS: usize = 20;

/// A calendar's fields, checked and in canonical form (what is stored).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The name, trimmed.
    pub name: String,
    /// The IANA name of the zone.
    pub time_zone: String,
    /// Every day 00:00–24:00.
    pub always_open: bool,
    /// The weekly hours, times as `HH:MM`.
    pub weekly: Vec<Weekly>,
    /// The dated exceptions, by date.
    pub exceptions: Vec<Exception>,
}

fn invalid(field: String, message: impl Into<String>) -> FieldError {
    FieldError::new(field, message)
}

/// The name of a calendar.
pub fn name(text: &str) -> Result<String, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 200 || trimmed.contains('\0') {
        return Err(invalid(
            "name".into(),
            "Give the calendar a name of 1 to 200 characters.",
        ));
    }
    Ok(trimmed.to_string())
}

/// The IANA name of a known zone.
pub fn time_zone(text: &str) -> Result<String, FieldError> {
    let zone = calendar::time_zone(text).map_err(|e| e.at("time_zone"))?;
    Ok(zone.iana_name().unwrap_or(text).to_string())
}

fn hours(field: &str, interval: &Interval) -> Result<Hours, FieldError> {
    Hours::parse(&interval.start, &interval.end).map_err(|(end, error)| match end {
        End::Start => error.at(format!("{field}.start")),
        End::End => error.at(format!("{field}.end")),
    })
}

fn canonical(hours: Hours) -> Interval {
    Interval {
        start: hours.start_text(),
        end: hours.end_text(),
    }
}

/// The weekly hours, each checked.
pub fn weekly(items: &[Weekly]) -> Result<Vec<Weekly>, FieldError> {
    if items.len() > MAX_WEEKLY {
        return Err(invalid(
            "weekly".into(),
            format!("A calendar has at most {MAX_WEEKLY} weekly intervals."),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let field = format!("weekly[{index}]");
            let day = Day::parse(&item.day).map_err(|e| e.at(format!("{field}.day")))?;
            let interval = Interval {
                start: item.start.clone(),
                end: item.end.clone(),
            };
            let checked = canonical(hours(&field, &interval)?);
            Ok(Weekly {
                day: day.as_str().to_string(),
                start: checked.start,
                end: checked.end,
            })
        })
        .collect()
}

/// A date written `YYYY-MM-DD`, between the years 1900 and 2200.
pub fn date(field: &str, text: &str) -> Result<jiff::civil::Date, FieldError> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let parsed = shaped
        .then(|| text.parse::<jiff::civil::Date>().ok())
        .flatten()
        .filter(|d| (1900..=2200).contains(&d.year()));
    parsed.ok_or_else(|| {
        invalid(
            field.into(),
            format!("{text:?} is not a date; write YYYY-MM-DD, for example 2026-12-24."),
        )
    })
}

/// The dated exceptions, each checked, no date twice; sorted by date.
pub fn exceptions(items: &[Exception]) -> Result<Vec<Exception>, FieldError> {
    if items.len() > MAX_EXCEPTIONS {
        return Err(invalid(
            "exceptions".into(),
            format!("A calendar has at most {MAX_EXCEPTIONS} exceptions."),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let field = format!("exceptions[{index}]");
        let day = date(&format!("{field}.date"), &item.date)?;
        if !seen.insert(day) {
            return Err(invalid(
                format!("{field}.date"),
                format!("{} appears twice; give each date once.", item.date),
            ));
        }
        if item.closed && !item.intervals.is_empty() {
            return Err(invalid(
                format!("{field}.intervals"),
                "A closed day has no hours; leave intervals empty or set closed to false.",
            ));
        }
        if !item.closed && item.intervals.is_empty() {
            return Err(invalid(
                format!("{field}.intervals"),
                "Give the day's hours, or set closed to true.",
            ));
        }
        if item.intervals.len() > MAX_DAY_INTERVALS {
            return Err(invalid(
                format!("{field}.intervals"),
                format!("A day has at most {MAX_DAY_INTERVALS} intervals."),
            ));
        }
        let intervals = item
            .intervals
            .iter()
            .enumerate()
            .map(|(i, interval)| hours(&format!("{field}.intervals[{i}]"), interval).map(canonical))
            .collect::<Result<Vec<_>, _>>()?;
        let label = match &item.name {
            Some(text) if text.chars().count() > 200 || text.contains('\0') => {
                return Err(invalid(
                    format!("{field}.name"),
                    "A name has at most 200 characters.",
                ));
            }
            Some(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
            _ => None,
        };
        let source = item.source.trim();
        if source.is_empty() || source.len() > 100 || source.chars().any(char::is_control) {
            return Err(invalid(
                format!("{field}.source"),
                "A source is `manual` or the name of a holiday feed, at most 100 bytes.",
            ));
        }
        out.push(Exception {
            date: day.to_string(),
            closed: item.closed,
            intervals,
            name: label,
            source: source.to_string(),
            enabled: item.enabled,
        });
    }
    out.sort_by(|a, b| a.date.cmp(&b.date));
    Ok(out)
}

/// A new calendar's input, checked.
pub fn new_calendar(input: &NewCalendar) -> Result<Checked, FieldError> {
    Ok(Checked {
        name: name(&input.name)?,
        time_zone: time_zone(&input.time_zone)?,
        always_open: input.always_open,
        weekly: weekly(&input.weekly)?,
        exceptions: exceptions(&input.exceptions)?,
    })
}

/// A calendar after a patch, checked; the fields the patch changed, by name.
pub fn patched(
    current: &Checked,
    patch: &CalendarPatch,
) -> Result<(Checked, Vec<String>), FieldError> {
    let next = Checked {
        name: patch
            .name
            .as_deref()
            .map(name)
            .transpose()?
            .unwrap_or_else(|| current.name.clone()),
        time_zone: patch
            .time_zone
            .as_deref()
            .map(time_zone)
            .transpose()?
            .unwrap_or_else(|| current.time_zone.clone()),
        always_open: patch.always_open.unwrap_or(current.always_open),
        weekly: patch
            .weekly
            .as_deref()
            .map(weekly)
            .transpose()?
            .unwrap_or_else(|| current.weekly.clone()),
        exceptions: patch
            .exceptions
            .as_deref()
            .map(exceptions)
            .transpose()?
            .unwrap_or_else(|| current.exceptions.clone()),
    };
    let mut changed = Vec::new();
    let mut note = |differs: bool, field: &str| {
        if differs {
            changed.push(field.to_string());
        }
    };
    note(next.name != current.name, "name");
    note(next.time_zone != current.time_zone, "time_zone");
    note(next.always_open != current.always_open, "always_open");
    note(next.weekly != current.weekly, "weekly");
    note(next.exceptions != current.exceptions, "exceptions");
    Ok((next, changed))
}

/// The calendar of arithmetic: exceptions an admin switched off are left out.
pub fn arithmetic(checked: &Checked) -> Result<Calendar, FieldError> {
    let zone = calendar::time_zone(&checked.time_zone).map_err(|e| e.at("time_zone"))?;
    let weekly = weekly(&checked.weekly)?
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let field = format!("weekly[{index}]");
            let day = Day::parse(&item.day).map_err(|e| e.at(format!("{field}.day")))?;
            let interval = Interval {
                start: item.start,
                end: item.end,
            };
            Ok((day, hours(&field, &interval)?))
        })
        .collect::<Result<Vec<_>, FieldError>>()?;
    let mut days = Vec::new();
    for (index, item) in checked.exceptions.iter().enumerate() {
        if !item.enabled {
            continue;
        }
        let field = format!("exceptions[{index}]");
        let day = date(&format!("{field}.date"), &item.date)?;
        let intervals = item
            .intervals
            .iter()
            .enumerate()
            .map(|(i, interval)| hours(&format!("{field}.intervals[{i}]"), interval))
            .collect::<Result<Vec<_>, _>>()?;
        days.push((day, if item.closed { Vec::new() } else { intervals }));
    }
    Ok(Calendar::new(zone, checked.always_open, weekly, days))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exception(date: &str) -> Exception {
        Exception {
            date: date.into(),
            closed: true,
            intervals: vec![],
            name: None,
            source: "manual".into(),
            enabled: true,
        }
    }

    #[test]
    fn fields_at_fault_are_named() {
        let item = |day: &str, start: &str, end: &str| Weekly {
            day: day.into(),
            start: start.into(),
            end: end.into(),
        };
        let ok = item("mon", "09:00", "17:00");
        let field = |items: Vec<Weekly>| weekly(&items).unwrap_err().field;
        assert_eq!(
            field(vec![ok.clone(), ok.clone(), item("tue", "09:00", "25:00")]),
            "weekly[2].end"
        );
        assert_eq!(
            field(vec![item("monday", "09:00", "17:00")]),
            "weekly[0].day"
        );
        assert_eq!(field(vec![item("mon", "09:00", "09:00")]), "weekly[0].end");
        assert_eq!(
            field(vec![item("mon", "24:00", "09:00")]),
            "weekly[0].start"
        );
        assert_eq!(
            weekly(&[item("sun", "18:00", "00:00")]).unwrap()[0].end,
            "24:00"
        );
        let twice = exceptions(&[exception("2026-12-24"), exception("2026-12-24")]);
        assert_eq!(twice.unwrap_err().field, "exceptions[1].date");
        for bad in [
            "2026-13-01",
            "2026-02-30",
            "20261224",
            "+2026-12-24",
            "2026-1-01",
        ] {
            assert_eq!(
                exceptions(&[exception(bad)]).unwrap_err().field,
                "exceptions[0].date",
                "{bad}"
            );
        }
        let mut open = exception("2026-12-24");
        open.closed = false;
        assert_eq!(
            exceptions(&[open]).unwrap_err().field,
            "exceptions[0].intervals"
        );
        assert_eq!(time_zone("Europe/Nowhere").unwrap_err().field, "time_zone");
        assert_eq!(time_zone("europe/helsinki").unwrap(), "Europe/Helsinki");
    }
}
