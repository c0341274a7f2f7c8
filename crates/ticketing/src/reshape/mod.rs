//! Reshaping work: merge a ticket into another, merge a duplicate customer into another, and
//! split a message off into a new ticket. Each is one command: permission first, then one
//! transaction that moves the rows and appends the events on every ticket it changed.

mod customers;
mod merge;
mod split;

pub use merge::survivor;

use serde::{Deserialize, Serialize};

/// Input of a ticket merge: the ticket that survives, and optionally a public reply telling
/// the customer (written in their language by the caller, sent through the normal reply path).
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeTicket {
    /// The surviving ticket (open, not merged, visible to the caller, not this one).
    pub into: i64,
    /// A public reply added to the surviving ticket, telling the customer of the merge.
    pub reply: Option<MergeReply>,
}

/// The reply that tells the customer of a merge.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeReply {
    /// Plain text, up to the message size limit.
    pub body: String,
}

/// Input of a customer merge: the customer that survives.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeCustomer {
    /// The surviving customer (visible to the caller, not merged, not this one).
    pub into: i64,
}

/// Input of a split: an optional subject for the new ticket (the original's by default).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitMessage {
    /// Subject of the new ticket, 1 to 500 characters; the original ticket's when absent.
    pub subject: Option<String>,
}
