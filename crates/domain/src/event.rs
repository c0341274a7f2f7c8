//! The typed event vocabulary: every change tiski records is one [`Event`], a type with a
//! payload struct of its own, stored with a schema version.
//!
//! Events carry ids and the fields that changed, never copies of personal data (names, email
//! addresses, phone numbers, notes, message or subject text): the log is append-only, so
//! whatever it copies could never be erased. Readers (the timeline, webhooks, live updates, the
//! workers) match on these types instead of picking at JSON.

mod automation;
mod calendar;
mod channels;
mod commerce;
mod knowledge;
mod notify;
mod privacy;
mod routing;
mod staff;
mod tickets;
mod upgrade;

pub use automation::*;
pub use calendar::*;
pub use channels::*;
pub use commerce::*;
pub use knowledge::*;
pub use notify::*;
pub use privacy::*;
pub use routing::*;
pub use staff::*;
pub use tickets::*;
pub use upgrade::upgrade_v1;

use crate::wire_enum;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The schema version new events are written with. Version 1 payloads (before the typed
/// vocabulary) are upgraded by [`upgrade_v1`] when the log is migrated.
pub const EVENT_SCHEMA_VERSION: i64 = 2;

/// Defines [`EventType`], [`Event`] with one variant per payload struct of the same name, and
/// the conversions between them and their stored form.
macro_rules! events {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal),+ $(,)?) => {
        wire_enum! {
            /// The type of an event in the log, as named on the wire (`ticket.created`).
            EventType, "event type" {
                $($(#[$doc])* $variant = $wire),+
            }
        }

        /// An event with its typed payload; on the wire `{"type": "…", "data": {…}}`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
        #[serde(tag = "type", content = "data")]
        pub enum Event {
            $($(#[$doc])* #[serde(rename = $wire)] $variant($variant)),+
        }

        impl Event {
            /// The event's type.
            pub fn kind(&self) -> EventType {
                match self {
                    $(Event::$variant(_) => EventType::$variant),+
                }
            }

            /// The payload as stored: JSON text of the payload struct alone.
            pub fn payload_json(&self) -> String {
                let json = match self {
                    $(Event::$variant(payload) => serde_json::to_string(payload)),+
                };
                // Payloads are plain structs of numbers, strings and lists: always serialisable.
                json.unwrap_or_else(|_| "{}".into())
            }

            fn from_payload(kind: EventType, payload: &serde_json::Value) -> Result<Event, serde_json::Error> {
                match kind {
                    $(EventType::$variant => <$variant as Deserialize>::deserialize(payload).map(Event::$variant)),+
                }
            }
        }

        $(impl From<$variant> for Event {
            fn from(payload: $variant) -> Event {
                Event::$variant(payload)
            }
        })+
    };
}

events! {
    /// A ticket was opened.
    TicketCreated = "ticket.created",
    /// A message (reply or note) was added to a ticket.
    MessageAdded = "message.added",
    /// A ticket's status changed.
    TicketStatusChanged = "ticket.status_changed",
    /// A ticket's assignee changed.
    TicketAssigned = "ticket.assigned",
    /// A ticket moved to another team.
    TicketTeamChanged = "ticket.team_changed",
    /// A ticket's priority changed.
    TicketPriorityChanged = "ticket.priority_changed",
    /// A ticket's tags changed.
    TicketTagsChanged = "ticket.tags_changed",
    /// A ticket's subject changed.
    TicketSubjectChanged = "ticket.subject_changed",
    /// A customer was created.
    CustomerCreated = "customer.created",
    /// A customer's details changed.
    CustomerUpdated = "customer.updated",
    /// A staff user was created.
    AgentCreated = "agent.created",
    /// A staff user's details changed.
    AgentUpdated = "agent.updated",
    /// A team was created.
    TeamCreated = "team.created",
    /// A user joined a team.
    TeamMemberAdded = "team.member_added",
    /// A user left a team.
    TeamMemberRemoved = "team.member_removed",
    /// A webhook was registered.
    WebhookCreated = "webhook.created",
    /// A webhook was removed.
    WebhookDeleted = "webhook.deleted",
    /// An API token was issued.
    TokenCreated = "token.created",
    /// An API token was revoked.
    TokenRevoked = "token.revoked",
    /// A browser session was opened (a user signed in).
    SessionStarted = "session.started",
    /// A browser session was closed (a user signed out).
    SessionEnded = "session.ended",
    /// A macro was created.
    MacroCreated = "macro.created",
    /// A macro was changed.
    MacroUpdated = "macro.updated",
    /// A macro was deleted.
    MacroDeleted = "macro.deleted",
    /// A saved inbox view was created.
    ViewCreated = "view.created",
    /// A saved inbox view was deleted.
    ViewDeleted = "view.deleted",
    /// A mailbox was added.
    MailboxCreated = "mailbox.created",
    /// A mailbox's settings changed.
    MailboxUpdated = "mailbox.updated",
    /// Inbound mail could not be ingested and was kept in quarantine.
    EmailQuarantined = "email.quarantined",
    /// An outgoing email was handed to the relay.
    EmailSent = "email.sent",
    /// An outgoing email could not be delivered to the relay, for good.
    EmailFailed = "email.failed",
    /// A delivery status notification reported an outgoing email as undeliverable.
    EmailBounced = "email.bounced",
    /// A customer's data was exported.
    CustomerExported = "customer.exported",
    /// A customer was erased.
    CustomerErased = "customer.erased",
    /// A ticket's conversation was erased (its customer's erasure, or retention).
    TicketConversationErased = "ticket.conversation_erased",
    /// Inbound mail named a ticket (by reference or subject tag) its sender is not on, so it
    /// opened a ticket of its own, linked to the one it named.
    EmailReferenceRefused = "email.reference_refused",
    /// An admin changed which roles must sign in with a second factor.
    TwoFactorPolicyChanged = "two_factor.policy_changed",
    /// A colleague was asked for help on a ticket (the request itself is an internal note).
    TicketHelpRequested = "ticket.help_requested",
    /// An agent was notified of something that concerns them.
    NotificationCreated = "notification.created",
    /// An agent marked notifications of theirs read.
    NotificationsRead = "notification.read",
    /// An agent changed which notifications they get and how.
    NotificationPreferencesChanged = "notification.preferences_changed",
    /// An agent took back a public reply within its undo window: the reply and its mail are gone.
    MessageWithdrawn = "message.withdrawn",
    /// An agent forwarded a message or the whole conversation to someone outside; the note
    /// recording it is the event's message.
    MessageForwarded = "message.forwarded",
    /// A ticket was merged into another (recorded on both tickets).
    TicketMerged = "ticket.merged",
    /// A duplicate customer was merged into another.
    CustomerMerged = "customer.merged",
    /// A message was split off a ticket into a new ticket (recorded on both tickets).
    TicketSplit = "ticket.split",
    /// An agent who was away was mailed a digest of their unread notifications.
    NotificationDigested = "notification.digested",
    /// A product or service was added to the catalog.
    ProductCreated = "product.created",
    /// A product's details changed.
    ProductUpdated = "product.updated",
    /// An order was taken.
    OrderCreated = "order.created",
    /// An order's lines or ticket changed.
    OrderUpdated = "order.updated",
    /// An order's status changed.
    OrderStatusChanged = "order.status_changed",
    /// A refund was asked for (approved at once within the requester's limit).
    RefundRequested = "refund.requested",
    /// A waiting refund was approved.
    RefundApproved = "refund.approved",
    /// A waiting refund was rejected.
    RefundRejected = "refund.rejected",
    /// A business calendar was made.
    CalendarCreated = "calendar.created",
    /// A business calendar changed.
    CalendarUpdated = "calendar.updated",
    /// Public holidays were imported into a calendar.
    CalendarHolidaysImported = "calendar.holidays_imported",
    /// An SLA policy was made.
    SlaPolicyCreated = "sla_policy.created",
    /// An SLA policy changed.
    SlaPolicyUpdated = "sla_policy.updated",
    /// An agent's presence status changed.
    PresenceChanged = "presence.changed",
    /// A skill was created.
    SkillCreated = "skill.created",
    /// An agent's skills were replaced.
    AgentSkillsChanged = "agent.skills_changed",
    /// A routing queue was created.
    QueueCreated = "queue.created",
    /// A routing queue's settings changed.
    QueueUpdated = "queue.updated",
    /// A ticket's work item entered, moved between or left routing queues.
    TicketQueued = "ticket.queued",
    /// The skills a ticket's work item needs changed.
    TicketRequirementsChanged = "ticket.requirements_changed",
    /// The router assigned a ticket to an agent, naming the rule that chose them.
    TicketRouted = "ticket.routed",
    /// The router offered a ticket's work to an agent, to accept or decline.
    TicketOffered = "ticket.offered",
    /// An agent accepted an offer.
    TicketOfferAccepted = "ticket.offer_accepted",
    /// An offer was declined, went unanswered, or its agent went offline.
    TicketOfferLapsed = "ticket.offer_lapsed",
    /// Work went back to its queue from its owner, naming why.
    TicketRequeued = "ticket.requeued",
    /// An agent left an offer unanswered or declined it.
    AgentNotResponding = "presence.not_responding",
    /// An agent's "not responding" state was cleared.
    AgentResponding = "presence.responding",
    /// A knowledge-base article was saved (created, or changed: a new version).
    ArticleSaved = "article.saved",
    /// A knowledge-base article was deleted with its versions.
    ArticleDeleted = "article.deleted",
    /// An EDI trading partner was added.
    EdiPartnerCreated = "edi_partner.created",
    /// An EDI interchange was received and kept raw.
    EdiInterchangeReceived = "edi_interchange.received",
    /// An EDI interchange was accepted (wholly or in part): orders were made from it.
    EdiInterchangeAccepted = "edi_interchange.accepted",
    /// An EDI interchange was refused: no order was made from it.
    EdiInterchangeRejected = "edi_interchange.rejected",
    /// A trigger was made.
    TriggerCreated = "trigger.created",
    /// A trigger changed.
    TriggerUpdated = "trigger.updated",
    /// A trigger was deleted.
    TriggerDeleted = "trigger.deleted",
    /// A trigger fired on a ticket's event and ran its actions.
    TriggerFired = "trigger.fired",
    /// A time rule was made.
    TimeRuleCreated = "time_rule.created",
    /// A time rule changed.
    TimeRuleUpdated = "time_rule.updated",
    /// A time rule was deleted.
    TimeRuleDeleted = "time_rule.deleted",
    /// A time rule acted on a ticket.
    TimeRuleFired = "time_rule.fired",
}

impl EventType {
    /// Whether events of this type belong to a ticket (and are seen by whoever sees it).
    pub fn is_ticket_event(self) -> bool {
        self.as_str().starts_with("ticket.")
            || matches!(
                self,
                EventType::MessageAdded
                    | EventType::MessageWithdrawn
                    | EventType::MessageForwarded
                    | EventType::TriggerFired
                    | EventType::TimeRuleFired
            )
    }
}

/// A stored event that cannot be read as any [`Event`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {kind:?} (schema version {version}) cannot be read: {message}")]
pub struct EventDecodeError {
    /// The stored type name.
    pub kind: String,
    /// The stored schema version.
    pub version: i64,
    /// Why.
    pub message: String,
}

impl Event {
    /// Reads a stored event: its type name, schema version and payload text. Older versions
    /// are upgraded on the way, so readers only ever see current types.
    pub fn decode(kind: &str, version: i64, payload: &str) -> Result<Event, EventDecodeError> {
        Event::decode_with_data(kind, version, payload).map(|(event, _)| event)
    }

    /// Reads a stored event like [`Event::decode`], returning also its payload as JSON in the
    /// current schema version (what the API shows as `data`), parsed once.
    pub fn decode_with_data(
        kind: &str,
        version: i64,
        payload: &str,
    ) -> Result<(Event, serde_json::Value), EventDecodeError> {
        let error = |message: String| EventDecodeError {
            kind: kind.to_string(),
            version,
            message,
        };
        let kind_parsed = EventType::parse(kind).map_err(|e| error(e.message))?;
        let value: serde_json::Value =
            serde_json::from_str(payload).map_err(|e| error(e.to_string()))?;
        let value = match version {
            1 => upgrade_v1(kind_parsed, value),
            EVENT_SCHEMA_VERSION => value,
            other => return Err(error(format!("schema version {other} is not known"))),
        };
        let event = Event::from_payload(kind_parsed, &value).map_err(|e| error(e.to_string()))?;
        Ok((event, value))
    }
}

#[cfg(test)]
mod tests;
