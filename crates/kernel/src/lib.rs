//! The kernel every tiski context stands on.
//!
//! It holds what all business areas share and none owns: the [`Actor`] and the [`Grant`] that
//! proves a permission was checked; the one table of error codes ([`ErrorCode`], [`AppError`]);
//! the clock; the write transaction [`Tx`] through which every command changes state and
//! appends its typed events (reactions of other contexts run in the same transaction); the
//! event log, the outbox, worker positions, idempotency keys and blobs; the worker runner; and
//! the settings, defined once as a table.
//!
//! Architecture invariant: the kernel knows no business area. It never names a ticket, a
//! customer or a mailbox; contexts build on it, and it never calls up into them.

mod actor;
pub mod blobs;
mod clock;
pub mod crypto;
pub mod cursor;
mod error;
pub mod events;
pub mod idempotency;
pub mod input;
pub mod net;
pub mod outbox;
pub mod positions;
pub mod prune;
mod repo;
pub mod secrets;
pub mod settings;
pub mod time;
mod tx;
pub mod worker;

pub use actor::{Actor, Grant};
pub use clock::{FakeClock, SystemClock};
pub use cursor::Page;
pub use error::{AppError, AppResult, ErrorCode};
pub use events::EventView;
pub use idempotency::{Idempotency, Stored};
pub use secrets::SecretKey;
pub use settings::Settings;
pub use tx::{Kernel, Reaction, Rule, Tx};

pub use tiski_domain::{Clock, Event, EventType, Permission};
pub use tiski_store::{Conn, Engine, Row, Sql, Store, Value};
