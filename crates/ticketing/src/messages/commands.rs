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
        let grant = actor.grant(Permission::MessageAdd)?;
        let message = super::validate(&input, "", &self.limits())?;
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
                            return super::insert(tx, &follow_up, &message, follow_up.channel);
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
                    tickets::touch(tx, ticket_id)?;
                    let mut view = super::insert(tx, &ticket, &message, ticket.channel)?;
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
}
