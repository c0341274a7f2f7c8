//! The ticketing context: tickets, the messages on them and their files, the customers who
//! write them, inbox views (built-in and saved), macros, and the event log as an agent sees
//! it.
//!
//! Its tables are `tickets`, `ticket_tags`, `ticket_cc`, `messages`, `attachments`,
//! `customers`, `customer_identities`, `saved_views`, `macros`, `access_log`, `drafts` and
//! `staged_files`; all of its SQL is in
//! [`repo`]. The pure rules are in [`rules`] and [`query`]. Channel contexts (email, later chat
//! and voice) build on it: they call its write functions inside their own transactions
//! ([`tickets::insert`], [`messages::insert`], [`customers::find_or_create`] …) and plug their
//! message state in through [`Ports`]. Ticketing never calls them.

pub mod access;
pub mod cc;
pub mod customers;
pub mod drafts;
mod history;
pub mod language;
mod macros;
pub mod messages;
mod ports;
pub mod privacy;
pub mod query;
mod repo;
pub mod reshape;
pub mod rules;
pub mod search;
pub mod tickets;
mod views;

pub use customers::{CustomerPatch, CustomerView, NewCustomer};
pub use drafts::{DraftOwner, DraftView, NewDraft, StagedFile};
pub use macros::{FilledMacro, MacroView, NewMacro, fill_for, shared_macro};
pub use messages::{
    AttachmentView, Delivery, DeliveryState, EmailState, MessageView, NewAttachment, NewForward,
    NewMessage, ReplyRoute,
};
pub use ports::{
    ChannelData, ErasureScope, MessageStates, Ports, Recipients, ReplyChannel, Requirement, Route,
    RoutingChange, SlaEntry, TicketClocks, TicketRouting, Unreachable,
};
pub use query::{InboxView, TicketQuery, TicketSort, ViewFilters};
pub use repo::ticket_list::COUNT_CAP;
pub use reshape::{MergeCustomer, MergeReply, MergeTicket, SplitMessage};
pub use rules::mail_html::{QUOTE_SELECTORS, RenderedMail, render as render_mail, sanitize_html};
pub use rules::message::{File, MessageLimits, ValidMessage};
pub use tickets::{
    InboxCounts, NewTicket, RequesterInput, RequesterView, TicketFilter, TicketPatch, TicketView,
    cursor_after, sort_value,
};
pub use views::SavedView;

use std::sync::Arc;
use tiski_kernel::Kernel;

/// The ticketing context. Cheap to clone.
#[derive(Clone)]
pub struct Ticketing {
    kernel: Kernel,
    ports: Arc<Ports>,
    access: Arc<access::AccessLog>,
}

impl Ticketing {
    /// The ticketing context on a kernel, with the ports of the contexts above it.
    pub fn new(kernel: Kernel, ports: Ports) -> Ticketing {
        Ticketing {
            kernel,
            ports: Arc::new(ports),
            access: access::AccessLog::new(),
        }
    }

    /// The kernel.
    pub fn kernel(&self) -> &Kernel {
        &self.kernel
    }

    /// The size limits of messages, from the settings.
    pub fn limits(&self) -> MessageLimits {
        let settings = self.kernel.settings();
        MessageLimits {
            body_bytes: settings.max_message_bytes,
            attachments: settings.max_attachments,
            attachment_bytes: settings.max_attachment_bytes,
            attachments_bytes: settings.max_attachments_bytes,
        }
    }
}
