//! The integration tests of tiski, in one test binary: each module is one suite, on a fresh
//! database per test (`tiski_testkit`), and `binary` runs the built `tiski` itself.
//!
//! One binary instead of one per suite: the whole stack is linked once, not once per file.

mod binary;

mod bad_input;
mod demo;
mod durability;
mod email_hijack;
mod email_imap;
mod email_ingest;
mod email_send;
mod email_smtp;
mod events;
mod idempotency;
mod permissions;
mod private_network;
mod shape;
mod tickets;
mod ui_workspace;
mod webhooks;
