//! The presence switcher in the top bar: the agent's own status, changed in one choice.

use super::auth::Ui;
use super::form::FormBody;
use super::{UiError, UiResult, html};
use crate::extract::State as AppState;
use askama::Template;
use axum::extract::State;
use tiski_domain::routing::PresenceStatus;

/// One status to choose.
struct Choice {
    value: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "presence_switch.html")]
struct Switch {
    c: super::Chrome,
    current: &'static str,
    options: Vec<Choice>,
}

fn render(ui: &Ui, status: PresenceStatus) -> UiResult {
    let options = PresenceStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str(),
            label: ui.tr.t(&format!("presence-{}", s.as_str())),
        })
        .collect();
    Ok(html(&Switch {
        c: super::Chrome::new(ui, "", String::new()),
        current: status.as_str(),
        options,
    }))
}

/// `GET /ui/presence`: the switcher with the agent's status.
pub async fn get(State(app): State<AppState>, ui: Ui) -> UiResult {
    let presence = app
        .routing
        .presence(&ui.actor, ui.actor.id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    render(&ui, presence.status)
}

/// `POST /ui/presence` (`status`): sets the agent's own status.
pub async fn set(State(app): State<AppState>, ui: Ui, FormBody(form): FormBody) -> UiResult {
    let status = PresenceStatus::parse(form.get("status").unwrap_or_default()).map_err(|e| {
        UiError::from_app(&ui, tiski_kernel::AppError::invalid("status", e.message))
    })?;
    let presence = app
        .routing
        .set_presence(&ui.actor, ui.actor.id, status)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    render(&ui, presence.status)
}
