//! Tickets: what they look like on the API, and the inputs that create, change and list them.

mod commands;
mod write;

pub(crate) use commands::check_team;
pub use commands::{InboxCounts, cursor_after, sort_value};

pub use write::{
    NewTicketRow, assign, get, in_status_between, insert, set_priority, set_status, set_tags,
    set_team, touch,
};

use crate::messages::NewMessage;
use crate::ports::Requirement;
use crate::rules::ticket::Inherited;
use serde::{Deserialize, Serialize};
use tiski_domain::{Channel, Priority, Status};

/// The requester of a ticket, as shown on it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RequesterView {
    /// Customer id.
    pub id: i64,
    /// Customer name.
    pub name: String,
}

/// A ticket as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TicketView {
    /// Id (the ticket number).
    pub id: i64,
    /// Subject.
    pub subject: String,
    /// Status.
    pub status: Status,
    /// Priority.
    pub priority: Priority,
    /// Channel the ticket came through.
    pub channel: Channel,
    /// Team that owns it.
    pub team_id: Option<i64>,
    /// Agent working it.
    pub assignee_id: Option<i64>,
    /// The customer who asked.
    pub requester: RequesterView,
    /// Language of the conversation.
    pub language: Option<String>,
    /// Tags, sorted.
    pub tags: Vec<String>,
    /// The closed ticket this one follows up.
    pub follow_up_of: Option<i64>,
    /// The mailbox the conversation runs through, for email tickets.
    pub mailbox_id: Option<i64>,
    /// When it was created.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// When it was last solved.
    pub solved_at: Option<String>,
    /// When it was closed.
    pub closed_at: Option<String>,
    /// The ticket this one was merged into (then it is closed and answers with this pointer).
    pub merged_into: Option<i64>,
    /// The ticket whose message was split off to start this one.
    pub split_from: Option<i64>,
    /// The SLA clocks of the policy that applies (in `GET /tickets/{id}`; empty elsewhere
    /// and when no policy applies).
    #[serde(default)]
    pub sla: Vec<crate::SlaEntry>,
    /// The routing queue its work waits in or came through (filled by the routing port).
    #[serde(default)]
    pub queue_id: Option<i64>,
    /// The skills its work needs (filled by the routing port).
    #[serde(default)]
    pub requirements: Vec<Requirement>,
}

impl TicketView {
    /// What a follow-up of this (closed) ticket inherits: team, assignee, priority, tags,
    /// language, mailbox and channel. The one rule, whichever channel the customer writes
    /// again through.
    pub fn inherited(&self) -> Inherited {
        Inherited {
            team_id: self.team_id,
            assignee_id: self.assignee_id,
            priority: self.priority,
            tags: self.tags.clone(),
            language: self.language.clone(),
            mailbox_id: self.mailbox_id,
            channel: self.channel,
        }
    }
}

/// Who asks: an existing customer by id, or by email or phone (found or created).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequesterInput {
    /// An existing customer's id.
    pub id: Option<i64>,
    /// Email address; the customer is found or created.
    pub email: Option<String>,
    /// Phone number (E.164); the customer is found or created.
    pub phone: Option<String>,
    /// Name for a customer created now.
    pub name: Option<String>,
}

/// Input for a new ticket.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    /// Subject, 1 to 500 characters.
    pub subject: String,
    /// Who asks.
    pub requester: RequesterInput,
    /// Owning team; defaults to the creator's first team.
    pub team_id: Option<i64>,
    /// Assignee.
    pub assignee_id: Option<i64>,
    /// Priority, `normal` when absent.
    pub priority: Option<Priority>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Channel, `api` when absent.
    pub channel: Option<Channel>,
    /// Language of the conversation; defaults to the customer's.
    pub language: Option<String>,
    /// The first message.
    pub message: NewMessage,
    /// The routing queue its work waits in.
    pub queue_id: Option<i64>,
    /// The skills its work needs.
    pub requirements: Option<Vec<Requirement>>,
}

/// Changes to a ticket; absent fields stay, `null` clears team or assignee.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketPatch {
    /// New subject.
    pub subject: Option<String>,
    /// New status (transitions are checked).
    pub status: Option<Status>,
    /// New priority.
    pub priority: Option<Priority>,
    /// New team, or `null`.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<Option<i64>>,
    /// New assignee, or `null`.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<i64>>,
    /// The complete new set of tags.
    pub tags: Option<Vec<String>>,
    /// Tags to add.
    pub add_tags: Option<Vec<String>>,
    /// Tags to remove.
    pub remove_tags: Option<Vec<String>>,
    /// Another routing queue (a transfer: the work's place starts again), or `null` to take
    /// it out of routing.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<i64>)]
    pub queue_id: Option<Option<i64>>,
    /// The complete new set of skills its work needs.
    pub requirements: Option<Vec<Requirement>>,
}

/// Filters and order of a ticket list, as the API's query string gives them.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TicketFilter {
    /// Only these statuses (comma-separated).
    pub status: Option<String>,
    /// Only this team.
    pub team_id: Option<i64>,
    /// Only this assignee, or `none` for unassigned.
    pub assignee_id: Option<String>,
    /// Only this customer's tickets.
    pub customer_id: Option<i64>,
    /// Only tickets with this tag.
    pub tag: Option<String>,
    /// Only tickets changed at or after this time (RFC 3339).
    pub updated_since: Option<String>,
    /// `updated_at`, `created_at`, `priority` or `id`; prefix `-` for descending.
    /// Default `-updated_at`.
    pub sort: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
