//! The teams page: every team with its members, and the form that creates a team.

use super::require;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::FormBody;
use crate::ui::{Chrome, UiError, UiResult, html, redirect};
use askama::Template;
use axum::extract::State;
use tiski_domain::Permission;
use tiski_staff::NewTeam;

/// A team row.
pub struct TeamRow {
    /// Name.
    pub name: String,
    /// Members, readable.
    pub members: String,
    /// Member count.
    pub count: String,
}

#[derive(Template)]
#[template(path = "admin_teams.html")]
struct TeamsPage {
    c: Chrome,
    rows: Vec<TeamRow>,
}

/// `GET /admin/teams`.
pub async fn teams(State(app): State<AppState>, ui: Ui) -> UiResult {
    require(&ui, Permission::TeamCreate)?;
    let err = |e| UiError::from_app(&ui, e);
    let (teams, names) = tokio::try_join!(
        app.staff.list_teams(&ui.actor, Some(200), None),
        app.staff.staff_names(&ui.actor),
    )
    .map_err(err)?;
    let rows = teams
        .items
        .iter()
        .map(|t| TeamRow {
            name: t.name.clone(),
            members: t
                .member_ids
                .iter()
                .filter_map(|id| names.get(id).cloned())
                .collect::<Vec<_>>()
                .join(", "),
            count: ui.tr.num(t.member_ids.len() as i64),
        })
        .collect();
    let page = TeamsPage {
        rows,
        c: Chrome::new(&ui, "admin", ui.tr.t("admin-teams")),
    };
    Ok(html(&page))
}

/// `POST /admin/teams`.
pub async fn team_create(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    require(&ui, Permission::TeamCreate)?;
    app.staff
        .create_team(
            &ui.actor,
            NewTeam {
                name: form.get("name").unwrap_or("").to_string(),
            },
            None,
        )
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/admin/teams"))
}
