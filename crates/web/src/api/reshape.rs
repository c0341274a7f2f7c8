//! Reshaping work: merge tickets, merge duplicate customers, split a message off.

use crate::extract::{ApiJson, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use tiski_ticketing::{CustomerView, MergeCustomer, MergeTicket, SplitMessage, TicketView};

/// Merges a ticket into another: its messages, files and CCs move to the survivor, tags are
/// united, and it is closed with `merged_into` pointing at the survivor. Answers the survivor.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/merge", tag = "tickets", params(("id" = i64, Path)), request_body = MergeTicket,
    responses((status = 200, body = TicketView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn merge_ticket(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<MergeTicket>,
) -> ApiResult<Json<TicketView>> {
    Ok(Json(
        app.ticketing.merge_ticket(&actor, id, json.body).await?,
    ))
}

/// Merges a duplicate customer into another: identities, tickets and notes move to the
/// survivor; the duplicate is marked `merged_into`. Answers the survivor.
#[utoipa::path(post, path = "/api/v1/customers/{id}/merge", tag = "customers", params(("id" = i64, Path)), request_body = MergeCustomer,
    responses((status = 200, body = CustomerView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn merge_customer(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<MergeCustomer>,
) -> ApiResult<Json<CustomerView>> {
    Ok(Json(
        app.ticketing.merge_customer(&actor, id, json.body).await?,
    ))
}

/// Splits a message (with its files) off its ticket into a new ticket linked by
/// `split_from`. Answers the new ticket.
#[utoipa::path(post, path = "/api/v1/messages/{id}/split", tag = "tickets", params(("id" = i64, Path)), request_body = SplitMessage,
    responses((status = 201, body = TicketView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn split_message(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<SplitMessage>,
) -> ApiResult<(axum::http::StatusCode, Json<TicketView>)> {
    Ok((
        axum::http::StatusCode::CREATED,
        Json(app.ticketing.split_message(&actor, id, json.body).await?),
    ))
}
