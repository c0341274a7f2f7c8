//! What contexts above ticketing add to it, without ticketing knowing them: the application
//! plugs them in when it wires the contexts together.

use crate::{MessageView, TicketView};
use std::sync::Arc;
use tiski_kernel::{AppError, AppResult, Conn, ErrorCode, Tx};

/// Adds a channel's state to messages it carried (the email context: Message-ID, recipients
/// and delivery state), in the caller's transaction.
pub trait MessageStates: Send + Sync {
    /// Fills in what the channel knows of `messages`.
    fn decorate(&self, conn: &mut dyn Conn, messages: &mut [MessageView]) -> AppResult<()>;
}

/// What an erasure reaches.
#[derive(Debug, Clone, Default)]
pub struct ErasureScope {
    /// The erased customer's email addresses (their quarantined mail and CC entries go too).
    pub emails: Vec<String>,
    /// The tickets whose conversations go.
    pub ticket_ids: Vec<i64>,
    /// The messages of those tickets.
    pub message_ids: Vec<i64>,
    /// The erased customer (none for retention, which erases conversations only).
    pub customer_id: Option<i64>,
}

/// Erases what a channel keeps of a customer's conversations (the email context: raw mail,
/// quarantined copies, outgoing mail and its delivery records), in the erasure's transaction.
pub trait ChannelData: Send + Sync {
    /// Deletes the channel's copies within `scope`, and redacts the erased addresses where
    /// others' mail mentions them; returns the blob digests no longer referred to by what it
    /// changed (deleted by ticketing once nothing refers to them).
    fn erase(&self, tx: &mut Tx<'_, '_>, scope: &ErasureScope) -> AppResult<Vec<String>>;
    /// Whether the channel still refers to the blob `digest`.
    fn uses_blob(&self, conn: &mut dyn Conn, digest: &str) -> AppResult<bool>;
}

/// The ports ticketing was built with.
#[derive(Clone, Default)]
pub struct Ports {
    /// Channel states of messages.
    pub message_states: Vec<Arc<dyn MessageStates>>,
    /// Channel copies of conversations, for erasure.
    pub channel_data: Vec<Arc<dyn ChannelData>>,
    /// The channels public replies go out through, in order of preference.
    pub reply_channels: Vec<Arc<dyn ReplyChannel>>,
    /// The SLA clocks of tickets.
    pub ticket_clocks: Vec<Arc<dyn TicketClocks>>,
    /// Routing: the queue and the skills of a ticket's work.
    pub routing: Vec<Arc<dyn TicketRouting>>,
}

/// An SLA clock of a ticket, as its view shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SlaEntry {
    /// What it measures.
    pub metric: tiski_domain::sla::Metric,
    /// Where it stands.
    pub state: tiski_domain::sla::ClockState,
    /// When the target is (or was) reached (RFC 3339); absent while paused, or when met.
    pub due_at: Option<String>,
    /// Seconds counted so far.
    pub elapsed_s: i64,
}

/// Adds a ticket's SLA clocks to its view (the calendar context: the clocks of the first
/// policy that matches), in the caller's read, as of `now` (microseconds).
pub trait TicketClocks: Send + Sync {
    /// The clocks of `ticket`.
    fn clocks(
        &self,
        conn: &mut dyn Conn,
        ticket: &TicketView,
        now: i64,
    ) -> AppResult<Vec<SlaEntry>>;
}

impl Ports {
    /// Lets every channel fill in its state of `messages`.
    pub(crate) fn decorate(
        &self,
        conn: &mut dyn Conn,
        messages: &mut [MessageView],
    ) -> AppResult<()> {
        if messages.is_empty() {
            return Ok(());
        }
        self.message_states
            .iter()
            .try_for_each(|port| port.decorate(conn, messages))
    }
}

/// Why a public reply cannot reach a ticket's requester, in people's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unreachable {
    /// The requester has no address any channel could use (no email identity).
    NoAddress,
    /// No channel is set up to send (no mailbox of the ticket, its team, or a default one).
    NoChannel,
}

impl Unreachable {
    /// The sentence the API answers with.
    pub fn message(self) -> &'static str {
        match self {
            Unreachable::NoAddress => {
                "This customer has no email address, so a reply cannot reach them; add one to the customer or write an internal note."
            }
            Unreachable::NoChannel => {
                "No mailbox can send mail: add a mailbox (or mark one as the default) so replies can go out."
            }
        }
    }

    /// The id of the translated sentence the workspace shows.
    pub fn message_id(self) -> &'static str {
        match self {
            Unreachable::NoAddress => "unreachable-no-address",
            Unreachable::NoChannel => "unreachable-no-channel",
        }
    }

    /// The refusal of a reply that cannot be delivered (nothing is stored).
    pub fn error(self) -> AppError {
        AppError::conflict_without_field(ErrorCode::UnreachableRequester, self.message())
    }
}

/// Who a public reply goes to, as the agent chose it; what is left out takes the channel's
/// defaults (the requester, the ticket's CCs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipients {
    /// Instead of the requester.
    pub to: Option<Vec<String>>,
    /// Instead of the ticket's CCs.
    pub cc: Option<Vec<String>>,
    /// Blind copies: they get the mail, no header names them.
    pub bcc: Vec<String>,
}

/// How a public reply on a ticket would go out, as a channel sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    /// The requester's address the reply would go to.
    pub to: Option<String>,
    /// The channel's sending identity (the mailbox address).
    pub via: Option<String>,
}

impl Route {
    /// Why a reply cannot go this way, when the agent names its own recipients or not.
    pub fn unreachable(&self, own_recipients: bool) -> Option<Unreachable> {
        if self.via.is_none() {
            Some(Unreachable::NoChannel)
        } else if self.to.is_none() && !own_recipients {
            Some(Unreachable::NoAddress)
        } else {
            None
        }
    }
}

/// A channel public replies go out through (the email context: the ticket's mailbox, its
/// team's, or the default one). Ticketing asks it before storing a reply, so a reply that
/// cannot reach anyone is refused instead of being announced as sent.
pub trait ReplyChannel: Send + Sync {
    /// How a reply on `ticket` would go out through this channel.
    fn route(&self, conn: &mut dyn Conn, ticket: &TicketView) -> AppResult<Route>;
    /// Sends the public reply `message_id` (already stored) in the caller's transaction; with
    /// `hold_until` (microseconds) it waits until then, so it can still be withdrawn.
    fn send_reply(
        &self,
        tx: &mut Tx<'_, '_>,
        ticket: &TicketView,
        message_id: i64,
        recipients: &Recipients,
        hold_until: Option<i64>,
    ) -> AppResult<()>;
    /// Forwards `forwarded` (a message, or the whole conversation when `None`) to `to`, as
    /// recorded by the note `note_id`.
    fn forward(
        &self,
        tx: &mut Tx<'_, '_>,
        ticket: &TicketView,
        note_id: i64,
        forwarded: Option<i64>,
        to: &[String],
    ) -> AppResult<()>;
    /// Takes back the held mail of `message_id`: `true` if it was still waiting; `false` if
    /// it is gone out or going (or there was none).
    fn withdraw(&self, tx: &mut Tx<'_, '_>, message_id: i64) -> AppResult<bool>;
}

/// The channel a reply goes out through with its route, or why no channel can carry it.
pub(crate) type Routed = Result<(Arc<dyn ReplyChannel>, Route), Unreachable>;

impl Ports {
    /// The first channel that can carry a public reply on `ticket`, or why none can.
    pub(crate) fn route(
        &self,
        conn: &mut dyn Conn,
        ticket: &TicketView,
        own_recipients: bool,
    ) -> AppResult<Routed> {
        route_among(&self.reply_channels, conn, ticket, own_recipients)
    }

    /// Takes back the held mail of a reply from whichever channel holds it.
    pub(crate) fn withdraw(&self, tx: &mut Tx<'_, '_>, message_id: i64) -> AppResult<bool> {
        for channel in &self.reply_channels {
            if channel.withdraw(tx, message_id)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The first of `channels` that can carry a public reply on `ticket`, or why none can.
pub(crate) fn route_among(
    channels: &[Arc<dyn ReplyChannel>],
    conn: &mut dyn Conn,
    ticket: &TicketView,
    own_recipients: bool,
) -> AppResult<Routed> {
    let mut reason = Unreachable::NoChannel;
    for channel in channels {
        let route = channel.route(conn, ticket)?;
        match route.unreachable(own_recipients) {
            None => return Ok(Ok((channel.clone(), route))),
            Some(why) if why == Unreachable::NoAddress => reason = why,
            Some(_) => {}
        }
    }
    Ok(Err(reason))
}

/// A skill a ticket's work needs, as the API takes and shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The skill.
    pub skill_id: i64,
    /// The least proficiency that counts, 1 to 5.
    pub min_proficiency: i64,
    /// After how many seconds of waiting it no longer holds the work back; `null`: never (a
    /// licence never relaxes, whatever is given).
    #[serde(default)]
    pub relax_after_s: Option<i64>,
}

/// What a request changes of a ticket's routing; absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoutingChange {
    /// Another queue, or `Some(None)` to take the work out of routing.
    pub queue_id: Option<Option<i64>>,
    /// The complete new set of skills its work needs.
    pub requirements: Option<Vec<Requirement>>,
}

impl RoutingChange {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.queue_id.is_none() && self.requirements.is_none()
    }
}

/// Routing's part in tickets (the routing context: queues and work items): ticketing hands
/// it what a request says of the ticket's queue and skills, and asks it to fill them in on
/// the tickets it shows.
pub trait TicketRouting: Send + Sync {
    /// Checks `change` (field errors name `queue_id` or `requirements/N/…`) and applies it to
    /// the ticket's work, in the caller's transaction; whether anything changed.
    fn apply(
        &self,
        tx: &mut Tx<'_, '_>,
        ticket: &TicketView,
        change: &RoutingChange,
    ) -> AppResult<bool>;
    /// Fills in `queue_id` and `requirements` of `tickets`.
    fn decorate(&self, conn: &mut dyn Conn, tickets: &mut [TicketView]) -> AppResult<()>;
}

impl Ports {
    /// Applies a routing change through every routing port; whether anything changed.
    pub(crate) fn apply_routing(
        &self,
        tx: &mut Tx<'_, '_>,
        ticket: &TicketView,
        change: &RoutingChange,
    ) -> AppResult<bool> {
        if change.is_empty() {
            return Ok(false);
        }
        let mut changed = false;
        for port in &self.routing {
            changed |= port.apply(tx, ticket, change)?;
        }
        Ok(changed)
    }

    /// Lets routing fill in its part of `tickets`.
    pub(crate) fn decorate_tickets(
        &self,
        conn: &mut dyn Conn,
        tickets: &mut [TicketView],
    ) -> AppResult<()> {
        if tickets.is_empty() {
            return Ok(());
        }
        self.routing
            .iter()
            .try_for_each(|port| port.decorate(conn, tickets))
    }
}
