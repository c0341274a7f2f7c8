//! The setting type of a set of roles (who must sign in with a second factor).

use super::SettingDef;
use super::values::SettingValue;
use tiski_domain::Role;

/// Roles, comma-separated (`admin,supervisor`); empty: none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleList(pub Vec<Role>);

impl RoleList {
    /// Whether `role` is in the list.
    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }
}

impl SettingValue for RoleList {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                Role::parse(part)
                    .map_err(|_| format!("{part:?} is not a role (admin, supervisor, agent)."))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(RoleList)
    }
    fn render(&self) -> String {
        let parts: Vec<&str> = self.0.iter().map(|r| r.as_str()).collect();
        parts.join(",")
    }
}
