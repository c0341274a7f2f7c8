//! Attachments: a file of a message, as a download or (a bounded image, a PDF) shown in the
//! browser; and the inline parts an HTML mail refers to by Content-ID.

use crate::download::{download, preview};
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::QueryFields;
use crate::ui::{UiError, UiResult};
use axum::extract::{Path, State};
use tiski_ticketing::access::{Access, Surface};

/// `GET /ui/attachments/{id}`: a file of a message on a ticket the reader sees, as a download;
/// with `?view=1`, shown in the browser when it is an image small enough or a PDF.
pub async fn attachment(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    QueryFields(query): QueryFields,
) -> UiResult {
    let (view, bytes) = app
        .ticketing
        .attachment(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let read = [Access::download(view.message_id)];
    crate::access::record(&app, &ui.actor, ui.client.clone(), Surface::Ui, &read).await;
    let name = view
        .filename
        .clone()
        .unwrap_or_else(|| format!("attachment-{id}"));
    Ok(if query.get("view") == Some("1") {
        preview(bytes, &view.content_type, &name)
    } else {
        download(bytes, &view.content_type, &name)
    })
}

/// `GET /ui/messages/{id}/cid/{content_id}`: the inline part of a message its HTML shows as
/// `cid:` (only that message's own parts; a ticket the reader does not see answers 404).
pub async fn inline_part(
    State(app): State<AppState>,
    ui: Ui,
    Path((id, content_id)): Path<(i64, String)>,
) -> UiResult {
    let (view, bytes) = app
        .ticketing
        .inline_part(&ui.actor, id, &content_id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let read = [Access::download(view.message_id)];
    crate::access::record(&app, &ui.actor, ui.client.clone(), Surface::Ui, &read).await;
    let name = view
        .filename
        .clone()
        .unwrap_or_else(|| format!("inline-{}", view.id));
    Ok(preview(bytes, &view.content_type, &name))
}
