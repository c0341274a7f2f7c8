//! The event log: read after an id, or follow live as server-sent events.

use crate::Shutdown;
use crate::extract::{ApiQuery, Auth, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tiski_app::{Actor, EventView, Page};

/// Where to start reading.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Only events with an id above this one (0 for all).
    pub after: Option<i64>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
}

/// Events after `after` that the caller may see, oldest first.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(EventQuery), responses((status = 200, body = Page<EventView>)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<EventQuery>,
) -> ApiResult<Json<Page<EventView>>> {
    let after = query.after.unwrap_or(0);
    if after < 0 {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "after must be 0 or more.",
        )
        .at("after"));
    }
    let mut page = app.events_after(&actor, after, query.limit).await?;
    // For this list the cursor is simply the last id, passed back as `after`.
    if page.next_cursor.is_some() {
        page.next_cursor = page.items.last().map(|e| e.id.to_string());
    }
    Ok(Json(page))
}

/// Follows the event log live as server-sent events (`text/event-stream`), each event's `id`
/// its log id. Starts after `Last-Event-ID` or `after`, or at the newest event.
#[utoipa::path(get, path = "/api/v1/events/stream", tag = "events", params(EventQuery),
    responses((status = 200, description = "A stream of events", content_type = "text/event-stream")))]
pub async fn stream(
    State(app): State<App>,
    Auth(actor): Auth,
    Extension(shutdown): Extension<Shutdown>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<EventQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let from_header = headers
        .get("last-event-id")
        .map(|v| {
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .ok_or_else(|| {
                    Problem::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_header",
                        "Last-Event-ID must be an event id.",
                    )
                    .at("Last-Event-ID")
                })
        })
        .transpose()?;
    if from_header.or(query.after).is_some_and(|after| after < 0) {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "The starting event id must be 0 or more.",
        )
        .at(if from_header.is_some() {
            "Last-Event-ID"
        } else {
            "after"
        }));
    }
    let after = match from_header.or(query.after) {
        Some(after) => after,
        None => *app.store().event_watch().borrow(),
    };
    let state = Follow {
        app: app.clone(),
        generation: app.actor_generation(),
        checked_at: std::time::Instant::now(),
        actor,
        after,
        buffer: VecDeque::new(),
        events: app.store().event_watch(),
        shutdown: shutdown.0,
    };
    let stream = futures_util::stream::unfold(state, |mut state| async move {
        let event = state.next().await?;
        let sse = Event::default()
            .id(event.id.to_string())
            .event(event.kind.clone())
            .json_data(&event)
            .unwrap_or_default();
        Some((Ok(sse), state))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// The state of one follower: what it has seen and what is buffered for it.
struct Follow {
    app: App,
    actor: Actor,
    /// The user/team generation the actor was loaded at.
    generation: u64,
    /// When the actor was last loaded (rights changed on another node show up within seconds).
    checked_at: std::time::Instant,
    after: i64,
    buffer: VecDeque<EventView>,
    events: tokio::sync::watch::Receiver<i64>,
    shutdown: tokio::sync::watch::Receiver<bool>,
}

impl Follow {
    /// Reloads the actor when users or teams changed (or every few seconds), so a stream never
    /// outlives the rights it was opened with. `false` ends the stream.
    async fn rights_still_hold(&mut self) -> bool {
        let generation = self.app.actor_generation();
        if generation == self.generation && self.checked_at.elapsed() < Duration::from_secs(5) {
            return true;
        }
        match self.app.reload_actor(&self.actor).await {
            Ok(Some(actor)) => {
                self.actor = actor;
                self.generation = generation;
                self.checked_at = std::time::Instant::now();
                true
            }
            Ok(None) => false,
            Err(error) => {
                tracing::warn!(%error, "could not re-check a stream's rights");
                true
            }
        }
    }

    /// The next visible event, waiting for one; `None` when the server shuts down.
    async fn next(&mut self) -> Option<EventView> {
        loop {
            if let Some(event) = self.buffer.pop_front() {
                self.after = event.id;
                return Some(event);
            }
            if *self.shutdown.borrow() {
                return None;
            }
            let newest = *self.events.borrow_and_update();
            if newest > self.after {
                if !self.rights_still_hold().await {
                    return None;
                }
                match self
                    .app
                    .events_after(&self.actor, self.after, Some(200))
                    .await
                {
                    Ok(page) if page.items.is_empty() => self.after = newest,
                    Ok(page) => {
                        self.buffer.extend(page.items);
                        continue;
                    }
                    Err(error) => tracing::warn!(%error, "reading events for a stream failed"),
                }
            }
            tokio::select! {
                _ = self.events.changed() => {}
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                _ = self.shutdown.changed() => return None,
            }
        }
    }
}
