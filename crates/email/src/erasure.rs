//! The email part of an erasure, plugged into ticketing: the raw mail of erased
//! conversations (inbound and outbound), their outgoing-mail queue rows and delivery records,
//! and the quarantined mail the erased addresses sent.

use crate::outgoing::OUTBOX_KIND;
use crate::repo;
use tiski_kernel::{AppResult, Conn, Tx, blobs, outbox};
use tiski_ticketing::{ChannelData, ErasureScope};

/// What an erased address becomes where others' mail mentions it.
pub const REDACTED: &str = "erased@erased.invalid";

/// `bytes` with every ASCII-case-insensitive occurrence of `needle` (lower-case) replaced.
fn redact(bytes: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let end = at + needle.len();
        if !needle.is_empty() && end <= bytes.len() && bytes[at..end].eq_ignore_ascii_case(needle) {
            out.extend_from_slice(with);
            at = end;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    out
}

/// Erases the email copies of conversations.
#[derive(Debug, Default, Clone, Copy)]
pub struct EmailData;

impl ChannelData for EmailData {
    fn erase(&self, tx: &mut Tx<'_, '_>, scope: &ErasureScope) -> AppResult<Vec<String>> {
        let conn = tx.conn();
        let mail = repo::erasure::mail_of(conn, &scope.ticket_ids, &scope.message_ids)?;
        let ids: Vec<i64> = mail.iter().map(|(id, _)| *id).collect();
        // The queue rows of outgoing mail are keyed by the email row; their errors may quote
        // addresses.
        outbox::forget(conn, OUTBOX_KIND, &ids)?;
        repo::erasure::delete_mail(conn, &ids)?;
        let mut digests: Vec<String> = mail.into_iter().map(|(_, digest)| digest).collect();
        for address in &scope.emails {
            let address = address.to_lowercase();
            digests.extend(repo::erasure::delete_quarantined_mentioning(
                tx.conn(),
                &address,
            )?);
            // Others' mail that copied them keeps its place, with the address blanked.
            for (id, digest) in repo::erasure::mail_mentioning(tx.conn(), &address)? {
                let bytes = blobs::get(tx.conn(), &digest)?;
                let redacted = redact(&bytes, address.as_bytes(), REDACTED.as_bytes());
                let new_digest = blobs::put(tx, &redacted)?;
                repo::erasure::set_raw(tx.conn(), id, &new_digest)?;
                digests.push(digest);
            }
            repo::erasure::redact_addresses(tx.conn(), &address, REDACTED)?;
        }
        Ok(digests)
    }

    fn uses_blob(&self, conn: &mut dyn Conn, digest: &str) -> AppResult<bool> {
        repo::erasure::uses_blob(conn, digest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_ignores_case_and_keeps_the_rest() {
        assert_eq!(
            redact(b"Cc: Aino@Example.com, b@x", b"aino@example.com", b"X"),
            b"Cc: X, b@x".to_vec()
        );
        assert_eq!(
            redact(b"nothing", b"aino@example.com", b"X"),
            b"nothing".to_vec()
        );
    }
}
