//! The typed event vocabulary: every change tiski records is one [`Event`], a type with a
//! payload struct of its own, stored with a schema version.
//!
//! Events carry ids and the fields that changed, never copies of personal data (names, email
//! addresses, phone numbers, notes, message or subject text): the log is append-only, so
//! whatever it copies could never be erased. Readers (the timeline, webhooks, live updates, the
//! workers) match on these types instead of picking at JSON.

use crate::{AuthorKind, Channel, MessageKind, Priority, Role, Status, wire_enum};
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

            fn from_payload(kind: EventType, payload: serde_json::Value) -> Result<Event, serde_json::Error> {
                match kind {
                    $(EventType::$variant => serde_json::from_value(payload).map(Event::$variant)),+
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
}

impl EventType {
    /// Whether events of this type belong to a ticket (and are seen by whoever sees it).
    pub fn is_ticket_event(self) -> bool {
        self.as_str().starts_with("ticket.") || self == EventType::MessageAdded
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
        Event::from_payload(kind_parsed, value).map_err(|e| error(e.to_string()))
    }
}

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

/// A staff user was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentCreated {
    /// The new user.
    pub agent_id: i64,
    /// Their role.
    pub role: Role,
    /// The teams they joined.
    pub team_ids: Vec<i64>,
}

wire_enum! {
    /// A field of a staff user, as named in change events.
    AgentField, "agent field" {
        /// The display name.
        Name = "name",
        /// The role.
        Role = "role",
        /// Team membership.
        Teams = "teams",
        /// Languages spoken.
        Languages = "languages",
        /// Whether the user may sign in.
        Active = "active",
        /// The password.
        Password = "password",
        /// The workspace language.
        UiLocale = "ui_locale",
    }
}

/// A staff user's details changed: which fields, and the new role and activity (not personal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentUpdated {
    /// The user.
    pub agent_id: i64,
    /// The fields that changed.
    pub changed: Vec<AgentField>,
}

/// A team was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeamCreated {
    /// The new team.
    pub team_id: i64,
    /// Its name.
    pub name: String,
}

/// A user joined a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeamMemberAdded {
    /// The team.
    pub team_id: i64,
    /// The user.
    pub user_id: i64,
}

/// A user left a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeamMemberRemoved {
    /// The team.
    pub team_id: i64,
    /// The user.
    pub user_id: i64,
}

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

/// Upgrades a version 1 payload (written before the typed vocabulary) to the current shape,
/// dropping the copies of personal data version 1 kept.
pub fn upgrade_v1(kind: EventType, v1: serde_json::Value) -> serde_json::Value {
    use serde_json::{Value, json};
    let changed = |before: &Value, after: &Value, fields: &[(&str, &str)]| -> Value {
        Value::Array(
            fields
                .iter()
                .filter(|(key, _)| before.get(key) != after.get(key))
                .map(|(_, name)| Value::from(*name))
                .collect(),
        )
    };
    match kind {
        EventType::TicketCreated => {
            let t = &v1["ticket"];
            json!({
                "requester_id": t["requester"]["id"],
                "status": t["status"],
                "priority": t["priority"],
                "channel": t["channel"],
                "team_id": t["team_id"],
                "assignee_id": t["assignee_id"],
                "language": t["language"],
                "tags": if t["tags"].is_array() { t["tags"].clone() } else { json!([]) },
                "follow_up_of": t["follow_up_of"],
                "mailbox_id": t["mailbox_id"],
            })
        }
        EventType::MessageAdded => json!({
            "message_id": v1["message_id"],
            "kind": v1["kind"],
            "author_kind": v1["author_kind"],
            "author_id": v1["author_id"],
            "channel": v1["channel"],
        }),
        EventType::TicketSubjectChanged => json!({}),
        EventType::CustomerCreated => json!({"customer_id": v1["customer_id"]}),
        EventType::CustomerUpdated => {
            let fields = [
                ("name", "name"),
                ("emails", "emails"),
                ("phones", "phones"),
                ("language", "language"),
                ("time_zone", "time_zone"),
                ("organization", "organization"),
                ("notes", "notes"),
            ];
            json!({
                "customer_id": v1["customer_id"],
                "changed": changed(&v1["before"], &v1["after"], &fields),
            })
        }
        EventType::AgentCreated => json!({
            "agent_id": v1["agent"]["id"],
            "role": v1["agent"]["role"],
            "team_ids": if v1["agent"]["team_ids"].is_array() { v1["agent"]["team_ids"].clone() } else { json!([]) },
        }),
        EventType::AgentUpdated => {
            let password = v1["password_changed"].as_bool() == Some(true);
            if v1.get("before").is_none() {
                return json!({
                    "agent_id": v1["agent_id"],
                    "changed": if password { json!(["password"]) } else { json!([]) },
                });
            }
            let fields = [
                ("name", "name"),
                ("role", "role"),
                ("team_ids", "teams"),
                ("languages", "languages"),
                ("active", "active"),
            ];
            let mut list = changed(&v1["before"], &v1["after"], &fields);
            if password && let Some(items) = list.as_array_mut() {
                items.push(Value::from("password"));
            }
            json!({"agent_id": v1["after"]["id"], "changed": list})
        }
        EventType::TeamCreated => json!({
            "team_id": v1["team"]["id"],
            "name": v1["team"]["name"],
        }),
        EventType::MailboxCreated => json!({
            "mailbox_id": v1["mailbox"]["id"],
            "address": v1["mailbox"]["address"],
            "team_id": v1["mailbox"]["team_id"],
        }),
        EventType::MailboxUpdated => json!({
            "mailbox_id": v1["mailbox"]["id"],
            "changed": [],
        }),
        EventType::EmailSent | EventType::EmailFailed => {
            json!({"email_message_id": v1["email_message_id"]})
        }
        EventType::EmailBounced => json!({
            "email_message_id": v1["email_message_id"],
            "failed": v1["failed"],
        }),
        _ => v1,
    }
}

#[cfg(test)]
mod tests;
