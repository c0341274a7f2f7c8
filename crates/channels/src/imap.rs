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

use crate::{bare_host, stopped};
use async_imap::imap_proto::{Response, Status};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;
use tiski_app::{
    App, AppError, EmailSource, ImapAfter, ImapConfig, IngestOutcome, Mailbox, TlsMode,
};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
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

/// Why polling a mailbox failed.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// The mailbox has no IMAP settings.
    #[error("the mailbox has no IMAP settings")]
    NotConfigured,
    /// No password is stored for the IMAP user.
    #[error("no IMAP password is stored for the mailbox")]
    NoPassword,
    /// The stored password could not be decrypted.
    #[error("the stored IMAP password cannot be decrypted: {0}")]
    Unseal(String),
    /// The TCP connection failed.
    #[error("cannot connect to {address}: {source}")]
    Connect {
        /// `host:port`.
        address: String,
        /// The socket error.
        source: std::io::Error,
    },
    /// The TLS handshake failed.
    #[error("TLS with {host} failed: {message}")]
    Tls {
        /// The server.
        host: String,
        /// What went wrong.
        message: String,
    },
    /// The server greeted with something other than OK.
    #[error("the IMAP server did not greet with OK: {0}")]
    Greeting(String),
    /// The server refused the login.
    #[error("the IMAP server refused the login: {0}")]
    Login(async_imap::error::Error),
    /// A command failed or the connection broke.
    #[error("IMAP: {0}")]
    Imap(#[from] async_imap::error::Error),
    /// The connection broke.
    #[error("IMAP connection: {0}")]
    Io(#[from] std::io::Error),
    /// The server did not answer in time.
    #[error("the IMAP server did not answer within {0:?}")]
    Timeout(Duration),
    /// The folder reported no UIDVALIDITY.
    #[error("the folder {0:?} has no UIDVALIDITY")]
    NoUidValidity(String),
    /// Storing a message or the position failed.
    #[error("storing failed: {0}")]
    App(#[from] AppError),
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
    app: App,
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

fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Arc::new(config))
}

async fn start_tls(
    stream: TcpStream,
    host: &str,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, ImapError> {
    let tls_error = |message: String| ImapError::Tls {
        host: host.to_string(),
        message,
    };
    let config = tls_config().map_err(tls_error)?;
    let name = rustls_pki_types::ServerName::try_from(bare_host(host).to_string())
        .map_err(|e| tls_error(e.to_string()))?;
    tokio_rustls::TlsConnector::from(config)
        .connect(name, stream)
        .await
        .map_err(|e| tls_error(e.to_string()))
}

/// Reads the server's greeting; it must be OK (PREAUTH is not expected for a login).
async fn greeting<T>(client: &mut async_imap::Client<T>) -> Result<(), ImapError>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    match client.read_response().await? {
        Some(response) => match response.parsed() {
            Response::Data {
                status: Status::Ok, ..
            } => Ok(()),
            other => Err(ImapError::Greeting(format!("{other:?}"))),
        },
        None => Err(ImapError::Greeting("the connection closed".into())),
    }
}

impl Poller {
    /// A poller for the app's mailboxes.
    pub fn new(app: App, config: PollerConfig) -> Poller {
        Poller { app, config }
    }

    /// Polls every active mailbox that has IMAP settings until `shutdown` turns `true`; reads
    /// the mailboxes again every `refresh_interval` to follow changed settings.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut tasks: HashMap<i64, (String, watch::Sender<bool>, JoinHandle<()>)> = HashMap::new();
        let mut stopping: Vec<JoinHandle<()>> = Vec::new();
        loop {
            match self.app.mailboxes().await {
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

    /// Connects, logs in and selects the folder.
    async fn connect(&self, mailbox: &Mailbox) -> Result<Connected, ImapError> {
        let config = mailbox.imap.clone().ok_or(ImapError::NotConfigured)?;
        let sealed = config
            .password_sealed
            .as_deref()
            .ok_or(ImapError::NoPassword)?;
        let password = self.app.unseal(sealed).map_err(ImapError::Unseal)?;
        let timeout = self.config.timeout;
        let host = config.host.as_str();
        let address = format!("{host}:{}", config.port);
        let tcp =
            match tokio::time::timeout(timeout, TcpStream::connect((bare_host(host), config.port)))
                .await
            {
                Ok(Ok(tcp)) => tcp,
                Ok(Err(source)) => return Err(ImapError::Connect { address, source }),
                Err(_) => return Err(ImapError::Timeout(timeout)),
            };
        let _ = tcp.set_nodelay(true);
        let client: async_imap::Client<Box<dyn ImapIo>> = match config.tls {
            TlsMode::None => {
                let mut client = async_imap::Client::new(Box::new(tcp) as Box<dyn ImapIo>);
                timed(timeout, greeting(&mut client)).await?;
                client
            }
            TlsMode::Implicit => {
                let tls = timed(timeout, start_tls(tcp, host)).await?;
                let mut client = async_imap::Client::new(Box::new(tls) as Box<dyn ImapIo>);
                timed(timeout, greeting(&mut client)).await?;
                client
            }
            TlsMode::Starttls => {
                let mut plain = async_imap::Client::new(tcp);
                timed(timeout, greeting(&mut plain)).await?;
                timed(timeout, plain.run_command_and_check_ok("STARTTLS", None)).await?;
                let tls = timed(timeout, start_tls(plain.into_inner(), host)).await?;
                async_imap::Client::new(Box::new(tls) as Box<dyn ImapIo>)
            }
        };
        // LOGIN over a plain connection is the admin's explicit choice (`tls: none`).
        let session =
            match tokio::time::timeout(timeout, client.login(&config.username, &password)).await {
                Ok(Ok(session)) => session,
                Ok(Err((error, _))) => return Err(ImapError::Login(error)),
                Err(_) => return Err(ImapError::Timeout(timeout)),
            };
        self.select(session, config).await
    }

    async fn select(
        &self,
        mut session: ImapSession,
        config: ImapConfig,
    ) -> Result<Connected, ImapError> {
        let timeout = self.config.timeout;
        let capabilities = timed(timeout, session.capabilities()).await?;
        let idle = capabilities.has_str("IDLE");
        let move_command = capabilities.has_str("MOVE");
        let uidplus = capabilities.has_str("UIDPLUS");
        if config.after == ImapAfter::Move
            && let Some(target) = &config.move_to
        {
            // Make sure the target exists; "already exists" is the usual answer.
            let _ = timed(timeout, session.create(target)).await;
        }
        let selected = timed(timeout, session.select(&config.folder)).await?;
        let uid_validity = selected
            .uid_validity
            .ok_or_else(|| ImapError::NoUidValidity(config.folder.clone()))?;
        Ok(Connected {
            session,
            config,
            uid_validity,
            idle,
            move_command,
            uidplus,
        })
    }

    /// Fetches, stores and disposes of everything above the stored position.
    async fn sync(
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
        let last = match self.app.imap_position(mailbox.id, &folder).await? {
            Some((stored, last)) if stored == validity => last,
            Some((stored, _)) => {
                tracing::warn!(mailbox_id = mailbox.id, %folder, old = stored, new = validity, "the IMAP folder's UIDVALIDITY changed; reading it again from the start");
                report.validity_changed = true;
                self.app
                    .set_imap_position(mailbox.id, &folder, validity, 0)
                    .await?;
                0
            }
            None => {
                self.app
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
        let max_bytes = self.app.config().max_email_bytes;
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
                    .app
                    .ingest_email(mailbox.id, raw, EmailSource::Imap)
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
                self.app
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
