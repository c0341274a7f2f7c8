//! Tickets: create, change, read and list, within what the actor may see.

use crate::cursor::{Cursor, Page};
use crate::idempotency::{self, Idempotency, Stored};
use crate::messages::{self, NewMessage};
use crate::{Actor, App, AppError, AppResult, customers, events, time};
use serde::{Deserialize, Serialize};
use tiski_domain::{
    AuthorKind, Channel, EmailAddress, EventType, MessageKind, PhoneE164, Priority, Status, Tag,
};
use tiski_store::{Conn, Row, WriteTx, params};

/// The requester of a ticket, as shown on it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RequesterView {
    /// Customer id.
    pub id: i64,
    /// Customer name.
    pub name: String,
}

/// A ticket as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TicketView {
    /// Id (the ticket number).
    pub id: i64,
    /// Subject.
    pub subject: String,
    /// Status.
    pub status: Status,
    /// Priority.
    pub priority: Priority,
    /// Channel the ticket came through.
    pub channel: Channel,
    /// Team that owns it.
    pub team_id: Option<i64>,
    /// Agent working it.
    pub assignee_id: Option<i64>,
    /// The customer who asked.
    pub requester: RequesterView,
    /// Language of the conversation.
    pub language: Option<String>,
    /// Tags, sorted.
    pub tags: Vec<String>,
    /// The closed ticket this one follows up.
    pub follow_up_of: Option<i64>,
    /// The mailbox the conversation runs through, for email tickets.
    pub mailbox_id: Option<i64>,
    /// When it was created.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// When it was last solved.
    pub solved_at: Option<String>,
    /// When it was closed.
    pub closed_at: Option<String>,
}

/// A ticket in a customer's list of tickets.
pub type TicketSummary = TicketView;

/// Who asks: an existing customer by id, or by email or phone (found or created).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequesterInput {
    /// An existing customer's id.
    pub id: Option<i64>,
    /// Email address; the customer is found or created.
    pub email: Option<String>,
    /// Phone number (E.164); the customer is found or created.
    pub phone: Option<String>,
    /// Name for a customer created now.
    pub name: Option<String>,
}

/// Input for a new ticket.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    /// Subject, 1 to 500 characters.
    pub subject: String,
    /// Who asks.
    pub requester: RequesterInput,
    /// Owning team; defaults to the creator's first team.
    pub team_id: Option<i64>,
    /// Assignee.
    pub assignee_id: Option<i64>,
    /// Priority, `normal` when absent.
    pub priority: Option<Priority>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Channel, `api` when absent.
    pub channel: Option<Channel>,
    /// Language of the conversation; defaults to the customer's.
    pub language: Option<String>,
    /// The first message.
    pub message: NewMessage,
}

/// Changes to a ticket; absent fields stay, `null` clears team or assignee.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketPatch {
    /// New subject.
    pub subject: Option<String>,
    /// New status (transitions are checked).
    pub status: Option<Status>,
    /// New priority.
    pub priority: Option<Priority>,
    /// New team, or `null`.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<Option<i64>>,
    /// New assignee, or `null`.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<i64>>,
    /// The complete new set of tags.
    pub tags: Option<Vec<String>>,
    /// Tags to add.
    pub add_tags: Option<Vec<String>>,
    /// Tags to remove.
    pub remove_tags: Option<Vec<String>>,
}

/// Filters and order of a ticket list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TicketFilter {
    /// Only these statuses (comma-separated).
    pub status: Option<String>,
    /// Only this team.
    pub team_id: Option<i64>,
    /// Only this assignee, or `none` for unassigned.
    pub assignee_id: Option<String>,
    /// Only this customer's tickets.
    pub customer_id: Option<i64>,
    /// Only tickets with this tag.
    pub tag: Option<String>,
    /// Only tickets changed at or after this time (RFC 3339).
    pub updated_since: Option<String>,
    /// `updated_at`, `created_at`, `priority` or `id`; prefix `-` for descending.
    /// Default `-updated_at`.
    pub sort: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub(crate) const COLUMNS: &str = "t.id, t.subject, t.status, t.priority, t.channel, t.team_id, t.assignee_id, \
     t.requester_id, c.name, t.language, t.tags, t.follow_up_of, t.created_at, t.updated_at, t.solved_at, t.closed_at, t.mailbox_id";
pub(crate) const FROM: &str = "tickets t JOIN customers c ON c.id = t.requester_id";

pub(crate) fn view(row: &Row) -> AppResult<TicketView> {
    let status: String = row.get(2)?;
    let channel: String = row.get(4)?;
    let tags: String = row.get(10)?;
    Ok(TicketView {
        id: row.get(0)?,
        subject: row.get(1)?,
        status: Status::parse(&status).unwrap_or(Status::Open),
        priority: Priority::from_rank(row.get(3)?).unwrap_or(Priority::Normal),
        channel: Channel::parse(&channel).unwrap_or(Channel::Api),
        team_id: row.get(5)?,
        assignee_id: row.get(6)?,
        requester: RequesterView {
            id: row.get(7)?,
            name: row.get(8)?,
        },
        language: row.get(9)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        follow_up_of: row.get(11)?,
        created_at: time::format(row.get(12)?),
        updated_at: time::format(row.get(13)?),
        solved_at: time::format_opt(row.get(14)?),
        closed_at: time::format_opt(row.get(15)?),
        mailbox_id: row.get(16)?,
    })
}

/// A ticket regardless of who asks (inside commands that already checked).
pub(crate) fn get_in(conn: &mut dyn Conn, id: i64) -> AppResult<TicketView> {
    let row = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM {FROM} WHERE t.id = $1"),
            params![id],
        )?
        .ok_or(AppError::not_found("ticket"))?;
    view(&row)
}

/// A ticket if `actor` may see it; otherwise not found.
pub(crate) fn get_visible(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<TicketView> {
    let row = conn
        .query_opt(
            &format!(
                "SELECT {COLUMNS} FROM {FROM} WHERE t.id = $1 AND {}",
                actor.ticket_scope_sql()
            ),
            params![id],
        )?
        .ok_or(AppError::not_found("ticket"))?;
    view(&row)
}

/// The newest 50 tickets of a customer that `actor` may see.
pub(crate) fn summaries_of_customer(
    conn: &mut dyn Conn,
    actor: &Actor,
    customer_id: i64,
) -> AppResult<Vec<TicketSummary>> {
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE t.requester_id = $1 AND {} ORDER BY t.updated_at DESC, t.id DESC LIMIT 50",
            actor.ticket_scope_sql()
        ),
        params![customer_id],
    )?
    .iter()
    .map(view)
    .collect()
}

fn parse_subject(subject: &str) -> AppResult<String> {
    crate::refuse_nul("subject", subject)?;
    let subject = subject.trim();
    if subject.is_empty() || subject.chars().count() > 500 {
        return Err(AppError::invalid(
            "subject",
            "The subject must have 1 to 500 characters.",
        ));
    }
    Ok(subject.to_string())
}

fn parse_tags(field: &str, tags: &[String]) -> AppResult<Vec<String>> {
    if tags.len() > 50 {
        return Err(AppError::invalid(field, "At most 50 tags."));
    }
    let mut out = tags
        .iter()
        .enumerate()
        .map(|(i, t)| {
            Tag::parse(t)
                .map(Tag::into_string)
                .map_err(|e| AppError::invalid(format!("{field}/{i}"), e.message))
        })
        .collect::<AppResult<Vec<_>>>()?;
    out.sort();
    out.dedup();
    Ok(out)
}

/// The requester identity, validated: an id, or an (kind, normalised value) pair.
enum Requester {
    Id(i64),
    Identity(&'static str, String),
}

fn parse_requester(input: &RequesterInput) -> AppResult<Requester> {
    if let Some(name) = &input.name {
        customers::parse_name("requester.name", name)?;
    }
    match (input.id, &input.email, &input.phone) {
        (Some(id), None, None) => Ok(Requester::Id(id)),
        (None, Some(email), None) => EmailAddress::parse(email)
            .map(|e| Requester::Identity("email", e.into_string()))
            .map_err(|e| AppError::invalid("requester.email", e.message)),
        (None, None, Some(phone)) => PhoneE164::parse(phone)
            .map(|p| Requester::Identity("phone", p.into_string()))
            .map_err(|e| AppError::invalid("requester.phone", e.message)),
        (None, None, None) => Err(AppError::invalid(
            "requester",
            "Give the requester's id, email or phone.",
        )),
        _ => Err(AppError::invalid(
            "requester",
            "Give only one of the requester's id, email or phone.",
        )),
    }
}

/// Checks that a team exists.
fn check_team(conn: &mut dyn Conn, field: &str, team_id: i64) -> AppResult<()> {
    if conn
        .query_opt("SELECT id FROM teams WHERE id = $1", params![team_id])?
        .is_none()
    {
        return Err(AppError::invalid(
            field,
            format!("There is no team {team_id}."),
        ));
    }
    Ok(())
}

/// Checks that an assignee is an active user and, when the ticket has a team, a member of it.
fn check_assignee(conn: &mut dyn Conn, assignee_id: i64, team_id: Option<i64>) -> AppResult<()> {
    if conn
        .query_opt(
            "SELECT id FROM users WHERE id = $1 AND active = 1",
            params![assignee_id],
        )?
        .is_none()
    {
        return Err(AppError::invalid(
            "assignee_id",
            format!("There is no active user {assignee_id}."),
        ));
    }
    if let Some(team_id) = team_id
        && conn
            .query_opt(
                "SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2",
                params![team_id, assignee_id],
            )?
            .is_none()
    {
        return Err(AppError::invalid(
            "assignee_id",
            format!("User {assignee_id} is not a member of team {team_id}, which owns the ticket."),
        ));
    }
    Ok(())
}

/// Inserts the tag index rows of a ticket in one statement.
fn insert_tag_rows(conn: &mut dyn Conn, ticket_id: i64, tags: &[String]) -> AppResult<()> {
    if tags.is_empty() {
        return Ok(());
    }
    let values = (0..tags.len())
        .map(|i| format!("($1, ${})", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let mut params = vec![tiski_store::Value::Int(ticket_id)];
    params.extend(tags.iter().map(|t| tiski_store::Value::from(t.as_str())));
    conn.execute(
        &format!("INSERT INTO ticket_tags (ticket_id, tag) VALUES {values}"),
        &params,
    )?;
    Ok(())
}

fn write_tags(conn: &mut dyn Conn, ticket_id: i64, tags: &[String]) -> AppResult<()> {
    conn.execute(
        "DELETE FROM ticket_tags WHERE ticket_id = $1",
        params![ticket_id],
    )?;
    insert_tag_rows(conn, ticket_id, tags)?;
    conn.execute(
        "UPDATE tickets SET tags = $1 WHERE id = $2",
        params![serde_json::to_string(tags)?, ticket_id],
    )?;
    Ok(())
}

/// The fields of a ticket about to be inserted.
pub(crate) struct TicketRow<'a> {
    pub subject: &'a str,
    pub requester: RequesterView,
    pub status: Status,
    pub priority: Priority,
    pub channel: Channel,
    pub team_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub language: Option<String>,
    pub tags: &'a [String],
    pub follow_up_of: Option<i64>,
    pub mailbox_id: Option<i64>,
}

/// Inserts a ticket with its tags and appends `ticket.created`; the view is built from what was
/// written, without reading it back.
pub(crate) fn insert(
    tx: &mut WriteTx<'_>,
    actor: &Actor,
    row: TicketRow<'_>,
) -> AppResult<TicketView> {
    let now = time::now_micros();
    let id: i64 = tx.conn().query_scalar(
        "INSERT INTO tickets (subject, requester_id, status, priority, channel, team_id, assignee_id, language, tags, follow_up_of, created_at, updated_at, mailbox_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $11, $9, $10, $10, $12) RETURNING id",
        params![
            row.subject,
            row.requester.id,
            row.status.as_str(),
            row.priority.rank(),
            row.channel.as_str(),
            row.team_id,
            row.assignee_id,
            row.language.clone(),
            row.follow_up_of,
            now,
            serde_json::to_string(row.tags)?,
            row.mailbox_id
        ],
    )?;
    insert_tag_rows(tx.conn(), id, row.tags)?;
    let ticket = TicketView {
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
    };
    events::append(
        tx,
        actor,
        Some(id),
        EventType::TicketCreated,
        serde_json::json!({"ticket": &ticket}),
    );
    Ok(ticket)
}

/// Sets a ticket's status with its timestamps and appends `ticket.status_changed`.
pub(crate) fn set_status(
    tx: &mut WriteTx<'_>,
    actor: &Actor,
    ticket: &TicketView,
    to: Status,
) -> AppResult<()> {
    if ticket.status == to {
        return Ok(());
    }
    let now = time::now_micros();
    let sql = match to {
        Status::Solved => {
            "UPDATE tickets SET status = $1, solved_at = $2, updated_at = $2 WHERE id = $3"
        }
        Status::Closed => {
            "UPDATE tickets SET status = $1, closed_at = $2, updated_at = $2 WHERE id = $3"
        }
        _ => "UPDATE tickets SET status = $1, solved_at = NULL, updated_at = $2 WHERE id = $3",
    };
    tx.conn()
        .execute(sql, params![to.as_str(), now, ticket.id])?;
    events::append(
        tx,
        actor,
        Some(ticket.id),
        EventType::TicketStatusChanged,
        serde_json::json!({"from": ticket.status, "to": to}),
    );
    Ok(())
}

impl App {
    /// Opens a ticket with its first message, finding or creating the requester.
    pub async fn create_ticket(
        &self,
        actor: &Actor,
        input: NewTicket,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<TicketView>> {
        let subject = parse_subject(&input.subject)?;
        let requester = parse_requester(&input.requester)?;
        let tags = parse_tags("tags", &input.tags)?;
        let language = customers::parse_language("language", input.language.as_deref())?;
        let message = messages::validate(&input.message, "message")?;
        let team_id = input.team_id.or_else(|| {
            (!actor.is_admin())
                .then(|| actor.team_ids.first().copied())
                .flatten()
        });
        let priority = input.priority.unwrap_or(Priority::Normal);
        let channel = input.channel.unwrap_or(Channel::Api);
        let requester_name = input.requester.name.clone();
        let assignee_id = input.assignee_id;
        let actor = actor.clone();
        let result =
            self.store()
                .write(move |tx| {
                    idempotency::run(tx, &actor, idempotency.as_ref(), |tx| {
                        // Any existing customer may be named: an agent takes calls and visits from
                        // customers whose earlier tickets belong to other teams.
                        let customer = match &requester {
                            Requester::Id(id) => customers::find_by_id(tx.conn(), *id)?
                                .ok_or_else(|| {
                                    AppError::invalid(
                                        "requester.id",
                                        format!("There is no customer {id}."),
                                    )
                                })?,
                            Requester::Identity(kind, value) => customers::find_or_create(
                                tx,
                                &actor,
                                (kind, value),
                                requester_name.as_deref(),
                                language.as_ref(),
                            )?,
                        };
                        if let Some(team_id) = team_id {
                            check_team(tx.conn(), "team_id", team_id)?;
                        }
                        if let Some(assignee_id) = assignee_id {
                            check_assignee(tx.conn(), assignee_id, team_id)?;
                        }
                        let language = language
                            .as_ref()
                            .map(|l| l.to_string())
                            .or(customer.language.clone());
                        let status = if message.kind == MessageKind::Reply
                            && message.author == AuthorKind::Agent
                        {
                            Status::Open
                        } else {
                            Status::New
                        };
                        let ticket = insert(
                            tx,
                            &actor,
                            TicketRow {
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
                        messages::insert(tx, &actor, &ticket, &message, channel)?;
                        Ok(ticket)
                    })
                })
                .await;
        self.command_done("ticket.create", &result);
        result
    }

    /// Gets a ticket the actor may see.
    pub async fn get_ticket(&self, actor: &Actor, id: i64) -> AppResult<TicketView> {
        let actor = actor.clone();
        self.store()
            .read(move |conn| get_visible(conn, &actor, id))
            .await
    }

    /// Changes a ticket's subject, status, priority, team, assignee or tags.
    pub async fn update_ticket(
        &self,
        actor: &Actor,
        id: i64,
        patch: TicketPatch,
    ) -> AppResult<TicketView> {
        let subject = patch.subject.as_deref().map(parse_subject).transpose()?;
        let tags = patch
            .tags
            .as_deref()
            .map(|t| parse_tags("tags", t))
            .transpose()?;
        let add_tags = patch
            .add_tags
            .as_deref()
            .map(|t| parse_tags("add_tags", t))
            .transpose()?
            .unwrap_or_default();
        let remove_tags = patch
            .remove_tags
            .as_deref()
            .map(|t| parse_tags("remove_tags", t))
            .transpose()?
            .unwrap_or_default();
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                let ticket = get_visible(tx.conn(), &actor, id)?;
                if ticket.status == Status::Closed {
                    return Err(AppError::Conflict {
                        field: None,
                        message: format!("Ticket {id} is closed and cannot be changed; a new customer message opens a follow-up."),
                    });
                }
                let now = time::now_micros();
                let mut changed = false;
                if let Some(subject) = &subject
                    && *subject != ticket.subject
                {
                    tx.conn().execute("UPDATE tickets SET subject = $1 WHERE id = $2", params![subject.as_str(), id])?;
                    events::append(tx, &actor, Some(id), EventType::TicketSubjectChanged, serde_json::json!({"from": ticket.subject, "to": subject}));
                    changed = true;
                }
                if let Some(priority) = patch.priority
                    && priority != ticket.priority
                {
                    tx.conn().execute("UPDATE tickets SET priority = $1 WHERE id = $2", params![priority.rank(), id])?;
                    events::append(tx, &actor, Some(id), EventType::TicketPriorityChanged, serde_json::json!({"from": ticket.priority, "to": priority}));
                    changed = true;
                }
                let team_id = patch.team_id.unwrap_or(ticket.team_id);
                if team_id != ticket.team_id {
                    if let Some(team_id) = team_id {
                        check_team(tx.conn(), "team_id", team_id)?;
                    }
                    tx.conn().execute("UPDATE tickets SET team_id = $1 WHERE id = $2", params![team_id, id])?;
                    events::append(tx, &actor, Some(id), EventType::TicketTeamChanged, serde_json::json!({"from": ticket.team_id, "to": team_id}));
                    changed = true;
                }
                let mut assignee_id = patch.assignee_id.unwrap_or(ticket.assignee_id);
                // A ticket moved to another team leaves its assignee if they are not in it.
                if patch.assignee_id.is_none()
                    && team_id != ticket.team_id
                    && let (Some(assignee), Some(team)) = (assignee_id, team_id)
                    && tx
                        .conn()
                        .query_opt("SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2", params![team, assignee])?
                        .is_none()
                {
                    assignee_id = None;
                }
                if assignee_id != ticket.assignee_id {
                    if let Some(assignee) = assignee_id {
                        check_assignee(tx.conn(), assignee, team_id)?;
                    }
                    tx.conn().execute("UPDATE tickets SET assignee_id = $1 WHERE id = $2", params![assignee_id, id])?;
                    events::append(tx, &actor, Some(id), EventType::TicketAssigned, serde_json::json!({"from": ticket.assignee_id, "to": assignee_id}));
                    changed = true;
                }
                let mut next_tags = tags.clone().unwrap_or_else(|| ticket.tags.clone());
                next_tags.extend(add_tags.iter().cloned());
                next_tags.retain(|t| !remove_tags.contains(t));
                next_tags.sort();
                next_tags.dedup();
                if next_tags.len() > 50 {
                    return Err(AppError::invalid("tags", "A ticket can have at most 50 tags."));
                }
                if next_tags != ticket.tags {
                    write_tags(tx.conn(), id, &next_tags)?;
                    events::append(tx, &actor, Some(id), EventType::TicketTagsChanged, serde_json::json!({"from": ticket.tags, "to": next_tags}));
                    changed = true;
                }
                if let Some(status) = patch.status
                    && status != ticket.status
                {
                    ticket
                        .status
                        .transition_to(status)
                        .map_err(|e| AppError::conflict("status", e.to_string()))?;
                    set_status(tx, &actor, &ticket, status)?;
                    changed = true;
                }
                if changed {
                    tx.conn().execute("UPDATE tickets SET updated_at = $1 WHERE id = $2", params![now, id])?;
                }
                get_in(tx.conn(), id)
            })
            .await;
        self.command_done("ticket.update", &result);
        result
    }

    /// Lists the tickets the actor may see, filtered and sorted, one keyset page at a time.
    pub async fn list_tickets(
        &self,
        actor: &Actor,
        filter: TicketFilter,
    ) -> AppResult<Page<TicketView>> {
        let query = ListQuery::build(actor, &filter)?;
        self.store()
            .read(move |conn| {
                let rows = conn.query(&query.sql, &query.params)?;
                let mut items = rows.iter().map(view).collect::<AppResult<Vec<_>>>()?;
                let more = items.len() as i64 > query.limit;
                items.truncate(query.limit as usize);
                let next_cursor = more
                    .then(|| items.last().map(|t| query.cursor_after(t)))
                    .flatten();
                Ok(Page { items, next_cursor })
            })
            .await
    }

    /// The tickets past their auto-close time: solved before `cutoff` micros. Used by the
    /// auto-close worker.
    pub(crate) async fn close_solved_before(&self, cutoff: i64, batch: i64) -> AppResult<usize> {
        let system = Actor::system();
        self.store()
            .write(move |tx| {
                let ids = tx
                    .conn()
                    .query(
                        "SELECT id FROM tickets WHERE status = 'solved' AND solved_at < $1 ORDER BY solved_at LIMIT $2",
                        params![cutoff, batch],
                    )?
                    .iter()
                    .map(|r| r.get(0))
                    .collect::<Result<Vec<i64>, _>>()?;
                for id in &ids {
                    let ticket = get_in(tx.conn(), *id)?;
                    set_status(tx, &system, &ticket, Status::Closed)?;
                }
                Ok(ids.len())
            })
            .await
    }
}

/// The SQL of one page of tickets matching `conditions` and one of `statuses` (bound
/// placeholders; empty for any status), ordered by `column` then id.
///
/// With several statuses each status is read as its own index range, at most a page of rows
/// each, and the ranges are merged: a single `status IN (…)` makes the database read and sort
/// every ticket of those statuses, so the cost would grow with the number of open tickets.
pub(crate) fn page_sql(
    conditions: &[String],
    statuses: &[String],
    column: &str,
    descending: bool,
    limit_param: &str,
) -> String {
    let direction = if descending { "DESC" } else { "ASC" };
    let order = |prefix: &str| {
        let name = column.trim_start_matches("t.");
        if name == "id" {
            format!("{prefix}id {direction}")
        } else {
            format!("{prefix}{name} {direction}, {prefix}id {direction}")
        }
    };
    let branch = |status: Option<&String>| {
        let mut all = conditions.to_vec();
        if let Some(status) = status {
            all.push(format!("t.status = {status}"));
        }
        format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE {} ORDER BY {} LIMIT {limit_param}",
            all.join(" AND "),
            order("t.")
        )
    };
    match statuses {
        [] => branch(None),
        [one] => branch(Some(one)),
        many => {
            let parts = many
                .iter()
                .enumerate()
                .map(|(i, status)| format!("SELECT * FROM ({}) AS s{i}", branch(Some(status))))
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            format!(
                "SELECT * FROM ({parts}) AS merged ORDER BY {} LIMIT {limit_param}",
                order("")
            )
        }
    }
}

/// A ticket list query: SQL, parameters and the sort for the next cursor.
struct ListQuery {
    sql: String,
    params: Vec<tiski_store::Value>,
    limit: i64,
    sort: String,
    column: &'static str,
}

impl ListQuery {
    fn build(actor: &Actor, filter: &TicketFilter) -> AppResult<ListQuery> {
        let limit = crate::cursor::limit(filter.limit)?;
        let sort = filter.sort.clone().unwrap_or_else(|| "-updated_at".into());
        let (descending, name) = match sort.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, sort.as_str()),
        };
        let column = match name {
            "updated_at" => "t.updated_at",
            "created_at" => "t.created_at",
            "priority" => "t.priority",
            "id" => "t.id",
            _ => {
                return Err(AppError::invalid(
                    "sort",
                    "The sort must be updated_at, created_at, priority or id, optionally prefixed with - for descending.",
                ));
            }
        };
        let mut conditions = vec![actor.ticket_scope_sql()];
        let mut params: Vec<tiski_store::Value> = Vec::new();
        let bind = |params: &mut Vec<tiski_store::Value>, value: tiski_store::Value| {
            params.push(value);
            format!("${}", params.len())
        };
        let mut statuses: Vec<String> = Vec::new();
        if let Some(wanted) = &filter.status {
            let mut list = Vec::new();
            for status in wanted.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let status =
                    Status::parse(status).map_err(|e| AppError::invalid("status", e.message))?;
                list.push(bind(&mut params, status.as_str().into()));
            }
            if list.is_empty() {
                return Err(AppError::invalid("status", "Give at least one status."));
            }
            statuses = list;
        }
        if let Some(team_id) = filter.team_id {
            conditions.push(format!("t.team_id = {}", bind(&mut params, team_id.into())));
        }
        match filter.assignee_id.as_deref() {
            None => {}
            Some("none") => conditions.push("t.assignee_id IS NULL".into()),
            Some(text) => {
                let id: i64 = text.parse().map_err(|_| {
                    AppError::invalid("assignee_id", "The assignee_id must be a user id or none.")
                })?;
                conditions.push(format!("t.assignee_id = {}", bind(&mut params, id.into())));
            }
        }
        if let Some(customer_id) = filter.customer_id {
            conditions.push(format!(
                "t.requester_id = {}",
                bind(&mut params, customer_id.into())
            ));
        }
        if let Some(tag) = &filter.tag {
            let tag = Tag::parse(tag).map_err(|e| AppError::invalid("tag", e.message))?;
            conditions.push(format!(
                "t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = {})",
                bind(&mut params, tag.into_string().into())
            ));
        }
        if let Some(since) = &filter.updated_since {
            let since = time::parse("updated_since", since)?;
            conditions.push(format!(
                "t.updated_at >= {}",
                bind(&mut params, since.into())
            ));
        }
        if let Some(text) = &filter.cursor {
            let cursor = Cursor::decode(text, &sort)?;
            let op = if descending { "<" } else { ">" };
            // Bind only what the condition uses: PostgreSQL refuses unused parameters.
            conditions.push(if column == "t.id" {
                let id = bind(&mut params, cursor.id.into());
                format!("t.id {op} {id}")
            } else {
                let value = bind(&mut params, cursor.value.into());
                let id = bind(&mut params, cursor.id.into());
                format!("({column}, t.id) {op} ({value}, {id})")
            });
        }
        let limit_param = bind(&mut params, (limit + 1).into());
        let sql = page_sql(&conditions, &statuses, column, descending, &limit_param);
        Ok(ListQuery {
            sql,
            params,
            limit,
            sort,
            column,
        })
    }

    fn cursor_after(&self, ticket: &TicketView) -> String {
        let micros = |text: &str| time::parse("cursor", text).unwrap_or(0);
        let value = match self.column {
            "t.updated_at" => micros(&ticket.updated_at),
            "t.created_at" => micros(&ticket.created_at),
            "t.priority" => ticket.priority.rank(),
            _ => ticket.id,
        };
        Cursor {
            sort: self.sort.clone(),
            value,
            id: ticket.id,
        }
        .encode()
    }
}
