//! When the demo's tickets happened: spread over the past six weeks at believable hours, so
//! that views, ages and reports look like a real desk rather than everything "4 min ago".
//!
//! The demo runs on a clock it moves ([`FakeClock`], running with the wall clock from an
//! offset): before each ticket it is set to the ticket's start, and before each later step
//! (the first answer, a note, the customer's reply, solving, the auto-close) it moves on by a
//! gap drawn for that step. Every time goes through the application's clock, so rows, events
//! and their order agree. Where a ticket ends decides how old it is: closed ones are weeks old,
//! solved ones solved inside the auto-close window (so the worker does not close them at the
//! first start), new ones a few hours, open and pending ones days.

use super::rng::Rng;
use std::sync::Arc;
use tiski_domain::{Clock, Status};
use tiski_kernel::{FakeClock, SystemClock};

const MINUTE: i64 = 60_000_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// The desk's local time, for business hours: Helsinki in winter (UTC+2).
const LOCAL_OFFSET: i64 = 2 * HOUR;

/// A step after a ticket's first message, each with its own delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// Routing, triage, taking a ticket: minutes.
    Handle,
    /// The agent's first answer: within a working day.
    Answer,
    /// An internal note: minutes after the answer.
    Note,
    /// The customer writes back: hours to a day or two.
    Customer,
    /// Solving after the last word.
    Solve,
    /// The auto-close worker's close, days after solving.
    Close,
}

/// The demo's clock and where each ticket's history stands.
pub(super) struct History {
    clock: Arc<FakeClock>,
    /// The time the demo started: nothing happens after it.
    now: i64,
    rng: std::sync::Mutex<Rng>,
}

impl History {
    /// A history on `clock`, which the demo's application reads.
    pub(super) fn new(clock: Arc<FakeClock>, seed: u64) -> History {
        History {
            now: SystemClock.now_micros(),
            clock,
            rng: std::sync::Mutex::new(Rng(seed)),
        }
    }

    /// The clock to build the demo's application on.
    pub(super) fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// Sets the clock to before any ticket: staff and customers exist first.
    pub(super) fn at_founding(&self) {
        self.clock.set(self.now - 50 * DAY);
    }

    /// Puts the clock back to the present, for what the demo does after the tickets.
    pub(super) fn at_present(&self) {
        self.clock.set(SystemClock.now_micros());
    }

    /// When a ticket that ends in `status` starts, in microseconds since the epoch.
    pub(super) fn start_of(&self, status: Status) -> i64 {
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        let (from, to) = match status {
            Status::New => (20 * MINUTE, 30 * HOUR),
            Status::Open => (2 * HOUR, 4 * DAY),
            Status::Pending => (DAY, 6 * DAY),
            Status::OnHold => (2 * DAY, 12 * DAY),
            Status::Solved => (DAY + 12 * HOUR, 3 * DAY),
            Status::Closed => (9 * DAY, 42 * DAY),
        };
        let ago = from + (rng.unit() * (to - from) as f64) as i64;
        let start = self.now - ago;
        // Most mail comes in office hours; some in the evening, some overnight; weekends too.
        let day = (start + LOCAL_OFFSET).div_euclid(DAY) * DAY - LOCAL_OFFSET;
        let hour = match rng.weighted(&[70, 18, 12]) {
            0 => 8 + rng.below(9) as i64,
            1 => 17 + rng.below(5) as i64,
            _ => (22 + rng.below(9) as i64) % 24,
        };
        let mut at = day + hour * HOUR + rng.below(60) as i64 * MINUTE;
        if at > self.now - from {
            at -= DAY;
        }
        // Inside the window (and never in the future), or the plain draw when the hour moved
        // it out.
        if at < self.now - to || at > self.now - from {
            start
        } else {
            at
        }
    }

    /// Starts a ticket's history at `start`.
    pub(super) fn begin(&self, start: i64) {
        self.clock.set(start);
    }

    /// Moves the clock on by the delay of `step` (never past the present).
    pub(super) fn then(&self, step: Step) {
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        let gap = {
            let (from, to) = match step {
                Step::Handle => (MINUTE, 25 * MINUTE),
                Step::Answer => (12 * MINUTE, 7 * HOUR),
                Step::Note => (2 * MINUTE, 40 * MINUTE),
                Step::Customer => (40 * MINUTE, 30 * HOUR),
                Step::Solve => (3 * MINUTE, 3 * HOUR),
                Step::Close => (4 * DAY, 4 * DAY + 6 * HOUR),
            };
            from + (rng.unit() * (to - from) as f64) as i64
        };
        let current = self.clock.now_micros();
        let latest = self.now - MINUTE;
        // A step that would come after the present happens somewhere before it instead.
        let next = if current + gap <= latest {
            current + gap
        } else {
            current + (rng.unit() * (latest - current).max(0) as f64) as i64
        };
        self.clock.set(next.max(current));
    }
}
