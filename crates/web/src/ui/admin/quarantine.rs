//! The quarantine page: mail that could not be read, and the raw message as a download.

use super::require;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::{Chrome, UiError, UiResult, html};
use askama::Template;
use axum::extract::{Path, State};
use tiski_domain::Permission;

/// A quarantined message.
pub struct QuarantineRow {
    /// Id.
    pub id: i64,
    /// When it arrived.
    pub time: String,
    /// The mailbox's address.
    pub mailbox: String,
    /// `smtp`, `imap` or `api`.
    pub source: String,
    /// Why it was kept.
    pub reason: String,
    /// Sender, as far as readable.
    pub sender: String,
    /// Subject, as far as readable.
    pub subject: String,
    /// Size, readable.
    pub size: String,
}

#[derive(Template)]
#[template(path = "admin_quarantine.html")]
struct QuarantinePage {
    c: Chrome,
    rows: Vec<QuarantineRow>,
}

/// `GET /admin/quarantine`: mail that could not be read, newest first.
pub async fn quarantine(State(app): State<AppState>, ui: Ui) -> UiResult {
    require(&ui, Permission::QuarantineRead)?;
    let err = |e| UiError::from_app(&ui, e);
    let (items, boxes) = tokio::try_join!(
        app.email.list_quarantine(&ui.actor, Some(200)),
        app.email.list_mailboxes(&ui.actor),
    )
    .map_err(err)?;
    let rows = items
        .items
        .iter()
        .map(|q| QuarantineRow {
            id: q.id,
            time: ui
                .tr
                .locale
                .date_time(crate::ui::ticket::micros(&q.created_at), &ui.tr.zone),
            mailbox: q
                .mailbox_id
                .and_then(|id| boxes.items.iter().find(|m| m.id == id))
                .map(|m| m.address.clone())
                .unwrap_or_default(),
            source: q.source.clone(),
            reason: q.reason.clone(),
            sender: q.sender.clone().unwrap_or_default(),
            subject: q.subject.clone().unwrap_or_default(),
            size: crate::ui::ticket::size_label(&ui.tr, q.size),
        })
        .collect();
    let page = QuarantinePage {
        rows,
        c: Chrome::new(&ui, "admin", ui.tr.t("admin-quarantine")),
    };
    Ok(html(&page))
}

/// `GET /ui/quarantine/{id}/raw`: the message exactly as it arrived, as a download.
pub async fn quarantine_raw(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    require(&ui, Permission::QuarantineRead)?;
    let bytes = app
        .email
        .quarantine_raw(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    // Saved, never rendered: `attachment`, `message/rfc822`, `nosniff`, a sandboxing CSP.
    let response =
        crate::download::download(bytes, "message/rfc822", &format!("quarantine-{id}.eml"));
    Ok(crate::ui::no_store(response))
}
