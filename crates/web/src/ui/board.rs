//! The supervisors' routing board: their teams' agents (an admin's: everyone) with status,
//! load and work, and every queue with its waiting count; refreshed every few seconds.

use super::auth::Ui;
use super::{UiError, UiResult, html};
use crate::extract::State as AppState;
use askama::Template;
use axum::extract::State;

/// One agent's row.
struct AgentRow {
    id: i64,
    name: String,
    status: String,
    since: String,
    load: i64,
    capacity: i64,
    tickets: Vec<i64>,
}

/// One queue's row.
struct QueueRow {
    id: i64,
    name: String,
    waiting: i64,
    oldest: String,
    assigned: i64,
}

#[derive(Template)]
#[template(path = "board.html")]
struct Page {
    c: super::Chrome,
    agents: Vec<AgentRow>,
    queues: Vec<QueueRow>,
}

#[derive(Template)]
#[template(path = "board_tables.html")]
struct Tables {
    c: super::Chrome,
    agents: Vec<AgentRow>,
    queues: Vec<QueueRow>,
}

async fn rows(app: &AppState, ui: &Ui) -> Result<(Vec<AgentRow>, Vec<QueueRow>), UiError> {
    let board = app
        .routing
        .board(&ui.actor)
        .await
        .map_err(|e| UiError::from_app(ui, e))?;
    let agents = board
        .agents
        .into_iter()
        .map(|a| AgentRow {
            id: a.presence.agent_id,
            name: a.name,
            status: ui.tr.t(&format!("presence-{}", a.presence.status.as_str())),
            since: a
                .presence
                .since
                .as_deref()
                .map(|s| ui.tr.ago(s))
                .unwrap_or_default(),
            load: a.presence.load,
            capacity: a.presence.capacity,
            tickets: a.ticket_ids,
        })
        .collect();
    let queues = board
        .queues
        .into_iter()
        .map(|q| QueueRow {
            id: q.queue_id,
            name: q.name,
            waiting: q.waiting,
            oldest: q
                .oldest_wait_s
                .map(|s| format!("{} min", s / 60))
                .unwrap_or_default(),
            assigned: q.assigned,
        })
        .collect();
    Ok((agents, queues))
}

/// `GET /board`: the page.
pub async fn page(State(app): State<AppState>, ui: Ui) -> UiResult {
    let (agents, queues) = rows(&app, &ui).await?;
    let title = ui.tr.t("board-title");
    Ok(html(&Page {
        c: super::Chrome::new(&ui, "board", title),
        agents,
        queues,
    }))
}

/// `GET /ui/board`: the tables, for the page's refresh.
pub async fn tables(State(app): State<AppState>, ui: Ui) -> UiResult {
    let (agents, queues) = rows(&app, &ui).await?;
    Ok(html(&Tables {
        c: super::Chrome::new(&ui, "board", String::new()),
        agents,
        queues,
    }))
}
