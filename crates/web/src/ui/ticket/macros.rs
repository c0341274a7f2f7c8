//! Macros in the reply box: the search as the agent types, and a macro filled in for the
//! ticket.

use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::QueryFields;
use crate::ui::{Chrome, UiError, UiResult, html, status_label};
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::IntoResponse;

#[derive(Template)]
#[template(path = "macro_results.html")]
struct MacroResults {
    c: Chrome,
    id: i64,
    macros: Vec<MacroOption>,
}

/// A macro offered in the reply box.
pub struct MacroOption {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Language tag.
    pub language: String,
    /// The first words of the text.
    pub preview: String,
}

/// `GET /ui/tickets/{id}/macros?q=`: macros matching what the agent typed, those in the
/// ticket's language first.
pub async fn macro_search(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    QueryFields(query): QueryFields,
) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let ticket = app.ticketing.get_ticket(&ui.actor, id).await.map_err(err)?;
    let q = query
        .get("q")
        .map(|q| q.trim_start_matches('/').to_string());
    let macros = app
        .ticketing
        .list_macros(&ui.actor, q.as_deref(), ticket.language.as_deref())
        .await
        .map_err(err)?;
    let fragment = MacroResults {
        c: Chrome::new(&ui, "inbox", String::new()),
        id,
        macros: macros
            .into_iter()
            .take(8)
            .map(|m| MacroOption {
                id: m.id,
                title: m.title,
                language: m.language.unwrap_or_default(),
                preview: m.body.chars().take(90).collect(),
            })
            .collect(),
    };
    Ok(html(&fragment))
}

/// `GET /ui/tickets/{id}/macros/{macro_id}`: a macro filled in for this ticket, as JSON for
/// the reply box.
pub async fn macro_fill(
    State(app): State<AppState>,
    ui: Ui,
    Path((id, macro_id)): Path<(i64, i64)>,
) -> UiResult {
    let filled = app
        .ticketing
        .fill_macro(&ui.actor, macro_id, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let tr = &ui.tr;
    let mut effects = Vec::new();
    if let Some(status) = filled.set_status {
        effects.push(tr.ts("macro-effect-status", "status", &status_label(tr, status)));
    }
    if !filled.add_tags.is_empty() {
        effects.push(tr.ts("macro-effect-tags", "tags", &filled.add_tags.join(", ")));
    }
    if let Some(team) = filled.set_team_id {
        let teams = app
            .staff
            .list_teams(&ui.actor, Some(200), None)
            .await
            .map(|p| p.items)
            .unwrap_or_default();
        if let Some(team) = teams.iter().find(|t| t.id == team) {
            effects.push(tr.ts("macro-effect-team", "team", &team.name));
        }
    }
    let effects = if effects.is_empty() {
        String::new()
    } else {
        format!("{} {}", tr.t("macro-will"), effects.join(", "))
    };
    Ok(Json(serde_json::json!({
        "id": filled.id,
        "body": filled.body,
        "set_status": filled.set_status.map(|s| s.as_str()),
        "effects": effects,
        "add_tags": filled.add_tags.join(","),
        "set_team_id": filled.set_team_id,
    }))
    .into_response())
}
