//! The walk over a calendar's open intervals, day by day, in UTC.

use super::{Calendar, DAY_MINUTES, Hours};
use jiff::Timestamp;
use jiff::civil::Date;

/// Days a walk looks ahead without finding an opening before it gives up: five years.
const HORIZON_DAYS: u32 = 5 * 366 + 2;

/// The open intervals of a calendar from an instant on (see [`Calendar::walk`]).
#[derive(Debug)]
pub struct Walk<'a> {
    calendar: &'a Calendar,
    /// The next local date whose hours are not loaded yet.
    next_day: Date,
    /// Its local midnight: no interval not yet loaded starts before it.
    next_day_start: Option<Timestamp>,
    /// Loaded intervals, by start.
    pending: Vec<(Timestamp, Timestamp)>,
    /// Nothing before it is answered (the start, then the end of the last answer).
    cursor: Timestamp,
    /// Days loaded since the last answer.
    idle_days: u32,
    until: Option<Timestamp>,
}

impl<'a> Walk<'a> {
    pub(super) fn new(calendar: &'a Calendar, from: Timestamp) -> Walk<'a> {
        let today = calendar.tz.to_datetime(from).date();
        // An overnight interval of the day before may still be running.
        let first = today.yesterday().unwrap_or(today);
        Walk {
            calendar,
            next_day: first,
            next_day_start: calendar.local(first, 0),
            pending: Vec::new(),
            cursor: from,
            idle_days: 0,
            until: None,
        }
    }

    /// The same walk, stopping once it is past `until` (what lies after it may be left out).
    pub fn until(mut self, until: Timestamp) -> Walk<'a> {
        self.until = Some(until);
        self
    }

    fn load_day(&mut self) {
        let date = self.next_day;
        let next = date.tomorrow().ok();
        for hours in self.calendar.hours_on(date).to_vec() {
            if let Some(interval) = self.calendar.interval(date, next, hours) {
                let at = self.pending.partition_point(|p| p.0 <= interval.0);
                self.pending.insert(at, interval);
            }
        }
        self.idle_days += 1;
        match next {
            Some(next) => {
                self.next_day = next;
                self.next_day_start = self.calendar.local(next, 0);
            }
            None => self.next_day_start = None,
        }
    }

    /// Answers the first pending interval, clipped to the cursor; `None` when it is empty.
    fn take_first(&mut self) -> Option<Option<(Timestamp, Timestamp)>> {
        if self.pending.is_empty() {
            return None;
        }
        let (start, end) = self.pending.remove(0);
        let start = start.max(self.cursor);
        if end > start {
            self.cursor = end;
            self.idle_days = 0;
            Some(Some((start, end)))
        } else {
            Some(None)
        }
    }
}

impl Iterator for Walk<'_> {
    type Item = (Timestamp, Timestamp);

    fn next(&mut self) -> Option<(Timestamp, Timestamp)> {
        loop {
            let loadable = match self.next_day_start {
                Some(day_start) => {
                    self.idle_days <= HORIZON_DAYS && self.until.is_none_or(|u| day_start <= u)
                }
                None => false,
            };
            if !loadable {
                // Nothing more is loaded: what is pending comes out in order.
                match self.take_first() {
                    Some(Some(interval)) => return Some(interval),
                    Some(None) => continue,
                    None => return None,
                }
            }
            let safe = match (self.pending.first(), self.next_day_start) {
                (Some(first), Some(day_start)) => first.0 <= day_start,
                _ => false,
            };
            if safe {
                if let Some(Some(interval)) = self.take_first() {
                    return Some(interval);
                }
                continue;
            }
            self.load_day();
        }
    }
}

impl Calendar {
    /// A local date and time (minutes after midnight) as an instant, by the compatible rule.
    fn local(&self, date: Date, minutes: u16) -> Option<Timestamp> {
        let hour = i8::try_from(minutes / 60).ok()?;
        let minute = i8::try_from(minutes % 60).ok()?;
        self.tz.to_timestamp(date.at(hour, minute, 0, 0)).ok()
    }

    /// The instants of `hours` starting on `date` (`next` is the day after), if not empty.
    fn interval(
        &self,
        date: Date,
        next: Option<Date>,
        hours: Hours,
    ) -> Option<(Timestamp, Timestamp)> {
        let start = self.local(date, hours.start())?;
        let end = if hours.overnight() || hours.end() == DAY_MINUTES {
            self.local(next?, hours.end() % DAY_MINUTES)?
        } else {
            self.local(date, hours.end())?
        };
        (end > start).then_some((start, end))
    }
}
