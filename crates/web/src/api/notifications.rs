//! Notifications: the caller's list and unread count, marking read, preferences; asking a
//! colleague for help on a ticket, and who a note may mention.

use super::agents::Paging;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tiski_notify::{
    HelpRequest, Mentionable, NotificationPage, PreferenceChanges, Preferences, ReadRequest,
    ReadResult,
};
use tiski_ticketing::MessageView;

/// The caller's notifications, newest first, keyset paginated, with the unread count.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(Paging),
    responses((status = 200, body = NotificationPage), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<NotificationPage>> {
    Ok(Json(
        app.notify.list(&actor, paging.limit, paging.cursor).await?,
    ))
}

/// Marks the caller's notifications read: `{"ids": [...]}` (1 to 200 ids; ids that are not
/// the caller's, unknown or already read are skipped and only counted out of `marked`, so
/// nobody learns what exists) or `{"all": true}`.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body = ReadRequest,
    responses((status = 200, body = ReadResult), (status = 422, body = Problem)))]
pub async fn read(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<ReadRequest>,
) -> ApiResult<Json<ReadResult>> {
    Ok(Json(app.notify.mark_read(&actor, json.body).await?))
}

/// The caller's preference for every kind: on the bell (`in_app`; off means not notified of
/// that kind at all), as a browser notification, and in the email digest of what happened
/// while they were away.
#[utoipa::path(get, path = "/api/v1/notifications/preferences", tag = "notifications",
    responses((status = 200, body = Preferences)))]
pub async fn preferences(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<Preferences>> {
    let preferences = app.notify.preferences(&actor).await?;
    Ok(Json(Preferences { preferences }))
}

/// Sets the caller's preferences for the kinds listed (each at most once; an absent `email`
/// keeps what was set); answers every kind's.
#[utoipa::path(put, path = "/api/v1/notifications/preferences", tag = "notifications", request_body = PreferenceChanges,
    responses((status = 200, body = Preferences), (status = 422, body = Problem)))]
pub async fn set_preferences(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<PreferenceChanges>,
) -> ApiResult<Json<Preferences>> {
    let preferences = app
        .notify
        .set_preferences(&actor, json.body.preferences)
        .await?;
    Ok(Json(Preferences { preferences }))
}

/// Asks a colleague for help on a ticket: the request is kept as an internal note, the
/// colleague is notified, and the ticket keeps its assignee.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/help", tag = "notifications", request_body = HelpRequest,
    params(("id" = i64, Path)),
    responses((status = 201, body = MessageView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn ask_for_help(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<HelpRequest>,
) -> ApiResult<Response> {
    let body = json.body;
    let note = app
        .notify
        .ask_for_help(&actor, id, body.colleague_id, &body.request)
        .await?;
    Ok((StatusCode::CREATED, Json(note)).into_response())
}

/// Who a note on the ticket may mention: staff who may see it (the caller aside), with the
/// name and the handle that mention them (`@Name` or `@handle`).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/mentionable", tag = "notifications",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Mentionable>), (status = 404, body = Problem)))]
pub async fn mentionable(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<Vec<Mentionable>>> {
    Ok(Json(app.notify.mentionable(&actor, id).await?))
}
