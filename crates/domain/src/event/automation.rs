//! Payloads of automation events: triggers and time rules made, changed, deleted and fired.
//! Ids, positions and the names of what changed or was done, never the rules' texts.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A trigger was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TriggerCreated {
    /// The trigger.
    pub trigger_id: i64,
    /// Its place in the order.
    pub position: i64,
}

/// A trigger changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TriggerUpdated {
    /// The trigger.
    pub trigger_id: i64,
    /// The fields that changed (`name`, `position`, `active`, `event`, `conditions`, `actions`).
    pub changed: Vec<String>,
}

/// A trigger was deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TriggerDeleted {
    /// The trigger.
    pub trigger_id: i64,
}

/// A trigger's conditions held for an event on a ticket and its actions ran; the changes
/// they made follow as events whose actor is the trigger (`actor_kind` `trigger`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TriggerFired {
    /// The trigger.
    pub trigger_id: i64,
    /// The event it fired on.
    pub source_event_id: i64,
    /// The actions it ran, by type (`set_status`, `add_tags` …), in order.
    pub actions: Vec<String>,
    /// Actions that could do nothing (a reply no channel could carry, a team gone), by type.
    #[serde(default)]
    pub skipped: Vec<String>,
}

/// A time rule was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TimeRuleCreated {
    /// The rule.
    pub rule_id: i64,
    /// Its place in the order.
    pub position: i64,
}

/// A time rule changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TimeRuleUpdated {
    /// The rule.
    pub rule_id: i64,
    /// The fields that changed.
    pub changed: Vec<String>,
}

/// A time rule was deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TimeRuleDeleted {
    /// The rule.
    pub rule_id: i64,
}

/// A time rule's condition held for a ticket and its actions ran (once per rule, ticket and
/// occurrence of the condition); the changes follow as events whose actor is the rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TimeRuleFired {
    /// The rule.
    pub rule_id: i64,
    /// The occurrence: when the ticket's clock for the rule started (microseconds).
    pub occurrence: i64,
    /// The actions it ran, by type.
    pub actions: Vec<String>,
    /// Actions that could do nothing, by type.
    #[serde(default)]
    pub skipped: Vec<String>,
}
