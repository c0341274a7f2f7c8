//! The event log: read after an id, or follow live as server-sent events.

use crate::Shutdown;
use crate::extract::{ApiQuery, Auth, AuthToken, State as App};
use crate::follow::{Follow, KEEP_ALIVE};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use std::convert::Infallible;
use tiski_kernel::ErrorCode;
use tiski_kernel::{EventView, Page};

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
        return Err(Problem::of(ErrorCode::InvalidQuery, "after must be 0 or more.").at("after"));
    }
    let mut page = app
        .ticketing
        .events_after(&actor, after, query.limit)
        .await?;
    // For this list the cursor is simply the last id, passed back as `after`.
    if page.next_cursor.is_some() {
        page.next_cursor = page.items.last().map(|e| e.id.to_string());
    }
    Ok(Json(page))
}

/// Follows the event log live as server-sent events (`text/event-stream`), each event's `id`
/// its log id. Starts after `Last-Event-ID` or `after`, or at the newest event. The stream
/// ends when its token is revoked or its user deactivated or their password reset; a user
/// may hold `max_streams_per_user` streams open on a node (more answer 429).
#[utoipa::path(get, path = "/api/v1/events/stream", tag = "events", params(EventQuery),
    responses((status = 200, description = "A stream of events", content_type = "text/event-stream"),
        (status = 429, description = "Too many streams open", body = Problem)))]
pub async fn stream(
    State(app): State<App>,
    AuthToken(actor, credential): AuthToken,
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
                    Problem::of(
                        ErrorCode::InvalidHeader,
                        "Last-Event-ID must be an event id.",
                    )
                    .at("Last-Event-ID")
                })
        })
        .transpose()?;
    if from_header.or(query.after).is_some_and(|after| after < 0) {
        return Err(Problem::of(
            ErrorCode::InvalidQuery,
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
        None => *app.kernel.event_watch().borrow(),
    };
    let slot = app.staff.open_stream_slot(&actor)?;
    let credential = app.staff.stream_credential(&actor, credential).await?;
    let state = Follow::new(app.clone(), actor, credential, slot, after, shutdown.0);
    let stream = futures_util::stream::unfold(state, |mut state| async move {
        let event = state.next().await?;
        let sse = Event::default()
            .id(event.id.to_string())
            .event(event.kind.as_str())
            .json_data(&event)
            .unwrap_or_default();
        Some((Ok(sse), state))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}
