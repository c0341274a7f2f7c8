//! Following the event log for one reader: what they have seen, with their rights re-checked
//! whenever users or teams change, for the API's event stream and the workspace's live updates.

use std::collections::VecDeque;
use std::time::Duration;
use tiski_app::App;
use tiski_kernel::{Actor, EventView};

/// The state of one follower: what it has seen and what is buffered for it.
pub(crate) struct Follow {
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
    /// A follower of `actor` starting after event `after`, ending when `shutdown` turns true.
    pub(crate) fn new(
        app: App,
        actor: Actor,
        after: i64,
        shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> Follow {
        Follow {
            generation: app.staff.actor_generation(),
            checked_at: std::time::Instant::now(),
            events: app.kernel.event_watch(),
            app,
            actor,
            after,
            buffer: VecDeque::new(),
            shutdown,
        }
    }

    /// Reloads the actor when users or teams changed (or every few seconds), so a stream never
    /// outlives the rights it was opened with. `false` ends the stream.
    async fn rights_still_hold(&mut self) -> bool {
        let generation = self.app.staff.actor_generation();
        if generation == self.generation && self.checked_at.elapsed() < Duration::from_secs(5) {
            return true;
        }
        match self.app.staff.reload_actor(&self.actor).await {
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
    pub(crate) async fn next(&mut self) -> Option<EventView> {
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
            tokio::select! {
                _ = self.events.changed() => {}
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                _ = self.shutdown.changed() => return None,
            }
        }
    }
}
