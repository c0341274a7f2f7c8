//! `Idempotency-Key`: a retried create returns the first result and creates nothing twice.
//!
//! The key, a digest of the request and the response are stored in the same transaction as
//! the create itself, so a key is either fully used or not at all.

use crate::repo::idempotency as repo;
use crate::{AppError, AppResult, ErrorCode, Tx};
use serde::Serialize;

/// A client's idempotency key and a digest of the request it came with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    /// The client's key (1 to 255 visible characters).
    pub key: String,
    /// A digest of the method, path and body, to refuse a key reused for another request.
    pub request_digest: String,
}

impl Idempotency {
    /// Checks a key from the `Idempotency-Key` header.
    pub fn new(key: &str, request_digest: String) -> AppResult<Idempotency> {
        let ok = (1..=255).contains(&key.len()) && key.chars().all(|c| c.is_ascii_graphic());
        if !ok {
            return Err(AppError::invalid(
                "Idempotency-Key",
                "The Idempotency-Key header must have 1 to 255 visible ASCII characters.",
            ));
        }
        Ok(Idempotency {
            key: key.to_string(),
            request_digest,
        })
    }
}

/// The outcome of a create: made now, or replayed from an earlier request with the same key.
#[derive(Debug, Clone)]
pub enum Stored<T> {
    /// Created by this request.
    Fresh(T),
    /// The JSON answer of the first request with this key.
    Replayed(String),
}

impl<T> Stored<T> {
    /// The freshly created value, if this was not a replay.
    pub fn fresh(self) -> Option<T> {
        match self {
            Stored::Fresh(value) => Some(value),
            Stored::Replayed(_) => None,
        }
    }
}

/// Runs `create` unless the transaction's actor used the key before; stores its answer under
/// the key.
pub fn run<T: Serialize>(
    tx: &mut Tx<'_, '_>,
    idempotency: Option<&Idempotency>,
    create: impl FnOnce(&mut Tx<'_, '_>) -> AppResult<T>,
) -> AppResult<Stored<T>> {
    let Some(idempotency) = idempotency else {
        return create(tx).map(Stored::Fresh);
    };
    let user_id = tx.actor().id;
    if let Some((digest, response)) = repo::find(tx.conn(), user_id, &idempotency.key)? {
        if digest != idempotency.request_digest {
            return Err(AppError::conflict(
                ErrorCode::IdempotencyKeyReused,
                "Idempotency-Key",
                "This Idempotency-Key was already used for a different request.",
            ));
        }
        return Ok(Stored::Replayed(response));
    }
    let value = create(tx)?;
    let response = serde_json::to_string(&value)?;
    let now = tx.now();
    repo::insert(
        tx.conn(),
        user_id,
        &idempotency.key,
        &idempotency.request_digest,
        &response,
        now,
    )?;
    Ok(Stored::Fresh(value))
}

/// Forgets every stored answer that quotes one of `texts` (as JSON would write it), so an
/// erasure leaves no copy in the replay cache; returns how many.
pub fn forget_quoting(conn: &mut dyn tiski_store::Conn, texts: &[String]) -> AppResult<u64> {
    let mut forgotten = 0;
    for text in texts.iter().filter(|t| !t.trim().is_empty()) {
        let quoted = serde_json::to_string(text).unwrap_or_default();
        let inner = quoted.trim_matches('"');
        let pattern = crate::input::like_pattern(inner);
        forgotten += crate::repo::idempotency::forget_matching(conn, &pattern)?;
    }
    Ok(forgotten)
}
