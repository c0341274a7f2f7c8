//! The vocabulary of routing: presence statuses and what they mean for routing, skill types,
//! and how a queue chooses among agents. The matcher itself is the routing context's.

use crate::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// The presence status an agent sets, or a supervisor sets for them.
    PresenceStatus, "presence status" {
        /// Ready for work: routable on every channel.
        Available = "available",
        /// Away from the desk for a moment.
        Away = "away",
        /// On a break.
        Break = "break",
        /// At a meal.
        Meal = "meal",
        /// In a meeting.
        Meeting = "meeting",
        /// In training.
        Training = "training",
        /// Not working (the default).
        Offline = "offline",
    }
}

/// What a presence status means for routing on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Routability {
    /// New work is pushed.
    Routable,
    /// Only work a colleague transfers.
    TransfersOnly,
    /// Nothing.
    Off,
}

impl PresenceStatus {
    /// What the status means for routing (the same on every channel for the built-in ones).
    pub fn routability(self) -> Routability {
        match self {
            PresenceStatus::Available => Routability::Routable,
            PresenceStatus::Meeting | PresenceStatus::Training => Routability::TransfersOnly,
            _ => Routability::Off,
        }
    }
}

wire_enum! {
    /// The kind of a skill; a licence never relaxes.
    SkillType, "skill type" {
        /// A language the agent speaks.
        Language = "language",
        /// A product the agent knows.
        Product = "product",
        /// A licence or certification (may expire; never relaxes).
        Licence = "licence",
        /// Anything else.
        Custom = "custom",
    }
}

wire_enum! {
    /// How a queue chooses among the agents who could take an item.
    Selection, "selection method" {
        /// The agent whose last assignment is oldest (never assigned first).
        LongestIdle = "longest_idle",
        /// The next member after the one the queue chose last, in turn.
        RoundRobin = "round_robin",
        /// The agent with the smallest share of their capacity in use.
        LeastLoaded = "least_loaded",
        /// The agent with the highest proficiency in the item's required skills.
        BestSkill = "best_skill",
    }
}

wire_enum! {
    /// Why an offer ended without being accepted.
    OfferLapse, "offer lapse" {
        /// The agent declined it.
        Declined = "declined",
        /// Nobody answered before the queue's offer timeout.
        TimedOut = "timed_out",
        /// The agent went offline (or lost their session for longer than the grace period).
        Offline = "offline",
    }
}

wire_enum! {
    /// Why work an agent had went back to its queue.
    RequeueReason, "requeue reason" {
        /// The customer wrote while the ticket's owner was offline.
        OwnerOffline = "owner_offline",
        /// A supervisor released the agent's work back to the queue.
        Released = "released",
    }
}
