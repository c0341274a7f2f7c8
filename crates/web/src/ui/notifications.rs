//! The bell: the unread count, the list of the reader's notifications (a click opens the
//! ticket and marks it read, "mark all read"), their preferences on the settings page, and
//! the ticket page's "Ask for help" and the colleagues a note may mention.

use super::auth::Ui;
use super::form::FormBody;
use super::{UiError, UiResult, html, redirect};
use crate::extract::State as AppState;
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::response::IntoResponse;
use std::collections::HashMap;
use tiski_domain::NotificationKind;
use tiski_notify::{NotificationView, Preference, PreferenceChange, ReadRequest};

/// How many notifications the bell's list shows.
const LIST_SIZE: i64 = 20;

/// The sentence of a notification: who did what, on which ticket.
pub fn sentence(
    tr: &super::i18n::Tr,
    kind: NotificationKind,
    actor: &str,
    ticket: Option<i64>,
) -> String {
    let actor = if actor.is_empty() {
        tr.t("actor-staff")
    } else {
        actor.to_string()
    };
    let ticket = ticket.map(|t| format!("#{t}")).unwrap_or_default();
    tr.targs(
        &format!("notify-{}", kind.as_str().replace('_', "-")),
        &[("actor", &actor), ("ticket", &ticket)],
    )
}

/// One line of the bell's list.
struct Line {
    id: i64,
    text: String,
    when: String,
    when_iso: String,
    read: bool,
}

#[derive(Template)]
#[template(path = "notify_list.html")]
struct List {
    c: super::Chrome,
    lines: Vec<Line>,
    unread: i64,
}

fn lines(ui: &Ui, items: Vec<NotificationView>, names: &HashMap<i64, String>) -> Vec<Line> {
    items
        .into_iter()
        .map(|n| {
            let actor = n
                .actor_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default();
            let actor = match n.kind {
                NotificationKind::CustomerReplied => ui.tr.t("notify-the-customer"),
                _ => actor,
            };
            Line {
                id: n.id,
                text: sentence(&ui.tr, n.kind, &actor, n.ticket_id),
                when: ui.tr.ago(&n.created_at),
                when_iso: n.created_at,
                read: n.read,
            }
        })
        .collect()
}

async fn list_html(app: &AppState, ui: &Ui) -> UiResult {
    let err = |e| UiError::from_app(ui, e);
    let page = app
        .notify
        .list(&ui.actor, Some(LIST_SIZE), None)
        .await
        .map_err(err)?;
    let names = app.staff.staff_names(&ui.actor).await.map_err(err)?;
    let list = List {
        c: super::Chrome::new(ui, "", String::new()),
        lines: lines(ui, page.items, &names),
        unread: page.unread,
    };
    Ok(html(&list))
}

/// `GET /ui/notifications`: the bell's list, newest first.
pub async fn list(State(app): State<AppState>, ui: Ui) -> UiResult {
    list_html(&app, &ui).await
}

/// `GET /ui/notifications/count`: `{"unread": n}` for the bell and the tab title.
pub async fn count(State(app): State<AppState>, ui: Ui) -> UiResult {
    let unread = app
        .notify
        .unread(&ui.actor)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(Json(serde_json::json!({ "unread": unread })).into_response())
}

/// `POST /ui/notifications/{id}/open`: marks it read and opens its ticket.
pub async fn open(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let ticket = app
        .notify
        .open(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(
        &ui,
        &ticket.map_or("/inbox".to_string(), |t| format!("/tickets/{t}")),
    ))
}

/// `POST /ui/notifications/read-all`: marks every one read; answers the list again.
pub async fn read_all(State(app): State<AppState>, ui: Ui) -> UiResult {
    let request = ReadRequest {
        ids: None,
        all: Some(true),
    };
    app.notify
        .mark_read(&ui.actor, request)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    list_html(&app, &ui).await
}

/// One kind's row of the preferences form.
struct PrefRow {
    kind: &'static str,
    label: String,
    in_app: bool,
    browser: bool,
    email: bool,
}

#[derive(Template)]
#[template(path = "notify_settings.html")]
struct Settings {
    c: super::Chrome,
    rows: Vec<PrefRow>,
    saved: bool,
}

fn settings_html(ui: &Ui, preferences: Vec<Preference>, saved: bool) -> UiResult {
    let rows = preferences
        .into_iter()
        // Nothing makes "SLA at risk" yet; it is offered when something does.
        .filter(|p| p.kind != NotificationKind::SlaAtRisk)
        .map(|p| PrefRow {
            kind: p.kind.as_str(),
            label: ui.tr.t(&format!(
                "notify-kind-{}",
                p.kind.as_str().replace('_', "-")
            )),
            in_app: p.in_app,
            browser: p.browser,
            email: p.email,
        })
        .collect();
    Ok(html(&Settings {
        c: super::Chrome::new(ui, "settings", String::new()),
        rows,
        saved,
    }))
}

/// `GET /ui/settings/notifications`: the preferences section of the settings page.
pub async fn settings(State(app): State<AppState>, ui: Ui) -> UiResult {
    let preferences = app
        .notify
        .preferences(&ui.actor)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    settings_html(&ui, preferences, false)
}

/// `POST /ui/settings/notifications`: `app-<kind>`, `browser-<kind>` and `email-<kind>`
/// checkboxes.
pub async fn save_settings(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    let changes = NotificationKind::ALL
        .iter()
        .filter(|k| **k != NotificationKind::SlaAtRisk)
        .map(|kind| PreferenceChange {
            kind: *kind,
            in_app: form.checked(&format!("app-{kind}")),
            browser: form.checked(&format!("browser-{kind}")),
            email: Some(form.checked(&format!("email-{kind}"))),
        })
        .collect();
    let preferences = app
        .notify
        .set_preferences(&ui.actor, changes)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    settings_html(&ui, preferences, true)
}

/// `GET /ui/tickets/{id}/mentionable`: `[{"id", "name", "handle"}]` for the note composer.
pub async fn mentionable(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let people = app
        .notify
        .mentionable(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(Json(people).into_response())
}

/// `POST /ui/tickets/{id}/help`: `colleague_id` and `request`; the timeline refreshes.
pub async fn ask_for_help(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let Some(colleague) = form.id("colleague_id") else {
        return Err(err(tiski_kernel::AppError::invalid(
            "colleague_id",
            ui.tr.t("help-choose-colleague"),
        )));
    };
    app.notify
        .ask_for_help(&ui.actor, id, colleague, form.get("request").unwrap_or(""))
        .await
        .map_err(err)?;
    let mut response = super::Html(super::flash("success", &ui.tr.t("help-sent"))).into_response();
    let headers = response.headers_mut();
    headers.insert("hx-trigger", HeaderValue::from_static("tiski:changed"));
    headers.insert("hx-retarget", HeaderValue::from_static("#flash"));
    headers.insert("hx-reswap", HeaderValue::from_static("innerHTML"));
    Ok(response)
}

#[derive(Template)]
#[template(path = "notify_help.html")]
struct HelpPanel {
    c: super::Chrome,
    ticket_id: i64,
    colleagues: Vec<tiski_notify::Mentionable>,
}

/// `GET /ui/tickets/{id}/help`: the "Ask for help" panel of the ticket page, offering the
/// colleagues who may see the ticket.
pub async fn help_panel(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let colleagues = app
        .notify
        .mentionable(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(html(&HelpPanel {
        c: super::Chrome::new(&ui, "", String::new()),
        ticket_id: id,
        colleagues,
    }))
}
