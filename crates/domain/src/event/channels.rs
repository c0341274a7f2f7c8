//! Payloads of the events of webhooks, API tokens, sessions, macros, saved views, mailboxes and email.

use crate::wire_enum;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A webhook as its creation event records it (never its secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebhookSummary {
    /// Id.
    pub id: i64,
    /// Where deliveries go.
    pub url: String,
    /// The event types delivered.
    pub event_types: Vec<String>,
    /// Whether it delivers.
    pub active: bool,
    /// When it was registered (RFC 3339).
    pub created_at: String,
}

/// A webhook was registered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebhookCreated {
    /// The webhook.
    pub webhook: WebhookSummary,
}

/// A webhook was removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebhookDeleted {
    /// The webhook.
    pub webhook_id: i64,
}

/// An API token was issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TokenCreated {
    /// The token's id (never the token).
    pub token_id: i64,
    /// The user it acts as.
    pub user_id: i64,
    /// What it is for.
    pub label: String,
}

/// An API token was revoked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TokenRevoked {
    /// The token's id.
    pub token_id: i64,
}

/// A user signed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionStarted {
    /// The session's id (never its token).
    pub session_id: i64,
    /// The user.
    pub user_id: i64,
}

/// A user signed out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionEnded {
    /// The session's id.
    pub session_id: i64,
    /// The user.
    pub user_id: i64,
}

/// A macro was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MacroCreated {
    /// The macro.
    pub macro_id: i64,
    /// Whether everyone sees it.
    pub shared: bool,
}

/// A macro was changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MacroUpdated {
    /// The macro.
    pub macro_id: i64,
    /// Whether everyone sees it.
    pub shared: bool,
}

/// A macro was deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MacroDeleted {
    /// The macro.
    pub macro_id: i64,
}

/// A saved view was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ViewCreated {
    /// The view.
    pub view_id: i64,
    /// Whether everyone sees it.
    pub shared: bool,
}

/// A saved view was deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ViewDeleted {
    /// The view.
    pub view_id: i64,
}

/// A mailbox was added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MailboxCreated {
    /// The mailbox.
    pub mailbox_id: i64,
    /// Its support address (the organisation's, not a person's).
    pub address: String,
    /// The team its new tickets go to.
    pub team_id: Option<i64>,
}

wire_enum! {
    /// A setting of a mailbox, as named in change events.
    MailboxField, "mailbox field" {
        /// The display name.
        Name = "name",
        /// The team new tickets go to.
        Team = "team",
        /// The signature.
        Signature = "signature",
        /// Whether new tickets are acknowledged.
        AutoAck = "auto_ack",
        /// The acknowledgement texts.
        AckTemplates = "ack_templates",
        /// IMAP polling.
        Imap = "imap",
        /// The outgoing relay.
        Smtp = "smtp",
        /// Whether it is active.
        Active = "active",
        /// Whether it is the default mailbox (the one replies go out through when neither the
        /// ticket nor its team has one).
        Default = "default",
    }
}

/// A mailbox's settings changed: which ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MailboxUpdated {
    /// The mailbox.
    pub mailbox_id: i64,
    /// The settings that changed.
    pub changed: Vec<MailboxField>,
}

/// Inbound mail was kept in quarantine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EmailQuarantined {
    /// The quarantine entry.
    pub quarantine_id: i64,
    /// The mailbox it arrived for.
    pub mailbox_id: Option<i64>,
    /// Why it was not ingested (tiski's own sentence).
    pub reason: String,
}

/// An outgoing email was handed to the relay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EmailSent {
    /// The outgoing email.
    pub email_message_id: i64,
}

/// An outgoing email could not be delivered, for good; the relay's answer stays on the email.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EmailFailed {
    /// The outgoing email.
    pub email_message_id: i64,
}

/// A delivery status notification came back for an outgoing email; its report (which names
/// recipients) stays on the email.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EmailBounced {
    /// The outgoing email.
    pub email_message_id: i64,
    /// Whether a recipient failed for good.
    pub failed: bool,
}

/// Inbound mail named a ticket (by `References`/`In-Reply-To` or a `[#id]` subject tag) but
/// came from an address that is neither that ticket's requester nor copied on it, so it did
/// not join it: it opened the ticket this event belongs to, linked to the one it named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EmailReferenceRefused {
    /// The inbound email.
    pub email_message_id: i64,
    /// The ticket it named and did not join.
    pub referenced_ticket_id: i64,
}
