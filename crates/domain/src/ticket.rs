//! The ticket lifecycle: statuses and their legal transitions, priorities, channels, messages.

use crate::wire_enum;

wire_enum! {
    /// Where a ticket stands. `closed` is final.
    Status, "status" {
        /// Not yet touched by an agent.
        New = "new",
        /// Being worked.
        Open = "open",
        /// Waiting for the customer.
        Pending = "pending",
        /// Waiting for a third party.
        OnHold = "on_hold",
        /// Answered; reopens on a customer message, closes after some days.
        Solved = "solved",
        /// Final; a later customer message starts a follow-up ticket.
        Closed = "closed",
    }
}

/// A status change that the lifecycle forbids.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("A ticket cannot go from {from} to {to}.")]
pub struct TransitionError {
    /// The current status.
    pub from: Status,
    /// The requested status.
    pub to: Status,
}

impl Status {
    /// Checks that an agent may move a ticket from `self` to `to`.
    ///
    /// Nothing leaves `closed`; only a solved ticket can be closed; nothing returns to `new`.
    /// Staying in the same status is allowed and changes nothing.
    pub fn transition_to(self, to: Status) -> Result<Status, TransitionError> {
        use Status::*;
        let allowed = self == to
            || match (self, to) {
                (Closed, _) | (_, New) => false,
                (Solved, Closed) => true,
                (_, Closed) => false,
                _ => true,
            };
        if allowed {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }

    /// The status a ticket takes when its customer writes again, or `None` when the message
    /// must start a follow-up ticket instead (the ticket is closed).
    pub fn after_customer_message(self) -> Option<Status> {
        match self {
            Status::Closed => None,
            Status::New => Some(Status::New),
            _ => Some(Status::Open),
        }
    }

    /// The status a ticket takes when an agent answers it publicly: a new ticket becomes open.
    pub fn after_agent_reply(self) -> Status {
        match self {
            Status::New => Status::Open,
            other => other,
        }
    }

    /// The statuses of work that is not waiting for the customer: what the "open" inbox
    /// views show and count. The one definition of "open".
    pub const OPEN: &'static [Status] = &[Status::New, Status::Open, Status::OnHold];

    /// Whether the ticket is open work (see [`Status::OPEN`]).
    pub fn is_open(self) -> bool {
        Status::OPEN.contains(&self)
    }
}

wire_enum! {
    /// How urgent a ticket is.
    Priority, "priority" {
        /// Can wait.
        Low = "low",
        /// The default.
        Normal = "normal",
        /// Soon.
        High = "high",
        /// Now.
        Urgent = "urgent",
    }
}

impl Priority {
    /// A rank for sorting and storage: low 0 … urgent 3.
    pub fn rank(self) -> i64 {
        match self {
            Priority::Low => 0,
            Priority::Normal => 1,
            Priority::High => 2,
            Priority::Urgent => 3,
        }
    }

    /// The priority of a stored rank.
    pub fn from_rank(rank: i64) -> Option<Priority> {
        Priority::ALL.get(usize::try_from(rank).ok()?).copied()
    }
}

wire_enum! {
    /// The channel a ticket or message came through.
    Channel, "channel" {
        /// Email.
        Email = "email",
        /// Live chat.
        Chat = "chat",
        /// Phone call.
        Phone = "phone",
        /// Web form or customer portal.
        Web = "web",
        /// In person at a service desk.
        Desk = "desk",
        /// Fax.
        Fax = "fax",
        /// Electronic data interchange (orders from business partners).
        Edi = "edi",
        /// Created through the API by another system.
        Api = "api",
    }
}

wire_enum! {
    /// Whether a message is seen by the customer.
    MessageKind, "message kind" {
        /// A public reply, seen by the customer.
        Reply = "reply",
        /// An internal note, seen only by staff.
        Note = "note",
    }
}

wire_enum! {
    /// Who wrote a message or caused an event.
    AuthorKind, "author kind" {
        /// The customer.
        Customer = "customer",
        /// A staff user.
        Agent = "agent",
        /// tiski itself (automations, workers).
        System = "system",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(from: Status, to: Status, allowed: bool) {
        assert_eq!(
            from.transition_to(to).is_ok(),
            allowed,
            "{from} -> {to} should be {}",
            if allowed { "allowed" } else { "refused" }
        );
    }

    #[test]
    fn transitions() {
        use Status::*;
        check(New, Open, true);
        check(New, Solved, true);
        check(New, Closed, false);
        check(Open, New, false);
        check(Open, Pending, true);
        check(Pending, OnHold, true);
        check(Solved, Open, true);
        check(Solved, Closed, true);
        check(Open, Closed, false);
        check(Closed, Open, false);
        check(Closed, Closed, true);
        check(Closed, Solved, false);
    }

    #[test]
    fn customer_message_reopens_or_follows_up() {
        assert_eq!(Status::Solved.after_customer_message(), Some(Status::Open));
        assert_eq!(Status::Pending.after_customer_message(), Some(Status::Open));
        assert_eq!(Status::New.after_customer_message(), Some(Status::New));
        assert_eq!(Status::Closed.after_customer_message(), None);
    }

    #[test]
    fn wire_names_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Ok(*status));
        }
        for priority in Priority::ALL {
            assert_eq!(Priority::from_rank(priority.rank()), Some(*priority));
        }
        let error = Status::parse("done").unwrap_err();
        assert!(error.message.contains("on_hold"), "{}", error.message);
    }
}
