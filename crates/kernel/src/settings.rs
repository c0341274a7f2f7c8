//! Settings, defined once: one table of keys with their type, default, environment variable,
//! command-line flag and meaning. The command line, the environment, the README's table and
//! `tiski config show` all come from it, and every limit an operator would tune is in it.

mod proxy;
mod roles;
mod values;

pub use proxy::{IpRange, ProxyHeader, PublicScheme, TrustedProxies};
pub use roles::RoleList;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
pub use values::{DatabaseUrl, LogFormat, PublicUrl, Secret, SettingValue};

/// Which commands a setting belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every command that opens the data (serve, migrate, user, token, demo).
    Database,
    /// The server (`serve`, and `config show`).
    Server,
}

/// One row of the settings table.
#[derive(Debug, Clone, Copy)]
pub struct SettingDef {
    /// The key, as `config show` names it.
    pub key: &'static str,
    /// The command-line flag without its dashes; `None` for environment-only settings
    /// (secrets, which would show in process lists).
    pub flag: Option<&'static str>,
    /// The environment variable.
    pub env: &'static str,
    /// The default, as text (empty: unset).
    pub default: &'static str,
    /// What it sets, as a sentence.
    pub doc: &'static str,
    /// Which commands take it.
    pub scope: Scope,
    /// Allowed range of a number.
    pub range: Option<(u64, u64)>,
    /// Whether the value is hidden when shown.
    pub secret: bool,
    /// What kind of value, for `--help`.
    pub value_name: &'static str,
}

impl SettingDef {
    /// How a message names where the value came from: `--listen / TISKI_LISTEN`.
    pub fn source(&self) -> String {
        match self.flag {
            Some(flag) => format!("--{flag} / {}", self.env),
            None => self.env.to_string(),
        }
    }
}

/// A setting whose value does not fit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct SettingError {
    /// Where the value came from (`--listen / TISKI_LISTEN`).
    pub origin: String,
    /// What is wrong.
    pub message: String,
}

/// Defines [`Settings`], [`SETTINGS`] and loading from one list.
macro_rules! settings {
    ($(
        #[doc = $doc:literal]
        $field:ident: $ty:ty = $default:literal, $value_name:literal,
        env $env:literal, flag $flag:expr, scope $scope:ident, range $range:expr, secret $secret:literal;
    )+) => {
        /// The effective settings of a tiski process.
        #[derive(Debug, Clone)]
        pub struct Settings {
            $(#[doc = $doc] pub $field: $ty,)+
        }

        /// The settings table, in the order `--help`, the README and `config show` list it.
        pub const SETTINGS: &[SettingDef] = &[$(SettingDef {
            key: stringify!($field),
            flag: $flag,
            env: $env,
            default: $default,
            doc: $doc.trim_ascii(),
            scope: Scope::$scope,
            range: $range,
            secret: $secret,
            value_name: $value_name,
        }),+];

        impl Settings {
            /// Loads every setting: the value `given` for its key, else the default.
            pub fn load(given: &dyn Fn(&SettingDef) -> Option<String>) -> Result<Settings, SettingError> {
                Ok(Settings {
                    $($field: load(stringify!($field), given)?,)+
                })
            }

            /// Every setting with its value as text, secrets hidden.
            pub fn effective(&self) -> Vec<(&'static SettingDef, String)> {
                vec![$((def(stringify!($field)), SettingValue::render(&self.$field))),+]
            }
        }
    };
}

settings! {
    /// Directory for the embedded SQLite database and the installation key.
    data_dir: PathBuf = "./tiski-data", "DIR",
        env "TISKI_DATA_DIR", flag Some("data-dir"), scope Database, range None, secret false;
    /// Use PostgreSQL instead of SQLite: postgres://user@host/db (add ?options=-c%20search_path%3Dschema for a schema).
    database_url: DatabaseUrl = "", "URL",
        env "TISKI_DATABASE_URL", flag Some("database-url"), scope Database, range None, secret false;
    /// PostgreSQL connections to pool.
    database_pool: usize = "16", "N",
        env "TISKI_DATABASE_POOL", flag Some("database-pool"), scope Database, range Some((1, 1024)), secret false;
    /// SQLite read connections (one more connection writes).
    sqlite_readers: usize = "4", "N",
        env "TISKI_SQLITE_READERS", flag Some("sqlite-readers"), scope Database, range Some((1, 64)), secret false;
    /// Key for stored IMAP/SMTP passwords (base64 of 32 bytes; the same on every node); without it <data-dir>/secret.key, created on first start.
    secret_key: Secret = "", "KEY",
        env "TISKI_SECRET_KEY", flag None, scope Database, range None, secret true;
    /// HTTP address to listen on.
    listen: SocketAddr = "127.0.0.1:8080", "ADDR",
        env "TISKI_LISTEN", flag Some("listen"), scope Server, range None, secret false;
    /// Log format, human or json; RUST_LOG filters.
    log_format: LogFormat = "human", "FORMAT",
        env "TISKI_LOG_FORMAT", flag Some("log-format"), scope Server, range None, secret false;
    /// Also accept mail over SMTP on this address (for an MTA to relay to), e.g. 127.0.0.1:2525; off when empty.
    smtp_listen: Option<SocketAddr> = "", "ADDR",
        env "TISKI_SMTP_LISTEN", flag Some("smtp-listen"), scope Server, range None, secret false;
    /// The host name the SMTP listener greets with.
    smtp_hostname: String = "localhost", "NAME",
        env "TISKI_SMTP_HOSTNAME", flag Some("smtp-hostname"), scope Server, range None, secret false;
    /// SMTP connections served at once; more are answered 421.
    smtp_max_connections: usize = "100", "N",
        env "TISKI_SMTP_MAX_CONNECTIONS", flag Some("smtp-max-connections"), scope Server, range Some((1, 100_000)), secret false;
    /// Recipients the SMTP listener takes per message.
    smtp_max_recipients: usize = "100", "N",
        env "TISKI_SMTP_MAX_RECIPIENTS", flag Some("smtp-max-recipients"), scope Server, range Some((1, 10_000)), secret false;
    /// How long an SMTP client may stay silent while it sends a message (DATA) before it is disconnected.
    smtp_idle_timeout: Duration = "5m", "DURATION",
        env "TISKI_SMTP_IDLE_TIMEOUT", flag Some("smtp-idle-timeout"), scope Server, range None, secret false;
    /// How often mailboxes on IMAP servers without IDLE are polled.
    imap_poll_interval: Duration = "1m", "DURATION",
        env "TISKI_IMAP_POLL_INTERVAL", flag Some("imap-poll-interval"), scope Server, range None, secret false;
    /// Days a solved ticket stays solved before it is closed automatically.
    auto_close_days: u32 = "4", "DAYS",
        env "TISKI_AUTO_CLOSE_DAYS", flag Some("auto-close-days"), scope Server, range Some((1, 365)), secret false;
    /// How often the auto-closer looks for solved tickets past their days.
    auto_close_interval: Duration = "1m", "DURATION",
        env "TISKI_AUTO_CLOSE_INTERVAL", flag Some("auto-close-interval"), scope Server, range None, secret false;
    /// How often workers look for work when nothing wakes them.
    worker_interval: Duration = "1s", "DURATION",
        env "TISKI_WORKER_INTERVAL", flag Some("worker-interval"), scope Server, range None, secret false;
    /// The first retry delay of a failed webhook or email delivery; each further one doubles.
    retry_base: Duration = "10s", "DURATION",
        env "TISKI_RETRY_BASE", flag Some("retry-base"), scope Server, range None, secret false;
    /// The longest retry delay.
    retry_max: Duration = "1h", "DURATION",
        env "TISKI_RETRY_MAX", flag Some("retry-max"), scope Server, range None, secret false;
    /// Delivery attempts before a webhook call or an email is marked failed.
    retry_attempts: u32 = "10", "N",
        env "TISKI_RETRY_ATTEMPTS", flag Some("retry-attempts"), scope Server, range Some((1, 100)), secret false;
    /// How long one webhook call may take.
    webhook_timeout: Duration = "10s", "DURATION",
        env "TISKI_WEBHOOK_TIMEOUT", flag Some("webhook-timeout"), scope Server, range None, secret false;
    /// How long one HTTP request may take before it is answered 503.
    request_timeout: Duration = "60s", "DURATION",
        env "TISKI_REQUEST_TIMEOUT", flag Some("request-timeout"), scope Server, range None, secret false;
    /// How long an authenticated API token is remembered before it is checked again.
    auth_cache: Duration = "5s", "DURATION",
        env "TISKI_AUTH_CACHE", flag Some("auth-cache"), scope Server, range None, secret false;
    /// How long a workspace session lasts without use.
    session_idle: Duration = "24h", "DURATION",
        env "TISKI_SESSION_IDLE", flag Some("session-idle"), scope Server, range None, secret false;
    /// How long a workspace session lasts at most, however often it is used.
    session_max: Duration = "720h", "DURATION",
        env "TISKI_SESSION_MAX", flag Some("session-max"), scope Server, range None, secret false;
    /// Failed sign-ins allowed per email address from one client before each further one waits longer (other clients are not held back).
    signin_failures_per_email: usize = "5", "N",
        env "TISKI_SIGNIN_FAILURES_PER_EMAIL", flag Some("signin-failures-per-email"), scope Server, range Some((1, 1000)), secret false;
    /// Sign-in attempts allowed per client address before each further one waits longer.
    signin_attempts_per_address: usize = "30", "N",
        env "TISKI_SIGNIN_ATTEMPTS_PER_ADDRESS", flag Some("signin-attempts-per-address"), scope Server, range Some((1, 100_000)), secret false;
    /// How long sign-in attempts are remembered after the last one (and the longest wait).
    signin_window: Duration = "15m", "DURATION",
        env "TISKI_SIGNIN_WINDOW", flag Some("signin-window"), scope Server, range None, secret false;
    /// The largest JSON or form request body, in bytes.
    max_request_bytes: usize = "2097152", "BYTES",
        env "TISKI_MAX_REQUEST_BYTES", flag Some("max-request-bytes"), scope Server, range Some((1024, 1_073_741_824)), secret false;
    /// The largest message text, in bytes (its HTML may have four times as much).
    max_message_bytes: usize = "262144", "BYTES",
        env "TISKI_MAX_MESSAGE_BYTES", flag Some("max-message-bytes"), scope Server, range Some((1024, 67_108_864)), secret false;
    /// Files one message may carry.
    max_attachments: usize = "10", "N",
        env "TISKI_MAX_ATTACHMENTS", flag Some("max-attachments"), scope Server, range Some((0, 1000)), secret false;
    /// The largest file attached to a message, in bytes.
    max_attachment_bytes: usize = "10485760", "BYTES",
        env "TISKI_MAX_ATTACHMENT_BYTES", flag Some("max-attachment-bytes"), scope Server, range Some((1024, 1_073_741_824)), secret false;
    /// The most bytes of files one message may carry together.
    max_attachments_bytes: usize = "15728640", "BYTES",
        env "TISKI_MAX_ATTACHMENTS_BYTES", flag Some("max-attachments-bytes"), scope Server, range Some((1024, 1_073_741_824)), secret false;
    /// The largest inbound email, in bytes (SMTP, IMAP and the raw API).
    max_email_bytes: usize = "26214400", "BYTES",
        env "TISKI_MAX_EMAIL_BYTES", flag Some("max-email-bytes"), scope Server, range Some((1024, 1_073_741_824)), secret false;
    /// The largest EDI interchange taken, in bytes (API upload and drop folder).
    max_edi_bytes: usize = "4194304", "BYTES",
        env "TISKI_MAX_EDI_BYTES", flag Some("max-edi-bytes"), scope Server, range Some((1024, 268_435_456)), secret false;
    /// A folder watched for EDI interchanges (every file in it, X12 or EDIFACT by its first segment); each file read is moved to done/ or failed/ in it. Off when empty.
    edi_drop_dir: Option<PathBuf> = "", "DIR",
        env "TISKI_EDI_DROP_DIR", flag Some("edi-drop-dir"), scope Server, range None, secret false;
    /// How often the EDI drop folder is looked at.
    edi_drop_interval: Duration = "5s", "DURATION",
        env "TISKI_EDI_DROP_INTERVAL", flag Some("edi-drop-interval"), scope Server, range None, secret false;
    /// Days an entry of the customer-data access log is kept before the pruner deletes it.
    access_log_days: u32 = "365", "DAYS",
        env "TISKI_ACCESS_LOG_DAYS", flag Some("access-log-days"), scope Server, range Some((1, 36_500)), secret false;
    /// Months (of 30 days) after closing that a ticket's conversation is erased, leaving its anonymised skeleton; 0 keeps it.
    retention_closed_months: u32 = "0", "MONTHS",
        env "TISKI_RETENTION_CLOSED_MONTHS", flag Some("retention-closed-months"), scope Server, range Some((0, 1200)), secret false;
    /// How often the retention worker looks for closed tickets past their retention.
    retention_interval: Duration = "1h", "DURATION",
        env "TISKI_RETENTION_INTERVAL", flag Some("retention-interval"), scope Server, range None, secret false;
    /// How long an HTTP client may take to send a request's headers before it is disconnected.
    http_header_timeout: Duration = "10s", "DURATION",
        env "TISKI_HTTP_HEADER_TIMEOUT", flag Some("http-header-timeout"), scope Server, range None, secret false;
    /// HTTP connections served at once; more are answered 503 and closed.
    http_max_connections: usize = "1024", "N",
        env "TISKI_HTTP_MAX_CONNECTIONS", flag Some("http-max-connections"), scope Server, range Some((1, 1_000_000)), secret false;
    /// Bearer token that /metrics asks for; without it and without --metrics-listen, /metrics is not served.
    metrics_token: Secret = "", "TOKEN",
        env "TISKI_METRICS_TOKEN", flag None, scope Server, range None, secret true;
    /// Serve /metrics on this address of its own (e.g. 127.0.0.1:9090) instead of the main listener; off when empty.
    metrics_listen: Option<SocketAddr> = "", "ADDR",
        env "TISKI_METRICS_LISTEN", flag Some("metrics-listen"), scope Server, range None, secret false;
    /// How often the pruner deletes what is past its time (idempotency keys, finished deliveries, expired sessions, access-log entries).
    prune_interval: Duration = "1h", "DURATION",
        env "TISKI_PRUNE_INTERVAL", flag Some("prune-interval"), scope Server, range None, secret false;
    /// How long an Idempotency-Key is remembered.
    idempotency_key_lifetime: Duration = "24h", "DURATION",
        env "TISKI_IDEMPOTENCY_KEY_LIFETIME", flag Some("idempotency-key-lifetime"), scope Server, range None, secret false;
    /// How long delivered or failed webhook calls and mails, with their delivery attempts, are kept.
    outbox_retention: Duration = "720h", "DURATION",
        env "TISKI_OUTBOX_RETENTION", flag Some("outbox-retention"), scope Server, range None, secret false;
    /// The first wait after a client used up its sign-in attempts; each further attempt doubles it, up to the sign-in window.
    signin_backoff: Duration = "1s", "DURATION",
        env "TISKI_SIGNIN_BACKOFF", flag Some("signin-backoff"), scope Server, range None, secret false;
    /// The header a trusted proxy names the client's address in (e.g. X-Forwarded-For); empty: the socket's peer is the client.
    trusted_proxy_header: ProxyHeader = "", "HEADER",
        env "TISKI_TRUSTED_PROXY_HEADER", flag Some("trusted-proxy-header"), scope Server, range None, secret false;
    /// Addresses or networks (comma-separated, e.g. 127.0.0.1,10.0.0.0/8) whose client-address header and X-Forwarded-Proto are believed.
    trusted_proxies: TrustedProxies = "", "ADDRS",
        env "TISKI_TRUSTED_PROXIES", flag Some("trusted-proxies"), scope Server, range None, secret false;
    /// How the public reaches the server: auto (https when a trusted proxy says so), https (Secure cookies and HSTS always) or http.
    public_scheme: PublicScheme = "auto", "SCHEME",
        env "TISKI_PUBLIC_SCHEME", flag Some("public-scheme"), scope Server, range None, secret false;
    /// How often an open event stream re-checks its token or session even when no event wakes it.
    stream_recheck: Duration = "5s", "DURATION",
        env "TISKI_STREAM_RECHECK", flag Some("stream-recheck"), scope Server, range None, secret false;
    /// Event streams (API and workspace) one user may hold open on a node; more are answered 429.
    max_streams_per_user: usize = "8", "N",
        env "TISKI_MAX_STREAMS_PER_USER", flag Some("max-streams-per-user"), scope Server, range Some((1, 10_000)), secret false;
    /// Roles that must sign in with a second factor (comma-separated, e.g. admin,supervisor); a user of one without it is sent to enrol after the password. The operator's floor: admins can require more roles in the workspace, not fewer.
    two_factor_roles: RoleList = "", "ROLES",
        env "TISKI_TWO_FACTOR_ROLES", flag Some("two-factor-roles"), scope Server, range None, secret false;
    /// The name authenticator apps show for tiski's codes.
    two_factor_issuer: String = "tiski", "NAME",
        env "TISKI_TWO_FACTOR_ISSUER", flag Some("two-factor-issuer"), scope Server, range None, secret false;
    /// Let webhooks and mailboxes' IMAP/SMTP hosts reach loopback, private, link-local and other non-public addresses (off: they are refused when saved and when connecting).
    allow_private_network: bool = "false", "BOOL",
        env "TISKI_ALLOW_PRIVATE_NETWORK", flag Some("allow-private-network"), scope Server, range None, secret false;
    /// SMTP connections served at once from one client address (IPv6 by /64); more are answered 421.
    smtp_max_connections_per_client: usize = "10", "N",
        env "TISKI_SMTP_MAX_CONNECTIONS_PER_CLIENT", flag Some("smtp-max-connections-per-client"), scope Server, range Some((1, 100_000)), secret false;
    /// How long an SMTP client may stay silent before DATA (greeting, MAIL, RCPT) before it is disconnected.
    smtp_command_timeout: Duration = "30s", "DURATION",
        env "TISKI_SMTP_COMMAND_TIMEOUT", flag Some("smtp-command-timeout"), scope Server, range None, secret false;
    /// How long a public reply sent from the workspace waits, with an Undo button, before its mail is queued; 0 sends at once.
    undo_send_window: Duration = "10s", "DURATION",
        env "TISKI_UNDO_SEND_WINDOW", flag Some("undo-send-window"), scope Server, range None, secret false;
    /// The address people open tiski at, for links in the mail it sends staff (e.g. https://desk.example.com); empty: http:// and the listen address.
    public_url: PublicUrl = "", "URL",
        env "TISKI_PUBLIC_URL", flag Some("public-url"), scope Server, range None, secret false;
    /// How long an agent's notification stays unread while they are away before it is mailed to them in a digest.
    notification_digest_delay: Duration = "15m", "DURATION",
        env "TISKI_NOTIFICATION_DIGEST_DELAY", flag Some("notification-digest-delay"), scope Server, range None, secret false;
}

/// The row of `key`.
fn def(key: &str) -> &'static SettingDef {
    SETTINGS
        .iter()
        .find(|d| d.key == key)
        .unwrap_or(&SETTINGS[0])
}

fn load<T: SettingValue>(
    key: &str,
    given: &dyn Fn(&SettingDef) -> Option<String>,
) -> Result<T, SettingError> {
    let def = def(key);
    let text = given(def).unwrap_or_else(|| def.default.to_string());
    T::parse(text.trim(), def).map_err(|message| SettingError {
        origin: def.source(),
        message,
    })
}

impl Default for Settings {
    /// Every setting at its default.
    fn default() -> Self {
        Settings::load(&|_| None)
            .unwrap_or_else(|error| panic!("a default does not parse: {error}"))
    }
}

impl Settings {
    /// Loads the settings from the environment alone (each key's variable, else its default).
    pub fn from_env() -> Result<Settings, SettingError> {
        Settings::load(&|def| std::env::var(def.env).ok())
    }

    /// How long a solved ticket stays solved before it is closed.
    pub fn auto_close_after(&self) -> Duration {
        Duration::from_secs(u64::from(self.auto_close_days) * 24 * 3600)
    }

    /// How long an access-log entry is kept.
    pub fn access_log_keep(&self) -> Duration {
        Duration::from_secs(u64::from(self.access_log_days) * 24 * 3600)
    }

    /// The retry schedule of webhook and email deliveries.
    pub fn retry_policy(&self) -> crate::outbox::RetryPolicy {
        crate::outbox::RetryPolicy {
            base: self.retry_base,
            max: self.retry_max,
            attempts: self.retry_attempts,
        }
    }

    /// The largest body `POST …/messages` takes: the text, its HTML and the files in base64.
    pub fn max_message_request_bytes(&self) -> usize {
        let files = self.max_attachments_bytes.div_ceil(3) * 4;
        self.max_request_bytes
            .max(files + 5 * self.max_message_bytes + 64 * 1024)
    }

    /// The address links in mail start with: `public_url`, else `http://` and the listen
    /// address (`localhost` for an unspecified one), without a trailing `/`.
    pub fn public_base(&self) -> String {
        if let Some(url) = self.public_url.get() {
            return url.to_string();
        }
        let port = self.listen.port();
        match self.listen.ip() {
            ip if ip.is_unspecified() || ip.is_loopback() => format!("http://localhost:{port}"),
            std::net::IpAddr::V6(ip) => format!("http://[{ip}]:{port}"),
            ip => format!("http://{ip}:{port}"),
        }
    }

    /// The largest body `POST /mailboxes/{id}/raw` takes (the message and a little slack, so
    /// the application's own check answers with its clearer message).
    pub fn max_raw_email_request_bytes(&self) -> usize {
        self.max_email_bytes + 1024 * 1024
    }
}

/// The settings table as Markdown, for the README.
pub fn markdown_table() -> String {
    let mut out = String::from("| flag | variable | default | |\n|---|---|---|---|\n");
    for def in SETTINGS {
        let flag = def.flag.map(|f| format!("`--{f}`")).unwrap_or_default();
        let default = if def.default.is_empty() {
            "(none)".to_string()
        } else {
            format!("`{}`", def.default)
        };
        out.push_str(&format!(
            "| {flag} | `{}` | {default} | {} |\n",
            def.env, def.doc
        ));
    }
    out
}

#[cfg(test)]
mod tests;
