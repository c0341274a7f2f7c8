//! SLA policies.

use super::created;
use crate::extract::{ApiJson, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use tiski_calendar::{NewSlaPolicy, SlaPolicyPatch, SlaPolicyView};
use tiski_kernel::Page;

/// Makes an SLA policy. Admins only.
#[utoipa::path(post, path = "/api/v1/sla-policies", tag = "calendars", request_body = NewSlaPolicy,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = SlaPolicyView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewSlaPolicy>,
) -> ApiResult<Response> {
    Ok(created(
        app.calendars
            .create_sla_policy(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// Every SLA policy, in the order they apply. Staff.
#[utoipa::path(get, path = "/api/v1/sla-policies", tag = "calendars",
    responses((status = 200, body = Page<SlaPolicyView>), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<Page<SlaPolicyView>>> {
    Ok(Json(app.calendars.list_sla_policies(&actor).await?))
}

/// One SLA policy. Staff.
#[utoipa::path(get, path = "/api/v1/sla-policies/{id}", tag = "calendars", params(("id" = i64, Path)),
    responses((status = 200, body = SlaPolicyView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
) -> ApiResult<Json<SlaPolicyView>> {
    Ok(Json(app.calendars.sla_policy(&actor, id).await?))
}

/// Changes an SLA policy. Admins only.
#[utoipa::path(patch, path = "/api/v1/sla-policies/{id}", tag = "calendars", params(("id" = i64, Path)), request_body = SlaPolicyPatch,
    responses((status = 200, body = SlaPolicyView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
    json: ApiJson<SlaPolicyPatch>,
) -> ApiResult<Json<SlaPolicyView>> {
    Ok(Json(
        app.calendars
            .update_sla_policy(&actor, id, json.body)
            .await?,
    ))
}
