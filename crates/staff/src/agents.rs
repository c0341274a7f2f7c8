//! Staff users (agents, supervisors, admins): create, change, read and list.

use crate::repo::users::UserChanges;
use crate::{Staff, repo, rules};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tiski_domain::event::{
    AgentCreated, AgentField, AgentUpdated, SessionEnded, TeamMemberAdded, TeamMemberRemoved,
};
use tiski_domain::{EmailAddress, Permission, Role};
use tiski_kernel::{
    Actor, AppError, AppResult, ErrorCode, Idempotency, Page, Stored, Tx, crypto, cursor,
    idempotency,
};

/// A staff user as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgentView {
    /// Id.
    pub id: i64,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Teams the user belongs to.
    pub team_ids: Vec<i64>,
    /// Languages the user speaks, as BCP 47 tags.
    pub languages: Vec<String>,
    /// Whether the user may sign in.
    pub active: bool,
    /// When the user was created.
    pub created_at: String,
}

/// Input for a new staff user.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgent {
    /// Sign-in email; unique.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Teams to join.
    #[serde(default)]
    pub team_ids: Vec<i64>,
    /// Languages spoken.
    #[serde(default)]
    pub languages: Vec<String>,
    /// An initial password (at least 10 characters); without one the user cannot sign in to
    /// the web UI until a password is set.
    #[serde(default)]
    pub password: Option<String>,
}

/// Changes to a staff user; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentPatch {
    /// New display name.
    pub name: Option<String>,
    /// New role.
    pub role: Option<Role>,
    /// The complete new list of teams.
    pub team_ids: Option<Vec<i64>>,
    /// The complete new list of languages.
    pub languages: Option<Vec<String>>,
    /// Activate or deactivate.
    pub active: Option<bool>,
    /// A new password.
    pub password: Option<String>,
}

/// A validated new user, ready to insert.
pub(crate) struct ValidAgent {
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    pub team_ids: Vec<i64>,
    pub languages: Vec<String>,
    /// The password's hash (computed off the async threads before the write).
    pub password_hash: Option<String>,
}

async fn validate(input: &NewAgent) -> AppResult<ValidAgent> {
    let email = EmailAddress::parse(&input.email).map_err(|e| e.at("email"))?;
    let name = rules::name("name", &input.name, 200, "name")?;
    let languages = rules::languages(&input.languages)?;
    let password_hash = match &input.password {
        Some(password) => {
            crypto::check_password_policy(password)?;
            Some(crypto::hash_password_off_thread(password.clone()).await?)
        }
        None => None,
    };
    Ok(ValidAgent {
        email,
        name,
        role: input.role,
        team_ids: rules::team_ids(&input.team_ids),
        languages,
        password_hash,
    })
}

fn check_teams_exist(tx: &mut Tx<'_, '_>, team_ids: &[i64]) -> AppResult<()> {
    for (index, team_id) in team_ids.iter().enumerate() {
        if !repo::teams::exists(tx.conn(), *team_id)? {
            return Err(AppError::invalid(
                format!("team_ids/{index}"),
                format!("There is no team {team_id}."),
            ));
        }
    }
    Ok(())
}

/// Makes a user's teams exactly `team_ids`, with an event per change.
fn set_teams(tx: &mut Tx<'_, '_>, user_id: i64, team_ids: &[i64]) -> AppResult<bool> {
    let current = repo::teams::teams_of(tx.conn(), user_id)?;
    let mut changed = false;
    for team_id in current.iter().filter(|t| !team_ids.contains(t)) {
        repo::teams::remove_member(tx.conn(), *team_id, user_id)?;
        tx.emit(
            None,
            TeamMemberRemoved {
                team_id: *team_id,
                user_id,
            },
        )?;
        changed = true;
    }
    for team_id in team_ids.iter().filter(|t| !current.contains(t)) {
        repo::teams::add_member(tx.conn(), *team_id, user_id)?;
        tx.emit(
            None,
            TeamMemberAdded {
                team_id: *team_id,
                user_id,
            },
        )?;
        changed = true;
    }
    Ok(changed)
}

fn insert(tx: &mut Tx<'_, '_>, agent: &ValidAgent) -> AppResult<AgentView> {
    if repo::users::email_taken(tx.conn(), agent.email.as_str())? {
        return Err(AppError::conflict(
            ErrorCode::EmailTaken,
            "email",
            format!("A user with the email {} already exists.", agent.email),
        ));
    }
    check_teams_exist(tx, &agent.team_ids)?;
    let now = tx.now();
    let id = repo::users::insert(tx.conn(), agent, now)?;
    set_teams(tx, id, &agent.team_ids)?;
    tx.emit(
        None,
        AgentCreated {
            agent_id: id,
            role: agent.role,
            team_ids: agent.team_ids.clone(),
        },
    )?;
    repo::users::get(tx.conn(), id)
}

/// Ends every session and stream of a user (a password reset or a deactivation): deletes the
/// sessions with a `session.ended` event each, and raises the credential epoch, which ends
/// their API-token streams too.
pub(crate) fn end_every_session(tx: &mut Tx<'_, '_>, user_id: i64) -> AppResult<()> {
    repo::users::bump_auth_epoch(tx.conn(), user_id)?;
    for session_id in repo::sessions::delete_all_of(tx.conn(), user_id)? {
        tx.emit(
            None,
            SessionEnded {
                session_id,
                user_id,
            },
        )?;
    }
    Ok(())
}

impl Staff {
    /// Creates a staff user. Admins only.
    pub async fn create_agent(
        &self,
        actor: &Actor,
        input: NewAgent,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<AgentView>> {
        let grant = actor.grant(Permission::AgentCreate)?;
        let agent = validate(&input).await?;
        let result = self
            .kernel
            .command(&grant, "agent.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| insert(tx, &agent))
            })
            .await;
        self.forget_actors();
        result
    }

    /// Creates a user from the command line or the demo (recorded as done by tiski).
    pub async fn create_agent_as_system(&self, input: NewAgent) -> AppResult<AgentView> {
        self.create_agent(&Actor::system(), input, None)
            .await?
            .fresh()
            .ok_or(AppError::not_found("agent"))
    }

    /// Gets a staff user the actor may see.
    pub async fn get_agent(&self, actor: &Actor, id: i64) -> AppResult<AgentView> {
        let grant = actor.grant(Permission::AgentRead)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                repo::users::get_visible(conn, &actor, id)
            })
            .await
    }

    /// Lists the staff the actor may see, by id.
    pub async fn list_agents(
        &self,
        actor: &Actor,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<AgentView>> {
        let grant = actor.grant(Permission::AgentRead)?;
        let limit = cursor::limit(limit)?;
        let after = cursor::after_id(cursor.as_deref())?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let items = repo::users::list_visible(conn, &actor, after, limit + 1)?;
                Ok(cursor::page_by_id(items, limit, false, |a| a.id))
            })
            .await
    }

    /// Changes a staff user. Admins only.
    pub async fn update_agent(
        &self,
        actor: &Actor,
        id: i64,
        patch: AgentPatch,
    ) -> AppResult<AgentView> {
        let grant = actor.grant(Permission::AgentUpdate)?;
        let name = patch
            .name
            .as_deref()
            .map(|n| rules::name("name", n, 200, "name"))
            .transpose()?;
        let languages = patch
            .languages
            .as_deref()
            .map(rules::languages)
            .transpose()?;
        let password_hash = match &patch.password {
            Some(password) => {
                crypto::check_password_policy(password)?;
                Some(crypto::hash_password_off_thread(password.clone()).await?)
            }
            None => None,
        };
        let team_ids = patch.team_ids.as_deref().map(rules::team_ids);
        if patch.active == Some(false) && id == actor.id {
            return Err(AppError::invalid(
                "active",
                "You cannot deactivate yourself.",
            ));
        }
        let result = self
            .kernel
            .command(&grant, "agent.update", move |tx| {
                let before = repo::users::get(tx.conn(), id)?;
                let changes = UserChanges {
                    name: name.clone(),
                    role: patch.role,
                    languages: languages.clone(),
                    active: patch.active,
                    password_hash: password_hash.clone(),
                };
                let now = tx.now();
                repo::users::update(tx.conn(), id, &changes, now)?;
                let mut teams_changed = false;
                if let Some(team_ids) = &team_ids {
                    check_teams_exist(tx, team_ids)?;
                    teams_changed = set_teams(tx, id, team_ids)?;
                }
                let after = repo::users::get(tx.conn(), id)?;
                let mut changed = Vec::new();
                let fields = [
                    (AgentField::Name, before.name != after.name),
                    (AgentField::Role, before.role != after.role),
                    (AgentField::Teams, teams_changed),
                    (AgentField::Languages, before.languages != after.languages),
                    (AgentField::Active, before.active != after.active),
                    (AgentField::Password, password_hash.is_some()),
                ];
                changed.extend(fields.iter().filter(|(_, c)| *c).map(|(f, _)| *f));
                if password_hash.is_some() || (before.active && !after.active) {
                    end_every_session(tx, id)?;
                }
                tx.emit(
                    None,
                    AgentUpdated {
                        agent_id: id,
                        changed,
                    },
                )?;
                Ok(after)
            })
            .await;
        self.forget_actors();
        result
    }

    /// Whether any active admin exists (to tell a new installation how to create one).
    pub async fn has_admin(&self) -> AppResult<bool> {
        self.kernel.read_internal(repo::users::has_admin).await
    }

    /// The display names of all staff, by id, for showing who wrote or changed something.
    /// Names only: the full records stay behind [`Staff::list_agents`]'s scope.
    pub async fn staff_names(&self, actor: &Actor) -> AppResult<HashMap<i64, String>> {
        let grant = actor.grant(Permission::AgentRead)?;
        self.kernel.query(&grant, repo::users::names).await
    }
}
