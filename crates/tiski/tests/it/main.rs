//! The integration tests of tiski, in one test binary: each module is one suite, on a fresh
//! database per test (`tiski_testkit`), and `binary` runs the built `tiski` itself.
//!
//! One binary instead of one per suite: the whole stack is linked once, not once per file.

mod binary;

mod auth_security;
mod bad_input;
mod card_numbers;
mod composer;
mod delivery;
mod demo;
mod digest;
mod durability;
mod email_hijack;
mod email_imap;
mod email_ingest;
mod email_send;
mod email_smtp;
mod events;
mod http_limits;
mod idempotency;
mod kb;
mod list_limits;
mod mailview;
mod notify;
mod permissions;
mod privacy;
mod private_network;
mod pruning;
mod reshape;
mod search;
mod search_query;
mod shape;
mod tickets;
mod ui_workspace;
mod webhooks;

mod commerce_bad_input;
mod commerce_catalog;
mod commerce_import;
mod commerce_kit;
mod commerce_orders;
mod commerce_refunds;
mod edi;
mod edi_corpus;
mod edi_kit;

mod automation;
mod calendars;
mod sla_policies;

mod routing;
