//! Staff facts other contexts need inside their own transactions: whether a team exists,
//! whether a user is active or in a team, everyone's display name. Reads only.

use crate::repo;
use tiski_kernel::AppResult;
use tiski_store::Conn;

/// Whether team `id` exists.
pub fn team_exists(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    repo::teams::exists(conn, id)
}

/// Whether user `id` exists and may sign in.
pub fn user_is_active(conn: &mut dyn Conn, id: i64) -> AppResult<bool> {
    repo::users::is_active(conn, id)
}

/// Everyone's display name by user id (one query; staff lists are small).
pub fn display_names(conn: &mut dyn Conn) -> AppResult<std::collections::HashMap<i64, String>> {
    repo::users::names(conn)
}

/// Whether user `user_id` is a member of team `team_id`.
pub fn is_member(conn: &mut dyn Conn, team_id: i64, user_id: i64) -> AppResult<bool> {
    repo::teams::is_member(conn, team_id, user_id)
}

/// Every active staff user as an actor (role and teams): who could be notified, and who may
/// see a ticket (`Actor::can_see_ticket`).
pub fn active_actors(conn: &mut dyn Conn) -> AppResult<Vec<tiski_kernel::Actor>> {
    repo::users::active_actors(conn)
}

/// Active user `id` as an actor (role and teams), if they may sign in.
pub fn actor(conn: &mut dyn Conn, id: i64) -> AppResult<Option<tiski_kernel::Actor>> {
    repo::users::actor(conn, id)
}

/// Where and how to write to a staff user: an active user's email, display name and
/// language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Their email address.
    pub email: String,
    /// Their display name.
    pub name: String,
    /// Their language (`fi`, `pl` …): the one they chose for the workspace, else the first
    /// of the languages they speak, if any.
    pub locale: Option<String>,
}

/// How to write to active user `id` (`None` when they may not sign in).
pub fn contact(conn: &mut dyn Conn, id: i64) -> AppResult<Option<Contact>> {
    Ok(
        repo::users::contact(conn, id)?.map(|(email, name, locale)| Contact {
            email,
            name,
            locale,
        }),
    )
}

/// When user `id` was last active in the workspace: the last touch of a session of theirs
/// (sessions are touched on use at most every five minutes), if they hold one.
pub fn last_active(conn: &mut dyn Conn, id: i64) -> AppResult<Option<i64>> {
    repo::sessions::last_active(conn, id)
}
