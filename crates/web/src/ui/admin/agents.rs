//! The agents page: every agent with an edit form (role, teams, languages, active, a new
//! password), and the form that invites a new one.

use super::{require, team_names};
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::{Fields, FormBody, QueryFields};
use crate::ui::{Choice, Chrome, UiError, UiResult, html, redirect, role_label};
use askama::Template;
use axum::extract::{Path, State};
use tiski_domain::{Permission, Role};
use tiski_staff::{AgentPatch, NewAgent};

fn role_choices(ui: &Ui, current: Option<Role>) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice::new(r.as_str(), role_label(&ui.tr, *r), current == Some(*r)))
        .collect()
}

/// An agent row with its edit form.
pub struct AgentRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Role label.
    pub role: String,
    /// Teams, readable.
    pub teams: String,
    /// Whether they may sign in.
    pub active: bool,
    /// Role choices.
    pub roles: Vec<Choice>,
    /// Team checkboxes.
    pub team_choices: Vec<Choice>,
    /// Languages, comma-separated.
    pub languages: String,
}

#[derive(Template)]
#[template(path = "admin_agents.html")]
struct AgentsPage {
    c: Chrome,
    rows: Vec<AgentRow>,
    roles: Vec<Choice>,
    teams: Vec<Choice>,
    notice: Option<String>,
}

/// `GET /admin/agents`.
pub async fn agents(
    State(app): State<AppState>,
    ui: Ui,
    QueryFields(query): QueryFields,
) -> UiResult {
    require(&ui, Permission::AgentUpdate)?;
    let err = |e| UiError::from_app(&ui, e);
    let (agents, teams) = tokio::try_join!(
        app.staff.list_agents(&ui.actor, Some(200), None),
        app.staff.list_teams(&ui.actor, Some(200), None),
    )
    .map_err(err)?;
    let teams = teams.items;
    let rows = agents
        .items
        .iter()
        .map(|a| AgentRow {
            id: a.id,
            name: a.name.clone(),
            email: a.email.clone(),
            role: role_label(&ui.tr, a.role),
            teams: team_names(&teams, &a.team_ids),
            active: a.active,
            roles: role_choices(&ui, Some(a.role)),
            team_choices: teams
                .iter()
                .map(|t| Choice::new(t.id.to_string(), t.name.clone(), a.team_ids.contains(&t.id)))
                .collect(),
            languages: a.languages.join(", "),
        })
        .collect();
    let page = AgentsPage {
        rows,
        roles: role_choices(&ui, Some(Role::Agent)),
        teams: teams
            .iter()
            .map(|t| Choice::new(t.id.to_string(), t.name.clone(), false))
            .collect(),
        notice: query.get("done").map(|_| ui.tr.t("saved")),
        c: Chrome::new(&ui, "admin", ui.tr.t("admin-agents")),
    };
    Ok(html(&page))
}

fn ids(form: &Fields, name: &str) -> Vec<i64> {
    form.all(name)
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect()
}

fn languages(form: &Fields) -> Vec<String> {
    form.get("languages")
        .unwrap_or("")
        .split([',', ' '])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// `POST /admin/agents`: invites (creates) an agent.
pub async fn agent_create(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    require(&ui, Permission::AgentUpdate)?;
    let input = NewAgent {
        email: form.get("email").unwrap_or("").to_string(),
        name: form.get("name").unwrap_or("").to_string(),
        role: form
            .get("role")
            .and_then(|r| Role::parse(r).ok())
            .unwrap_or(Role::Agent),
        team_ids: ids(&form, "team_ids"),
        languages: languages(&form),
        password: form.text("password"),
    };
    app.staff
        .create_agent(&ui.actor, input, None)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/admin/agents?done=1"))
}

/// `POST /admin/agents/{id}`: role, teams, languages, active, a new password, and a reset of
/// two-factor sign-in.
pub async fn agent_update(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    require(&ui, Permission::AgentUpdate)?;
    let patch = AgentPatch {
        name: form.text("name"),
        role: form.get("role").and_then(|r| Role::parse(r).ok()),
        team_ids: Some(ids(&form, "team_ids")),
        languages: Some(languages(&form)),
        active: Some(form.checked("active")),
        password: form.text("password"),
    };
    app.staff
        .update_agent(&ui.actor, id, patch)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    if form.checked("reset_two_factor") {
        app.staff
            .reset_two_factor(&ui.actor, id)
            .await
            .map_err(|e| UiError::from_app(&ui, e))?;
    }
    Ok(redirect(&ui, "/admin/agents?done=1"))
}
