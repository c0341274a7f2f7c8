//! Replies that reach the customer: forwarding to outside addresses, and taking a reply back
//! in its undo window.

use super::created;
use crate::extract::{ApiJson, Auth, Id, MessageId, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use tiski_ticketing::{MessageView, NewForward};

/// Forwards one message (`message_id`) or the whole public conversation to addresses outside
/// the ticket, through the ticket's mailbox (else its team's, else the default one). Answers
/// the internal note that records it, with its `delivery`. No mailbox: 422
/// `unreachable_requester`.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/forward", tag = "tickets", params(("id" = i64, Path),
    ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")), request_body = NewForward,
    responses((status = 201, body = MessageView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn forward(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<NewForward>,
) -> ApiResult<Response> {
    Ok(created(
        app.ticketing
            .forward(&actor, id, json.body, json.idempotency)
            .await?,
    ))
}

/// Takes back the caller's public reply sent with `"undo_window": true` while it waits in
/// its window (its `undo_until`): the reply and its mail are deleted and answered as they
/// were. Afterwards: 409 `undo_window_over`; someone else's reply: 403.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/messages/{message_id}/undo", tag = "tickets",
    params(("id" = i64, Path), ("message_id" = i64, Path)),
    responses((status = 200, body = MessageView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn undo(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    MessageId(message_id): MessageId,
) -> ApiResult<Json<MessageView>> {
    Ok(Json(
        app.ticketing.undo_reply(&actor, id, message_id).await?,
    ))
}
