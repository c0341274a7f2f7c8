//! The router: one matcher step — read who could take what and let the matcher decide (on a
//! read connection, so a desk whose waiting work nobody can take never holds the writer),
//! then claim the decisions in one transaction with conditional updates, so that two nodes
//! never give one item twice nor an agent more than their capacity, whatever changed between.

use crate::OfferTimeout;
use crate::Routing;
use crate::repo::{self, Item};
use crate::rules::{
    self, AgentState, Assignment, QueueState, Routability, WaitingItem, queue_input,
};
use std::collections::{BTreeMap, HashMap};
use tiski_domain::Permission;
use tiski_domain::event::{TicketOffered, TicketRouted};
use tiski_domain::routing::{PresenceStatus, SkillType};
use tiski_kernel::{Actor, AppResult, Conn, Tx};
use tiski_ticketing::tickets;

/// The most waiting items one step considers, oldest first.
pub const MATCH_BATCH: i64 = 5000;

impl Routing {
    /// One matcher step as tiski's router: assigns waiting work to agents who may take it
    /// now; how many items it assigned.
    pub async fn match_once(&self) -> AppResult<usize> {
        let grant = Actor::system().grant(Permission::RoutingAssign)?;
        // Offers whose time ran out go back first, so their items reach the next agent now.
        self.lapse_offers().await?;
        let now = self.kernel.now();
        let (waiting, plan, timeouts) = self
            .kernel
            .query(&grant, move |conn| plan(conn, now, MATCH_BATCH))
            .await?;
        if plan.is_empty() {
            return Ok(0);
        }
        self.kernel
            .command(&grant, "routing.match", move |tx| {
                claim(tx, &waiting, plan.clone(), &timeouts)
            })
            .await
    }
}

/// The offer timeouts set per queue.
type Timeouts = HashMap<i64, Vec<OfferTimeout>>;

/// What the matcher would assign at `now`, with the waiting items it saw and the queues'
/// offer timeouts.
fn plan(
    conn: &mut dyn Conn,
    now: i64,
    batch: i64,
) -> AppResult<(Vec<Item>, Vec<Assignment>, Timeouts)> {
    let waiting = repo::waiting(conn, now, batch)?;
    if waiting.is_empty() {
        return Ok((waiting, Vec::new(), Timeouts::new()));
    }
    // Everyone signed in: the routable take work, the others count for overflow's "could
    // anyone ever take it".
    let presences: Vec<_> = repo::presences(conn)?
        .into_iter()
        .filter(|p| p.status != PresenceStatus::Offline)
        .collect();
    if !presences
        .iter()
        .any(|p| p.status.routability() == Routability::Routable)
    {
        return Ok((waiting, Vec::new(), Timeouts::new()));
    }
    let teams: HashMap<i64, Vec<i64>> = tiski_staff::lookup::active_actors(conn)?
        .into_iter()
        .map(|a| (a.id, a.team_ids))
        .collect();
    let work = repo::loads(conn, None)?;
    let held = repo::held_skills(conn, None)?;
    let mut agents: Vec<AgentState> = presences
        .iter()
        .filter_map(|p| {
            let team_ids = teams.get(&p.user_id)?.clone();
            Some(AgentState {
                id: p.user_id,
                routable: p.status.routability() == Routability::Routable
                    && p.not_responding_since.is_none(),
                present: true,
                capacity: p.capacity,
                load: work
                    .iter()
                    .filter(|w| w.agent_id == p.user_id)
                    .map(|w| (w.channel, w.cost))
                    .collect(),
                skills: held
                    .iter()
                    .filter(|h| h.user_id == p.user_id)
                    .map(|h| rules::AgentSkill {
                        skill_id: h.skill_id,
                        proficiency: h.proficiency,
                        valid_before: h.valid_before,
                    })
                    .collect(),
                team_ids,
                last_assigned_at: p.last_assigned_at,
            })
        })
        .collect();
    let rows = repo::queues(conn)?;
    let timeouts: Timeouts = rows
        .iter()
        .map(|q| (q.view.id, q.timeouts.clone()))
        .collect();
    let mut queues: Vec<QueueState> = rows
        .into_iter()
        .map(|q| QueueState {
            id: q.view.id,
            selection: q.view.selection,
            push: q.view.push,
            team_ids: q.view.team_ids,
            last_agent_id: q.last_agent_id,
            overflow: q
                .view
                .overflow
                .iter()
                .map(|step| rules::Step {
                    after: step.after_s.saturating_mul(rules::SECOND),
                    add_queue: step.add_queue_id,
                    drop_skill: step.drop_skill_id,
                    skip_when_unmatchable: step.skip_when_unmatchable,
                })
                .collect(),
        })
        .collect();
    let relaxable: HashMap<i64, bool> = repo::skills(conn)?
        .into_iter()
        .map(|s| (s.id, s.relaxable && s.kind != SkillType::Licence))
        .collect();
    let items: Vec<WaitingItem> = waiting
        .iter()
        .filter_map(|item| {
            Some(WaitingItem {
                id: item.id,
                queue_id: item.queue_id?,
                channel: item.channel,
                cost: item.cost,
                eligible_at: item.eligible_at,
                head_start: rules::head_start(item.priority),
                requirements: item
                    .requirements
                    .iter()
                    .map(|need| rules::Requirement {
                        skill_id: need.skill_id,
                        min_proficiency: need.min_proficiency,
                        relax_after: rules::input::relax_after(need),
                        relaxable: relaxable.get(&need.skill_id).copied().unwrap_or(false),
                    })
                    .collect(),
            })
        })
        .collect();
    let plan = rules::assign(now, &mut agents, &mut queues, &items);
    Ok((waiting, plan, timeouts))
}

/// Claims the matcher's decisions: each agent's row is locked in id order and their status
/// and load read again, so a decision that no longer holds (another node's claim, a status
/// changed since) is dropped; then each item
/// is claimed only while it still waits (in id order, so two nodes never deadlock).
fn claim(
    tx: &mut Tx<'_, '_>,
    waiting: &[Item],
    plan: Vec<Assignment>,
    timeouts: &Timeouts,
) -> AppResult<usize> {
    let now = tx.now();
    let mut by_agent: BTreeMap<i64, Vec<Assignment>> = BTreeMap::new();
    for assignment in plan {
        by_agent
            .entry(assignment.agent_id)
            .or_default()
            .push(assignment);
    }
    let mut kept = Vec::new();
    for (agent_id, assignments) in by_agent {
        let Some((status, capacity, not_responding)) = repo::lock_agent(tx.conn(), agent_id)?
        else {
            continue;
        };
        if status.routability() != Routability::Routable || not_responding {
            continue;
        }
        let mut agent = AgentState {
            id: agent_id,
            routable: true,
            present: true,
            capacity,
            load: repo::loads(tx.conn(), Some(agent_id))?
                .into_iter()
                .map(|w| (w.channel, w.cost))
                .collect(),
            skills: Vec::new(),
            team_ids: Vec::new(),
            last_assigned_at: None,
        };
        for assignment in assignments {
            let Some(item) = waiting.iter().find(|i| i.id == assignment.item_id) else {
                continue;
            };
            if agent.fits(item.channel, item.cost) {
                agent.take(item.channel, item.cost, now);
                kept.push((assignment, item));
            }
        }
    }
    kept.sort_by_key(|(assignment, _)| assignment.item_id);
    let mut made = 0;
    for (assignment, item) in kept {
        let seconds = timeouts.get(&assignment.queue_id).map_or_else(
            || rules::default_offer_timeout(item.channel),
            |set| queue_input::timeout_for(set, item.channel),
        );
        if seconds > 0 {
            let expires_at = now.saturating_add(seconds.saturating_mul(rules::SECOND));
            if !repo::offer(
                tx.conn(),
                item.id,
                assignment.queue_id,
                assignment.agent_id,
                now,
                expires_at,
            )? {
                continue;
            }
            tx.emit(
                Some(item.ticket_id),
                TicketOffered {
                    work_item_id: item.id,
                    queue_id: assignment.queue_id,
                    agent_id: assignment.agent_id,
                    rule: assignment.rule,
                    relaxed: assignment.relaxed.clone(),
                    expires_at,
                },
            )?;
        } else {
            if !repo::claim(
                tx.conn(),
                item.id,
                assignment.queue_id,
                assignment.agent_id,
                now,
            )? {
                continue;
            }
            let ticket = tickets::get(tx.conn(), item.ticket_id)?;
            tickets::assign(tx, &ticket, Some(assignment.agent_id))?;
            tx.emit(
                Some(item.ticket_id),
                TicketRouted {
                    work_item_id: item.id,
                    queue_id: assignment.queue_id,
                    agent_id: assignment.agent_id,
                    rule: assignment.rule,
                    relaxed: assignment.relaxed.clone(),
                    waited_s: (now - item.eligible_at).max(0) / rules::SECOND,
                    via_queue_id: assignment.via_queue_id,
                },
            )?;
        }
        repo::touch_assigned(tx.conn(), assignment.agent_id, now)?;
        repo::set_last_agent(tx.conn(), assignment.queue_id, assignment.agent_id)?;
        made += 1;
    }
    Ok(made)
}
