//! The two-factor policy page: one checkbox per role for whom the workspace requires a
//! second factor at sign-in; roles the server setting forces show checked and disabled.

use super::require;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::FormBody;
use crate::ui::{Chrome, UiError, UiResult, html, redirect};
use askama::Template;
use axum::extract::State;
use tiski_domain::{Permission, Role};
use tiski_staff::TwoFactorPolicyInput;

/// One role's checkbox.
pub struct PolicyRow {
    /// The role's wire name (the submitted value).
    pub role: &'static str,
    /// The role's name in the reader's language.
    pub label: String,
    /// Whether two-factor sign-in is required of it.
    pub checked: bool,
    /// Whether the server setting forces it (so the workspace cannot lift it).
    pub forced: bool,
}

#[derive(Template)]
#[template(path = "admin_two_factor.html")]
struct PolicyPage {
    c: Chrome,
    rows: Vec<PolicyRow>,
}

/// `GET /admin/two-factor`.
pub async fn two_factor_policy(State(app): State<AppState>, ui: Ui) -> UiResult {
    require(&ui, Permission::TwoFactorPolicy)?;
    let policy = app
        .staff
        .two_factor_policy(&ui.actor)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let rows = Role::ALL
        .iter()
        .map(|role| PolicyRow {
            role: role.as_str(),
            label: ui.tr.t(&format!("role-{}", role.as_str())),
            checked: policy.requires(*role),
            forced: policy.forced_by_settings.contains(role),
        })
        .collect();
    let page = PolicyPage {
        rows,
        c: Chrome::new(&ui, "admin", ui.tr.t("admin-two-factor")),
    };
    Ok(html(&page))
}

/// `POST /admin/two-factor`: stores the checked roles.
pub async fn two_factor_policy_save(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    require(&ui, Permission::TwoFactorPolicy)?;
    let input = TwoFactorPolicyInput {
        required_roles: form
            .all("required_roles")
            .into_iter()
            .map(str::to_string)
            .collect(),
    };
    app.staff
        .set_two_factor_roles(&ui.actor, input)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, "/admin/two-factor"))
}
