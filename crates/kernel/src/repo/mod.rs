//! The kernel's repository: all of its SQL, over the tables it owns (the event log, the
//! outbox and its attempts, worker positions, idempotency keys, blobs).

pub(crate) mod blobs;
pub(crate) mod events;
pub(crate) mod idempotency;
pub(crate) mod outbox;
pub(crate) mod positions;
pub(crate) mod prune;
