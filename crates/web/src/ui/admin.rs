//! Admin pages: agents, teams, webhooks, mailboxes and API tokens, as simple forms over the
//! same use cases the API calls (which refuse anyone but admins).

use super::auth::Ui;
use super::form::{Fields, FormBody, QueryFields};
use super::{Choice, Chrome, UiError, UiResult, html, redirect, role_label};
use crate::extract::State as AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use tiski_app::{AgentPatch, NewAgent, NewMailbox, NewTeam, NewWebhook, TeamView};
use tiski_domain::Role;

fn require_admin(ui: &Ui) -> Result<(), UiError> {
    if ui.actor.is_admin() {
        Ok(())
    } else {
        Err(UiError::new(ui, StatusCode::FORBIDDEN, "error-forbidden"))
    }
}

fn role_choices(ui: &Ui, current: Option<Role>) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice::new(r.as_str(), role_label(&ui.tr, *r), current == Some(*r)))
        .collect()
}

fn team_names(teams: &[TeamView], ids: &[i64]) -> String {
    ids.iter()
        .filter_map(|id| teams.iter().find(|t| t.id == *id))
        .map(|t| t.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
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
    require_admin(&ui)?;
    let err = |e| UiError::from_app(&ui, e);
    let (agents, teams) = tokio::try_join!(
        app.list_agents(&ui.actor, Some(200), None),
        app.list_teams(&ui.actor, Some(200), None),
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
    require_admin(&ui)?;
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
    app.create_agent(&ui.actor, input, None)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/admin/agents?done=1"))
}

/// `POST /admin/agents/{id}`: role, teams, languages, active, a new password.
pub async fn agent_update(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    require_admin(&ui)?;
    let patch = AgentPatch {
        name: form.text("name"),
        role: form.get("role").and_then(|r| Role::parse(r).ok()),
        team_ids: Some(ids(&form, "team_ids")),
        languages: Some(languages(&form)),
        active: Some(form.checked("active")),
        password: form.text("password"),
    };
    app.update_agent(&ui.actor, id, patch)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/admin/agents?done=1"))
}

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
    require_admin(&ui)?;
    let err = |e| UiError::from_app(&ui, e);
    let (teams, names) = tokio::try_join!(
        app.list_teams(&ui.actor, Some(200), None),
        app.staff_names(&ui.actor),
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
    require_admin(&ui)?;
    app.create_team(
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

/// A webhook row.
pub struct WebhookRow {
    /// Id.
    pub id: i64,
    /// URL.
    pub url: String,
    /// Event types.
    pub types: String,
}

#[derive(Template)]
#[template(path = "admin_webhooks.html")]
struct WebhooksPage {
    c: Chrome,
    rows: Vec<WebhookRow>,
    secret: Option<String>,
}

/// `GET /admin/webhooks`.
pub async fn webhooks(State(app): State<AppState>, ui: Ui) -> UiResult {
    require_admin(&ui)?;
    webhooks_page(&app, &ui, None).await
}

async fn webhooks_page(app: &tiski_app::App, ui: &Ui, secret: Option<String>) -> UiResult {
    let hooks = app
        .list_webhooks(&ui.actor, Some(200), None)
        .await
        .map_err(|e| UiError::from_app(ui, e))?;
    let page = WebhooksPage {
        rows: hooks
            .items
            .iter()
            .map(|w| WebhookRow {
                id: w.id,
                url: w.url.clone(),
                types: w.event_types.join(", "),
            })
            .collect(),
        secret,
        c: Chrome::new(ui, "admin", ui.tr.t("admin-webhooks")),
    };
    Ok(html(&page))
}

/// `POST /admin/webhooks`: shows the new secret once.
pub async fn webhook_create(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    require_admin(&ui)?;
    let types: Vec<String> = form
        .get("event_types")
        .unwrap_or("*")
        .split([',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let created = app
        .create_webhook(
            &ui.actor,
            NewWebhook {
                url: form.get("url").unwrap_or("").trim().to_string(),
                event_types: if types.is_empty() {
                    vec!["*".into()]
                } else {
                    types
                },
                secret: None,
            },
            None,
        )
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let secret = created.fresh().and_then(|w| w.secret);
    webhooks_page(&app, &ui, secret).await
}

/// `POST /admin/webhooks/{id}/delete`.
pub async fn webhook_delete(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    require_admin(&ui)?;
    app.delete_webhook(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/admin/webhooks"))
}

/// A mailbox row.
pub struct MailboxRow {
    /// Address.
    pub address: String,
    /// Display name.
    pub name: String,
    /// Team.
    pub team: String,
    /// Whether it is active.
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin_mailboxes.html")]
struct MailboxesPage {
    c: Chrome,
    rows: Vec<MailboxRow>,
    teams: Vec<Choice>,
}

/// `GET /admin/mailboxes`.
pub async fn mailboxes(State(app): State<AppState>, ui: Ui) -> UiResult {
    require_admin(&ui)?;
    let err = |e| UiError::from_app(&ui, e);
    let (boxes, teams) = tokio::try_join!(
        app.list_mailboxes(&ui.actor),
        app.list_teams(&ui.actor, Some(200), None),
    )
    .map_err(err)?;
    let page = MailboxesPage {
        rows: boxes
            .items
            .iter()
            .map(|m| MailboxRow {
                address: m.address.clone(),
                name: m.name.clone(),
                team: team_names(&teams.items, &m.team_id.into_iter().collect::<Vec<_>>()),
                active: m.active,
            })
            .collect(),
        teams: teams
            .items
            .iter()
            .map(|t| Choice::new(t.id.to_string(), t.name.clone(), false))
            .collect(),
        c: Chrome::new(&ui, "admin", ui.tr.t("admin-mailboxes")),
    };
    Ok(html(&page))
}

/// `POST /admin/mailboxes`: address, name, team (IMAP and SMTP through the API for now).
pub async fn mailbox_create(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    require_admin(&ui)?;
    app.create_mailbox(
        &ui.actor,
        NewMailbox {
            address: form.get("address").unwrap_or("").trim().to_string(),
            name: form.get("name").unwrap_or("").trim().to_string(),
            team_id: form.id("team_id"),
            signature: form.text("signature"),
            auto_ack: Some(form.checked("auto_ack")),
            ack_templates: None,
            imap: None,
            smtp: None,
        },
        None,
    )
    .await
    .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/admin/mailboxes"))
}

/// A token row.
pub struct TokenRow {
    /// Id.
    pub id: i64,
    /// Whose.
    pub user: String,
    /// Label.
    pub label: String,
    /// Issued.
    pub created: String,
}

#[derive(Template)]
#[template(path = "admin_tokens.html")]
struct TokensPage {
    c: Chrome,
    rows: Vec<TokenRow>,
    users: Vec<Choice>,
    token: Option<String>,
}

async fn tokens_page(app: &tiski_app::App, ui: &Ui, token: Option<String>) -> UiResult {
    let err = |e| UiError::from_app(ui, e);
    let (tokens, agents) = tokio::try_join!(
        app.list_api_tokens(&ui.actor),
        app.list_agents(&ui.actor, Some(200), None),
    )
    .map_err(err)?;
    let page = TokensPage {
        rows: tokens
            .iter()
            .map(|t| TokenRow {
                id: t.id,
                user: t.user_name.clone(),
                label: t.label.clone(),
                created: ui.tr.locale.date_time(t.created_at, &ui.tr.zone),
            })
            .collect(),
        users: agents
            .items
            .iter()
            .filter(|a| a.active)
            .map(|a| {
                Choice::new(
                    a.id.to_string(),
                    format!("{} <{}>", a.name, a.email),
                    a.id == ui.actor.id,
                )
            })
            .collect(),
        token,
        c: Chrome::new(ui, "admin", ui.tr.t("admin-tokens")),
    };
    Ok(html(&page))
}

/// `GET /admin/tokens`.
pub async fn tokens(State(app): State<AppState>, ui: Ui) -> UiResult {
    require_admin(&ui)?;
    tokens_page(&app, &ui, None).await
}

/// `POST /admin/tokens`: issues a token and shows it once.
pub async fn token_create(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    require_admin(&ui)?;
    let token = app
        .issue_api_token(
            &ui.actor,
            form.id("user_id").unwrap_or(0),
            form.get("label").unwrap_or(""),
        )
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    tokens_page(&app, &ui, Some(token)).await
}

/// `POST /admin/tokens/{id}/delete`.
pub async fn token_delete(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    require_admin(&ui)?;
    app.revoke_api_token(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/admin/tokens"))
}
