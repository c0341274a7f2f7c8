//! The application's background workers, each one loop of the kernel's runner: webhook
//! dispatch and delivery, auto-close, retention, the access-log flusher, the pruner, the
//! PostgreSQL event poller, the metrics gauges, the notification worker and its email digest,
//! the router, and the automations (triggers, time rules).

use crate::App;
use std::future::Future;
use std::time::Duration;
use tiski_kernel::prune::{self, PRUNE_BATCH, Pruned};
use tiski_kernel::worker::{self, Step};
use tiski_kernel::{AppResult, Engine, events, outbox, time};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Events the webhook dispatcher moves per step.
const DISPATCH_BATCH: usize = 500;
/// Deliveries the webhook deliverer sends per step.
const DELIVER_BATCH: usize = 32;
/// Tickets the auto-closer closes per step.
const CLOSE_BATCH: usize = 200;
/// Events the notification worker reads per step.
const NOTIFY_BATCH: usize = 500;
/// Events the search indexer reads per step.
const SEARCH_BATCH: usize = 500;
/// Events the trigger worker reads per step.
const TRIGGER_BATCH: usize = 200;
/// How often the time rules are checked (one write transaction a check).
const TIME_RULE_INTERVAL: Duration = Duration::from_secs(30);
/// Agents the digest worker looks at per step.
const DIGEST_BATCH: usize = 50;
/// How often the digest worker looks for digests that came due.
const DIGEST_INTERVAL: Duration = Duration::from_secs(15);

impl App {
    /// One step of the pruner, on the kernel clock: a batch of idempotency keys past their
    /// lifetime, finished outbox rows and their attempts past their retention, and expired
    /// sessions, in one transaction; then a batch of access-log entries past their days, one
    /// of files staged for a reply more than a day ago, and one of mail to staff (digests)
    /// delivered longer ago than the outbox keeps.
    pub async fn prune(&self) -> tiski_kernel::AppResult<Pruned> {
        let settings = self.settings().clone();
        let mut pruned = self
            .kernel
            .housekeeping("prune", move |tx| {
                let mut pruned = prune::kernel_tables(tx, &settings)?;
                pruned.sessions = tiski_staff::prune::expired_sessions(tx, PRUNE_BATCH)?;
                Ok(pruned)
            })
            .await?;
        pruned.access_log = self.ticketing.prune_access_log(PRUNE_BATCH).await? as u64;
        pruned.staged_files = self.ticketing.prune_staged(PRUNE_BATCH).await? as u64;
        pruned.staff_mail = self.email.prune_staff_mail(PRUNE_BATCH).await? as u64;
        Ok(pruned)
    }

    /// Starts the workers; they run until `shutdown` turns true, then finish their current
    /// step.
    pub fn start_workers(&self, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
        let settings = self.settings().clone();
        let on_events = || Some(self.kernel.event_watch());
        let sd = &shutdown;
        let mut handles = vec![
            spawn(
                "webhook-dispatch",
                sd,
                settings.worker_interval,
                on_events(),
                self,
                |app| async move {
                    let handled = app.webhooks.dispatch(DISPATCH_BATCH as i64).await?;
                    Ok(Step::after(handled, DISPATCH_BATCH))
                },
            ),
            spawn(
                "webhook-deliver",
                sd,
                settings.worker_interval,
                None,
                self,
                |app| async move {
                    let sent = app.webhooks.deliver(DELIVER_BATCH as i64).await?;
                    Ok(Step::after(sent, DELIVER_BATCH))
                },
            ),
            spawn(
                "auto-close",
                sd,
                settings.auto_close_interval,
                None,
                self,
                |app| async move {
                    let cutoff = app.kernel.now() - time::micros(app.settings().auto_close_after());
                    let closed = app
                        .ticketing
                        .close_solved_before(cutoff, CLOSE_BATCH as i64)
                        .await?;
                    if closed > 0 {
                        tracing::info!(closed, "closed solved tickets");
                    }
                    Ok(Step::after(closed, CLOSE_BATCH))
                },
            ),
            // Reads of customer data, buffered by the handlers, written in batches; the rest
            // at shutdown.
            tokio::spawn(tiski_ticketing::access::run_flusher(
                self.ticketing.clone(),
                shutdown.clone(),
            )),
            spawn(
                "retention",
                sd,
                settings.retention_interval,
                None,
                self,
                |app| async move {
                    let batch = tiski_ticketing::privacy::RETENTION_BATCH;
                    let erased = app.ticketing.apply_retention(batch).await?;
                    if erased > 0 {
                        tracing::info!(erased, "erased closed tickets past their retention");
                    }
                    Ok(Step::after(erased, batch as usize))
                },
            ),
            spawn(
                "prune",
                sd,
                settings.prune_interval,
                None,
                self,
                |app| async move {
                    let pruned = app.prune().await?;
                    if pruned.total() > 0 {
                        tracing::info!(?pruned, "pruned rows past their time");
                    }
                    Ok(if pruned.batch_full() {
                        Step::More
                    } else {
                        Step::Idle
                    })
                },
            ),
            spawn(
                "gauges",
                sd,
                Duration::from_secs(5),
                None,
                self,
                |app| async move {
                    let depth = app.kernel.read_internal(outbox::depth).await?;
                    metrics::gauge!("tiski_outbox_depth").set(depth as f64);
                    Ok(Step::Idle)
                },
            ),
            // Notifications: made from the log as it grows, once per (event, recipient, kind)
            // however many nodes run this.
            spawn(
                "notify-produce",
                sd,
                settings.worker_interval,
                on_events(),
                self,
                |app| async move {
                    let handled = app.notify.produce(NOTIFY_BATCH as i64).await?;
                    Ok(Step::after(handled, NOTIFY_BATCH))
                },
            ),
            // Search: the index follows the log, once per event however many nodes run this
            // (the position row is locked while a step runs).
            spawn(
                "search-index",
                sd,
                settings.worker_interval,
                on_events(),
                self,
                |app| async move {
                    let handled = app.knowledge.index(SEARCH_BATCH as i64).await?;
                    Ok(Step::after(handled, SEARCH_BATCH))
                },
            ),
            // Triggers: fired from the log as it grows, each event once however many nodes run
            // this (the position row is locked while a step runs).
            spawn(
                "automation-triggers",
                sd,
                settings.worker_interval,
                on_events(),
                self,
                |app| async move {
                    let handled = app.automation.run_triggers(TRIGGER_BATCH as i64).await?;
                    Ok(Step::after(handled, TRIGGER_BATCH))
                },
            ),
            // Time rules: due by the kernel clock, each ticket acted on once per occurrence.
            spawn(
                "automation-time-rules",
                sd,
                TIME_RULE_INTERVAL.max(settings.worker_interval),
                None,
                self,
                |app| async move {
                    let acted = app.automation.run_time_rules().await?;
                    Ok(Step::after(acted, usize::MAX))
                },
            ),
            // The email digest of agents who were away: due by the kernel clock, taken up once
            // however many nodes look.
            spawn(
                "notify-digest",
                sd,
                DIGEST_INTERVAL.max(settings.worker_interval),
                None,
                self,
                |app| async move {
                    let step = app.notify.digest(DIGEST_BATCH as i64).await?;
                    if step.mailed > 0 {
                        tracing::info!(mailed = step.mailed, "mailed notification digests");
                    }
                    Ok(Step::after(step.mailed, DIGEST_BATCH))
                },
            ),
            // The router: on every new event (work enqueued, an agent available, capacity
            // freed) and, as a safety sweep, every interval, on the kernel clock.
            spawn(
                "routing-match",
                sd,
                settings.worker_interval,
                on_events(),
                self,
                |app| async move {
                    let made = app.routing.match_once().await?;
                    Ok(if made > 0 { Step::More } else { Step::Idle })
                },
            ),
        ];
        if settings.edi_drop_dir.is_some() {
            // The EDI drop folder, looked at every interval.
            handles.push(spawn(
                "edi-drop",
                sd,
                settings.edi_drop_interval,
                None,
                self,
                |app| async move {
                    let taken = app.edi_drop_step().await?;
                    Ok(Step::after(taken, crate::edi_drop::DROP_BATCH))
                },
            ));
        }
        if self.kernel.engine() == Engine::Postgres {
            // Other nodes append to the same log: learn of their events so streams and workers
            // here wake for them too.
            handles.push(spawn(
                "event-poller",
                sd,
                Duration::from_millis(250),
                None,
                self,
                |app| async move {
                    let newest = app.kernel.read_internal(events::newest).await?;
                    app.kernel.store().note_event_id(newest);
                    Ok(Step::Idle)
                },
            ));
        }
        handles
    }
}

/// Spawns the worker `name` on the kernel's runner, each step called with its own handle on
/// the app: so every worker above is only its step, and the cloning is written once.
fn spawn<F, Fut>(
    name: &'static str,
    shutdown: &watch::Receiver<bool>,
    interval: Duration,
    wake: Option<watch::Receiver<i64>>,
    app: &App,
    step: F,
) -> JoinHandle<()>
where
    F: Fn(App) -> Fut + Send + 'static,
    Fut: Future<Output = AppResult<Step>> + Send + 'static,
{
    let app = app.clone();
    tokio::spawn(worker::run(
        name,
        shutdown.clone(),
        interval,
        wake,
        move || step(app.clone()),
    ))
}
