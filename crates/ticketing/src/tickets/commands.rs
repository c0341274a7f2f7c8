//! Ticket commands and queries: open, read, change, list, count, and close what was solved
//! long enough ago.

use super::{NewTicket, NewTicketRow, RequesterView, TicketFilter, TicketPatch, TicketView};
use crate::query::{Assignee, InboxView, Keyset, SortKey, TicketQuery, TicketSort, ViewFilters};
use crate::rules::ticket::{self as rule, Requester};
use crate::{RoutingChange, Ticketing, customers, messages, repo};
use tiski_domain::event::{TicketAssigned, TicketSubjectChanged};
use tiski_domain::{AuthorKind, Channel, MessageKind, Permission, Priority, Status, Tag};
use tiski_kernel::cursor::{self, Cursor};
use tiski_kernel::{
    Actor, AppError, AppResult, ErrorCode, Idempotency, Page, Stored, Tx, idempotency, time,
};

/// The counts of the built-in views.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct InboxCounts {
    /// Open tickets assigned to the actor.
    pub mine: i64,
    /// Open unassigned tickets the actor sees.
    pub unassigned: i64,
    /// All open tickets the actor sees.
    pub all_open: i64,
    /// Tickets waiting for the customer.
    pub pending: i64,
    /// Solved tickets not yet closed.
    pub solved: i64,
    /// The saved views the actor uses, by id, each capped like the others.
    pub saved: std::collections::HashMap<i64, i64>,
}

/// The value a ticket has under `sort`, for keyset cursors.
pub fn sort_value(ticket: &TicketView, sort: TicketSort) -> i64 {
    let micros = |text: &str| time::parse("cursor", text).unwrap_or(0);
    match sort.key {
        SortKey::UpdatedAt => micros(&ticket.updated_at),
        SortKey::CreatedAt => micros(&ticket.created_at),
        SortKey::Priority => ticket.priority.rank(),
        SortKey::Id => ticket.id,
    }
}

/// The cursor that starts a page right after `ticket` under `sort`.
pub fn cursor_after(ticket: &TicketView, sort: TicketSort) -> String {
    Cursor {
        sort: sort.name(),
        value: sort_value(ticket, sort),
        id: ticket.id,
    }
    .encode()
}

/// Reads the page size and cursor of a list under `sort` into `query`.
fn paged(
    mut query: TicketQuery,
    sort: TicketSort,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> AppResult<TicketQuery> {
    query.sort = sort;
    query.limit = cursor::limit(limit)?;
    query.after = cursor
        .map(|text| Cursor::decode(text, &sort.name()))
        .transpose()?
        .map(|c| Keyset {
            value: c.value,
            id: c.id,
        });
    Ok(query)
}

/// The query of the API's list filters.
fn api_query(filter: &TicketFilter) -> AppResult<TicketQuery> {
    let sort = TicketSort::parse(filter.sort.as_deref().unwrap_or("-updated_at"))?;
    let mut query = TicketQuery::default();
    if let Some(wanted) = &filter.status {
        for status in wanted.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let status = Status::parse(status).map_err(|e| e.at("status"))?;
            // Statuses are a finite set: a repeated one adds nothing to the query.
            if !query.statuses.contains(&status) {
                query.statuses.push(status);
            }
        }
        if query.statuses.is_empty() {
            return Err(AppError::invalid("status", "Give at least one status."));
        }
    }
    query.team_id = filter.team_id;
    query.assignee = filter
        .assignee_id
        .as_deref()
        .map(|a| Assignee::parse("assignee_id", a, false))
        .transpose()?;
    query.requester_id = filter.customer_id;
    query.tag = filter
        .tag
        .as_deref()
        .map(|t| Tag::parse(t).map_err(|e| e.at("tag")))
        .transpose()?;
    query.updated_since = filter
        .updated_since
        .as_deref()
        .map(|since| time::parse("updated_since", since))
        .transpose()?;
    paged(query, sort, filter.limit, filter.cursor.as_deref())
}

/// Checks that an assignee is an active user and, when the ticket has a team, a member of it.
fn check_assignee(tx: &mut Tx<'_, '_>, assignee_id: i64, team_id: Option<i64>) -> AppResult<()> {
    if !tiski_staff::lookup::user_is_active(tx.conn(), assignee_id)? {
        return Err(AppError::invalid(
            "assignee_id",
            format!("There is no active user {assignee_id}."),
        ));
    }
    if let Some(team_id) = team_id
        && !tiski_staff::lookup::is_member(tx.conn(), team_id, assignee_id)?
    {
        return Err(AppError::invalid(
            "assignee_id",
            format!("User {assignee_id} is not a member of team {team_id}, which owns the ticket."),
        ));
    }
    Ok(())
}

/// Checks that a team exists.
/// Refuses to move a ticket into `team_id` when the actor is not a member of it and their
/// role may not move tickets into any team (membership read in this transaction, not from
/// the actor cache).
fn check_move_into(tx: &mut Tx<'_, '_>, team_id: i64) -> AppResult<()> {
    let actor = tx.actor().clone();
    if actor.is_system()
        || actor.may(Permission::TicketMoveToAnyTeam)
        || tiski_staff::lookup::is_member(tx.conn(), team_id, actor.id)?
    {
        return Ok(());
    }
    actor.grant(Permission::TicketMoveToAnyTeam).map(drop)
}

pub(crate) fn check_team(tx: &mut Tx<'_, '_>, field: &str, team_id: i64) -> AppResult<()> {
    if !tiski_staff::lookup::team_exists(tx.conn(), team_id)? {
        return Err(AppError::invalid(
            field,
            format!("There is no team {team_id}."),
        ));
    }
    Ok(())
}

impl Ticketing {
    /// Opens a ticket with its first message, finding or creating the requester.
    pub async fn create_ticket(
        &self,
        actor: &Actor,
        input: NewTicket,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<TicketView>> {
        let grant = actor.grant(Permission::TicketCreate)?;
        let subject = rule::subject(&input.subject)?;
        if let Some(name) = &input.requester.name {
            crate::rules::customer::name("requester.name", name)?;
        }
        let requester = rule::requester(
            input.requester.id,
            input.requester.email.as_deref(),
            input.requester.phone.as_deref(),
        )?;
        let tags = Tag::parse_list("tags", &input.tags)?;
        let language = crate::rules::customer::language("language", input.language.as_deref())?;
        let message = messages::validate(&input.message, "message", &self.limits())?;
        let recipients = messages::recipients(&input.message, "message")?;
        let hold = self.hold(input.message.undo_window);
        let ports = self.ports.clone();
        // Like a ticket that arrives by mail: without a language given, the first message
        // tells it, before the customer's preferred one.
        let detected = language
            .is_none()
            .then(|| crate::language::detect(&message.body))
            .flatten();
        let team_id = input.team_id.or_else(|| {
            (!actor.is_admin())
                .then(|| actor.team_ids.first().copied())
                .flatten()
        });
        let priority = input.priority.unwrap_or(Priority::Normal);
        let channel = input.channel.unwrap_or(Channel::Api);
        let requester_name = input.requester.name.clone();
        let assignee_id = input.assignee_id;
        let routing = RoutingChange {
            queue_id: input.queue_id.map(Some),
            requirements: input.requirements.clone(),
        };
        let actor = actor.clone();
        self.kernel
            .command(&grant, "ticket.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    // Naming a customer never widens what the caller reads: an id out of the
                    // caller's reach answers exactly like an unknown one, and a ticket opened
                    // for a customer found by an identity the caller could not see does not
                    // disclose that customer's record (notes, other identities) through it.
                    let (customer, discloses) = match &requester {
                        Requester::Id(id) => {
                            let visible = customers::is_visible(tx.conn(), &actor, *id)?;
                            let found = customers::find_by_id(tx.conn(), *id)?
                                .filter(|_| visible)
                                .ok_or_else(|| {
                                    AppError::invalid(
                                        "requester.id",
                                        format!("There is no customer {id}."),
                                    )
                                })?;
                            (found, true)
                        }
                        Requester::Identity(kind, value) => {
                            let found = customers::find_or_create(
                                tx,
                                (kind, value),
                                requester_name.as_deref(),
                                language.as_ref(),
                            )?;
                            let visible = customers::is_visible(tx.conn(), &actor, found.id)?;
                            (found, visible)
                        }
                    };
                    if let Some(team_id) = team_id {
                        check_team(tx, "team_id", team_id)?;
                    }
                    if let Some(assignee_id) = assignee_id {
                        check_assignee(tx, assignee_id, team_id)?;
                    }
                    let language = language
                        .as_ref()
                        .map(|l| l.to_string())
                        .or(detected.map(str::to_string))
                        .or(customer.language.clone());
                    let status = if message.kind == MessageKind::Reply
                        && message.author == AuthorKind::Agent
                    {
                        Status::Open
                    } else {
                        Status::New
                    };
                    let ticket = super::insert(
                        tx,
                        NewTicketRow {
                            subject: &subject,
                            requester: RequesterView {
                                id: customer.id,
                                name: customer.name.clone(),
                            },
                            status,
                            priority,
                            channel,
                            team_id,
                            assignee_id,
                            language,
                            tags: &tags,
                            follow_up_of: None,
                            mailbox_id: None,
                        },
                    )?;
                    if !discloses {
                        repo::tickets::withhold_requester(tx.conn(), ticket.id)?;
                    }
                    // An agent's first message is outbound mail: it goes out like a reply, or
                    // the ticket is not opened at all.
                    let sender = messages::delivery::channel_for(
                        tx,
                        &ports,
                        &ticket,
                        &message,
                        &recipients,
                    )?;
                    let first = messages::insert(tx, &ticket, &message, channel)?;
                    if let Some(sender) = sender {
                        let hold_until = hold.map(|window| tx.now() + window);
                        sender.send_reply(tx, &ticket, first.id, &recipients, hold_until)?;
                    }
                    let mut ticket = ticket;
                    ports.apply_routing(tx, &ticket, &routing)?;
                    ports.decorate_tickets(tx.conn(), std::slice::from_mut(&mut ticket))?;
                    Ok(ticket)
                })
            })
            .await
    }

    /// Gets a ticket the actor may see.
    pub async fn get_ticket(&self, actor: &Actor, id: i64) -> AppResult<TicketView> {
        let grant = actor.grant(Permission::TicketRead)?;
        let actor = actor.clone();
        let ports = self.ports.clone();
        let now = self.kernel.now();
        self.kernel
            .query(&grant, move |conn| {
                let mut ticket = repo::tickets::get_visible(conn, &actor, id)?;
                ports.decorate_tickets(conn, std::slice::from_mut(&mut ticket))?;
                for port in &ports.ticket_clocks {
                    let clocks = port.clocks(conn, &ticket, now)?;
                    ticket.sla.extend(clocks);
                }
                Ok(ticket)
            })
            .await
    }

    /// Changes a ticket's subject, status, priority, team, assignee or tags.
    pub async fn update_ticket(
        &self,
        actor: &Actor,
        id: i64,
        patch: TicketPatch,
    ) -> AppResult<TicketView> {
        let grant = actor.grant(Permission::TicketUpdate)?;
        let subject = patch.subject.as_deref().map(rule::subject).transpose()?;
        let list = |field: &str, tags: &Option<Vec<String>>| -> AppResult<Option<Vec<String>>> {
            Ok(tags
                .as_deref()
                .map(|t| Tag::parse_list(field, t))
                .transpose()?)
        };
        let tags = list("tags", &patch.tags)?;
        let add_tags = list("add_tags", &patch.add_tags)?.unwrap_or_default();
        let remove_tags = list("remove_tags", &patch.remove_tags)?.unwrap_or_default();
        let routing = RoutingChange {
            queue_id: patch.queue_id,
            requirements: patch.requirements.clone(),
        };
        let ports = self.ports.clone();
        let actor = actor.clone();
        self.kernel
            .command(&grant, "ticket.update", move |tx| {
                let ticket = repo::tickets::get_visible(tx.conn(), &actor, id)?;
                if ticket.status == Status::Closed {
                    return Err(AppError::conflict_without_field(
                        ErrorCode::TicketClosed,
                        format!("Ticket {id} is closed and cannot be changed; a new customer message opens a follow-up."),
                    ));
                }
                let mut changed = false;
                if let Some(subject) = &subject
                    && *subject != ticket.subject
                {
                    repo::tickets::set_subject(tx.conn(), id, subject)?;
                    tx.emit(Some(id), TicketSubjectChanged {})?;
                    changed = true;
                }
                if let Some(priority) = patch.priority
                    && priority != ticket.priority
                {
                    super::set_priority(tx, &ticket, priority)?;
                    changed = true;
                }
                let team_id = patch.team_id.unwrap_or(ticket.team_id);
                if team_id != ticket.team_id {
                    if let Some(team_id) = team_id {
                        check_team(tx, "team_id", team_id)?;
                        check_move_into(tx, team_id)?;
                    }
                    super::set_team(tx, &ticket, team_id)?;
                    changed = true;
                }
                let mut assignee_id = patch.assignee_id.unwrap_or(ticket.assignee_id);
                // A ticket moved to another team leaves its assignee if they are not in it.
                if patch.assignee_id.is_none()
                    && team_id != ticket.team_id
                    && let (Some(assignee), Some(team)) = (assignee_id, team_id)
                    && !tiski_staff::lookup::is_member(tx.conn(), team, assignee)?
                {
                    assignee_id = None;
                }
                if assignee_id != ticket.assignee_id {
                    if let Some(assignee) = assignee_id {
                        check_assignee(tx, assignee, team_id)?;
                    }
                    repo::tickets::set_assignee(tx.conn(), id, assignee_id)?;
                    tx.emit(Some(id), TicketAssigned { from: ticket.assignee_id, to: assignee_id })?;
                    changed = true;
                }
                let mut next_tags = tags.clone().unwrap_or_else(|| ticket.tags.clone());
                next_tags.extend(add_tags.iter().cloned());
                next_tags.retain(|t| !remove_tags.contains(t));
                next_tags.sort();
                next_tags.dedup();
                if next_tags.len() > Tag::MAX_PER_TICKET {
                    return Err(AppError::invalid(
                        "tags",
                        format!("A ticket can have at most {} tags.", Tag::MAX_PER_TICKET),
                    ));
                }
                if next_tags != ticket.tags {
                    super::set_tags(tx, &ticket, next_tags)?;
                    changed = true;
                }
                if let Some(status) = patch.status
                    && status != ticket.status
                {
                    ticket.status.transition_to(status).map_err(|e| {
                        AppError::conflict(ErrorCode::InvalidTransition, "status", e.to_string())
                    })?;
                    super::set_status(tx, &ticket, status)?;
                    changed = true;
                }
                if !routing.is_empty() {
                    let current = repo::tickets::get(tx.conn(), id)?;
                    changed |= ports.apply_routing(tx, &current, &routing)?;
                }
                if changed {
                    super::touch(tx, id)?;
                }
                let mut view = repo::tickets::get(tx.conn(), id)?;
                ports.decorate_tickets(tx.conn(), std::slice::from_mut(&mut view))?;
                Ok(view)
            })
            .await
    }

    /// Runs a ticket query for the actor: one keyset page.
    async fn page(&self, actor: &Actor, query: TicketQuery) -> AppResult<Page<TicketView>> {
        let grant = actor.grant(Permission::TicketRead)?;
        let actor = actor.clone();
        let ports = self.ports.clone();
        self.kernel
            .query(&grant, move |conn| {
                let mut items = repo::tickets::page(conn, &actor, &query)?;
                let more = items.len() as i64 > query.limit;
                items.truncate(usize::try_from(query.limit).unwrap_or(0));
                ports.decorate_tickets(conn, &mut items)?;
                let next_cursor = more
                    .then(|| items.last().map(|t| cursor_after(t, query.sort)))
                    .flatten();
                Ok(Page { items, next_cursor })
            })
            .await
    }

    /// Lists the tickets the actor may see, filtered and sorted as the API asks.
    pub async fn list_tickets(
        &self,
        actor: &Actor,
        filter: TicketFilter,
    ) -> AppResult<Page<TicketView>> {
        actor.grant(Permission::TicketRead)?;
        self.page(actor, api_query(&filter)?).await
    }

    /// A built-in inbox view's tickets, one keyset page at a time.
    pub async fn list_inbox(
        &self,
        actor: &Actor,
        view: InboxView,
        sort: TicketSort,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<TicketView>> {
        actor.grant(Permission::TicketRead)?;
        self.page(actor, paged(view.query(), sort, limit, cursor.as_deref())?)
            .await
    }

    /// The tickets of a saved view's filters the actor may see, one keyset page at a time.
    pub async fn list_view_tickets(
        &self,
        actor: &Actor,
        filters: &ViewFilters,
        sort: TicketSort,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<TicketView>> {
        actor.grant(Permission::TicketRead)?;
        self.page(
            actor,
            paged(filters.query()?, sort, limit, cursor.as_deref())?,
        )
        .await
    }

    /// Counts of the built-in views over the tickets the actor sees, each capped at
    /// [`COUNT_CAP`](crate::COUNT_CAP) so a busy desk costs no more than a quiet one.
    pub async fn inbox_counts(&self, actor: &Actor) -> AppResult<InboxCounts> {
        let grant = actor.grant(Permission::TicketRead)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                // The built-in views and every saved view the actor uses, in one statement;
                // a saved view whose stored filters no longer read is left uncounted.
                let saved: Vec<(i64, TicketQuery)> = if actor.may(Permission::ViewUse) {
                    repo::views::usable(conn, actor.id)?
                        .into_iter()
                        .filter_map(|v| v.filters.query().ok().map(|q| (v.id, q)))
                        .collect()
                } else {
                    Vec::new()
                };
                let mut queries: Vec<TicketQuery> =
                    InboxView::ALL.iter().map(|view| view.query()).collect();
                queries.extend(saved.iter().map(|(_, q)| q.clone()));
                let counts = repo::tickets::counts_of(conn, &actor, &queries)?;
                let at = |i: usize| counts.get(i).copied().unwrap_or(0);
                let saved = saved
                    .iter()
                    .enumerate()
                    .map(|(i, (id, _))| (*id, at(InboxView::ALL.len() + i)))
                    .collect();
                Ok(InboxCounts {
                    saved,
                    mine: at(0),
                    unassigned: at(1),
                    all_open: at(2),
                    pending: at(3),
                    solved: at(4),
                })
            })
            .await
    }

    /// Closes tickets solved before `cutoff` (microseconds), at most `batch`; returns how
    /// many. The auto-close worker's step, done as tiski.
    pub async fn close_solved_before(&self, cutoff: i64, batch: i64) -> AppResult<usize> {
        let grant = Actor::system().grant(Permission::TicketUpdate)?;
        self.kernel
            .command(&grant, "ticket.auto_close", move |tx| {
                let ids = repo::tickets::solved_before(tx.conn(), cutoff, batch)?;
                for id in &ids {
                    let ticket = repo::tickets::get(tx.conn(), *id)?;
                    super::set_status(tx, &ticket, Status::Closed)?;
                }
                Ok(ids.len())
            })
            .await
    }
}
