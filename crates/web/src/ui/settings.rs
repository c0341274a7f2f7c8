//! The user's own settings (password, language), macros and saved views.

use super::auth::Ui;
use super::form::{Fields, FormBody, QueryFields};
use super::i18n::Locale;
use super::{
    Choice, Chrome, UiError, UiResult, channel_label, html, priority_choices, redirect,
    status_choices, status_label,
};
use crate::extract::State as AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use tiski_domain::{Channel, Permission, Priority, Status};
use tiski_ticketing::{MacroView, NewMacro, ViewFilters};

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    c: Chrome,
    languages: Vec<Choice>,
    notice: Option<String>,
    error: Option<String>,
    email: String,
}

async fn settings_page(
    ui: &Ui,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> UiResult {
    let languages = Locale::ALL
        .iter()
        .map(|l| Choice::new(l.code(), l.native_name(), *l == ui.tr.locale))
        .collect();
    let page = SettingsPage {
        c: Chrome::new(ui, "settings", ui.tr.t("nav-settings")),
        languages,
        notice,
        error,
        email: ui.actor.email.clone(),
    };
    let mut response = html(&page);
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /settings`.
pub async fn page(ui: Ui, QueryFields(query): QueryFields) -> UiResult {
    let notice = match query.get("done") {
        Some("password") => Some(ui.tr.t("password-changed")),
        Some("language") => Some(ui.tr.t("language-changed")),
        _ => None,
    };
    settings_page(&ui, notice, None, StatusCode::OK).await
}

/// `POST /ui/settings/password`: `current`, `new`, `confirm`.
pub async fn password(State(app): State<AppState>, ui: Ui, FormBody(form): FormBody) -> UiResult {
    let new = form.get("new").unwrap_or("");
    if new != form.get("confirm").unwrap_or("") {
        let message = ui.tr.t("password-mismatch");
        return settings_page(&ui, None, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match app
        .staff
        .change_own_password(
            &ui.actor,
            form.get("current").unwrap_or(""),
            new,
            ui.session.id,
        )
        .await
    {
        Ok(()) => Ok(redirect(&ui, "/settings?done=password")),
        Err(error) => {
            let error = UiError::from_app(&ui, error);
            let status = error.status;
            settings_page(&ui, None, Some(error.message), status).await
        }
    }
}

/// `POST /ui/settings/language`: `locale`.
pub async fn language(State(app): State<AppState>, ui: Ui, FormBody(form): FormBody) -> UiResult {
    let Some(locale) = form.get("locale").and_then(Locale::parse) else {
        return Err(UiError::new(
            &ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-value",
        ));
    };
    app.staff
        .set_ui_locale(&ui.actor, Some(locale.code()))
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let next = super::safe_next(form.get("next"));
    let next = if next == "/inbox" && form.get("next").is_none() {
        "/settings?done=language".to_string()
    } else {
        next
    };
    Ok(redirect(&ui, &next))
}

/// A macro as the macros page lists it.
pub struct MacroCard {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Language.
    pub language: String,
    /// What it changes, readable.
    pub effects: String,
    /// Whether everyone sees it.
    pub shared: bool,
    /// Whether the reader may change it.
    pub editable: bool,
    /// The form's choices.
    pub statuses: Vec<Choice>,
    /// Team choices.
    pub teams: Vec<Choice>,
    /// Language choices.
    pub languages: Vec<Choice>,
    /// Tags, comma-separated.
    pub tags: String,
}

#[derive(Template)]
#[template(path = "macros.html")]
struct MacrosPage {
    c: Chrome,
    cards: Vec<MacroCard>,
    blank: Vec<MacroCard>,
    can_share: bool,
}

fn language_choices(current: Option<&str>) -> Vec<Choice> {
    let mut choices = vec![Choice::new("", "—", current.is_none())];
    choices.extend(
        Locale::ALL
            .iter()
            .map(|l| Choice::new(l.code(), l.native_name(), current == Some(l.code()))),
    );
    choices
}

fn card(ui: &Ui, teams: &[tiski_staff::TeamView], m: Option<&MacroView>) -> MacroCard {
    let tr = &ui.tr;
    let set_status = m.and_then(|m| m.set_status);
    let mut statuses = vec![Choice::new(
        "",
        tr.t("macro-status-unchanged"),
        set_status.is_none(),
    )];
    statuses.extend(
        [
            Status::Open,
            Status::Pending,
            Status::OnHold,
            Status::Solved,
        ]
        .iter()
        .map(|s| Choice::new(s.as_str(), status_label(tr, *s), set_status == Some(*s))),
    );
    let set_team = m.and_then(|m| m.set_team_id);
    let mut team_choices = vec![Choice::new(
        "",
        tr.t("macro-team-unchanged"),
        set_team.is_none(),
    )];
    team_choices.extend(
        teams
            .iter()
            .map(|t| Choice::new(t.id.to_string(), t.name.clone(), set_team == Some(t.id))),
    );
    let mut effects = Vec::new();
    if let Some(status) = set_status {
        effects.push(tr.ts("macro-effect-status", "status", &status_label(tr, status)));
    }
    if let Some(m) = m
        && !m.add_tags.is_empty()
    {
        effects.push(tr.ts("macro-effect-tags", "tags", &m.add_tags.join(", ")));
    }
    if let Some(team) = set_team.and_then(|id| teams.iter().find(|t| t.id == id)) {
        effects.push(tr.ts("macro-effect-team", "team", &team.name));
    }
    MacroCard {
        id: m.map(|m| m.id).unwrap_or(0),
        title: m.map(|m| m.title.clone()).unwrap_or_default(),
        body: m.map(|m| m.body.clone()).unwrap_or_default(),
        language: m.and_then(|m| m.language.clone()).unwrap_or_default(),
        effects: effects.join(" · "),
        shared: m.is_some_and(|m| m.shared()),
        editable: m.is_none_or(|m| !m.shared() || ui.actor.may(Permission::MacroShare)),
        statuses,
        teams: team_choices,
        languages: language_choices(m.and_then(|m| m.language.as_deref())),
        tags: m.map(|m| m.add_tags.join(", ")).unwrap_or_default(),
    }
}

/// `GET /macros`: the reader's macros and the shared ones, with forms.
pub async fn macros_page(State(app): State<AppState>, ui: Ui) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let (macros, teams) = tokio::try_join!(
        app.ticketing
            .list_macros(&ui.actor, None, Some(ui.tr.locale.code())),
        app.staff.list_teams(&ui.actor, Some(200), None),
    )
    .map_err(err)?;
    let page = MacrosPage {
        cards: macros
            .iter()
            .map(|m| card(&ui, &teams.items, Some(m)))
            .collect(),
        blank: vec![card(&ui, &teams.items, None)],
        can_share: ui.actor.may(Permission::MacroShare),
        c: Chrome::new(&ui, "macros", ui.tr.t("nav-macros")),
    };
    Ok(html(&page))
}

fn new_macro(form: &Fields) -> NewMacro {
    NewMacro {
        title: form.get("title").unwrap_or("").to_string(),
        body: form.get("body").unwrap_or("").replace("\r\n", "\n"),
        language: form.text("language"),
        set_status: form.get("set_status").and_then(|s| Status::parse(s).ok()),
        add_tags: form
            .get("add_tags")
            .unwrap_or("")
            .split([',', ' '])
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.trim().to_string())
            .collect(),
        set_team_id: form.id("set_team_id"),
        shared: form.checked("shared"),
    }
}

/// `POST /ui/macros`.
pub async fn macro_create(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    app.ticketing
        .create_macro(&ui.actor, new_macro(&form))
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/macros"))
}

/// `POST /ui/macros/{id}`.
pub async fn macro_update(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    app.ticketing
        .update_macro(&ui.actor, id, new_macro(&form))
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/macros"))
}

/// `POST /ui/macros/{id}/delete`.
pub async fn macro_delete(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    app.ticketing
        .delete_macro(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/macros"))
}

#[derive(Template)]
#[template(path = "view_form.html")]
struct ViewForm {
    c: Chrome,
    statuses: Vec<Choice>,
    teams: Vec<Choice>,
    assignees: Vec<Choice>,
    priorities: Vec<Choice>,
    channels: Vec<Choice>,
    languages: Vec<Choice>,
    can_share: bool,
}

/// `GET /views/new`: the form for a saved view.
pub async fn view_form(State(app): State<AppState>, ui: Ui) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let (teams, agents) = tokio::try_join!(
        app.staff.list_teams(&ui.actor, Some(200), None),
        app.staff.list_agents(&ui.actor, Some(200), None),
    )
    .map_err(err)?;
    let tr = &ui.tr;
    let any = || Choice::new("", tr.t("filter-any"), true);
    let mut team_choices = vec![any()];
    team_choices.extend(
        teams
            .items
            .iter()
            .map(|t| Choice::new(t.id.to_string(), t.name.clone(), false)),
    );
    let mut assignees = vec![
        any(),
        Choice::new("me", tr.t("filter-assignee-me"), false),
        Choice::new("none", tr.t("filter-assignee-none"), false),
    ];
    assignees.extend(
        agents
            .items
            .iter()
            .filter(|a| a.active)
            .map(|a| Choice::new(a.id.to_string(), a.name.clone(), false)),
    );
    let mut priorities = vec![any()];
    priorities.extend(priority_choices(tr, None));
    let mut channels = vec![any()];
    channels.extend(
        Channel::ALL
            .iter()
            .map(|ch| Choice::new(ch.as_str(), channel_label(tr, *ch), false)),
    );
    let mut languages = vec![any()];
    languages.extend(
        Locale::ALL
            .iter()
            .map(|l| Choice::new(l.code(), l.native_name(), false)),
    );
    let page = ViewForm {
        statuses: status_choices(tr, None),
        teams: team_choices,
        assignees,
        priorities,
        channels,
        languages,
        can_share: ui.actor.may(Permission::ViewShare),
        c: Chrome::new(&ui, "inbox", tr.t("view-new")),
    };
    Ok(html(&page))
}

/// `POST /ui/views`: saves a view and opens it.
pub async fn view_create(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    let filters = ViewFilters {
        status: form
            .all("status")
            .iter()
            .filter_map(|s| Status::parse(s).ok())
            .collect(),
        team_id: form.id("team_id"),
        assignee: form.text("assignee"),
        tag: form.text("tag"),
        priority: form.get("priority").and_then(|p| Priority::parse(p).ok()),
        channel: form.get("channel").and_then(|c| Channel::parse(c).ok()),
        language: form.text("language"),
    };
    let view = app
        .ticketing
        .create_saved_view(
            &ui.actor,
            form.get("name").unwrap_or(""),
            filters,
            form.checked("shared"),
        )
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, &format!("/inbox?view=saved-{}", view.id)))
}

/// `POST /ui/views/{id}/delete`.
pub async fn view_delete(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    app.ticketing
        .delete_saved_view(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/inbox"))
}
