//! The catalog, orders, refunds and approvals. Money is a decimal string with its currency.

use super::agents::Paging;
use super::created;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use tiski_commerce::{
    NewOrder, NewProduct, NewRefund, OrderFilter, OrderPatch, OrderView, ProductFilter,
    ProductPatch, ProductView, RefundView,
};
use tiski_kernel::Page;

/// The routes of this module, merged into `/api/v1`.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/products", get(list_products).post(create_product))
        .route("/products/{id}", get(get_product).patch(update_product))
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/{id}", get(get_order).patch(update_order))
        .route("/refunds", post(create_refund))
        .route("/refunds/{id}", get(get_refund))
        .route("/refunds/{id}/approve", post(approve_refund))
        .route("/refunds/{id}/reject", post(reject_refund))
        .route("/approvals", get(approvals))
}

/// Adds a product or service to the catalog. Admins only.
#[utoipa::path(post, path = "/api/v1/products", tag = "commerce", request_body = NewProduct,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = ProductView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_product(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewProduct>,
) -> ApiResult<Response> {
    Ok(created(
        app.commerce
            .create_product(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// The catalog in id order, or what `q` finds (a prefix of a SKU, a name or a word of one).
#[utoipa::path(get, path = "/api/v1/products", tag = "commerce", params(ProductFilter),
    responses((status = 200, body = Page<ProductView>), (status = 422, body = Problem)))]
pub async fn list_products(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(filter): ApiQuery<ProductFilter>,
) -> ApiResult<Json<Page<ProductView>>> {
    Ok(Json(app.commerce.list_products(&actor, filter).await?))
}

/// A product.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "commerce", params(("id" = i64, Path)),
    responses((status = 200, body = ProductView), (status = 404, body = Problem)))]
pub async fn get_product(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<ProductView>> {
    Ok(Json(app.commerce.get_product(&actor, id).await?))
}

/// Changes a product. Admins only.
#[utoipa::path(patch, path = "/api/v1/products/{id}", tag = "commerce", params(("id" = i64, Path)), request_body = ProductPatch,
    responses((status = 200, body = ProductView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_product(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<ProductPatch>,
) -> ApiResult<Json<ProductView>> {
    Ok(Json(
        app.commerce.update_product(&actor, id, json.body).await?,
    ))
}

/// Takes an order: prices fixed now, VAT per line, the promised date from the lead times.
#[utoipa::path(post, path = "/api/v1/orders", tag = "commerce", request_body = NewOrder,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = OrderView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_order(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewOrder>,
) -> ApiResult<Response> {
    Ok(created(
        app.commerce
            .create_order(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// Orders newest first: of a customer or ticket, or the caller's own (admins: all).
#[utoipa::path(get, path = "/api/v1/orders", tag = "commerce", params(OrderFilter),
    responses((status = 200, body = Page<OrderView>), (status = 422, body = Problem)))]
pub async fn list_orders(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(filter): ApiQuery<OrderFilter>,
) -> ApiResult<Json<Page<OrderView>>> {
    Ok(Json(app.commerce.list_orders(&actor, filter).await?))
}

/// An order.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "commerce", params(("id" = i64, Path)),
    responses((status = 200, body = OrderView), (status = 404, body = Problem)))]
pub async fn get_order(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(app.commerce.get_order(&actor, id).await?))
}

/// Moves an order along its lifecycle, or changes its lines (drafts) or its ticket.
#[utoipa::path(patch, path = "/api/v1/orders/{id}", tag = "commerce", params(("id" = i64, Path)), request_body = OrderPatch,
    responses((status = 200, body = OrderView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_order(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<OrderPatch>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(
        app.commerce.update_order(&actor, id, json.body).await?,
    ))
}

/// Asks for a refund: `approved` within the caller's limit, `requested` beyond it.
#[utoipa::path(post, path = "/api/v1/refunds", tag = "commerce", request_body = NewRefund,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = RefundView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_refund(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewRefund>,
) -> ApiResult<Response> {
    Ok(created(
        app.commerce
            .create_refund(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// A refund: for its requester and approvers.
#[utoipa::path(get, path = "/api/v1/refunds/{id}", tag = "commerce", params(("id" = i64, Path)),
    responses((status = 200, body = RefundView), (status = 404, body = Problem)))]
pub async fn get_refund(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<RefundView>> {
    Ok(Json(app.commerce.get_refund(&actor, id).await?))
}

/// Approves a waiting refund. Approvers whose limit covers it.
#[utoipa::path(post, path = "/api/v1/refunds/{id}/approve", tag = "commerce", params(("id" = i64, Path)),
    responses((status = 200, body = RefundView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn approve_refund(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<RefundView>> {
    Ok(Json(app.commerce.decide_refund(&actor, id, true).await?))
}

/// Rejects a waiting refund. Approvers whose limit covers it.
#[utoipa::path(post, path = "/api/v1/refunds/{id}/reject", tag = "commerce", params(("id" = i64, Path)),
    responses((status = 200, body = RefundView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reject_refund(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<RefundView>> {
    Ok(Json(app.commerce.decide_refund(&actor, id, false).await?))
}

/// Refunds waiting for an approver that the caller's limit covers, oldest first.
#[utoipa::path(get, path = "/api/v1/approvals", tag = "commerce", params(Paging),
    responses((status = 200, body = Page<RefundView>), (status = 403, body = Problem)))]
pub async fn approvals(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Page<RefundView>>> {
    Ok(Json(
        app.commerce
            .approvals(&actor, paging.limit, paging.cursor)
            .await?,
    ))
}
