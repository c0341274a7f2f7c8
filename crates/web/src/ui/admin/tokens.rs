//! The API tokens page: the issued tokens, the form that issues one (showing it once) and
//! their revocation.

use super::require;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::FormBody;
use crate::ui::{Choice, Chrome, UiError, UiResult, html, redirect};
use askama::Template;
use axum::extract::{Path, State};
use tiski_domain::Permission;

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
        app.staff.list_api_tokens(&ui.actor, Some(200), None),
        app.staff.list_agents(&ui.actor, Some(200), None),
    )
    .map_err(err)?;
    let page = TokensPage {
        rows: tokens
            .items
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
    require(&ui, Permission::TokenManage)?;
    tokens_page(&app, &ui, None).await
}

/// `POST /admin/tokens`: issues a token and shows it once.
pub async fn token_create(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    require(&ui, Permission::TokenManage)?;
    let token = app
        .staff
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
    require(&ui, Permission::TokenManage)?;
    app.staff
        .revoke_api_token(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/admin/tokens"))
}
