//! Teams and their members.

use crate::{Staff, repo, rules};
use serde::{Deserialize, Serialize};
use tiski_domain::event::{TeamCreated, TeamMemberAdded, TeamMemberRemoved};
use tiski_domain::{Permission, Role};
use tiski_kernel::{
    Actor, AppError, AppResult, ErrorCode, Idempotency, Page, Stored, cursor, idempotency,
};

/// A team as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TeamView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Ids of the members.
    pub member_ids: Vec<i64>,
    /// When the team was created.
    pub created_at: String,
}

/// Input for a new team.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    /// Name, unique regardless of case.
    pub name: String,
}

fn parse_name(name: &str) -> AppResult<String> {
    Ok(rules::name("name", name, 100, "team name")?)
}

impl Staff {
    /// Creates a team. Admins only.
    pub async fn create_team(
        &self,
        actor: &Actor,
        input: NewTeam,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<TeamView>> {
        let grant = actor.grant(Permission::TeamCreate)?;
        let name = parse_name(&input.name)?;
        self.kernel
            .command(&grant, "team.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    let key = name.to_lowercase();
                    if repo::teams::id_of_name(tx.conn(), &key)?.is_some() {
                        return Err(AppError::conflict(
                            ErrorCode::TeamNameTaken,
                            "name",
                            format!("A team named {name:?} already exists."),
                        ));
                    }
                    let now = tx.now();
                    let id = repo::teams::insert(tx.conn(), &name, &key, now)?;
                    tx.emit(
                        None,
                        TeamCreated {
                            team_id: id,
                            name: name.clone(),
                        },
                    )?;
                    repo::teams::get(tx.conn(), id)
                })
            })
            .await
    }

    /// Creates a team from the command line or the demo.
    pub async fn create_team_as_system(&self, name: &str) -> AppResult<TeamView> {
        self.create_team(&Actor::system(), NewTeam { name: name.into() }, None)
            .await?
            .fresh()
            .ok_or(AppError::not_found("team"))
    }

    /// The team named `name` (in any case), created if there is none; `true` when created.
    /// For the command line and the demo.
    pub async fn find_or_create_team_as_system(&self, name: &str) -> AppResult<(TeamView, bool)> {
        let key = parse_name(name)?.to_lowercase();
        let found = self
            .kernel
            .read_internal(move |conn| repo::teams::id_of_name(conn, &key))
            .await?;
        match found {
            Some(id) => Ok((self.get_team(&Actor::system(), id).await?, false)),
            None => Ok((self.create_team_as_system(name).await?, true)),
        }
    }

    /// Lists every team (team names are not secret: agents move tickets between teams).
    pub async fn list_teams(
        &self,
        actor: &Actor,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<TeamView>> {
        let grant = actor.grant(Permission::TeamRead)?;
        let limit = cursor::limit(limit)?;
        let after = cursor::after_id(cursor.as_deref())?;
        self.kernel
            .query(&grant, move |conn| {
                let items = repo::teams::list(conn, after, limit + 1)?;
                Ok(cursor::page_by_id(items, limit, false, |t| t.id))
            })
            .await
    }

    /// Gets one team.
    pub async fn get_team(&self, actor: &Actor, id: i64) -> AppResult<TeamView> {
        let grant = actor.grant(Permission::TeamRead)?;
        self.kernel
            .query(&grant, move |conn| repo::teams::get(conn, id))
            .await
    }

    /// Adds or removes a member. Admins, and supervisors of that team.
    pub async fn set_team_member(
        &self,
        actor: &Actor,
        team_id: i64,
        user_id: i64,
        member: bool,
    ) -> AppResult<TeamView> {
        let grant = actor.grant(Permission::TeamMembersChange)?;
        if actor.role == Role::Supervisor && !actor.team_ids.contains(&team_id) {
            return Err(AppError::forbidden(Permission::TeamMembersChange.refusal()));
        }
        // Moving an admin between teams changes an admin: only who may change users may.
        let may_change_admins = actor.may(Permission::AgentUpdate);
        let result = self
            .kernel
            .command(&grant, "team.member", move |tx| {
                repo::teams::get(tx.conn(), team_id)?;
                if !repo::users::exists(tx.conn(), user_id)? {
                    return Err(AppError::not_found("agent"));
                }
                if !may_change_admins && repo::users::get(tx.conn(), user_id)?.role == Role::Admin {
                    return Err(AppError::forbidden(
                        "Only admins may add admins to teams or take them out.",
                    ));
                }
                let present = repo::teams::is_member(tx.conn(), team_id, user_id)?;
                if member && !present {
                    repo::teams::add_member(tx.conn(), team_id, user_id)?;
                    tx.emit(None, TeamMemberAdded { team_id, user_id })?;
                } else if !member && present {
                    repo::teams::remove_member(tx.conn(), team_id, user_id)?;
                    tx.emit(None, TeamMemberRemoved { team_id, user_id })?;
                }
                repo::teams::get(tx.conn(), team_id)
            })
            .await;
        self.forget_actors();
        result
    }
}
