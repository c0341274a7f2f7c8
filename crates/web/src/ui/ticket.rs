//! The ticket page: the conversation and history as one timeline, the reply box, the ticket's
//! properties changed in place, the customer panel, macros and attachments.

use super::auth::Ui;
use super::form::{Fields, FormBody, QueryFields};
use super::i18n::Tr;
use super::inbox::{Directory, View, fetch, parse_sort};
use super::{
    Choice, Chrome, UiError, UiResult, channel_label, html, priority_choices, priority_label,
    status_choices, status_label,
};
use crate::download::download;
use crate::extract::State as AppState;
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse};
use jiff::Timestamp;
use tiski_app::{
    App, AppError, CustomerView, EventView, MessageView, NewMessage, TicketPatch, TicketView,
};
use tiski_domain::{AuthorKind, MessageKind, Priority, Status};

/// One entry of the timeline.
pub struct Item {
    /// `customer`, `reply`, `note` or `event`.
    pub kind: &'static str,
    /// Element id.
    pub anchor: String,
    /// Who wrote or did it.
    pub author: String,
    /// Initials for the avatar.
    pub initials: String,
    /// For events: the sentence; for messages: the body text.
    pub text: String,
    /// When, in the reader's style.
    pub when: String,
    /// When, exactly (RFC 3339).
    pub when_iso: String,
    /// Channel label of a message.
    pub channel: String,
    /// Attachments of a message.
    pub attachments: Vec<Attachment>,
    /// Delivery state of an outgoing email, translated.
    pub delivery: String,
}

/// An attachment link.
pub struct Attachment {
    /// Download address.
    pub href: String,
    /// File name.
    pub name: String,
    /// Size, readable.
    pub size: String,
}

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

fn event_actor(tr: &Tr, directory: &Directory, ticket: &TicketView, event: &EventView) -> String {
    match event.actor_kind.as_str() {
        "agent" => {
            let name = directory.person(event.actor_id);
            if name.is_empty() {
                tr.t("actor-staff")
            } else {
                name
            }
        }
        "customer" => ticket.requester.name.clone(),
        _ => tr.t("actor-system"),
    }
}

fn event_text(
    tr: &Tr,
    directory: &Directory,
    ticket: &TicketView,
    event: &EventView,
) -> Option<String> {
    let actor = event_actor(tr, directory, ticket, event);
    let data = &event.data;
    let to_text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let with = |key: &str, to: String| Some(tr.targs(key, &[("actor", &actor), ("to", &to)]));
    match event.kind.as_str() {
        "ticket.created" => with("event-created", String::new()),
        "ticket.status_changed" => {
            let to = Status::parse(&to_text(&data["to"])).ok()?;
            with("event-status", status_label(tr, to))
        }
        "ticket.priority_changed" => {
            let to = Priority::parse(&to_text(&data["to"])).ok()?;
            with("event-priority", priority_label(tr, to))
        }
        "ticket.team_changed" => match data["to"].as_i64() {
            Some(id) => with("event-team", directory.team(Some(id))),
            None => with("event-team-none", String::new()),
        },
        "ticket.assigned" => match data["to"].as_i64() {
            Some(id) => with("event-assigned", directory.person(Some(id))),
            None => with("event-unassigned", String::new()),
        },
        "ticket.tags_changed" => {
            let list = |v: &serde_json::Value| -> Vec<String> {
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|t| t.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let (from, to) = (list(&data["from"]), list(&data["to"]));
            let added: Vec<_> = to.iter().filter(|t| !from.contains(t)).cloned().collect();
            let removed: Vec<_> = from.iter().filter(|t| !to.contains(t)).cloned().collect();
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(tr.targs(
                    "event-tags-added",
                    &[("actor", &actor), ("tags", &added.join(", "))],
                ));
            }
            if !removed.is_empty() {
                parts.push(tr.targs(
                    "event-tags-removed",
                    &[("actor", &actor), ("tags", &removed.join(", "))],
                ));
            }
            (!parts.is_empty()).then(|| parts.join(" · "))
        }
        "ticket.subject_changed" => with("event-subject", to_text(&data["to"])),
        "email.sent" => with("event-email-sent", String::new()),
        "email.failed" => with("event-email-failed", String::new()),
        "email.bounced" => with("event-email-bounced", String::new()),
        _ => None,
    }
}

fn message_item(
    tr: &Tr,
    directory: &Directory,
    ticket: &TicketView,
    message: &MessageView,
) -> Item {
    let (kind, author) = match (message.author_kind, message.kind) {
        (AuthorKind::Customer, _) => ("customer", ticket.requester.name.clone()),
        (_, MessageKind::Note) => ("note", directory.person(message.author_id)),
        (AuthorKind::System, _) => ("reply", tr.t("actor-system")),
        _ => ("reply", directory.person(message.author_id)),
    };
    let author = if author.is_empty() {
        tr.t("actor-staff")
    } else {
        author
    };
    let delivery = message
        .email
        .as_ref()
        .and_then(|e| e.delivery_status.as_deref())
        .map(|s| tr.t(&format!("delivery-{s}")))
        .unwrap_or_default();
    Item {
        kind,
        anchor: format!("message-{}", message.id),
        initials: super::initials(&author),
        author,
        text: message
            .new_text
            .clone()
            .unwrap_or_else(|| message.body.clone()),
        when: tr.date(&message.created_at),
        when_iso: message.created_at.clone(),
        channel: channel_label(tr, message.channel),
        attachments: message
            .attachments
            .iter()
            .filter(|a| !a.inline || a.filename.is_some())
            .map(|a| Attachment {
                href: format!("/ui/attachments/{}", a.id),
                name: a
                    .filename
                    .clone()
                    .unwrap_or_else(|| tr.tn("attachment-unnamed", "n", a.id)),
                size: size_label(tr, a.size),
            })
            .collect(),
        delivery,
    }
}

/// The conversation and history, oldest first.
pub fn timeline_items(
    tr: &Tr,
    directory: &Directory,
    ticket: &TicketView,
    messages: &[MessageView],
    events: &[EventView],
) -> Vec<Item> {
    let mut items: Vec<(i64, u8, i64, Item)> = messages
        .iter()
        .map(|m| {
            (
                micros(&m.created_at),
                1,
                m.id,
                message_item(tr, directory, ticket, m),
            )
        })
        .collect();
    items.extend(events.iter().filter_map(|e| {
        let text = event_text(tr, directory, ticket, e)?;
        Some((
            micros(&e.at),
            if e.kind == "ticket.created" { 0 } else { 2 },
            e.id,
            Item {
                kind: "event",
                anchor: format!("event-{}", e.id),
                author: String::new(),
                initials: String::new(),
                text,
                when: tr.date(&e.at),
                when_iso: e.at.clone(),
                channel: String::new(),
                attachments: Vec::new(),
                delivery: String::new(),
            },
        ))
    }));
    items.sort_by_key(|(at, order, id, _)| (*at, *order, *id));
    items.into_iter().map(|(_, _, _, item)| item).collect()
}

/// The properties panel's data.
pub struct Properties {
    /// Ticket id.
    pub id: i64,
    /// Status choices.
    pub statuses: Vec<Choice>,
    /// Priority choices.
    pub priorities: Vec<Choice>,
    /// Team choices (with "no team").
    pub teams: Vec<Choice>,
    /// Assignee choices (with "nobody").
    pub assignees: Vec<Choice>,
    /// Tags.
    pub tags: Vec<String>,
    /// Whether the ticket is assigned to the reader.
    pub mine: bool,
    /// Whether it is closed (nothing can change).
    pub closed: bool,
    /// Channel label.
    pub channel: String,
    /// Language of the conversation.
    pub language: String,
    /// Created, in the reader's style.
    pub created: String,
}

/// Builds the properties panel.
pub fn properties_of(tr: &Tr, directory: &Directory, ticket: &TicketView, me: i64) -> Properties {
    let mut teams = vec![Choice::new("", tr.t("team-none"), ticket.team_id.is_none())];
    teams.extend(directory.teams.iter().map(|t| {
        Choice::new(
            t.id.to_string(),
            t.name.clone(),
            ticket.team_id == Some(t.id),
        )
    }));
    let members: Vec<i64> = match ticket.team_id {
        Some(team) => directory
            .teams
            .iter()
            .find(|t| t.id == team)
            .map(|t| t.member_ids.clone())
            .unwrap_or_default(),
        None => {
            let mut ids: Vec<i64> = directory.staff.keys().copied().collect();
            ids.sort_unstable();
            ids
        }
    };
    let mut assignees = vec![Choice::new(
        "",
        tr.t("assignee-none"),
        ticket.assignee_id.is_none(),
    )];
    let mut people: Vec<Choice> = members
        .iter()
        .map(|id| {
            Choice::new(
                id.to_string(),
                directory.person(Some(*id)),
                ticket.assignee_id == Some(*id),
            )
        })
        .collect();
    if let Some(current) = ticket.assignee_id
        && !members.contains(&current)
    {
        people.push(Choice::new(
            current.to_string(),
            directory.person(Some(current)),
            true,
        ));
    }
    people.sort_by_key(|c| c.label.to_lowercase());
    assignees.extend(people);
    Properties {
        id: ticket.id,
        statuses: status_choices(tr, Some(ticket.status))
            .into_iter()
            .filter(|c| {
                c.selected
                    || ticket
                        .status
                        .transition_to(Status::parse(&c.value).unwrap_or(Status::New))
                        .is_ok()
            })
            .collect(),
        priorities: priority_choices(tr, Some(ticket.priority)),
        teams,
        assignees,
        tags: ticket.tags.clone(),
        mine: ticket.assignee_id == Some(me),
        closed: ticket.status == Status::Closed,
        channel: channel_label(tr, ticket.channel),
        language: ticket.language.clone().unwrap_or_default(),
        created: tr.date(&ticket.created_at),
    }
}

/// The customer panel's data.
pub struct CustomerPanel {
    /// Customer id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email addresses.
    pub emails: Vec<String>,
    /// Phone numbers.
    pub phones: Vec<String>,
    /// Preferred language.
    pub language: String,
    /// Their local time now, with the zone.
    pub local_time: String,
    /// Organisation.
    pub organization: String,
    /// Staff notes.
    pub notes: String,
    /// Their other tickets.
    pub others: Vec<OtherTicket>,
}

/// Another ticket of the same customer.
pub struct OtherTicket {
    /// Address.
    pub href: String,
    /// Ticket id.
    pub id: i64,
    /// Subject.
    pub subject: String,
    /// Status wire name.
    pub status: &'static str,
    /// Status label.
    pub status_label: String,
}

/// The local time now in a customer's zone.
pub fn local_time(tr: &Tr, zone: Option<&str>) -> String {
    zone.and_then(|z| jiff::tz::TimeZone::get(z).ok())
        .map(|tz| {
            let now = Timestamp::now().as_microsecond();
            format!(
                "{} ({})",
                tr.locale.time_of_day(now, &tz),
                zone.unwrap_or("")
            )
        })
        .unwrap_or_default()
}

/// Builds the customer panel.
pub fn customer_panel(tr: &Tr, customer: &CustomerView, except: i64) -> CustomerPanel {
    CustomerPanel {
        id: customer.id,
        name: customer.name.clone(),
        emails: customer.emails.clone(),
        phones: customer.phones.clone(),
        language: customer.language.clone().unwrap_or_default(),
        local_time: local_time(tr, customer.time_zone.as_deref()),
        organization: customer.organization.clone().unwrap_or_default(),
        notes: customer.notes.clone(),
        others: customer
            .tickets
            .as_deref()
            .unwrap_or_default()
            .iter()
            .filter(|t| t.id != except)
            .take(10)
            .map(|t| OtherTicket {
                href: format!("/tickets/{}", t.id),
                id: t.id,
                subject: t.subject.clone(),
                status: t.status.as_str(),
                status_label: status_label(tr, t.status),
            })
            .collect(),
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
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelineFragment {
    c: Chrome,
    id: i64,
    items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "properties.html")]
struct PropertiesFragment {
    c: Chrome,
    props: Properties,
}

/// Everything the ticket page shows, loaded together.
struct Loaded {
    ticket: TicketView,
    messages: Vec<MessageView>,
    events: Vec<EventView>,
    directory: Directory,
}

async fn load(app: &App, ui: &Ui, id: i64) -> Result<Loaded, AppError> {
    let ticket = app.get_ticket(&ui.actor, id).await?;
    let (messages, events, directory) = tokio::try_join!(
        app.list_messages(&ui.actor, id, Some(200), None),
        app.ticket_events(&ui.actor, id, Some(200), None),
        Directory::load(app, &ui.actor),
    )?;
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
    let customer = app.get_customer(&ui.actor, ticket.requester.id).await.ok();
    let view = query.get("view").map(|v| View::parse(Some(v)));
    let sort = parse_sort(query.get("sort"));
    let next_href = match &view {
        Some(view) => {
            let cursor = tiski_app::cursor_after(ticket, sort);
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
        props: properties_of(tr, &loaded.directory, ticket, ui.actor.id),
        customer: customer.as_ref().map(|c| customer_panel(tr, c, id)),
        next_href,
        back_href,
        reply_statuses,
        closed: ticket.status == Status::Closed,
        language: ticket.language.clone().unwrap_or_default(),
        c: Chrome::new(&ui, "inbox", format!("#{id} {}", ticket.subject)),
    };
    Ok(html(&page))
}

async fn timeline_html(app: &App, ui: &Ui, id: i64) -> Result<(String, Loaded), AppError> {
    let loaded = load(app, ui, id).await?;
    let fragment = TimelineFragment {
        c: Chrome::new(ui, "inbox", String::new()),
        id,
        items: timeline_items(
            &ui.tr,
            &loaded.directory,
            &loaded.ticket,
            &loaded.messages,
            &loaded.events,
        ),
    };
    Ok((fragment.render().unwrap_or_default(), loaded))
}

/// The properties panel, with the status badge in the page header swapped out of band so the
/// two never disagree.
fn properties_html(ui: &Ui, loaded: &Loaded) -> String {
    let mut html = PropertiesFragment {
        c: Chrome::new(ui, "inbox", String::new()),
        props: properties_of(&ui.tr, &loaded.directory, &loaded.ticket, ui.actor.id),
    }
    .render()
    .unwrap_or_default();
    let status = loaded.ticket.status;
    let label = status_label(&ui.tr, status)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    html.push_str(&format!(
        "<span id=\"ticket-status-badge\" hx-swap-oob=\"true\" class=\"badge badge-{}\" data-testid=\"ticket-status\">{label}</span>",
        status.as_str()
    ));
    html
}

/// `GET /ui/tickets/{id}/timeline`: the timeline alone (live refresh).
pub async fn timeline(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let (body, _) = timeline_html(&app, &ui, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(Html(body).into_response())
}

/// `GET /ui/tickets/{id}/properties`: the properties panel alone (live refresh).
pub async fn properties(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let loaded = load(&app, &ui, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(Html(properties_html(&ui, &loaded)).into_response())
}

/// The changes a reply carries from the form (a macro's or the agent's choice).
fn after_send(form: &Fields) -> TicketPatch {
    let tags: Vec<String> = form
        .get("add_tags")
        .unwrap_or("")
        .split([',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    TicketPatch {
        status: form.get("set_status").and_then(|s| Status::parse(s).ok()),
        add_tags: (!tags.is_empty()).then_some(tags),
        team_id: form.id("set_team_id").map(Some),
        ..TicketPatch::default()
    }
}

/// `POST /ui/tickets/{id}/messages`: a public reply or an internal note, then the changes
/// chosen with it; answers the timeline, and the properties panel out of band.
pub async fn reply(
    State(app): State<AppState>,
    axum::Extension(state): axum::Extension<super::UiState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let body = form.get("body").unwrap_or("").to_string();
    if body.trim().is_empty() {
        return Err(UiError::new(
            &ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "reply-empty",
        ));
    }
    let kind = if form.get("kind") == Some("note") {
        MessageKind::Note
    } else {
        MessageKind::Reply
    };
    app.add_message(
        &ui.actor,
        id,
        NewMessage {
            body,
            html: None,
            kind: Some(kind),
            author: Some(AuthorKind::Agent),
            channel: None,
            attachments: Vec::new(),
        },
        None,
    )
    .await
    .map_err(err)?;
    state.presence.stop_typing(id, ui.actor.id);
    let patch = after_send(&form);
    let mut notice = super::flash(
        "ok",
        &ui.tr.t(if kind == MessageKind::Note {
            "note-sent"
        } else {
            "reply-sent"
        }),
    );
    if (patch.status.is_some() || patch.add_tags.is_some() || patch.team_id.is_some())
        && let Err(error) = app.update_ticket(&ui.actor, id, patch).await
    {
        notice = super::flash("error", &UiError::from_app(&ui, error).message);
    }
    let (mut body, loaded) = timeline_html(&app, &ui, id).await.map_err(err)?;
    body.push_str(&properties_html(&ui, &loaded).replacen(
        "<section id=\"props\"",
        "<section id=\"props\" hx-swap-oob=\"true\"",
        1,
    ));
    body.push_str(&format!(
        "<div id=\"flash\" hx-swap-oob=\"innerHTML\">{notice}</div>"
    ));
    let mut response = Html(body).into_response();
    response
        .headers_mut()
        .insert("hx-trigger", HeaderValue::from_static("tiski:sent"));
    Ok(response)
}

/// `POST /ui/tickets/{id}/update`: one property changed in place (status, priority, team,
/// assignee, a tag added or removed); answers the properties panel.
pub async fn update(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let mut patch = TicketPatch::default();
    if let Some(status) = form.get("status") {
        patch.status = Some(
            Status::parse(status)
                .map_err(|_| UiError::new(&ui, StatusCode::UNPROCESSABLE_ENTITY, "error-value"))?,
        );
    }
    if let Some(priority) = form.get("priority") {
        patch.priority = Some(
            Priority::parse(priority)
                .map_err(|_| UiError::new(&ui, StatusCode::UNPROCESSABLE_ENTITY, "error-value"))?,
        );
    }
    if let Some(team) = form.get("team_id") {
        patch.team_id = Some(team.parse().ok());
    }
    if let Some(assignee) = form.get("assignee_id") {
        patch.assignee_id = Some(assignee.parse().ok());
    }
    if let Some(tag) = form.text("add_tag") {
        patch.add_tags = Some(
            tag.split([',', ' '])
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
        );
    }
    if let Some(tag) = form.text("remove_tag") {
        patch.remove_tags = Some(vec![tag]);
    }
    changed(&app, &ui, id, patch).await
}

async fn changed(app: &App, ui: &Ui, id: i64, patch: TicketPatch) -> UiResult {
    let err = |e| UiError::from_app(ui, e);
    app.update_ticket(&ui.actor, id, patch).await.map_err(err)?;
    let loaded = load(app, ui, id).await.map_err(err)?;
    let mut response = Html(properties_html(ui, &loaded)).into_response();
    response
        .headers_mut()
        .insert("hx-trigger", HeaderValue::from_static("tiski:changed"));
    Ok(response)
}

/// `POST /ui/tickets/{id}/assign-me`.
pub async fn assign_me(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let patch = TicketPatch {
        assignee_id: Some(Some(ui.actor.id)),
        ..TicketPatch::default()
    };
    changed(&app, &ui, id, patch).await
}

#[derive(Template)]
#[template(path = "macro_results.html")]
struct MacroResults {
    c: Chrome,
    id: i64,
    macros: Vec<MacroOption>,
}

/// A macro offered in the reply box.
pub struct MacroOption {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Language tag.
    pub language: String,
    /// The first words of the text.
    pub preview: String,
}

/// `GET /ui/tickets/{id}/macros?q=`: macros matching what the agent typed, those in the
/// ticket's language first.
pub async fn macro_search(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    QueryFields(query): QueryFields,
) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let ticket = app.get_ticket(&ui.actor, id).await.map_err(err)?;
    let q = query
        .get("q")
        .map(|q| q.trim_start_matches('/').to_string());
    let macros = app
        .list_macros(&ui.actor, q.as_deref(), ticket.language.as_deref())
        .await
        .map_err(err)?;
    let fragment = MacroResults {
        c: Chrome::new(&ui, "inbox", String::new()),
        id,
        macros: macros
            .into_iter()
            .take(8)
            .map(|m| MacroOption {
                id: m.id,
                title: m.title,
                language: m.language.unwrap_or_default(),
                preview: m.body.chars().take(90).collect(),
            })
            .collect(),
    };
    Ok(html(&fragment))
}

/// `GET /ui/tickets/{id}/macros/{macro_id}`: a macro filled in for this ticket, as JSON for
/// the reply box.
pub async fn macro_fill(
    State(app): State<AppState>,
    ui: Ui,
    Path((id, macro_id)): Path<(i64, i64)>,
) -> UiResult {
    let filled = app
        .fill_macro(&ui.actor, macro_id, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let tr = &ui.tr;
    let mut effects = Vec::new();
    if let Some(status) = filled.set_status {
        effects.push(tr.ts("macro-effect-status", "status", &status_label(tr, status)));
    }
    if !filled.add_tags.is_empty() {
        effects.push(tr.ts("macro-effect-tags", "tags", &filled.add_tags.join(", ")));
    }
    if let Some(team) = filled.set_team_id {
        let teams = app
            .list_teams(&ui.actor, Some(200), None)
            .await
            .map(|p| p.items)
            .unwrap_or_default();
        if let Some(team) = teams.iter().find(|t| t.id == team) {
            effects.push(tr.ts("macro-effect-team", "team", &team.name));
        }
    }
    let effects = if effects.is_empty() {
        String::new()
    } else {
        format!("{} {}", tr.t("macro-will"), effects.join(", "))
    };
    Ok(Json(serde_json::json!({
        "id": filled.id,
        "body": filled.body,
        "set_status": filled.set_status.map(|s| s.as_str()),
        "effects": effects,
        "add_tags": filled.add_tags.join(","),
        "set_team_id": filled.set_team_id,
    }))
    .into_response())
}

/// `GET /ui/attachments/{id}`: a file of a message on a ticket the reader sees, as a download.
pub async fn attachment(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let (view, bytes) = app
        .attachment(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let name = view
        .filename
        .clone()
        .unwrap_or_else(|| format!("attachment-{id}"));
    Ok(download(bytes, &view.content_type, &name))
}
