//! The calendars context: when the desk is open. A calendar is an IANA time zone, opening
//! hours per weekday (several a day, overnight ones, `24:00`), an "always open" flag, and
//! dated exceptions (holidays closed, or other hours), some of them imported from a
//! public-holiday feed. One calendar is the default.
//!
//! The arithmetic is `tiski_domain::calendar` (pure); this crate stores calendars (table
//! `calendars`, all of its SQL in [`repo`](crate)), checks their input ([`rules`]) and answers
//! "when is `seconds` of open time after `from`" and "how much open time between two
//! instants" for admins checking a calendar. Admins change calendars; staff read them.
//! Public holidays come from bundled `.ics` feeds or an uploaded one ([`ical`],
//! [`holidays`]). SLA policies ([`sla`]) say which tickets get which targets; the SLA
//! clocks are `tiski_domain::sla`.

mod clocks;
mod commands;
pub mod holidays;
pub mod ical;
mod import;
mod open;
mod repo;
pub mod rules;
pub mod sla;

pub use clocks::{SlaClocks, matches};
pub use import::{BundledFeed, HolidayImport, HolidayImportResult, MAX_FEED_BYTES};
pub use open::{exists as calendar_exists, is_open_at};
pub use sla::{NewSlaPolicy, SlaPolicyPatch, SlaPolicyView, TargetSpec, Targets};

use serde::{Deserialize, Serialize};
use tiski_kernel::Kernel;

/// The calendars context. Cheap to clone.
#[derive(Clone)]
pub struct Calendars {
    kernel: Kernel,
}

impl Calendars {
    /// The calendars context on a kernel.
    pub fn new(kernel: Kernel) -> Calendars {
        Calendars { kernel }
    }
}

/// One opening interval of a weekday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Weekly {
    /// `mon` … `sun`.
    pub day: String,
    /// `HH:MM`, local time.
    pub start: String,
    /// `HH:MM` up to `24:00`; before the start, the interval runs overnight into the next day.
    pub end: String,
}

/// Opening hours of an exception day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// `HH:MM`, local time.
    pub start: String,
    /// `HH:MM` up to `24:00`; before the start, overnight.
    pub end: String,
}

fn manual() -> String {
    "manual".into()
}

fn yes() -> bool {
    true
}

/// A dated exception: the day closed, or open other hours. It replaces the hours that start
/// on that date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// `YYYY-MM-DD`, local date.
    pub date: String,
    /// Closed all day.
    pub closed: bool,
    /// The day's hours when not closed.
    #[serde(default)]
    pub intervals: Vec<Interval>,
    /// What the day is (a holiday's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `manual`, or the holiday feed it was imported from (such as `holidays:FI`).
    #[serde(default = "manual")]
    pub source: String,
    /// Whether it applies. An admin switches an imported holiday off (the desk opens as
    /// usual); a re-import keeps it off.
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// A calendar as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CalendarView {
    /// Id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// IANA time zone, such as `Europe/Helsinki`.
    pub time_zone: String,
    /// The weekly hours.
    pub weekly: Vec<Weekly>,
    /// Open every hour of every day (exceptions still apply).
    pub always_open: bool,
    /// Dated exceptions, by date.
    pub exceptions: Vec<Exception>,
    /// Whether it is the default calendar.
    pub default: bool,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

/// Input for a new calendar.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCalendar {
    /// 1 to 200 characters.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// The weekly hours.
    #[serde(default)]
    pub weekly: Vec<Weekly>,
    /// Open every hour of every day.
    #[serde(default)]
    pub always_open: bool,
    /// Dated exceptions, each date once.
    #[serde(default)]
    pub exceptions: Vec<Exception>,
    /// Make it the default calendar (the first one is the default anyway).
    #[serde(default)]
    pub default: bool,
}

/// A change of a calendar: the fields given replace the stored ones (lists whole).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarPatch {
    /// A new name.
    pub name: Option<String>,
    /// A new time zone.
    pub time_zone: Option<String>,
    /// New weekly hours.
    pub weekly: Option<Vec<Weekly>>,
    /// Open every hour or not.
    pub always_open: Option<bool>,
    /// New dated exceptions.
    pub exceptions: Option<Vec<Exception>>,
    /// `true` makes it the default calendar (there is always one: `false` is refused on it).
    pub default: Option<bool>,
}

/// When open time runs out (`GET …/open-after`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OpenAfter {
    /// RFC 3339 in UTC.
    pub at: String,
}

/// Open time between two instants (`GET …/open-between`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OpenBetween {
    /// Whole seconds.
    pub seconds: i64,
}
