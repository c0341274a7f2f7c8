//! The kinds of notification an agent can get: what concerns them, so the bell, the API and
//! the preferences speak of the same things.

use crate::wire_enum;

wire_enum! {
    /// Why an agent is notified.
    NotificationKind, "notification kind" {
        /// A ticket was assigned to them by someone else.
        Assigned = "assigned",
        /// A colleague mentioned them (`@Name` or `@localpart`) in an internal note.
        Mentioned = "mentioned",
        /// The customer wrote on a ticket assigned to them.
        CustomerReplied = "customer_replied",
        /// A colleague asked them for help on a ticket.
        HelpRequested = "help_requested",
        /// A ticket of theirs is close to breaking its SLA (reserved: nothing produces it yet).
        SlaAtRisk = "sla_at_risk",
    }
}
