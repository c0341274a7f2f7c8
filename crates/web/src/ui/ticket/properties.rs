//! The properties panel: status, priority, team, assignee and tags, changed in place, and the
//! fragment that refreshes it live.

use super::{Loaded, load};
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::FormBody;
use crate::ui::i18n::Tr;
use crate::ui::inbox::Directory;
use crate::ui::{
    Choice, Chrome, UiError, UiResult, channel_label, priority_choices, status_choices,
    status_label,
};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse};
use tiski_app::App;
use tiski_domain::{Permission, Priority, Status};
use tiski_ticketing::{TicketPatch, TicketView};

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

/// Builds the properties panel. The teams offered are those `me` may move the ticket into
/// (their own, or any with `move_to_any_team`), and the ticket's own.
pub fn properties_of(
    tr: &Tr,
    directory: &Directory,
    ticket: &TicketView,
    me: i64,
    move_to_any_team: bool,
) -> Properties {
    let mut teams = vec![Choice::new("", tr.t("team-none"), ticket.team_id.is_none())];
    let offered = directory
        .teams
        .iter()
        .filter(|t| move_to_any_team || ticket.team_id == Some(t.id) || t.member_ids.contains(&me));
    teams.extend(offered.map(|t| {
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
        language: crate::ui::reshape::languages::label(
            tr,
            ticket.language.as_deref().unwrap_or(""),
        ),
        created: tr.date(&ticket.created_at),
    }
}

#[derive(Template)]
#[template(path = "properties.html")]
struct PropertiesFragment {
    c: Chrome,
    props: Properties,
}

/// The properties panel, with the status badge in the page header swapped out of band so the
/// two never disagree.
pub(super) fn properties_html(ui: &Ui, loaded: &Loaded) -> String {
    let mut html = PropertiesFragment {
        c: Chrome::new(ui, "inbox", String::new()),
        props: properties_of(
            &ui.tr,
            &loaded.directory,
            &loaded.ticket,
            ui.actor.id,
            ui.actor.may(Permission::TicketMoveToAnyTeam),
        ),
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

/// `GET /ui/tickets/{id}/properties`: the properties panel alone (live refresh).
pub async fn properties(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let loaded = load(&app, &ui, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(Html(properties_html(&ui, &loaded)).into_response())
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
        patch.add_tags = Some(crate::ui::tags::from_input(&ui, &tag)?);
    }
    if let Some(tag) = form.text("remove_tag") {
        patch.remove_tags = Some(vec![tag]);
    }
    changed(&app, &ui, id, patch).await
}

async fn changed(app: &App, ui: &Ui, id: i64, patch: TicketPatch) -> UiResult {
    let err = |e| UiError::from_app(ui, e);
    app.ticketing
        .update_ticket(&ui.actor, id, patch)
        .await
        .map_err(err)?;
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
