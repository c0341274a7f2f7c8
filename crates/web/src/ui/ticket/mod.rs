//! The ticket page: the conversation and history as one timeline, the reply box, the ticket's
//! properties changed in place, the customer panel, macros and attachments.
//!
//! One file per part of the page; this one holds the page itself, the loading its parts share
//! and the time and size helpers.

mod attachments;
mod composer;
mod customer;
mod delivery;
mod macros;
mod mailview;
mod properties;
mod reply;
mod timeline;

pub use attachments::{attachment, inline_part};
pub use composer::{draft_delete, draft_put, slash_check, unstage, upload};
pub use customer::{CustomerPanel, OtherTicket, customer_panel, local_time};
pub use delivery::{forward, undo};
pub use macros::{MacroOption, macro_fill, macro_search};
pub use mailview::frame as mail_frame;
pub use properties::{Properties, assign_me, properties, properties_of, update};
pub use reply::reply;
pub use timeline::{Attachment, Item, timeline, timeline_items};

use super::auth::Ui;
use super::form::QueryFields;
use super::i18n::Tr;
use super::inbox::{Directory, View, fetch, parse_sort};
use super::{Choice, Chrome, UiError, UiResult, html, priority_label, status_label};
use crate::extract::State as AppState;
use askama::Template;
use axum::extract::{Path, State};
use jiff::Timestamp;
use tiski_app::App;
use tiski_domain::Status;
use tiski_kernel::{AppError, EventView};
use tiski_ticketing::access::{Access, AccessAction, Surface};
use tiski_ticketing::{MessageView, TicketSort, TicketView};

pub(super) fn micros(rfc3339: &str) -> i64 {
    rfc3339
        .parse::<Timestamp>()
        .map(|t| t.as_microsecond())
        .unwrap_or(0)
}

pub(super) fn size_label(tr: &Tr, bytes: i64) -> String {
    if bytes < 1024 {
        tr.tn("size-bytes", "n", bytes)
    } else if bytes < 1024 * 1024 {
        tr.tn("size-kib", "n", bytes / 1024)
    } else {
        tr.tn("size-mib", "n", bytes / (1024 * 1024))
    }
}

#[derive(Template)]
#[template(path = "ticket.html")]
struct TicketPage {
    c: Chrome,
    id: i64,
    subject: String,
    status: &'static str,
    status_label: String,
    priority: &'static str,
    priority_label: String,
    items: Vec<Item>,
    props: Properties,
    customer: Option<CustomerPanel>,
    next_href: Option<String>,
    back_href: String,
    reply_statuses: Vec<Choice>,
    closed: bool,
    language: String,
    composer: Composer,
    route: delivery::Composer,
}

/// What the reply box starts with: the agent's saved draft and staged files, and the limits
/// the browser checks before uploading (the server checks them again).
pub struct Composer {
    /// The draft's cleaned HTML (composer tags only), or empty.
    pub html: String,
    /// Whether the draft is an internal note.
    pub note: bool,
    /// Files staged for it.
    pub files: Vec<StagedItem>,
    /// Files per message.
    pub max_files: usize,
    /// Bytes per file.
    pub max_bytes: usize,
    /// Bytes together.
    pub max_total: usize,
    /// The limits in words.
    pub limits_label: String,
    /// Refusals the browser shows, `%NAME%` and `%REASON%` filled in there.
    pub msg_too_big: String,
    /// More files than a reply may have.
    pub msg_too_many: String,
    /// The files together too large.
    pub msg_total: String,
    /// An upload the server refused.
    pub msg_failed: String,
    /// `/words` no macro matches (`%WORDS%`).
    pub msg_slash: String,
}

/// A staged file in the reply box.
pub struct StagedItem {
    /// Id.
    pub id: i64,
    /// File name.
    pub filename: String,
    /// Size in bytes.
    pub size: i64,
    /// Size in words.
    pub size_label: String,
}

async fn composer(app: &App, ui: &Ui, id: i64) -> Composer {
    let limits = app.ticketing.limits();
    let draft = app.ticketing.draft(&ui.actor, id).await.ok();
    let mib = |b: usize| (b / (1024 * 1024)).to_string();
    Composer {
        note: draft
            .as_ref()
            .is_some_and(|d| d.kind == tiski_domain::MessageKind::Note),
        files: draft
            .as_ref()
            .map(|d| {
                d.attachments
                    .iter()
                    .map(|f| StagedItem {
                        id: f.id,
                        filename: f.filename.clone(),
                        size: f.size,
                        size_label: size_label(&ui.tr, f.size),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        html: draft.map(|d| d.html).unwrap_or_default(),
        max_files: limits.attachments,
        max_bytes: limits.attachment_bytes,
        max_total: limits.attachments_bytes,
        msg_too_big: ui.tr.targs(
            "attach-too-big",
            &[("name", "%NAME%"), ("size", &mib(limits.attachment_bytes))],
        ),
        msg_too_many: ui.tr.tn("attach-too-many", "n", limits.attachments as i64),
        msg_total: ui
            .tr
            .ts("attach-total", "size", &mib(limits.attachments_bytes)),
        msg_failed: ui.tr.targs(
            "attach-failed",
            &[("name", "%NAME%"), ("reason", "%REASON%")],
        ),
        msg_slash: ui.tr.ts("slash-unknown", "words", "%WORDS%"),
        limits_label: ui.tr.targs(
            "attach-limits",
            &[
                ("files", &limits.attachments.to_string()),
                ("each", &mib(limits.attachment_bytes)),
                ("total", &mib(limits.attachments_bytes)),
            ],
        ),
    }
}

/// Everything the ticket page shows, loaded together.
struct Loaded {
    ticket: TicketView,
    messages: Vec<MessageView>,
    events: Vec<EventView>,
    directory: Directory,
}

async fn load(app: &App, ui: &Ui, id: i64) -> Result<Loaded, AppError> {
    let ticket = app.ticketing.get_ticket(&ui.actor, id).await?;
    let (messages, events, directory) = tokio::try_join!(
        app.ticketing.list_messages(&ui.actor, id, Some(200), None),
        app.ticketing.ticket_events(&ui.actor, id, Some(200), None),
        Directory::load(app, &ui.actor),
    )?;
    let read = [Access::conversation(id)];
    crate::access::record(app, &ui.actor, ui.client.clone(), Surface::Ui, &read).await;
    Ok(Loaded {
        ticket,
        messages: messages.items,
        events: events.items,
        directory,
    })
}

/// `GET /tickets/{id}?view=&sort=`: the ticket page.
pub async fn page(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    QueryFields(query): QueryFields,
) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let loaded = load(&app, &ui, id).await.map_err(err)?;
    let ticket = &loaded.ticket;
    // A merged ticket answers with its survivor, where the conversation now is.
    if let Some(survivor) = ticket.merged_into {
        return Ok(super::redirect(&ui, &format!("/tickets/{survivor}")));
    }
    let customer = app
        .ticketing
        .get_customer(&ui.actor, ticket.requester.id)
        .await
        .ok();
    if let Some(customer) = &customer {
        let read = [Access::customer(AccessAction::CustomerRead, customer.id)];
        crate::access::record(&app, &ui.actor, ui.client.clone(), Surface::Ui, &read).await;
    }
    let view = query.get("view").map(|v| View::parse(Some(v)));
    let sort = parse_sort(query.get("sort"));
    let next_href = match &view {
        Some(view) => {
            let cursor =
                tiski_ticketing::cursor_after(ticket, TicketSort::parse(sort).unwrap_or_default());
            match fetch(&app, &ui.actor, view, sort, 1, Some(cursor)).await {
                Ok((page, _)) => page
                    .items
                    .first()
                    .map(|next| format!("/tickets/{}?view={}&sort={}", next.id, view.key(), sort)),
                Err(_) => None,
            }
        }
        None => None,
    };
    let back_href = match &view {
        Some(view) => format!("/inbox?view={}&sort={}", view.key(), sort),
        None => "/inbox".into(),
    };
    let tr = &ui.tr;
    let reply_statuses = [
        Status::Open,
        Status::Pending,
        Status::OnHold,
        Status::Solved,
    ]
    .iter()
    .map(|s| Choice::new(s.as_str(), status_label(tr, *s), false))
    .collect();
    let page = TicketPage {
        id,
        subject: ticket.subject.clone(),
        status: ticket.status.as_str(),
        status_label: status_label(tr, ticket.status),
        priority: ticket.priority.as_str(),
        priority_label: priority_label(tr, ticket.priority),
        items: timeline_items(
            tr,
            &loaded.directory,
            ticket,
            &loaded.messages,
            &loaded.events,
        ),
        props: properties_of(
            tr,
            &loaded.directory,
            ticket,
            ui.actor.id,
            ui.actor.may(tiski_domain::Permission::TicketMoveToAnyTeam),
        ),
        customer: customer.as_ref().map(|c| customer_panel(tr, c, id)),
        next_href,
        back_href,
        reply_statuses,
        closed: ticket.status == Status::Closed,
        language: ticket.language.clone().unwrap_or_default(),
        composer: composer(&app, &ui, id).await,
        route: delivery::Composer::load(&app, &ui, id, &loaded.messages).await,
        c: Chrome::new(&ui, "inbox", format!("#{id} {}", ticket.subject)),
    };
    Ok(html(&page))
}
