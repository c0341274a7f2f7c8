//! Making notifications from the event log: a worker step that reads the events after its
//! stored position, works out who each concerns, and inserts their notifications with the
//! new position in one transaction. The unique key on (event, recipient, kind) turns a second
//! node's attempt at the same event into nothing, so each is made once.

use crate::commands::who_may_see;
use crate::repo::{self, NewNotification};
use crate::{Notify, Preference, complete};
use std::collections::HashMap;
use tiski_domain::event::NotificationCreated;
use tiski_domain::{AuthorKind, Event, MessageKind, NotificationKind};
use tiski_kernel::{Actor, AppError, AppResult, Conn, EventView, events, positions};
use tiski_ticketing::{TicketView, messages, tickets};

/// The worker's name in the worker positions.
const POSITION: &str = "notify";

impl Notify {
    /// Makes the notifications of the events after the worker's position (at most `batch`
    /// events), with the new position. Returns how many events were read.
    pub async fn produce(&self, batch: i64) -> AppResult<usize> {
        self.kernel
            .housekeeping("notification.produce", move |tx| {
                // A desk that had no notifications yet starts at the end of its log: its
                // history (a demo's, or before an upgrade) is not news to anyone.
                let newest = events::newest(tx.conn())?;
                let position = positions::lock(tx.conn(), POSITION, newest)?;
                let events = events::after(tx.conn(), position, batch)?;
                let Some(last) = events.last().map(|e| e.id) else {
                    return Ok(0);
                };
                let mut preferences: HashMap<i64, Vec<Preference>> = HashMap::new();
                for event in &events {
                    for (recipient, kind) in recipients(tx.conn(), event)? {
                        let wanted = match preferences.get(&recipient) {
                            Some(p) => p,
                            None => {
                                let stored = complete(&repo::preferences(tx.conn(), recipient)?);
                                preferences.entry(recipient).or_insert(stored)
                            }
                        };
                        if !wanted.iter().any(|p| p.kind == kind && p.in_app) {
                            continue;
                        }
                        let new = NewNotification {
                            recipient_id: recipient,
                            kind,
                            event_id: event.id,
                            ticket_id: event.ticket_id,
                            // The customer wrote it, whoever handed it in.
                            actor_id: (kind != NotificationKind::CustomerReplied)
                                .then(|| agent_of(event))
                                .flatten(),
                        };
                        let now = tx.now();
                        if let Some(id) = repo::insert(tx.conn(), &new, now)? {
                            tx.emit(
                                event.ticket_id,
                                NotificationCreated {
                                    notification_id: id,
                                    recipient_id: recipient,
                                    kind,
                                    source_event_id: event.id,
                                    actor_id: new.actor_id,
                                },
                            )?;
                        }
                    }
                }
                positions::set(tx.conn(), POSITION, last)?;
                Ok(events.len())
            })
            .await
    }
}

/// The staff user who did it, if an agent did.
fn agent_of(event: &EventView) -> Option<i64> {
    (event.actor_kind == "agent")
        .then_some(event.actor_id)
        .flatten()
}

/// A ticket, or nothing if it is gone.
fn ticket(conn: &mut dyn Conn, id: Option<i64>) -> AppResult<Option<TicketView>> {
    let Some(id) = id else { return Ok(None) };
    match tickets::get(conn, id) {
        Ok(ticket) => Ok(Some(ticket)),
        Err(AppError::NotFound { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Whether `user` is active and may see `ticket`.
fn may_see(conn: &mut dyn Conn, user: i64, ticket: &TicketView) -> AppResult<bool> {
    let actor: Option<Actor> = tiski_staff::lookup::actor(conn, user)?;
    Ok(actor.is_some_and(|a| a.can_see_ticket(ticket.team_id, ticket.assignee_id)))
}

/// Who `event` concerns and why: never the one who did it, never anyone who may not see
/// the ticket (as it is now).
fn recipients(conn: &mut dyn Conn, event: &EventView) -> AppResult<Vec<(i64, NotificationKind)>> {
    let doer = agent_of(event);
    let single =
        |conn: &mut dyn Conn, user: i64, kind| -> AppResult<Vec<(i64, NotificationKind)>> {
            if Some(user) == doer {
                return Ok(Vec::new());
            }
            let Some(ticket) = ticket(conn, event.ticket_id)? else {
                return Ok(Vec::new());
            };
            Ok(if may_see(conn, user, &ticket)? {
                vec![(user, kind)]
            } else {
                Vec::new()
            })
        };
    match &event.event {
        Event::TicketAssigned(change) => match change.to {
            Some(to) => single(conn, to, NotificationKind::Assigned),
            None => Ok(Vec::new()),
        },
        Event::TicketHelpRequested(help) => {
            single(conn, help.colleague_id, NotificationKind::HelpRequested)
        }
        Event::MessageAdded(added) if added.author_kind == AuthorKind::Customer => {
            let Some(ticket) = ticket(conn, event.ticket_id)? else {
                return Ok(Vec::new());
            };
            match ticket.assignee_id {
                Some(assignee) => single(conn, assignee, NotificationKind::CustomerReplied),
                None => Ok(Vec::new()),
            }
        }
        Event::MessageAdded(added)
            if added.author_kind == AuthorKind::Agent && added.kind == MessageKind::Note =>
        {
            let Some(ticket) = ticket(conn, event.ticket_id)? else {
                return Ok(Vec::new());
            };
            let text = match messages::text_of(conn, added.message_id) {
                Ok((text, _)) => text,
                // Erased meanwhile: nothing left to mention anyone.
                Err(AppError::NotFound { .. }) => return Ok(Vec::new()),
                Err(error) => return Err(error),
            };
            if !text.contains('@') {
                return Ok(Vec::new());
            }
            let author = added.author_id.or(doer);
            Ok(who_may_see(conn, &ticket, author)?
                .into_iter()
                .filter(|a| {
                    crate::rules::mentions(&text, &a.name)
                        || crate::rules::mentions(&text, crate::rules::handle_of(&a.email))
                })
                .map(|a| (a.id, NotificationKind::Mentioned))
                .collect())
        }
        _ => Ok(Vec::new()),
    }
}
