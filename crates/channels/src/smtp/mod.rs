//! The SMTP listener: receives mail for the active mailboxes and ingests it.
//!
//! A thin socket driver around [`protocol::Session`]. A message is answered `250` only after
//! [`Email::ingest_email`] committed it for every mailbox among its recipients; a failure answers
//! `451 4.3.0`, so the client retries, and the retry is deduplicated by the app.

pub mod protocol;

use crate::stopped;
use protocol::{Delivery, Limits, RecipientCheck, Reply, Session, Step};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiski_email::{Email, EmailSource};
use tiski_kernel::{Actor, AppError};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// Why the SMTP listener could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    /// A certificate or key file could not be read or used.
    #[error("TLS certificate {path}: {message}")]
    Certificate {
        /// The file at fault.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The TLS settings were refused by rustls.
    #[error("TLS settings: {0}")]
    Tls(#[from] rustls::Error),
}

/// Settings of the SMTP listener.
#[derive(Debug, Clone)]
pub struct SmtpListenerConfig {
    /// The name in the greeting and the EHLO answer.
    pub hostname: String,
    /// Connections served at once; more are answered `421` and closed.
    pub max_connections: usize,
    /// Connections served at once from one client address (an IPv6 client by its /64); more
    /// are answered `421` and closed, so one client cannot take every slot.
    pub max_connections_per_client: usize,
    /// How long a client may stay silent while it sends a message (DATA).
    pub idle_timeout: Duration,
    /// How long a client may stay silent before DATA (the greeting, EHLO, MAIL, RCPT): short,
    /// so idle connections do not hold slots.
    pub command_timeout: Duration,
    /// Recipients of one message.
    pub max_recipients: usize,
    /// The largest message; `None` uses (and nothing may exceed) the app's `max_email_bytes`.
    pub max_message_bytes: Option<usize>,
    /// Offer STARTTLS with this certificate (see [`load_tls`]).
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl Default for SmtpListenerConfig {
    fn default() -> Self {
        SmtpListenerConfig {
            hostname: "localhost".into(),
            max_connections: 100,
            max_connections_per_client: 10,
            idle_timeout: Duration::from_secs(300),
            command_timeout: Duration::from_secs(30),
            max_recipients: 100,
            max_message_bytes: None,
            tls: None,
        }
    }
}

/// Reads a PEM certificate chain and private key for STARTTLS (rustls with ring).
pub fn load_tls(cert_pem: &Path, key_pem: &Path) -> Result<Arc<rustls::ServerConfig>, SmtpError> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certificate_error = |path: &Path, message: String| SmtpError::Certificate {
        path: path.display().to_string(),
        message,
    };
    let certs = CertificateDer::pem_file_iter(cert_pem)
        .map_err(|e| certificate_error(cert_pem, e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| certificate_error(cert_pem, e.to_string()))?;
    if certs.is_empty() {
        return Err(certificate_error(
            cert_pem,
            "the file holds no certificate".into(),
        ));
    }
    let key = PrivateKeyDer::from_pem_file(key_pem)
        .map_err(|e| certificate_error(key_pem, e.to_string()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_no_client_auth()
    .with_single_cert(certs, key)?;
    Ok(Arc::new(config))
}

/// The SMTP listener.
#[derive(Debug)]
pub struct Listener;

/// A connection, plain or TLS.
trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

struct Shared {
    email: Email,
    limits: Limits,
    idle_timeout: Duration,
    command_timeout: Duration,
    tls: Option<tokio_rustls::TlsAcceptor>,
}

/// The key connections are counted by per client: an IPv4 address, an IPv6 client by its /64
/// (one host usually has the whole /64), an IPv4-mapped IPv6 address as its IPv4 address.
fn client_key(peer: IpAddr) -> IpAddr {
    match peer {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Connections open per client, and the slot one connection holds.
#[derive(Default)]
struct PerClient(Mutex<HashMap<IpAddr, usize>>);

/// One connection's place in [`PerClient`]; given back when dropped.
struct ClientSlot {
    clients: Arc<PerClient>,
    key: IpAddr,
}

impl PerClient {
    /// Takes a slot for `peer` unless it has `max` connections open already.
    fn take(self: &Arc<Self>, peer: IpAddr, max: usize) -> Option<ClientSlot> {
        let key = client_key(peer);
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(ClientSlot {
            clients: self.clone(),
            key,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.clients.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

impl Listener {
    /// Serves SMTP on `listener` until `shutdown` turns true (or its sender is dropped), then
    /// stops accepting, tells idle clients `421` and waits for the sessions to end. A message
    /// being stored when the signal comes is stored and answered first.
    pub async fn serve(
        listener: TcpListener,
        email: Email,
        config: SmtpListenerConfig,
        shutdown: watch::Receiver<bool>,
    ) {
        let app_limit = email.kernel().settings().max_email_bytes;
        let max_message_bytes = config.max_message_bytes.unwrap_or(app_limit).min(app_limit);
        let shared = Arc::new(Shared {
            limits: Limits {
                hostname: config.hostname.clone(),
                max_message_bytes,
                max_recipients: config.max_recipients.max(1),
                starttls: config.tls.is_some(),
            },
            idle_timeout: config.idle_timeout,
            command_timeout: config.command_timeout,
            tls: config.tls.clone().map(tokio_rustls::TlsAcceptor::from),
            email,
        });
        let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
        let clients = Arc::new(PerClient::default());
        let per_client = config.max_connections_per_client.max(1);
        let mut sessions = JoinSet::new();
        let mut stop = shutdown.clone();
        if let Ok(address) = listener.local_addr() {
            tracing::info!(%address, "the SMTP listener is accepting mail");
        }
        loop {
            tokio::select! {
                _ = stopped(&mut stop) => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, peer)) => match clients.take(peer.ip(), per_client) {
                        None => {
                            tracing::warn!(%peer, "too many SMTP connections from one client; refusing one");
                            sessions.spawn(refuse(stream));
                        }
                        Some(slot) => match permits.clone().try_acquire_owned() {
                            Ok(permit) => {
                                let shared = shared.clone();
                                let shutdown = shutdown.clone();
                                sessions.spawn(async move {
                                    session(stream, peer, shared, shutdown).await;
                                    drop(permit);
                                    drop(slot);
                                });
                            }
                            Err(_) => {
                                drop(slot);
                                tracing::warn!(%peer, "too many SMTP connections; refusing one");
                                sessions.spawn(refuse(stream));
                            }
                        },
                    },
                    Err(error) => {
                        // Out of file descriptors and the like: wait a little, do not spin.
                        tracing::warn!(%error, "accepting an SMTP connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
            }
        }
        drop(listener);
        while sessions.join_next().await.is_some() {}
        tracing::info!("the SMTP listener stopped");
    }
}

/// Answers a connection over the limit and closes it.
async fn refuse(mut stream: TcpStream) {
    let reply = Reply::new(421, "4.7.0 Too many connections, try again later");
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        let _ = stream.write_all(&reply.to_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// Writes buffered replies, within the idle timeout.
async fn flush(io: &mut Box<dyn Io>, out: &mut Vec<u8>, timeout: Duration) -> bool {
    if out.is_empty() {
        return true;
    }
    let written = tokio::time::timeout(timeout, async {
        io.write_all(out).await?;
        io.flush().await
    })
    .await;
    out.clear();
    matches!(written, Ok(Ok(())))
}

/// Says a last reply and closes.
async fn close_with(mut io: Box<dyn Io>, mut out: Vec<u8>, reply: Reply, timeout: Duration) {
    out.extend_from_slice(&reply.to_bytes());
    if flush(&mut io, &mut out, timeout).await {
        let _ = tokio::time::timeout(timeout, io.shutdown()).await;
    }
}

async fn session(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let mut io: Box<dyn Io> = Box::new(stream);
    let mut session = Session::new(shared.limits.clone());
    let mut out = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    tracing::debug!(%peer, "SMTP connection");
    loop {
        // Silence before DATA is cut short; a message being sent gets the longer timeout.
        let timeout = if session.in_data() {
            shared.idle_timeout
        } else {
            shared.command_timeout
        };
        match session.step() {
            Step::Reply(reply) => out.extend_from_slice(&reply.to_bytes()),
            Step::NeedInput => {
                let timeout = if session.in_data() {
                    shared.idle_timeout
                } else {
                    shared.command_timeout
                };
                if !flush(&mut io, &mut out, timeout).await {
                    return;
                }
                let read = tokio::select! {
                    biased;
                    _ = stopped(&mut shutdown) => {
                        let reply = session.shutdown_reply();
                        return close_with(io, out, reply, Duration::from_secs(5)).await;
                    }
                    read = tokio::time::timeout(timeout, io.read(&mut buffer)) => read,
                };
                match read {
                    Err(_) => {
                        tracing::debug!(%peer, "SMTP client idle too long");
                        let reply = session.timeout_reply();
                        return close_with(io, out, reply, Duration::from_secs(5)).await;
                    }
                    Ok(Ok(0)) => return,
                    Ok(Ok(n)) => session.push_input(&buffer[..n]),
                    Ok(Err(error)) => {
                        tracing::debug!(%peer, %error, "SMTP connection failed");
                        return;
                    }
                }
            }
            Step::CheckRecipient(address) => {
                let check = match shared.email.mailbox_for_address(&address).await {
                    Ok(Some(mailbox)) => RecipientCheck::Mailbox(mailbox.id),
                    Ok(None) => RecipientCheck::Unknown,
                    Err(error) => {
                        tracing::warn!(%peer, %address, %error, "looking up an SMTP recipient failed");
                        RecipientCheck::Failed
                    }
                };
                session.recipient_checked(check);
            }
            Step::Deliver(envelope) => {
                let delivery = deliver(&shared.email, peer, envelope).await;
                session.delivered(delivery);
            }
            Step::StartTls => {
                let Some(acceptor) = shared.tls.clone() else {
                    return;
                };
                if !flush(&mut io, &mut out, timeout).await {
                    return;
                }
                match tokio::time::timeout(timeout, acceptor.accept(io)).await {
                    Ok(Ok(tls)) => {
                        io = Box::new(tls);
                        session.tls_started();
                    }
                    Ok(Err(error)) => {
                        tracing::debug!(%peer, %error, "STARTTLS handshake failed");
                        return;
                    }
                    Err(_) => return,
                }
            }
            Step::Close => {
                if flush(&mut io, &mut out, timeout).await {
                    let _ = tokio::time::timeout(timeout, io.shutdown()).await;
                }
                return;
            }
        }
    }
}

/// Ingests the message once for each distinct mailbox among its recipients.
async fn deliver(email: &Email, peer: SocketAddr, mut envelope: protocol::Envelope) -> Delivery {
    let ids = envelope.mailbox_ids();
    let size = envelope.data.len();
    for (i, mailbox_id) in ids.iter().enumerate() {
        let raw = if i + 1 == ids.len() {
            std::mem::take(&mut envelope.data)
        } else {
            envelope.data.clone()
        };
        match email
            .ingest_email(Actor::system_ref(), *mailbox_id, raw, EmailSource::Smtp)
            .await
        {
            Ok(outcome) => {
                tracing::info!(%peer, mailbox_id, size, from = %envelope.mail_from, ?outcome, "received an email over SMTP");
            }
            Err(AppError::Invalid { message, .. })
                if size > email.kernel().settings().max_email_bytes =>
            {
                tracing::info!(%peer, mailbox_id, size, %message, "refused an oversized email");
                return Delivery::TooBig;
            }
            Err(error) => {
                tracing::warn!(%peer, mailbox_id, size, %error, "storing an email received over SMTP failed; the client will retry");
                return Delivery::TemporaryFailure;
            }
        }
    }
    Delivery::Stored
}
