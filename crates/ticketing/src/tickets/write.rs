//! The ticket writes other commands are made of (here and in the channel contexts): insert a
//! ticket, change its status, mark it changed. Each appends its event in the caller's
//! transaction.

use super::{RequesterView, TicketView};
use crate::repo;
use tiski_domain::event::{
    TicketAssigned, TicketCreated, TicketPriorityChanged, TicketStatusChanged, TicketTagsChanged,
    TicketTeamChanged,
};
use tiski_domain::{Channel, Priority, Status};
use tiski_kernel::{AppResult, Conn, Tx, time};

/// The fields of a ticket about to be inserted.
#[derive(Debug, Clone)]
pub struct NewTicketRow<'a> {
    /// Subject (already valid).
    pub subject: &'a str,
    /// The customer.
    pub requester: RequesterView,
    /// Starting status.
    pub status: Status,
    /// Priority.
    pub priority: Priority,
    /// Channel.
    pub channel: Channel,
    /// Owning team.
    pub team_id: Option<i64>,
    /// Assignee.
    pub assignee_id: Option<i64>,
    /// Conversation language.
    pub language: Option<String>,
    /// Tags (already valid).
    pub tags: &'a [String],
    /// The closed ticket this one follows up.
    pub follow_up_of: Option<i64>,
    /// The mailbox of an email ticket.
    pub mailbox_id: Option<i64>,
}

/// A ticket regardless of who asks (inside commands that already checked).
pub fn get(conn: &mut dyn Conn, id: i64) -> AppResult<TicketView> {
    repo::tickets::get(conn, id)
}

/// Inserts a ticket with its tags and appends `ticket.created`; the view is built from what
/// was written, without reading it back.
pub fn insert(tx: &mut Tx<'_, '_>, row: NewTicketRow<'_>) -> AppResult<TicketView> {
    let now = tx.now();
    let id = repo::tickets::insert(tx.conn(), &row, now)?;
    tx.emit(
        Some(id),
        TicketCreated {
            requester_id: row.requester.id,
            status: row.status,
            priority: row.priority,
            channel: row.channel,
            team_id: row.team_id,
            assignee_id: row.assignee_id,
            language: row.language.clone(),
            tags: row.tags.to_vec(),
            follow_up_of: row.follow_up_of,
            mailbox_id: row.mailbox_id,
        },
    )?;
    Ok(TicketView {
        id,
        subject: row.subject.to_string(),
        status: row.status,
        priority: row.priority,
        channel: row.channel,
        team_id: row.team_id,
        assignee_id: row.assignee_id,
        requester: row.requester,
        language: row.language,
        tags: row.tags.to_vec(),
        follow_up_of: row.follow_up_of,
        mailbox_id: row.mailbox_id,
        created_at: time::format(now),
        updated_at: time::format(now),
        solved_at: None,
        closed_at: None,
        merged_into: None,
        split_from: None,
        sla: Vec::new(),
        queue_id: None,
        requirements: Vec::new(),
    })
}

/// Sets a ticket's status with its timestamps and appends `ticket.status_changed` (nothing
/// when it already has that status). Transitions are the caller's to check.
pub fn set_status(tx: &mut Tx<'_, '_>, ticket: &TicketView, to: Status) -> AppResult<()> {
    if ticket.status == to {
        return Ok(());
    }
    let now = tx.now();
    repo::tickets::set_status(tx.conn(), ticket.id, to, now)?;
    tx.emit(
        Some(ticket.id),
        TicketStatusChanged {
            from: ticket.status,
            to,
        },
    )
}

/// Marks a ticket changed now (a message arrived).
pub fn touch(tx: &mut Tx<'_, '_>, ticket_id: i64) -> AppResult<()> {
    let now = tx.now();
    repo::tickets::touch(tx.conn(), ticket_id, now)
}

/// Gives a ticket to `to` (or nobody) and appends `ticket.assigned` (nothing when it already
/// is theirs). Whether `to` may have it is the caller's to check.
pub fn assign(tx: &mut Tx<'_, '_>, ticket: &TicketView, to: Option<i64>) -> AppResult<()> {
    if ticket.assignee_id == to {
        return Ok(());
    }
    repo::tickets::set_assignee(tx.conn(), ticket.id, to)?;
    touch(tx, ticket.id)?;
    tx.emit(
        Some(ticket.id),
        TicketAssigned {
            from: ticket.assignee_id,
            to,
        },
    )
}

/// Tickets in `status` since a time from `from` to `until` (their creation, or with
/// `by_update` their last change), oldest first, at most `limit`, as (id, that time): what
/// a time rule looks at, one index range whatever the desk's size.
pub fn in_status_between(
    conn: &mut dyn Conn,
    status: Status,
    by_update: bool,
    from: i64,
    until: i64,
    limit: i64,
) -> AppResult<Vec<(i64, i64)>> {
    repo::tickets::in_status_between(conn, status, by_update, from, until, limit)
}

/// Sets a ticket's priority and appends `ticket.priority_changed` (nothing when it already
/// has it).
pub fn set_priority(tx: &mut Tx<'_, '_>, ticket: &TicketView, to: Priority) -> AppResult<()> {
    if ticket.priority == to {
        return Ok(());
    }
    repo::tickets::set_priority(tx.conn(), ticket.id, to)?;
    tx.emit(
        Some(ticket.id),
        TicketPriorityChanged {
            from: ticket.priority,
            to,
        },
    )
}

/// Moves a ticket to team `to` (or none) and appends `ticket.team_changed` (nothing when it
/// is there already). Whether the actor may move it there is the caller's to check.
pub fn set_team(tx: &mut Tx<'_, '_>, ticket: &TicketView, to: Option<i64>) -> AppResult<()> {
    if ticket.team_id == to {
        return Ok(());
    }
    repo::tickets::set_team(tx.conn(), ticket.id, to)?;
    tx.emit(
        Some(ticket.id),
        TicketTeamChanged {
            from: ticket.team_id,
            to,
        },
    )
}

/// Replaces a ticket's tags with `to` (valid, sorted, without repeats, within the limit)
/// and appends `ticket.tags_changed` (nothing when they are the same).
pub fn set_tags(tx: &mut Tx<'_, '_>, ticket: &TicketView, to: Vec<String>) -> AppResult<()> {
    if ticket.tags == to {
        return Ok(());
    }
    repo::tickets::set_tags(tx.conn(), ticket.id, &to)?;
    tx.emit(
        Some(ticket.id),
        TicketTagsChanged {
            from: ticket.tags.clone(),
            to,
        },
    )
}
