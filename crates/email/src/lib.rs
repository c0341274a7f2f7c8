//! The email context: mailboxes, inbound mail (ingest, threading, bounces, quarantine),
//! outgoing mail (replies and acknowledgements queued in the outbox) and its delivery state.
//!
//! Its tables are `mailboxes`, `email_messages`, `quarantine` and `imap_positions`; all of
//! its SQL is in [`repo`]. It builds on ticketing: ingest creates customers, tickets and
//! messages through ticketing's write functions inside its own transaction. Ticketing learns
//! nothing of email; the application plugs in this context's [`ReplyMail`] reply channel
//! (every agent's public reply goes out as mail through the ticket's mailbox, its team's or
//! the default one, queued in the transaction that adds the reply; a ticket no mailbox can
//! reach refuses the reply) and its [`EmailStates`] (the email and delivery state shown on
//! messages).

mod card_numbers;
mod deliveries;
mod erasure;
mod ingest;
mod mailboxes;
mod outgoing;
mod positions;
mod quarantine;
mod repo;
mod states;
mod thread;

pub use deliveries::{DeliveryResult, OutgoingDelivery};
pub use erasure::EmailData;
pub use ingest::{EmailSource, IngestOutcome};
pub use mailboxes::{
    AckTemplate, ImapAfter, ImapConfig, ImapInput, ImapView, Mailbox, MailboxPatch, MailboxView,
    NewMailbox, SmtpConfig, SmtpInput, SmtpView, TlsMode,
};
pub use outgoing::{ReplyMail, StaffMail, can_mail_staff, queue_staff_mail};
pub use quarantine::QuarantineView;
pub use states::EmailStates;

use tiski_kernel::{Kernel, SecretKey};

/// The email context. Cheap to clone.
#[derive(Clone)]
pub struct Email {
    kernel: Kernel,
    secret_key: SecretKey,
}

impl Email {
    /// The email context on a kernel, with the installation key that seals stored passwords.
    pub fn new(kernel: Kernel, secret_key: SecretKey) -> Email {
        Email { kernel, secret_key }
    }

    /// The kernel.
    pub fn kernel(&self) -> &Kernel {
        &self.kernel
    }
}
