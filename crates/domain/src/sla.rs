//! SLA clocks as pure functions of a ticket's status history: how much of a target has
//! elapsed, whether the clock runs, is paused, warned, breached or met, and when it is due.
//!
//! Elapsed time is derived from the history every time (never stored), so it is the same
//! after a restart and a changed target keeps the elapsed time and only moves the due time.
//! Business-hour targets count the open time of a [`Calendar`]; calendar-hour ones count
//! real time.

use crate::calendar::Calendar;
use crate::{Status, wire_enum};
use jiff::{SignedDuration, Timestamp};

wire_enum! {
    /// What an SLA clock measures.
    Metric, "SLA metric" {
        /// From the ticket's creation to the first public reply of an agent; never pauses.
        FirstReply = "first_reply",
        /// Time the requester waits: pauses while pending, stops when solved.
        RequesterWaitTime = "requester_wait_time",
        /// Time agents work: pauses while pending and on hold, stops when solved.
        AgentWorkTime = "agent_work_time",
        /// Until solved, every status counted (reopened time too).
        TotalResolution = "total_resolution",
    }
}

wire_enum! {
    /// Where an SLA clock stands.
    ClockState, "SLA clock state" {
        /// Running, the target not near.
        Running = "running",
        /// Not counting now (the ticket's status pauses it).
        Paused = "paused",
        /// Running, within the warning time of the target.
        Warning = "warning",
        /// The target passed.
        Breached = "breached",
        /// Done within the target.
        Met = "met",
    }
}

impl Metric {
    /// Whether the clock counts while the ticket has `status`.
    pub fn counts_in(self, status: Status) -> bool {
        match self {
            Metric::FirstReply | Metric::TotalResolution => {
                !matches!(status, Status::Solved | Status::Closed)
            }
            Metric::RequesterWaitTime => status.is_open(),
            Metric::AgentWorkTime => matches!(status, Status::New | Status::Open),
        }
    }
}

/// A target of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// How long, in seconds.
    pub seconds: i64,
    /// Counted in the calendar's open hours (else in real time).
    pub business_hours: bool,
    /// Warn this many seconds before the target.
    pub warn_before_s: i64,
}

/// What a clock needs of a ticket.
#[derive(Debug, Clone, Copy)]
pub struct History<'a> {
    /// The ticket's statuses, each from its instant on, oldest first; the first is its
    /// status at creation.
    pub statuses: &'a [(Timestamp, Status)],
    /// When an agent first replied publicly.
    pub first_reply_at: Option<Timestamp>,
}

/// An SLA clock as of an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// What it measures.
    pub metric: Metric,
    /// Where it stands.
    pub state: ClockState,
    /// When the target is (or was) reached; `None` while paused short of it, or when met.
    pub due_at: Option<Timestamp>,
    /// Time counted so far.
    pub elapsed: SignedDuration,
}

/// The clock of `metric` with `target` over `history` at `now`.
pub fn clock(
    metric: Metric,
    target: Target,
    history: History<'_>,
    calendar: Option<&Calendar>,
    now: Timestamp,
) -> Clock {
    let business = calendar.filter(|_| target.business_hours);
    let measure = |a: Timestamp, b: Timestamp| match business {
        Some(calendar) => calendar.open_between(a, b),
        None => b.duration_since(a).max(SignedDuration::ZERO),
    };
    let add = |a: Timestamp, d: SignedDuration| match business {
        Some(calendar) => calendar.add_open(a, d),
        None => a.checked_add(d).ok(),
    };
    let goal = SignedDuration::from_secs(target.seconds.max(0));
    let stop = match metric {
        Metric::FirstReply => history.first_reply_at.map_or(now, |t| t.min(now)),
        _ => now,
    };
    let mut elapsed = SignedDuration::ZERO;
    let mut due_at = None;
    for (index, (from, status)) in history.statuses.iter().enumerate() {
        let until = history
            .statuses
            .get(index + 1)
            .map_or(stop, |(next, _)| (*next).min(stop));
        if *from >= until || !metric.counts_in(*status) {
            continue;
        }
        let part = measure(*from, until);
        if due_at.is_none() && elapsed + part >= goal {
            due_at = add(*from, goal - elapsed).map(|t| t.max(*from));
        }
        elapsed += part;
    }
    let current = history.statuses.last().map(|(_, s)| *s);
    let done = match metric {
        Metric::FirstReply => {
            history.first_reply_at.is_some_and(|t| t <= now)
                || current.is_some_and(|s| !metric.counts_in(s))
        }
        _ => current.is_some_and(|s| matches!(s, Status::Solved | Status::Closed)),
    };
    let running = !done && current.is_some_and(|s| metric.counts_in(s));
    let state = if elapsed >= goal && (!done || elapsed > goal) {
        ClockState::Breached
    } else if done {
        due_at = None;
        ClockState::Met
    } else if !running {
        ClockState::Paused
    } else if elapsed >= goal - SignedDuration::from_secs(target.warn_before_s.max(0)) {
        ClockState::Warning
    } else {
        ClockState::Running
    };
    if running && due_at.is_none() {
        due_at = add(now, goal - elapsed);
    }
    Clock {
        metric,
        state,
        due_at,
        elapsed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Day, Hours, time_zone};

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn office() -> Calendar {
        let days = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri];
        let hours = Hours::parse("09:00", "17:00").unwrap();
        Calendar::new(
            time_zone("Europe/Helsinki").unwrap(),
            false,
            days.map(|d| (d, hours)),
            [],
        )
    }

    fn target(hours: i64) -> Target {
        Target {
            seconds: hours * 3600,
            business_hours: true,
            warn_before_s: 3600,
        }
    }

    /// Opened Fri 2026-03-27 16:00 Helsinki, pending Mon 10:00–11:00 local.
    fn statuses() -> Vec<(Timestamp, Status)> {
        vec![
            (at("2026-03-27T14:00:00Z"), Status::New),
            (at("2026-03-30T07:00:00Z"), Status::Pending),
            (at("2026-03-30T08:00:00Z"), Status::Open),
        ]
    }

    #[test]
    fn four_business_hours_from_friday_afternoon_are_due_monday_noon_and_pending_pauses_only_waiting()
     {
        let calendar = office();
        let statuses = statuses();
        let history = History {
            statuses: &statuses,
            first_reply_at: None,
        };
        // Mon 11:30 local.
        let now = at("2026-03-30T08:30:00Z");
        let first = clock(Metric::FirstReply, target(4), history, Some(&calendar), now);
        assert_eq!(first.due_at, Some(at("2026-03-30T09:00:00Z")), "Mon 12:00");
        assert_eq!(first.elapsed, SignedDuration::from_mins(210));
        assert_eq!(first.state, ClockState::Warning);
        let waiting = clock(
            Metric::RequesterWaitTime,
            target(4),
            history,
            Some(&calendar),
            now,
        );
        assert_eq!(waiting.elapsed, SignedDuration::from_mins(150));
        assert_eq!(
            waiting.due_at,
            Some(at("2026-03-30T10:00:00Z")),
            "Mon 13:00"
        );
        assert_eq!(waiting.state, ClockState::Running);
        // While pending it is paused, with no due time.
        let during = clock(
            Metric::RequesterWaitTime,
            target(4),
            History {
                statuses: &statuses[..2],
                first_reply_at: None,
            },
            Some(&calendar),
            at("2026-03-30T07:30:00Z"),
        );
        assert_eq!(during.state, ClockState::Paused);
        assert_eq!(during.due_at, None);
    }

    #[test]
    fn a_reply_meets_the_first_reply_target_and_a_late_one_breaches_it() {
        let calendar = office();
        let statuses = statuses();
        let replied = |t: &str| History {
            statuses: &statuses,
            first_reply_at: Some(at(t)),
        };
        let now = at("2026-04-01T12:00:00Z");
        let met = clock(
            Metric::FirstReply,
            target(4),
            replied("2026-03-30T08:00:00Z"),
            Some(&calendar),
            now,
        );
        assert_eq!(
            (met.state, met.elapsed),
            (ClockState::Met, SignedDuration::from_hours(3))
        );
        let late = clock(
            Metric::FirstReply,
            target(4),
            replied("2026-03-30T11:00:00Z"),
            Some(&calendar),
            now,
        );
        assert_eq!(late.state, ClockState::Breached);
        assert_eq!(late.due_at, Some(at("2026-03-30T09:00:00Z")));
    }

    #[test]
    fn a_changed_target_keeps_the_elapsed_time_and_moves_the_due_time() {
        // Normal → urgent after 30 min, targets 8 h → 1 h in real time: due in 30 min.
        let statuses = vec![(at("2026-06-01T10:00:00Z"), Status::Open)];
        let history = History {
            statuses: &statuses,
            first_reply_at: None,
        };
        let now = at("2026-06-01T10:30:00Z");
        let hours = |h: i64| Target {
            seconds: h * 3600,
            business_hours: false,
            warn_before_s: 0,
        };
        let normal = clock(Metric::TotalResolution, hours(8), history, None, now);
        let urgent = clock(Metric::TotalResolution, hours(1), history, None, now);
        assert_eq!(normal.elapsed, urgent.elapsed);
        assert_eq!(urgent.due_at, Some(at("2026-06-01T11:00:00Z")));
        // Solved and reopened: the solved time does not count, the reopened time does.
        let reopened = vec![
            (at("2026-06-01T10:00:00Z"), Status::Open),
            (at("2026-06-01T11:00:00Z"), Status::Solved),
            (at("2026-06-02T11:00:00Z"), Status::Open),
        ];
        let total = clock(
            Metric::TotalResolution,
            hours(8),
            History {
                statuses: &reopened,
                first_reply_at: None,
            },
            None,
            at("2026-06-02T12:00:00Z"),
        );
        assert_eq!(total.elapsed, SignedDuration::from_hours(2));
        assert_eq!(total.state, ClockState::Running);
    }
}
