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

/// The addresses typed in a recipient field (commas, semicolons or spaces between them).
fn address_list(form: &Fields, name: &str) -> Vec<String> {
    form.get(name)
        .unwrap_or("")
        .split([',', ';', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}

/// A recipient field as the agent left it: `None` when it still holds what the page offered
/// (the requester, the ticket's CCs), so the channel's defaults (with names) apply.
fn chosen(form: &Fields, name: &str) -> Option<Vec<String>> {
    let given = address_list(form, name);
    let offered = address_list(form, &format!("{name}_offered"));
    (given != offered).then_some(given)
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
    // The composer sends `html` (its text part is derived on the server) and the ids of the
    // files staged for the reply; a plain form sends `body`.
    let html = form.get("html").filter(|h| !h.trim().is_empty());
    let body = match html {
        Some(_) => String::new(),
        None => form.get("body").unwrap_or("").to_string(),
    };
    let staged: Vec<i64> = form
        .all("staged")
        .iter()
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    if html.is_none() && body.trim().is_empty() {
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
    let public = kind == MessageKind::Reply;
    let bcc = address_list(&form, "bcc");
    app.ticketing
        .send_composed(
            &ui.actor,
            id,
            NewMessage {
                body,
                html: html.map(str::to_string),
                kind: Some(kind),
                author: Some(AuthorKind::Agent),
                channel: None,
                attachments: Vec::new(),
                to: chosen(&form, "to").filter(|_| public),
                cc: chosen(&form, "cc").filter(|_| public),
                bcc: (public && !bcc.is_empty()).then_some(bcc),
                // A reply from the workspace waits out the undo window before it is queued.
                undo_window: Some(public),
            },
            staged,
        )
        .await
        .map_err(err)?;
    state.presence.stop_typing(id, ui.actor.id);
    let patch = after_send(&form);
    let window = app.settings().undo_send_window.as_secs();
    let mut notice = crate::ui::flash(
        "ok",
        &match kind {
            MessageKind::Note => ui.tr.t("note-sent"),
            _ if window > 0 => {
                ui.tr
                    .tn("reply-held", "n", i64::try_from(window).unwrap_or(i64::MAX))
            }
            _ => ui.tr.t("reply-sent"),
        },
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
