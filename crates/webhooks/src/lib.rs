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

use std::sync::Arc;
use tiski_kernel::{Kernel, net};

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
        let allow_private = kernel.settings().allow_private_network;
        // Names are resolved by the checking resolver, and the connection goes to the
        // addresses it checked; no redirects are followed, so nothing unchecked is reached.
        let http = reqwest::Client::builder()
            .timeout(kernel.settings().webhook_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(CheckedResolver { allow_private }))
            .build()
            .unwrap_or_default();
        Webhooks { kernel, http }
    }
}

/// Resolves webhook host names and refuses any that has an address that is not public,
/// unless the operator allows private networks.
struct CheckedResolver {
    allow_private: bool,
}

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let addrs = net::resolve(name.as_str(), 0, allow_private).await?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::CheckedResolver;
    use std::sync::Arc;

    /// A name that resolves to loopback is refused by the resolver, so the request never
    /// reaches the port, and the error is the refusal (no connect details).
    #[tokio::test]
    async fn the_resolver_refuses_names_of_private_addresses() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let client = |allow_private| {
            reqwest::Client::builder()
                .no_proxy()
                .dns_resolver(Arc::new(CheckedResolver { allow_private }))
                .build()
                .unwrap()
        };
        let error = client(false)
            .get(format!("http://localhost:{port}/"))
            .send()
            .await
            .unwrap_err();
        let refused = crate::delivery::refusal(&error).expect("refused by the resolver");
        assert!(
            refused.to_string().starts_with("localhost is not"),
            "{refused}"
        );
        listener.set_nonblocking(true).unwrap();
        assert!(listener.accept().is_err(), "nothing connected");
        assert!(crate::delivery::check_url(&format!("http://127.0.0.1:{port}/"), false).is_err());
        assert!(crate::delivery::check_url("http://[::ffff:7f00:1]/", false).is_err());
        assert!(crate::delivery::check_url("http://127.0.0.1/", true).is_ok());
        assert!(crate::delivery::check_url("https://example.com/", false).is_ok());
        // Allowed, the same request connects.
        let _ = client(true)
            .get(format!("http://localhost:{port}/"))
            .timeout(std::time::Duration::from_millis(200))
            .send()
            .await;
        assert!(listener.accept().is_ok(), "connected when allowed");
    }
}
