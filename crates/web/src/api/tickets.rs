//! Tickets, their messages and their history.

use super::agents::Paging;
use super::created;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App, parse_query};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::RawQuery;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use tiski_kernel::ErrorCode;
use tiski_kernel::{EventView, Page};
use tiski_knowledge::SearchType;
use tiski_ticketing::access::{Access, Surface};
use tiski_ticketing::{MessageView, NewMessage, NewTicket, TicketFilter, TicketPatch, TicketView};

/// Opens a ticket with its first message; finds or creates the requester.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "tickets", request_body = NewTicket,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = TicketView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewTicket>,
) -> ApiResult<Response> {
    Ok(created(
        app.ticketing
            .create_ticket(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// Lists the tickets the caller may see. With `q` (and optionally `limit`), searches them
/// instead and answers the ranked ticket hits of `/api/v1/search?type=ticket`.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets", params(TicketFilter), responses((status = 200, body = Page<TicketView>), (status = 422, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let query = query.unwrap_or_default();
    let searching = form_urlencoded::parse(query.as_bytes()).any(|(name, _)| name == "q");
    if searching {
        let mut params: super::search::SearchParams = parse_query(&query)?;
        if params.kind.is_some() {
            return Err(Problem::of(
                ErrorCode::InvalidQuery,
                "A ticket search searches tickets; use /api/v1/search for other kinds.",
            )
            .at("type"));
        }
        params.kind = Some(SearchType::Ticket);
        let results = app.knowledge.search(&actor, params.request()).await?;
        return Ok(Json(results).into_response());
    }
    let filter: TicketFilter = parse_query(&query)?;
    Ok(Json(app.ticketing.list_tickets(&actor, filter).await?).into_response())
}

/// Gets a ticket.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "tickets", params(("id" = i64, Path)), responses((status = 200, body = TicketView), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<TicketView>> {
    Ok(Json(app.ticketing.get_ticket(&actor, id).await?))
}

/// Changes a ticket's subject, status, priority, team, assignee or tags.
#[utoipa::path(patch, path = "/api/v1/tickets/{id}", tag = "tickets", params(("id" = i64, Path)), request_body = TicketPatch,
    responses((status = 200, body = TicketView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<TicketPatch>,
) -> ApiResult<Json<TicketView>> {
    Ok(Json(
        app.ticketing.update_ticket(&actor, id, json.body).await?,
    ))
}

/// Adds a reply or an internal note. A customer message on a closed ticket lands on a new
/// follow-up ticket, whose id the answer carries.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/messages", tag = "tickets", params(("id" = i64, Path),
    ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")), request_body = NewMessage,
    responses((status = 201, body = MessageView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_message(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<NewMessage>,
) -> ApiResult<Response> {
    Ok(created(
        app.ticketing
            .add_message(&actor, id, json.body, json.idempotency)
            .await?,
    ))
}

/// A ticket's messages, oldest first.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/messages", tag = "tickets", params(("id" = i64, Path), Paging),
    responses((status = 200, body = Page<MessageView>), (status = 404, body = Problem)))]
pub async fn list_messages(
    State(app): State<App>,
    Auth(actor): Auth,
    origin: crate::extract::Origin,
    Id(id): Id,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Page<MessageView>>> {
    let page = app
        .ticketing
        .list_messages(&actor, id, paging.limit, paging.cursor)
        .await?;
    let read = [Access::conversation(id)];
    crate::access::record(&app, &actor, Some(origin.client), Surface::Api, &read).await;
    Ok(Json(page))
}

/// A ticket's history, oldest first.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/events", tag = "tickets", params(("id" = i64, Path), Paging),
    responses((status = 200, body = Page<EventView>), (status = 404, body = Problem)))]
pub async fn events(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Page<EventView>>> {
    Ok(Json(
        app.ticketing
            .ticket_events(&actor, id, paging.limit, paging.cursor)
            .await?,
    ))
}
