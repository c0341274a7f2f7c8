//! Business calendars and their arithmetic.

use super::agents::Paging;
use super::created;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tiski_calendar::{
    BundledFeed, CalendarPatch, CalendarView, HolidayImport, HolidayImportResult, NewCalendar,
    OpenAfter, OpenBetween,
};
use tiski_kernel::Page;

/// The question of `open-after`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AfterQuery {
    /// RFC 3339 instant to count from.
    pub from: String,
    /// Seconds of open time to add (0 to ten years).
    pub seconds: i64,
}

/// The question of `open-between`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BetweenQuery {
    /// RFC 3339 start.
    pub from: String,
    /// RFC 3339 end (at most ten years later).
    pub to: String,
}

/// Makes a calendar. Admins only. The first calendar is the default.
#[utoipa::path(post, path = "/api/v1/calendars", tag = "calendars", request_body = NewCalendar,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = CalendarView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewCalendar>,
) -> ApiResult<Response> {
    Ok(created(
        app.calendars
            .create_calendar(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// Lists calendars. Staff.
#[utoipa::path(get, path = "/api/v1/calendars", tag = "calendars", params(Paging),
    responses((status = 200, body = Page<CalendarView>), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Page<CalendarView>>> {
    Ok(Json(
        app.calendars
            .list_calendars(&actor, paging.limit, paging.cursor)
            .await?,
    ))
}

/// One calendar. Staff.
#[utoipa::path(get, path = "/api/v1/calendars/{id}", tag = "calendars", params(("id" = i64, Path)),
    responses((status = 200, body = CalendarView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
) -> ApiResult<Json<CalendarView>> {
    Ok(Json(app.calendars.calendar(&actor, id).await?))
}

/// Changes a calendar (the lists given replace the stored ones). Admins only.
#[utoipa::path(patch, path = "/api/v1/calendars/{id}", tag = "calendars", params(("id" = i64, Path)), request_body = CalendarPatch,
    responses((status = 200, body = CalendarView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
    json: ApiJson<CalendarPatch>,
) -> ApiResult<Json<CalendarView>> {
    Ok(Json(
        app.calendars.update_calendar(&actor, id, json.body).await?,
    ))
}

/// When `seconds` of open time after `from` have passed (what SLA due times use). Staff.
#[utoipa::path(get, path = "/api/v1/calendars/{id}/open-after", tag = "calendars", params(("id" = i64, Path), AfterQuery),
    responses((status = 200, body = OpenAfter), (status = 400, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn open_after(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    ApiQuery(query): ApiQuery<AfterQuery>,
) -> ApiResult<Json<OpenAfter>> {
    Ok(Json(
        app.calendars
            .open_after(&actor, id, &query.from, query.seconds)
            .await?,
    ))
}

/// How many seconds of open time lie between `from` and `to`. Staff.
#[utoipa::path(get, path = "/api/v1/calendars/{id}/open-between", tag = "calendars", params(("id" = i64, Path), BetweenQuery),
    responses((status = 200, body = OpenBetween), (status = 400, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn open_between(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    ApiQuery(query): ApiQuery<BetweenQuery>,
) -> ApiResult<Json<OpenBetween>> {
    Ok(Json(
        app.calendars
            .open_between(&actor, id, &query.from, &query.to)
            .await?,
    ))
}

/// The bundled public-holiday feeds an admin can import. Staff.
#[utoipa::path(get, path = "/api/v1/calendars/holidays", tag = "calendars",
    responses((status = 200, body = Vec<BundledFeed>), (status = 403, body = Problem)))]
pub async fn bundled(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<Vec<BundledFeed>>> {
    Ok(Json(app.calendars.bundled_feeds(&actor)?))
}

/// Imports public holidays into a calendar: `{"bundled": "FI"}`, or an uploaded file as
/// `{"ics": "<file text>", "source": "<name>"}`. One year back and three ahead; days an admin
/// switched off stay off. Admins only.
#[utoipa::path(post, path = "/api/v1/calendars/{id}/holidays", tag = "calendars", params(("id" = i64, Path)), request_body = HolidayImport,
    responses((status = 200, body = HolidayImportResult), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn import(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
    json: ApiJson<HolidayImport>,
) -> ApiResult<Json<HolidayImportResult>> {
    Ok(Json(
        app.calendars.import_holidays(&actor, id, json.body).await?,
    ))
}
