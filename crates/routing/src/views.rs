//! What routing takes and shows on the API.

use serde::{Deserialize, Serialize};
use tiski_domain::Channel;
use tiski_domain::routing::{PresenceStatus, Selection, SkillType};

/// `PUT /agents/{id}/presence`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresenceInput {
    /// The status to set.
    pub status: PresenceStatus,
}

/// Where an agent stands for routing on one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoutingState {
    /// New work of this channel may be pushed to them.
    Eligible,
    /// They have work of this channel.
    Engaged,
    /// Work of this channel is offered to them and awaits their answer.
    Offered,
    /// They left an offer unanswered or declined it: nothing is pushed until they or a
    /// supervisor clear it (by setting their status).
    NotResponding,
    /// Nothing is pushed: their status is not routable, or they have no room for it.
    Off,
}

/// One channel of an agent's presence.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChannelPresence {
    /// The channel.
    pub channel: Channel,
    /// Their routing state on it.
    pub state: RoutingState,
    /// Units of capacity their work of this channel takes.
    pub load: i64,
}

/// An agent's presence.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PresenceView {
    /// The agent.
    pub agent_id: i64,
    /// Their status.
    pub status: PresenceStatus,
    /// Since when (RFC 3339; absent when never set).
    pub since: Option<String>,
    /// Their units of capacity.
    pub capacity: i64,
    /// Units in use on every channel together.
    pub load: i64,
    /// The routing state per channel.
    pub channels: Vec<ChannelPresence>,
    /// Since when they have not answered an offer (RFC 3339; absent: responding).
    pub not_responding_since: Option<String>,
}

/// `POST /skills`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSkill {
    /// Its name, 1 to 100 characters, unique.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: SkillType,
    /// Whether a requirement of it may relax after a wait (default: yes, but never for a
    /// licence).
    pub relaxable: Option<bool>,
}

/// A skill.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SkillView {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: SkillType,
    /// Whether a requirement of it may relax.
    pub relaxable: bool,
    /// When it was created.
    pub created_at: String,
}

/// One skill of an agent, as `PUT /agents/{id}/skills` takes it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentSkillInput {
    /// The skill.
    pub skill_id: i64,
    /// How well, 1 to 5.
    pub proficiency: i64,
    /// The last day it counts (`YYYY-MM-DD`, UTC), or `null` when it does not expire.
    #[serde(default)]
    pub valid_until: Option<String>,
}

/// `PUT /agents/{id}/skills`: the agent's complete set of skills.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentSkillsInput {
    /// At most 200 skills, each once.
    pub items: Vec<AgentSkillInput>,
}

/// One skill of an agent.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgentSkillView {
    /// The skill.
    pub skill_id: i64,
    /// How well, 1 to 5.
    pub proficiency: i64,
    /// The last day it counts.
    pub valid_until: Option<String>,
    /// Whether that day is past (an expired skill counts as absent).
    pub expired: bool,
}

/// An agent's skills.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgentSkillsView {
    /// The agent.
    pub agent_id: i64,
    /// Their skills.
    pub items: Vec<AgentSkillView>,
}

/// `POST /queues`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQueue {
    /// Its name, 1 to 100 characters, unique.
    pub name: String,
    /// The channels of the work it takes (1 to 8, each once).
    pub channels: Vec<Channel>,
    /// Its member teams (none: every agent).
    #[serde(default)]
    pub team_ids: Vec<i64>,
    /// How it chooses among agents (default `longest_idle`).
    pub selection: Option<Selection>,
    /// Whether its work is pushed to agents (default true).
    pub push: Option<bool>,
    /// Offer timeouts per channel where the default does not fit (phone 20 s; every other
    /// channel 0: assigned at once, as email auto-accepts).
    #[serde(default)]
    pub offer_timeouts: Vec<OfferTimeout>,
    /// Overflow steps, in order (at most 10).
    #[serde(default)]
    pub overflow: Vec<OverflowStep>,
    /// Whether a customer's reply on work whose owner is offline puts it back in the queue
    /// (default true).
    pub requeue_when_owner_offline: Option<bool>,
}

/// `PATCH /queues/{id}`: absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueuePatch {
    /// A new name.
    pub name: Option<String>,
    /// The channels it takes.
    pub channels: Option<Vec<Channel>>,
    /// Its member teams.
    pub team_ids: Option<Vec<i64>>,
    /// How it chooses among agents.
    pub selection: Option<Selection>,
    /// Whether its work is pushed.
    pub push: Option<bool>,
    /// Offer timeouts per channel (replaces the ones set before).
    pub offer_timeouts: Option<Vec<OfferTimeout>>,
    /// Overflow steps (replaces the list).
    pub overflow: Option<Vec<OverflowStep>>,
    /// Whether a customer's reply on work whose owner is offline puts it back in the queue.
    pub requeue_when_owner_offline: Option<bool>,
}

/// How long an offer of one channel waits for the agent's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferTimeout {
    /// The channel.
    pub channel: Channel,
    /// Seconds, 0 to 600; 0 means the work is assigned at once (auto-accept).
    pub seconds: i64,
}

/// One overflow step of a queue: after its wait, an item also goes to the members of another
/// queue, or no longer needs a relaxable skill. Steps apply in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverflowStep {
    /// After how many seconds of waiting (from the item's eligible time), 0 to 30 days; not
    /// less than the step before.
    pub after_s: i64,
    /// Add the members of this queue (another queue).
    #[serde(default)]
    pub add_queue_id: Option<i64>,
    /// Drop the requirement of this skill (a relaxable skill, never a licence).
    #[serde(default)]
    pub drop_skill_id: Option<i64>,
    /// Take the step at once when nobody among the members so far could ever take the item
    /// (nobody signed in who holds the skills that never relax).
    #[serde(default)]
    pub skip_when_unmatchable: bool,
}

/// A queue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueView {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The channels it takes.
    pub channels: Vec<Channel>,
    /// Its member teams (none: every agent).
    pub team_ids: Vec<i64>,
    /// How it chooses among agents.
    pub selection: Selection,
    /// Whether its work is pushed.
    pub push: bool,
    /// How long an offer waits per channel, for each of its channels (0: auto-accept).
    pub offer_timeouts: Vec<OfferTimeout>,
    /// Its overflow steps, in order.
    pub overflow: Vec<OverflowStep>,
    /// Whether a customer's reply on work whose owner is offline puts it back in the queue.
    pub requeue_when_owner_offline: bool,
    /// How many items wait in it.
    pub waiting: i64,
    /// When it was created.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

/// An agent on the supervisors' board.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardAgent {
    /// Their presence, load and routing state per channel.
    #[serde(flatten)]
    pub presence: PresenceView,
    /// Their display name.
    pub name: String,
    /// The tickets of the work they have.
    pub ticket_ids: Vec<i64>,
}

/// A queue on the supervisors' board.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardQueue {
    /// The queue.
    pub queue_id: i64,
    /// Its name.
    pub name: String,
    /// How many items wait in it.
    pub waiting: i64,
    /// How long the oldest waiting item has waited, in seconds.
    pub oldest_wait_s: Option<i64>,
    /// How many of its items agents have.
    pub assigned: i64,
}

/// `GET /routing/board`: agents (a supervisor's teams', an admin's all) and every queue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Board {
    /// The agents.
    pub agents: Vec<BoardAgent>,
    /// The queues.
    pub queues: Vec<BoardQueue>,
}

/// Work offered to an agent, awaiting their answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferView {
    /// The work item (`POST /routing/offers/{id}/accept|decline`).
    pub id: i64,
    /// Its ticket.
    pub ticket_id: i64,
    /// Its queue.
    pub queue_id: i64,
    /// Its channel.
    pub channel: Channel,
    /// When it was offered.
    pub offered_at: String,
    /// When the offer lapses.
    pub expires_at: String,
}

/// The answer to `POST /routing/offers/{id}/accept|decline`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferOutcome {
    /// The work item.
    pub id: i64,
    /// Its ticket.
    pub ticket_id: i64,
    /// Whether the caller took it (accept) or it went back to the queue (decline).
    pub accepted: bool,
}
