//! [`ImapError`]: why polling a mailbox failed.

use std::time::Duration;
use tiski_kernel::AppError;

/// Why polling a mailbox failed.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// The mailbox has no IMAP settings.
    #[error("the mailbox has no IMAP settings")]
    NotConfigured,
    /// No password is stored for the IMAP user.
    #[error("no IMAP password is stored for the mailbox")]
    NoPassword,
    /// The stored password could not be decrypted.
    #[error("the stored IMAP password cannot be decrypted: {0}")]
    Unseal(String),
    /// The host is not a public address (and private networks are not allowed), or does not
    /// resolve; nothing was connected to.
    #[error("refused: {0}")]
    Refused(#[from] tiski_kernel::net::Refused),
    /// The mailbox would log in without TLS, which its settings do not allow.
    #[error(
        "the mailbox would send its IMAP password without TLS; choose starttls or implicit, or allow_plain_auth"
    )]
    PlainAuth,
    /// The TCP connection failed.
    #[error("cannot connect to {address}: {source}")]
    Connect {
        /// `host:port`.
        address: String,
        /// The socket error.
        source: std::io::Error,
    },
    /// The TLS handshake failed.
    #[error("TLS with {host} failed: {message}")]
    Tls {
        /// The server.
        host: String,
        /// What went wrong.
        message: String,
    },
    /// The server greeted with something other than OK.
    #[error("the IMAP server did not greet with OK: {0}")]
    Greeting(String),
    /// The server refused the login.
    #[error("the IMAP server refused the login: {0}")]
    Login(async_imap::error::Error),
    /// A command failed or the connection broke.
    #[error("IMAP: {0}")]
    Imap(#[from] async_imap::error::Error),
    /// The connection broke.
    #[error("IMAP connection: {0}")]
    Io(#[from] std::io::Error),
    /// The server did not answer in time.
    #[error("the IMAP server did not answer within {0:?}")]
    Timeout(Duration),
    /// The folder reported no UIDVALIDITY.
    #[error("the folder {0:?} has no UIDVALIDITY")]
    NoUidValidity(String),
    /// Storing a message or the position failed.
    #[error("storing failed: {0}")]
    App(#[from] AppError),
}
