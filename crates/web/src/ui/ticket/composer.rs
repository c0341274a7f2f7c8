//! The composer's endpoints behind the reply box: the draft saved as the agent types, files
//! staged for the reply (uploaded one by one, with progress, before it is sent), and the
//! check of `/words` that match no macro.
//!
//! They answer JSON or nothing for `app.js`; refusals are problems (RFC 9457) naming the
//! field at fault. The rules (limits, ownership, scope) are the ticketing context's.

use crate::extract::State as AppState;
use crate::problem::Problem;
use crate::ui::auth::Ui;
use crate::ui::form::{FormBody, QueryFields};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tiski_domain::MessageKind;
use tiski_kernel::AppError;
use tiski_ticketing::NewDraft;

/// The most `/words` one check looks up.
const MAX_SLASH_WORDS: usize = 10;

/// `PUT /ui/tickets/{id}/draft` (`kind`, `html`): saves the agent's draft; 204.
pub async fn draft_put(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> Response {
    let kind = match form.get("kind") {
        Some("note") => Some(MessageKind::Note),
        _ => Some(MessageKind::Reply),
    };
    let draft = NewDraft {
        kind,
        html: Some(form.get("html").unwrap_or("").to_string()),
        body: None,
    };
    match app.ticketing.save_draft(&ui.actor, id, draft).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// `DELETE /ui/tickets/{id}/draft`: discards the agent's draft and its staged files; 204.
pub async fn draft_delete(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> Response {
    match app.ticketing.delete_draft(&ui.actor, id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// `POST /ui/tickets/{id}/uploads?name=`: stages one file (the request body, its type in
/// `Content-Type`) for the agent's reply; answers the staged file as JSON (201). A body over
/// the per-file limit is refused as it streams in, without reading the rest.
pub async fn upload(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    QueryFields(query): QueryFields,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let limit = app.ticketing.limits().attachment_bytes;
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let error = AppError::invalid(
                "file",
                format!(
                    "An attachment may have at most {} MiB.",
                    limit / (1024 * 1024)
                ),
            );
            let mut response = Problem::from(error).into_response();
            *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return response;
        }
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_string())
        .filter(|v| !v.is_empty());
    let name = query.get("name").unwrap_or("");
    match app
        .ticketing
        .stage_file(&ui.actor, id, name, content_type.as_deref(), bytes.to_vec())
        .await
    {
        Ok(file) => {
            let size = super::size_label(&ui.tr, file.size);
            let mut value = serde_json::to_value(&file).unwrap_or_default();
            value["size_label"] = serde_json::Value::String(size);
            (StatusCode::CREATED, Json(value)).into_response()
        }
        Err(error) => Problem::from(error).into_response(),
    }
}

/// `DELETE /ui/uploads/{id}`: removes a file the agent staged; 204 (404 for anyone else's).
pub async fn unstage(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> Response {
    match app.ticketing.unstage_file(&ui.actor, id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => Problem::from(error).into_response(),
    }
}

/// `GET /ui/tickets/{id}/slash?w=…&w=…`: which of the `/words` left in a reply match no
/// macro the agent may use (title or text), as `{"unknown": [...]}`, so the composer can
/// mark them and ask before sending.
pub async fn slash_check(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    QueryFields(query): QueryFields,
) -> Response {
    let ticket = match app.ticketing.get_ticket(&ui.actor, id).await {
        Ok(ticket) => ticket,
        Err(error) => return Problem::from(error).into_response(),
    };
    let mut words: Vec<String> = query
        .all("w")
        .into_iter()
        .map(|w| w.trim().trim_start_matches('/').to_string())
        .filter(|w| !w.is_empty())
        .collect();
    words.dedup();
    if words.len() > MAX_SLASH_WORDS || words.iter().any(|w| w.chars().count() > 100) {
        let error = AppError::invalid(
            "w",
            format!("Give at most {MAX_SLASH_WORDS} words of up to 100 characters."),
        );
        return Problem::from(error).into_response();
    }
    let mut unknown = Vec::new();
    for word in words {
        match app
            .ticketing
            .list_macros(&ui.actor, Some(&word), ticket.language.as_deref())
            .await
        {
            Ok(found) if found.is_empty() => unknown.push(word),
            Ok(_) => {}
            Err(error) => return Problem::from(error).into_response(),
        }
    }
    Json(serde_json::json!({ "unknown": unknown })).into_response()
}
