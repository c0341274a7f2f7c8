//! Content-addressed bytes (raw mail, attachments), stored once under their SHA-256 digest in
//! the same transaction as whatever refers to them: an accepted message is durable whole.

use crate::crypto::sha256_hex;
use crate::repo::blobs as repo;
use crate::{AppResult, Tx};
use tiski_store::Conn;

/// Stores bytes once under their digest and returns the digest.
pub fn put(tx: &mut Tx<'_, '_>, bytes: &[u8]) -> AppResult<String> {
    let digest = sha256_hex(bytes);
    let now = tx.now();
    repo::insert(tx.conn(), &digest, bytes, now)?;
    Ok(digest)
}

/// The bytes stored under `digest`.
pub fn get(conn: &mut dyn Conn, digest: &str) -> AppResult<Vec<u8>> {
    Ok(repo::bytes(conn, digest)?)
}

/// Deletes the bytes under `digest`. The caller has made sure nothing refers to them any
/// more (an erasure).
pub fn delete(conn: &mut dyn Conn, digest: &str) -> AppResult<()> {
    Ok(repo::delete(conn, digest)?)
}
