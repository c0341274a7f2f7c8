//! Commands and queries of calendars: make, list, read, change, and the two answers of
//! calendar arithmetic.

use crate::rules::{self, Checked};
use crate::{CalendarPatch, CalendarView, Calendars, NewCalendar, OpenAfter, OpenBetween, repo};
use jiff::{SignedDuration, Timestamp};
use tiski_domain::Permission;
use tiski_domain::calendar::Calendar;
use tiski_domain::event::{CalendarCreated, CalendarUpdated};
use tiski_kernel::{Actor, AppError, AppResult, Idempotency, Page, Stored, cursor, idempotency};

/// The longest span the arithmetic answers for: ten years.
pub const MAX_SPAN_SECONDS: i64 = 10 * 366 * 86_400;

/// A stored calendar's fields, as the rules take them.
pub(crate) fn checked(view: &CalendarView) -> Checked {
    Checked {
        name: view.name.clone(),
        time_zone: view.time_zone.clone(),
        always_open: view.always_open,
        weekly: view.weekly.clone(),
        exceptions: view.exceptions.clone(),
    }
}

/// The calendar of arithmetic of a stored one; a row that no longer checks is damaged data.
pub(crate) fn arithmetic(view: &CalendarView) -> AppResult<Calendar> {
    rules::arithmetic(&checked(view))
        .map_err(|e| AppError::Corrupt(format!("calendar {}: {}: {}", view.id, e.field, e.message)))
}

fn instant(field: &str, text: &str) -> AppResult<Timestamp> {
    text.parse::<Timestamp>().map_err(|_| {
        AppError::invalid(
            field,
            format!(
                "{text:?} is not a valid time; use RFC 3339, for example 2026-11-27T08:00:00Z."
            ),
        )
    })
}

impl Calendars {
    /// Makes a calendar. Admins only. The first calendar is the default.
    pub async fn create_calendar(
        &self,
        actor: &Actor,
        input: NewCalendar,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<CalendarView>> {
        let grant = actor.grant(Permission::CalendarManage)?;
        let calendar = rules::new_calendar(&input)?;
        let make_default = input.default;
        self.kernel
            .command(&grant, "calendar.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    let now = tx.now();
                    let id = repo::insert(tx.conn(), &calendar, now)?;
                    let default = make_default || repo::default(tx.conn())?.is_none();
                    if default {
                        repo::set_default(tx.conn(), id, now)?;
                    }
                    tx.emit(
                        None,
                        CalendarCreated {
                            calendar_id: id,
                            default,
                        },
                    )?;
                    repo::get(tx.conn(), id)
                })
            })
            .await
    }

    /// Lists calendars by id. Staff read them.
    pub async fn list_calendars(
        &self,
        actor: &Actor,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<CalendarView>> {
        let grant = actor.grant(Permission::CalendarRead)?;
        let limit = cursor::limit(limit)?;
        let after = cursor::after_id(cursor.as_deref())?;
        self.kernel
            .query(&grant, move |conn| {
                let items = repo::list(conn, after, limit + 1)?;
                Ok(cursor::page_by_id(items, limit, false, |c| c.id))
            })
            .await
    }

    /// One calendar. Staff read them.
    pub async fn calendar(&self, actor: &Actor, id: i64) -> AppResult<CalendarView> {
        let grant = actor.grant(Permission::CalendarRead)?;
        self.kernel
            .query(&grant, move |conn| repo::get(conn, id))
            .await
    }

    /// The default calendar, if any calendar exists. Staff read them.
    pub async fn default_calendar(&self, actor: &Actor) -> AppResult<Option<CalendarView>> {
        let grant = actor.grant(Permission::CalendarRead)?;
        self.kernel.query(&grant, repo::default).await
    }

    /// Changes a calendar. Admins only. `default: true` moves the default here; there is
    /// always one, so `default: false` on it is refused.
    pub async fn update_calendar(
        &self,
        actor: &Actor,
        id: i64,
        patch: CalendarPatch,
    ) -> AppResult<CalendarView> {
        let grant = actor.grant(Permission::CalendarManage)?;
        self.kernel
            .command(&grant, "calendar.update", move |tx| {
                let current = repo::get(tx.conn(), id)?;
                if patch.default == Some(false) && current.default {
                    return Err(AppError::invalid(
                        "default",
                        "There is always one default calendar: mark another one as the default instead.",
                    ));
                }
                let (next, changed) = rules::patched(&checked(&current), &patch)?;
                let make_default = patch.default == Some(true) && !current.default;
                if changed.is_empty() && !make_default {
                    return Ok(current);
                }
                let now = tx.now();
                repo::update(tx.conn(), id, &next, now)?;
                if make_default {
                    repo::set_default(tx.conn(), id, now)?;
                }
                tx.emit(
                    None,
                    CalendarUpdated {
                        calendar_id: id,
                        changed,
                        made_default: make_default,
                    },
                )?;
                repo::get(tx.conn(), id)
            })
            .await
    }

    /// The instant `seconds` of open time after `from` (`add_open`). Staff read calendars.
    pub async fn open_after(
        &self,
        actor: &Actor,
        id: i64,
        from: &str,
        seconds: i64,
    ) -> AppResult<OpenAfter> {
        let from = instant("from", from)?;
        if !(0..=MAX_SPAN_SECONDS).contains(&seconds) {
            return Err(AppError::invalid(
                "seconds",
                format!("Give 0 to {MAX_SPAN_SECONDS} seconds."),
            ));
        }
        let calendar = arithmetic(&self.calendar(actor, id).await?)?;
        let at = calendar
            .add_open(from, SignedDuration::from_secs(seconds))
            .ok_or_else(|| {
                AppError::invalid(
                    "seconds",
                    "The calendar is not open that long in the five years that follow.",
                )
            })?;
        Ok(OpenAfter { at: at.to_string() })
    }

    /// The open time between `from` and `to` (`open_between`), in whole seconds.
    pub async fn open_between(
        &self,
        actor: &Actor,
        id: i64,
        from: &str,
        to: &str,
    ) -> AppResult<OpenBetween> {
        let (a, b) = (instant("from", from)?, instant("to", to)?);
        if b.duration_since(a) > SignedDuration::from_secs(MAX_SPAN_SECONDS) {
            return Err(AppError::invalid("to", "The span is at most ten years."));
        }
        let calendar = arithmetic(&self.calendar(actor, id).await?)?;
        Ok(OpenBetween {
            seconds: calendar.open_between(a, b).as_secs(),
        })
    }
}
