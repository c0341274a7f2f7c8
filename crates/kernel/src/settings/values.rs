//! The types settings take, each with how it is read from text and shown.

use super::SettingDef;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A type a setting can have.
pub trait SettingValue: Sized {
    /// Reads the value from (trimmed) text; the error is a sentence without the source.
    fn parse(text: &str, def: &SettingDef) -> Result<Self, String>;
    /// The value as `config show` prints it (secrets hidden).
    fn render(&self) -> String;
}

fn number(text: &str, def: &SettingDef) -> Result<u64, String> {
    let n: u64 = text
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number."))?;
    if let Some((min, max)) = def.range
        && !(min..=max).contains(&n)
    {
        return Err(format!("{n} is outside {min} to {max}."));
    }
    Ok(n)
}

impl SettingValue for u64 {
    fn parse(text: &str, def: &SettingDef) -> Result<Self, String> {
        number(text, def)
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl SettingValue for u32 {
    fn parse(text: &str, def: &SettingDef) -> Result<Self, String> {
        u32::try_from(number(text, def)?).map_err(|_| format!("{text} is too large."))
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl SettingValue for usize {
    fn parse(text: &str, def: &SettingDef) -> Result<Self, String> {
        usize::try_from(number(text, def)?).map_err(|_| format!("{text} is too large."))
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl SettingValue for String {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        if text.is_empty() || text.chars().any(char::is_control) {
            return Err("give a name without control characters.".into());
        }
        Ok(text.to_string())
    }
    fn render(&self) -> String {
        self.clone()
    }
}

impl SettingValue for PathBuf {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        if text.is_empty() {
            return Err("give a directory.".into());
        }
        Ok(PathBuf::from(text))
    }
    fn render(&self) -> String {
        self.display().to_string()
    }
}

/// A directory that may be left unset (empty: off).
impl SettingValue for Option<PathBuf> {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        if text.chars().any(char::is_control) {
            return Err("give a directory without control characters.".into());
        }
        Ok((!text.is_empty()).then(|| PathBuf::from(text)))
    }
    fn render(&self) -> String {
        self.as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    }
}

impl SettingValue for SocketAddr {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        text.parse()
            .map_err(|_| format!("{text:?} is not an address and port such as 127.0.0.1:8080."))
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl SettingValue for Option<SocketAddr> {
    fn parse(text: &str, def: &SettingDef) -> Result<Self, String> {
        if text.is_empty() {
            return Ok(None);
        }
        SocketAddr::parse(text, def).map(Some)
    }
    fn render(&self) -> String {
        self.map(|a| a.to_string())
            .unwrap_or_else(|| "(off)".into())
    }
}

impl SettingValue for Duration {
    /// A duration such as `10s`, `200ms`, `15m`, `24h` or `1h 30m` (ISO 8601 `PT10S` too).
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        let duration: jiff::SignedDuration = text.parse().map_err(|_| {
            format!("{text:?} is not a duration; write it like 10s, 200ms, 15m or 24h.")
        })?;
        Duration::try_from(duration)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| format!("{text:?} must be longer than zero."))
    }
    fn render(&self) -> String {
        jiff::SignedDuration::try_from(*self)
            .map(|d| format!("{d:#}"))
            .unwrap_or_else(|_| format!("{self:?}"))
    }
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Readable lines.
    Human,
    /// One JSON object per line.
    Json,
}

impl SettingValue for LogFormat {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        match text {
            "human" => Ok(LogFormat::Human),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("{other:?} is not a log format; use human or json.")),
        }
    }
    fn render(&self) -> String {
        match self {
            LogFormat::Human => "human".into(),
            LogFormat::Json => "json".into(),
        }
    }
}

/// A secret value: kept, never shown.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Option<String>);

impl Secret {
    /// A secret with this value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(Some(value.into()))
    }

    /// The value, for the one place that uses it.
    pub fn expose(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl SettingValue for Secret {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        Ok(Secret((!text.is_empty()).then(|| text.to_string())))
    }
    fn render(&self) -> String {
        match self.0 {
            Some(_) => "(set, hidden)".into(),
            None => "(not set)".into(),
        }
    }
}

/// The PostgreSQL URL, when one is set; its password is never shown.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct DatabaseUrl(Option<String>);

impl DatabaseUrl {
    /// A URL (not checked: for tests and tools that build one).
    pub fn new(url: impl Into<String>) -> DatabaseUrl {
        DatabaseUrl(Some(url.into()))
    }

    /// The URL, to connect with.
    pub fn expose(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl SettingValue for DatabaseUrl {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        if text.is_empty() {
            return Ok(DatabaseUrl(None));
        }
        if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
            return Err(
                "the URL must start with postgres:// (leave it unset for the embedded SQLite database)."
                    .into(),
            );
        }
        Ok(DatabaseUrl(Some(text.to_string())))
    }
    fn render(&self) -> String {
        let Some(url) = &self.0 else {
            return "(SQLite in the data directory)".into();
        };
        // postgres://user:password@host/db → postgres://user:***@host/db
        match url.split_once("://") {
            Some((scheme, rest)) => match rest.split_once('@') {
                Some((credentials, host)) => {
                    let user = credentials.split(':').next().unwrap_or("");
                    let hidden = if credentials.contains(':') {
                        ":***"
                    } else {
                        ""
                    };
                    format!("{scheme}://{user}{hidden}@{host}")
                }
                None => url.clone(),
            },
            None => url.clone(),
        }
    }
}

impl SettingValue for bool {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" | "" => Ok(false),
            _ => Err(format!("{text:?} is neither true nor false.")),
        }
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

/// The address people open tiski at (`https://desk.example.com`), for links in mail; unset,
/// it is made from the listen address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicUrl(Option<String>);

impl PublicUrl {
    /// The URL as given, without a trailing `/` (`None`: unset).
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl SettingValue for PublicUrl {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        if text.is_empty() {
            return Ok(PublicUrl(None));
        }
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .unwrap_or("");
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty()
            || text
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '"' | '<' | '>'))
            || rest.contains(['?', '#'])
        {
            return Err(format!(
                "{text:?} is not an http or https address such as https://desk.example.com."
            ));
        }
        Ok(PublicUrl(Some(text.trim_end_matches('/').to_string())))
    }
    fn render(&self) -> String {
        self.0
            .clone()
            .unwrap_or_else(|| "(from the listen address)".into())
    }
}
