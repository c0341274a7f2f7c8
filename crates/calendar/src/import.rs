//! Importing public holidays into a calendar: a bundled feed or an uploaded `.ics` file.

use crate::commands::checked;
use crate::{CalendarView, Calendars, holidays, ical, repo, rules};
use serde::{Deserialize, Serialize};
use tiski_domain::Permission;
use tiski_domain::event::{CalendarHolidaysImported, CalendarUpdated};
use tiski_kernel::{Actor, AppError, AppResult};

/// Most bytes of an uploaded feed.
pub const MAX_FEED_BYTES: usize = 1024 * 1024;

/// What to import: a bundled feed by code, or an iCalendar file's text with a source name.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayImport {
    /// A bundled feed: `FI`, `PL`, `LT`, `PH`, `GB` or `US`.
    pub bundled: Option<String>,
    /// The text of an iCalendar (`.ics`) file.
    pub ics: Option<String>,
    /// The name its days are kept under (with `ics`; a re-import of the same name replaces
    /// them), 1 to 60 characters.
    pub source: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HolidayImportResult {
    /// The calendar after it.
    pub calendar: CalendarView,
    /// The source the days are kept under (`holidays:FI`, `ics:<name>`).
    pub source: String,
    /// Days added or renamed.
    pub added: i64,
    /// Days an admin had switched off, kept off.
    pub kept_off: i64,
    /// Days of this source the feed no longer has, removed.
    pub removed: i64,
    /// Events of the feed that could not be read (other kinds of repeat rules, bad dates).
    pub skipped: i64,
}

/// A bundled feed an admin can pick.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BundledFeed {
    /// Its code, to pass as `bundled`.
    pub code: String,
    /// The country.
    pub country: String,
}

fn source_and_text(input: &HolidayImport) -> AppResult<(String, String)> {
    match (&input.bundled, &input.ics) {
        (Some(code), None) => {
            let text = holidays::bundled(code).ok_or_else(|| {
                AppError::invalid(
                    "bundled",
                    "Pick one of the bundled feeds: FI, PL, LT, PH, GB or US.",
                )
            })?;
            Ok((format!("holidays:{code}"), text.to_string()))
        }
        (None, Some(text)) => {
            if text.len() > MAX_FEED_BYTES {
                return Err(AppError::invalid("ics", "The file is larger than 1 MiB."));
            }
            let name = input.source.as_deref().unwrap_or("").trim();
            if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
                return Err(AppError::invalid(
                    "source",
                    "Name the feed, 1 to 60 characters.",
                ));
            }
            Ok((format!("ics:{name}"), text.clone()))
        }
        _ => Err(AppError::invalid(
            "bundled",
            "Give either bundled (a feed's code) or ics (a file's text).",
        )),
    }
}

impl Calendars {
    /// The bundled public-holiday feeds. Staff read calendars.
    pub fn bundled_feeds(&self, actor: &Actor) -> AppResult<Vec<BundledFeed>> {
        actor.grant(Permission::CalendarRead)?;
        Ok(holidays::BUNDLED
            .iter()
            .map(|(code, country, _)| BundledFeed {
                code: code.to_string(),
                country: country.to_string(),
            })
            .collect())
    }

    /// Imports public holidays into a calendar's exceptions, for one year back and three
    /// ahead; days an admin switched off stay off, days set by hand stay. Admins only.
    pub async fn import_holidays(
        &self,
        actor: &Actor,
        id: i64,
        input: HolidayImport,
    ) -> AppResult<HolidayImportResult> {
        let grant = actor.grant(Permission::CalendarManage)?;
        let (source, text) = source_and_text(&input)?;
        self.kernel
            .command(&grant, "calendar.import_holidays", move |tx| {
                let current = repo::get(tx.conn(), id)?;
                let now = tx.now();
                let today = jiff::Timestamp::from_microsecond(now)
                    .map(|t| jiff::tz::TimeZone::UTC.to_datetime(t).date())
                    .map_err(|e| AppError::Corrupt(e.to_string()))?;
                let window = holidays::window(today);
                let feed = ical::parse(&text, window.0, window.1)
                    .map_err(|e| AppError::invalid("ics", e.0))?;
                let merged = holidays::merge(&current.exceptions, &source, &feed.holidays, window);
                let mut next = checked(&current);
                next.exceptions = rules::exceptions(&merged.exceptions)
                    .map_err(|e| AppError::invalid("ics", e.message))?;
                let changed = next.exceptions != current.exceptions;
                if changed {
                    repo::update(tx.conn(), id, &next, now)?;
                    tx.emit(
                        None,
                        CalendarUpdated {
                            calendar_id: id,
                            changed: vec!["exceptions".into()],
                            made_default: false,
                        },
                    )?;
                }
                tx.emit(
                    None,
                    CalendarHolidaysImported {
                        calendar_id: id,
                        source: source.clone(),
                        added: merged.added,
                        kept_off: merged.kept_off,
                        removed: merged.removed,
                    },
                )?;
                Ok(HolidayImportResult {
                    calendar: repo::get(tx.conn(), id)?,
                    source: source.clone(),
                    added: merged.added,
                    kept_off: merged.kept_off,
                    removed: merged.removed,
                    skipped: i64::try_from(feed.skipped).unwrap_or(i64::MAX),
                })
            })
            .await
    }
}
