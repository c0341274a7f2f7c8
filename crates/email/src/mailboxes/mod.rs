//! Mailboxes: the support addresses customers write to, with their team, signature,
//! auto-acknowledgement, and how mail comes in (SMTP listener, IMAP, raw API) and goes out
//! (SMTP).

mod commands;
mod rules;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tiski_kernel::time;

/// How a connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// TLS from the first byte (IMAPS 993, SMTPS 465).
    Implicit,
    /// Plain, upgraded with STARTTLS (IMAP 143, submission 587).
    Starttls,
    /// No encryption (only for servers on this machine or in tests).
    None,
}

/// What the IMAP poller does with a message once it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImapAfter {
    /// Mark it \Seen.
    MarkSeen,
    /// Move it to `move_to`.
    Move,
    /// Delete and expunge it.
    Delete,
}

/// IMAP settings as given by an admin.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImapInput {
    /// Server host name.
    pub host: String,
    /// Port; 993 for implicit TLS, else 143.
    pub port: Option<u16>,
    /// Security; implicit TLS when absent.
    pub tls: Option<TlsMode>,
    /// User name.
    pub username: String,
    /// Password; when changing settings, leave it out to keep the stored one.
    pub password: Option<String>,
    /// Folder to read; INBOX when absent.
    pub folder: Option<String>,
    /// What to do after storing; mark_seen when absent.
    pub after: Option<ImapAfter>,
    /// Folder to move to, with `after: move`.
    pub move_to: Option<String>,
    /// Send the user name and password even without TLS (`tls: none`). Off by default: a
    /// login over a plain connection can be read by anyone on the way, so it is refused
    /// unless the admin says so here.
    pub allow_plain_auth: Option<bool>,
}

/// Outgoing SMTP settings as given by an admin.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmtpInput {
    /// Relay host name.
    pub host: String,
    /// Port; 465 for implicit TLS, 587 for STARTTLS, 25 without.
    pub port: Option<u16>,
    /// Security; STARTTLS when absent.
    pub tls: Option<TlsMode>,
    /// User name, when the relay wants authentication.
    pub username: Option<String>,
    /// Password; when changing settings, leave it out to keep the stored one.
    pub password: Option<String>,
    /// Send the user name and password even without TLS (`tls: none`). Off by default: a
    /// login over a plain connection can be read by anyone on the way, so it is refused
    /// unless the admin says so here.
    pub allow_plain_auth: Option<bool>,
}

/// IMAP settings as stored (password encrypted) and used by the poller.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ImapConfig {
    /// Host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Security.
    pub tls: TlsMode,
    /// User name.
    pub username: String,
    /// The encrypted password.
    pub password_sealed: Option<String>,
    /// Folder.
    pub folder: String,
    /// After storing.
    pub after: ImapAfter,
    /// Target folder of `Move`.
    pub move_to: Option<String>,
    /// Whether the admin allowed sending the credentials without TLS.
    #[serde(default)]
    pub allow_plain_auth: bool,
}

/// SMTP settings as stored (password encrypted) and used by the sender.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SmtpConfig {
    /// Host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Security.
    pub tls: TlsMode,
    /// User name.
    pub username: Option<String>,
    /// The encrypted password.
    pub password_sealed: Option<String>,
    /// Whether the admin allowed sending the credentials without TLS.
    #[serde(default)]
    pub allow_plain_auth: bool,
}

/// IMAP settings as the API shows them: never the password.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImapView {
    /// Host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Security.
    pub tls: TlsMode,
    /// User name.
    pub username: String,
    /// Whether a password is stored.
    pub password_set: bool,
    /// Folder.
    pub folder: String,
    /// After storing.
    pub after: ImapAfter,
    /// Target folder of `move`.
    pub move_to: Option<String>,
    /// Whether the admin allowed sending the credentials without TLS.
    #[serde(default)]
    pub allow_plain_auth: bool,
}

/// SMTP settings as the API shows them: never the password.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SmtpView {
    /// Host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Security.
    pub tls: TlsMode,
    /// User name.
    pub username: Option<String>,
    /// Whether a password is stored.
    pub password_set: bool,
    /// Whether the admin allowed sending the credentials without TLS.
    #[serde(default)]
    pub allow_plain_auth: bool,
}

/// An auto-acknowledgement text for one language; `{{customer.name}}`, `{{ticket.id}}`,
/// `{{ticket.subject}}` and `{{mailbox.name}}` are filled in.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AckTemplate {
    /// Subject.
    pub subject: String,
    /// Body text.
    pub body: String,
}

/// A mailbox as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MailboxView {
    /// Id.
    pub id: i64,
    /// The support address, lower-case.
    pub address: String,
    /// Display name on outgoing mail.
    pub name: String,
    /// Team new tickets go to.
    pub team_id: Option<i64>,
    /// Appended to every reply.
    pub signature: String,
    /// Whether new tickets get an auto-acknowledgement.
    pub auto_ack: bool,
    /// Per-language overrides of the auto-acknowledgement (language tag → template).
    pub ack_templates: BTreeMap<String, AckTemplate>,
    /// IMAP polling, when configured.
    pub imap: Option<ImapView>,
    /// Outgoing SMTP relay, when configured.
    pub smtp: Option<SmtpView>,
    /// Whether mail is accepted and sent.
    pub active: bool,
    /// When it was created.
    pub created_at: String,
    /// Whether this is the default mailbox: replies on tickets that neither came in by a
    /// mailbox nor belong to a team with one (API, web form, phone tickets) go out through
    /// it. Exactly one mailbox is the default once there is any (the first one made).
    pub default: bool,
}

/// Input for a new mailbox.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMailbox {
    /// The support address.
    pub address: String,
    /// Display name on outgoing mail.
    pub name: String,
    /// Team new tickets go to.
    pub team_id: Option<i64>,
    /// Appended to every reply.
    pub signature: Option<String>,
    /// Auto-acknowledge new tickets (default true).
    pub auto_ack: Option<bool>,
    /// Per-language overrides of the auto-acknowledgement.
    pub ack_templates: Option<BTreeMap<String, AckTemplate>>,
    /// IMAP polling.
    pub imap: Option<ImapInput>,
    /// Outgoing SMTP relay.
    pub smtp: Option<SmtpInput>,
    /// Make it the default mailbox (the first mailbox is the default anyway).
    pub default: Option<bool>,
}

/// Changes to a mailbox; absent fields stay, `null` removes IMAP or SMTP settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxPatch {
    /// New display name.
    pub name: Option<String>,
    /// New team, or `null`.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<Option<i64>>,
    /// New signature.
    pub signature: Option<String>,
    /// Auto-acknowledge new tickets.
    pub auto_ack: Option<bool>,
    /// The complete new set of template overrides.
    pub ack_templates: Option<BTreeMap<String, AckTemplate>>,
    /// New IMAP settings, or `null` to stop polling.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<ImapInput>)]
    pub imap: Option<Option<ImapInput>>,
    /// New SMTP settings, or `null`.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<SmtpInput>)]
    pub smtp: Option<Option<SmtpInput>>,
    /// Activate or deactivate.
    pub active: Option<bool>,
    /// `true` makes it the default mailbox (the previous one stops being it); to move the
    /// default, mark another mailbox.
    pub default: Option<bool>,
}

/// A mailbox as the email channel uses it.
#[derive(Debug, Clone)]
pub struct Mailbox {
    /// Id.
    pub id: i64,
    /// Support address.
    pub address: String,
    /// Display name.
    pub name: String,
    /// Team for new tickets.
    pub team_id: Option<i64>,
    /// Signature.
    pub signature: String,
    /// Auto-acknowledge.
    pub auto_ack: bool,
    /// Template overrides.
    pub ack_templates: BTreeMap<String, AckTemplate>,
    /// IMAP settings.
    pub imap: Option<ImapConfig>,
    /// SMTP settings.
    pub smtp: Option<SmtpConfig>,
    /// Active.
    pub active: bool,
    /// Created.
    pub created_at: i64,
    /// The default mailbox.
    pub is_default: bool,
}

/// The settings of a mailbox as stored (everything but its address and id).
#[derive(Debug, Clone)]
pub(crate) struct MailboxSettings {
    pub name: String,
    pub team_id: Option<i64>,
    pub signature: String,
    pub auto_ack: bool,
    pub ack_templates: BTreeMap<String, AckTemplate>,
    pub imap: Option<ImapConfig>,
    pub smtp: Option<SmtpConfig>,
    pub active: bool,
}

impl Mailbox {
    /// The API view: settings without secrets.
    pub fn view(&self) -> MailboxView {
        MailboxView {
            id: self.id,
            address: self.address.clone(),
            name: self.name.clone(),
            team_id: self.team_id,
            signature: self.signature.clone(),
            auto_ack: self.auto_ack,
            ack_templates: self.ack_templates.clone(),
            imap: self.imap.as_ref().map(|c| ImapView {
                host: c.host.clone(),
                port: c.port,
                tls: c.tls,
                username: c.username.clone(),
                password_set: c.password_sealed.is_some(),
                folder: c.folder.clone(),
                after: c.after,
                move_to: c.move_to.clone(),
                allow_plain_auth: c.allow_plain_auth,
            }),
            smtp: self.smtp.as_ref().map(|c| SmtpView {
                host: c.host.clone(),
                port: c.port,
                tls: c.tls,
                username: c.username.clone(),
                password_set: c.password_sealed.is_some(),
                allow_plain_auth: c.allow_plain_auth,
            }),
            active: self.active,
            created_at: time::format(self.created_at),
            default: self.is_default,
        }
    }
}
