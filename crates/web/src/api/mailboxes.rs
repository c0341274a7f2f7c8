//! Mailboxes, raw inbound mail, the quarantine, and attachment downloads.

use super::agents::Paging;
use super::created;
use crate::download::download;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tiski_email::{
    EmailSource, IngestOutcome, MailboxPatch, MailboxView, NewMailbox, QuarantineView,
};
use tiski_kernel::ErrorCode;
use tiski_kernel::Page;

/// Creates a mailbox. Admins only. IMAP and SMTP passwords are stored encrypted and never shown.
#[utoipa::path(post, path = "/api/v1/mailboxes", tag = "email", request_body = NewMailbox,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    responses((status = 201, body = MailboxView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewMailbox>,
) -> ApiResult<Response> {
    Ok(created(
        app.email
            .create_mailbox(&actor, json.body, json.idempotency)
            .await?,
    ))
}

/// Lists mailboxes. Admins only.
#[utoipa::path(get, path = "/api/v1/mailboxes", tag = "email", responses((status = 200, body = Page<MailboxView>), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<Page<MailboxView>>> {
    Ok(Json(app.email.list_mailboxes(&actor).await?))
}

/// Gets a mailbox. Admins only.
#[utoipa::path(get, path = "/api/v1/mailboxes/{id}", tag = "email", params(("id" = i64, Path)),
    responses((status = 200, body = MailboxView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
) -> ApiResult<Json<MailboxView>> {
    Ok(Json(app.email.get_mailbox(&actor, id).await?))
}

/// Changes a mailbox. Admins only.
#[utoipa::path(patch, path = "/api/v1/mailboxes/{id}", tag = "email", params(("id" = i64, Path)), request_body = MailboxPatch,
    responses((status = 200, body = MailboxView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
    json: ApiJson<MailboxPatch>,
) -> ApiResult<Json<MailboxView>> {
    Ok(Json(app.email.update_mailbox(&actor, id, json.body).await?))
}

/// Ingests one raw RFC 5322 message for this mailbox (for piping from an MTA). Admins only.
/// 201 when a ticket or message was made, 200 for a duplicate, a bounce or a quarantined
/// message (kept raw with the reason). The answer comes after the message is committed.
#[utoipa::path(post, path = "/api/v1/mailboxes/{id}/raw", tag = "email", params(("id" = i64, Path)),
    request_body(content = String, content_type = "message/rfc822"),
    responses((status = 201, body = IngestOutcome), (status = 200, body = IngestOutcome), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem)))]
pub async fn raw(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
    body: Bytes,
) -> ApiResult<Response> {
    if body.is_empty() {
        return Err(Problem::of(
            ErrorCode::InvalidField,
            "The body must be an RFC 5322 message.",
        )
        .at("body"));
    }
    let outcome = app
        .email
        .ingest_email(&actor, id, body.to_vec(), EmailSource::Api)
        .await?;
    let status = match outcome {
        IngestOutcome::Created { .. }
        | IngestOutcome::Added { .. }
        | IngestOutcome::FollowUp { .. } => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    Ok((status, Json(outcome)).into_response())
}

/// Quarantined inbound mail, newest first. Admins only.
#[utoipa::path(get, path = "/api/v1/quarantine", tag = "email", params(Paging), responses((status = 200, body = Page<QuarantineView>), (status = 403, body = Problem)))]
pub async fn quarantine(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Page<QuarantineView>>> {
    if paging.cursor.is_some() {
        return Err(Problem::of(
            ErrorCode::InvalidQuery,
            "The quarantine list has one page; leave out cursor.",
        )
        .at("cursor"));
    }
    Ok(Json(app.email.list_quarantine(&actor, paging.limit).await?))
}

/// The raw bytes of a quarantined message, as `message/rfc822`. Admins only.
#[utoipa::path(get, path = "/api/v1/quarantine/{id}/raw", tag = "email", params(("id" = i64, Path)),
    responses((status = 200, content_type = "message/rfc822", body = String), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn quarantine_raw(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
) -> ApiResult<Response> {
    let bytes = app.email.quarantine_raw(&actor, id).await?;
    Ok(download(
        bytes,
        "message/rfc822",
        &format!("quarantine-{id}.eml"),
    ))
}

/// Downloads an attachment of a message on a ticket the caller may see.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "email", params(("id" = i64, Path)),
    responses((status = 200, description = "The file"), (status = 404, body = Problem)))]
pub async fn attachment(
    State(app): State<App>,
    Auth(actor): Auth,
    origin: crate::extract::Origin,
    Id(id): Id,
    _query: NoQuery,
) -> ApiResult<Response> {
    let (view, bytes) = app.ticketing.attachment(&actor, id).await?;
    let read = [tiski_ticketing::access::Access::download(view.message_id)];
    let api = tiski_ticketing::access::Surface::Api;
    crate::access::record(&app, &actor, Some(origin.client), api, &read).await;
    let name = view
        .filename
        .clone()
        .unwrap_or_else(|| format!("attachment-{id}"));
    Ok(download(bytes, &view.content_type, &name))
}
