//! The typed event vocabulary: every change tiski records is one of these.

use crate::wire_enum;

wire_enum! {
    /// The type of an event in the log.
    EventType, "event type" {
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
}

impl EventType {
    /// Whether events of this type belong to a ticket (and are seen by whoever sees it).
    pub fn is_ticket_event(self) -> bool {
        self.as_str().starts_with("ticket.") || self == EventType::MessageAdded
    }
}
