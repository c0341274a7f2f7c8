//! Overflow: the ordered steps of a queue that widen who may take an item as it waits
//! (another queue's members join, or a relaxable requirement is dropped), each at its time
//! after the item's eligible time, or at once when nobody so far could ever take the item.

use super::matcher::{AgentState, QueueState, WaitingItem};

/// One overflow step as the matcher applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// After how long a wait (microseconds, from the eligible time) it applies.
    pub after: i64,
    /// The queue whose members join.
    pub add_queue: Option<i64>,
    /// The skill whose requirement is dropped.
    pub drop_skill: Option<i64>,
    /// Whether it applies at once when nobody so far could ever take the item.
    pub skip_when_unmatchable: bool,
}

/// Who may take an item now: its queue and the queues overflow added (indexes into the
/// queues), and the requirements overflow dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pool {
    /// The queues whose members may take it, its own first.
    pub queues: Vec<usize>,
    /// The skills it no longer needs.
    pub dropped: Vec<i64>,
}

impl Pool {
    /// Whether `agent` is a member of a queue of the pool, and which (the first).
    pub fn member_of(&self, queues: &[QueueState], agent: &AgentState) -> Option<usize> {
        self.queues
            .iter()
            .copied()
            .find(|&q| queues[q].has_member(agent))
    }
}

/// Whether `agent` could ever take `item` whatever their status and load: signed in, and
/// holding every requirement that will not relax or be dropped.
fn could_ever(agent: &AgentState, item: &WaitingItem, dropped: &[i64], now: i64) -> bool {
    agent.present
        && item.requirements.iter().all(|need| {
            dropped.contains(&need.skill_id)
                || (need.relaxable && need.relax_after.is_some())
                || agent
                    .skill_held(need.skill_id, now)
                    .is_some_and(|s| s.proficiency >= need.min_proficiency)
        })
}

/// The pool of `item` (queued in `queues[own]`) at `now`: steps apply in order, each once its
/// wait has passed, or at once when it says so and nobody in the pool so far could ever take
/// the item; the first step that does not apply stops the walk.
pub fn pool(
    own: usize,
    queues: &[QueueState],
    agents: &[AgentState],
    item: &WaitingItem,
    now: i64,
) -> Pool {
    let mut pool = Pool {
        queues: vec![own],
        dropped: Vec::new(),
    };
    for step in &queues[own].overflow {
        let due = now >= item.eligible_at.saturating_add(step.after);
        let skip = !due
            && step.skip_when_unmatchable
            && !agents.iter().any(|agent| {
                pool.member_of(queues, agent).is_some()
                    && could_ever(agent, item, &pool.dropped, now)
            });
        if !due && !skip {
            break;
        }
        if let Some(added) = step.add_queue
            && let Some(index) = queues.iter().position(|q| q.id == added)
            && !pool.queues.contains(&index)
        {
            pool.queues.push(index);
        }
        if let Some(skill) = step.drop_skill
            && !pool.dropped.contains(&skill)
        {
            pool.dropped.push(skill);
        }
    }
    pool
}
