//! Webhook subscriptions: register, list, remove, and read their deliveries.

use crate::{OUTBOX_KIND, Webhooks, repo};
use serde::{Deserialize, Serialize};
use tiski_domain::event::{WebhookCreated, WebhookDeleted, WebhookSummary};
use tiski_domain::{EventType, Permission};
use tiski_kernel::cursor::{self, Cursor};
use tiski_kernel::{
    Actor, AppError, AppResult, Idempotency, Page, Stored, crypto, idempotency, net, outbox, time,
};

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
            EventType::parse(kind).map_err(|e| e.at(format!("event_types/{index}")))?;
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
        None => crypto::new_token("whsec_").0,
    };
    Ok((parsed.to_string(), types, secret))
}

impl Webhooks {
    /// Registers a webhook. Admins only. The answer carries the secret, once.
    pub async fn create_webhook(
        &self,
        actor: &Actor,
        input: NewWebhook,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<WebhookView>> {
        let grant = actor.grant(Permission::WebhookManage)?;
        let (url, types, secret) = validate(&input)?;
        let allow_private = self.kernel.settings().allow_private_network;
        let host = reqwest::Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        net::check_host(&host, allow_private)
            .await
            .map_err(|refused| AppError::invalid("url", refused.to_string()))?;
        let me = actor.id;
        self.kernel
            .command(&grant, "webhook.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    let now = tx.now();
                    let mut webhook = repo::insert(tx.conn(), &url, &types, &secret, me, now)?;
                    tx.emit(
                        None,
                        WebhookCreated {
                            webhook: WebhookSummary {
                                id: webhook.id,
                                url: webhook.url.clone(),
                                event_types: webhook.event_types.clone(),
                                active: webhook.active,
                                created_at: webhook.created_at.clone(),
                            },
                        },
                    )?;
                    webhook.secret = Some(secret.clone());
                    Ok(webhook)
                })
            })
            .await
    }

    /// Lists webhooks. Admins only.
    pub async fn list_webhooks(
        &self,
        actor: &Actor,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<WebhookView>> {
        let grant = actor.grant(Permission::WebhookManage)?;
        let limit = cursor::limit(limit)?;
        let after = cursor::after_id(cursor.as_deref())?;
        self.kernel
            .query(&grant, move |conn| {
                let items = repo::active(conn, after, limit + 1)?;
                Ok(cursor::page_by_id(items, limit, false, |w| w.id))
            })
            .await
    }

    /// Removes a webhook (it stops receiving; its delivery log stays). Admins only.
    pub async fn delete_webhook(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let grant = actor.grant(Permission::WebhookManage)?;
        self.kernel
            .command(&grant, "webhook.delete", move |tx| {
                if !repo::deactivate(tx.conn(), id)? {
                    return Err(AppError::not_found("webhook"));
                }
                outbox::cancel_target(tx, OUTBOX_KIND, id, "webhook deleted")?;
                tx.emit(None, WebhookDeleted { webhook_id: id })
            })
            .await
    }

    /// A webhook's deliveries, newest first, with their attempts. Admins only.
    pub async fn webhook_deliveries(
        &self,
        actor: &Actor,
        id: i64,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<DeliveryView>> {
        let grant = actor.grant(Permission::WebhookManage)?;
        let limit = cursor::limit(limit)?;
        let before = cursor::before_id(cursor.as_deref())?;
        self.kernel
            .query(&grant, move |conn| {
                if !repo::exists(conn, id)? {
                    return Err(AppError::not_found("webhook"));
                }
                let rows = outbox::of_target(conn, id, before, limit + 1)?;
                let more = rows.len() as i64 > limit;
                let mut items: Vec<DeliveryView> = rows
                    .into_iter()
                    .take(usize::try_from(limit).unwrap_or(0))
                    .map(|row| DeliveryView {
                        id: row.id,
                        event_id: row.subject_id,
                        next_attempt_at: (row.status == "pending")
                            .then(|| time::format(row.next_attempt_at)),
                        status: row.status,
                        attempts: row.attempts,
                        last_error: row.last_error,
                        delivered_at: time::format_opt(row.delivered_at),
                        attempt_log: Vec::new(),
                    })
                    .collect();
                if let (Some(first), Some(last)) =
                    (items.last().map(|d| d.id), items.first().map(|d| d.id))
                {
                    for attempt in outbox::attempts(conn, id, first, last)? {
                        if let Some(delivery) = items.iter_mut().find(|d| d.id == attempt.outbox_id)
                        {
                            delivery.attempt_log.push(AttemptView {
                                at: time::format(attempt.attempted_at),
                                status_code: attempt.status_code,
                                error: attempt.error,
                                duration_ms: attempt.duration_ms,
                            });
                        }
                    }
                }
                let next_cursor = more
                    .then(|| {
                        items.last().map(|d| {
                            Cursor {
                                sort: "-id".into(),
                                value: d.id,
                                id: d.id,
                            }
                            .encode()
                        })
                    })
                    .flatten();
                Ok(Page { items, next_cursor })
            })
            .await
    }
}
