//! The composer's server side: an agent's unsent reply or note on a ticket (its draft, one
//! per agent and ticket, saved as they type) and the files they staged for it.
//!
//! Saving a draft or staging a file is bookkeeping, not a change of the ticket: nothing
//! anyone else reads changes, the text is personal data that must not reach the event log,
//! and a save every second of typing would drown a ticket's history. So these run as
//! commands (permission first, one transaction) that append no event; only the message
//! they become does (`message.added`). Colleagues learn that a draft exists from the
//! presence poll, which asks [`Ticketing::draft_owners`]; they never see its text.

use crate::rules::compose::{clean_composed, html_of_text, text_of_html};
use crate::rules::message::{File, file_meta};
use crate::{Ticketing, repo};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tiski_domain::{FieldError, MessageKind, Permission};
use tiski_kernel::{Actor, AppError, AppResult, Conn, Tx, blobs, time};

/// How long a staged file waits for its reply before the pruner removes it.
pub const STAGED_FILE_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// A draft as stored.
pub(crate) struct DraftRow {
    pub(crate) kind: MessageKind,
    pub(crate) html: String,
    pub(crate) updated_at: i64,
}

/// The caller's own draft on a ticket.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DraftView {
    /// The ticket.
    pub ticket_id: i64,
    /// `reply` or `note`.
    pub kind: MessageKind,
    /// The formatted text, cleaned to the composer's tags.
    pub html: String,
    /// Its plain-text part, as it would be sent.
    pub body: String,
    /// When it was last saved (RFC 3339); absent when only files are staged.
    pub updated_at: Option<String>,
    /// The files staged for it.
    pub attachments: Vec<StagedFile>,
}

/// A draft as the caller saves it: `html` from the editor, or `body` as plain text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDraft {
    /// `reply` (default) or `note`.
    pub kind: Option<MessageKind>,
    /// The formatted text; cleaned to the composer's tags before it is stored.
    pub html: Option<String>,
    /// Plain text, when there is no `html`.
    pub body: Option<String>,
}

/// Someone else's unsent draft on a ticket: who and since when, never its text.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DraftOwner {
    /// The agent.
    pub user_id: i64,
    /// Their display name.
    pub name: String,
    /// When they last saved it (RFC 3339).
    pub updated_at: String,
}

/// A file staged for a reply, before it is sent.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StagedFile {
    /// Id, named when the reply is sent.
    pub id: i64,
    /// The ticket it is staged on.
    pub ticket_id: i64,
    /// File name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// When it was uploaded (RFC 3339).
    pub created_at: String,
}

impl Ticketing {
    /// The caller's draft on a ticket they see, with its staged files; 404 when there is
    /// neither.
    pub async fn draft(&self, actor: &Actor, ticket_id: i64) -> AppResult<DraftView> {
        let grant = actor.grant(Permission::MessageAdd)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                repo::tickets::get_visible(conn, &actor, ticket_id)?;
                draft_view(conn, actor.id, ticket_id)?.ok_or(AppError::not_found("draft"))
            })
            .await
    }

    /// Saves the caller's draft on a ticket they see (bookkeeping: no event, see the module
    /// documentation). A draft with no text left is removed; then `None`.
    pub async fn save_draft(
        &self,
        actor: &Actor,
        ticket_id: i64,
        input: NewDraft,
    ) -> AppResult<Option<DraftView>> {
        let grant = actor.grant(Permission::MessageAdd)?;
        let limits = self.limits();
        let html = match (&input.html, &input.body) {
            (Some(html), _) => {
                crate::rules::refuse_nul("html", html)?;
                if html.len() > 4 * limits.body_bytes {
                    return Err(FieldError::new(
                        "html",
                        format!(
                            "A draft may have at most {} KiB.",
                            4 * limits.body_bytes / 1024
                        ),
                    )
                    .into());
                }
                clean_composed(html)
            }
            (None, Some(body)) => {
                crate::rules::refuse_nul("body", body)?;
                if body.len() > limits.body_bytes {
                    return Err(FieldError::new(
                        "body",
                        format!("A draft may have at most {} KiB.", limits.body_bytes / 1024),
                    )
                    .into());
                }
                html_of_text(body)
            }
            (None, None) => {
                return Err(FieldError::new("html", "Give the draft's html or body.").into());
            }
        };
        let empty = text_of_html(&html).trim().is_empty();
        let kind = input.kind.unwrap_or(MessageKind::Reply);
        let actor = actor.clone();
        self.kernel
            .command(&grant, "draft.save", move |tx| {
                repo::tickets::get_visible(tx.conn(), &actor, ticket_id)?;
                if empty {
                    repo::drafts::delete(tx.conn(), ticket_id, actor.id)?;
                    return Ok(None);
                }
                let now = tx.now();
                repo::drafts::put(tx.conn(), ticket_id, actor.id, kind, &html, now)?;
                draft_view(tx.conn(), actor.id, ticket_id)
            })
            .await
    }

    /// Discards the caller's draft on a ticket they see, with the files staged for it.
    pub async fn delete_draft(&self, actor: &Actor, ticket_id: i64) -> AppResult<()> {
        let grant = actor.grant(Permission::MessageAdd)?;
        let actor = actor.clone();
        let ports = self.ports.clone();
        self.kernel
            .command(&grant, "draft.delete", move |tx| {
                repo::tickets::get_visible(tx.conn(), &actor, ticket_id)?;
                repo::drafts::delete(tx.conn(), ticket_id, actor.id)?;
                let ids: Vec<i64> = repo::drafts::staged_of(tx.conn(), actor.id, ticket_id)?
                    .iter()
                    .map(|f| f.id)
                    .collect();
                let digests = repo::drafts::unstage(tx.conn(), &ids)?;
                drop_unused_blobs(tx, &ports, &digests)
            })
            .await
    }

    /// The others who have an unsent draft (or staged files) on a ticket the caller sees,
    /// most recent first: names and times only.
    pub async fn draft_owners(&self, actor: &Actor, ticket_id: i64) -> AppResult<Vec<DraftOwner>> {
        let grant = actor.grant(Permission::TicketRead)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                repo::tickets::get_visible(conn, &actor, ticket_id)?;
                let owners = repo::drafts::owners(conn, ticket_id)?;
                if owners.iter().all(|(user, _)| *user == actor.id) {
                    return Ok(Vec::new());
                }
                let names = tiski_staff::lookup::display_names(conn)?;
                Ok(owners
                    .into_iter()
                    .filter(|(user, _)| *user != actor.id)
                    .map(|(user_id, at)| DraftOwner {
                        user_id,
                        name: names.get(&user_id).cloned().unwrap_or_default(),
                        updated_at: time::format(at),
                    })
                    .collect())
            })
            .await
    }

    /// Stages a file for the caller's reply on a ticket they see, within the message limits
    /// (files per message, bytes per file, bytes together; counted with the files already
    /// staged there). Errors name the field `file`.
    pub async fn stage_file(
        &self,
        actor: &Actor,
        ticket_id: i64,
        filename: &str,
        content_type: Option<&str>,
        bytes: Vec<u8>,
    ) -> AppResult<StagedFile> {
        let grant = actor.grant(Permission::MessageAdd)?;
        let limits = self.limits();
        let (filename, content_type) = file_meta("file", filename, content_type)?;
        if bytes.len() > limits.attachment_bytes {
            return Err(too_large(limits.attachment_bytes, "An attachment"));
        }
        let actor = actor.clone();
        let bytes = std::sync::Arc::new(bytes);
        self.kernel
            .command(&grant, "file.stage", move |tx| {
                repo::tickets::get_visible(tx.conn(), &actor, ticket_id)?;
                let staged = repo::drafts::staged_of(tx.conn(), actor.id, ticket_id)?;
                if staged.len() >= limits.attachments {
                    return Err(FieldError::new(
                        "file",
                        format!("At most {} attachments.", limits.attachments),
                    )
                    .into());
                }
                let together: i64 = staged.iter().map(|f| f.size).sum();
                if together as usize + bytes.len() > limits.attachments_bytes {
                    return Err(too_large(limits.attachments_bytes, "Attachments together"));
                }
                let digest = blobs::put(tx, &bytes)?;
                let now = tx.now();
                let size = bytes.len() as i64;
                let id = repo::drafts::stage(
                    tx.conn(),
                    actor.id,
                    ticket_id,
                    &filename,
                    &content_type,
                    size,
                    &digest,
                    now,
                )?;
                Ok(StagedFile {
                    id,
                    ticket_id,
                    filename: filename.clone(),
                    content_type: content_type.clone(),
                    size,
                    created_at: time::format(now),
                })
            })
            .await
    }

    /// Removes a file the caller staged; 404 for anyone else's.
    pub async fn unstage_file(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let grant = actor.grant(Permission::MessageAdd)?;
        let actor = actor.clone();
        let ports = self.ports.clone();
        self.kernel
            .command(&grant, "file.unstage", move |tx| {
                repo::drafts::staged_one(tx.conn(), actor.id, id)?
                    .ok_or(AppError::not_found("file"))?;
                let digests = repo::drafts::unstage(tx.conn(), &[id])?;
                drop_unused_blobs(tx, &ports, &digests)
            })
            .await
    }

    /// One step of the pruner: up to `limit` staged files older than a day (kernel clock)
    /// go, with the bytes nothing else uses. Answers how many.
    pub async fn prune_staged(&self, limit: i64) -> AppResult<usize> {
        let ports = self.ports.clone();
        self.kernel
            .housekeeping("prune-staged", move |tx| {
                let before = tx.now() - time::micros(STAGED_FILE_LIFETIME);
                let ids = repo::drafts::staged_before(tx.conn(), before, limit)?;
                let digests = repo::drafts::unstage(tx.conn(), &ids)?;
                drop_unused_blobs(tx, &ports, &digests)?;
                Ok(ids.len())
            })
            .await
    }
}

fn too_large(bytes: usize, what: &str) -> AppError {
    FieldError::new(
        "file",
        format!("{what} may have at most {} MiB.", bytes / (1024 * 1024)),
    )
    .into()
}

/// The draft of `user_id` on `ticket_id` with its staged files, if there is either.
fn draft_view(conn: &mut dyn Conn, user_id: i64, ticket_id: i64) -> AppResult<Option<DraftView>> {
    let row = repo::drafts::get(conn, ticket_id, user_id)?;
    let attachments = repo::drafts::staged_of(conn, user_id, ticket_id)?;
    if row.is_none() && attachments.is_empty() {
        return Ok(None);
    }
    let (kind, html, updated_at) = match row {
        Some(row) => (row.kind, row.html, Some(time::format(row.updated_at))),
        None => (MessageKind::Reply, String::new(), None),
    };
    Ok(Some(DraftView {
        ticket_id,
        kind,
        body: text_of_html(&html),
        html,
        updated_at,
        attachments,
    }))
}

/// The staged files `ids` of `user_id` on `ticket_id`, with their bytes, to send with a
/// reply; a file that is not theirs there answers 422 on `attachments`.
pub(crate) fn staged_files(
    conn: &mut dyn Conn,
    user_id: i64,
    ticket_id: i64,
    ids: &[i64],
) -> AppResult<Vec<File>> {
    let mut files = Vec::with_capacity(ids.len());
    for id in ids {
        let found = repo::drafts::staged_one(conn, user_id, *id)?
            .filter(|(file, _)| file.ticket_id == ticket_id);
        let Some((file, digest)) = found else {
            return Err(FieldError::new(
                "attachments",
                format!("File {id} is not staged for this ticket; upload it again."),
            )
            .into());
        };
        files.push(File {
            filename: Some(file.filename),
            content_type: file.content_type,
            content_id: None,
            inline: false,
            bytes: blobs::get(conn, &digest)?,
        });
    }
    Ok(files)
}

/// After a reply went out: its staged files and the draft it was are gone.
pub(crate) fn sent(
    tx: &mut Tx<'_, '_>,
    user_id: i64,
    ticket_id: i64,
    staged: &[i64],
) -> AppResult<()> {
    repo::drafts::delete(tx.conn(), ticket_id, user_id)?;
    // The bytes live on as the message's files (same digest), so no blob is freed here.
    repo::drafts::unstage(tx.conn(), staged)?;
    Ok(())
}

/// Deletes the blobs among `digests` that no file, staged file or channel copy uses.
pub(crate) fn drop_unused_blobs(
    tx: &mut Tx<'_, '_>,
    ports: &crate::Ports,
    digests: &[String],
) -> AppResult<()> {
    for digest in digests {
        let mut used = repo::erasure::attachment_uses_blob(tx.conn(), digest)?
            || repo::drafts::staged_uses_blob(tx.conn(), digest)?;
        for port in &ports.channel_data {
            used = used || port.uses_blob(tx.conn(), digest)?;
        }
        if !used {
            blobs::delete(tx.conn(), digest)?;
        }
    }
    Ok(())
}
