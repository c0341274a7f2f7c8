//! Background workers: each tails the event log or polls a due-time index, remembers where it
//! is in the store, and stops when told to.

use crate::{App, time};
use std::time::Duration;
use tiski_store::Engine;
use tokio::sync::watch;
use tokio::task::JoinHandle;

impl App {
    /// Starts the workers; they run until `shutdown` turns true, then finish their current step.
    pub fn start_workers(&self, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
        let mut handles = vec![
            tokio::spawn(self.clone().webhook_dispatcher(shutdown.clone())),
            tokio::spawn(self.clone().webhook_deliverer(shutdown.clone())),
            tokio::spawn(self.clone().auto_closer(shutdown.clone())),
            tokio::spawn(self.clone().gauges(shutdown.clone())),
        ];
        if self.store().engine() == Engine::Postgres {
            handles.push(tokio::spawn(self.clone().event_poller(shutdown)));
        }
        handles
    }

    /// Moves new events into the outbox as webhook deliveries.
    async fn webhook_dispatcher(self, mut shutdown: watch::Receiver<bool>) {
        let mut events = self.store().event_watch();
        loop {
            loop {
                match self.dispatch_webhooks(500).await {
                    Ok(500) => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::warn!(%error, "webhook dispatch failed; will retry");
                        break;
                    }
                }
            }
            tokio::select! {
                _ = events.changed() => {}
                _ = tokio::time::sleep(self.config().worker_interval) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Sends due webhook deliveries.
    async fn webhook_deliverer(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            loop {
                match self.deliver_webhooks(32).await {
                    Ok(32) if !*shutdown.borrow() => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::warn!(%error, "webhook delivery failed; will retry");
                        break;
                    }
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(self.config().worker_interval) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Closes tickets solved longer ago than the configured number of days.
    async fn auto_closer(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            let cutoff = time::now_micros() - self.config().auto_close_after.as_micros() as i64;
            loop {
                match self.close_solved_before(cutoff, 200).await {
                    Ok(200) => continue,
                    Ok(0) => break,
                    Ok(closed) => {
                        tracing::info!(closed, "closed solved tickets");
                        break;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "auto-close failed; will retry");
                        break;
                    }
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(self.config().auto_close_interval) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Learns of events written by other nodes on the same PostgreSQL database.
    async fn event_poller(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            let newest = self
                .store()
                .read(|conn| {
                    conn.query_scalar::<i64>("SELECT COALESCE(MAX(id), 0) FROM events", &[])
                })
                .await;
            match newest {
                Ok(id) => self.store().note_event_id(id),
                Err(error) => tracing::warn!(%error, "polling the event log failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Keeps gauges (outbox depth) current.
    async fn gauges(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Ok(depth) = self.outbox_depth().await {
                metrics::gauge!("tiski_outbox_depth").set(depth as f64);
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
