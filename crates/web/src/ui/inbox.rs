//! The inbox: the built-in views with live counts, saved views, sorting, keyset pages and
//! bulk actions.

use super::auth::Ui;
use super::form::{Fields, FormBody, QueryFields};
use super::i18n::Tr;
use super::{Choice, Chrome, UiError, UiResult, html, priority_label, status_label};
use crate::extract::State as AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse};
use std::collections::HashMap;
use tiski_app::App;
use tiski_domain::{Permission, Status, Tag};
use tiski_kernel::{Actor, AppError, AppResult, Page};
use tiski_staff::TeamView;
use tiski_ticketing::{InboxCounts, InboxView, SavedView, TicketPatch, TicketSort, TicketView};

/// Which list the inbox shows.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    /// Open tickets assigned to me.
    Mine,
    /// Open unassigned tickets in my teams.
    Unassigned,
    /// All open tickets in my teams.
    All,
    /// Waiting for the customer.
    Pending,
    /// Solved, not yet closed.
    Solved,
    /// A saved view.
    Saved(i64),
}

impl View {
    /// The view named in a query (`mine` when absent or unknown).
    pub fn parse(text: Option<&str>) -> View {
        match text.unwrap_or("mine") {
            "unassigned" => View::Unassigned,
            "all" => View::All,
            "pending" => View::Pending,
            "solved" => View::Solved,
            other => other
                .strip_prefix("saved-")
                .and_then(|id| id.parse().ok())
                .map(View::Saved)
                .unwrap_or(View::Mine),
        }
    }

    /// The name used in addresses.
    pub fn key(&self) -> String {
        match self {
            View::Mine => "mine".into(),
            View::Unassigned => "unassigned".into(),
            View::All => "all".into(),
            View::Pending => "pending".into(),
            View::Solved => "solved".into(),
            View::Saved(id) => format!("saved-{id}"),
        }
    }
}

/// The sorts offered: by priority, by age (oldest first), by last update.
pub const SORTS: [&str; 3] = ["-updated_at", "-priority", "created_at"];

/// The sorts a column header may ask for besides [`SORTS`] (its other direction).
pub const HEADER_SORTS: [&str; 5] = ["updated_at", "priority", "-created_at", "id", "-id"];

/// The sort named in a query, or the default.
pub fn parse_sort(text: Option<&str>) -> &'static str {
    SORTS
        .iter()
        .chain(HEADER_SORTS.iter())
        .find(|s| Some(**s) == text)
        .copied()
        .unwrap_or(SORTS[0])
}

/// One page of a view's tickets.
pub async fn fetch(
    app: &App,
    actor: &Actor,
    view: &View,
    sort: &str,
    limit: i64,
    cursor: Option<String>,
) -> AppResult<(Page<TicketView>, Option<SavedView>)> {
    let sort = TicketSort::parse(sort).map_err(AppError::from)?;
    let builtin = match view {
        View::Mine => InboxView::Mine,
        View::Unassigned => InboxView::Unassigned,
        View::All => InboxView::All,
        View::Pending => InboxView::Pending,
        View::Solved => InboxView::Solved,
        View::Saved(id) => {
            let saved = app.ticketing.get_saved_view(actor, *id).await?;
            let page = app
                .ticketing
                .list_view_tickets(actor, &saved.filters, sort, Some(limit), cursor)
                .await?;
            return Ok((page, Some(saved)));
        }
    };
    let page = app
        .ticketing
        .list_inbox(actor, builtin, sort, Some(limit), cursor)
        .await?;
    Ok((page, None))
}

/// Names of staff and teams, for showing ids as people.
pub struct Directory {
    /// Staff names by id.
    pub staff: HashMap<i64, String>,
    /// Every team.
    pub teams: Vec<TeamView>,
}

impl Directory {
    /// Loads the directory in three queries.
    pub async fn load(app: &App, actor: &Actor) -> AppResult<Directory> {
        let staff = app.staff.staff_names(actor).await?;
        let teams = app.staff.list_teams(actor, Some(200), None).await?.items;
        Ok(Directory { staff, teams })
    }

    /// A staff member's name.
    pub fn person(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.staff.get(&id).cloned())
            .unwrap_or_default()
    }

    /// A team's name.
    pub fn team(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.teams.iter().find(|t| t.id == id))
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }
}

/// A ticket as a row of the inbox.
pub struct Row {
    /// Ticket id.
    pub id: i64,
    /// Subject.
    pub subject: String,
    /// The customer's name.
    pub requester: String,
    /// Status wire name (for styling).
    pub status: &'static str,
    /// Status label.
    pub status_label: String,
    /// Priority wire name.
    pub priority: &'static str,
    /// Priority label.
    pub priority_label: String,
    /// Assignee's name, empty when unassigned.
    pub assignee: String,
    /// Team name.
    pub team: String,
    /// How long ago it changed.
    pub updated_ago: String,
    /// When it changed.
    pub updated_full: String,
    /// How long the customer has waited for an answer; empty when nobody waits.
    pub waiting_ago: String,
    /// Since when, in full.
    pub waiting_full: String,
    /// Tags.
    pub tags: Vec<String>,
    /// The ticket page, keeping the view for "next ticket".
    pub href: String,
}

/// Since when the customers of `tickets` wait (one query for the page).
pub async fn waiting(app: &App, actor: &Actor, tickets: &[TicketView]) -> HashMap<i64, String> {
    let ids = tickets.iter().map(|t| t.id).collect();
    app.ticketing
        .waiting_since(actor, ids)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "the inbox could not read how long customers wait");
            HashMap::new()
        })
}

/// Turns tickets into rows.
pub fn rows(
    tr: &Tr,
    directory: &Directory,
    tickets: &[TicketView],
    view: &View,
    sort: &str,
    waiting: &HashMap<i64, String>,
) -> Vec<Row> {
    tickets
        .iter()
        .map(|t| Row {
            waiting_ago: waiting.get(&t.id).map(|w| tr.ago(w)).unwrap_or_default(),
            waiting_full: waiting.get(&t.id).map(|w| tr.date(w)).unwrap_or_default(),
            id: t.id,
            subject: t.subject.clone(),
            requester: t.requester.name.clone(),
            status: t.status.as_str(),
            status_label: status_label(tr, t.status),
            priority: t.priority.as_str(),
            priority_label: priority_label(tr, t.priority),
            assignee: directory.person(t.assignee_id),
            team: directory.team(t.team_id),
            updated_ago: tr.ago(&t.updated_at),
            updated_full: tr.date(&t.updated_at),
            tags: t.tags.clone(),
            href: format!("/tickets/{}?view={}&sort={}", t.id, view.key(), sort),
        })
        .collect()
}

/// A view in the navigation, with its count.
pub struct NavItem {
    /// Address.
    pub href: String,
    /// Label.
    pub label: String,
    /// Count, shown when known.
    pub count: Option<String>,
    /// Whether it is open.
    pub active: bool,
    /// Stable test id.
    pub testid: String,
}

/// The navigation of views.
pub fn nav(tr: &Tr, counts: &InboxCounts, saved: &[SavedView], current: &View) -> Vec<NavItem> {
    let builtin = [
        (View::Mine, "view-mine", counts.mine),
        (View::Unassigned, "view-unassigned", counts.unassigned),
        (View::All, "view-all", counts.all_open),
        (View::Pending, "view-pending", counts.pending),
        (View::Solved, "view-solved", counts.solved),
    ];
    let mut items: Vec<NavItem> = builtin
        .into_iter()
        .map(|(view, key, count)| NavItem {
            href: format!("/inbox?view={}", view.key()),
            label: tr.t(key),
            count: Some(if count >= tiski_ticketing::COUNT_CAP {
                format!("{}+", tr.num(tiski_ticketing::COUNT_CAP - 1))
            } else {
                tr.num(count)
            }),
            active: *current == view,
            testid: format!("nav-{}", view.key()),
        })
        .collect();
    items.extend(saved.iter().map(|s| NavItem {
        href: format!("/inbox?view=saved-{}", s.id),
        label: s.name.clone(),
        count: counts.saved.get(&s.id).map(|&count| {
            if count >= tiski_ticketing::COUNT_CAP {
                format!("{}+", tr.num(tiski_ticketing::COUNT_CAP - 1))
            } else {
                tr.num(count)
            }
        }),
        active: *current == View::Saved(s.id),
        testid: format!("nav-saved-{}", s.id),
    }));
    items
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    c: Chrome,
    nav: Vec<NavItem>,
    view: String,
    sort: String,
    title: String,
    sorts: Vec<Choice>,
    rows: Vec<Row>,
    more: Option<String>,
    assignees: Vec<Choice>,
    statuses: Vec<Choice>,
    saved_id: Option<i64>,
    saved_deletable: bool,
}

#[derive(Template)]
#[template(path = "inbox_rows.html")]
struct RowsFragment {
    c: Chrome,
    rows: Vec<Row>,
    more: Option<String>,
    whole: bool,
}

#[derive(Template)]
#[template(path = "inbox_nav.html")]
struct NavFragment {
    c: Chrome,
    nav: Vec<NavItem>,
    view: String,
}

fn more_url(view: &View, sort: &str, cursor: Option<&String>) -> Option<String> {
    cursor.map(|c| {
        format!(
            "/ui/inbox/list?view={}&sort={}&cursor={}&part=rows",
            view.key(),
            sort,
            c
        )
    })
}

fn view_title(tr: &Tr, view: &View, saved: Option<&SavedView>) -> String {
    match view {
        View::Mine => tr.t("view-mine"),
        View::Unassigned => tr.t("view-unassigned"),
        View::All => tr.t("view-all"),
        View::Pending => tr.t("view-pending"),
        View::Solved => tr.t("view-solved"),
        View::Saved(_) => saved.map(|s| s.name.clone()).unwrap_or_default(),
    }
}

const PAGE_SIZE: i64 = 50;

/// `GET /inbox?view=&sort=`: the inbox page.
pub async fn page(
    State(app): State<AppState>,
    ui: Ui,
    QueryFields(query): QueryFields,
) -> UiResult {
    let view = View::parse(query.get("view"));
    let sort = parse_sort(query.get("sort"));
    let err = |e| UiError::from_app(&ui, e);
    let ((page, saved), counts, saved_views, directory, agents) = tokio::try_join!(
        fetch(&app, &ui.actor, &view, sort, PAGE_SIZE, None),
        app.ticketing.inbox_counts(&ui.actor),
        app.ticketing.list_saved_views(&ui.actor),
        Directory::load(&app, &ui.actor),
        app.staff.list_agents(&ui.actor, Some(200), None),
    )
    .map_err(err)?;
    let tr = &ui.tr;
    let title = view_title(tr, &view, saved.as_ref());
    let mut assignees = vec![
        Choice::new("me", tr.t("bulk-assign-me"), false),
        Choice::new("none", tr.t("bulk-unassign"), false),
    ];
    assignees.extend(
        agents
            .items
            .iter()
            .filter(|a| a.active && a.id != ui.actor.id)
            .map(|a| Choice::new(a.id.to_string(), a.name.clone(), false)),
    );
    let statuses = Status::ALL
        .iter()
        .filter(|s| !matches!(s, Status::New | Status::Closed))
        .map(|s| Choice::new(s.as_str(), status_label(tr, *s), false))
        .collect();
    let sorts = SORTS
        .iter()
        .map(|s| {
            Choice::new(
                *s,
                tr.t(&format!(
                    "sort-{}",
                    s.trim_start_matches('-').replace('_', "-")
                )),
                *s == sort,
            )
        })
        .collect();
    let saved_deletable = saved
        .as_ref()
        .is_some_and(|s| s.owner_id == Some(ui.actor.id) || ui.actor.may(Permission::ViewShare));
    let page_html = InboxPage {
        nav: nav(tr, &counts, &saved_views, &view),
        rows: rows(
            tr,
            &directory,
            &page.items,
            &view,
            sort,
            &waiting(&app, &ui.actor, &page.items).await,
        ),
        more: more_url(&view, sort, page.next_cursor.as_ref()),
        view: view.key(),
        sort: sort.to_string(),
        sorts,
        assignees,
        statuses,
        saved_id: saved.as_ref().map(|s| s.id),
        saved_deletable,
        c: Chrome::new(&ui, "inbox", title.clone()),
        title,
    };
    Ok(html(&page_html))
}

/// `GET /ui/inbox/list?view=&sort=&cursor=&part=`: the rows of a view; with `part=rows` only
/// the next page's rows (to append), otherwise the whole table body.
pub async fn list(
    State(app): State<AppState>,
    ui: Ui,
    QueryFields(query): QueryFields,
) -> UiResult {
    let view = View::parse(query.get("view"));
    let sort = parse_sort(query.get("sort"));
    let cursor = query.text("cursor");
    let err = |e| UiError::from_app(&ui, e);
    let ((page, _), directory) = tokio::try_join!(
        fetch(&app, &ui.actor, &view, sort, PAGE_SIZE, cursor),
        Directory::load(&app, &ui.actor),
    )
    .map_err(err)?;
    let fragment = RowsFragment {
        rows: rows(
            &ui.tr,
            &directory,
            &page.items,
            &view,
            sort,
            &waiting(&app, &ui.actor, &page.items).await,
        ),
        more: more_url(&view, sort, page.next_cursor.as_ref()),
        whole: query.get("part") != Some("rows"),
        c: Chrome::new(&ui, "inbox", String::new()),
    };
    Ok(html(&fragment))
}

/// `GET /ui/inbox/counts?view=`: the navigation with fresh counts.
pub async fn counts(
    State(app): State<AppState>,
    ui: Ui,
    QueryFields(query): QueryFields,
) -> UiResult {
    // Without a view (pages other than the inbox), none is marked open.
    let view = match query.get("view") {
        Some(view) => View::parse(Some(view)),
        None => View::Saved(0),
    };
    let (counts, saved) = tokio::try_join!(
        app.ticketing.inbox_counts(&ui.actor),
        app.ticketing.list_saved_views(&ui.actor)
    )
    .map_err(|e| UiError::from_app(&ui, e))?;
    let fragment = NavFragment {
        nav: nav(&ui.tr, &counts, &saved, &view),
        view: view.key(),
        c: Chrome::new(&ui, "inbox", String::new()),
    };
    Ok(html(&fragment))
}

/// Applies one bulk action to one ticket.
async fn bulk_one(app: &App, actor: &Actor, id: i64, form: &Fields) -> AppResult<()> {
    let mut patch = TicketPatch::default();
    match form.get("action") {
        Some("assign") => {
            patch.assignee_id = Some(match form.get("assignee") {
                Some("me") => Some(actor.id),
                Some("none") | None => None,
                Some(other) => other.parse().ok(),
            });
        }
        Some("status") => {
            patch.status = form.get("status").and_then(|s| Status::parse(s).ok());
        }
        Some("tag") => {
            patch.add_tags = form
                .text("tag")
                .map(|t| Tag::split(&t).map(str::to_string).collect());
        }
        _ => return Ok(()),
    }
    app.ticketing
        .update_ticket(actor, id, patch)
        .await
        .map(|_| ())
}

/// `POST /ui/inbox/bulk`: assign, change the status of, or tag the selected tickets; answers
/// the refreshed rows and a notice.
pub async fn bulk(State(app): State<AppState>, ui: Ui, FormBody(form): FormBody) -> UiResult {
    let ids: Vec<i64> = form
        .all("ids")
        .iter()
        .filter_map(|v| v.parse().ok())
        .take(200)
        .collect();
    if ids.is_empty() {
        return Err(UiError::new(
            &ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "bulk-none-selected",
        ));
    }
    if form.get("action") == Some("tag") {
        let tags = super::tags::from_input(&ui, form.get("tag").unwrap_or(""))?;
        if tags.is_empty() {
            return Err(UiError::new(
                &ui,
                StatusCode::UNPROCESSABLE_ENTITY,
                "tag-error-empty",
            ));
        }
    }
    let mut done = 0;
    let mut failed = 0;
    for id in &ids {
        match bulk_one(&app, &ui.actor, *id, &form).await {
            Ok(()) => done += 1,
            Err(error) => {
                tracing::info!(%error, ticket = id, "a bulk change was refused");
                failed += 1;
            }
        }
    }
    let view = View::parse(form.get("view"));
    let sort = parse_sort(form.get("sort"));
    let ((page, _), directory) = tokio::try_join!(
        fetch(&app, &ui.actor, &view, sort, PAGE_SIZE, None),
        Directory::load(&app, &ui.actor),
    )
    .map_err(|e| UiError::from_app(&ui, e))?;
    let fragment = RowsFragment {
        rows: rows(
            &ui.tr,
            &directory,
            &page.items,
            &view,
            sort,
            &waiting(&app, &ui.actor, &page.items).await,
        ),
        more: more_url(&view, sort, page.next_cursor.as_ref()),
        whole: true,
        c: Chrome::new(&ui, "inbox", String::new()),
    };
    let mut body = fragment.render().unwrap_or_default();
    let notice = if failed == 0 {
        super::flash("ok", &ui.tr.tn("bulk-done", "n", done))
    } else {
        super::flash(
            "error",
            &ui.tr.targs(
                "bulk-partly",
                &[("done", &done.to_string()), ("failed", &failed.to_string())],
            ),
        )
    };
    body.push_str(&format!(
        "<div id=\"flash\" hx-swap-oob=\"innerHTML\">{notice}</div>"
    ));
    let mut response = Html(body).into_response();
    response
        .headers_mut()
        .insert("hx-trigger", HeaderValue::from_static("tiski:counts"));
    Ok(response)
}
