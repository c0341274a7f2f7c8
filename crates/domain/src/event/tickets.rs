//! Payloads of ticket, message and customer events.

use crate::{AuthorKind, Channel, MessageKind, Priority, Status, wire_enum};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A ticket was opened: its starting state (the subject and the requester's details stay on
/// the ticket and the customer, not in the log).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketCreated {
    /// The customer who asked.
    pub requester_id: i64,
    /// Starting status.
    pub status: Status,
    /// Starting priority.
    pub priority: Priority,
    /// The channel it came through.
    pub channel: Channel,
    /// Owning team.
    pub team_id: Option<i64>,
    /// Assignee.
    pub assignee_id: Option<i64>,
    /// Conversation language.
    pub language: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The closed ticket this one follows up.
    pub follow_up_of: Option<i64>,
    /// The mailbox of an email ticket.
    pub mailbox_id: Option<i64>,
}

/// A message was added; its text stays on the message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MessageAdded {
    /// The message.
    pub message_id: i64,
    /// Reply or note.
    pub kind: MessageKind,
    /// Who wrote it.
    pub author_kind: AuthorKind,
    /// The customer or user who wrote it.
    pub author_id: Option<i64>,
    /// The channel it came or went through.
    pub channel: Channel,
}

/// A ticket's status changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketStatusChanged {
    /// Before.
    pub from: Status,
    /// After.
    pub to: Status,
}

/// A ticket's assignee changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketAssigned {
    /// The previous assignee.
    pub from: Option<i64>,
    /// The new assignee.
    pub to: Option<i64>,
}

/// A ticket moved to another team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketTeamChanged {
    /// The previous team.
    pub from: Option<i64>,
    /// The new team.
    pub to: Option<i64>,
}

/// A ticket's priority changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketPriorityChanged {
    /// Before.
    pub from: Priority,
    /// After.
    pub to: Priority,
}

/// A ticket's tags changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketTagsChanged {
    /// The tags before.
    pub from: Vec<String>,
    /// The tags after.
    pub to: Vec<String>,
}

/// A ticket's subject changed; the subject itself stays on the ticket.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct TicketSubjectChanged {}

/// A customer was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CustomerCreated {
    /// The new customer.
    pub customer_id: i64,
}

wire_enum! {
    /// A field of a customer, as named in change events.
    CustomerField, "customer field" {
        /// The name.
        Name = "name",
        /// The email addresses.
        Emails = "emails",
        /// The phone numbers.
        Phones = "phones",
        /// The preferred language.
        Language = "language",
        /// The time zone.
        TimeZone = "time_zone",
        /// The organization.
        Organization = "organization",
        /// The staff notes.
        Notes = "notes",
    }
}

/// A customer's details changed: which fields, not their values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CustomerUpdated {
    /// The customer.
    pub customer_id: i64,
    /// The fields that changed.
    pub changed: Vec<CustomerField>,
}

/// An agent took back a public reply within its undo window, before its mail was queued: the
/// message and its outgoing mail were deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MessageWithdrawn {
    /// The message that is gone.
    pub message_id: i64,
}

/// An agent forwarded a message (or, without one, the whole conversation) to addresses
/// outside the ticket; the internal note recording it is `note_id` (the addresses are on the
/// note and its mail, never here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MessageForwarded {
    /// The note that records the forward.
    pub note_id: i64,
    /// The message forwarded; none for the whole conversation.
    pub message_id: Option<i64>,
    /// How many addresses it went to.
    pub recipients: usize,
}
/// A ticket was merged into another: its conversation moved, it was closed and points at the
/// survivor. Appended on both tickets, so each one's history tells it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketMerged {
    /// The ticket that was merged (and closed).
    pub ticket_id: i64,
    /// The surviving ticket.
    pub into: i64,
    /// How many messages moved.
    pub messages: i64,
}

/// A duplicate customer was merged into another: identities, tickets and notes moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CustomerMerged {
    /// The duplicate, now marked merged.
    pub customer_id: i64,
    /// The surviving customer.
    pub into: i64,
    /// How many tickets changed requester.
    pub tickets: i64,
    /// How many identities moved.
    pub identities: i64,
}

/// A message was split off its ticket into a new ticket, linked to the original.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketSplit {
    /// The ticket the message left.
    pub from: i64,
    /// The new ticket.
    pub to: i64,
    /// The message that moved.
    pub message_id: i64,
}
