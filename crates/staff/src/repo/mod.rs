//! The staff repository: all SQL over the tables this context owns (`users`, `teams`,
//! `team_members`, `sessions`, `api_tokens`, `signin_limits`,
//! `two_factor_roles`).

pub(crate) mod prune;
pub(crate) mod sessions;
pub(crate) mod signin;
pub(crate) mod teams;
pub(crate) mod tokens;
pub(crate) mod twofactor;
pub(crate) mod twofactor_policy;
pub(crate) mod users;
