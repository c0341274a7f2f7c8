//! Live updates: server-sent events from the event log (scoped like `/api/v1/events/stream`),
//! and presence: who else has a ticket open or is typing a reply on it.

use super::auth::Ui;
use super::form::FormBody;
use super::{UiResult, UiState};
use crate::Shutdown;
use crate::extract::State as AppState;
use crate::follow::{Follow, KEEP_ALIVE};
use crate::problem::Problem;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tiski_staff::Credential;

/// How long a viewer counts as present after their last poll.
const VIEWING_TTL: Duration = Duration::from_secs(15);
/// How long a viewer counts as typing after their last keystroke report.
const TYPING_TTL: Duration = Duration::from_secs(8);

struct Viewer {
    name: String,
    seen: Instant,
    typing_until: Option<Instant>,
}

/// Who has which ticket open, in memory on this node.
#[derive(Default)]
pub struct Presence {
    tickets: Mutex<HashMap<i64, HashMap<i64, Viewer>>>,
}

/// Another agent on the same ticket.
pub struct Other {
    /// Their name.
    pub name: String,
    /// Whether they are typing a reply.
    pub typing: bool,
}

impl Presence {
    /// Records that `user` looks at `ticket` (and whether they type); returns the others.
    pub fn see(&self, ticket: i64, user: i64, name: &str, typing: bool) -> Vec<Other> {
        let Ok(mut tickets) = self.tickets.lock() else {
            return Vec::new();
        };
        let now = Instant::now();
        if tickets.len() > 10_000 {
            tickets.retain(|_, viewers| viewers.values().any(|v| v.seen.elapsed() < VIEWING_TTL));
        }
        let viewers = tickets.entry(ticket).or_default();
        viewers.retain(|_, v| v.seen.elapsed() < VIEWING_TTL);
        let entry = viewers.entry(user).or_insert(Viewer {
            name: name.to_string(),
            seen: now,
            typing_until: None,
        });
        entry.seen = now;
        if typing {
            entry.typing_until = Some(now + TYPING_TTL);
        }
        let mut others: Vec<Other> = viewers
            .iter()
            .filter(|(id, _)| **id != user)
            .map(|(_, v)| Other {
                name: v.name.clone(),
                typing: v.typing_until.is_some_and(|t| t > now),
            })
            .collect();
        others.sort_by(|a, b| a.name.cmp(&b.name));
        others
    }

    /// Forgets that `user` was typing on `ticket` (their reply went out).
    pub fn stop_typing(&self, ticket: i64, user: i64) {
        if let Ok(mut tickets) = self.tickets.lock()
            && let Some(viewer) = tickets.get_mut(&ticket).and_then(|v| v.get_mut(&user))
        {
            viewer.typing_until = None;
        }
    }
}

#[derive(Template)]
#[template(path = "presence.html")]
struct PresenceFragment {
    others: Vec<Other>,
    viewing: String,
    typing: String,
    drafts: String,
}

/// `POST /ui/tickets/{id}/presence` (`typing=1` while typing): answers who else is here.
pub async fn presence(
    State(app): State<AppState>,
    Extension(state): Extension<UiState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    // Only those who may see the ticket announce themselves on it.
    app.ticketing
        .get_ticket(&ui.actor, id)
        .await
        .map_err(|e| super::UiError::from_app(&ui, e))?;
    let others = state.presence.see(
        id,
        ui.actor.id,
        &ui.actor.name,
        form.get("typing") == Some("1"),
    );
    let viewing: Vec<&str> = others
        .iter()
        .filter(|o| !o.typing)
        .map(|o| o.name.as_str())
        .collect();
    let typing: Vec<&str> = others
        .iter()
        .filter(|o| o.typing)
        .map(|o| o.name.as_str())
        .collect();
    let fragment = PresenceFragment {
        viewing: if viewing.is_empty() {
            String::new()
        } else {
            ui.tr.ts("presence-viewing", "names", &viewing.join(", "))
        },
        typing: if typing.is_empty() {
            String::new()
        } else {
            ui.tr.ts("presence-typing", "names", &typing.join(", "))
        },
        others,
        drafts: draft_notice(&app, &ui, id).await,
    };
    Ok(Html(fragment.render().unwrap_or_default()).into_response())
}

/// "Oliver has an unsent draft": who else left a draft on the ticket (names only, never the
/// text), shown with the collision warning at each presence poll.
async fn draft_notice(app: &AppState, ui: &Ui, id: i64) -> String {
    let owners = app
        .ticketing
        .draft_owners(&ui.actor, id)
        .await
        .unwrap_or_default();
    let names: Vec<&str> = owners.iter().map(|o| o.name.as_str()).collect();
    match names.len() {
        0 => String::new(),
        1 => ui.tr.ts("presence-draft", "names", names[0]),
        _ => ui.tr.ts("presence-drafts", "names", &names.join(", ")),
    }
}

/// `GET /ui/events`: ticket events the reader may see, as server-sent events named `ticket`
/// with `{"ticket_id", "type", "actor_id"}` (the page fetches what changed itself). Ends when
/// the session ends (signing out, a password reset, a deactivation); beyond the per-user
/// stream cap it answers 429.
pub async fn events(
    State(app): State<AppState>,
    Extension(shutdown): Extension<Shutdown>,
    ui: Ui,
) -> Response {
    let slot = match app.staff.open_stream_slot(&ui.actor) {
        Ok(slot) => slot,
        Err(error) => return Problem::from(error).into_response(),
    };
    let credential = Credential::Session(ui.session.id);
    let credential = match app.staff.stream_credential(&ui.actor, credential).await {
        Ok(credential) => credential,
        Err(error) => return Problem::from(error).into_response(),
    };
    let after = *app.kernel.event_watch().borrow();
    let bell = Bell {
        app: app.clone(),
        actor: ui.actor.clone(),
        tr: ui.tr.clone(),
    };
    let follow = Follow::new(app, ui.actor, credential, slot, after, shutdown.0);
    let stream = futures_util::stream::unfold((follow, bell), |(mut follow, bell)| async move {
        loop {
            let event = follow.next().await?;
            if let tiski_domain::Event::NotificationCreated(created) = &event.event {
                if let Some(sse) = bell.ring(&event, created).await {
                    return Some((Ok::<_, Infallible>(sse), (follow, bell)));
                }
                continue;
            }
            if bell.is_bookkeeping(&event) {
                continue;
            }
            let Some(ticket_id) = event.ticket_id else {
                continue;
            };
            let data = serde_json::json!({
                "ticket_id": ticket_id,
                "type": event.kind,
                "actor_id": event.actor_id,
            });
            let sse = Event::default()
                .id(event.id.to_string())
                .event("ticket")
                .data(data.to_string());
            return Some((Ok::<_, Infallible>(sse), (follow, bell)));
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

/// What the live stream needs to ring its reader's bell.
struct Bell {
    app: AppState,
    actor: tiski_kernel::Actor,
    tr: super::i18n::Tr,
}

impl Bell {
    /// The `notification` server-sent event of a notification for the reader (`None` for
    /// anyone else's): `{"id", "kind", "ticket_id", "unread", "browser", "text"}`, `browser`
    /// saying whether the reader wants it as a browser notification.
    async fn ring(
        &self,
        event: &tiski_kernel::EventView,
        created: &tiski_domain::event::NotificationCreated,
    ) -> Option<Event> {
        if created.recipient_id != self.actor.id {
            return None;
        }
        let notify = &self.app.notify;
        let unread = notify.unread(&self.actor).await.unwrap_or(0);
        let browser = notify
            .wants_browser(&self.actor, created.kind)
            .await
            .unwrap_or(false);
        let actor = match created.kind {
            tiski_domain::NotificationKind::CustomerReplied => self.tr.t("notify-the-customer"),
            _ => match created.actor_id {
                Some(id) => self
                    .app
                    .staff
                    .staff_names(&self.actor)
                    .await
                    .ok()
                    .and_then(|names| names.get(&id).cloned())
                    .unwrap_or_default(),
                None => String::new(),
            },
        };
        let data = serde_json::json!({
            "id": created.notification_id,
            "kind": created.kind,
            "ticket_id": event.ticket_id,
            "unread": unread,
            "browser": browser,
            "text": super::notifications::sentence(&self.tr, created.kind, &actor, event.ticket_id),
        });
        Some(
            Event::default()
                .id(event.id.to_string())
                .event("notification")
                .data(data.to_string()),
        )
    }

    /// Whether the event is notification bookkeeping, which changes no ticket.
    fn is_bookkeeping(&self, event: &tiski_kernel::EventView) -> bool {
        event.kind.as_str().starts_with("notification.")
    }
}
