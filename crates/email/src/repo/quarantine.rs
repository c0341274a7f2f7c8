//! SQL of the quarantine.

use crate::QuarantineView;
use tiski_kernel::{AppResult, time};
use tiski_store::{Conn, params};

/// A quarantined message as stored.
pub(crate) struct NewQuarantine<'a> {
    pub mailbox_id: Option<i64>,
    pub source: &'a str,
    pub reason: &'a str,
    pub digest: &'a str,
    pub size: i64,
    pub sender: Option<String>,
    pub subject: Option<String>,
}

/// The entry of the same bytes for the same mailbox, with its reason.
pub(crate) fn find(
    conn: &mut dyn Conn,
    digest: &str,
    mailbox_id: Option<i64>,
) -> AppResult<Option<(i64, String)>> {
    conn.query_opt(
        "SELECT id, reason FROM quarantine WHERE raw_sha256 = $1 AND mailbox_id IS NOT DISTINCT FROM $2",
        params![digest, mailbox_id],
    )?
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .transpose()
}

pub(crate) fn insert(conn: &mut dyn Conn, entry: &NewQuarantine<'_>, now: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO quarantine (mailbox_id, source, reason, raw_sha256, size, sender, subject, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        params![
            entry.mailbox_id,
            entry.source,
            entry.reason,
            entry.digest,
            entry.size,
            entry.sender.clone(),
            entry.subject.clone(),
            now
        ],
    )?)
}

/// The newest entries, at most `limit`.
pub(crate) fn newest(conn: &mut dyn Conn, limit: i64) -> AppResult<Vec<QuarantineView>> {
    conn.query(
        "SELECT id, mailbox_id, source, reason, size, sender, subject, created_at FROM quarantine ORDER BY id DESC LIMIT $1",
        params![limit],
    )?
    .iter()
    .map(|r| {
        Ok(QuarantineView {
            id: r.get(0)?,
            mailbox_id: r.get(1)?,
            source: r.get(2)?,
            reason: r.get(3)?,
            size: r.get(4)?,
            sender: r.get(5)?,
            subject: r.get(6)?,
            created_at: time::format(r.get(7)?),
        })
    })
    .collect()
}

/// The digest of an entry's raw bytes.
pub(crate) fn digest_of(conn: &mut dyn Conn, id: i64) -> AppResult<Option<String>> {
    conn.query_opt(
        "SELECT raw_sha256 FROM quarantine WHERE id = $1",
        params![id],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}
