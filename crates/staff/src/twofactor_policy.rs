//! Who must sign in with a second factor: the roles an admin requires in the workspace
//! (stored, so every node signs in by the same rule) together with the `two_factor_roles`
//! setting, the operator's floor that the workspace cannot lower.

use crate::{Staff, repo};
use serde::{Deserialize, Serialize};
use tiski_domain::event::TwoFactorPolicyChanged;
use tiski_domain::{Permission, Role};
use tiski_kernel::{Actor, AppError, AppResult};

/// The two-factor policy as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TwoFactorPolicy {
    /// The roles the workspace requires two-factor sign-in of (what an admin chose).
    pub required_roles: Vec<Role>,
    /// The roles the server setting `two_factor_roles` requires regardless (the operator's
    /// floor; the workspace cannot lift them).
    pub forced_by_settings: Vec<Role>,
}

impl TwoFactorPolicy {
    /// Whether a user of `role` must sign in with a second factor (the union of both lists).
    pub fn requires(&self, role: Role) -> bool {
        self.required_roles.contains(&role) || self.forced_by_settings.contains(&role)
    }
}

/// Input for [`Staff::set_two_factor_roles`]: the roles to require, by name.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TwoFactorPolicyInput {
    /// The roles to require two-factor sign-in of (`agent`, `supervisor`, `admin`).
    pub required_roles: Vec<String>,
}

/// The roles named, each once, in [`Role::ALL`] order; an unknown name is an error naming
/// `required_roles`.
fn parse_roles(names: &[String]) -> AppResult<Vec<Role>> {
    if names.len() > 100 {
        return Err(AppError::invalid(
            "required_roles",
            "Name each role at most once.",
        ));
    }
    let mut roles = Vec::new();
    for name in names {
        let role = Role::parse(name).map_err(|_| {
            AppError::invalid(
                "required_roles",
                "Each role must be one of agent, supervisor, admin.",
            )
        })?;
        roles.push(role);
    }
    Ok(Role::ALL
        .iter()
        .copied()
        .filter(|r| roles.contains(r))
        .collect())
}

impl Staff {
    /// The roles the server setting forces, in [`Role::ALL`] order.
    fn forced_by_settings(&self) -> Vec<Role> {
        let setting = &self.kernel.settings().two_factor_roles;
        Role::ALL
            .iter()
            .copied()
            .filter(|r| setting.contains(*r))
            .collect()
    }

    /// The two-factor policy in effect. Admins only (it says who is exposed without it).
    pub async fn two_factor_policy(&self, actor: &Actor) -> AppResult<TwoFactorPolicy> {
        let grant = actor.grant(Permission::TwoFactorPolicy)?;
        let forced_by_settings = self.forced_by_settings();
        let required_roles = self
            .kernel
            .query(&grant, repo::twofactor_policy::required_roles)
            .await?;
        Ok(TwoFactorPolicy {
            required_roles,
            forced_by_settings,
        })
    }

    /// Sets which roles the workspace requires two-factor sign-in of (the setting's roles
    /// stay required whatever is chosen). Takes effect at each user's next sign-in, on
    /// every node. Admins only.
    pub async fn set_two_factor_roles(
        &self,
        actor: &Actor,
        input: TwoFactorPolicyInput,
    ) -> AppResult<TwoFactorPolicy> {
        let grant = actor.grant(Permission::TwoFactorPolicy)?;
        let roles = parse_roles(&input.required_roles)?;
        let forced_by_settings = self.forced_by_settings();
        let required_roles = self
            .kernel
            .command(&grant, "two_factor.policy", move |tx| {
                let before = repo::twofactor_policy::required_roles(tx.conn())?;
                if before != roles {
                    repo::twofactor_policy::replace(tx.conn(), &roles)?;
                    tx.emit(
                        None,
                        TwoFactorPolicyChanged {
                            required_roles: roles.clone(),
                        },
                    )?;
                }
                Ok(roles.clone())
            })
            .await?;
        Ok(TwoFactorPolicy {
            required_roles,
            forced_by_settings,
        })
    }
}
