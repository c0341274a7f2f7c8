//! Routing's part in tickets: the port ticketing hands a ticket's queue and requirements to,
//! and the reaction that keeps a ticket's work item in step with its assignee, status and
//! priority.

use crate::repo::{self, Item};
use crate::rules::{self, input};
use tiski_domain::event::{TicketQueued, TicketRequeued, TicketRequirementsChanged};
use tiski_domain::routing::{PresenceStatus, RequeueReason};
use tiski_domain::{AuthorKind, Event, Status};
use tiski_kernel::{AppError, AppResult, Conn, Reaction, Tx};
use tiski_ticketing::{Requirement, RoutingChange, TicketRouting, TicketView, tickets};

/// Where a work item stands, from its ticket: waiting in a queue, assigned to an agent (and
/// counting against their capacity), or parked (the ticket is not new or open, or has neither
/// queue nor agent).
pub(crate) fn state_of(
    status: Status,
    queue_id: Option<i64>,
    agent_id: Option<i64>,
) -> &'static str {
    if !matches!(status, Status::New | Status::Open) {
        "parked"
    } else if agent_id.is_some() {
        "assigned"
    } else if queue_id.is_some() {
        "waiting"
    } else {
        "parked"
    }
}

/// Routing's [`TicketRouting`] port.
pub struct RoutingPort;

fn check_requirements(conn: &mut dyn Conn, list: &[Requirement]) -> AppResult<Vec<Requirement>> {
    let list = input::requirements(list)?;
    for (index, need) in list.iter().enumerate() {
        if repo::skill(conn, need.skill_id)?.is_none() {
            return Err(AppError::invalid(
                format!("requirements/{index}/skill_id"),
                format!("There is no skill {}.", need.skill_id),
            ));
        }
    }
    Ok(list)
}

fn check_queue(conn: &mut dyn Conn, ticket: &TicketView, queue_id: i64) -> AppResult<()> {
    let Some(queue) = repo::queue(conn, queue_id)? else {
        return Err(AppError::invalid(
            "queue_id",
            format!("There is no queue {queue_id}."),
        ));
    };
    if !queue.view.channels.contains(&ticket.channel) {
        return Err(AppError::invalid(
            "queue_id",
            format!(
                "The queue {queue_id} takes no {} work; choose a queue of the ticket's channel.",
                ticket.channel
            ),
        ));
    }
    Ok(())
}

impl TicketRouting for RoutingPort {
    fn apply(
        &self,
        tx: &mut Tx<'_, '_>,
        ticket: &TicketView,
        change: &RoutingChange,
    ) -> AppResult<bool> {
        let requirements = change
            .requirements
            .as_deref()
            .map(|list| check_requirements(tx.conn(), list))
            .transpose()?;
        if let Some(Some(queue_id)) = change.queue_id {
            check_queue(tx.conn(), ticket, queue_id)?;
        }
        let now = tx.now();
        let existing = repo::item_of(tx.conn(), ticket.id)?;
        let mut item = match existing.clone() {
            Some(item) => item,
            None => {
                let wants = matches!(change.queue_id, Some(Some(_)))
                    || requirements.as_ref().is_some_and(|r| !r.is_empty());
                if !wants {
                    return Ok(false);
                }
                Item {
                    id: 0,
                    ticket_id: ticket.id,
                    queue_id: None,
                    channel: ticket.channel,
                    cost: rules::default_cost(ticket.channel),
                    priority: ticket.priority,
                    eligible_at: now,
                    requirements: Vec::new(),
                    state: String::new(),
                    agent_id: ticket.assignee_id,
                    offered_at: None,
                    offer_expires_at: None,
                }
            }
        };
        let from = item.queue_id;
        let mut moved = false;
        if let Some(queue_id) = change.queue_id
            && queue_id != item.queue_id
        {
            item.queue_id = queue_id;
            // Entering a queue, or a transfer to another: the place starts now.
            item.eligible_at = now;
            moved = true;
        }
        let mut needs_changed = false;
        if let Some(requirements) = requirements {
            needs_changed = requirements != item.requirements;
            item.requirements = requirements;
        }
        if existing.is_some() && !moved && !needs_changed {
            return Ok(false);
        }
        let state = state_of(ticket.status, item.queue_id, ticket.assignee_id);
        if !(item.state == "offered" && state == "waiting" && !moved) {
            // An open offer stays while the item stays in its queue.
            item.agent_id = ticket.assignee_id;
            item.state = state.to_string();
        }
        if existing.is_some() {
            repo::update_item(tx.conn(), &item, now)?;
        } else {
            item.id = repo::insert_item(tx.conn(), &item, now)?;
        }
        if moved {
            tx.emit(
                Some(ticket.id),
                TicketQueued {
                    work_item_id: item.id,
                    from,
                    to: item.queue_id,
                    eligible_at: item.eligible_at,
                },
            )?;
        }
        if needs_changed {
            tx.emit(
                Some(ticket.id),
                TicketRequirementsChanged {
                    work_item_id: item.id,
                    skill_ids: item.requirements.iter().map(|r| r.skill_id).collect(),
                },
            )?;
        }
        Ok(true)
    }

    fn decorate(&self, conn: &mut dyn Conn, tickets: &mut [TicketView]) -> AppResult<()> {
        let ids: Vec<i64> = tickets.iter().map(|t| t.id).collect();
        let items = repo::items_of(conn, &ids)?;
        for ticket in tickets {
            if let Some(item) = items.iter().find(|i| i.ticket_id == ticket.id) {
                ticket.queue_id = item.queue_id;
                ticket.requirements = item.requirements.clone();
            }
        }
        Ok(())
    }
}

/// Keeps a ticket's work item in step with the ticket: its assignee (a manual assignment is
/// recorded even beyond capacity; taking the agent away puts it back in its queue with its
/// place), its status (only new and open work counts and waits) and its priority.
pub struct RoutingReaction;

impl Reaction for RoutingReaction {
    fn react(&self, tx: &mut Tx<'_, '_>, ticket_id: Option<i64>, event: &Event) -> AppResult<()> {
        let Some(ticket_id) = ticket_id else {
            return Ok(());
        };
        if let Event::MessageAdded(added) = event
            && added.author_kind == AuthorKind::Customer
        {
            return requeue_if_owner_offline(tx, ticket_id);
        }
        if !matches!(
            event,
            Event::TicketAssigned(_)
                | Event::TicketStatusChanged(_)
                | Event::TicketPriorityChanged(_)
        ) {
            return Ok(());
        }
        let Some(mut item) = repo::item_of(tx.conn(), ticket_id)? else {
            return Ok(());
        };
        let ticket = tickets::get(tx.conn(), ticket_id)?;
        let state = state_of(ticket.status, item.queue_id, ticket.assignee_id);
        let (state, agent_id) = if item.state == "offered" && state == "waiting" {
            // Still offered: the agent's answer (or its lapse) decides.
            ("offered", item.agent_id)
        } else {
            (state, ticket.assignee_id)
        };
        if item.state == state && item.agent_id == agent_id && item.priority == ticket.priority {
            return Ok(());
        }
        item.state = state.to_string();
        item.agent_id = agent_id;
        item.priority = ticket.priority;
        let now = tx.now();
        repo::update_item(tx.conn(), &item, now)
    }
}

/// Rule 10: the customer wrote on work whose owner is offline: when the queue says so, the
/// work goes back to its queue with its place (`ticket.requeued` names the reason) and the
/// router gives it to another agent.
fn requeue_if_owner_offline(tx: &mut Tx<'_, '_>, ticket_id: i64) -> AppResult<()> {
    let Some(item) = repo::item_of(tx.conn(), ticket_id)? else {
        return Ok(());
    };
    let (Some(queue_id), Some(agent_id)) = (item.queue_id, item.agent_id) else {
        return Ok(());
    };
    if item.state == "offered" {
        return Ok(());
    }
    let ticket = tickets::get(tx.conn(), ticket_id)?;
    if ticket.assignee_id != Some(agent_id) || !matches!(ticket.status, Status::New | Status::Open)
    {
        return Ok(());
    }
    let offline =
        repo::presence(tx.conn(), agent_id)?.is_none_or(|p| p.status == PresenceStatus::Offline);
    let requeues =
        repo::queue(tx.conn(), queue_id)?.is_some_and(|q| q.view.requeue_when_owner_offline);
    if !offline || !requeues {
        return Ok(());
    }
    tx.emit(
        Some(ticket_id),
        TicketRequeued {
            work_item_id: item.id,
            queue_id,
            agent_id,
            reason: RequeueReason::OwnerOffline,
        },
    )?;
    // The assignment's reaction puts the item back to waiting, its eligible time kept.
    tickets::assign(tx, &ticket, None)
}
