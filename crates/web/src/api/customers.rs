//! Customers.

use super::created;
use crate::access::record;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tiski_kernel::Page;
use tiski_ticketing::access::{Access, AccessAction, Surface};
use tiski_ticketing::{CustomerPatch, CustomerView, NewCustomer};

/// Search and paging of the customer list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Matches name, email, phone or organization.
    pub q: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Creates a customer.
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = NewCustomer,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = CustomerView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewCustomer>,
) -> ApiResult<Response> {
    Ok(created(
        app.ticketing
            .create_customer(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// Lists the customers the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(CustomerQuery), responses((status = 200, body = Page<CustomerView>)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    origin: crate::extract::Origin,
    ApiQuery(query): ApiQuery<CustomerQuery>,
) -> ApiResult<Json<Page<CustomerView>>> {
    let page = app
        .ticketing
        .list_customers(&actor, query.q, query.limit, query.cursor)
        .await?;
    let shown: Vec<Access> = page
        .items
        .iter()
        .map(|c| Access::customer(AccessAction::CustomerList, c.id))
        .collect();
    record(&app, &actor, Some(origin.client), Surface::Api, &shown).await;
    Ok(Json(page))
}

/// Gets a customer with their tickets.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)), responses((status = 200, body = CustomerView), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    origin: crate::extract::Origin,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<CustomerView>> {
    let customer = app.ticketing.get_customer(&actor, id).await?;
    let read = [Access::customer(AccessAction::CustomerRead, id)];
    record(&app, &actor, Some(origin.client), Surface::Api, &read).await;
    Ok(Json(customer))
}

/// Changes a customer.
#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)), request_body = CustomerPatch,
    responses((status = 200, body = CustomerView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<CustomerPatch>,
) -> ApiResult<Json<CustomerView>> {
    Ok(Json(
        app.ticketing.update_customer(&actor, id, json.body).await?,
    ))
}
