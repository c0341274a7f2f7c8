//! Where time comes from. Everything that depends on time (auto-close, retries, sessions, and
//! soon SLA clocks and routing timers) asks the [`Clock`] the application was built with, so
//! tests set and advance a fake one instead of sleeping.

/// A source of the current time, in microseconds since the Unix epoch (the unit of every
/// stored time).
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time.
    fn now_micros(&self) -> i64;
}
