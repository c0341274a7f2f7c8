//! The caller's draft of a reply or note on a ticket (saved as they type in the workspace),
//! and who else has one there.

use crate::extract::{ApiJson, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tiski_ticketing::{DraftOwner, DraftView, NewDraft};

/// The caller's draft on a ticket, with the files staged for it; 404 when there is none.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/draft", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, body = DraftView), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<DraftView>> {
    Ok(Json(app.ticketing.draft(&actor, id).await?))
}

/// Saves the caller's draft (`html` from an editor, or `body` as text); a draft without
/// text is removed (204). Saving appends no event: drafts are personal bookkeeping.
#[utoipa::path(put, path = "/api/v1/tickets/{id}/draft", tag = "tickets", params(("id" = i64, Path)), request_body = NewDraft,
    responses((status = 200, body = DraftView), (status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<NewDraft>,
) -> ApiResult<Response> {
    Ok(
        match app.ticketing.save_draft(&actor, id, json.body).await? {
            Some(draft) => Json(draft).into_response(),
            None => StatusCode::NO_CONTENT.into_response(),
        },
    )
}

/// Discards the caller's draft and the files staged for it.
#[utoipa::path(delete, path = "/api/v1/tickets/{id}/draft", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    app.ticketing.delete_draft(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who else has an unsent draft on the ticket (names and times, never the text).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/drafts", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DraftOwner>), (status = 404, body = Problem)))]
pub async fn others(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<Vec<DraftOwner>>> {
    Ok(Json(app.ticketing.draft_owners(&actor, id).await?))
}
