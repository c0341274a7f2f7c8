//! The customer's rights: export and erasure of a customer, and the retention dry run.

use crate::access::record;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tiski_ticketing::access::{Access, AccessAction, Surface};
use tiski_ticketing::privacy::{EraseRequest, ErasureOutcome, RetentionPreview};

/// Exports everything about a customer as one `.tar.gz`: `customer.json` (record, tickets,
/// CCs, messages) and `files/{attachment id}/{name}` (admins).
#[utoipa::path(get, path = "/api/v1/customers/{id}/export", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, description = "application/gzip: a tar archive"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export(
    State(app): State<App>,
    Auth(actor): Auth,
    origin: crate::extract::Origin,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Response> {
    let (name, bytes) = app.ticketing.export_customer(&actor, id).await?;
    let read = [Access::customer(AccessAction::CustomerExport, id)];
    record(&app, &actor, Some(origin.client), Surface::Api, &read).await;
    Ok(crate::download::download(bytes, "application/gzip", &name))
}

/// Erases a customer; `confirm` repeats their id. Their tickets stay as anonymised
/// skeletons (admins).
#[utoipa::path(post, path = "/api/v1/customers/{id}/erase", tag = "customers", params(("id" = i64, Path)), request_body = EraseRequest,
    responses((status = 200, body = ErasureOutcome), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn erase(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<EraseRequest>,
) -> ApiResult<Json<ErasureOutcome>> {
    Ok(Json(
        app.ticketing.erase_customer(&actor, id, json.body).await?,
    ))
}

/// The months to count for.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RetentionQuery {
    /// Months after closing (1–1200); the setting when absent.
    pub months: Option<u32>,
}

/// The retention policy and how many closed tickets it would erase now: the dry run before
/// an operator turns it on (admins).
#[utoipa::path(get, path = "/api/v1/retention", tag = "customers", params(RetentionQuery),
    responses((status = 200, body = RetentionPreview), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn retention(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<RetentionQuery>,
) -> ApiResult<Json<RetentionPreview>> {
    Ok(Json(
        app.ticketing
            .retention_preview(&actor, query.months)
            .await?,
    ))
}
