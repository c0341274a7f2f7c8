//! Staff users.

use super::created;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tiski_kernel::Page;
use tiski_staff::{AgentPatch, AgentView, NewAgent};

/// Paging of a list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Creates a staff user. Admins only.
#[utoipa::path(post, path = "/api/v1/agents", tag = "agents", request_body = NewAgent,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = AgentView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewAgent>,
) -> ApiResult<Response> {
    Ok(created(
        app.staff
            .create_agent(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// Lists the staff the caller may see.
#[utoipa::path(get, path = "/api/v1/agents", tag = "agents", params(Paging), responses((status = 200, body = Page<AgentView>)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Page<AgentView>>> {
    Ok(Json(
        app.staff
            .list_agents(&actor, paging.limit, paging.cursor)
            .await?,
    ))
}

/// Gets a staff user.
#[utoipa::path(get, path = "/api/v1/agents/{id}", tag = "agents", params(("id" = i64, Path)), responses((status = 200, body = AgentView), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<AgentView>> {
    Ok(Json(app.staff.get_agent(&actor, id).await?))
}

/// Changes a staff user. Admins only.
#[utoipa::path(patch, path = "/api/v1/agents/{id}", tag = "agents", params(("id" = i64, Path)), request_body = AgentPatch,
    responses((status = 200, body = AgentView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<AgentPatch>,
) -> ApiResult<Json<AgentView>> {
    Ok(Json(app.staff.update_agent(&actor, id, json.body).await?))
}

/// Turns a user's two-factor sign-in off (a lost device): they sign in with their password
/// and, where their role requires it, enrol again. Admins only.
#[utoipa::path(delete, path = "/api/v1/agents/{id}/two-factor", tag = "agents", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn reset_two_factor(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<axum::http::StatusCode> {
    app.staff.reset_two_factor(&actor, id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
