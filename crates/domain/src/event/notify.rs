//! Payloads of notification events: ids and kinds only, never the text of a request.

use crate::NotificationKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A colleague was asked for help on a ticket; the request's words are the internal note
/// `message_id`, so erasing the conversation erases them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketHelpRequested {
    /// Who is asked.
    pub colleague_id: i64,
    /// The internal note carrying the request.
    pub message_id: i64,
}

/// An agent was notified (the event's ticket is the one it is about), so their open
/// workspaces ring the bell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationCreated {
    /// The notification.
    pub notification_id: i64,
    /// Who it is for.
    pub recipient_id: i64,
    /// Why.
    pub kind: NotificationKind,
    /// The event it was made from.
    pub source_event_id: i64,
    /// The staff user whose doing it was (none for the customer or tiski itself).
    pub actor_id: Option<i64>,
}

/// An agent marked notifications of theirs read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationsRead {
    /// Whose.
    pub recipient_id: i64,
    /// How many turned read.
    pub count: i64,
}

/// An agent changed their notification preferences: which kinds changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationPreferencesChanged {
    /// Whose.
    pub agent_id: i64,
    /// The kinds whose settings changed.
    pub kinds: Vec<NotificationKind>,
}

/// An agent who was away was mailed one digest of their unread notifications: which ones
/// (the mail itself is in the email context's outbox).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationDigested {
    /// Whose.
    pub recipient_id: i64,
    /// The notifications the mail lists.
    pub notification_ids: Vec<i64>,
    /// How many it lists.
    pub count: i64,
}
