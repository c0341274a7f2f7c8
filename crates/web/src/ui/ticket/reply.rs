//! The reply box: a public reply or an internal note, with the changes chosen with it.

use super::properties::properties_html;
use super::timeline::timeline_html;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::{Fields, FormBody};
use crate::ui::{UiError, UiResult};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse};
use tiski_domain::{AuthorKind, MessageKind, Status};
use tiski_ticketing::{NewMessage, TicketPatch};

/// The changes a reply carries from the form (a macro's or the agent's choice).
fn after_send(form: &Fields) -> TicketPatch {
    let tags: Vec<String> = tiski_domain::Tag::split(form.get("add_tags").unwrap_or(""))
        .map(str::to_string)
        .collect();
    TicketPatch {
        status: form.get("set_status").and_then(|s| Status::parse(s).ok()),
        add_tags: (!tags.is_empty()).then_some(tags),
        team_id: form.id("set_team_id").map(Some),
        ..TicketPatch::default()
    }
}

/// `POST /ui/tickets/{id}/messages`: a public reply or an internal note, then the changes
/// chosen with it; answers the timeline, and the properties panel out of band.
pub async fn reply(
    State(app): State<AppState>,
    axum::Extension(state): axum::Extension<crate::ui::UiState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let body = form.get("body").unwrap_or("").to_string();
    if body.trim().is_empty() {
        return Err(UiError::new(
            &ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "reply-empty",
        ));
    }
    let kind = if form.get("kind") == Some("note") {
        MessageKind::Note
    } else {
        MessageKind::Reply
    };
    app.ticketing
        .add_message(
            &ui.actor,
            id,
            NewMessage {
                body,
                html: None,
                kind: Some(kind),
                author: Some(AuthorKind::Agent),
                channel: None,
                attachments: Vec::new(),
            },
            None,
        )
        .await
        .map_err(err)?;
    state.presence.stop_typing(id, ui.actor.id);
    let patch = after_send(&form);
    let mut notice = crate::ui::flash(
        "ok",
        &ui.tr.t(if kind == MessageKind::Note {
            "note-sent"
        } else {
            "reply-sent"
        }),
    );
    if (patch.status.is_some() || patch.add_tags.is_some() || patch.team_id.is_some())
        && let Err(error) = app.ticketing.update_ticket(&ui.actor, id, patch).await
    {
        notice = crate::ui::flash("error", &UiError::from_app(&ui, error).message);
    }
    let (mut body, loaded) = timeline_html(&app, &ui, id).await.map_err(err)?;
    body.push_str(&properties_html(&ui, &loaded).replacen(
        "<section id=\"props\"",
        "<section id=\"props\" hx-swap-oob=\"true\"",
        1,
    ));
    body.push_str(&format!(
        "<div id=\"flash\" hx-swap-oob=\"innerHTML\">{notice}</div>"
    ));
    let mut response = Html(body).into_response();
    response
        .headers_mut()
        .insert("hx-trigger", HeaderValue::from_static("tiski:sent"));
    Ok(response)
}
