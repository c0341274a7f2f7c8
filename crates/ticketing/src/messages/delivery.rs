//! Replies that reach the customer: which channel carries a public reply (refused when none
//! can), the undo window that holds it, taking it back, and forwarding to outside addresses.

use super::{MAX_RECIPIENTS, MessageView, addresses};
use crate::ports::{Ports, Recipients, ReplyChannel, Unreachable};
use crate::rules::message::ValidMessage;
use crate::{TicketView, Ticketing, repo};
use serde::Deserialize;
use std::sync::Arc;
use tiski_domain::event::{MessageForwarded, MessageWithdrawn};
use tiski_domain::{AuthorKind, MessageKind, Permission, Status};
use tiski_kernel::{
    Actor, AppError, AppResult, ErrorCode, Idempotency, Stored, Tx, idempotency, time,
};

/// The channel that carries `message` when it is an agent's public reply, or the refusal
/// when no channel can reach the requester (nothing is stored then).
pub(crate) fn channel_for(
    tx: &mut Tx<'_, '_>,
    ports: &Ports,
    ticket: &TicketView,
    message: &ValidMessage,
    recipients: &Recipients,
) -> AppResult<Option<Arc<dyn ReplyChannel>>> {
    if message.kind != MessageKind::Reply || message.author != AuthorKind::Agent {
        return Ok(None);
    }
    match ports.route(tx.conn(), ticket, recipients.to.is_some())? {
        Ok((channel, _)) => Ok(Some(channel)),
        Err(why) => Err(why.error()),
    }
}

/// Stores a public reply by the transaction's actor (an automation rule, acting as tiski)
/// and hands it to the first of `channels` that can carry it, to the requester and the
/// ticket's CCs, in the caller's transaction. When none can, nothing is stored and the
/// answer is `None`: a rule's reply is skipped, not announced as sent.
pub fn reply_through(
    tx: &mut Tx<'_, '_>,
    channels: &[Arc<dyn ReplyChannel>],
    ticket: &TicketView,
    body: &str,
) -> AppResult<Option<MessageView>> {
    let Ok((channel, _)) = crate::ports::route_among(channels, tx.conn(), ticket, false)? else {
        return Ok(None);
    };
    let message = ValidMessage {
        body: body.to_string(),
        html: None,
        kind: MessageKind::Reply,
        author: AuthorKind::Agent,
        channel: None,
        attachments: Vec::new(),
    };
    super::touch_and_insert(tx, ticket, &message).and_then(|view| {
        channel.send_reply(tx, ticket, view.id, &Recipients::default(), None)?;
        Ok(Some(view))
    })
}

/// How a public reply on a ticket would go out, for the composer.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReplyRoute {
    /// The requester's address it would go to.
    pub to: Option<String>,
    /// The sending identity (the mailbox address).
    pub via: Option<String>,
    /// The ticket's CCs, copied by default.
    pub cc: Vec<String>,
    /// Why no reply can go out, when none can.
    pub unreachable: Option<Unreachable>,
}

/// Input of a forward.
#[derive(Debug, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewForward {
    /// Who gets it (email addresses outside the ticket; at most 50).
    pub to: Vec<String>,
    /// The message forwarded; the whole conversation when absent.
    pub message_id: Option<i64>,
    /// A few words for the recipient, above what is forwarded (kept on the ticket's note).
    pub note: Option<String>,
}

impl Ticketing {
    /// The undo window a reply asks for, in microseconds (`None`: queued at once).
    pub(crate) fn hold(&self, asked: Option<bool>) -> Option<i64> {
        let window = self.kernel.settings().undo_send_window;
        (asked == Some(true) && !window.is_zero()).then(|| time::micros(window))
    }

    /// How a public reply on a ticket the actor may see would go out, or why it cannot.
    pub async fn reply_route(&self, actor: &Actor, ticket_id: i64) -> AppResult<ReplyRoute> {
        let grant = actor.grant(Permission::TicketRead)?;
        let actor = actor.clone();
        let ports = self.ports.clone();
        self.kernel
            .query(&grant, move |conn| {
                let ticket = repo::tickets::get_visible(conn, &actor, ticket_id)?;
                let cc = crate::cc::list(conn, ticket_id)?
                    .into_iter()
                    .map(|(email, _)| email)
                    .collect();
                let mut route = ReplyRoute {
                    cc,
                    ..ReplyRoute::default()
                };
                match ports.route(conn, &ticket, false)? {
                    Ok((_, found)) => {
                        route.to = found.to;
                        route.via = found.via;
                    }
                    Err(why) => {
                        route.unreachable = Some(why);
                        // Without the requester's address, the agent may still name one.
                        for channel in &ports.reply_channels {
                            let found = channel.route(conn, &ticket)?;
                            if found.via.is_some() {
                                route.via = found.via;
                                break;
                            }
                        }
                    }
                }
                Ok(route)
            })
            .await
    }

    /// Takes back the actor's own public reply while it waits in its undo window: the reply
    /// and its mail are deleted and the reply is answered (to put its text back in the
    /// composer). After the window it answers `undo_window_over`. The status the reply set
    /// stays.
    pub async fn undo_reply(
        &self,
        actor: &Actor,
        ticket_id: i64,
        message_id: i64,
    ) -> AppResult<MessageView> {
        let grant = actor.grant(Permission::MessageAdd)?;
        let actor = actor.clone();
        let ports = self.ports.clone();
        self.kernel
            .command(&grant, "message.undo", move |tx| {
                repo::tickets::get_visible(tx.conn(), &actor, ticket_id)?;
                let message = repo::messages::get_on_ticket(tx.conn(), ticket_id, message_id)?
                    .ok_or(AppError::not_found("message"))?;
                if message.author_kind != AuthorKind::Agent
                    || message.kind != MessageKind::Reply
                    || message.author_id != Some(actor.id)
                {
                    return Err(AppError::forbidden(
                        "Only the agent who wrote a public reply can take it back.",
                    ));
                }
                if !ports.withdraw(tx, message_id)? {
                    return Err(AppError::conflict_without_field(
                        ErrorCode::UndoWindowOver,
                        "This reply is already on its way to the customer; its undo window is over.",
                    ));
                }
                repo::messages::delete(tx.conn(), message_id)?;
                tx.emit(Some(ticket_id), MessageWithdrawn { message_id })?;
                Ok(message)
            })
            .await
    }

    /// Forwards a message of a ticket (or its whole conversation) to outside addresses
    /// through the ticket's channel, recorded as an internal note with the delivery state.
    pub async fn forward(
        &self,
        actor: &Actor,
        ticket_id: i64,
        input: NewForward,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<MessageView>> {
        let grant = actor.grant(Permission::MessageAdd)?;
        let mut count = 0;
        let to = addresses("to", &input.to, &mut count)?;
        if to.is_empty() {
            return Err(AppError::invalid(
                "to",
                format!("Give 1 to {MAX_RECIPIENTS} addresses to forward to."),
            ));
        }
        let note = input.note.as_deref().unwrap_or("").trim().to_string();
        let what = match input.message_id {
            Some(id) => format!("message #{id}"),
            None => "the conversation".to_string(),
        };
        let body = format!(
            "Forwarded {what} to {}.{}",
            to.join(", "),
            if note.is_empty() {
                String::new()
            } else {
                format!("\n\n{note}")
            }
        );
        let message = super::validate(
            &super::NewMessage {
                body,
                html: None,
                kind: Some(MessageKind::Note),
                author: Some(AuthorKind::Agent),
                channel: None,
                attachments: Vec::new(),
                to: None,
                cc: None,
                bcc: None,
                undo_window: None,
            },
            "note",
            &self.limits(),
        )?;
        let forwarded = input.message_id;
        let actor = actor.clone();
        let ports = self.ports.clone();
        self.kernel
            .command(&grant, "message.forward", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    let ticket = repo::tickets::get_visible(tx.conn(), &actor, ticket_id)?;
                    if ticket.status == Status::Closed {
                        return Err(AppError::conflict_without_field(
                            ErrorCode::TicketClosed,
                            format!(
                                "Ticket {ticket_id} is closed; it takes no more replies or notes."
                            ),
                        ));
                    }
                    if let Some(id) = forwarded
                        && repo::messages::get_on_ticket(tx.conn(), ticket_id, id)?.is_none()
                    {
                        return Err(AppError::invalid(
                            "message_id",
                            format!("Ticket {ticket_id} has no message {id}."),
                        ));
                    }
                    let channel = match ports.route(tx.conn(), &ticket, true)? {
                        Ok((channel, _)) => channel,
                        Err(why) => return Err(why.error()),
                    };
                    let mut view = super::insert(tx, &ticket, &message, ticket.channel)?;
                    channel.forward(tx, &ticket, view.id, forwarded, &to)?;
                    tx.emit(
                        Some(ticket_id),
                        MessageForwarded {
                            note_id: view.id,
                            message_id: forwarded,
                            recipients: to.len(),
                        },
                    )?;
                    ports.decorate(tx.conn(), std::slice::from_mut(&mut view))?;
                    Ok(view)
                })
            })
            .await
    }
}
