//! Email as values: everything tiski does with a message that is a function from values to values.
//!
//! The application layer receives raw RFC 5322 bytes (from the SMTP listener, IMAP or a
//! webhook) and hands them to [`parse`], which returns a [`ParsedEmail`] holding what a ticket
//! needs: threading ids, decoded subject and addresses, the text and HTML bodies, the reply
//! text without its quoted history, attachments, whether the message was sent by a machine
//! ([`AutoKind`]) and, for delivery failures, the [`Bounce`] report. For the other direction,
//! [`build`] turns an [`OutgoingEmail`] into bytes that an SMTP client can send as they are.
//!
//! **Architecture invariant:** this crate does no IO, no async and no network. It does not know
//! about tickets, stores or configuration; the ticket tag format (`[#123]`) is the only
//! convention it shares with the rest of tiski. Parsing is done by `mail-parser` and building by
//! `mail-builder`; the code here adds the helpdesk rules on top (quote splitting, auto-reply
//! and bounce recognition, subject clean-up).
//!
//! Untrusted input: [`parse`] never panics, whatever the bytes; it returns a [`ParseError`] for
//! input that holds no message at all.

mod address;
mod auto;
mod bounce;
mod build;
mod headers;
mod parse;
mod quote;
mod subject;

pub use address::Address;
pub use auto::AutoKind;
pub use bounce::{Bounce, BounceRecipient};
pub use build::{OutgoingEmail, build, new_message_id};
pub use parse::{Attachment, ParseError, ParsedEmail, parse};
pub use quote::split_quoted;
pub use subject::{strip_reply_prefixes, ticket_tag};
