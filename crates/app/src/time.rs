//! Times: stored as microseconds since the Unix epoch, shown as RFC 3339 in UTC.

use crate::AppError;
use jiff::Timestamp;

pub use tiski_store::now_micros;

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
