//! Inbox views: the built-in ones with their live counts, and saved views an agent keeps for
//! themselves or a supervisor shares, each a set of filters over the tickets the actor sees.

use crate::cursor::{Cursor, Page};
use crate::tickets::{self, TicketView};
use crate::{Actor, App, AppError, AppResult, time};
use serde::{Deserialize, Serialize};
use tiski_domain::{Channel, LanguageTag, Priority, Status, Tag};
use tiski_store::{Value, params};

/// The statuses the "open" views count: work that is not waiting for the customer.
pub const OPEN_STATUSES: &[Status] = &[Status::New, Status::Open, Status::OnHold];

/// Filters of a saved view; absent ones do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewFilters {
    /// Only these statuses (none: all).
    pub status: Vec<Status>,
    /// Only this team.
    pub team_id: Option<i64>,
    /// `me`, `none` or a user id.
    pub assignee: Option<String>,
    /// Only tickets with this tag.
    pub tag: Option<String>,
    /// Only this priority.
    pub priority: Option<Priority>,
    /// Only this channel.
    pub channel: Option<Channel>,
    /// Only this conversation language.
    pub language: Option<String>,
}

/// A saved view.
#[derive(Debug, Clone, Serialize)]
pub struct SavedView {
    /// Id.
    pub id: i64,
    /// Name shown in the inbox.
    pub name: String,
    /// Its filters.
    pub filters: ViewFilters,
    /// The owner of a personal view; `None` when shared.
    pub owner_id: Option<i64>,
}

/// The live counts of the built-in views.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InboxCounts {
    /// Open tickets assigned to the actor.
    pub mine: i64,
    /// Open unassigned tickets the actor sees (their teams').
    pub unassigned: i64,
    /// All open tickets the actor sees.
    pub all_open: i64,
    /// Tickets waiting for the customer.
    pub pending: i64,
    /// Solved tickets not yet closed.
    pub solved: i64,
}

impl ViewFilters {
    /// Checks the filters' values.
    pub fn validate(&self) -> AppResult<()> {
        if let Some(tag) = &self.tag {
            Tag::parse(tag).map_err(|e| AppError::invalid("tag", e.message))?;
        }
        if let Some(language) = &self.language {
            LanguageTag::parse(language).map_err(|e| AppError::invalid("language", e.message))?;
        }
        match self.assignee.as_deref() {
            None | Some("me") | Some("none") => {}
            Some(other) => {
                other.parse::<i64>().map_err(|_| {
                    AppError::invalid("assignee", "The assignee must be me, none or a user id.")
                })?;
            }
        }
        Ok(())
    }
}

/// Pushes a parameter and returns its placeholder.
fn bind(params: &mut Vec<Value>, value: Value) -> String {
    params.push(value);
    format!("${}", params.len())
}

/// The sort column and direction of a sort name: `-priority`, `created_at`, `-updated_at`…
fn sort_column(sort: &str) -> AppResult<(&'static str, bool)> {
    let (descending, name) = match sort.strip_prefix('-') {
        Some(name) => (true, name),
        None => (false, sort),
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
    Ok((column, descending))
}

/// The value a ticket has in a sort column, for keyset cursors.
pub fn sort_value(ticket: &TicketView, sort: &str) -> i64 {
    let micros = |text: &str| time::parse("cursor", text).unwrap_or(0);
    match sort.trim_start_matches('-') {
        "updated_at" => micros(&ticket.updated_at),
        "created_at" => micros(&ticket.created_at),
        "priority" => ticket.priority.rank(),
        _ => ticket.id,
    }
}

/// The cursor that starts a page right after `ticket` under `sort`.
pub fn cursor_after(ticket: &TicketView, sort: &str) -> String {
    Cursor {
        sort: sort.to_string(),
        value: sort_value(ticket, sort),
        id: ticket.id,
    }
    .encode()
}

fn view_row(row: &tiski_store::Row) -> AppResult<SavedView> {
    let filters: String = row.get(2)?;
    Ok(SavedView {
        id: row.get(0)?,
        name: row.get(1)?,
        filters: serde_json::from_str(&filters).unwrap_or_default(),
        owner_id: row.get(3)?,
    })
}

/// The most a view count reads; the UI shows this as "999+".
pub const COUNT_CAP: i64 = 1000;

impl App {
    /// Counts of the built-in views over the tickets the actor sees, each capped at
    /// [`COUNT_CAP`] so a busy desk costs no more than a quiet one.
    pub async fn inbox_counts(&self, actor: &Actor) -> AppResult<InboxCounts> {
        let scope = actor.ticket_scope_sql();
        let me = actor.id;
        self.store()
            .read(move |conn| {
                // Each count reads at most COUNT_CAP index entries, so the cost stays flat
                // however many tickets are open; the UI shows the cap as "999+".
                let capped = |condition: &str| {
                    format!(
                        "(SELECT COUNT(*) FROM (SELECT 1 FROM tickets t WHERE {condition} AND {scope} LIMIT {COUNT_CAP}) AS c)"
                    )
                };
                let open = "t.status IN ('new', 'open', 'on_hold')";
                let row = conn.query_one(
                    &format!(
                        "SELECT {}, {}, {}, {}, {}",
                        capped(&format!("t.assignee_id = $1 AND {open}")),
                        capped(&format!("t.assignee_id IS NULL AND {open}")),
                        capped(open),
                        capped("t.status = 'pending'"),
                        capped("t.status = 'solved'"),
                    ),
                    params![me],
                )?;
                Ok(InboxCounts {
                    mine: row.get(0)?,
                    unassigned: row.get(1)?,
                    all_open: row.get(2)?,
                    pending: row.get(3)?,
                    solved: row.get(4)?,
                })
            })
            .await
    }

    /// The tickets of a saved view's filters the actor may see, one keyset page at a time.
    /// Beyond [`App::list_tickets`] it filters by priority, channel and language.
    pub async fn list_view_tickets(
        &self,
        actor: &Actor,
        filters: &ViewFilters,
        sort: &str,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<TicketView>> {
        filters.validate()?;
        let limit = crate::cursor::limit(limit)?;
        let (column, descending) = sort_column(sort)?;
        let mut conditions = vec![actor.ticket_scope_sql()];
        let mut params: Vec<Value> = Vec::new();
        let statuses = filters
            .status
            .iter()
            .map(|s| bind(&mut params, s.as_str().into()))
            .collect::<Vec<_>>();
        if let Some(team_id) = filters.team_id {
            conditions.push(format!("t.team_id = {}", bind(&mut params, team_id.into())));
        }
        match filters.assignee.as_deref() {
            None => {}
            Some("none") => conditions.push("t.assignee_id IS NULL".into()),
            Some("me") => conditions.push(format!(
                "t.assignee_id = {}",
                bind(&mut params, actor.id.into())
            )),
            Some(id) => {
                let id: i64 = id.parse().unwrap_or(0);
                conditions.push(format!("t.assignee_id = {}", bind(&mut params, id.into())));
            }
        }
        if let Some(tag) = &filters.tag {
            let tag = Tag::parse(tag)
                .map_err(|e| AppError::invalid("tag", e.message))?
                .into_string();
            conditions.push(format!(
                "t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = {})",
                bind(&mut params, tag.into())
            ));
        }
        if let Some(priority) = filters.priority {
            conditions.push(format!(
                "t.priority = {}",
                bind(&mut params, priority.rank().into())
            ));
        }
        if let Some(channel) = filters.channel {
            conditions.push(format!(
                "t.channel = {}",
                bind(&mut params, channel.as_str().into())
            ));
        }
        if let Some(language) = &filters.language {
            conditions.push(format!(
                "t.language = {}",
                bind(&mut params, language.as_str().into())
            ));
        }
        if let Some(text) = &cursor {
            let cursor = Cursor::decode(text, sort)?;
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
        let sql = tickets::page_sql(&conditions, &statuses, column, descending, &limit_param);
        let sort = sort.to_string();
        self.store()
            .read(move |conn| {
                let rows = conn.query(&sql, &params)?;
                let mut items = rows
                    .iter()
                    .map(tickets::view)
                    .collect::<AppResult<Vec<_>>>()?;
                let more = items.len() as i64 > limit;
                items.truncate(limit as usize);
                let next_cursor = more
                    .then(|| items.last().map(|t| cursor_after(t, &sort)))
                    .flatten();
                Ok(Page { items, next_cursor })
            })
            .await
    }

    /// The saved views the actor sees: shared ones and their own, by name.
    pub async fn list_saved_views(&self, actor: &Actor) -> AppResult<Vec<SavedView>> {
        let me = actor.id;
        self.store()
            .read(move |conn| {
                conn.query(
                    "SELECT id, name, filters, owner_id FROM saved_views WHERE owner_id IS NULL OR owner_id = $1 ORDER BY name, id LIMIT 100",
                    params![me],
                )?
                .iter()
                .map(view_row)
                .collect()
            })
            .await
    }

    /// One saved view the actor sees.
    pub async fn get_saved_view(&self, actor: &Actor, id: i64) -> AppResult<SavedView> {
        let me = actor.id;
        self.store()
            .read(move |conn| {
                let row = conn
                    .query_opt(
                        "SELECT id, name, filters, owner_id FROM saved_views WHERE id = $1 AND (owner_id IS NULL OR owner_id = $2)",
                        params![id, me],
                    )?
                    .ok_or(AppError::not_found("view"))?;
                view_row(&row)
            })
            .await
    }

    /// Saves a view: personal, or shared with everyone (supervisors and admins).
    pub async fn create_saved_view(
        &self,
        actor: &Actor,
        name: &str,
        filters: ViewFilters,
        shared: bool,
    ) -> AppResult<SavedView> {
        crate::refuse_nul("name", name)?;
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::invalid(
                "name",
                "The name must have 1 to 100 characters.",
            ));
        }
        if shared && !actor.is_supervisor_or_admin() {
            return Err(AppError::forbidden(
                "Only supervisors and admins may share views.",
            ));
        }
        filters.validate()?;
        let json = serde_json::to_string(&filters)?;
        let owner = (!shared).then_some(actor.id);
        let me = actor.id;
        let result = self
            .store()
            .write(move |tx| {
                let id: i64 = tx.conn().query_scalar(
                    "INSERT INTO saved_views (name, filters, owner_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    params![name.as_str(), json.as_str(), owner, me, time::now_micros()],
                )?;
                Ok(SavedView {
                    id,
                    name: name.clone(),
                    filters: filters.clone(),
                    owner_id: owner,
                })
            })
            .await;
        self.command_done("view.create", &result);
        result
    }

    /// Deletes a saved view: one's own, or a shared one (supervisors and admins).
    pub async fn delete_saved_view(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let found = self.get_saved_view(actor, id).await?;
        if found.owner_id.is_none() && !actor.is_supervisor_or_admin() {
            return Err(AppError::forbidden(
                "Only supervisors and admins may delete shared views.",
            ));
        }
        let result = self
            .store()
            .write(move |tx| {
                tx.conn()
                    .execute("DELETE FROM saved_views WHERE id = $1", params![id])?;
                Ok(())
            })
            .await;
        self.command_done("view.delete", &result);
        result
    }
}
