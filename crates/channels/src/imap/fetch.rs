//! Syncing the folder: searching and fetching new messages in batches, ingesting them, and the
//! after-store actions (mark `\Seen`, move or delete) before the position advances.

use super::{Connected, ImapError, ImapSession, PollReport, Poller, timed};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use std::time::Duration;
use tiski_email::{EmailSource, ImapAfter, IngestOutcome, Mailbox};
use tiski_kernel::{Actor, AppError};

fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl Poller {
    /// Fetches, stores and disposes of everything above the stored position.
    pub(super) async fn sync(
        &self,
        connected: &mut Connected,
        mailbox: &Mailbox,
    ) -> Result<PollReport, ImapError> {
        let folder = connected.config.folder.clone();
        let validity = connected.uid_validity;
        let mut report = PollReport {
            uid_validity: validity,
            ..PollReport::default()
        };
        let last = match self.email.imap_position(mailbox.id, &folder).await? {
            Some((stored, last)) if stored == validity => last,
            Some((stored, _)) => {
                tracing::warn!(mailbox_id = mailbox.id, %folder, old = stored, new = validity, "the IMAP folder's UIDVALIDITY changed; reading it again from the start");
                report.validity_changed = true;
                self.email
                    .set_imap_position(mailbox.id, &folder, validity, 0)
                    .await?;
                0
            }
            None => {
                self.email
                    .set_imap_position(mailbox.id, &folder, validity, 0)
                    .await?;
                0
            }
        };
        report.last_uid = last;
        let timeout = self.config.timeout;
        let query = format!("UID {}:*", last.saturating_add(1));
        let found = timed(timeout, connected.session.uid_search(&query)).await?;
        // "n:*" also matches the highest UID when it is below n.
        let mut uids: Vec<u32> = found.into_iter().filter(|uid| *uid > last).collect();
        uids.sort_unstable();
        for chunk in uids.chunks(self.config.batch_size.max(1)) {
            let batch = self.sync_batch(connected, mailbox, chunk).await;
            match batch {
                Ok(batch) => report.add(&batch),
                Err((batch, error)) => {
                    report.add(&batch);
                    return Err(error);
                }
            }
        }
        Ok(report)
    }

    /// One batch of UIDs in ascending order. On an error, what was done before it is still
    /// disposed of and recorded, and returned with the error.
    async fn sync_batch(
        &self,
        connected: &mut Connected,
        mailbox: &Mailbox,
        uids: &[u32],
    ) -> Result<PollReport, (PollReport, ImapError)> {
        let timeout = self.config.timeout;
        let max_bytes = self.email.kernel().settings().max_email_bytes;
        let mut report = PollReport {
            uid_validity: connected.uid_validity,
            last_uid: 0,
            ..PollReport::default()
        };
        let sizes = match self.fetch_sizes(connected, uids).await {
            Ok(sizes) => sizes,
            Err(error) => return Err((report, error)),
        };
        // Groups of UIDs whose bodies are fetched together, bounded in count and bytes.
        let mut groups: Vec<Vec<u32>> = Vec::new();
        let mut group_bytes = 0usize;
        for uid in uids {
            let size = sizes.get(uid).copied().unwrap_or(0) as usize;
            if groups.is_empty() || group_bytes + size > self.config.batch_bytes {
                groups.push(Vec::new());
                group_bytes = 0;
            }
            group_bytes += size;
            if let Some(group) = groups.last_mut() {
                group.push(*uid);
            }
        }
        // UIDs handled in order (stored, duplicate, skipped or gone), and those to dispose of.
        let mut handled: Vec<u32> = Vec::new();
        let mut dispose: Vec<u32> = Vec::new();
        let mut failure: Option<ImapError> = None;
        'groups: for group in groups {
            let wanted: Vec<u32> = group
                .iter()
                .copied()
                .filter(|uid| {
                    sizes
                        .get(uid)
                        .is_some_and(|size| (*size as usize) <= max_bytes)
                })
                .collect();
            let mut bodies: HashMap<u32, Vec<u8>> = HashMap::new();
            if !wanted.is_empty() {
                let fetched = async {
                    let mut stream = connected
                        .session
                        .uid_fetch(uid_set(&wanted), "(UID BODY.PEEK[])")
                        .await?;
                    while let Some(fetch) = stream.try_next().await? {
                        if let (Some(uid), Some(body)) = (fetch.uid, fetch.body()) {
                            bodies.insert(uid, body.to_vec());
                        }
                    }
                    Ok::<_, async_imap::error::Error>(())
                };
                if let Err(error) = timed(timeout.saturating_mul(4), fetched).await {
                    failure = Some(error);
                    break 'groups;
                }
            }
            for uid in group {
                let Some(size) = sizes.get(&uid) else {
                    // Expunged since the search: nothing to store.
                    handled.push(uid);
                    continue;
                };
                if *size as usize > max_bytes {
                    tracing::warn!(
                        mailbox_id = mailbox.id,
                        uid,
                        size,
                        max_bytes,
                        "an IMAP message is larger than the limit; it is left in the folder"
                    );
                    report.skipped += 1;
                    handled.push(uid);
                    continue;
                }
                let Some(raw) = bodies.remove(&uid) else {
                    handled.push(uid);
                    continue;
                };
                report.fetched += 1;
                match self
                    .email
                    .ingest_email(Actor::system_ref(), mailbox.id, raw, EmailSource::Imap)
                    .await
                {
                    Ok(outcome) => {
                        if matches!(outcome, IngestOutcome::Duplicate { .. }) {
                            report.duplicates += 1;
                        } else {
                            report.stored += 1;
                        }
                        tracing::debug!(
                            mailbox_id = mailbox.id,
                            uid,
                            ?outcome,
                            "ingested an IMAP message"
                        );
                        handled.push(uid);
                        dispose.push(uid);
                    }
                    Err(AppError::Invalid { message, .. }) => {
                        tracing::warn!(mailbox_id = mailbox.id, uid, %message, "an IMAP message was refused; it is left in the folder");
                        report.skipped += 1;
                        handled.push(uid);
                    }
                    Err(error) => {
                        failure = Some(ImapError::App(error));
                        break 'groups;
                    }
                }
            }
        }
        let finish = async {
            if !dispose.is_empty() {
                self.dispose(connected, &dispose).await?;
            }
            if let Some(last) = handled.iter().max() {
                self.email
                    .set_imap_position(
                        mailbox.id,
                        &connected.config.folder,
                        connected.uid_validity,
                        *last,
                    )
                    .await?;
                report.last_uid = *last;
            }
            Ok::<_, ImapError>(())
        };
        let finished = finish.await;
        match (failure, finished) {
            (None, Ok(())) => Ok(report),
            (Some(error), _) | (None, Err(error)) => Err((report, error)),
        }
    }

    async fn fetch_sizes(
        &self,
        connected: &mut Connected,
        uids: &[u32],
    ) -> Result<HashMap<u32, u32>, ImapError> {
        let mut sizes = HashMap::new();
        let fetched = async {
            let mut stream = connected
                .session
                .uid_fetch(uid_set(uids), "(UID RFC822.SIZE)")
                .await?;
            while let Some(fetch) = stream.try_next().await? {
                if let (Some(uid), Some(size)) = (fetch.uid, fetch.size) {
                    sizes.insert(uid, size);
                }
            }
            Ok::<_, async_imap::error::Error>(())
        };
        timed(self.config.timeout, fetched).await?;
        Ok(sizes)
    }

    /// Marks stored messages `\Seen`, moves or deletes them, as the mailbox is set up.
    async fn dispose(&self, connected: &mut Connected, uids: &[u32]) -> Result<(), ImapError> {
        let timeout = self.config.timeout;
        let set = uid_set(uids);
        let session = &mut connected.session;
        match connected.config.after {
            ImapAfter::MarkSeen => {
                timed(timeout, async {
                    let stream = session.uid_store(&set, "+FLAGS.SILENT (\\Seen)").await?;
                    stream.try_collect::<Vec<_>>().await
                })
                .await?;
            }
            ImapAfter::Move => {
                let target = connected
                    .config
                    .move_to
                    .clone()
                    .unwrap_or_else(|| "Archive".to_string());
                if connected.move_command {
                    timed(timeout, session.uid_mv(&set, &target)).await?;
                } else {
                    timed(timeout, session.uid_copy(&set, &target)).await?;
                    Self::delete(session, &set, connected.uidplus, timeout).await?;
                }
            }
            ImapAfter::Delete => {
                Self::delete(session, &set, connected.uidplus, timeout).await?;
            }
        }
        Ok(())
    }

    async fn delete(
        session: &mut ImapSession,
        set: &str,
        uidplus: bool,
        timeout: Duration,
    ) -> Result<(), ImapError> {
        timed(timeout, async {
            let stream = session.uid_store(set, "+FLAGS.SILENT (\\Deleted)").await?;
            stream.try_collect::<Vec<_>>().await
        })
        .await?;
        if uidplus {
            timed(timeout, async {
                let stream = session.uid_expunge(set).await?;
                stream.try_collect::<Vec<_>>().await
            })
            .await?;
        } else {
            timed(timeout, async {
                let stream = session.expunge().await?;
                stream.try_collect::<Vec<_>>().await
            })
            .await?;
        }
        Ok(())
    }
}
