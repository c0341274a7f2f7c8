//! The mailboxes page: every mailbox, the form for a new one or for changing one with its IMAP
//! and SMTP settings, and how that form is read back (a refusal shows on the page).

use super::{require, team_names};
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::{Fields, FormBody, QueryFields};
use crate::ui::{Choice, Chrome, UiError, UiResult, html, redirect};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use tiski_domain::Permission;
use tiski_email::{
    ImapAfter, ImapInput, MailboxPatch, MailboxView, NewMailbox, SmtpInput, TlsMode,
};
use tiski_kernel::AppError;
use tiski_staff::TeamView;

/// A mailbox row.
pub struct MailboxRow {
    /// Id.
    pub id: i64,
    /// Address.
    pub address: String,
    /// Display name.
    pub name: String,
    /// Team.
    pub team: String,
    /// Whether IMAP polling is configured.
    pub imap: bool,
    /// Whether an SMTP relay is configured.
    pub smtp: bool,
    /// Whether it is active.
    pub active: bool,
    /// The default mailbox (replies on tickets without one of their own go out through it).
    pub default: bool,
}

/// The fields of the mailbox form, empty for a new mailbox. Never holds a password.
pub struct MailboxForm {
    /// The mailbox being edited, `None` for a new one.
    pub id: Option<i64>,
    /// Address.
    pub address: String,
    /// Display name.
    pub name: String,
    /// Team choices.
    pub teams: Vec<Choice>,
    /// Signature.
    pub signature: String,
    /// Auto-acknowledgement.
    pub auto_ack: bool,
    /// Active.
    pub active: bool,
    /// The default mailbox.
    pub default: bool,
    /// Whether IMAP is configured.
    pub imap_set: bool,
    /// IMAP host.
    pub imap_host: String,
    /// IMAP port.
    pub imap_port: String,
    /// IMAP security choices.
    pub imap_tls: Vec<Choice>,
    /// IMAP user name.
    pub imap_username: String,
    /// Whether an IMAP password is stored.
    pub imap_password_set: bool,
    /// Whether the IMAP login may go without TLS.
    pub imap_plain_auth: bool,
    /// IMAP folder.
    pub imap_folder: String,
    /// After-storing choices.
    pub imap_after: Vec<Choice>,
    /// Target folder of `move`.
    pub imap_move_to: String,
    /// Whether SMTP is configured.
    pub smtp_set: bool,
    /// SMTP host.
    pub smtp_host: String,
    /// SMTP port.
    pub smtp_port: String,
    /// SMTP security choices.
    pub smtp_tls: Vec<Choice>,
    /// SMTP user name.
    pub smtp_username: String,
    /// Whether an SMTP password is stored.
    pub smtp_password_set: bool,
    /// Whether the SMTP login may go without TLS.
    pub smtp_plain_auth: bool,
}

const TLS_MODES: [(TlsMode, &str); 3] = [
    (TlsMode::Implicit, "implicit"),
    (TlsMode::Starttls, "starttls"),
    (TlsMode::None, "none"),
];

const IMAP_AFTER: [(ImapAfter, &str); 3] = [
    (ImapAfter::MarkSeen, "mark_seen"),
    (ImapAfter::Move, "move"),
    (ImapAfter::Delete, "delete"),
];

fn tls_choices(ui: &Ui, current: TlsMode) -> Vec<Choice> {
    TLS_MODES
        .iter()
        .map(|(mode, value)| {
            Choice::new(*value, ui.tr.t(&format!("tls-{value}")), *mode == current)
        })
        .collect()
}

fn after_choices(ui: &Ui, current: ImapAfter) -> Vec<Choice> {
    IMAP_AFTER
        .iter()
        .map(|(after, value)| {
            Choice::new(
                *value,
                ui.tr.t(&format!("imap-after-{}", value.replace('_', "-"))),
                *after == current,
            )
        })
        .collect()
}

impl MailboxForm {
    fn new(ui: &Ui, teams: &[TeamView], mailbox: Option<&MailboxView>) -> MailboxForm {
        let imap = mailbox.and_then(|m| m.imap.as_ref());
        let smtp = mailbox.and_then(|m| m.smtp.as_ref());
        let team_id = mailbox.and_then(|m| m.team_id);
        MailboxForm {
            id: mailbox.map(|m| m.id),
            address: mailbox.map(|m| m.address.clone()).unwrap_or_default(),
            name: mailbox.map(|m| m.name.clone()).unwrap_or_default(),
            teams: teams
                .iter()
                .map(|t| Choice::new(t.id.to_string(), t.name.clone(), team_id == Some(t.id)))
                .collect(),
            signature: mailbox.map(|m| m.signature.clone()).unwrap_or_default(),
            auto_ack: mailbox.is_none_or(|m| m.auto_ack),
            active: mailbox.is_none_or(|m| m.active),
            default: mailbox.is_some_and(|m| m.default),
            imap_set: imap.is_some(),
            imap_host: imap.map(|i| i.host.clone()).unwrap_or_default(),
            imap_port: imap.map(|i| i.port.to_string()).unwrap_or_default(),
            imap_tls: tls_choices(ui, imap.map_or(TlsMode::Implicit, |i| i.tls)),
            imap_username: imap.map(|i| i.username.clone()).unwrap_or_default(),
            imap_password_set: imap.is_some_and(|i| i.password_set),
            imap_plain_auth: imap.is_some_and(|i| i.allow_plain_auth),
            imap_folder: imap.map(|i| i.folder.clone()).unwrap_or_default(),
            imap_after: after_choices(ui, imap.map_or(ImapAfter::MarkSeen, |i| i.after)),
            imap_move_to: imap.and_then(|i| i.move_to.clone()).unwrap_or_default(),
            smtp_set: smtp.is_some(),
            smtp_host: smtp.map(|s| s.host.clone()).unwrap_or_default(),
            smtp_port: smtp.map(|s| s.port.to_string()).unwrap_or_default(),
            smtp_tls: tls_choices(ui, smtp.map_or(TlsMode::Starttls, |s| s.tls)),
            smtp_username: smtp.and_then(|s| s.username.clone()).unwrap_or_default(),
            smtp_password_set: smtp.is_some_and(|s| s.password_set),
            smtp_plain_auth: smtp.is_some_and(|s| s.allow_plain_auth),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_mailboxes.html")]
struct MailboxesPage {
    c: Chrome,
    rows: Vec<MailboxRow>,
    form: MailboxForm,
    notice: Option<String>,
    error: Option<String>,
}

/// `GET /admin/mailboxes`; `?edit={id}` shows that mailbox's settings instead of the form
/// for a new one.
pub async fn mailboxes(
    State(app): State<AppState>,
    ui: Ui,
    QueryFields(query): QueryFields,
) -> UiResult {
    require(&ui, Permission::MailboxManage)?;
    let notice = query.get("done").map(|_| ui.tr.t("saved"));
    mailboxes_page(&app, &ui, query.id("edit"), notice, None).await
}

async fn mailboxes_page(
    app: &tiski_app::App,
    ui: &Ui,
    edit: Option<i64>,
    notice: Option<String>,
    error: Option<UiError>,
) -> UiResult {
    let err = |e| UiError::from_app(ui, e);
    let (boxes, teams) = tokio::try_join!(
        app.email.list_mailboxes(&ui.actor),
        app.staff.list_teams(&ui.actor, Some(200), None),
    )
    .map_err(err)?;
    let editing = match edit {
        Some(id) => Some(
            boxes
                .items
                .iter()
                .find(|m| m.id == id)
                .ok_or_else(|| UiError::new(ui, StatusCode::NOT_FOUND, "error-not-found"))?,
        ),
        None => None,
    };
    let status = error.as_ref().map(|e| e.status);
    let page = MailboxesPage {
        rows: boxes
            .items
            .iter()
            .map(|m| MailboxRow {
                id: m.id,
                address: m.address.clone(),
                name: m.name.clone(),
                team: team_names(&teams.items, &m.team_id.into_iter().collect::<Vec<_>>()),
                imap: m.imap.is_some(),
                smtp: m.smtp.is_some(),
                active: m.active,
                default: m.default,
            })
            .collect(),
        form: MailboxForm::new(ui, &teams.items, editing),
        notice,
        error: error.map(|e| e.message),
        c: Chrome::new(ui, "admin", ui.tr.t("admin-mailboxes")),
    };
    let mut response = html(&page);
    if let Some(status) = status {
        *response.status_mut() = status;
    }
    Ok(response)
}

/// The port field, when given.
fn port(form: &Fields, name: &str, field: &str) -> Result<Option<u16>, AppError> {
    match form.text(name) {
        None => Ok(None),
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .map(Some)
            .ok_or_else(|| AppError::invalid(field, "The port must be a number from 1 to 65535.")),
    }
}

fn tls(form: &Fields, name: &str) -> Option<TlsMode> {
    let value = form.get(name)?;
    TLS_MODES.iter().find(|(_, v)| *v == value).map(|(m, _)| *m)
}

/// A password field: empty keeps the stored one. Not trimmed: spaces may belong to it.
fn password(form: &Fields, name: &str) -> Option<String> {
    form.get(name).filter(|p| !p.is_empty()).map(str::to_string)
}

/// The IMAP settings of the form: `None` when no host is given.
fn imap_input(form: &Fields) -> Result<Option<ImapInput>, AppError> {
    let Some(host) = form.text("imap_host") else {
        return Ok(None);
    };
    let after = form
        .get("imap_after")
        .and_then(|v| IMAP_AFTER.iter().find(|(_, a)| *a == v).map(|(a, _)| *a));
    Ok(Some(ImapInput {
        host,
        port: port(form, "imap_port", "imap.port")?,
        tls: tls(form, "imap_tls"),
        username: form.get("imap_username").unwrap_or("").trim().to_string(),
        password: password(form, "imap_password"),
        folder: form.text("imap_folder"),
        after,
        move_to: form.text("imap_move_to"),
        allow_plain_auth: Some(form.checked("imap_plain_auth")),
    }))
}

/// The SMTP settings of the form: `None` when no host is given.
fn smtp_input(form: &Fields) -> Result<Option<SmtpInput>, AppError> {
    let Some(host) = form.text("smtp_host") else {
        return Ok(None);
    };
    Ok(Some(SmtpInput {
        host,
        port: port(form, "smtp_port", "smtp.port")?,
        tls: tls(form, "smtp_tls"),
        username: form.text("smtp_username"),
        password: password(form, "smtp_password"),
        allow_plain_auth: Some(form.checked("smtp_plain_auth")),
    }))
}

/// `POST /admin/mailboxes`: a new mailbox with its IMAP and SMTP settings. A refusal shows
/// on the page as a notice naming the field.
pub async fn mailbox_create(
    State(app): State<AppState>,
    ui: Ui,
    FormBody(form): FormBody,
) -> UiResult {
    require(&ui, Permission::MailboxManage)?;
    let result = async {
        let input = NewMailbox {
            address: form.get("address").unwrap_or("").trim().to_string(),
            name: form.get("name").unwrap_or("").trim().to_string(),
            team_id: form.id("team_id"),
            signature: Some(form.get("signature").unwrap_or("").to_string()),
            auto_ack: Some(form.checked("auto_ack")),
            ack_templates: None,
            imap: imap_input(&form)?,
            smtp: smtp_input(&form)?,
            default: Some(form.checked("default")),
        };
        app.email.create_mailbox(&ui.actor, input, None).await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect(&ui, "/admin/mailboxes?done=1")),
        Err(e) => refused(&app, &ui, None, e).await,
    }
}

/// `POST /admin/mailboxes/{id}`: changes a mailbox. Empty password fields keep the stored
/// passwords; the remove boxes drop the IMAP or SMTP settings.
pub async fn mailbox_update(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    require(&ui, Permission::MailboxManage)?;
    let result = async {
        let imap = if form.checked("imap_remove") {
            Some(None)
        } else {
            imap_input(&form)?.map(Some)
        };
        let smtp = if form.checked("smtp_remove") {
            Some(None)
        } else {
            smtp_input(&form)?.map(Some)
        };
        let patch = MailboxPatch {
            name: Some(form.get("name").unwrap_or("").trim().to_string()),
            team_id: Some(form.id("team_id")),
            signature: Some(form.get("signature").unwrap_or("").to_string()),
            auto_ack: Some(form.checked("auto_ack")),
            ack_templates: None,
            imap,
            smtp,
            active: Some(form.checked("active")),
            // Unchecking the default changes nothing: another mailbox has to take it over.
            default: form.checked("default").then_some(true),
        };
        app.email.update_mailbox(&ui.actor, id, patch).await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect(&ui, "/admin/mailboxes?done=1")),
        Err(e) => refused(&app, &ui, Some(id), e).await,
    }
}

/// The mailboxes page again with the reason a change was refused.
async fn refused(app: &tiski_app::App, ui: &Ui, edit: Option<i64>, error: AppError) -> UiResult {
    let error = UiError::from_app(ui, error);
    if ui.htmx
        || !matches!(
            error.status,
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
        )
    {
        return Err(error);
    }
    mailboxes_page(app, ui, edit, None, Some(error)).await
}
