//! Webhooks: admins register a URL for event types; every matching event is written to the
//! outbox by a worker tailing the event log, then delivered signed, retried with backoff.

use crate::cursor::Page;
use crate::idempotency::{self, Idempotency, Stored};
use crate::{Actor, App, AppError, AppResult, auth, events, time};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tiski_domain::EventType;
use tiski_store::{Conn, Engine, Row, params};

/// The header carrying `sha256=<hex HMAC-SHA256 of the body, keyed by the secret>`.
pub const SIGNATURE_HEADER: &str = "X-Tiski-Signature";

/// A webhook as the API shows it (the secret is never shown again after creation).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookView {
    /// Id.
    pub id: i64,
    /// Where deliveries are POSTed.
    pub url: String,
    /// Event types delivered; `*` for all.
    pub event_types: Vec<String>,
    /// Whether deliveries are made.
    pub active: bool,
    /// When it was registered.
    pub created_at: String,
    /// The signing secret: present only in the answer that created the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// Input for a new webhook.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// An http or https URL.
    pub url: String,
    /// Event types to deliver, or `["*"]` for all.
    pub event_types: Vec<String>,
    /// The signing secret (at least 16 characters); generated when absent.
    pub secret: Option<String>,
}

/// One delivery of an event to a webhook, with its attempts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    /// Id (also sent as `X-Tiski-Delivery`).
    pub id: i64,
    /// The event delivered.
    pub event_id: i64,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<String>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it was delivered.
    pub delivered_at: Option<String>,
    /// Every attempt, oldest first.
    pub attempt_log: Vec<AttemptView>,
}

/// One attempt to deliver.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttemptView {
    /// When.
    pub at: String,
    /// The HTTP status answered, if any.
    pub status_code: Option<i64>,
    /// The error, if the attempt failed.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// The HMAC-SHA256 signature header value of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", auth::hex(&mac.finalize().into_bytes()))
}

fn view(row: &Row) -> AppResult<WebhookView> {
    let types: String = row.get(2)?;
    Ok(WebhookView {
        id: row.get(0)?,
        url: row.get(1)?,
        event_types: serde_json::from_str(&types).unwrap_or_default(),
        active: row.get(3)?,
        created_at: time::format(row.get(4)?),
        secret: None,
    })
}

fn require_admin(actor: &Actor) -> AppResult<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("Only admins may manage webhooks."))
    }
}

fn validate(input: &NewWebhook) -> AppResult<(String, Vec<String>, String)> {
    let url = input.url.trim();
    let parsed = reqwest::Url::parse(url)
        .map_err(|_| AppError::invalid("url", format!("{url:?} is not a valid URL.")))?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.host_str().is_none()
        || url.len() > 2000
    {
        return Err(AppError::invalid(
            "url",
            "The URL must be an http or https URL with a host, at most 2000 characters.",
        ));
    }
    if input.event_types.is_empty() || input.event_types.len() > 50 {
        return Err(AppError::invalid(
            "event_types",
            "Give 1 to 50 event types, or [\"*\"] for all.",
        ));
    }
    let mut types = Vec::new();
    for (index, kind) in input.event_types.iter().enumerate() {
        if kind != "*" {
            EventType::parse(kind)
                .map_err(|e| AppError::invalid(format!("event_types/{index}"), e.message))?;
        }
        if !types.contains(kind) {
            types.push(kind.clone());
        }
    }
    let secret = match &input.secret {
        Some(secret) if secret.len() < 16 || secret.len() > 256 => {
            return Err(AppError::invalid(
                "secret",
                "The secret must have 16 to 256 bytes.",
            ));
        }
        Some(secret) => secret.clone(),
        None => auth::new_token()
            .0
            .replacen(auth::TOKEN_PREFIX, "whsec_", 1),
    };
    Ok((parsed.to_string(), types, secret))
}

impl App {
    /// Registers a webhook. Admins only. The answer carries the secret, once.
    pub async fn create_webhook(
        &self,
        actor: &Actor,
        input: NewWebhook,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<WebhookView>> {
        require_admin(actor)?;
        let (url, types, secret) = validate(&input)?;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                idempotency::run(tx, &actor, idempotency.as_ref(), |tx| {
                    let id: i64 = tx.conn().query_scalar(
                        "INSERT INTO webhooks (url, event_types, secret, active, created_by, created_at) VALUES ($1, $2, $3, 1, $4, $5) RETURNING id",
                        params![url.as_str(), serde_json::to_string(&types)?, secret.as_str(), actor.id, time::now_micros()],
                    )?;
                    let row = tx.conn().query_one(
                        "SELECT id, url, event_types, active, created_at FROM webhooks WHERE id = $1",
                        params![id],
                    )?;
                    let mut webhook = view(&row)?;
                    events::append(tx, &actor, None, EventType::WebhookCreated, serde_json::json!({"webhook": &webhook}));
                    webhook.secret = Some(secret.clone());
                    Ok(webhook)
                })
            })
            .await;
        self.command_done("webhook.create", &result);
        result
    }

    /// Lists webhooks. Admins only.
    pub async fn list_webhooks(
        &self,
        actor: &Actor,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<WebhookView>> {
        require_admin(actor)?;
        let limit = crate::cursor::limit(limit)?;
        let after = match cursor {
            Some(text) => crate::cursor::Cursor::decode(&text, "id")?.id,
            None => 0,
        };
        self.store()
            .read(move |conn| {
                let mut items = conn
                    .query(
                        "SELECT id, url, event_types, active, created_at FROM webhooks WHERE active = 1 AND id > $1 ORDER BY id LIMIT $2",
                        params![after, limit + 1],
                    )?
                    .iter()
                    .map(view)
                    .collect::<AppResult<Vec<_>>>()?;
                Ok(crate::page_by_id(&mut items, limit, |w| w.id))
            })
            .await
    }

    /// Removes a webhook (it stops receiving; its delivery log stays). Admins only.
    pub async fn delete_webhook(&self, actor: &Actor, id: i64) -> AppResult<()> {
        require_admin(actor)?;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                let changed = tx.conn().execute("UPDATE webhooks SET active = 0 WHERE id = $1 AND active = 1", params![id])?;
                if changed == 0 {
                    return Err(AppError::not_found("webhook"));
                }
                tx.conn().execute(
                    "UPDATE outbox SET status = 'failed', last_error = 'webhook deleted' WHERE webhook_id = $1 AND status = 'pending'",
                    params![id],
                )?;
                events::append(tx, &actor, None, EventType::WebhookDeleted, serde_json::json!({"webhook_id": id}));
                Ok(())
            })
            .await;
        self.command_done("webhook.delete", &result);
        result
    }

    /// A webhook's deliveries, newest first, with their attempts. Admins only.
    pub async fn webhook_deliveries(
        &self,
        actor: &Actor,
        id: i64,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<DeliveryView>> {
        require_admin(actor)?;
        let limit = crate::cursor::limit(limit)?;
        let before = match cursor {
            Some(text) => crate::cursor::Cursor::decode(&text, "-id")?.id,
            None => i64::MAX,
        };
        self.store()
            .read(move |conn| {
                if conn.query_opt("SELECT id FROM webhooks WHERE id = $1", params![id])?.is_none() {
                    return Err(AppError::not_found("webhook"));
                }
                let rows = conn.query(
                    "SELECT id, event_id, status, attempts, next_attempt_at, last_error, delivered_at FROM outbox \
                     WHERE webhook_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
                    params![id, before, limit + 1],
                )?;
                let more = rows.len() as i64 > limit;
                let mut items = Vec::with_capacity(rows.len());
                for row in rows.iter().take(limit as usize) {
                    let status: String = row.get(2)?;
                    items.push(DeliveryView {
                        id: row.get(0)?,
                        event_id: row.get(1)?,
                        attempts: row.get(3)?,
                        next_attempt_at: (status == "pending").then(|| row.get(4).map(time::format)).transpose()?,
                        status,
                        last_error: row.get(5)?,
                        delivered_at: time::format_opt(row.get(6)?),
                        attempt_log: Vec::new(),
                    });
                }
                if let (Some(first), Some(last)) = (items.last().map(|d| d.id), items.first().map(|d| d.id)) {
                    let attempts = conn.query(
                        "SELECT a.outbox_id, a.attempted_at, a.status_code, a.error, a.duration_ms FROM delivery_attempts a \
                         JOIN outbox o ON o.id = a.outbox_id WHERE o.webhook_id = $1 AND a.outbox_id BETWEEN $2 AND $3 ORDER BY a.id",
                        params![id, first, last],
                    )?;
                    for row in attempts {
                        let outbox_id: i64 = row.get(0)?;
                        if let Some(delivery) = items.iter_mut().find(|d| d.id == outbox_id) {
                            delivery.attempt_log.push(AttemptView {
                                at: time::format(row.get(1)?),
                                status_code: row.get(2)?,
                                error: row.get(3)?,
                                duration_ms: row.get(4)?,
                            });
                        }
                    }
                }
                let next_cursor = more
                    .then(|| {
                        items.last().map(|d: &DeliveryView| {
                            crate::cursor::Cursor { sort: "-id".into(), value: d.id, id: d.id }.encode()
                        })
                    })
                    .flatten();
                Ok(Page { items, next_cursor })
            })
            .await
    }

    /// Moves events after the dispatcher's position into the outbox, one delivery per matching
    /// webhook, together with the new position. Returns how many events were handled.
    pub(crate) async fn dispatch_webhooks(&self, batch: i64) -> AppResult<usize> {
        self.store()
            .write(move |tx| {
                let position: i64 = tx
                    .conn()
                    .query_opt("SELECT last_event_id FROM worker_positions WHERE name = 'webhooks'", &[])?
                    .map(|r| r.get(0))
                    .transpose()?
                    .unwrap_or(0);
                let hooks = tx
                    .conn()
                    .query("SELECT id, event_types FROM webhooks WHERE active = 1", &[])?
                    .iter()
                    .map(|r| Ok((r.get::<i64>(0)?, serde_json::from_str::<Vec<String>>(&r.get::<String>(1)?)?)))
                    .collect::<AppResult<Vec<_>>>()?;
                let events = tx.conn().query(
                    "SELECT id, at, kind, actor_kind, actor_id, ticket_id, payload FROM events WHERE id > $1 ORDER BY id LIMIT $2",
                    params![position, batch],
                )?;
                let Some(last) = events.last().map(|r| r.get::<i64>(0)).transpose()? else {
                    return Ok(0);
                };
                let now = time::now_micros();
                for event in &events {
                    let kind: String = event.get(2)?;
                    let matching = hooks.iter().filter(|(_, types)| types.iter().any(|t| t == "*" || *t == kind));
                    for (hook_id, _) in matching {
                        let payload: String = event.get(6)?;
                        let body = serde_json::json!({
                            "id": event.get::<i64>(0)?,
                            "type": kind,
                            "at": time::format(event.get(1)?),
                            "actor_kind": event.get::<String>(3)?,
                            "actor_id": event.get::<Option<i64>>(4)?,
                            "ticket_id": event.get::<Option<i64>>(5)?,
                            "data": serde_json::from_str::<serde_json::Value>(&payload).unwrap_or_default(),
                        });
                        tx.conn().execute(
                            "INSERT INTO outbox (kind, webhook_id, event_id, payload, status, attempts, next_attempt_at, created_at) \
                             VALUES ('webhook', $1, $2, $3, 'pending', 0, $4, $4) ON CONFLICT DO NOTHING",
                            params![*hook_id, event.get::<i64>(0)?, body.to_string(), now],
                        )?;
                    }
                }
                let updated = tx.conn().execute(
                    "UPDATE worker_positions SET last_event_id = $1 WHERE name = 'webhooks'",
                    params![last],
                )?;
                if updated == 0 {
                    tx.conn().execute("INSERT INTO worker_positions (name, last_event_id) VALUES ('webhooks', $1)", params![last])?;
                }
                Ok(events.len())
            })
            .await
    }

    /// Claims due deliveries (leasing them for a minute so another node skips them), sends
    /// each, and records the outcome. Returns how many were attempted.
    pub(crate) async fn deliver_webhooks(&self, batch: i64) -> AppResult<usize> {
        let now = time::now_micros();
        let lease_until = now + 60_000_000;
        let claimed = self
            .store()
            .write(move |tx| {
                let sql = match tx.engine() {
                    Engine::Postgres => {
                        "UPDATE outbox SET next_attempt_at = $1 WHERE id IN (SELECT o.id FROM outbox o JOIN webhooks w ON w.id = o.webhook_id \
                         WHERE o.status = 'pending' AND w.active = 1 AND o.next_attempt_at <= $2 ORDER BY o.next_attempt_at LIMIT $3 FOR UPDATE OF o SKIP LOCKED) \
                         RETURNING outbox.id, outbox.payload, outbox.attempts, (SELECT url FROM webhooks w WHERE w.id = outbox.webhook_id), \
                         (SELECT secret FROM webhooks w WHERE w.id = outbox.webhook_id)"
                    }
                    Engine::Sqlite => {
                        "UPDATE outbox SET next_attempt_at = $1 WHERE id IN (SELECT o.id FROM outbox o JOIN webhooks w ON w.id = o.webhook_id \
                         WHERE o.status = 'pending' AND w.active = 1 AND o.next_attempt_at <= $2 ORDER BY o.next_attempt_at LIMIT $3) \
                         RETURNING id, payload, attempts, (SELECT url FROM webhooks w WHERE w.id = outbox.webhook_id), \
                         (SELECT secret FROM webhooks w WHERE w.id = outbox.webhook_id)"
                    }
                };
                let rows = tx.conn().query(sql, params![lease_until, now, batch])?;
                rows.iter()
                    .map(|r| {
                        Ok(Claimed {
                            id: r.get(0)?,
                            payload: r.get(1)?,
                            attempts: r.get(2)?,
                            url: r.get(3)?,
                            secret: r.get(4)?,
                        })
                    })
                    .collect::<AppResult<Vec<_>>>()
            })
            .await?;
        let count = claimed.len();
        let mut sends = tokio::task::JoinSet::new();
        for delivery in claimed {
            let app = self.clone();
            sends.spawn(async move {
                let outcome = app.send(&delivery).await;
                app.record_attempt(&delivery, outcome).await
            });
        }
        while let Some(result) = sends.join_next().await {
            if let Ok(Err(error)) = result {
                tracing::warn!(%error, "could not record a webhook delivery attempt");
            }
        }
        Ok(count)
    }

    async fn send(&self, delivery: &Claimed) -> Attempt {
        let started = std::time::Instant::now();
        let event_type = serde_json::from_str::<serde_json::Value>(&delivery.payload)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_string))
            .unwrap_or_default();
        let response = self
            .http()
            .post(&delivery.url)
            .header("Content-Type", "application/json")
            .header("User-Agent", concat!("tiski/", env!("CARGO_PKG_VERSION")))
            .header("X-Tiski-Delivery", delivery.id.to_string())
            .header("X-Tiski-Event", event_type)
            .header(
                SIGNATURE_HEADER,
                sign(&delivery.secret, delivery.payload.as_bytes()),
            )
            .body(delivery.payload.clone())
            .send()
            .await;
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        match response {
            Ok(response) if response.status().is_success() => Attempt {
                status_code: Some(response.status().as_u16().into()),
                error: None,
                duration_ms,
            },
            Ok(response) => Attempt {
                status_code: Some(response.status().as_u16().into()),
                error: Some(format!("the receiver answered {}", response.status())),
                duration_ms,
            },
            Err(error) => Attempt {
                status_code: None,
                error: Some(error_chain(&error)),
                duration_ms,
            },
        }
    }

    async fn record_attempt(&self, delivery: &Claimed, attempt: Attempt) -> AppResult<()> {
        let attempts = delivery.attempts + 1;
        let now = time::now_micros();
        let config = self.config();
        let delay = config.webhook_retry_base.as_micros() as i64
            * 2_i64.saturating_pow((attempts - 1).clamp(0, 20) as u32);
        let delay = delay.min(config.webhook_retry_max.as_micros() as i64);
        let give_up = attempts >= i64::from(config.webhook_max_attempts);
        let id = delivery.id;
        if attempt.error.is_some() {
            metrics::counter!("tiski_outbox_failures_total").increment(1);
        } else {
            metrics::counter!("tiski_outbox_delivered_total").increment(1);
        }
        self.store()
            .write(move |tx| {
                tx.conn().execute(
                    "INSERT INTO delivery_attempts (outbox_id, attempted_at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)",
                    params![id, now, attempt.status_code, attempt.error.clone(), attempt.duration_ms],
                )?;
                match &attempt.error {
                    None => tx.conn().execute(
                        "UPDATE outbox SET status = 'delivered', attempts = $1, delivered_at = $2, last_error = NULL WHERE id = $3 AND status <> 'delivered'",
                        params![attempts, now, id],
                    )?,
                    Some(error) => tx.conn().execute(
                        "UPDATE outbox SET status = CASE WHEN status = 'pending' THEN $1 ELSE status END, attempts = $2, \
                         next_attempt_at = $3, last_error = $4 WHERE id = $5",
                        params![if give_up { "failed" } else { "pending" }, attempts, now + delay, error.as_str(), id],
                    )?,
                };
                Ok::<_, AppError>(())
            })
            .await
    }

    /// How many deliveries wait, for the metrics.
    pub async fn outbox_depth(&self) -> AppResult<i64> {
        self.store()
            .read(|conn: &mut dyn Conn| {
                Ok(conn.query_scalar::<i64>(
                    "SELECT COUNT(*) FROM outbox WHERE status = 'pending'",
                    &[],
                )?)
            })
            .await
    }
}

/// A claimed delivery.
struct Claimed {
    id: i64,
    payload: String,
    attempts: i64,
    url: String,
    secret: String,
}

/// The outcome of one attempt.
struct Attempt {
    status_code: Option<i64>,
    error: Option<String>,
    duration_ms: i64,
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
