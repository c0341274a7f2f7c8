//! SQL of the IMAP poller's positions.

use tiski_kernel::AppResult;
use tiski_store::{Conn, params};

pub(crate) fn get(
    conn: &mut dyn Conn,
    mailbox_id: i64,
    folder: &str,
) -> AppResult<Option<(i64, i64)>> {
    conn.query_opt(
        "SELECT uid_validity, last_uid FROM imap_positions WHERE mailbox_id = $1 AND folder = $2",
        params![mailbox_id, folder],
    )?
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .transpose()
}

pub(crate) fn set(
    conn: &mut dyn Conn,
    mailbox_id: i64,
    folder: &str,
    uid_validity: i64,
    last_uid: i64,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO imap_positions (mailbox_id, folder, uid_validity, last_uid) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (mailbox_id, folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid",
        params![mailbox_id, folder, uid_validity, last_uid],
    )?;
    Ok(())
}
