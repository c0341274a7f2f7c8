//! The webhooks page: the registered webhooks, the form that adds one (showing its secret
//! once) and their removal.

use super::require;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::FormBody;
use crate::ui::{Chrome, UiError, UiResult, html, redirect};
use askama::Template;
use axum::extract::{Path, State};
use tiski_domain::Permission;
use tiski_webhooks::NewWebhook;

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
    require(&ui, Permission::WebhookManage)?;
    webhooks_page(&app, &ui, None).await
}

async fn webhooks_page(app: &tiski_app::App, ui: &Ui, secret: Option<String>) -> UiResult {
    let hooks = app
        .webhooks
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
    require(&ui, Permission::WebhookManage)?;
    let types: Vec<String> = form
        .get("event_types")
        .unwrap_or("*")
        .split([',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let created = app
        .webhooks
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
    require(&ui, Permission::WebhookManage)?;
    app.webhooks
        .delete_webhook(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/admin/webhooks"))
}
