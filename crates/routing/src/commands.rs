//! Commands and queries of routing: presence, skills, agents' skills, queues, the board.

use crate::repo::{self, HeldSkill, Presence, Work};
use crate::rules::{self, AgentState, DEFAULT_CAPACITY, Routability, input};
use crate::{
    AgentSkillsInput, AgentSkillsView, Board, BoardAgent, BoardQueue, ChannelPresence, NewSkill,
    PresenceView, Routing, RoutingState, SkillView,
};
use tiski_domain::event::{AgentResponding, AgentSkillsChanged, PresenceChanged, SkillCreated};
use tiski_domain::routing::{PresenceStatus, SkillType};
use tiski_domain::{Channel, Permission};
use tiski_kernel::{Actor, AppError, AppResult, Conn, time};

/// The channels presence shows a state for.
const CHANNELS: [Channel; 4] = [Channel::Email, Channel::Chat, Channel::Phone, Channel::Desk];

/// Whether `actor` reaches `agent`'s presence: themselves, an admin, or a supervisor sharing
/// a team with them.
fn reaches(actor: &Actor, agent: &Actor) -> bool {
    actor.id == agent.id
        || actor.is_admin()
        || (actor.may(Permission::PresenceSupervise)
            && agent.team_ids.iter().any(|t| actor.team_ids.contains(t)))
}

/// The active staff user `id` if `actor` reaches them (404 otherwise).
fn reachable(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<Actor> {
    match tiski_staff::lookup::actor(conn, id)? {
        Some(agent) if reaches(actor, &agent) => Ok(agent),
        _ => Err(AppError::not_found("agent")),
    }
}

/// An agent's presence as shown, from their row (none: offline) and their work.
pub(crate) fn presence_view(agent_id: i64, row: Option<&Presence>, work: &[Work]) -> PresenceView {
    let status = row.map_or(PresenceStatus::Offline, |p| p.status);
    let capacity = row.map_or(DEFAULT_CAPACITY, |p| p.capacity);
    let not_responding = row.and_then(|p| p.not_responding_since);
    let mine: Vec<&Work> = work.iter().filter(|w| w.agent_id == agent_id).collect();
    let state = AgentState {
        id: agent_id,
        routable: status.routability() == Routability::Routable,
        present: status != PresenceStatus::Offline,
        capacity,
        load: mine.iter().map(|w| (w.channel, w.cost)).collect(),
        skills: Vec::new(),
        team_ids: Vec::new(),
        last_assigned_at: None,
    };
    let channels = CHANNELS
        .iter()
        .map(|channel| {
            let load: i64 = state
                .load
                .iter()
                .filter(|(c, _)| c == channel)
                .map(|(_, units)| units)
                .sum();
            let offered = mine.iter().any(|w| w.offered && w.channel == *channel);
            let state = if offered {
                RoutingState::Offered
            } else if load > 0 {
                RoutingState::Engaged
            } else if not_responding.is_some() {
                RoutingState::NotResponding
            } else if state.routable && state.fits(*channel, rules::default_cost(*channel)) {
                RoutingState::Eligible
            } else {
                RoutingState::Off
            };
            ChannelPresence {
                channel: *channel,
                state,
                load,
            }
        })
        .collect();
    PresenceView {
        agent_id,
        status,
        since: row.map(|p| time::format(p.since)),
        capacity,
        load: state.used(),
        channels,
        not_responding_since: not_responding.map(time::format),
    }
}

fn load_presence(conn: &mut dyn Conn, agent_id: i64) -> AppResult<PresenceView> {
    let row = repo::presence(conn, agent_id)?;
    let work = repo::loads(conn, Some(agent_id))?;
    Ok(presence_view(agent_id, row.as_ref(), &work))
}

pub(crate) fn name_taken(what: &str, name: &str) -> AppError {
    AppError::invalid("name", format!("A {what} named {name:?} exists already."))
}

impl Routing {
    /// An agent's presence: status, since when, load and routing state per channel.
    pub async fn presence(&self, actor: &Actor, agent_id: i64) -> AppResult<PresenceView> {
        let grant = actor.grant(Permission::PresenceOwn)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                reachable(conn, &actor, agent_id)?;
                load_presence(conn, agent_id)
            })
            .await
    }

    /// Sets an agent's status: their own, or (supervisors) a member's of their teams, or
    /// (admins) anyone's.
    pub async fn set_presence(
        &self,
        actor: &Actor,
        agent_id: i64,
        status: PresenceStatus,
    ) -> AppResult<PresenceView> {
        let grant = if agent_id == actor.id {
            actor.grant(Permission::PresenceOwn)?
        } else {
            actor.grant(Permission::PresenceSupervise)?
        };
        let actor = actor.clone();
        self.kernel
            .command(&grant, "presence.set", move |tx| {
                reachable(tx.conn(), &actor, agent_id)?;
                let before = repo::presence(tx.conn(), agent_id)?;
                let from = before
                    .as_ref()
                    .map_or(PresenceStatus::Offline, |p| p.status);
                // Setting a status (even the same one) answers for the agent: they are back.
                if repo::clear_not_responding(tx.conn(), agent_id)? {
                    tx.emit(None, AgentResponding { agent_id })?;
                }
                if before.is_none() || from != status {
                    let now = tx.now();
                    repo::set_status(tx.conn(), agent_id, status, now, DEFAULT_CAPACITY)?;
                    if status == PresenceStatus::Offline {
                        crate::offers::lapse_all(tx, agent_id)?;
                    }
                    tx.emit(
                        None,
                        PresenceChanged {
                            agent_id,
                            from,
                            to: status,
                        },
                    )?;
                }
                load_presence(tx.conn(), agent_id)
            })
            .await
    }

    /// Every skill.
    pub async fn skills(&self, actor: &Actor) -> AppResult<Vec<SkillView>> {
        let grant = actor.grant(Permission::PresenceOwn)?;
        self.kernel.query(&grant, repo::skills).await
    }

    /// Creates a skill (a licence never relaxes).
    pub async fn create_skill(&self, actor: &Actor, new: NewSkill) -> AppResult<SkillView> {
        let grant = actor.grant(Permission::SkillManage)?;
        let name = input::name("name", &new.name)?;
        let relaxable = match (new.kind, new.relaxable) {
            (SkillType::Licence, Some(true)) => {
                return Err(AppError::invalid(
                    "relaxable",
                    "A licence never relaxes: leave relaxable out or false.",
                ));
            }
            (SkillType::Licence, _) => false,
            (_, given) => given.unwrap_or(true),
        };
        let kind = new.kind;
        self.kernel
            .command(&grant, "skill.create", move |tx| {
                let now = tx.now();
                let Some(id) = repo::insert_skill(tx.conn(), &name, kind, relaxable, now)? else {
                    return Err(name_taken("skill", &name));
                };
                tx.emit(
                    None,
                    SkillCreated {
                        skill_id: id,
                        kind,
                        relaxable,
                    },
                )?;
                repo::skill(tx.conn(), id)?.ok_or(AppError::not_found("skill"))
            })
            .await
    }

    /// Replaces an agent's skills (admins).
    pub async fn set_agent_skills(
        &self,
        actor: &Actor,
        agent_id: i64,
        skills: AgentSkillsInput,
    ) -> AppResult<AgentSkillsView> {
        let grant = actor.grant(Permission::SkillManage)?;
        if skills.items.len() > input::MAX_SKILLS {
            return Err(AppError::invalid(
                "items",
                format!("Give at most {} skills.", input::MAX_SKILLS),
            ));
        }
        let mut held = Vec::new();
        for (index, item) in skills.items.iter().enumerate() {
            let at = |part: &str| format!("items/{index}/{part}");
            if held.iter().any(|h: &HeldSkill| h.skill_id == item.skill_id) {
                return Err(AppError::invalid(
                    at("skill_id"),
                    format!("The skill {} is given twice.", item.skill_id),
                ));
            }
            let proficiency = input::proficiency(&at("proficiency"), item.proficiency)?;
            let (valid_until, valid_before) = match &item.valid_until {
                Some(text) => {
                    let (day, end) = input::valid_until(&at("valid_until"), text)?;
                    (Some(day), Some(end))
                }
                None => (None, None),
            };
            held.push(HeldSkill {
                user_id: agent_id,
                skill_id: item.skill_id,
                proficiency,
                valid_until,
                valid_before,
            });
        }
        self.kernel
            .command(&grant, "agent.skills", move |tx| {
                if !tiski_staff::lookup::user_is_active(tx.conn(), agent_id)? {
                    return Err(AppError::not_found("agent"));
                }
                for (index, skill) in held.iter().enumerate() {
                    if repo::skill(tx.conn(), skill.skill_id)?.is_none() {
                        return Err(AppError::invalid(
                            format!("items/{index}/skill_id"),
                            format!("There is no skill {}.", skill.skill_id),
                        ));
                    }
                }
                repo::replace_skills(tx.conn(), agent_id, &held)?;
                tx.emit(
                    None,
                    AgentSkillsChanged {
                        agent_id,
                        skill_ids: held.iter().map(|h| h.skill_id).collect(),
                    },
                )?;
                let now = tx.now();
                Ok(AgentSkillsView {
                    agent_id,
                    items: repo::held_skills(tx.conn(), Some(agent_id))?
                        .iter()
                        .map(|h| h.view(now))
                        .collect(),
                })
            })
            .await
    }

    /// The supervisors' board: the agents the caller reaches (a supervisor's teams', an
    /// admin's all) with presence, load and work, and every queue with its waiting count and
    /// oldest wait.
    pub async fn board(&self, actor: &Actor) -> AppResult<Board> {
        let grant = actor.grant(Permission::PresenceSupervise)?;
        let actor = actor.clone();
        let now = self.kernel.now();
        self.kernel
            .query(&grant, move |conn| {
                let rows = repo::presences(conn)?;
                let work = repo::loads(conn, None)?;
                let agents = tiski_staff::lookup::active_actors(conn)?
                    .into_iter()
                    .filter(|a| !a.is_system() && reaches(&actor, a))
                    .map(|a| BoardAgent {
                        presence: presence_view(
                            a.id,
                            rows.iter().find(|p| p.user_id == a.id),
                            &work,
                        ),
                        ticket_ids: work
                            .iter()
                            .filter(|w| w.agent_id == a.id)
                            .map(|w| w.ticket_id)
                            .collect(),
                        name: a.name,
                    })
                    .collect();
                let counts = repo::queue_counts(conn)?;
                let queues = repo::queues(conn)?
                    .into_iter()
                    .map(|q| {
                        let count = counts.iter().find(|c| c.0 == q.view.id);
                        BoardQueue {
                            queue_id: q.view.id,
                            name: q.view.name,
                            waiting: count.map_or(0, |c| c.1),
                            oldest_wait_s: count
                                .and_then(|c| c.2)
                                .map(|at| (now - at).max(0) / rules::SECOND),
                            assigned: count.map_or(0, |c| c.3),
                        }
                    })
                    .collect();
                Ok(Board { agents, queues })
            })
            .await
    }
}
