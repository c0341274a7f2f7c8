//! The tiski application: the kernel and the contexts, wired together. The surfaces (the web
//! API and UI, the email channel adapters, the command line) are built on an [`App`].
//!
//! Architecture invariant: this crate holds no rule of its own. It builds each context,
//! plugs the contexts' reactions and ports into the ones below them, opens the store, and
//! starts the workers.

mod edi_drop;
mod open;
mod ports;
mod workers;

pub use open::{location, open_store};

use std::sync::Arc;
use tiski_calendar::Calendars;
use tiski_domain::Clock;
use tiski_email::Email;
use tiski_kernel::{Kernel, SecretKey, Settings, Store};
use tiski_knowledge::Knowledge;
use tiski_notify::Notify;
use tiski_routing::Routing;
use tiski_staff::Staff;
use tiski_ticketing::{Ports, Ticketing};
use tiski_webhooks::Webhooks;

/// The application: one handle per context, all on one kernel. Cheap to clone.
#[derive(Clone)]
pub struct App {
    /// The kernel: store, clock, settings, event log.
    pub kernel: Kernel,
    /// Staff users, teams, sign-in.
    pub staff: Staff,
    /// Tickets, messages, customers, views, macros.
    pub ticketing: Ticketing,
    /// Mailboxes, inbound and outgoing mail.
    pub email: Email,
    /// Webhook subscriptions and deliveries.
    pub webhooks: Webhooks,
    /// Agents' notifications and their preferences.
    pub notify: Notify,
    /// The catalog, orders and refunds.
    pub commerce: tiski_commerce::Commerce,
    /// Business calendars and their arithmetic.
    pub calendars: Calendars,
    /// Presence, skills, queues and the router.
    pub routing: Routing,
    /// Search (its index follows the event log) and, later, the knowledge base.
    pub knowledge: Knowledge,
    /// Triggers and time rules.
    pub automation: tiski_automation::Automation,
}

impl App {
    /// Builds the application on an opened store, with the clock time comes from and the
    /// installation key that seals stored passwords.
    pub fn new(
        store: Store,
        settings: Settings,
        clock: Arc<dyn Clock>,
        secret_key: SecretKey,
    ) -> App {
        // Contexts above ticketing react to its events inside the same transaction, and add
        // their state to its messages: plugged in here, so ticketing never names them.
        let reactions: Vec<Arc<dyn tiski_kernel::Reaction>> =
            vec![Arc::new(tiski_routing::RoutingReaction)];
        let kernel = Kernel::new(store, settings, clock, reactions);
        let ports = Ports {
            message_states: vec![Arc::new(tiski_email::EmailStates)],
            channel_data: vec![
                Arc::new(tiski_email::EmailData),
                Arc::new(tiski_knowledge::erasure::SearchData),
            ],
            reply_channels: vec![Arc::new(tiski_email::ReplyMail)],
            ticket_clocks: vec![Arc::new(tiski_calendar::SlaClocks)],
            routing: vec![Arc::new(tiski_routing::RoutingPort)],
        };
        let ticketing = Ticketing::new(kernel.clone(), ports);
        App {
            staff: Staff::new(kernel.clone(), secret_key.clone()),
            automation: tiski_automation::Automation::new(
                kernel.clone(),
                ticketing.clone(),
                vec![Arc::new(tiski_email::ReplyMail)],
            ),
            ticketing,
            email: Email::new(kernel.clone(), secret_key),
            webhooks: Webhooks::new(kernel.clone()),
            notify: Notify::new(kernel.clone()).with_digest_mail(Arc::new(ports::DigestByEmail)),
            commerce: tiski_commerce::Commerce::new(kernel.clone()),
            calendars: Calendars::new(kernel.clone()),
            routing: Routing::new(kernel.clone()),
            knowledge: Knowledge::new(kernel.clone()),
            kernel,
        }
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        self.kernel.settings()
    }
}
