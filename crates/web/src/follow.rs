//! Following the event log for one reader: what they have seen, with their credential and
//! rights re-checked in the store before every delivery that follows new log entries and on a
//! heartbeat, for the API's event stream and the workspace's live updates.
//!
//! Revoking a token, signing out, a password reset or a deactivation appends an event
//! (`token.revoked`, `session.ended`, `agent.updated`) to the shared log; every node's follower
//! wakes on the log advancing and re-checks, so the stream ends at once on every node. The
//! heartbeat (`stream_recheck`) covers nodes that learn of new events late.

use std::collections::VecDeque;
use std::time::Duration;
use tiski_app::App;
use tiski_kernel::{Actor, EventView};
use tiski_staff::{StreamCredential, StreamSlot};

/// The state of one follower: what it has seen and what is buffered for it.
pub(crate) struct Follow {
    app: App,
    actor: Actor,
    credential: StreamCredential,
    /// The newest log id when the credential was last checked.
    checked_log: i64,
    /// When the credential was last checked (the heartbeat).
    checked_at: std::time::Instant,
    after: i64,
    buffer: VecDeque<EventView>,
    events: tokio::sync::watch::Receiver<i64>,
    shutdown: tokio::sync::watch::Receiver<bool>,
    /// The user's place among their open streams, freed when the follower is dropped.
    _slot: StreamSlot,
}

impl Follow {
    /// A follower of `actor` (who opened it with `credential`, holding `slot`) starting after
    /// event `after`, ending when `shutdown` turns true or the credential no longer holds.
    pub(crate) fn new(
        app: App,
        actor: Actor,
        credential: StreamCredential,
        slot: StreamSlot,
        after: i64,
        shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> Follow {
        let events = app.kernel.event_watch();
        let checked_log = *events.borrow();
        Follow {
            checked_log,
            checked_at: std::time::Instant::now(),
            events,
            app,
            actor,
            credential,
            after,
            buffer: VecDeque::new(),
            shutdown,
            _slot: slot,
        }
    }

    /// Re-checks the credential and reloads the actor when the log moved since the last
    /// check (a revocation is an event) or the heartbeat is due. `false` ends the stream. A
    /// store that cannot answer ends it too: a stream never outlives what it cannot prove.
    async fn still_allowed(&mut self) -> bool {
        let newest = *self.events.borrow();
        let heartbeat = self.app.settings().stream_recheck;
        if newest == self.checked_log && self.checked_at.elapsed() < heartbeat {
            return true;
        }
        match self.app.staff.recheck_stream(&self.credential).await {
            Ok(Some(actor)) => {
                self.actor = actor;
                self.checked_log = newest;
                self.checked_at = std::time::Instant::now();
                true
            }
            Ok(None) => false,
            Err(error) => {
                tracing::warn!(%error, "could not re-check a stream's credential; ending it");
                false
            }
        }
    }

    /// The next visible event, waiting for one; `None` when the server shuts down or the
    /// stream's credential no longer holds.
    pub(crate) async fn next(&mut self) -> Option<EventView> {
        loop {
            if *self.shutdown.borrow() || !self.still_allowed().await {
                return None;
            }
            if let Some(event) = self.buffer.pop_front() {
                self.after = event.id;
                return Some(event);
            }
            let newest = *self.events.borrow_and_update();
            if newest > self.after {
                match self
                    .app
                    .ticketing
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
            let heartbeat = self.app.settings().stream_recheck;
            tokio::select! {
                _ = self.events.changed() => {}
                _ = tokio::time::sleep(heartbeat) => {}
                _ = self.shutdown.changed() => return None,
            }
        }
    }
}

/// How often the keep-alive comment is sent on a stream.
pub(crate) const KEEP_ALIVE: Duration = Duration::from_secs(15);
