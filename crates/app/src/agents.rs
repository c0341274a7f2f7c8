//! Staff users (agents, supervisors, admins): create, change, list.

use crate::actor::join_ids;
use crate::cursor::{Cursor, Page};
use crate::idempotency::{self, Idempotency, Stored};
use crate::{Actor, App, AppError, AppResult, auth, events, time};
use serde::{Deserialize, Serialize};
use tiski_domain::{EmailAddress, EventType, LanguageTag, Role};
use tiski_store::{Conn, Row, WriteTx, params};

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

pub(crate) const COLUMNS: &str =
    "u.id, u.email, u.name, u.role, u.languages, u.active, u.created_at";

/// Reads rows of [`COLUMNS`] and fetches all their team ids in one more query.
pub(crate) fn views(conn: &mut dyn Conn, rows: &[Row]) -> AppResult<Vec<AgentView>> {
    let ids = rows
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<Vec<i64>, _>>()?;
    let mut teams: std::collections::HashMap<i64, Vec<i64>> = Default::default();
    if !ids.is_empty() {
        let sql = format!(
            "SELECT user_id, team_id FROM team_members WHERE user_id IN ({}) ORDER BY team_id",
            join_ids(&ids)
        );
        for row in conn.query(&sql, &[])? {
            teams.entry(row.get(0)?).or_default().push(row.get(1)?);
        }
    }
    rows.iter()
        .map(|row| {
            let id: i64 = row.get(0)?;
            let role: String = row.get(3)?;
            let languages: String = row.get(4)?;
            Ok(AgentView {
                id,
                email: row.get(1)?,
                name: row.get(2)?,
                role: Role::parse(&role).unwrap_or(Role::Agent),
                team_ids: teams.remove(&id).unwrap_or_default(),
                languages: serde_json::from_str(&languages).unwrap_or_default(),
                active: row.get(5)?,
                created_at: time::format(row.get(6)?),
            })
        })
        .collect()
}

fn parse_name(field: &str, name: &str) -> AppResult<String> {
    crate::refuse_nul(field, name)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::invalid(
            field,
            "The name must have 1 to 200 characters.",
        ));
    }
    Ok(name.to_string())
}

fn parse_languages(languages: &[String]) -> AppResult<Vec<String>> {
    if languages.len() > 20 {
        return Err(AppError::invalid("languages", "At most 20 languages."));
    }
    let mut out = Vec::new();
    for (index, language) in languages.iter().enumerate() {
        let tag = LanguageTag::parse(language)
            .map_err(|e| AppError::invalid(format!("languages/{index}"), e.message))?;
        if !out.contains(&tag.to_string()) {
            out.push(tag.into_string());
        }
    }
    Ok(out)
}

fn check_teams_exist(tx: &mut dyn Conn, team_ids: &[i64]) -> AppResult<()> {
    for (index, team_id) in team_ids.iter().enumerate() {
        if tx
            .query_opt("SELECT id FROM teams WHERE id = $1", params![*team_id])?
            .is_none()
        {
            return Err(AppError::invalid(
                format!("team_ids/{index}"),
                format!("There is no team {team_id}."),
            ));
        }
    }
    Ok(())
}

fn set_teams(tx: &mut WriteTx<'_>, actor: &Actor, user_id: i64, team_ids: &[i64]) -> AppResult<()> {
    let current = tx
        .conn()
        .query(
            "SELECT team_id FROM team_members WHERE user_id = $1",
            params![user_id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<Vec<i64>, _>>()?;
    for team_id in current.iter().filter(|t| !team_ids.contains(t)) {
        tx.conn().execute(
            "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2",
            params![*team_id, user_id],
        )?;
        events::append(
            tx,
            actor,
            None,
            EventType::TeamMemberRemoved,
            serde_json::json!({"team_id": team_id, "user_id": user_id}),
        );
    }
    for team_id in team_ids.iter().filter(|t| !current.contains(t)) {
        tx.conn().execute(
            "INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)",
            params![*team_id, user_id],
        )?;
        events::append(
            tx,
            actor,
            None,
            EventType::TeamMemberAdded,
            serde_json::json!({"team_id": team_id, "user_id": user_id}),
        );
    }
    Ok(())
}

impl ValidAgent {
    /// Replaces the plain password by its hash, computed off the async threads.
    async fn hashed(mut self) -> AppResult<ValidAgent> {
        if let Some(password) = self.password_hash.take() {
            self.password_hash = Some(auth::hash_password_off_thread(password).await?);
        }
        Ok(self)
    }
}

/// A validated new user, ready to insert.
struct ValidAgent {
    email: EmailAddress,
    name: String,
    role: Role,
    team_ids: Vec<i64>,
    languages: Vec<String>,
    /// The plain password after validation, its hash after [`ValidAgent::hashed`].
    password_hash: Option<String>,
}

fn validate(input: &NewAgent) -> AppResult<ValidAgent> {
    let email =
        EmailAddress::parse(&input.email).map_err(|e| AppError::invalid("email", e.message))?;
    let password_hash = match &input.password {
        Some(password) => {
            auth::check_password_policy(password)?;
            Some(password.clone())
        }
        None => None,
    };
    let mut team_ids = input.team_ids.clone();
    team_ids.sort_unstable();
    team_ids.dedup();
    Ok(ValidAgent {
        email,
        name: parse_name("name", &input.name)?,
        role: input.role,
        team_ids,
        languages: parse_languages(&input.languages)?,
        password_hash,
    })
}

fn insert(tx: &mut WriteTx<'_>, actor: &Actor, agent: &ValidAgent) -> AppResult<AgentView> {
    if tx
        .conn()
        .query_opt(
            "SELECT id FROM users WHERE email = $1",
            params![agent.email.as_str()],
        )?
        .is_some()
    {
        return Err(AppError::conflict(
            "email",
            format!("A user with the email {} already exists.", agent.email),
        ));
    }
    check_teams_exist(tx.conn(), &agent.team_ids)?;
    let now = time::now_micros();
    let id: i64 = tx.conn().query_scalar(
        "INSERT INTO users (email, name, role, languages, active, password_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $6, $6) RETURNING id",
        params![
            agent.email.as_str(),
            agent.name.as_str(),
            agent.role.as_str(),
            serde_json::to_string(&agent.languages)?,
            agent.password_hash.clone(),
            now
        ],
    )?;
    set_teams(tx, actor, id, &agent.team_ids)?;
    let view = get_in(tx.conn(), id)?;
    events::append(
        tx,
        actor,
        None,
        EventType::AgentCreated,
        serde_json::json!({"agent": &view}),
    );
    Ok(view)
}

fn get_in(conn: &mut dyn Conn, id: i64) -> AppResult<AgentView> {
    let rows = conn.query(
        &format!("SELECT {COLUMNS} FROM users u WHERE u.id = $1"),
        params![id],
    )?;
    views(conn, &rows)?
        .pop()
        .ok_or(AppError::not_found("agent"))
}

impl App {
    /// Creates a staff user. Admins only.
    pub async fn create_agent(
        &self,
        actor: &Actor,
        input: NewAgent,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<AgentView>> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("Only admins may create users."));
        }
        let agent = validate(&input)?.hashed().await?;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                idempotency::run(tx, &actor, idempotency.as_ref(), |tx| {
                    insert(tx, &actor, &agent)
                })
            })
            .await;
        self.command_done("agent.create", &result);
        self.forget_actors();
        result
    }

    /// Gets a staff user the actor may see.
    pub async fn get_agent(&self, actor: &Actor, id: i64) -> AppResult<AgentView> {
        let scope = actor.user_scope_sql();
        self.store()
            .read(move |conn| {
                let rows = conn.query(
                    &format!("SELECT {COLUMNS} FROM users u WHERE u.id = $1 AND {scope}"),
                    params![id],
                )?;
                views(conn, &rows)?
                    .pop()
                    .ok_or(AppError::not_found("agent"))
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
        let limit = crate::cursor::limit(limit)?;
        let after = match cursor {
            Some(text) => Cursor::decode(&text, "id")?.id,
            None => 0,
        };
        let scope = actor.user_scope_sql();
        self.store()
            .read(move |conn| {
                let rows = conn.query(
                    &format!("SELECT {COLUMNS} FROM users u WHERE u.id > $1 AND {scope} ORDER BY u.id LIMIT $2"),
                    params![after, limit + 1],
                )?;
                let mut items = views(conn, &rows)?;
                Ok(crate::page_by_id(&mut items, limit, |a| a.id))
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
        if !actor.is_admin() {
            return Err(AppError::forbidden("Only admins may change users."));
        }
        let name = patch
            .name
            .as_deref()
            .map(|n| parse_name("name", n))
            .transpose()?;
        let languages = patch
            .languages
            .as_deref()
            .map(parse_languages)
            .transpose()?;
        let password_hash = match &patch.password {
            Some(password) => {
                auth::check_password_policy(password)?;
                Some(auth::hash_password_off_thread(password.clone()).await?)
            }
            None => None,
        };
        let team_ids = patch.team_ids.clone().map(|mut ids| {
            ids.sort_unstable();
            ids.dedup();
            ids
        });
        if patch.active == Some(false) && id == actor.id {
            return Err(AppError::invalid(
                "active",
                "You cannot deactivate yourself.",
            ));
        }
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                let before = get_in(tx.conn(), id)?;
                let now = time::now_micros();
                if let Some(name) = &name {
                    tx.conn().execute("UPDATE users SET name = $1 WHERE id = $2", params![name.as_str(), id])?;
                }
                if let Some(role) = patch.role {
                    tx.conn().execute("UPDATE users SET role = $1 WHERE id = $2", params![role.as_str(), id])?;
                }
                if let Some(languages) = &languages {
                    tx.conn().execute(
                        "UPDATE users SET languages = $1 WHERE id = $2",
                        params![serde_json::to_string(languages)?, id],
                    )?;
                }
                if let Some(active) = patch.active {
                    tx.conn().execute("UPDATE users SET active = $1 WHERE id = $2", params![active, id])?;
                }
                if let Some(hash) = &password_hash {
                    tx.conn().execute("UPDATE users SET password_hash = $1 WHERE id = $2", params![hash.as_str(), id])?;
                }
                if let Some(team_ids) = &team_ids {
                    check_teams_exist(tx.conn(), team_ids)?;
                    set_teams(tx, &actor, id, team_ids)?;
                }
                tx.conn().execute("UPDATE users SET updated_at = $1 WHERE id = $2", params![now, id])?;
                let after = get_in(tx.conn(), id)?;
                events::append(
                    tx,
                    &actor,
                    None,
                    EventType::AgentUpdated,
                    serde_json::json!({"before": before, "after": &after, "password_changed": password_hash.is_some()}),
                );
                Ok(after)
            })
            .await;
        self.command_done("agent.update", &result);
        self.forget_actors();
        result
    }

    /// Creates a user from the command line (no actor; recorded as done by the system).
    pub async fn create_agent_as_system(&self, input: NewAgent) -> AppResult<AgentView> {
        let agent = validate(&input)?.hashed().await?;
        let system = Actor::system();
        let result = self
            .store()
            .write(move |tx| insert(tx, &system, &agent))
            .await;
        self.command_done("agent.create", &result);
        self.forget_actors();
        result
    }

    /// Issues an API token for the user with `email`; returns the token, shown only once.
    pub async fn create_token(&self, email: &str, label: &str) -> AppResult<String> {
        let email =
            EmailAddress::parse(email).map_err(|e| AppError::invalid("email", e.message))?;
        let label = label.trim().to_string();
        if label.chars().count() > 200 {
            return Err(AppError::invalid(
                "label",
                "The label must have at most 200 characters.",
            ));
        }
        let (token, digest) = auth::new_token();
        let system = Actor::system();
        self.store()
            .write(move |tx| {
                let user_id: i64 = tx
                    .conn()
                    .query_opt("SELECT id FROM users WHERE email = $1 AND active = 1", params![email.as_str()])?
                    .ok_or_else(|| AppError::invalid("email", format!("There is no active user with the email {email}.")))?
                    .get(0)?;
                let token_id: i64 = tx.conn().query_scalar(
                    "INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                    params![user_id, label.as_str(), digest.as_str(), time::now_micros()],
                )?;
                events::append(tx, &system, None, EventType::TokenCreated, serde_json::json!({"token_id": token_id, "user_id": user_id, "label": &label}));
                Ok::<_, AppError>(())
            })
            .await?;
        Ok(token)
    }

    /// Whether any active admin exists (to tell a new installation how to create one).
    pub async fn has_admin(&self) -> AppResult<bool> {
        self.store()
            .read(|conn| {
                Ok(conn
                    .query_opt(
                        "SELECT id FROM users WHERE role = 'admin' AND active = 1 LIMIT 1",
                        &[],
                    )?
                    .is_some())
            })
            .await
    }
}
