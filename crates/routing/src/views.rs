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
