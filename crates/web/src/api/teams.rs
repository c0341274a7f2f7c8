//! Teams and membership.

use super::created;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App, UserId};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use tiski_kernel::Page;
use tiski_staff::{NewTeam, TeamView};

/// Creates a team. Admins only.
#[utoipa::path(post, path = "/api/v1/teams", tag = "teams", request_body = NewTeam,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = TeamView), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewTeam>,
) -> ApiResult<Response> {
    Ok(created(
        app.staff
            .create_team(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// Lists all teams.
#[utoipa::path(get, path = "/api/v1/teams", tag = "teams", params(super::agents::Paging), responses((status = 200, body = Page<TeamView>)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(paging): ApiQuery<super::agents::Paging>,
) -> ApiResult<Json<Page<TeamView>>> {
    Ok(Json(
        app.staff
            .list_teams(&actor, paging.limit, paging.cursor)
            .await?,
    ))
}

/// Gets a team with its members.
#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path)), responses((status = 200, body = TeamView), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<TeamView>> {
    Ok(Json(app.staff.get_team(&actor, id).await?))
}

/// Adds a user to a team. Admins and the team's supervisors.
#[utoipa::path(put, path = "/api/v1/teams/{id}/members/{user_id}", tag = "teams", params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 200, body = TeamView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn add_member(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    UserId(user_id): UserId,
) -> ApiResult<Json<TeamView>> {
    Ok(Json(
        app.staff.set_team_member(&actor, id, user_id, true).await?,
    ))
}

/// Removes a user from a team. Admins and the team's supervisors.
#[utoipa::path(delete, path = "/api/v1/teams/{id}/members/{user_id}", tag = "teams", params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 200, body = TeamView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_member(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    UserId(user_id): UserId,
) -> ApiResult<Json<TeamView>> {
    Ok(Json(
        app.staff
            .set_team_member(&actor, id, user_id, false)
            .await?,
    ))
}
