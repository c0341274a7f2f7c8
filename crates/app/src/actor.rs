//! Who is acting, and what they may see.

use serde::Serialize;
use tiski_domain::Role;

/// An authenticated staff user, with the teams that scope what they see.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Actor {
    /// The user's id.
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

impl Actor {
    /// Whether the actor is an admin (sees and does everything).
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether the actor leads teams or runs the installation.
    pub fn is_supervisor_or_admin(&self) -> bool {
        matches!(self.role, Role::Supervisor | Role::Admin)
    }

    /// Whether the actor may see a ticket in `team_id` assigned to `assignee_id`.
    pub fn can_see_ticket(&self, team_id: Option<i64>, assignee_id: Option<i64>) -> bool {
        self.is_admin()
            || assignee_id == Some(self.id)
            || team_id.is_some_and(|team| self.team_ids.contains(&team))
    }

    /// A SQL condition on a tickets table aliased `t` that keeps only tickets the actor may
    /// see. Ids are integers from the store, so writing them into the text is safe.
    pub fn ticket_scope_sql(&self) -> String {
        if self.is_admin() {
            return "1 = 1".into();
        }
        if self.team_ids.is_empty() {
            return format!("t.assignee_id = {}", self.id);
        }
        format!(
            "(t.team_id IN ({}) OR t.assignee_id = {})",
            join_ids(&self.team_ids),
            self.id
        )
    }

    /// A SQL condition on a customers table aliased `c` keeping the customers the actor may
    /// see: those with a ticket the actor sees, and those the actor created.
    pub fn customer_scope_sql(&self) -> String {
        if self.is_admin() {
            return "1 = 1".into();
        }
        format!(
            "(c.created_by = {} OR EXISTS (SELECT 1 FROM tickets t WHERE t.requester_id = c.id AND {}))",
            self.id,
            self.ticket_scope_sql()
        )
    }

    /// A SQL condition on a users table aliased `u` keeping the staff the actor may see:
    /// everyone for admins, otherwise themselves and members of their teams.
    pub fn user_scope_sql(&self) -> String {
        if self.is_admin() {
            return "1 = 1".into();
        }
        if self.team_ids.is_empty() {
            return format!("u.id = {}", self.id);
        }
        format!(
            "(u.id = {} OR EXISTS (SELECT 1 FROM team_members m WHERE m.user_id = u.id AND m.team_id IN ({})))",
            self.id,
            join_ids(&self.team_ids)
        )
    }
}

/// `1,2,3` for an id list.
pub(crate) fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}
