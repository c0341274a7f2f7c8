//! Mailboxes: the support addresses customers write to, with their team, signature,
//! auto-acknowledgement, and how mail comes in (SMTP listener, IMAP, raw API) and goes out (SMTP).

use crate::cursor::Page;
use crate::idempotency::{self, Idempotency, Stored};
use crate::{Actor, App, AppError, AppResult, events, time};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tiski_domain::{EmailAddress, EventType, LanguageTag};
use tiski_store::{Conn, Row, params};

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
}

/// Changes to a mailbox; absent fields stay, `null` removes IMAP or SMTP settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxPatch {
    /// New display name.
    pub name: Option<String>,
    /// New team, or `null`.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<Option<i64>>,
    /// New signature.
    pub signature: Option<String>,
    /// Auto-acknowledge new tickets.
    pub auto_ack: Option<bool>,
    /// The complete new set of template overrides.
    pub ack_templates: Option<BTreeMap<String, AckTemplate>>,
    /// New IMAP settings, or `null` to stop polling.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[schema(value_type = Option<ImapInput>)]
    pub imap: Option<Option<ImapInput>>,
    /// New SMTP settings, or `null`.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[schema(value_type = Option<SmtpInput>)]
    pub smtp: Option<Option<SmtpInput>>,
    /// Activate or deactivate.
    pub active: Option<bool>,
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
}

pub(crate) const COLUMNS: &str = "id, address, name, team_id, signature, auto_ack, ack_templates, imap, smtp, active, created_at";

pub(crate) fn read(row: &Row) -> AppResult<Mailbox> {
    let templates: String = row.get(6)?;
    let imap: Option<String> = row.get(7)?;
    let smtp: Option<String> = row.get(8)?;
    Ok(Mailbox {
        id: row.get(0)?,
        address: row.get(1)?,
        name: row.get(2)?,
        team_id: row.get(3)?,
        signature: row.get(4)?,
        auto_ack: row.get(5)?,
        ack_templates: serde_json::from_str(&templates).unwrap_or_default(),
        imap: imap.and_then(|t| serde_json::from_str(&t).ok()),
        smtp: smtp.and_then(|t| serde_json::from_str(&t).ok()),
        active: row.get(9)?,
        created_at: row.get(10)?,
    })
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
            }),
            smtp: self.smtp.as_ref().map(|c| SmtpView {
                host: c.host.clone(),
                port: c.port,
                tls: c.tls,
                username: c.username.clone(),
                password_set: c.password_sealed.is_some(),
            }),
            active: self.active,
            created_at: time::format(self.created_at),
        }
    }
}

/// Loads a mailbox by id.
pub(crate) fn get_in(conn: &mut dyn Conn, id: i64) -> AppResult<Mailbox> {
    let row = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM mailboxes WHERE id = $1"),
            params![id],
        )?
        .ok_or(AppError::not_found("mailbox"))?;
    read(&row)
}

fn check_host(field: &str, host: &str) -> AppResult<String> {
    let host = host.trim();
    let ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if ok {
        Ok(host.to_string())
    } else {
        Err(AppError::invalid(
            field,
            format!("{host:?} is not a host name."),
        ))
    }
}

fn check_folder(field: &str, folder: &str) -> AppResult<String> {
    let folder = folder.trim();
    if folder.is_empty() || folder.len() > 200 || folder.chars().any(|c| c.is_control() || c == '"')
    {
        return Err(AppError::invalid(
            field,
            "The folder name must have 1 to 200 characters without quotes or control characters.",
        ));
    }
    Ok(folder.to_string())
}

impl App {
    fn seal(&self, field: &str, password: &str) -> AppResult<String> {
        if password.is_empty() || password.len() > 1024 || password.contains('\0') {
            return Err(AppError::invalid(
                field,
                "The password must have 1 to 1024 bytes.",
            ));
        }
        self.config().secret_key.encrypt(password)
    }

    fn imap_config(
        &self,
        input: &ImapInput,
        previous: Option<&ImapConfig>,
    ) -> AppResult<ImapConfig> {
        let tls = input.tls.unwrap_or(TlsMode::Implicit);
        let after = input.after.unwrap_or(ImapAfter::MarkSeen);
        let move_to = input
            .move_to
            .as_deref()
            .map(|f| check_folder("imap.move_to", f))
            .transpose()?;
        if after == ImapAfter::Move && move_to.is_none() {
            return Err(AppError::invalid(
                "imap.move_to",
                "Name the folder to move stored messages to.",
            ));
        }
        let username = input.username.trim();
        if username.is_empty() || username.len() > 320 {
            return Err(AppError::invalid(
                "imap.username",
                "The user name must have 1 to 320 characters.",
            ));
        }
        let password_sealed = match &input.password {
            Some(p) => Some(self.seal("imap.password", p)?),
            None => previous.and_then(|p| p.password_sealed.clone()),
        };
        Ok(ImapConfig {
            host: check_host("imap.host", &input.host)?,
            port: input
                .port
                .unwrap_or(if tls == TlsMode::Implicit { 993 } else { 143 }),
            tls,
            username: username.to_string(),
            password_sealed,
            folder: check_folder("imap.folder", input.folder.as_deref().unwrap_or("INBOX"))?,
            after,
            move_to,
        })
    }

    fn smtp_config(
        &self,
        input: &SmtpInput,
        previous: Option<&SmtpConfig>,
    ) -> AppResult<SmtpConfig> {
        let tls = input.tls.unwrap_or(TlsMode::Starttls);
        let password_sealed = match &input.password {
            Some(p) => Some(self.seal("smtp.password", p)?),
            None => previous.and_then(|p| p.password_sealed.clone()),
        };
        Ok(SmtpConfig {
            host: check_host("smtp.host", &input.host)?,
            port: input.port.unwrap_or(match tls {
                TlsMode::Implicit => 465,
                TlsMode::Starttls => 587,
                TlsMode::None => 25,
            }),
            tls,
            username: input
                .username
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string),
            password_sealed,
        })
    }

    /// Decrypts a stored password for the poller or the sender.
    pub fn unseal(&self, sealed: &str) -> Result<String, String> {
        self.config().secret_key.decrypt(sealed)
    }

    /// Creates a mailbox. Admins only.
    pub async fn create_mailbox(
        &self,
        actor: &Actor,
        input: NewMailbox,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<MailboxView>> {
        require_admin(actor)?;
        let address = EmailAddress::parse(&input.address)
            .map_err(|e| AppError::invalid("address", e.message))?;
        let name = parse_text("name", &input.name, 1, 200)?;
        let signature = parse_text(
            "signature",
            input.signature.as_deref().unwrap_or(""),
            0,
            10_000,
        )?;
        let templates = check_templates(input.ack_templates.unwrap_or_default())?;
        let imap = input
            .imap
            .as_ref()
            .map(|i| self.imap_config(i, None))
            .transpose()?;
        let smtp = input
            .smtp
            .as_ref()
            .map(|s| self.smtp_config(s, None))
            .transpose()?;
        let auto_ack = input.auto_ack.unwrap_or(true);
        let team_id = input.team_id;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                idempotency::run(tx, &actor, idempotency.as_ref(), |tx| {
                    if tx.conn().query_opt("SELECT id FROM mailboxes WHERE address = $1", params![address.as_str()])?.is_some() {
                        return Err(AppError::conflict("address", format!("A mailbox for {address} already exists.")));
                    }
                    if let Some(team_id) = team_id
                        && tx.conn().query_opt("SELECT id FROM teams WHERE id = $1", params![team_id])?.is_none()
                    {
                        return Err(AppError::invalid("team_id", format!("There is no team {team_id}.")));
                    }
                    let now = time::now_micros();
                    let id: i64 = tx.conn().query_scalar(
                        "INSERT INTO mailboxes (address, name, team_id, signature, auto_ack, ack_templates, imap, smtp, active, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
                        params![
                            address.as_str(),
                            name.as_str(),
                            team_id,
                            signature.as_str(),
                            auto_ack,
                            serde_json::to_string(&templates)?,
                            imap.as_ref().map(serde_json::to_string).transpose()?,
                            smtp.as_ref().map(serde_json::to_string).transpose()?,
                            now
                        ],
                    )?;
                    let view = get_in(tx.conn(), id)?.view();
                    events::append(tx, &actor, None, EventType::MailboxCreated, serde_json::json!({"mailbox": &view}));
                    Ok(view)
                })
            })
            .await;
        self.command_done("mailbox.create", &result);
        result
    }

    /// Changes a mailbox. Admins only.
    pub async fn update_mailbox(
        &self,
        actor: &Actor,
        id: i64,
        patch: MailboxPatch,
    ) -> AppResult<MailboxView> {
        require_admin(actor)?;
        let current = self.store().read(move |conn| get_in(conn, id)).await?;
        let name = patch
            .name
            .as_deref()
            .map(|n| parse_text("name", n, 1, 200))
            .transpose()?
            .unwrap_or(current.name.clone());
        let signature = patch
            .signature
            .as_deref()
            .map(|s| parse_text("signature", s, 0, 10_000))
            .transpose()?
            .unwrap_or(current.signature.clone());
        let templates = match patch.ack_templates {
            Some(t) => check_templates(t)?,
            None => current.ack_templates.clone(),
        };
        let imap = match &patch.imap {
            None => current.imap.clone(),
            Some(None) => None,
            Some(Some(input)) => Some(self.imap_config(input, current.imap.as_ref())?),
        };
        let smtp = match &patch.smtp {
            None => current.smtp.clone(),
            Some(None) => None,
            Some(Some(input)) => Some(self.smtp_config(input, current.smtp.as_ref())?),
        };
        let team_id = patch.team_id.unwrap_or(current.team_id);
        let auto_ack = patch.auto_ack.unwrap_or(current.auto_ack);
        let active = patch.active.unwrap_or(current.active);
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                if let Some(team_id) = team_id
                    && tx.conn().query_opt("SELECT id FROM teams WHERE id = $1", params![team_id])?.is_none()
                {
                    return Err(AppError::invalid("team_id", format!("There is no team {team_id}.")));
                }
                let changed = tx.conn().execute(
                    "UPDATE mailboxes SET name = $1, team_id = $2, signature = $3, auto_ack = $4, ack_templates = $5, imap = $6, smtp = $7, active = $8, updated_at = $9 WHERE id = $10",
                    params![
                        name.as_str(),
                        team_id,
                        signature.as_str(),
                        auto_ack,
                        serde_json::to_string(&templates)?,
                        imap.as_ref().map(serde_json::to_string).transpose()?,
                        smtp.as_ref().map(serde_json::to_string).transpose()?,
                        active,
                        time::now_micros(),
                        id
                    ],
                )?;
                if changed == 0 {
                    return Err(AppError::not_found("mailbox"));
                }
                let view = get_in(tx.conn(), id)?.view();
                events::append(tx, &actor, None, EventType::MailboxUpdated, serde_json::json!({"mailbox": &view}));
                Ok(view)
            })
            .await;
        self.command_done("mailbox.update", &result);
        result
    }

    /// Lists mailboxes. Admins only.
    pub async fn list_mailboxes(&self, actor: &Actor) -> AppResult<Page<MailboxView>> {
        require_admin(actor)?;
        let items = self.mailboxes().await?.iter().map(Mailbox::view).collect();
        Ok(Page {
            items,
            next_cursor: None,
        })
    }

    /// Gets a mailbox. Admins only.
    pub async fn get_mailbox(&self, actor: &Actor, id: i64) -> AppResult<MailboxView> {
        require_admin(actor)?;
        Ok(self
            .store()
            .read(move |conn| get_in(conn, id))
            .await?
            .view())
    }

    /// Every mailbox, for the email channel (no actor: the channel is tiski itself).
    pub async fn mailboxes(&self) -> AppResult<Vec<Mailbox>> {
        self.store()
            .read(|conn| {
                conn.query(&format!("SELECT {COLUMNS} FROM mailboxes ORDER BY id"), &[])?
                    .iter()
                    .map(read)
                    .collect()
            })
            .await
    }
}

fn require_admin(actor: &Actor) -> AppResult<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("Only admins may manage mailboxes."))
    }
}

fn parse_text(field: &str, text: &str, min: usize, max: usize) -> AppResult<String> {
    crate::refuse_nul(field, text)?;
    let text = text.trim();
    let count = text.chars().count();
    if count < min || count > max {
        return Err(AppError::invalid(
            field,
            format!("Give {min} to {max} characters."),
        ));
    }
    Ok(text.to_string())
}

fn check_templates(
    templates: BTreeMap<String, AckTemplate>,
) -> AppResult<BTreeMap<String, AckTemplate>> {
    let mut out = BTreeMap::new();
    for (language, template) in templates {
        let tag = LanguageTag::parse(&language)
            .map_err(|e| AppError::invalid(format!("ack_templates/{language}"), e.message))?;
        let field = format!("ack_templates/{tag}");
        let subject = parse_text(&format!("{field}/subject"), &template.subject, 1, 300)?;
        let body = parse_text(&format!("{field}/body"), &template.body, 1, 20_000)?;
        out.insert(tag.into_string(), AckTemplate { subject, body });
    }
    Ok(out)
}
