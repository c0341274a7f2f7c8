//! Payloads of calendar and SLA policy events: ids and the names of the fields that changed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A calendar was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CalendarCreated {
    /// The calendar.
    pub calendar_id: i64,
    /// Whether it is the default calendar.
    pub default: bool,
}

/// A calendar changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CalendarUpdated {
    /// The calendar.
    pub calendar_id: i64,
    /// The fields that changed (`name`, `time_zone`, `always_open`, `weekly`, `exceptions`).
    pub changed: Vec<String>,
    /// Whether it became the default calendar.
    pub made_default: bool,
}

/// Public holidays from a feed were imported into a calendar's exceptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CalendarHolidaysImported {
    /// The calendar.
    pub calendar_id: i64,
    /// The feed's source name (`holidays:FI`, or the uploaded file's).
    pub source: String,
    /// Days added or changed.
    pub added: i64,
    /// Days of the feed an admin had switched off, kept off.
    pub kept_off: i64,
    /// Days of the same source no longer in the feed, removed.
    pub removed: i64,
}

/// An SLA policy was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SlaPolicyCreated {
    /// The policy.
    pub policy_id: i64,
    /// Its place in the order.
    pub position: i64,
}

/// An SLA policy changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SlaPolicyUpdated {
    /// The policy.
    pub policy_id: i64,
    /// The fields that changed (`name`, `position`, `filter`, `calendar_id`, `targets`).
    pub changed: Vec<String>,
}
