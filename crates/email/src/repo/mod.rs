//! The email repository: all SQL over the tables this context owns (`mailboxes`,
//! `email_messages`, `quarantine`, `imap_positions`).

pub(crate) mod email_messages;
pub(crate) mod erasure;
pub(crate) mod mailboxes;
pub(crate) mod positions;
pub(crate) mod quarantine;
