//! Splitting a message off into a new ticket: the message (its files with it) moves to a new
//! ticket of the same requester that inherits team, assignee, priority, tags and language,
//! linked to the original by `split_from`; `ticket.split` is appended on both.

use super::SplitMessage;
use crate::rules::ticket as rule;
use crate::tickets::{self, NewTicketRow, TicketView};
use crate::{Ticketing, repo};
use tiski_domain::event::TicketSplit;
use tiski_domain::{Permission, Status};
use tiski_kernel::{Actor, AppError, AppResult, ErrorCode};

impl Ticketing {
    /// Moves message `message_id` off its ticket into a new one, as Zendesk and Zammad
    /// agents expect: one message, with its attachments. The ticket must be visible, open
    /// and keep at least one message.
    pub async fn split_message(
        &self,
        actor: &Actor,
        message_id: i64,
        input: SplitMessage,
    ) -> AppResult<TicketView> {
        let grant = actor.grant(Permission::TicketMerge)?;
        let subject = input.subject.as_deref().map(rule::subject).transpose()?;
        let actor = actor.clone();
        self.kernel
            .command(&grant, "ticket.split", move |tx| {
                let (ticket_id, count, channel) = repo::reshape::message_ticket(tx.conn(), message_id)?
                    .ok_or(AppError::not_found("message"))?;
                let original = repo::tickets::get_visible(tx.conn(), &actor, ticket_id)
                    .map_err(|_| AppError::not_found("message"))?;
                if original.status == Status::Closed {
                    return Err(AppError::conflict_without_field(
                        ErrorCode::TicketClosed,
                        format!("Ticket {ticket_id} is closed; its messages cannot be split off."),
                    ));
                }
                if count < 2 {
                    return Err(AppError::invalid(
                        "message_id",
                        format!("Message {message_id} is the only message of ticket {ticket_id}; there is nothing to split it from."),
                    ));
                }
                let inherited = original.inherited();
                let subject = subject.clone().unwrap_or_else(|| original.subject.clone());
                let split = tickets::insert(
                    tx,
                    NewTicketRow {
                        subject: &subject,
                        requester: original.requester.clone(),
                        status: Status::New,
                        priority: inherited.priority,
                        channel,
                        team_id: inherited.team_id,
                        assignee_id: inherited.assignee_id,
                        language: inherited.language.clone(),
                        tags: &inherited.tags,
                        follow_up_of: None,
                        mailbox_id: inherited.mailbox_id,
                    },
                )?;
                repo::reshape::set_split_from(tx.conn(), split.id, ticket_id)?;
                repo::reshape::move_message(tx.conn(), message_id, split.id)?;
                let event = TicketSplit {
                    from: ticket_id,
                    to: split.id,
                    message_id,
                };
                tx.emit(Some(ticket_id), event.clone())?;
                tx.emit(Some(split.id), event)?;
                tickets::touch(tx, ticket_id)?;
                repo::tickets::get(tx.conn(), split.id)
            })
            .await
    }
}
