//! Who is acting, and the proof that they may do what a command does.

use crate::{AppError, AppResult};
use serde::Serialize;
use std::sync::LazyLock;
use tiski_domain::{Permission, Role};

/// An authenticated staff user, with the teams that scope what they see.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Actor {
    /// The user's id (0 for tiski itself).
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Teams the user belongs to.
    pub team_ids: Vec<i64>,
}

static SYSTEM: LazyLock<Actor> = LazyLock::new(|| Actor {
    id: 0,
    name: "tiski".into(),
    email: String::new(),
    role: Role::Admin,
    team_ids: Vec::new(),
});

impl Actor {
    /// tiski itself, for work done from the command line, by workers and by channels.
    pub fn system() -> Actor {
        SYSTEM.clone()
    }

    /// tiski itself, borrowed.
    pub fn system_ref() -> &'static Actor {
        &SYSTEM
    }

    /// Whether this is tiski itself rather than a person.
    pub fn is_system(&self) -> bool {
        self.id == 0
    }

    /// Whether the actor's role holds `permission` (from the one permission table).
    pub fn may(&self, permission: Permission) -> bool {
        self.role.allows(permission)
    }

    /// Checks `permission` and returns the proof a command or query needs to run.
    pub fn grant(&self, permission: Permission) -> AppResult<Grant> {
        if self.may(permission) {
            Ok(Grant {
                actor: self.clone(),
                permission,
            })
        } else {
            Err(AppError::forbidden(permission.refusal()))
        }
    }

    /// Whether the actor is an admin (sees everything: no scope applies).
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether the actor leads teams or runs the installation.
    pub fn is_supervisor_or_admin(&self) -> bool {
        matches!(self.role, Role::Supervisor | Role::Admin)
    }

    /// Whether the actor may see a ticket in `team_id` assigned to `assignee_id`: the ticket
    /// scope, for values already loaded (queries apply the same rule in SQL).
    pub fn can_see_ticket(&self, team_id: Option<i64>, assignee_id: Option<i64>) -> bool {
        self.is_admin()
            || assignee_id == Some(self.id)
            || team_id.is_some_and(|team| self.team_ids.contains(&team))
    }
}

/// Proof that an actor was checked for a permission: the only way into
/// [`Kernel::command`](crate::Kernel::command) and [`Kernel::query`](crate::Kernel::query).
#[derive(Debug, Clone)]
pub struct Grant {
    actor: Actor,
    permission: Permission,
}

impl Grant {
    /// The actor the grant was made to.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The permission checked.
    pub fn permission(&self) -> Permission {
        self.permission
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_follow_the_table() {
        let agent = Actor {
            id: 5,
            name: "A".into(),
            email: "a@example.com".into(),
            role: Role::Agent,
            team_ids: vec![1],
        };
        assert!(agent.grant(Permission::TicketRead).is_ok());
        let refused = agent.grant(Permission::MailboxManage).unwrap_err();
        assert_eq!(refused.to_string(), "Only admins may manage mailboxes.");
        assert!(Actor::system().grant(Permission::EmailIngest).is_ok());
        assert!(agent.can_see_ticket(Some(1), None));
        assert!(agent.can_see_ticket(Some(2), Some(5)));
        assert!(!agent.can_see_ticket(Some(2), None));
    }
}
