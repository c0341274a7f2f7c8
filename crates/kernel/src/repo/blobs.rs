//! SQL of the blob table.

use tiski_store::{Conn, StoreError, params};

pub(crate) fn insert(
    conn: &mut dyn Conn,
    digest: &str,
    bytes: &[u8],
    now: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO blobs (sha256, size, bytes, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
        params![digest, bytes.len() as i64, bytes.to_vec(), now],
    )?;
    Ok(())
}

pub(crate) fn bytes(conn: &mut dyn Conn, digest: &str) -> Result<Vec<u8>, StoreError> {
    conn.query_scalar("SELECT bytes FROM blobs WHERE sha256 = $1", params![digest])
}

/// Deletes a blob (its referrers are gone; the caller checked).
pub(crate) fn delete(conn: &mut dyn Conn, digest: &str) -> Result<(), StoreError> {
    conn.execute("DELETE FROM blobs WHERE sha256 = $1", params![digest])?;
    Ok(())
}
