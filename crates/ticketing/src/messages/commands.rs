//! Message commands and queries: add a reply or note, list a ticket's messages, download a
//! file.

use super::{AttachmentView, MessageView, NewMessage};
use crate::tickets::{self, NewTicketRow};
use crate::{Ticketing, repo};
use tiski_domain::{AuthorKind, MessageKind, Permission, Status};
use tiski_kernel::{
    Actor, AppError, AppResult, ErrorCode, Idempotency, Page, Stored, blobs, cursor, idempotency,
};

impl Ticketing {
    /// Adds a reply or note to a ticket the actor may see. A customer message on a closed
    /// ticket opens a follow-up ticket linked to it and lands there. Reactions of other
    /// contexts (an email reply queued for sending) run in the same transaction.
    pub async fn add_message(
        &self,
        actor: &Actor,
        ticket_id: i64,
        input: NewMessage,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<MessageView>> {
        self.add(actor, ticket_id, input, idempotency, None).await
    }

    /// Sends what the agent wrote in the workspace's composer: the message with the files
    /// they staged for it (`staged`, ids of [`StagedFile`](crate::StagedFile)s of theirs on
    /// this ticket, counted against the message limits with any given inline). Their draft
    /// and the staged files go in the same transaction.
    pub async fn send_composed(
        &self,
        actor: &Actor,
        ticket_id: i64,
        input: NewMessage,
        staged: Vec<i64>,
    ) -> AppResult<MessageView> {
        let mut staged = staged;
        staged.sort_unstable();
        staged.dedup();
        if staged.len() > self.limits().attachments {
            return Err(AppError::invalid(
                "attachments",
                format!("At most {} attachments.", self.limits().attachments),
            ));
        }
        // Without an idempotency key nothing is replayed.
        match self
            .add(actor, ticket_id, input, None, Some(staged))
            .await?
        {
            Stored::Fresh(view) => Ok(view),
            Stored::Replayed(_) => Err(AppError::conflict_without_field(
                ErrorCode::IdempotencyKeyReused,
                "The message was already sent.",
            )),
        }
    }

    async fn add(
        &self,
        actor: &Actor,
        ticket_id: i64,
        input: NewMessage,
        idempotency: Option<Idempotency>,
        composed: Option<Vec<i64>>,
    ) -> AppResult<Stored<MessageView>> {
        let grant = actor.grant(Permission::MessageAdd)?;
        let limits = self.limits();
        let given = super::validate(&input, "", &limits)?;
        let recipients = super::recipients(&input, "")?;
        let hold = self.hold(input.undo_window);
        let actor = actor.clone();
        let ports = self.ports.clone();
        self.kernel
            .command(&grant, "message.add", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    let ticket = repo::tickets::get_visible(tx.conn(), &actor, ticket_id)?;
                    if let Some(survivor) = ticket.merged_into {
                        return Err(AppError::conflict_without_field(
                            ErrorCode::TicketMerged,
                            format!("Ticket {ticket_id} was merged into ticket {survivor}; write on ticket {survivor}."),
                        ));
                    }
                    let mut message = given.clone();
                    if let Some(staged) = composed.as_ref().filter(|s| !s.is_empty()) {
                        let files =
                            crate::drafts::staged_files(tx.conn(), actor.id, ticket_id, staged)?;
                        message.attachments.extend(files);
                        within_limits(&message.attachments, &limits)?;
                    }
                    let message = &message;
                    if message.author == AuthorKind::Customer {
                        let Some(next) = ticket.status.after_customer_message() else {
                            let inherited = ticket.inherited();
                            let follow_up = tickets::insert(
                                tx,
                                NewTicketRow {
                                    subject: &ticket.subject,
                                    requester: ticket.requester.clone(),
                                    status: Status::New,
                                    priority: inherited.priority,
                                    channel: message.channel.unwrap_or(inherited.channel),
                                    team_id: inherited.team_id,
                                    assignee_id: inherited.assignee_id,
                                    language: inherited.language.clone(),
                                    tags: &inherited.tags,
                                    follow_up_of: Some(ticket.id),
                                    mailbox_id: inherited.mailbox_id,
                                },
                            )?;
                            return super::insert(tx, &follow_up, message, follow_up.channel);
                        };
                        tickets::set_status(tx, &ticket, next)?;
                    } else {
                        if ticket.status == Status::Closed {
                            return Err(AppError::conflict_without_field(
                                ErrorCode::TicketClosed,
                                format!("Ticket {ticket_id} is closed; it takes no more replies or notes."),
                            ));
                        }
                        if message.kind == MessageKind::Reply {
                            tickets::set_status(tx, &ticket, ticket.status.after_agent_reply())?;
                        }
                    }
                    let channel = super::delivery::channel_for(tx, &ports, &ticket, message, &recipients)?;
                    tickets::touch(tx, ticket_id)?;
                    let mut view = super::insert(tx, &ticket, message, ticket.channel)?;
                    if let Some(staged) = &composed {
                        crate::drafts::sent(tx, actor.id, ticket_id, staged)?;
                    }
                    if let Some(channel) = channel {
                        let hold_until = hold.map(|window| tx.now() + window);
                        channel.send_reply(tx, &ticket, view.id, &recipients, hold_until)?;
                    }
                    repo::attachments::decorate(tx.conn(), std::slice::from_mut(&mut view))?;
                    ports.decorate(tx.conn(), std::slice::from_mut(&mut view))?;
                    Ok(view)
                })
            })
            .await
    }

    /// A ticket's messages, oldest first.
    pub async fn list_messages(
        &self,
        actor: &Actor,
        ticket_id: i64,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<MessageView>> {
        let grant = actor.grant(Permission::TicketRead)?;
        let limit = cursor::limit(limit)?;
        let after = cursor::after_id(cursor.as_deref())?;
        let actor = actor.clone();
        let ports = self.ports.clone();
        self.kernel
            .query(&grant, move |conn| {
                repo::tickets::get_visible(conn, &actor, ticket_id)?;
                let mut items = repo::messages::of_ticket(conn, ticket_id, after, limit + 1)?;
                repo::attachments::decorate(conn, &mut items)?;
                ports.decorate(conn, &mut items)?;
                Ok(cursor::page_by_id(items, limit, false, |m| m.id))
            })
            .await
    }

    /// An attachment's metadata and bytes, if the actor may see its ticket.
    pub async fn attachment(&self, actor: &Actor, id: i64) -> AppResult<(AttachmentView, Vec<u8>)> {
        let grant = actor.grant(Permission::TicketRead)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let (view, digest, ticket_id) =
                    repo::attachments::get(conn, id)?.ok_or(AppError::not_found("attachment"))?;
                repo::tickets::get_visible(conn, &actor, ticket_id)
                    .map_err(|_| AppError::not_found("attachment"))?;
                Ok((view, blobs::get(conn, &digest)?))
            })
            .await
    }

    /// One message with its files and email state, if the actor may see its ticket (404
    /// otherwise, as for an id nothing has).
    pub async fn message(&self, actor: &Actor, id: i64) -> AppResult<MessageView> {
        let grant = actor.grant(Permission::TicketRead)?;
        let actor = actor.clone();
        let ports = self.ports.clone();
        self.kernel
            .query(&grant, move |conn| {
                let mut view =
                    repo::messages::get(conn, id)?.ok_or(AppError::not_found("message"))?;
                repo::tickets::get_visible(conn, &actor, view.ticket_id)
                    .map_err(|_| AppError::not_found("message"))?;
                repo::attachments::decorate(conn, std::slice::from_mut(&mut view))?;
                ports.decorate(conn, std::slice::from_mut(&mut view))?;
                Ok(view)
            })
            .await
    }

    /// The inline part of a message named by its Content-ID (how its HTML refers to it as
    /// `cid:`), with its bytes, if the actor may see the message's ticket. A Content-ID of
    /// another message, even one on a ticket the actor sees, is not found: a mail shows only
    /// its own parts.
    pub async fn inline_part(
        &self,
        actor: &Actor,
        message_id: i64,
        content_id: &str,
    ) -> AppResult<(AttachmentView, Vec<u8>)> {
        let grant = actor.grant(Permission::TicketRead)?;
        let actor = actor.clone();
        let content_id = content_id.trim_matches(['<', '>']).to_string();
        self.kernel
            .query(&grant, move |conn| {
                let (view, digest, ticket_id) =
                    repo::attachments::by_content_id(conn, message_id, &content_id)?
                        .ok_or(AppError::not_found("attachment"))?;
                repo::tickets::get_visible(conn, &actor, ticket_id)
                    .map_err(|_| AppError::not_found("attachment"))?;
                Ok((view, blobs::get(conn, &digest)?))
            })
            .await
    }

    /// Since when each of the tickets `ids` has waited for an answer (the inbox's "waiting
    /// since" column): the first customer message that no public staff reply followed, for
    /// new and open tickets the actor sees; others are absent. One query for a page of rows.
    pub async fn waiting_since(
        &self,
        actor: &Actor,
        ids: Vec<i64>,
    ) -> AppResult<std::collections::HashMap<i64, String>> {
        let grant = actor.grant(Permission::TicketRead)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                Ok(repo::messages::waiting_since(conn, &actor, &ids)?
                    .into_iter()
                    .map(|(id, at)| (id, tiski_kernel::time::format(at)))
                    .collect())
            })
            .await
    }
}

/// Whether files stay within the message limits (count, and bytes together).
fn within_limits(files: &[crate::File], limits: &crate::MessageLimits) -> AppResult<()> {
    if files.len() > limits.attachments {
        return Err(AppError::invalid(
            "attachments",
            format!("At most {} attachments.", limits.attachments),
        ));
    }
    let together: usize = files.iter().map(|f| f.bytes.len()).sum();
    if together > limits.attachments_bytes {
        return Err(AppError::invalid(
            "attachments",
            format!(
                "Attachments may have at most {} MiB together.",
                limits.attachments_bytes / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}
