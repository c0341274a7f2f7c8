//! Attachments: a file of a message, as a download.

use crate::download::download;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::{UiError, UiResult};
use axum::extract::{Path, State};
use tiski_ticketing::access::{Access, Surface};

/// `GET /ui/attachments/{id}`: a file of a message on a ticket the reader sees, as a download.
pub async fn attachment(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
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
    Ok(download(bytes, &view.content_type, &name))
}
