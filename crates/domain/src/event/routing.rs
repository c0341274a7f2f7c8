//! Payloads of routing events: presence, skills, queues, and work items moving through
//! queues to agents. Ids, statuses and names of rules only.

use crate::routing::{OfferLapse, PresenceStatus, RequeueReason, Selection, SkillType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An agent's presence status changed (set by them, a supervisor, or tiski).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PresenceChanged {
    /// Whose.
    pub agent_id: i64,
    /// The status before (`offline` when none was stored).
    pub from: PresenceStatus,
    /// The status now.
    pub to: PresenceStatus,
}

/// A skill was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SkillCreated {
    /// The skill.
    pub skill_id: i64,
    /// Its type.
    pub kind: SkillType,
    /// Whether a requirement of it may relax.
    pub relaxable: bool,
}

/// An agent's skills were replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentSkillsChanged {
    /// Whose.
    pub agent_id: i64,
    /// The skills they have now.
    pub skill_ids: Vec<i64>,
}

/// A queue was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QueueCreated {
    /// The queue.
    pub queue_id: i64,
    /// How it chooses agents.
    pub selection: Selection,
    /// Whether it pushes work.
    pub push: bool,
}

/// A queue's settings changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QueueUpdated {
    /// The queue.
    pub queue_id: i64,
    /// The fields that changed (`name`, `channels`, `team_ids`, `selection`, `push`).
    pub changed: Vec<String>,
}

/// A ticket's work item entered a queue, moved to another (a transfer: its place is reset),
/// or left routing (`queue_id` null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketQueued {
    /// The work item.
    pub work_item_id: i64,
    /// The queue before.
    pub from: Option<i64>,
    /// The queue now.
    pub to: Option<i64>,
    /// Its eligible time (microseconds; kept across requeues, reset by a transfer).
    pub eligible_at: i64,
}

/// The skills a ticket's work item needs changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketRequirementsChanged {
    /// The work item.
    pub work_item_id: i64,
    /// The skills it needs now.
    pub skill_ids: Vec<i64>,
}

/// The router assigned a ticket's work item to an agent (the ticket's `ticket.assigned`
/// follows); says which rule chose the agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketRouted {
    /// The work item.
    pub work_item_id: i64,
    /// Its queue.
    pub queue_id: i64,
    /// The agent chosen.
    pub agent_id: i64,
    /// The selection method that chose them.
    pub rule: Selection,
    /// The requirements that had relaxed by then (skill ids).
    pub relaxed: Vec<i64>,
    /// How long it had waited, in whole seconds since its eligible time.
    pub waited_s: i64,
    /// The queue overflow added whose member took it (absent: a member of its own queue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via_queue_id: Option<i64>,
}

/// The router offered a ticket's work item to an agent, who has until `expires_at` to accept
/// it (the item holds their capacity meanwhile).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketOffered {
    /// The work item.
    pub work_item_id: i64,
    /// Its queue.
    pub queue_id: i64,
    /// The agent offered it.
    pub agent_id: i64,
    /// The selection method that chose them.
    pub rule: Selection,
    /// The requirements that had relaxed by then (skill ids).
    pub relaxed: Vec<i64>,
    /// When the offer lapses (microseconds).
    pub expires_at: i64,
}

/// An agent accepted the offer of a ticket's work (the ticket's `ticket.assigned` follows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketOfferAccepted {
    /// The work item.
    pub work_item_id: i64,
    /// The agent.
    pub agent_id: i64,
}

/// An offer ended without acceptance; the item waits again with its original place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketOfferLapsed {
    /// The work item.
    pub work_item_id: i64,
    /// The agent it had been offered to.
    pub agent_id: i64,
    /// Why.
    pub reason: OfferLapse,
}

/// Work an agent had went back to its queue, keeping its place (the ticket's
/// `ticket.assigned` to nobody follows); says why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketRequeued {
    /// The work item.
    pub work_item_id: i64,
    /// The queue it waits in again.
    pub queue_id: i64,
    /// The agent who had it.
    pub agent_id: i64,
    /// Why.
    pub reason: RequeueReason,
}

/// An agent left an offer unanswered or declined it: nothing is pushed to them until they or
/// a supervisor clear it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentNotResponding {
    /// The agent.
    pub agent_id: i64,
    /// The work item whose offer lapsed.
    pub work_item_id: i64,
    /// How it lapsed.
    pub reason: OfferLapse,
}

/// An agent's "not responding" state was cleared (by them or a supervisor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentResponding {
    /// The agent.
    pub agent_id: i64,
}
