//! Teams and their members.

use crate::cursor::Page;
use crate::idempotency::{self, Idempotency, Stored};
use crate::{Actor, App, AppError, AppResult, events, time};
use serde::{Deserialize, Serialize};
use tiski_domain::EventType;
use tiski_store::{Conn, Row, params};

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

fn view(conn: &mut dyn Conn, row: &Row) -> AppResult<TeamView> {
    let id: i64 = row.get(0)?;
    let member_ids = conn
        .query(
            "SELECT m.user_id FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 ORDER BY m.user_id",
            params![id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<Vec<i64>, _>>()?;
    Ok(TeamView {
        id,
        name: row.get(1)?,
        member_ids,
        created_at: time::format(row.get(2)?),
    })
}

fn get_in(conn: &mut dyn Conn, id: i64) -> AppResult<TeamView> {
    let row = conn
        .query_opt(
            "SELECT id, name, created_at FROM teams WHERE id = $1",
            params![id],
        )?
        .ok_or(AppError::not_found("team"))?;
    view(conn, &row)
}

fn parse_name(name: &str) -> AppResult<String> {
    crate::refuse_nul("name", name)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid(
            "name",
            "The team name must have 1 to 100 characters.",
        ));
    }
    Ok(name.to_string())
}

impl App {
    /// Creates a team. Admins only.
    pub async fn create_team(
        &self,
        actor: &Actor,
        input: NewTeam,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<TeamView>> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("Only admins may create teams."));
        }
        let name = parse_name(&input.name)?;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                idempotency::run(tx, &actor, idempotency.as_ref(), |tx| {
                    let key = name.to_lowercase();
                    if tx.conn().query_opt("SELECT id FROM teams WHERE name_key = $1", params![key.as_str()])?.is_some() {
                        return Err(AppError::conflict("name", format!("A team named {name:?} already exists.")));
                    }
                    let id: i64 = tx.conn().query_scalar(
                        "INSERT INTO teams (name, name_key, created_at) VALUES ($1, $2, $3) RETURNING id",
                        params![name.as_str(), key, time::now_micros()],
                    )?;
                    let team = get_in(tx.conn(), id)?;
                    events::append(tx, &actor, None, EventType::TeamCreated, serde_json::json!({"team": &team}));
                    Ok(team)
                })
            })
            .await;
        self.command_done("team.create", &result);
        result
    }

    /// Creates a team from the command line or the demo.
    pub async fn create_team_as_system(&self, name: &str) -> AppResult<TeamView> {
        let system = Actor::system();
        self.create_team(&system, NewTeam { name: name.into() }, None)
            .await?
            .fresh()
            .ok_or(AppError::not_found("team"))
    }

    /// Lists every team (team names are not secret: agents move tickets between teams).
    pub async fn list_teams(
        &self,
        _actor: &Actor,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<TeamView>> {
        let limit = crate::cursor::limit(limit)?;
        let after = match cursor {
            Some(text) => crate::cursor::Cursor::decode(&text, "id")?.id,
            None => 0,
        };
        self.store()
            .read(move |conn| {
                let rows = conn.query(
                    "SELECT id, name, created_at FROM teams WHERE id > $1 ORDER BY id LIMIT $2",
                    params![after, limit + 1],
                )?;
                let ids = rows
                    .iter()
                    .map(|r| r.get(0))
                    .collect::<Result<Vec<i64>, _>>()?;
                let mut members: std::collections::HashMap<i64, Vec<i64>> = Default::default();
                if !ids.is_empty() {
                    let sql = format!(
                        "SELECT team_id, user_id FROM team_members WHERE team_id IN ({}) ORDER BY user_id",
                        crate::actor::join_ids(&ids)
                    );
                    for row in conn.query(&sql, &[])? {
                        members.entry(row.get(0)?).or_default().push(row.get(1)?);
                    }
                }
                let mut items = rows
                    .iter()
                    .map(|row| {
                        let id: i64 = row.get(0)?;
                        Ok(TeamView {
                            id,
                            name: row.get(1)?,
                            member_ids: members.remove(&id).unwrap_or_default(),
                            created_at: time::format(row.get(2)?),
                        })
                    })
                    .collect::<AppResult<Vec<_>>>()?;
                Ok(crate::page_by_id(&mut items, limit, |t| t.id))
            })
            .await
    }

    /// The team named `name` (in any case), created if there is none; `true` when created.
    /// For the command line and the demo.
    pub async fn find_or_create_team_as_system(&self, name: &str) -> AppResult<(TeamView, bool)> {
        let key = parse_name(name)?.to_lowercase();
        let found = self
            .store()
            .read(move |conn| {
                conn.query_opt(
                    "SELECT id FROM teams WHERE name_key = $1",
                    params![key.as_str()],
                )?
                .map(|row| row.get::<i64>(0))
                .transpose()
                .map_err(AppError::from)
            })
            .await?;
        match found {
            Some(id) => Ok((self.get_team(&Actor::system(), id).await?, false)),
            None => Ok((self.create_team_as_system(name).await?, true)),
        }
    }

    /// Gets one team.
    pub async fn get_team(&self, _actor: &Actor, id: i64) -> AppResult<TeamView> {
        self.store().read(move |conn| get_in(conn, id)).await
    }

    /// Adds or removes a member. Admins, and supervisors of that team.
    pub async fn set_team_member(
        &self,
        actor: &Actor,
        team_id: i64,
        user_id: i64,
        member: bool,
    ) -> AppResult<TeamView> {
        let allowed = actor.is_admin()
            || (actor.role == tiski_domain::Role::Supervisor && actor.team_ids.contains(&team_id));
        if !allowed {
            return Err(AppError::forbidden(
                "Only admins and the team's supervisors may change its members.",
            ));
        }
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                get_in(tx.conn(), team_id)?;
                if tx
                    .conn()
                    .query_opt("SELECT id FROM users WHERE id = $1", params![user_id])?
                    .is_none()
                {
                    return Err(AppError::not_found("agent"));
                }
                let present = tx
                    .conn()
                    .query_opt(
                        "SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2",
                        params![team_id, user_id],
                    )?
                    .is_some();
                if member && !present {
                    tx.conn().execute(
                        "INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)",
                        params![team_id, user_id],
                    )?;
                    events::append(
                        tx,
                        &actor,
                        None,
                        EventType::TeamMemberAdded,
                        serde_json::json!({"team_id": team_id, "user_id": user_id}),
                    );
                } else if !member && present {
                    tx.conn().execute(
                        "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2",
                        params![team_id, user_id],
                    )?;
                    events::append(
                        tx,
                        &actor,
                        None,
                        EventType::TeamMemberRemoved,
                        serde_json::json!({"team_id": team_id, "user_id": user_id}),
                    );
                }
                get_in(tx.conn(), team_id)
            })
            .await;
        self.command_done("team.member", &result);
        self.forget_actors();
        result
    }
}
