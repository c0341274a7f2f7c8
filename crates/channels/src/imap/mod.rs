//! The IMAP poller: fetches new mail from each active mailbox's IMAP folder and ingests it.
//!
//! For each mailbox with IMAP settings one task connects (implicit TLS, STARTTLS or plain),
//! logs in, selects the folder and compares its UIDVALIDITY with the stored position (a changed
//! UIDVALIDITY resets the position to the start). It fetches the messages above the last stored
//! UID in batches with `BODY.PEEK[]`, ingests each, and only once they are committed marks them
//! `\Seen`, moves or deletes them, then advances the position. It then waits with IDLE when the
//! server offers it (for at most `idle_timeout`) or sleeps `poll_interval`, and syncs again.
//! Errors end the connection; it is made again after a growing pause. A message is never
//! imported twice: the position skips what is stored, and the app drops a repeated Message-ID.

mod connect;
mod error;
mod fetch;

pub use error::ImapError;

use crate::stopped;
use std::collections::HashMap;
use std::fmt::Debug;
use std::time::Duration;
use tiski_email::{Email, ImapConfig, Mailbox};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Settings of the IMAP poller.
#[derive(Debug, Clone)]
pub struct PollerConfig {
    /// How often to look for mail on a server without IDLE.
    pub poll_interval: Duration,
    /// The longest IDLE before syncing again anyway.
    pub idle_timeout: Duration,
    /// Messages fetched per FETCH command.
    pub batch_size: usize,
    /// Bytes of message bodies fetched per FETCH command (a larger single message is fetched
    /// alone).
    pub batch_bytes: usize,
    /// How long connecting, the handshake and each command may take.
    pub timeout: Duration,
    /// How often the list of mailboxes and their settings is read again.
    pub refresh_interval: Duration,
    /// The first pause before reconnecting after an error.
    pub backoff_min: Duration,
    /// The longest pause before reconnecting.
    pub backoff_max: Duration,
}

impl Default for PollerConfig {
    fn default() -> Self {
        PollerConfig {
            poll_interval: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(300),
            batch_size: 25,
            batch_bytes: 32 * 1024 * 1024,
            timeout: Duration::from_secs(60),
            refresh_interval: Duration::from_secs(30),
            backoff_min: Duration::from_secs(5),
            backoff_max: Duration::from_secs(300),
        }
    }
}

/// What one sync of a folder did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollReport {
    /// The folder's UIDVALIDITY.
    pub uid_validity: u32,
    /// Whether it differed from the stored one (the position was reset).
    pub validity_changed: bool,
    /// The highest UID handled (the stored position).
    pub last_uid: u32,
    /// Messages fetched.
    pub fetched: usize,
    /// Messages that became tickets, joined tickets, bounces or quarantine entries.
    pub stored: usize,
    /// Messages the app already had.
    pub duplicates: usize,
    /// Messages left alone because they exceed the size limit.
    pub skipped: usize,
}

impl PollReport {
    fn add(&mut self, other: &PollReport) {
        self.uid_validity = other.uid_validity;
        self.validity_changed |= other.validity_changed;
        self.last_uid = self.last_uid.max(other.last_uid);
        self.fetched += other.fetched;
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.skipped += other.skipped;
    }
}

/// A connection, plain or TLS.
trait ImapIo: AsyncRead + AsyncWrite + Unpin + Send + Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Debug> ImapIo for T {}

type ImapSession = async_imap::Session<Box<dyn ImapIo>>;

/// A logged-in session with the folder selected.
struct Connected {
    session: ImapSession,
    config: ImapConfig,
    uid_validity: u32,
    idle: bool,
    move_command: bool,
    uidplus: bool,
}

/// The IMAP poller.
#[derive(Clone)]
pub struct Poller {
    email: Email,
    config: PollerConfig,
}

impl Debug for Poller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("config", &self.config)
            .finish()
    }
}

/// Runs `work` with the poller's command timeout.
async fn timed<T, E>(
    timeout: Duration,
    work: impl Future<Output = Result<T, E>>,
) -> Result<T, ImapError>
where
    ImapError: From<E>,
{
    match tokio::time::timeout(timeout, work).await {
        Ok(result) => result.map_err(ImapError::from),
        Err(_) => Err(ImapError::Timeout(timeout)),
    }
}

impl Poller {
    /// A poller for the app's mailboxes.
    pub fn new(email: Email, config: PollerConfig) -> Poller {
        Poller { email, config }
    }

    /// Polls every active mailbox that has IMAP settings until `shutdown` turns `true`; reads
    /// the mailboxes again every `refresh_interval` to follow changed settings.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut tasks: HashMap<i64, (String, watch::Sender<bool>, JoinHandle<()>)> = HashMap::new();
        let mut stopping: Vec<JoinHandle<()>> = Vec::new();
        loop {
            match self.email.mailboxes().await {
                Ok(mailboxes) => {
                    let wanted: HashMap<i64, (Mailbox, String)> = mailboxes
                        .into_iter()
                        .filter(|m| m.active)
                        .filter_map(|m| {
                            let fingerprint = format!("{:?}", m.imap.as_ref()?);
                            Some((m.id, (m, fingerprint)))
                        })
                        .collect();
                    let stale: Vec<i64> = tasks
                        .iter()
                        .filter(|(id, (fingerprint, _, handle))| {
                            handle.is_finished()
                                || wanted.get(id).is_none_or(|(_, f)| f != fingerprint)
                        })
                        .map(|(id, _)| *id)
                        .collect();
                    for id in stale {
                        if let Some((_, stop, handle)) = tasks.remove(&id) {
                            let _ = stop.send(true);
                            stopping.push(handle);
                        }
                    }
                    for (id, (mailbox, fingerprint)) in wanted {
                        if tasks.contains_key(&id) {
                            continue;
                        }
                        let (stop, stop_rx) = watch::channel(false);
                        let handle = tokio::spawn(self.clone().watch_mailbox(mailbox, stop_rx));
                        tasks.insert(id, (fingerprint, stop, handle));
                    }
                    stopping.retain(|h| !h.is_finished());
                }
                Err(error) => tracing::warn!(%error, "reading the mailboxes for IMAP failed"),
            }
            tokio::select! {
                _ = stopped(&mut shutdown) => break,
                _ = tokio::time::sleep(self.config.refresh_interval) => {}
            }
        }
        for (_, (_, stop, handle)) in tasks.drain() {
            let _ = stop.send(true);
            stopping.push(handle);
        }
        for handle in stopping {
            let _ = handle.await;
        }
    }

    /// Connects once, fetches and stores what is new in the mailbox's folder, and logs out.
    pub async fn poll_once(&self, mailbox: &Mailbox) -> Result<PollReport, ImapError> {
        let mut connected = self.connect(mailbox).await?;
        let report = self.sync(&mut connected, mailbox).await;
        let _ = tokio::time::timeout(self.config.timeout, connected.session.logout()).await;
        report
    }

    /// One mailbox's loop: connect, sync, wait for mail, sync again; reconnect after errors.
    async fn watch_mailbox(self, mailbox: Mailbox, mut stop: watch::Receiver<bool>) {
        let mut backoff = self.config.backoff_min;
        loop {
            if *stop.borrow() {
                return;
            }
            let mut synced = false;
            match self.session_loop(&mailbox, &mut stop, &mut synced).await {
                Ok(()) => return,
                Err(error) => {
                    if synced {
                        backoff = self.config.backoff_min;
                    }
                    tracing::warn!(mailbox_id = mailbox.id, address = %mailbox.address, %error, retry_in = ?backoff, "IMAP polling failed");
                }
            }
            tokio::select! {
                _ = stopped(&mut stop) => return,
                _ = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(self.config.backoff_max);
        }
    }

    async fn session_loop(
        &self,
        mailbox: &Mailbox,
        stop: &mut watch::Receiver<bool>,
        synced: &mut bool,
    ) -> Result<(), ImapError> {
        let mut connected = self.connect(mailbox).await?;
        loop {
            let report = self.sync(&mut connected, mailbox).await?;
            *synced = true;
            if report.fetched > 0 {
                tracing::info!(mailbox_id = mailbox.id, ?report, "IMAP sync");
            }
            if *stop.borrow() {
                break;
            }
            let timeout = self.config.timeout;
            if connected.idle {
                let mut handle = connected.session.idle();
                timed(timeout, handle.init()).await?;
                let interrupted = {
                    let (wait, _interrupt) = handle.wait_with_timeout(self.config.idle_timeout);
                    tokio::select! {
                        result = wait => {
                            result?;
                            false
                        }
                        _ = tokio::time::sleep(self.config.idle_timeout) => false,
                        _ = stopped(stop) => true,
                    }
                };
                connected.session = timed(timeout, handle.done()).await?;
                if interrupted {
                    break;
                }
            } else {
                tokio::select! {
                    _ = stopped(stop) => break,
                    _ = tokio::time::sleep(self.config.poll_interval) => {}
                }
                timed(timeout, connected.session.noop()).await?;
            }
        }
        let _ = tokio::time::timeout(self.config.timeout, connected.session.logout()).await;
        Ok(())
    }
}
