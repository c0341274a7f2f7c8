//! Where the IMAP poller stands in each mailbox folder: the folder's UIDVALIDITY and the
//! highest UID whose message is stored, so a restarted poller fetches only what is newer.
//!
//! This is the poller's own bookkeeping, like a worker's event position: it changes no
//! ticket, so it appends no event.

use crate::{Email, repo};
use tiski_kernel::AppResult;

impl Email {
    /// The IMAP poller's position in a mailbox's folder: `(uid_validity, last_uid)`, or `None`
    /// when the folder was never polled.
    pub async fn imap_position(
        &self,
        mailbox_id: i64,
        folder: &str,
    ) -> AppResult<Option<(u32, u32)>> {
        let folder = folder.to_string();
        let found = self
            .kernel
            .read_internal(move |conn| repo::positions::get(conn, mailbox_id, &folder))
            .await?;
        Ok(found.map(|(validity, last)| {
            (
                u32::try_from(validity).unwrap_or(0),
                u32::try_from(last).unwrap_or(0),
            )
        }))
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
        self.kernel
            .housekeeping("imap.position", move |tx| {
                repo::positions::set(
                    tx.conn(),
                    mailbox_id,
                    &folder,
                    i64::from(uid_validity),
                    i64::from(last_uid),
                )
            })
            .await
    }
}
