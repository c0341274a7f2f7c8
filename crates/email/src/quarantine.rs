//! The quarantine: inbound mail that could not be ingested (unreadable, a loop, a bounce of
//! nothing we sent) is kept raw with the reason, never dropped, and shown to admins.

use crate::ingest::EmailSource;
use crate::repo::quarantine::{self as repo, NewQuarantine};
use crate::{Email, IngestOutcome};
use serde::Serialize;
use tiski_domain::Permission;
use tiski_domain::event::EmailQuarantined;
use tiski_kernel::{Actor, AppError, AppResult, Page, Tx, blobs, cursor};
use tiski_mail::ParsedEmail;

/// A quarantined message as the API lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuarantineView {
    /// Id.
    pub id: i64,
    /// The mailbox it arrived for.
    pub mailbox_id: Option<i64>,
    /// `smtp`, `imap` or `api`.
    pub source: String,
    /// Why it was not ingested.
    pub reason: String,
    /// Size of the raw message in bytes.
    pub size: i64,
    /// The sender as far as it could be read.
    pub sender: Option<String>,
    /// The subject as far as it could be read.
    pub subject: Option<String>,
    /// When it arrived.
    pub created_at: String,
}

/// Keeps `raw` in quarantine with `reason` (once per mailbox and bytes) and appends
/// `email.quarantined`.
pub(crate) fn keep(
    tx: &mut Tx<'_, '_>,
    mailbox_id: Option<i64>,
    source: EmailSource,
    raw: &[u8],
    reason: &str,
    parsed: Option<&ParsedEmail>,
) -> AppResult<IngestOutcome> {
    let digest = blobs::put(tx, raw)?;
    if let Some((quarantine_id, reason)) = repo::find(tx.conn(), &digest, mailbox_id)? {
        return Ok(IngestOutcome::Quarantined {
            quarantine_id,
            reason,
        });
    }
    let now = tx.now();
    let id = repo::insert(
        tx.conn(),
        &NewQuarantine {
            mailbox_id,
            source: source.as_str(),
            reason,
            digest: &digest,
            size: raw.len() as i64,
            sender: parsed.and_then(|p| p.from.as_ref().map(|a| a.email.clone())),
            subject: parsed.map(|p| {
                let subject = tiski_domain::card::mask_pans(&p.subject);
                subject.chars().take(500).collect()
            }),
        },
        now,
    )?;
    tx.emit(
        None,
        EmailQuarantined {
            quarantine_id: id,
            mailbox_id,
            reason: reason.to_string(),
        },
    )?;
    Ok(IngestOutcome::Quarantined {
        quarantine_id: id,
        reason: reason.to_string(),
    })
}

impl Email {
    /// Quarantined messages, newest first. Admins only.
    pub async fn list_quarantine(
        &self,
        actor: &Actor,
        limit: Option<i64>,
    ) -> AppResult<Page<QuarantineView>> {
        let grant = actor.grant(Permission::QuarantineRead)?;
        let limit = cursor::limit(limit)?;
        self.kernel
            .query(&grant, move |conn| {
                Ok(Page {
                    items: repo::newest(conn, limit)?,
                    next_cursor: None,
                })
            })
            .await
    }

    /// The raw bytes of a quarantined message. Admins only.
    pub async fn quarantine_raw(&self, actor: &Actor, id: i64) -> AppResult<Vec<u8>> {
        let grant = actor.grant(Permission::QuarantineRead)?;
        self.kernel
            .query(&grant, move |conn| {
                let digest =
                    repo::digest_of(conn, id)?.ok_or(AppError::not_found("quarantined message"))?;
                blobs::get(conn, &digest)
            })
            .await
    }
}
