//! The automations context: triggers and time rules.
//!
//! A **trigger** fires on an event of a ticket (`ticket.created`, `message.added`,
//! `ticket.status_changed`, any ticket event of the log, so `sla.warned` once it exists)
//! when its conditions over the ticket, its customer, the event's message and the time hold,
//! and runs its actions. A worker follows the event log ([`run`](crate::Automation::run_triggers)):
//! each event once (its position is stored with the work), the active triggers of its type
//! in order of position, each once; the changes are recorded as the trigger's doing (the
//! events' actor is `trigger` with its id, and `trigger.fired` names what it ran). Events a
//! trigger made never fire triggers: loops are impossible by construction.
//!
//! A **time rule** acts on tickets that stayed in a status for some hours since they were
//! made or last changed, checked by a worker on the kernel clock, once per rule, ticket and
//! occurrence (table `time_rule_runs`).
//!
//! Tables `triggers`, `time_rules`, `time_rule_runs`; all SQL in [`repo`](crate).

mod act;
mod commands;
mod dry_run;
mod repo;
pub mod rules;
mod time_rules;
mod triggers;
mod views;

pub use dry_run::DryRun;
pub use views::{NewTimeRule, NewTrigger, TimeRulePatch, TimeRuleView, TriggerPatch, TriggerView};

use rules::{Action, Condition};
use std::sync::Arc;
use tiski_kernel::Kernel;
use tiski_ticketing::{ReplyChannel, Ticketing};

/// Most triggers (and, apart, most time rules) a desk keeps.
pub const MAX_RULES: i64 = 500;

/// The automations context. Cheap to clone.
#[derive(Clone)]
pub struct Automation {
    kernel: Kernel,
    ticketing: Ticketing,
    reply_channels: Arc<Vec<Arc<dyn ReplyChannel>>>,
}

impl Automation {
    /// The automations context on a kernel, with ticketing (whose tickets a dry run reads)
    /// and the channels a rule's reply goes out through.
    pub fn new(
        kernel: Kernel,
        ticketing: Ticketing,
        reply_channels: Vec<Arc<dyn ReplyChannel>>,
    ) -> Automation {
        Automation {
            kernel,
            ticketing,
            reply_channels: Arc::new(reply_channels),
        }
    }
}

/// Which kind of rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleKind {
    Trigger,
    TimeRule,
}

impl RuleKind {
    /// What an error calls it.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            RuleKind::Trigger => "trigger",
            RuleKind::TimeRule => "time rule",
        }
    }

    /// The actor kind of its changes in the log.
    pub(crate) fn actor_kind(self) -> &'static str {
        match self {
            RuleKind::Trigger => "trigger",
            RuleKind::TimeRule => "time_rule",
        }
    }
}

/// A stored rule of either kind, checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    pub id: i64,
    pub name: String,
    pub position: i64,
    pub active: bool,
    pub conditions: Vec<Condition>,
    pub actions: Vec<Action>,
    pub created_at: String,
    pub updated_at: String,
    /// A trigger's event type.
    pub event: Option<String>,
    /// A time rule's status.
    pub status: Option<String>,
    /// A time rule's clock: `created` or `updated`.
    pub since: Option<String>,
    /// A time rule's hours.
    pub hours: Option<i64>,
}
