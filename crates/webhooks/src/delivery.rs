//! Getting events to webhooks: the dispatcher moves matching events from the log into the
//! outbox together with its position; the deliverer claims due deliveries, POSTs them signed
//! and records each attempt.

use crate::{OUTBOX_KIND, Webhooks, repo};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;
use tiski_kernel::outbox::{self, Attempt, Claimed};
use tiski_kernel::{AppResult, crypto, events, net, positions};

/// The header carrying `sha256=<hex HMAC-SHA256 of the body, keyed by the secret>`.
pub const SIGNATURE_HEADER: &str = "X-Tiski-Signature";

/// The dispatcher's name in the worker positions.
const POSITION: &str = "webhooks";

/// How long a claimed delivery is leased to the deliverer that claimed it.
const LEASE: Duration = Duration::from_secs(60);

/// The HMAC-SHA256 signature header value of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", crypto::hex(&mac.finalize().into_bytes()))
}

/// A claimed delivery with where it goes.
struct Target {
    claimed: Claimed,
    url: String,
    secret: String,
}

impl Webhooks {
    /// Moves events after the dispatcher's position into the outbox, one delivery per matching
    /// webhook, together with the new position. Returns how many events were handled.
    pub async fn dispatch(&self, batch: i64) -> AppResult<usize> {
        self.kernel
            .housekeeping("webhook.dispatch", move |tx| {
                let position = positions::get(tx.conn(), POSITION)?;
                let hooks = repo::subscriptions(tx.conn())?;
                let events = events::after(tx.conn(), position, batch)?;
                let Some(last) = events.last().map(|e| e.id) else {
                    return Ok(0);
                };
                for event in &events {
                    let kind = event.kind.as_str();
                    let matching = hooks
                        .iter()
                        .filter(|(_, types)| types.iter().any(|t| t == "*" || t == kind));
                    for (hook_id, _) in matching {
                        let body = serde_json::to_string(event)?;
                        outbox::enqueue(tx, OUTBOX_KIND, Some(*hook_id), event.id, &body)?;
                    }
                }
                positions::set(tx.conn(), POSITION, last)?;
                Ok(events.len())
            })
            .await
    }

    /// Claims due deliveries (leasing them so another node skips them), sends each, and
    /// records the outcome. Returns how many were attempted.
    pub async fn deliver(&self, batch: i64) -> AppResult<usize> {
        let targets = self
            .kernel
            .housekeeping("webhook.claim", move |tx| {
                let mut targets = Vec::new();
                for claimed in outbox::claim(tx, OUTBOX_KIND, LEASE, batch)? {
                    let hook = claimed.target_id.unwrap_or(0);
                    // A webhook deleted meanwhile has its deliveries cancelled already.
                    if let Some((url, secret)) = repo::target(tx.conn(), hook)? {
                        targets.push(Target {
                            claimed,
                            url,
                            secret,
                        });
                    }
                }
                Ok(targets)
            })
            .await?;
        let count = targets.len();
        let mut sends = tokio::task::JoinSet::new();
        for target in targets {
            let webhooks = self.clone();
            sends.spawn(async move {
                let attempt = webhooks.send(&target).await;
                webhooks.record(target.claimed, attempt).await
            });
        }
        while let Some(result) = sends.join_next().await {
            if let Ok(Err(error)) = result {
                tracing::warn!(%error, "could not record a webhook delivery attempt");
            }
        }
        Ok(count)
    }

    async fn send(&self, target: &Target) -> Attempt {
        let started = std::time::Instant::now();
        // A literal address is not looked up, so the resolver never sees it: check it here.
        // A refused target is never connected to, and the attempt says only that.
        let allow_private = self.kernel.settings().allow_private_network;
        if let Err(refused) = check_url(&target.url, allow_private) {
            return Attempt {
                status_code: None,
                error: Some(format!("refused: {refused}")),
                permanent: true,
                duration_ms: 0,
            };
        }
        let payload = &target.claimed.payload;
        let event_type = serde_json::from_str::<serde_json::Value>(payload)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_string))
            .unwrap_or_default();
        let response = self
            .http
            .post(&target.url)
            .header("Content-Type", "application/json")
            .header("User-Agent", concat!("tiski/", env!("CARGO_PKG_VERSION")))
            .header("X-Tiski-Delivery", target.claimed.id.to_string())
            .header("X-Tiski-Event", event_type)
            .header(SIGNATURE_HEADER, sign(&target.secret, payload.as_bytes()))
            .body(payload.clone())
            .send()
            .await;
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        match response {
            Ok(response) if response.status().is_success() => Attempt {
                status_code: Some(response.status().as_u16().into()),
                error: None,
                permanent: false,
                duration_ms,
            },
            Ok(response) => Attempt {
                status_code: Some(response.status().as_u16().into()),
                error: Some(format!("the receiver answered {}", response.status())),
                permanent: false,
                duration_ms,
            },
            Err(error) => match refusal(&error) {
                // Refused by the checking resolver: no connection was made.
                Some(refused) => Attempt {
                    status_code: None,
                    error: Some(format!("refused: {refused}")),
                    permanent: true,
                    duration_ms: 0,
                },
                None => Attempt {
                    status_code: None,
                    error: Some(error_chain(&error)),
                    permanent: false,
                    duration_ms,
                },
            },
        }
    }

    async fn record(&self, claimed: Claimed, attempt: Attempt) -> AppResult<()> {
        let policy = self.kernel.settings().retry_policy();
        self.kernel
            .housekeeping("webhook.attempt", move |tx| {
                outbox::record(tx, &claimed, &attempt, &policy).map(|_| ())
            })
            .await
    }
}

/// Checks a webhook URL's host when it is an address literal (names are checked by the
/// resolver when connecting).
pub(crate) fn check_url(url: &str, allow_private: bool) -> Result<(), net::Refused> {
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    match net::check_literal(&host, allow_private) {
        Some(Err(refused)) => Err(refused),
        _ => Ok(()),
    }
}

/// The resolver's refusal inside a failed request, if that is why it failed.
pub(crate) fn refusal(error: &(dyn std::error::Error + 'static)) -> Option<net::Refused> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<net::Refused>() {
            return Some(refused.clone());
        }
        source = cause.source();
    }
    None
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
