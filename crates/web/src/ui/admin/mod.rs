//! Admin pages: agents, teams, webhooks, mailboxes, the quarantine, API tokens, customer data and
//! who must sign in with a second factor, as simple forms over the
//! same use cases the API calls (which refuse anyone but admins).
//!
//! One file per page; this one holds what they share: the admin check and team names.

mod agents;
mod mailboxes;
mod privacy;
mod quarantine;
mod teams;
mod tokens;
mod twofactor;
mod webhooks;

pub use agents::{AgentRow, agent_create, agent_update, agents};
pub use mailboxes::{MailboxForm, MailboxRow, mailbox_create, mailbox_update, mailboxes};
pub use privacy::{AccessRow, audit_export, customer_erase, customer_export, privacy};
pub use quarantine::{QuarantineRow, quarantine, quarantine_raw};
pub use teams::{TeamRow, team_create, teams};
pub use tokens::{TokenRow, token_create, token_delete, tokens};
pub use twofactor::{PolicyRow, two_factor_policy, two_factor_policy_save};
pub use webhooks::{WebhookRow, webhook_create, webhook_delete, webhooks};

use super::UiError;
use super::auth::Ui;
use axum::http::StatusCode;
use tiski_domain::Permission;
use tiski_staff::TeamView;

/// Refuses a page to whoever the permission table does not give `permission` (the page's
/// commands check it again; this only spares showing forms that would be refused).
fn require(ui: &Ui, permission: Permission) -> Result<(), UiError> {
    if ui.actor.may(permission) {
        Ok(())
    } else {
        Err(UiError::new(ui, StatusCode::FORBIDDEN, "error-forbidden"))
    }
}

fn team_names(teams: &[TeamView], ids: &[i64]) -> String {
    ids.iter()
        .filter_map(|id| teams.iter().find(|t| t.id == *id))
        .map(|t| t.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}
