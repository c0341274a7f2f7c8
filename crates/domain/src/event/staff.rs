//! Payloads of staff user and team events.

use crate::{Role, wire_enum};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A staff user was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentCreated {
    /// The new user.
    pub agent_id: i64,
    /// Their role.
    pub role: Role,
    /// The teams they joined.
    pub team_ids: Vec<i64>,
}

wire_enum! {
    /// A field of a staff user, as named in change events.
    AgentField, "agent field" {
        /// The display name.
        Name = "name",
        /// The role.
        Role = "role",
        /// Team membership.
        Teams = "teams",
        /// Languages spoken.
        Languages = "languages",
        /// Whether the user may sign in.
        Active = "active",
        /// The password.
        Password = "password",
        /// The workspace language.
        UiLocale = "ui_locale",
        /// Two-factor sign-in (turned on, off or reset).
        TwoFactor = "two_factor",
    }
}

/// A staff user's details changed: which fields, not their values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentUpdated {
    /// The user.
    pub agent_id: i64,
    /// The fields that changed.
    pub changed: Vec<AgentField>,
}

/// A team was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeamCreated {
    /// The new team.
    pub team_id: i64,
    /// Its name.
    pub name: String,
}

/// A user joined a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeamMemberAdded {
    /// The team.
    pub team_id: i64,
    /// The user.
    pub user_id: i64,
}

/// A user left a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeamMemberRemoved {
    /// The team.
    pub team_id: i64,
    /// The user.
    pub user_id: i64,
}

/// An admin changed which roles must sign in with a second factor: the roles they now
/// require (the server setting may force more).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TwoFactorPolicyChanged {
    /// The roles the workspace now requires two-factor sign-in of.
    pub required_roles: Vec<Role>,
}
