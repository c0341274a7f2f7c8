//! Outgoing webhooks.

use super::agents::Paging;
use super::created;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use tiski_kernel::Page;
use tiski_webhooks::{DeliveryView, NewWebhook, WebhookView};

/// Registers a webhook. Admins only. The answer carries the signing secret, once.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = NewWebhook,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = WebhookView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewWebhook>,
) -> ApiResult<Response> {
    Ok(created(
        app.webhooks
            .create_webhook(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// Lists webhooks. Admins only.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks", params(super::agents::Paging), responses((status = 200, body = Page<WebhookView>), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(paging): ApiQuery<super::agents::Paging>,
) -> ApiResult<Json<Page<WebhookView>>> {
    Ok(Json(
        app.webhooks
            .list_webhooks(&actor, paging.limit, paging.cursor)
            .await?,
    ))
}

/// Removes a webhook. Admins only.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    app.webhooks.delete_webhook(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A webhook's deliveries with every attempt, newest first. Admins only.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", params(("id" = i64, Path), Paging),
    responses((status = 200, body = Page<DeliveryView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn deliveries(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Page<DeliveryView>>> {
    Ok(Json(
        app.webhooks
            .webhook_deliveries(&actor, id, paging.limit, paging.cursor)
            .await?,
    ))
}
