//! Pruning of the kernel's tables that only grow, decided on the kernel clock: idempotency
//! keys past `idempotency_key_lifetime`, and delivered or failed outbox rows (webhook calls,
//! sent mail) with their delivery attempts past `outbox_retention`. The app's prune worker
//! runs it with the other contexts' pruning (expired sessions).

use crate::{AppResult, Settings, Tx, repo, time};

/// Rows one step deletes per table at most, so a step stays a short transaction.
pub const PRUNE_BATCH: i64 = 1000;

/// What one pruning step deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Idempotency keys.
    pub idempotency_keys: u64,
    /// Outbox rows.
    pub outbox: u64,
    /// Delivery attempts.
    pub delivery_attempts: u64,
    /// Workspace sessions (counted by the staff context).
    pub sessions: u64,
    /// Entries of the customer-data access log (counted by the ticketing context).
    pub access_log: u64,
    /// Files staged for a reply more than a day ago (counted by the ticketing context).
    pub staged_files: u64,
    /// Mail to staff (digests) delivered longer ago than the outbox keeps (counted by the
    /// email context).
    pub staff_mail: u64,
}

impl Pruned {
    /// Whether a table gave a whole batch, so more may be due at once.
    pub fn batch_full(&self) -> bool {
        let batch = PRUNE_BATCH.unsigned_abs();
        self.idempotency_keys >= batch
            || self.outbox >= batch
            || self.sessions >= batch
            || self.access_log >= batch
            || self.staged_files >= batch
            || self.staff_mail >= batch
    }

    /// Rows deleted in all.
    pub fn total(&self) -> u64 {
        self.idempotency_keys
            + self.outbox
            + self.delivery_attempts
            + self.sessions
            + self.access_log
            + self.staged_files
            + self.staff_mail
    }
}

/// Deletes one batch of what is past its time in the kernel's tables, as of `tx.now()`.
pub fn kernel_tables(tx: &mut Tx<'_, '_>, settings: &Settings) -> AppResult<Pruned> {
    let now = tx.now();
    let keys_cutoff = now - time::micros(settings.idempotency_key_lifetime);
    let outbox_cutoff = now - time::micros(settings.outbox_retention);
    let idempotency_keys = repo::prune::idempotency_keys(tx.conn(), keys_cutoff, PRUNE_BATCH)?;
    let (outbox, delivery_attempts) =
        repo::prune::finished_outbox(tx.conn(), outbox_cutoff, PRUNE_BATCH)?;
    Ok(Pruned {
        idempotency_keys,
        outbox,
        delivery_attempts,
        sessions: 0,
        access_log: 0,
        staged_files: 0,
        staff_mail: 0,
    })
}
