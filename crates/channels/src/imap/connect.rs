//! Connecting to the IMAP server: TCP, implicit TLS or STARTTLS, the greeting, LOGIN and
//! selecting the folder.

use super::{Connected, ImapError, ImapIo, ImapSession, Poller, timed};
use crate::bare_host;
use async_imap::imap_proto::{Response, Status};
use std::fmt::Debug;
use std::sync::Arc;
use tiski_email::{ImapAfter, ImapConfig, Mailbox, TlsMode};
use tiski_kernel::net;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

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
    /// Connects, logs in and selects the folder.
    pub(super) async fn connect(&self, mailbox: &Mailbox) -> Result<Connected, ImapError> {
        let config = mailbox.imap.clone().ok_or(ImapError::NotConfigured)?;
        if config.tls == TlsMode::None && !config.allow_plain_auth {
            return Err(ImapError::PlainAuth);
        }
        let timeout = self.config.timeout;
        let host = config.host.as_str();
        let address = format!("{host}:{}", config.port);
        // Connect to exactly the addresses that were checked (no second lookup to rebind).
        let allow_private = self.email.kernel().settings().allow_private_network;
        let checked = match tokio::time::timeout(
            timeout,
            net::resolve(bare_host(host), config.port, allow_private),
        )
        .await
        {
            Ok(checked) => checked?,
            Err(_) => return Err(ImapError::Timeout(timeout)),
        };
        let tcp = match tokio::time::timeout(timeout, TcpStream::connect(&checked[..])).await {
            Ok(Ok(tcp)) => tcp,
            Ok(Err(source)) => return Err(ImapError::Connect { address, source }),
            Err(_) => return Err(ImapError::Timeout(timeout)),
        };
        let _ = tcp.set_nodelay(true);
        let sealed = config
            .password_sealed
            .as_deref()
            .ok_or(ImapError::NoPassword)?;
        let password = self.email.unseal(sealed).map_err(ImapError::Unseal)?;
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
        // LOGIN over a plain connection is the admin's explicit choice (`tls: none` and
        // `allow_plain_auth`, checked above).
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
}
