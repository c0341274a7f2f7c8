//! The email part of an erasure, plugged into ticketing: the raw mail of erased
//! conversations (inbound and outbound), their outgoing-mail queue rows and delivery records,
//! and the quarantined mail the erased addresses sent.

use crate::outgoing::OUTBOX_KIND;
use crate::repo;
use tiski_kernel::{AppResult, Conn, outbox};
use tiski_ticketing::{ChannelData, ErasureScope};

/// Erases the email copies of conversations.
#[derive(Debug, Default, Clone, Copy)]
pub struct EmailData;

impl ChannelData for EmailData {
    fn erase(&self, conn: &mut dyn Conn, scope: &ErasureScope) -> AppResult<Vec<String>> {
        let mail = repo::erasure::mail_of(conn, &scope.ticket_ids, &scope.message_ids)?;
        let ids: Vec<i64> = mail.iter().map(|(id, _)| *id).collect();
        // The queue rows of outgoing mail are keyed by the email row; their errors may quote
        // addresses.
        outbox::forget(conn, OUTBOX_KIND, &ids)?;
        repo::erasure::delete_mail(conn, &ids)?;
        let mut digests: Vec<String> = mail.into_iter().map(|(_, digest)| digest).collect();
        for address in &scope.emails {
            digests.extend(repo::erasure::delete_quarantined_from(
                conn,
                &address.to_lowercase(),
            )?);
        }
        Ok(digests)
    }

    fn uses_blob(&self, conn: &mut dyn Conn, digest: &str) -> AppResult<bool> {
        repo::erasure::uses_blob(conn, digest)
    }
}
