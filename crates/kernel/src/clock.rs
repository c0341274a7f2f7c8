//! The clocks an application is built with: the system's, and a fake one tests set and
//! advance.

use std::sync::atomic::{AtomicI64, Ordering};
use tiski_domain::Clock;

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_micros(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

/// A clock tests control: frozen at a time ([`FakeClock::at`]), or following the wall clock
/// from an offset ([`FakeClock::running`]); either way [`FakeClock::advance`] jumps it ahead,
/// so a test sees four days pass without waiting for them.
#[derive(Debug)]
pub struct FakeClock {
    /// Whether the clock follows the wall clock (plus `value` as offset) or stands at `value`.
    running: bool,
    value: AtomicI64,
}

impl FakeClock {
    /// A clock standing at `micros` since the Unix epoch until told to move.
    pub fn at(micros: i64) -> FakeClock {
        FakeClock {
            running: false,
            value: AtomicI64::new(micros),
        }
    }

    /// A clock standing at the current wall-clock time until told to move.
    pub fn now() -> FakeClock {
        FakeClock::at(SystemClock.now_micros())
    }

    /// A clock that runs with the wall clock, and jumps when advanced.
    pub fn running() -> FakeClock {
        FakeClock {
            running: true,
            value: AtomicI64::new(0),
        }
    }

    /// Sets the time.
    pub fn set(&self, micros: i64) {
        let value = if self.running {
            micros - SystemClock.now_micros()
        } else {
            micros
        };
        self.value.store(value, Ordering::SeqCst);
    }

    /// Moves the time forward.
    pub fn advance(&self, by: std::time::Duration) {
        let micros = i64::try_from(by.as_micros()).unwrap_or(i64::MAX);
        self.value.fetch_add(micros, Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now_micros(&self) -> i64 {
        let value = self.value.load(Ordering::SeqCst);
        if self.running {
            SystemClock.now_micros() + value
        } else {
            value
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fake_clock_moves_only_when_told() {
        let clock = FakeClock::at(1_000);
        assert_eq!(clock.now_micros(), 1_000);
        clock.advance(std::time::Duration::from_millis(2));
        assert_eq!(clock.now_micros(), 3_000);
        clock.set(7);
        assert_eq!(clock.now_micros(), 7);
        assert!(SystemClock.now_micros() > 1_700_000_000_000_000);
        let running = FakeClock::running();
        let before = running.now_micros();
        running.advance(std::time::Duration::from_secs(4 * 24 * 3600));
        assert!(running.now_micros() - before >= 4 * 24 * 3600 * 1_000_000);
        running.set(5_000_000);
        assert!((running.now_micros() - 5_000_000).abs() < 1_000_000);
    }
}
