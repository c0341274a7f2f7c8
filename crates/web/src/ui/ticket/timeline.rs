//! The timeline: the conversation and the ticket's history as one list, oldest first, and the
//! fragment that refreshes it live.

use super::{Loaded, load, micros};
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::i18n::Tr;
use crate::ui::inbox::Directory;
use crate::ui::{Chrome, UiError, UiResult, channel_label, priority_label, status_label};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse};
use tiski_app::App;
use tiski_domain::{AuthorKind, Event, EventType, MessageKind};
use tiski_kernel::{AppError, EventView};
use tiski_ticketing::{MessageView, TicketView};

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
    /// The delivery state's name (`queued`, `sent`, `failed`, `bounced`), or empty.
    pub delivery_state: &'static str,
    /// Why it failed or bounced.
    pub delivery_error: String,
    /// Who outgoing mail went to, copied and blind-copied (agents see all three).
    pub recipients: Recipients,
    /// For a reply in its undo window: the message id and when the window ends (RFC 3339).
    pub undo: Option<(i64, String)>,
    /// For inbound mail that named a ticket its sender is not on: that ticket, linked.
    pub referenced_ticket: Option<i64>,
    /// How a message's body is shown (HTML frame, quoted history); `None` for events.
    pub mail: Option<super::mailview::Body>,
    /// The message's id (0 for events): its menu splits it off.
    pub message_id: i64,
}

/// The addresses of an outgoing mail, joined for reading.
#[derive(Default)]
pub struct Recipients {
    /// To.
    pub to: String,
    /// Cc.
    pub cc: String,
    /// Bcc.
    pub bcc: String,
}

impl Recipients {
    fn of(message: &MessageView) -> Recipients {
        let Some(email) = message.email.as_ref().filter(|e| e.direction == "out") else {
            return Recipients::default();
        };
        let to: Vec<&str> = email
            .recipients
            .iter()
            .filter(|r| !email.cc.contains(r) && !email.bcc.contains(r))
            .map(String::as_str)
            .collect();
        Recipients {
            to: to.join(", "),
            cc: email.cc.join(", "),
            bcc: email.bcc.join(", "),
        }
    }
}

pub use super::mailview::Attachment;

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
    let with = |key: &str, to: String| Some(tr.targs(key, &[("actor", &actor), ("to", &to)]));
    match &event.event {
        Event::TicketCreated(_) => with("event-created", String::new()),
        Event::TicketStatusChanged(change) => with("event-status", status_label(tr, change.to)),
        Event::TicketPriorityChanged(change) => {
            with("event-priority", priority_label(tr, change.to))
        }
        Event::TicketTeamChanged(change) => match change.to {
            Some(id) => with("event-team", directory.team(Some(id))),
            None => with("event-team-none", String::new()),
        },
        Event::TicketAssigned(change) => match change.to {
            Some(id) => with("event-assigned", directory.person(Some(id))),
            None => with("event-unassigned", String::new()),
        },
        Event::TicketTagsChanged(change) => {
            let added: Vec<_> = change
                .to
                .iter()
                .filter(|t| !change.from.contains(t))
                .cloned()
                .collect();
            let removed: Vec<_> = change
                .from
                .iter()
                .filter(|t| !change.to.contains(t))
                .cloned()
                .collect();
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
        Event::TicketSubjectChanged(_) => with("event-subject", String::new()),
        Event::EmailSent(_) => with("event-email-sent", String::new()),
        Event::EmailFailed(_) => with("event-email-failed", String::new()),
        Event::EmailBounced(_) => with("event-email-bounced", String::new()),
        Event::TicketHelpRequested(help) => with(
            "event-help-requested",
            directory.person(Some(help.colleague_id)),
        ),
        Event::TicketMerged(_) | Event::TicketSplit(_) => {
            crate::ui::reshape::event_text(tr, &actor, ticket, event)
        }
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
    let delivery_state = message.delivery.as_ref().map(|d| d.state.as_str());
    let delivery = match (delivery_state, &message.undo_until) {
        (_, Some(_)) => tr.t("delivery-held"),
        (Some(state), None) => tr.t(&format!("delivery-{state}")),
        (None, None) => String::new(),
    };
    let mail = super::mailview::body(tr, message);
    Item {
        kind,
        anchor: format!("message-{}", message.id),
        initials: crate::ui::initials(&author),
        author,
        text: mail.text.clone(),
        when: tr.date(&message.created_at),
        when_iso: message.created_at.clone(),
        channel: channel_label(tr, message.channel),
        attachments: super::mailview::attachments(tr, message),
        delivery,
        delivery_state: delivery_state.unwrap_or(""),
        delivery_error: message
            .delivery
            .as_ref()
            .and_then(|d| d.error.clone())
            .unwrap_or_default(),
        recipients: Recipients::of(message),
        undo: message.undo_until.clone().map(|until| (message.id, until)),
        referenced_ticket: message.email.as_ref().and_then(|e| e.referenced_ticket_id),
        mail: Some(mail),
        message_id: message.id,
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
        let text = crate::ui::reshape::of_merged(ticket, e, event_text(tr, directory, ticket, e)?)?;
        Some((
            micros(&e.at),
            if e.kind == EventType::TicketCreated {
                0
            } else {
                2
            },
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
                delivery_state: "",
                delivery_error: String::new(),
                recipients: Recipients::default(),
                undo: None,
                referenced_ticket: None,
                mail: None,
                message_id: 0,
            },
        ))
    }));
    items.sort_by_key(|(at, order, id, _)| (*at, *order, *id));
    items.into_iter().map(|(_, _, _, item)| item).collect()
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelineFragment {
    c: Chrome,
    id: i64,
    items: Vec<Item>,
}

pub(super) async fn timeline_html(
    app: &App,
    ui: &Ui,
    id: i64,
) -> Result<(String, Loaded), AppError> {
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

/// `GET /ui/tickets/{id}/timeline`: the timeline alone (live refresh).
pub async fn timeline(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let (body, _) = timeline_html(&app, &ui, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(Html(body).into_response())
}
