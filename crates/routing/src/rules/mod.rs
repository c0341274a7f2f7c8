//! The pure rules of routing: presence statuses, skill types, selection methods, what each
//! channel costs and blocks, and the matcher ([`matcher::assign`]). Times are microseconds
//! since the epoch, as the store keeps them.

pub mod input;
pub mod matcher;
pub mod overflow;
pub mod queue_input;
#[cfg(test)]
mod tests;

pub use matcher::{
    AgentSkill, AgentState, Assignment, QueueState, Requirement, WaitingItem, assign,
};
pub use overflow::Step;

pub use tiski_domain::routing::{PresenceStatus, Routability, Selection, SkillType};
use tiski_domain::{Channel, Priority};

/// One second in the store's time unit (microseconds).
pub const SECOND: i64 = 1_000_000;

/// The units of capacity an agent has unless set otherwise.
pub const DEFAULT_CAPACITY: i64 = 60;

/// What one item of `channel` costs of an agent's capacity: voice and walk-in 60, chat 20,
/// email and the written channels 12.
pub fn default_cost(channel: Channel) -> i64 {
    match channel {
        Channel::Phone | Channel::Desk => 60,
        Channel::Chat => 20,
        _ => 12,
    }
}

/// Whether an agent engaged on `engaged` may not be offered `offered`: on a call no chat and no
/// second call, with a chat no call, and nothing beside a walk-in visitor.
pub fn blocks(engaged: Channel, offered: Channel) -> bool {
    matches!(
        (engaged, offered),
        (Channel::Phone, Channel::Chat | Channel::Phone)
            | (Channel::Chat, Channel::Phone)
            | (
                Channel::Desk,
                Channel::Phone | Channel::Chat | Channel::Desk
            )
            | (Channel::Phone | Channel::Chat, Channel::Desk)
    )
}

/// The head start of a priority in the queue: urgent 30 minutes, high 10, normal none, low
/// 10 minutes behind, so low priority never starves.
pub fn head_start(priority: Priority) -> i64 {
    match priority {
        Priority::Urgent => 30 * 60 * SECOND,
        Priority::High => 10 * 60 * SECOND,
        Priority::Normal => 0,
        Priority::Low => -10 * 60 * SECOND,
    }
}

/// How long an offer of `channel` waits for the agent's answer unless the queue says
/// otherwise, in seconds: a call 20; every other channel 0, so its work is assigned at once
/// (email auto-accepts; a queue sets a timeout for chat or walk-in visitors if it wants one).
pub fn default_offer_timeout(channel: Channel) -> i64 {
    match channel {
        Channel::Phone => 20,
        _ => 0,
    }
}
