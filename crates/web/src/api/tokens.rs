//! API tokens: list, read and revoke (admins: everyone's; others: their own). Issuing stays
//! with admins (the admin pages) and the command line, which show the token once.

use super::agents::Paging;
use crate::extract::{ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tiski_kernel::Page;
use tiski_staff::ApiTokenView;

/// Lists API tokens newest first (never the tokens themselves): every token for admins, the
/// caller's own for others.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", params(Paging),
    responses((status = 200, body = Page<ApiTokenView>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Page<ApiTokenView>>> {
    Ok(Json(
        app.staff
            .list_api_tokens(&actor, paging.limit, paging.cursor)
            .await?,
    ))
}

/// One API token. Another user's answers 404 to non-admins, so its existence is not told.
#[utoipa::path(get, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 200, body = ApiTokenView), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<ApiTokenView>> {
    Ok(Json(app.staff.get_api_token(&actor, id).await?))
}

/// Revokes an API token at once: requests with it answer 401 and its open event streams
/// end, on every node. Another user's answers 404 to non-admins.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn revoke(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    app.staff.revoke_api_token(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
