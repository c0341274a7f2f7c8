//! The flusher: drains the access-log buffer into the store in batches.

use super::{BATCH, Buffered, FLUSH_EVERY, PendingAccess};
use crate::{Ticketing, repo};
use tokio::sync::{oneshot, watch};

/// Writes buffered access entries every [`FLUSH_EVERY`] (or when [`BATCH`] wait) until
/// `shutdown` turns true, then writes what is left. Runs once per process: a second call
/// returns at once.
pub async fn run_flusher(ticketing: Ticketing, mut shutdown: watch::Receiver<bool>) {
    let taken = ticketing
        .access
        .receiver
        .lock()
        .map(|mut r| r.take())
        .unwrap_or_default();
    let Some(mut receiver) = taken else {
        return;
    };
    let mut batch: Vec<PendingAccess> = Vec::new();
    let mut acks: Vec<oneshot::Sender<()>> = Vec::new();
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    loop {
        tokio::select! {
            _ = shutdown.changed() => {
                receiver.close();
                while let Some(item) = receiver.recv().await {
                    take(item, &mut batch, &mut acks);
                }
                write(&ticketing, &mut batch, &mut acks).await;
                return;
            }
            item = receiver.recv() => {
                let Some(item) = item else {
                    write(&ticketing, &mut batch, &mut acks).await;
                    return;
                };
                take(item, &mut batch, &mut acks);
                while batch.len() < BATCH
                    && let Ok(item) = receiver.try_recv()
                {
                    take(item, &mut batch, &mut acks);
                }
                if batch.len() >= BATCH || !acks.is_empty() {
                    write(&ticketing, &mut batch, &mut acks).await;
                }
            }
            _ = tick.tick() => {
                if !batch.is_empty() {
                    write(&ticketing, &mut batch, &mut acks).await;
                }
            }
        }
    }
}

fn take(item: Buffered, batch: &mut Vec<PendingAccess>, acks: &mut Vec<oneshot::Sender<()>>) {
    match item {
        Buffered::Entry(entry) => batch.push(entry),
        Buffered::Flush(ack) => acks.push(ack),
    }
}

/// Writes the batch in one transaction (retrying once after a failure), then answers the
/// flush requests.
async fn write(
    ticketing: &Ticketing,
    batch: &mut Vec<PendingAccess>,
    acks: &mut Vec<oneshot::Sender<()>>,
) {
    if !batch.is_empty() {
        let entries = std::mem::take(batch);
        let count = entries.len();
        let shared = std::sync::Arc::new(entries);
        let result = ticketing
            .kernel
            .housekeeping("access_log.append", {
                let shared = shared.clone();
                move |tx| repo::access::append(tx.conn(), &shared)
            })
            .await;
        match result {
            Ok(()) => metrics::counter!("tiski_access_log_entries_total").increment(count as u64),
            Err(error) => {
                tracing::error!(%error, count, "access-log entries could not be written");
                metrics::counter!("tiski_access_log_lost_total").increment(count as u64);
            }
        }
    }
    for ack in acks.drain(..) {
        let _ = ack.send(());
    }
}
