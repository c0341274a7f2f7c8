//! Where the IMAP poller stands in each mailbox folder: the folder's UIDVALIDITY and the highest
//! UID whose message is stored, so a restarted poller fetches only what is newer.
//!
//! This is the poller's own bookkeeping, like a worker's event position: it changes no ticket,
//! so it appends no event.

use crate::{App, AppResult};
use tiski_store::params;

impl App {
    /// The IMAP poller's position in a mailbox's folder: `(uid_validity, last_uid)`, or `None`
    /// when the folder was never polled.
    pub async fn imap_position(
        &self,
        mailbox_id: i64,
        folder: &str,
    ) -> AppResult<Option<(u32, u32)>> {
        let folder = folder.to_string();
        self.store()
            .read(move |conn| {
                let Some(row) = conn.query_opt(
                    "SELECT uid_validity, last_uid FROM imap_positions WHERE mailbox_id = $1 AND folder = $2",
                    params![mailbox_id, folder.as_str()],
                )?
                else {
                    return Ok(None);
                };
                let uid_validity: i64 = row.get(0)?;
                let last_uid: i64 = row.get(1)?;
                Ok(Some((
                    u32::try_from(uid_validity).unwrap_or(0),
                    u32::try_from(last_uid).unwrap_or(0),
                )))
            })
            .await
    }

    /// Stores the IMAP poller's position in a mailbox's folder (replacing the previous one).
    pub async fn set_imap_position(
        &self,
        mailbox_id: i64,
        folder: &str,
        uid_validity: u32,
        last_uid: u32,
    ) -> AppResult<()> {
        let folder = folder.to_string();
        self.store()
            .write(move |tx| {
                tx.conn().execute(
                    "INSERT INTO imap_positions (mailbox_id, folder, uid_validity, last_uid) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (mailbox_id, folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid",
                    params![mailbox_id, folder.as_str(), i64::from(uid_validity), i64::from(last_uid)],
                )?;
                Ok(())
            })
            .await
    }
}
