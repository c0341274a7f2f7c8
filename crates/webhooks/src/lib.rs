//! The webhooks context: admins register a URL for event types; a worker tailing the event
//! log writes every matching event to the outbox, and another delivers it signed
//! (`X-Tiski-Signature`), retrying on the backoff schedule.
//!
//! Its table is `webhooks`; all of its SQL is in [`repo`]. It reads the event log and uses
//! the outbox through the kernel, and knows no other context.

mod delivery;
mod repo;
mod subscriptions;

pub use delivery::{SIGNATURE_HEADER, sign};
pub use subscriptions::{AttemptView, DeliveryView, NewWebhook, WebhookView};

use tiski_kernel::Kernel;

/// The outbox kind of webhook deliveries.
pub(crate) const OUTBOX_KIND: &str = "webhook";

/// The webhooks context. Cheap to clone.
#[derive(Clone)]
pub struct Webhooks {
    kernel: Kernel,
    http: reqwest::Client,
}

impl Webhooks {
    /// The webhooks context on a kernel; calls time out after the settings' webhook timeout.
    pub fn new(kernel: Kernel) -> Webhooks {
        // One TLS stack, rustls with ring, for every outgoing connection.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(kernel.settings().webhook_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap_or_default();
        Webhooks { kernel, http }
    }
}
