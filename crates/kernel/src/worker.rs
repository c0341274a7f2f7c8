//! The worker runner: one loop shape for every background job. A job's step handles a batch
//! and says whether more is waiting; between steps the worker sleeps until woken (a new event
//! in the log), its interval passes, or the server shuts down.

use crate::AppResult;
use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;

/// What a step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// It handled a full batch: run it again at once.
    More,
    /// It caught up: wait for the next wake-up.
    Idle,
}

impl Step {
    /// `More` when a step handled `handled` of at most `batch` items and may have left some.
    pub fn after(handled: usize, batch: usize) -> Step {
        if handled >= batch {
            Step::More
        } else {
            Step::Idle
        }
    }
}

/// Runs `step` until `shutdown` turns true: again at once while it reports more work,
/// otherwise after `interval` or when `wake` changes. A failed step is logged and retried
/// after the interval.
pub async fn run<F, Fut>(
    name: &'static str,
    mut shutdown: watch::Receiver<bool>,
    interval: Duration,
    mut wake: Option<watch::Receiver<i64>>,
    mut step: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = AppResult<Step>>,
{
    loop {
        loop {
            if *shutdown.borrow() {
                return;
            }
            match step().await {
                Ok(Step::More) => continue,
                Ok(Step::Idle) => break,
                Err(error) => {
                    tracing::warn!(worker = name, %error, "a worker step failed; it will retry");
                    break;
                }
            }
        }
        let woken = async {
            match wake.as_mut() {
                Some(wake) => {
                    if wake.changed().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = woken => {}
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => return,
        }
    }
}
