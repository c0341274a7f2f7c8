//! Mailbox commands and queries, for admins and for the email channel.

use super::{
    ImapAfter, ImapConfig, ImapInput, Mailbox, MailboxPatch, MailboxSettings, MailboxView,
    NewMailbox, SmtpConfig, SmtpInput, TlsMode, rules,
};
use crate::{Email, repo};
use tiski_domain::event::{MailboxCreated, MailboxField, MailboxUpdated};
use tiski_domain::{EmailAddress, Permission};
use tiski_kernel::{
    Actor, AppError, AppResult, ErrorCode, Idempotency, Page, Stored, Tx, idempotency, net,
};

fn check_team(tx: &mut Tx<'_, '_>, team_id: Option<i64>) -> AppResult<()> {
    if let Some(team_id) = team_id
        && !tiski_staff::lookup::team_exists(tx.conn(), team_id)?
    {
        return Err(AppError::invalid(
            "team_id",
            format!("There is no team {team_id}."),
        ));
    }
    Ok(())
}

/// Which settings differ between two mailboxes.
fn changed(before: &Mailbox, after: &MailboxSettings) -> Vec<MailboxField> {
    [
        (MailboxField::Name, before.name != after.name),
        (MailboxField::Team, before.team_id != after.team_id),
        (MailboxField::Signature, before.signature != after.signature),
        (MailboxField::AutoAck, before.auto_ack != after.auto_ack),
        (
            MailboxField::AckTemplates,
            before.ack_templates != after.ack_templates,
        ),
        (MailboxField::Imap, json(&before.imap) != json(&after.imap)),
        (MailboxField::Smtp, json(&before.smtp) != json(&after.smtp)),
        (MailboxField::Active, before.active != after.active),
    ]
    .into_iter()
    .filter(|(_, c)| *c)
    .map(|(f, _)| f)
    .collect()
}

/// Settings compared by their stored JSON.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

impl Email {
    fn seal(&self, field: &str, password: &str) -> AppResult<String> {
        if password.is_empty() || password.len() > 1024 || password.contains('\0') {
            return Err(AppError::invalid(
                field,
                "The password must have 1 to 1024 bytes.",
            ));
        }
        self.secret_key.encrypt(password)
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
            .map(|f| rules::folder("imap.move_to", f))
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
        let host = rules::host("imap.host", &input.host)?;
        let port = input
            .port
            .unwrap_or(if tls == TlsMode::Implicit { 993 } else { 143 });
        let allow_plain_auth = input.allow_plain_auth.unwrap_or(false);
        rules::plain_auth("imap", tls, true, allow_plain_auth)?;
        let kept = previous
            .filter(|p| {
                rules::same_target(
                    (&p.host, p.port, Some(&p.username)),
                    (&host, port, Some(username)),
                )
            })
            .map(|p| p.password_sealed.clone());
        let password_sealed = match &input.password {
            Some(p) => Some(self.seal("imap.password", p)?),
            None => rules::kept_password(
                "imap.password",
                previous.map(|p| p.password_sealed.is_some()),
                kept,
            )?,
        };
        Ok(ImapConfig {
            host,
            port,
            tls,
            username: username.to_string(),
            password_sealed,
            folder: rules::folder("imap.folder", input.folder.as_deref().unwrap_or("INBOX"))?,
            after,
            move_to,
            allow_plain_auth,
        })
    }

    fn smtp_config(
        &self,
        input: &SmtpInput,
        previous: Option<&SmtpConfig>,
    ) -> AppResult<SmtpConfig> {
        let tls = input.tls.unwrap_or(TlsMode::Starttls);
        let host = rules::host("smtp.host", &input.host)?;
        let port = input.port.unwrap_or(match tls {
            TlsMode::Implicit => 465,
            TlsMode::Starttls => 587,
            TlsMode::None => 25,
        });
        let username = input
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string);
        let allow_plain_auth = input.allow_plain_auth.unwrap_or(false);
        let kept = previous
            .filter(|p| {
                rules::same_target(
                    (&p.host, p.port, p.username.as_deref()),
                    (&host, port, username.as_deref()),
                )
            })
            .map(|p| p.password_sealed.clone());
        let password_sealed = match &input.password {
            Some(p) => Some(self.seal("smtp.password", p)?),
            None if username.is_none() => None,
            None => rules::kept_password(
                "smtp.password",
                previous.map(|p| p.password_sealed.is_some()),
                kept,
            )?,
        };
        rules::plain_auth("smtp", tls, username.is_some(), allow_plain_auth)?;
        Ok(SmtpConfig {
            host,
            port,
            tls,
            username,
            password_sealed,
            allow_plain_auth,
        })
    }

    /// Refuses IMAP and SMTP hosts that are (or resolve to) addresses that are not public,
    /// unless the operator allows them (`allow_private_network`): a mailbox must not turn
    /// the server into a probe of its own network.
    async fn check_hosts(
        &self,
        imap: Option<&ImapConfig>,
        smtp: Option<&SmtpConfig>,
    ) -> AppResult<()> {
        let allow = self.kernel.settings().allow_private_network;
        let hosts = [
            imap.map(|c| ("imap.host", c.host.as_str())),
            smtp.map(|c| ("smtp.host", c.host.as_str())),
        ];
        for (field, host) in hosts.into_iter().flatten() {
            net::check_host(host, allow)
                .await
                .map_err(|refused| AppError::invalid(field, refused.to_string()))?;
        }
        Ok(())
    }

    /// Decrypts a stored password for the poller or the sender.
    pub fn unseal(&self, sealed: &str) -> Result<String, String> {
        self.secret_key.decrypt(sealed)
    }

    /// Creates a mailbox. Admins only.
    pub async fn create_mailbox(
        &self,
        actor: &Actor,
        input: NewMailbox,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<MailboxView>> {
        let grant = actor.grant(Permission::MailboxManage)?;
        let address = EmailAddress::parse(&input.address).map_err(|e| e.at("address"))?;
        let settings = MailboxSettings {
            name: rules::text("name", &input.name, 1, 200)?,
            team_id: input.team_id,
            signature: rules::text(
                "signature",
                input.signature.as_deref().unwrap_or(""),
                0,
                10_000,
            )?,
            auto_ack: input.auto_ack.unwrap_or(true),
            ack_templates: rules::templates(input.ack_templates.unwrap_or_default())?,
            imap: input
                .imap
                .as_ref()
                .map(|i| self.imap_config(i, None))
                .transpose()?,
            smtp: input
                .smtp
                .as_ref()
                .map(|s| self.smtp_config(s, None))
                .transpose()?,
            active: true,
        };
        self.check_hosts(settings.imap.as_ref(), settings.smtp.as_ref())
            .await?;
        let make_default = input.default == Some(true);
        self.kernel
            .command(&grant, "mailbox.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    if repo::mailboxes::address_taken(tx.conn(), address.as_str())? {
                        return Err(AppError::conflict(
                            ErrorCode::MailboxExists,
                            "address",
                            format!("A mailbox for {address} already exists."),
                        ));
                    }
                    check_team(tx, settings.team_id)?;
                    let now = tx.now();
                    let id = repo::mailboxes::insert(tx.conn(), address.as_str(), &settings, now)?;
                    if make_default || !repo::mailboxes::has_default(tx.conn())? {
                        repo::mailboxes::set_default(tx.conn(), id)?;
                    }
                    tx.emit(
                        None,
                        MailboxCreated {
                            mailbox_id: id,
                            address: address.to_string(),
                            team_id: settings.team_id,
                        },
                    )?;
                    Ok(repo::mailboxes::get(tx.conn(), id)?.view())
                })
            })
            .await
    }

    /// Changes a mailbox. Admins only.
    pub async fn update_mailbox(
        &self,
        actor: &Actor,
        id: i64,
        patch: MailboxPatch,
    ) -> AppResult<MailboxView> {
        let grant = actor.grant(Permission::MailboxManage)?;
        let current = self
            .kernel
            .query(&grant, move |conn| repo::mailboxes::get(conn, id))
            .await?;
        if patch.default == Some(false) && current.is_default {
            return Err(AppError::invalid(
                "default",
                "There is always one default mailbox: mark another one as the default instead.",
            ));
        }
        let make_default = patch.default == Some(true) && !current.is_default;
        let settings = MailboxSettings {
            name: match patch.name.as_deref() {
                Some(n) => rules::text("name", n, 1, 200)?,
                None => current.name.clone(),
            },
            team_id: patch.team_id.unwrap_or(current.team_id),
            signature: match patch.signature.as_deref() {
                Some(s) => rules::text("signature", s, 0, 10_000)?,
                None => current.signature.clone(),
            },
            auto_ack: patch.auto_ack.unwrap_or(current.auto_ack),
            ack_templates: match patch.ack_templates {
                Some(t) => rules::templates(t)?,
                None => current.ack_templates.clone(),
            },
            imap: match &patch.imap {
                None => current.imap.clone(),
                Some(None) => None,
                Some(Some(input)) => Some(self.imap_config(input, current.imap.as_ref())?),
            },
            smtp: match &patch.smtp {
                None => current.smtp.clone(),
                Some(None) => None,
                Some(Some(input)) => Some(self.smtp_config(input, current.smtp.as_ref())?),
            },
            active: patch.active.unwrap_or(current.active),
        };
        self.check_hosts(
            settings
                .imap
                .as_ref()
                .filter(|_| matches!(patch.imap, Some(Some(_)))),
            settings
                .smtp
                .as_ref()
                .filter(|_| matches!(patch.smtp, Some(Some(_)))),
        )
        .await?;
        self.kernel
            .command(&grant, "mailbox.update", move |tx| {
                check_team(tx, settings.team_id)?;
                let before = repo::mailboxes::get(tx.conn(), id)?;
                let now = tx.now();
                if !repo::mailboxes::update(tx.conn(), id, &settings, now)? {
                    return Err(AppError::not_found("mailbox"));
                }
                let mut changed = changed(&before, &settings);
                if make_default {
                    repo::mailboxes::set_default(tx.conn(), id)?;
                    changed.push(MailboxField::Default);
                }
                tx.emit(
                    None,
                    MailboxUpdated {
                        mailbox_id: id,
                        changed,
                    },
                )?;
                Ok(repo::mailboxes::get(tx.conn(), id)?.view())
            })
            .await
    }

    /// Lists mailboxes. Admins only.
    pub async fn list_mailboxes(&self, actor: &Actor) -> AppResult<Page<MailboxView>> {
        actor.grant(Permission::MailboxManage)?;
        let items = self.mailboxes().await?.iter().map(Mailbox::view).collect();
        Ok(Page {
            items,
            next_cursor: None,
        })
    }

    /// Gets a mailbox. Admins only.
    pub async fn get_mailbox(&self, actor: &Actor, id: i64) -> AppResult<MailboxView> {
        let grant = actor.grant(Permission::MailboxManage)?;
        Ok(self
            .kernel
            .query(&grant, move |conn| repo::mailboxes::get(conn, id))
            .await?
            .view())
    }

    /// Every mailbox with its settings, for the email channel (tiski itself reads them).
    pub async fn mailboxes(&self) -> AppResult<Vec<Mailbox>> {
        self.kernel.read_internal(repo::mailboxes::all).await
    }

    /// The active mailbox for an address, for the SMTP listener's RCPT check.
    pub async fn mailbox_for_address(&self, address: &str) -> AppResult<Option<Mailbox>> {
        let address = address.trim().to_lowercase();
        self.kernel
            .read_internal(move |conn| repo::mailboxes::active_of_address(conn, &address))
            .await
    }
}
