//! Times: stored as microseconds since the Unix epoch, shown as RFC 3339 in UTC. What time it
//! is comes from the application's clock (see [`crate::Kernel::now`]), never from here.

use crate::AppError;
use jiff::Timestamp;

/// Formats stored microseconds as RFC 3339 (`2026-11-27T13:07:00.123456Z`).
pub fn format(micros: i64) -> String {
    Timestamp::from_microsecond(micros)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Formats an optional stored time.
pub fn format_opt(micros: Option<i64>) -> Option<String> {
    micros.map(format)
}

/// Parses an RFC 3339 time given in `field`.
pub fn parse(field: &str, text: &str) -> Result<i64, AppError> {
    let timestamp: Timestamp = text.parse().map_err(|_| {
        AppError::invalid(
            field,
            format!(
                "{text:?} is not a valid time; use RFC 3339, for example 2026-11-27T08:00:00Z."
            ),
        )
    })?;
    Ok(timestamp.as_microsecond())
}

/// Microseconds in a [`std::time::Duration`], saturating.
pub fn micros(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}
