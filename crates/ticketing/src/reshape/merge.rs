//! Merging a ticket into another: its conversation and CCs move, tags are united, it is closed
//! and points at the survivor, and `ticket.merged` is appended on both.

use super::MergeTicket;
use crate::messages::NewMessage;
use crate::tickets::{self, TicketView};
use crate::{Ticketing, repo};
use tiski_domain::event::{TicketMerged, TicketTagsChanged};
use tiski_domain::{AuthorKind, MessageKind, Permission, Status, Tag};
use tiski_kernel::{Actor, AppError, AppResult, ErrorCode};

/// Refuses a ticket that cannot take part in a merge: merged already, or closed. `field` is
/// `into` for the survivor, empty for the ticket being merged.
fn check_mergeable(ticket: &TicketView, field: &str) -> AppResult<()> {
    let id = ticket.id;
    if let Some(survivor) = ticket.merged_into {
        let message = format!(
            "Ticket {id} was merged into ticket {survivor}; use ticket {survivor} instead."
        );
        return Err(if field.is_empty() {
            AppError::conflict_without_field(ErrorCode::TicketMerged, message)
        } else {
            AppError::conflict(ErrorCode::TicketMerged, field, message)
        });
    }
    if ticket.status == Status::Closed {
        let message = format!("Ticket {id} is closed; closed tickets cannot be merged.");
        return Err(if field.is_empty() {
            AppError::conflict_without_field(ErrorCode::TicketClosed, message)
        } else {
            AppError::conflict(ErrorCode::TicketClosed, field, message)
        });
    }
    Ok(())
}

impl Ticketing {
    /// Merges ticket `id` into `input.into`: the messages (with their files) and CCs of `id`
    /// move to the survivor, the tags are united, the requester of `id` is copied on the
    /// survivor when it is someone else, and `id` is closed pointing at the survivor. Its
    /// events stay its own; the survivor's history includes them. Both must be open and
    /// visible to the actor. With `reply`, the customer is told on the survivor.
    pub async fn merge_ticket(
        &self,
        actor: &Actor,
        id: i64,
        input: MergeTicket,
    ) -> AppResult<TicketView> {
        let grant = actor.grant(Permission::TicketMerge)?;
        let into = input.into;
        if into == id {
            return Err(AppError::invalid(
                "into",
                "A ticket cannot be merged into itself.",
            ));
        }
        let reply = input
            .reply
            .map(|r| {
                let message = NewMessage {
                    body: r.body,
                    html: None,
                    kind: Some(MessageKind::Reply),
                    author: Some(AuthorKind::Agent),
                    channel: None,
                    ..NewMessage::default()
                };
                crate::messages::validate(&message, "reply", &self.limits())
            })
            .transpose()?;
        let actor = actor.clone();
        let ports = self.ports.clone();
        self.kernel
            .command(&grant, "ticket.merge", move |tx| {
                let source = repo::tickets::get_visible(tx.conn(), &actor, id)?;
                let target = repo::tickets::get_visible(tx.conn(), &actor, into)?;
                check_mergeable(&source, "")?;
                check_mergeable(&target, "into")?;
                let mut tags = target.tags.clone();
                tags.extend(source.tags.iter().cloned());
                tags.sort();
                tags.dedup();
                if tags.len() > Tag::MAX_PER_TICKET {
                    return Err(AppError::invalid(
                        "into",
                        format!(
                            "Together the tickets have {} tags; a ticket can have at most {}. Remove some first.",
                            tags.len(),
                            Tag::MAX_PER_TICKET
                        ),
                    ));
                }
                let messages = repo::reshape::move_messages(tx.conn(), id, into)?;
                repo::reshape::move_ccs(tx.conn(), id, into)?;
                if source.requester.id != target.requester.id
                    && let Some(email) = repo::customers::first_email(tx.conn(), source.requester.id)?
                    && !repo::customers::has_identity(tx.conn(), target.requester.id, "email", &email)?
                {
                    repo::cc::add(tx.conn(), into, &email, Some(&source.requester.name))?;
                }
                if tags != target.tags {
                    repo::tickets::set_tags(tx.conn(), into, &tags)?;
                    tx.emit(
                        Some(into),
                        TicketTagsChanged {
                            from: target.tags.clone(),
                            to: tags,
                        },
                    )?;
                }
                repo::reshape::set_merged_into(tx.conn(), id, into)?;
                tickets::set_status(tx, &source, Status::Closed)?;
                let merged = TicketMerged {
                    ticket_id: id,
                    into,
                    messages,
                };
                tx.emit(Some(id), merged.clone())?;
                tx.emit(Some(into), merged)?;
                if let Some(reply) = &reply {
                    // Told like any public reply: through a channel that reaches the customer,
                    // or the merge is refused with the reason (422 unreachable_requester).
                    let recipients = crate::ports::Recipients::default();
                    let channel = crate::messages::delivery::channel_for(
                        tx,
                        &ports,
                        &target,
                        reply,
                        &recipients,
                    )?;
                    tickets::set_status(tx, &target, target.status.after_agent_reply())?;
                    let view = crate::messages::insert(tx, &target, reply, target.channel)?;
                    if let Some(channel) = channel {
                        channel.send_reply(tx, &target, view.id, &recipients, None)?;
                    }
                }
                tickets::touch(tx, into)?;
                repo::tickets::get(tx.conn(), into)
            })
            .await
    }
}

/// The ticket that carries on the conversation of `ticket`: itself, or the ticket it was
/// merged into (followed through further merges, at most 20 steps). Channels thread later
/// messages of a merged conversation here.
pub fn survivor(conn: &mut dyn tiski_kernel::Conn, ticket: TicketView) -> AppResult<TicketView> {
    let mut ticket = ticket;
    for _ in 0..20 {
        let Some(next) = ticket.merged_into else {
            break;
        };
        ticket = repo::tickets::get(conn, next)?;
    }
    Ok(ticket)
}
