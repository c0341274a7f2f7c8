//! The SMTP sender: claims due outgoing email and hands each message to its mailbox's relay.
//!
//! Each delivery is one `send_raw` of the stored bytes over lettre's tokio transport (implicit
//! TLS, STARTTLS or plain; AUTH when a user name is set), recorded as `Sent` with the relay's
//! answer or `Failed` (permanent when the relay answered 5xx). The app retries the rest with
//! backoff.

use crate::{bare_host, stopped};
use futures_util::StreamExt;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;
use tiski_email::{DeliveryResult, Email, OutgoingDelivery, SmtpConfig, TlsMode};
use tiski_kernel::{AppError, net};
use tokio::sync::watch;

/// Settings of the sender.
#[derive(Debug, Clone)]
pub struct SenderConfig {
    /// Deliveries claimed at once.
    pub batch_size: i64,
    /// Deliveries sent at the same time.
    pub concurrency: usize,
    /// How often to look for due mail when nothing wakes the sender; `None` uses the app's
    /// `worker_interval`.
    pub poll_interval: Option<Duration>,
    /// How long each SMTP command may take.
    pub command_timeout: Duration,
    /// How long one whole delivery may take (below the app's two-minute claim lease).
    pub attempt_timeout: Duration,
}

impl Default for SenderConfig {
    fn default() -> Self {
        SenderConfig {
            batch_size: 16,
            concurrency: 4,
            poll_interval: None,
            command_timeout: Duration::from_secs(30),
            attempt_timeout: Duration::from_secs(100),
        }
    }
}

/// Why a round of sending failed (a failed delivery is not an error: it is recorded).
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Claiming deliveries or recording a result failed.
    #[error("storing failed: {0}")]
    App(#[from] AppError),
}

/// The detail recorded for a mailbox without a relay.
pub const NO_RELAY: &str = "no SMTP relay is configured for this mailbox";

/// The SMTP sender.
#[derive(Clone)]
pub struct Sender {
    email: Email,
    config: SenderConfig,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("config", &self.config)
            .finish()
    }
}

impl Sender {
    /// A sender for the app's outgoing email.
    pub fn new(email: Email, config: SenderConfig) -> Sender {
        Sender { email, config }
    }

    /// Sends due email until `shutdown` turns `true`: whenever events are written (a reply
    /// queues mail in the same transaction) and every poll interval (retries come due).
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut events = self.email.kernel().event_watch();
        let interval = self
            .config
            .poll_interval
            .unwrap_or(self.email.kernel().settings().worker_interval);
        loop {
            loop {
                match self.send_due().await {
                    Ok(claimed) if claimed >= self.config.batch_size.max(1) as usize => {
                        if *shutdown.borrow() {
                            break;
                        }
                    }
                    Ok(_) => break,
                    Err(error) => {
                        tracing::warn!(%error, "sending email failed; will retry");
                        break;
                    }
                }
            }
            tokio::select! {
                _ = stopped(&mut shutdown) => return,
                changed = events.changed() => {
                    if changed.is_err() {
                        // No more wake-ups: rely on the interval alone.
                        events = watch::channel(0).1;
                        let _ = events.borrow_and_update();
                    }
                }
                _ = tokio::time::sleep(interval) => {}
            }
        }
    }

    /// Claims one batch of due deliveries, sends them and records the results; returns how many
    /// were claimed.
    pub async fn send_due(&self) -> Result<usize, SendError> {
        let deliveries = self
            .email
            .claim_outgoing_emails(self.config.batch_size.max(1))
            .await?;
        let claimed = deliveries.len();
        let mut failures = Vec::new();
        let results = futures_util::stream::iter(deliveries)
            .map(|delivery| async move {
                let result = self.deliver(&delivery).await;
                match &result {
                    DeliveryResult::Sent(answer) => tracing::info!(outbox_id = delivery.outbox_id, mailbox_id = delivery.mailbox.id, %answer, "sent an email"),
                    DeliveryResult::Failed { detail, permanent } => tracing::warn!(outbox_id = delivery.outbox_id, mailbox_id = delivery.mailbox.id, attempts = delivery.attempts + 1, %detail, permanent, "sending an email failed"),
                }
                self.email.record_email_delivery(&delivery, result).await
            })
            .buffer_unordered(self.config.concurrency.max(1))
            .collect::<Vec<_>>()
            .await;
        for result in results {
            if let Err(error) = result {
                failures.push(error);
            }
        }
        match failures.into_iter().next() {
            Some(error) => Err(SendError::App(error)),
            None => Ok(claimed),
        }
    }

    /// Makes one delivery attempt and says how it went (without recording it).
    pub async fn deliver(&self, delivery: &OutgoingDelivery) -> DeliveryResult {
        let Some(smtp) = &delivery.mailbox.smtp else {
            return DeliveryResult::Failed {
                detail: NO_RELAY.to_string(),
                permanent: true,
            };
        };
        let envelope = match envelope(delivery) {
            Ok(envelope) => envelope,
            Err(detail) => {
                return DeliveryResult::Failed {
                    detail,
                    permanent: true,
                };
            }
        };
        let transport = match self.transport(smtp).await {
            Ok(transport) => transport,
            Err(failed) => return failed,
        };
        match tokio::time::timeout(
            self.config.attempt_timeout,
            transport.send_raw(&envelope, &delivery.raw),
        )
        .await
        {
            Ok(Ok(response)) => DeliveryResult::Sent(
                format!(
                    "{} {}",
                    response.code(),
                    response.message().collect::<Vec<_>>().join(" ")
                )
                .trim()
                .to_string(),
            ),
            Ok(Err(error)) => DeliveryResult::Failed {
                detail: describe(&error),
                permanent: error.is_permanent(),
            },
            Err(_) => DeliveryResult::Failed {
                detail: format!(
                    "the relay {}:{} did not finish within {:?}",
                    smtp.host, smtp.port, self.config.attempt_timeout
                ),
                permanent: false,
            },
        }
    }

    async fn transport(
        &self,
        smtp: &SmtpConfig,
    ) -> Result<AsyncSmtpTransport<Tokio1Executor>, DeliveryResult> {
        let host = bare_host(&smtp.host);
        if smtp.tls == TlsMode::None && smtp.username.is_some() && !smtp.allow_plain_auth {
            return Err(DeliveryResult::Failed {
                detail: "refused: the mailbox would send its SMTP password without TLS; choose starttls or implicit, or allow_plain_auth".into(),
                permanent: true,
            });
        }
        // Resolve and check the relay's addresses, then connect to the checked one by its
        // address (TLS still verifies the host name), so a second lookup cannot rebind it.
        let allow_private = self.email.kernel().settings().allow_private_network;
        let checked = match tokio::time::timeout(
            self.config.command_timeout,
            net::resolve(host, smtp.port, allow_private),
        )
        .await
        {
            Ok(Ok(checked)) => checked,
            Ok(Err(refused)) => {
                return Err(DeliveryResult::Failed {
                    detail: format!("refused: {refused}"),
                    permanent: matches!(refused, net::Refused::NotPublic { .. }),
                });
            }
            Err(_) => {
                return Err(DeliveryResult::Failed {
                    detail: format!("the relay {host} could not be resolved in time"),
                    permanent: false,
                });
            }
        };
        let address = checked[0].ip().to_string();
        let tls = |wrap: bool| {
            TlsParameters::new(host.to_string()).map(|params| {
                if wrap {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                }
            })
        };
        let tls = match smtp.tls {
            TlsMode::Implicit => tls(true),
            TlsMode::Starttls => tls(false),
            TlsMode::None => Ok(Tls::None),
        };
        let tls = tls.map_err(|error| DeliveryResult::Failed {
            detail: format!("the relay {host} cannot be used: {}", describe(&error)),
            permanent: false,
        })?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(address)
            .tls(tls)
            .port(smtp.port)
            .timeout(Some(self.config.command_timeout));
        if let Some(username) = &smtp.username {
            let password = match &smtp.password_sealed {
                Some(sealed) => {
                    self.email
                        .unseal(sealed)
                        .map_err(|error| DeliveryResult::Failed {
                            detail: format!(
                                "the stored SMTP password cannot be decrypted: {error}"
                            ),
                            permanent: false,
                        })?
                }
                None => String::new(),
            };
            builder = builder.credentials(Credentials::new(username.clone(), password));
        }
        Ok(builder.build())
    }
}

/// The envelope: the mailbox's address as sender, the stored recipients.
fn envelope(delivery: &OutgoingDelivery) -> Result<lettre::address::Envelope, String> {
    let from: lettre::Address = delivery
        .envelope_from
        .parse()
        .map_err(|e| format!("the sender {:?} is not usable: {e}", delivery.envelope_from))?;
    let to = delivery
        .recipients
        .iter()
        .map(|r| {
            r.parse::<lettre::Address>()
                .map_err(|e| format!("the recipient {r:?} is not usable: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    lettre::address::Envelope::new(Some(from), to).map_err(|e| format!("no recipients: {e}"))
}

/// An SMTP error as a sentence: the server's code and words when it answered, else the cause.
fn describe(error: &lettre::transport::smtp::Error) -> String {
    use std::error::Error as _;
    if let Some(code) = error.status() {
        let words = error.source().map(|s| s.to_string()).unwrap_or_default();
        return format!("{code} {words}").trim().to_string();
    }
    let mut text = error.to_string();
    let mut source = error.source().and_then(|s| s.source());
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
