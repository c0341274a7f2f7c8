//! The kernel handle and the write transaction: how every command runs.
//!
//! A command is one [`Kernel::command`]: the [`Grant`] proves its permission was checked, the
//! closure runs in one store transaction with a [`Tx`], and whatever it emits is appended to
//! the log in that transaction. Contexts above react to events through [`Reaction`]s the
//! application registers: they run inside the same transaction, so a reply and the mail it
//! queues commit together, and the lower context never calls up.

use crate::events;
use crate::{Actor, AppError, AppResult, Grant, Settings};
use std::sync::Arc;
use tiski_domain::{Clock, Event};
use tiski_store::{Conn, Engine, Store, WriteTx};
use tokio::sync::watch;

/// A context's reaction to an event, run in the transaction that appended the event.
pub trait Reaction: Send + Sync {
    /// Reacts; an error rolls the whole command back.
    fn react(&self, tx: &mut Tx<'_, '_>, ticket_id: Option<i64>, event: &Event) -> AppResult<()>;
}

/// The kernel: the store, the clock, the settings and the reactions. Cheap to clone.
#[derive(Clone)]
pub struct Kernel {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    settings: Settings,
    reactions: Vec<Arc<dyn Reaction>>,
}

/// How deep reactions may trigger further reactions before the command is refused (a cycle
/// would otherwise never end).
const MAX_REACTION_DEPTH: u8 = 8;

impl Kernel {
    /// A kernel on an opened store, with the clock time comes from and the reactions of the
    /// contexts above.
    pub fn new(
        store: Store,
        settings: Settings,
        clock: Arc<dyn Clock>,
        reactions: Vec<Arc<dyn Reaction>>,
    ) -> Kernel {
        Kernel {
            inner: Arc::new(Inner {
                store,
                clock,
                settings,
                reactions,
            }),
        }
    }

    /// The store (for opening, closing and the event watch; contexts go through commands).
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The current time from the application's clock, in microseconds.
    pub fn now(&self) -> i64 {
        self.inner.clock.now_micros()
    }

    /// The database engine.
    pub fn engine(&self) -> Engine {
        self.inner.store.engine()
    }

    /// A receiver of the newest event id this process knows of.
    pub fn event_watch(&self) -> watch::Receiver<i64> {
        self.inner.store.event_watch()
    }

    /// Runs one command: `work` in one write transaction as the granted actor, its events
    /// appended in the same transaction; counted in the metrics under `name`. The closure may
    /// run more than once (PostgreSQL retries a write that lost a race), so it must not have
    /// outside effects.
    pub async fn command<T, F>(&self, grant: &Grant, name: &'static str, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: Fn(&mut Tx<'_, '_>) -> AppResult<T> + Send + 'static,
    {
        let result = self.write_as(grant.actor().clone(), work).await;
        count(name, &result);
        result
    }

    /// Runs tiski's own bookkeeping (worker positions, leases, a session's last use): one
    /// write transaction as the system actor, outside any user's permission. It may append
    /// events like a command.
    pub async fn housekeeping<T, F>(&self, name: &'static str, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: Fn(&mut Tx<'_, '_>) -> AppResult<T> + Send + 'static,
    {
        let result = self.write_as(Actor::system(), work).await;
        count(name, &result);
        result
    }

    async fn write_as<T, F>(&self, actor: Actor, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: Fn(&mut Tx<'_, '_>) -> AppResult<T> + Send + 'static,
    {
        let kernel = self.inner.clone();
        self.inner
            .store
            .write(move |write| {
                let mut tx = Tx {
                    write,
                    actor: &actor,
                    now: kernel.clock.now_micros(),
                    reactions: &kernel.reactions,
                    depth: 0,
                    rule: None,
                };
                work(&mut tx)
            })
            .await
    }

    /// Runs one query on a read connection (one consistent snapshot). The grant proves the
    /// permission was checked; scoping to what the actor sees is the query's part.
    pub async fn query<T, F>(&self, _grant: &Grant, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Conn) -> AppResult<T> + Send + 'static,
    {
        self.inner.store.read(work).await
    }

    /// Reads for tiski's own machinery (authentication, workers), outside any user's
    /// permission.
    pub async fn read_internal<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Conn) -> AppResult<T> + Send + 'static,
    {
        self.inner.store.read(work).await
    }
}

/// Counts a finished command for the metrics.
fn count<T>(name: &'static str, result: &AppResult<T>) {
    let outcome = match result {
        Ok(_) => "ok",
        Err(error) if error.is_server_fault() => "error",
        Err(_) => "refused",
    };
    metrics::counter!("tiski_commands_total", "command" => name, "outcome" => outcome).increment(1);
}

/// A write transaction as a command sees it: the connection, the actor, the time (read once
/// from the clock), and the event log.
pub struct Tx<'t, 'c> {
    write: &'t mut WriteTx<'c>,
    actor: &'t Actor,
    now: i64,
    reactions: &'t [Arc<dyn Reaction>],
    depth: u8,
    rule: Option<Rule>,
}

/// An automation rule a transaction acts for: its events are recorded as that rule's
/// doing (`actor_kind` = `kind`, `actor_id` = `id`), so the log itself says which rule
/// made a change and the automation worker can tell its own changes from everyone else's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// `trigger` or `time_rule`.
    pub kind: &'static str,
    /// The rule's id.
    pub id: i64,
}

impl Tx<'_, '_> {
    /// The connection, for the context's repository.
    pub fn conn(&mut self) -> &mut dyn Conn {
        self.write.conn()
    }

    /// The engine, for the few statements that differ.
    pub fn engine(&self) -> Engine {
        self.write.engine()
    }

    /// Who runs the command.
    pub fn actor(&self) -> &Actor {
        self.actor
    }

    /// The time of this transaction, from the application's clock.
    pub fn now(&self) -> i64 {
        self.now
    }

    /// Appends an event as the transaction's actor and runs the reactions to it, all in this
    /// transaction.
    pub fn emit(&mut self, ticket_id: Option<i64>, event: impl Into<Event>) -> AppResult<()> {
        let event = event.into();
        events::append(
            self.write, self.actor, self.rule, self.now, ticket_id, &event,
        );
        if self.reactions.is_empty() {
            return Ok(());
        }
        if self.depth >= MAX_REACTION_DEPTH {
            return Err(AppError::Corrupt(format!(
                "reactions to {} went {MAX_REACTION_DEPTH} levels deep",
                event.kind()
            )));
        }
        let reactions = self.reactions;
        self.depth += 1;
        let result = reactions
            .iter()
            .try_for_each(|reaction| reaction.react(self, ticket_id, &event));
        self.depth -= 1;
        result
    }

    /// Runs part of the command as tiski itself (mail arriving through a channel is recorded
    /// as the channel's doing, whoever handed it over).
    pub fn as_system<T>(
        &mut self,
        work: impl FnOnce(&mut Tx<'_, '_>) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut inner = Tx {
            write: &mut *self.write,
            actor: Actor::system_ref(),
            now: self.now,
            reactions: self.reactions,
            depth: self.depth,
            rule: self.rule,
        };
        work(&mut inner)
    }

    /// Runs part of the work as an automation rule: with tiski's permissions, its events
    /// recorded as the rule's doing (see [`Rule`]).
    pub fn as_rule<T>(
        &mut self,
        rule: Rule,
        work: impl FnOnce(&mut Tx<'_, '_>) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut inner = Tx {
            write: &mut *self.write,
            actor: Actor::system_ref(),
            now: self.now,
            reactions: self.reactions,
            depth: self.depth,
            rule: Some(rule),
        };
        work(&mut inner)
    }

    /// The rule this part of the transaction acts for, if any.
    pub fn rule(&self) -> Option<Rule> {
        self.rule
    }
}
