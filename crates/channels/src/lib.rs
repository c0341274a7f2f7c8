//! tiski's email channel: each part a thin adapter between the outside world and the app.
//!
//! - [`smtp::Listener`] receives mail over SMTP and ingests it with
//!   [`tiski_email::Email::ingest_email`], answering `250` only once it is committed.
//! - [`imap::Poller`] fetches mail from IMAP folders, ingests it, and only then marks it seen,
//!   moves or deletes it and advances its stored position.
//! - [`sender::Sender`] claims queued outgoing email and hands it to each mailbox's SMTP relay.
//!
//! Every part runs until its `shutdown` receiver turns `true` (or its sender is dropped).
//! TLS is rustls with the ring provider throughout.

pub mod imap;
pub mod sender;
pub mod smtp;

pub use imap::{ImapError, PollReport, Poller, PollerConfig};
pub use sender::{SendError, Sender, SenderConfig};
pub use smtp::{Listener, SmtpError, SmtpListenerConfig};

use tokio::sync::watch;

/// Waits until `shutdown` is `true` or its sender is gone.
pub(crate) async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// A host name as a socket address wants it: an IPv6 literal without its brackets.
pub(crate) fn bare_host(host: &str) -> &str {
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
}
