//! tiski's use cases: every command and query a channel or the web layer may run.
//!
//! Architecture invariant: permissions are checked here, not in `web`, so every list, read and
//! stream is scoped to what the actor may see, whichever surface asks. Every change runs as one
//! store write that updates state and appends its events together.

mod actor;
mod agents;
pub mod auth;
pub mod cursor;
mod customers;
mod email;
mod error;
mod events;
mod idempotency;
mod imap_positions;
mod language;
mod macros;
mod mailboxes;
mod messages;
mod saved_views;
mod secrets;
mod sessions;
mod teams;
mod tickets;
pub mod time;
mod webhooks;
mod workers;

pub use actor::Actor;
pub use agents::{AgentPatch, AgentView, NewAgent};
pub use cursor::Page;
pub use customers::{CustomerPatch, CustomerView, NewCustomer};
pub use email::{
    AttachmentView, DeliveryResult, EmailSource, EmailState, IngestOutcome, OutgoingDelivery,
    QuarantineView,
};
pub use error::{AppError, AppResult};
pub use events::EventView;
pub use idempotency::{Idempotency, Stored};
pub use macros::{
    FilledMacro, MacroView, NewMacro, PlaceholderValues, fill_placeholders, first_name,
};
pub use mailboxes::{
    AckTemplate, ImapAfter, ImapConfig, ImapInput, ImapView, Mailbox, MailboxPatch, MailboxView,
    NewMailbox, SmtpConfig, SmtpInput, SmtpView, TlsMode,
};
pub use messages::{MAX_BODY_BYTES, MessageView, NewMessage, sanitize_html};
pub use saved_views::{
    COUNT_CAP, InboxCounts, OPEN_STATUSES, SavedView, ViewFilters, cursor_after, sort_value,
};
pub use secrets::SecretKey;
pub use sessions::{ApiTokenView, SESSION_IDLE_MICROS, Session, SignedIn, constant_time_eq};
pub use teams::{NewTeam, TeamView};
pub use tickets::{
    NewTicket, RequesterInput, RequesterView, TicketFilter, TicketPatch, TicketView,
};
pub use webhooks::{AttemptView, DeliveryView, NewWebhook, SIGNATURE_HEADER, WebhookView, sign};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tiski_domain::Role;
use tiski_store::{Store, params};

/// Settings of the use cases and workers.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// How long a solved ticket stays solved before it is closed.
    pub auto_close_after: Duration,
    /// How often the auto-close worker looks.
    pub auto_close_interval: Duration,
    /// The first webhook retry delay; each further one doubles.
    pub webhook_retry_base: Duration,
    /// The longest webhook retry delay.
    pub webhook_retry_max: Duration,
    /// Attempts before a delivery is marked failed.
    pub webhook_max_attempts: u32,
    /// Timeout of one webhook request.
    pub webhook_timeout: Duration,
    /// How often workers look for work when not woken.
    pub worker_interval: Duration,
    /// How long an authenticated token is remembered before it is checked again.
    pub auth_cache_ttl: Duration,
    /// The key that encrypts stored IMAP and SMTP passwords.
    pub secret_key: SecretKey,
    /// The largest inbound email accepted, in bytes.
    pub max_email_bytes: usize,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            auto_close_after: Duration::from_secs(4 * 24 * 3600),
            auto_close_interval: Duration::from_secs(60),
            webhook_retry_base: Duration::from_secs(10),
            webhook_retry_max: Duration::from_secs(3600),
            webhook_max_attempts: 10,
            webhook_timeout: Duration::from_secs(10),
            worker_interval: Duration::from_secs(1),
            auth_cache_ttl: Duration::from_secs(5),
            secret_key: SecretKey::generate(),
            max_email_bytes: 25 * 1024 * 1024,
        }
    }
}

/// The application: the store, settings and shared clients. Cheap to clone.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: AppConfig,
    http: reqwest::Client,
    actors: Mutex<HashMap<String, (Actor, Instant)>>,
    /// Bumped whenever users or teams change, so long-lived sessions re-check their rights.
    generation: std::sync::atomic::AtomicU64,
}

impl App {
    /// Builds the application on an opened store.
    pub fn new(store: Store, config: AppConfig) -> App {
        // One TLS stack, rustls with ring, for every outgoing connection.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.webhook_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap_or_default();
        App {
            inner: Arc::new(Inner {
                store,
                config,
                http,
                actors: Mutex::new(HashMap::new()),
                generation: std::sync::atomic::AtomicU64::new(0),
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The settings.
    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Finds the active user behind an API token.
    pub async fn authenticate_token(&self, token: &str) -> AppResult<Actor> {
        let unauthorized = || AppError::Unauthorized("The API token is not valid.".into());
        if !token.starts_with(auth::TOKEN_PREFIX) || token.len() > 200 {
            return Err(unauthorized());
        }
        let digest = auth::token_digest(token);
        if let Ok(cache) = self.inner.actors.lock()
            && let Some((actor, at)) = cache.get(&digest)
            && at.elapsed() < self.config().auth_cache_ttl
        {
            return Ok(actor.clone());
        }
        let key = digest.clone();
        let actor = self
            .store()
            .read(move |conn| {
                let Some(row) = conn.query_opt(
                    "SELECT user_id FROM api_tokens WHERE token_hash = $1",
                    params![key.as_str()],
                )?
                else {
                    return Ok(None);
                };
                auth::load_actor(conn, row.get(0)?)
            })
            .await?
            .ok_or_else(unauthorized)?;
        if let Ok(mut cache) = self.inner.actors.lock() {
            if cache.len() > 10_000 {
                cache.clear();
            }
            cache.insert(digest, (actor.clone(), Instant::now()));
        }
        Ok(actor)
    }

    /// Finds the active user with this email and password.
    pub async fn authenticate_password(&self, email: &str, password: &str) -> AppResult<Actor> {
        let email = email.trim().to_lowercase();
        let password = password.to_string();
        let row = self
            .store()
            .read(move |conn| {
                conn.query_opt(
                    "SELECT id, password_hash FROM users WHERE email = $1 AND active = 1",
                    params![email.as_str()],
                )
            })
            .await?;
        let unauthorized = || AppError::Unauthorized("The email or password is not right.".into());
        let Some(row) = row else {
            return Err(unauthorized());
        };
        let id: i64 = row.get(0)?;
        let hash: Option<String> = row.get(1)?;
        let hash = hash.ok_or_else(unauthorized)?;
        let verified = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
            .await
            .unwrap_or(false);
        if !verified {
            return Err(unauthorized());
        }
        self.store()
            .read(move |conn| auth::load_actor(conn, id))
            .await?
            .ok_or_else(unauthorized)
    }

    /// Drops remembered tokens, after users or teams changed.
    fn forget_actors(&self) {
        self.inner
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut cache) = self.inner.actors.lock() {
            cache.clear();
        }
    }

    /// A number that changes whenever users or teams change in this process; a long-lived
    /// session compares it to know when to reload its actor with [`App::reload_actor`].
    pub fn actor_generation(&self) -> u64 {
        self.inner
            .generation
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The actor as stored now (teams and role may have changed), or `None` when the user is
    /// no longer active.
    pub async fn reload_actor(&self, actor: &Actor) -> AppResult<Option<Actor>> {
        let id = actor.id;
        self.store()
            .read(move |conn| auth::load_actor(conn, id))
            .await
    }

    /// Counts a finished command for the metrics.
    fn command_done<T>(&self, name: &'static str, result: &AppResult<T>) {
        let outcome = match result {
            Ok(_) => "ok",
            Err(AppError::Store(_)) => "error",
            Err(_) => "refused",
        };
        metrics::counter!("tiski_commands_total", "command" => name, "outcome" => outcome)
            .increment(1);
    }
}

impl Actor {
    /// tiski itself, for work done from the command line and by workers.
    pub fn system() -> Actor {
        Actor {
            id: 0,
            name: "tiski".into(),
            email: String::new(),
            role: Role::Admin,
            team_ids: Vec::new(),
        }
    }
}

/// Refuses text with a NUL character, which PostgreSQL cannot store and no person types.
pub(crate) fn refuse_nul(field: &str, text: &str) -> AppResult<()> {
    if text.contains('\0') {
        return Err(AppError::invalid(
            field,
            "The text contains a NUL character, which is not allowed.",
        ));
    }
    Ok(())
}

/// Trims a page fetched with one extra row and makes the cursor for the next one.
pub(crate) fn page_by_id<T>(items: &mut Vec<T>, limit: i64, id: impl Fn(&T) -> i64) -> Page<T> {
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = more
        .then(|| {
            items.last().map(|last| {
                cursor::Cursor {
                    sort: "id".into(),
                    value: id(last),
                    id: id(last),
                }
                .encode()
            })
        })
        .flatten();
    Page {
        items: std::mem::take(items),
        next_cursor,
    }
}

/// Deserialises a field that may be absent (`None`), `null` (`Some(None)`) or a value.
pub(crate) fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}
