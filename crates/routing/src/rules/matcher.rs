//! The matcher: which waiting item goes to which agent now.
//!
//! Items are served oldest first by their effective time (eligible time minus the priority's
//! head start). An item goes only to a routable member of its queue with spare capacity for
//! its cost, engaged on no channel that blocks its channel, who meets every requirement that
//! has not relaxed: a requirement relaxes once the item has waited its `relax_after` (from its
//! eligible time, so at exactly that time), never when its skill does not relax (a licence);
//! an expired skill counts as absent. Among those agents the queue's selection method chooses.

use super::Selection;
use std::cmp::Ordering;
use tiski_domain::Channel;

/// A skill an agent has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSkill {
    /// The skill.
    pub skill_id: i64,
    /// How well, 1 to 5.
    pub proficiency: i64,
    /// The first moment it no longer counts (the day after its `valid_until`), if it expires.
    pub valid_before: Option<i64>,
}

/// An agent as the matcher sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentState {
    /// The agent's user id.
    pub id: i64,
    /// Whether their status takes pushed work (and they are not "not responding").
    pub routable: bool,
    /// Whether they are signed in at all (any status but offline): overflow's "could ever
    /// match" counts them.
    pub present: bool,
    /// Their units of capacity.
    pub capacity: i64,
    /// Units in use per channel (items assigned to them that still count).
    pub load: Vec<(Channel, i64)>,
    /// Their skills.
    pub skills: Vec<AgentSkill>,
    /// The teams they are a member of.
    pub team_ids: Vec<i64>,
    /// When they were last assigned an item (`None`: never).
    pub last_assigned_at: Option<i64>,
}

impl AgentState {
    /// Units in use on every channel together.
    pub fn used(&self) -> i64 {
        self.load.iter().map(|(_, units)| units).sum()
    }

    /// Whether an item of `channel` costing `cost` fits: spare units for it, and no channel
    /// they are engaged on blocks it.
    pub fn fits(&self, channel: Channel, cost: i64) -> bool {
        self.capacity - self.used() >= cost
            && !self
                .load
                .iter()
                .any(|(engaged, units)| *units > 0 && super::blocks(*engaged, channel))
    }

    /// Their skill `skill_id` if it counts at `now` (an expired one does not).
    pub fn skill_held(&self, skill_id: i64, now: i64) -> Option<&AgentSkill> {
        self.skills
            .iter()
            .find(|s| s.skill_id == skill_id && s.valid_before.is_none_or(|end| now < end))
    }

    /// Takes an item of `channel` costing `cost` at `now`.
    pub fn take(&mut self, channel: Channel, cost: i64, now: i64) {
        match self.load.iter_mut().find(|(c, _)| *c == channel) {
            Some((_, units)) => *units += cost,
            None => self.load.push((channel, cost)),
        }
        self.last_assigned_at = Some(now);
    }
}

/// A skill a waiting item needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The skill.
    pub skill_id: i64,
    /// The least proficiency that counts.
    pub min_proficiency: i64,
    /// After how long a wait (microseconds) it no longer holds the item back; `None`: never.
    pub relax_after: Option<i64>,
    /// Whether the skill may relax at all (a licence never does, whatever `relax_after` says).
    pub relaxable: bool,
}

impl Requirement {
    /// Whether it has relaxed for an item eligible since `eligible_at`.
    pub fn relaxed(&self, eligible_at: i64, now: i64) -> bool {
        self.relaxable
            && self
                .relax_after
                .is_some_and(|after| now >= eligible_at.saturating_add(after))
    }
}

/// An item waiting in a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingItem {
    /// The work item's id.
    pub id: i64,
    /// Its queue.
    pub queue_id: i64,
    /// Its channel.
    pub channel: Channel,
    /// Units of capacity it takes.
    pub cost: i64,
    /// Since when it waits (kept across requeues); not before then.
    pub eligible_at: i64,
    /// Its priority's head start (negative: behind).
    pub head_start: i64,
    /// The skills it needs.
    pub requirements: Vec<Requirement>,
}

impl WaitingItem {
    /// Its place in the queue: the earlier, the sooner it is served.
    pub fn effective_at(&self) -> i64 {
        self.eligible_at.saturating_sub(self.head_start)
    }
}

/// A queue as the matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueState {
    /// The queue's id.
    pub id: i64,
    /// How it chooses among agents.
    pub selection: Selection,
    /// Whether its items are pushed (otherwise agents pull them).
    pub push: bool,
    /// Its member teams; none means every agent.
    pub team_ids: Vec<i64>,
    /// The agent it chose last (where round robin goes on from).
    pub last_agent_id: Option<i64>,
    /// Its overflow steps, in order.
    pub overflow: Vec<super::Step>,
}

impl QueueState {
    /// Whether the agent is a member (of a member team, or every agent when it has none).
    pub fn has_member(&self, agent: &AgentState) -> bool {
        self.team_ids.is_empty() || agent.team_ids.iter().any(|t| self.team_ids.contains(t))
    }
}

/// One decision of the matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The item.
    pub item_id: i64,
    /// Its queue.
    pub queue_id: i64,
    /// The agent chosen.
    pub agent_id: i64,
    /// The selection method that chose them.
    pub rule: Selection,
    /// The requirements that had relaxed or overflow dropped (their skill ids).
    pub relaxed: Vec<i64>,
    /// The queue overflow added that the agent is a member of (`None`: a member of the
    /// item's own queue).
    pub via_queue_id: Option<i64>,
}

/// Whether `agent` may take `item` now; the skills relaxed to allow it.
fn eligible(agent: &AgentState, item: &WaitingItem, dropped: &[i64], now: i64) -> Option<Vec<i64>> {
    if !agent.routable || !agent.fits(item.channel, item.cost) {
        return None;
    }
    let mut relaxed = Vec::new();
    for need in &item.requirements {
        let met = agent
            .skill_held(need.skill_id, now)
            .is_some_and(|s| s.proficiency >= need.min_proficiency);
        if met {
            continue;
        }
        let dropped = need.relaxable && dropped.contains(&need.skill_id);
        if !dropped && !need.relaxed(item.eligible_at, now) {
            return None;
        }
        relaxed.push(need.skill_id);
    }
    Some(relaxed)
}

/// Longest idle first: never assigned before anyone, then the oldest last assignment.
fn idle_order(a: &AgentState, b: &AgentState) -> Ordering {
    let key = |x: &AgentState| (x.last_assigned_at.unwrap_or(i64::MIN), x.id);
    key(a).cmp(&key(b))
}

fn skill_score(agent: &AgentState, item: &WaitingItem, now: i64) -> i64 {
    item.requirements
        .iter()
        .filter_map(|need| agent.skill_held(need.skill_id, now))
        .map(|s| s.proficiency)
        .sum()
}

/// The candidate (indexes into `agents`) the queue's method chooses.
fn choose(
    selection: Selection,
    last_agent_id: Option<i64>,
    agents: &[AgentState],
    candidates: &[usize],
    item: &WaitingItem,
    now: i64,
) -> Option<usize> {
    let by = |f: &dyn Fn(&AgentState, &AgentState) -> Ordering| {
        candidates
            .iter()
            .copied()
            .min_by(|&a, &b| f(&agents[a], &agents[b]))
    };
    match selection {
        Selection::LongestIdle => by(&idle_order),
        Selection::RoundRobin => {
            let after = last_agent_id.unwrap_or(i64::MIN);
            let next = candidates
                .iter()
                .copied()
                .filter(|&i| agents[i].id > after)
                .min_by_key(|&i| agents[i].id);
            next.or_else(|| candidates.iter().copied().min_by_key(|&i| agents[i].id))
        }
        Selection::LeastLoaded => by(&|a, b| {
            // used_a / cap_a against used_b / cap_b, exactly.
            let left = i128::from(a.used()) * i128::from(b.capacity.max(1));
            let right = i128::from(b.used()) * i128::from(a.capacity.max(1));
            left.cmp(&right).then_with(|| idle_order(a, b))
        }),
        Selection::BestSkill => by(&|a, b| {
            skill_score(b, item, now)
                .cmp(&skill_score(a, item, now))
                .then_with(|| idle_order(a, b))
        }),
    }
}

/// The assignments to make at `now`, oldest effective time first; `agents` and `queues` are
/// updated as if they were made (load, last assignment, round-robin position), so one call
/// never gives an agent more than their capacity.
pub fn assign(
    now: i64,
    agents: &mut [AgentState],
    queues: &mut [QueueState],
    items: &[WaitingItem],
) -> Vec<Assignment> {
    let mut order: Vec<&WaitingItem> = items.iter().filter(|i| i.eligible_at <= now).collect();
    order.sort_by_key(|i| (i.effective_at(), i.eligible_at, i.id));
    let mut made = Vec::new();
    let mut candidates = Vec::new();
    let mut relaxed_of = Vec::new();
    for item in order {
        if !agents
            .iter()
            .any(|a| a.routable && a.fits(item.channel, item.cost))
        {
            // Nobody has room for this channel: no need to look further for this item.
            continue;
        }
        let Some(own) = queues.iter().position(|q| q.id == item.queue_id) else {
            continue;
        };
        if !queues[own].push {
            continue;
        }
        let pool = if queues[own].overflow.is_empty() {
            super::overflow::Pool {
                queues: vec![own],
                dropped: Vec::new(),
            }
        } else {
            super::overflow::pool(own, queues, agents, item, now)
        };
        candidates.clear();
        relaxed_of.clear();
        for (index, agent) in agents.iter().enumerate() {
            let Some(via) = pool.member_of(queues, agent) else {
                continue;
            };
            if let Some(relaxed) = eligible(agent, item, &pool.dropped, now) {
                candidates.push(index);
                relaxed_of.push((index, via, relaxed));
            }
        }
        let queue = &queues[own];
        let Some(chosen) = choose(
            queue.selection,
            queue.last_agent_id,
            agents,
            &candidates,
            item,
            now,
        ) else {
            continue;
        };
        let agent = &mut agents[chosen];
        agent.take(item.channel, item.cost, now);
        let rule = queue.selection;
        queues[own].last_agent_id = Some(agent.id);
        let (via, relaxed) = relaxed_of
            .iter()
            .find(|(index, _, _)| *index == chosen)
            .map(|(_, via, relaxed)| (*via, relaxed.clone()))
            .unwrap_or((own, Vec::new()));
        made.push(Assignment {
            item_id: item.id,
            queue_id: item.queue_id,
            agent_id: agent.id,
            rule,
            relaxed,
            via_queue_id: (via != own).then(|| queues[via].id),
        });
    }
    made
}
