//! Storage for tiski: SQLite (embedded default) and PostgreSQL (scale-out) behind one contract.
//!
//! Callers hand the store a closure that runs against a [`Conn`]: [`Store::write`] runs it in a
//! transaction together with the events it appends, [`Store::read`] on a read connection. The
//! same SQL runs on both engines: statements use `$1`, `$2`… placeholders, integers, text and
//! reals only (times are microseconds since the epoch, JSON is text). Where dialects differ, the
//! caller asks [`Conn::engine`] and picks the statement for it.
//!
//! Architecture invariant: the store knows tables and transactions, never business rules.
//!
//! On SQLite one writer thread owns the write connection and group-commits: it drains queued
//! write jobs into one transaction, each job in its own savepoint, so one failing job rolls back
//! alone and every job is answered only after the commit that made it durable. On PostgreSQL
//! each write runs on a pooled connection; event inserts take a transaction-scoped advisory lock
//! so event ids become visible in id order, which lets readers tail the log by id safely.

mod error;
mod migrate;
mod pg;
mod private;
mod sql;
mod sqlite;
mod value;

pub use error::StoreError;
pub use private::create_private_dir_all;
pub use sql::Sql;
pub use value::{FromValue, Json, Row, Value};

use std::sync::Arc;
use tokio::sync::watch;

/// Which database engine a connection talks to, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite in WAL mode.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A database connection inside a transaction: run statements, read rows.
pub trait Conn {
    /// The engine behind this connection.
    fn engine(&self) -> Engine;
    /// Runs a statement and returns the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    /// Runs a query and returns all its rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// Runs several statements without parameters (migrations, transaction control).
    fn execute_batch(&mut self, sql: &str) -> Result<(), StoreError>;
}

impl dyn Conn + '_ {
    /// Runs a query that must return exactly one row.
    pub fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row, StoreError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| StoreError::NotFound(first_words(sql)))
    }

    /// Runs a query that returns at most one row.
    pub fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Runs a query whose first column of its one row is the answer.
    pub fn query_scalar<T: FromValue>(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> Result<T, StoreError> {
        self.query_one(sql, params)?.get(0)
    }
}

fn first_words(sql: &str) -> String {
    sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ")
}

/// An event to append to the log in the current write transaction.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// When it happened, in microseconds since the Unix epoch.
    pub at: i64,
    /// `customer`, `agent` or `system`.
    pub actor_kind: String,
    /// The acting user or customer, when there is one.
    pub actor_id: Option<i64>,
    /// The ticket the event belongs to, when there is one.
    pub ticket_id: Option<i64>,
    /// The event type, such as `ticket.created`.
    pub kind: String,
    /// The schema version the payload is written in.
    pub version: i64,
    /// The event's data as JSON text.
    pub payload: String,
}

/// The connection a write closure gets: a [`Conn`] plus the events it appends, which the store
/// inserts in the same transaction when the closure succeeds.
pub struct WriteTx<'c> {
    conn: &'c mut dyn Conn,
    events: Vec<NewEvent>,
}

impl<'c> WriteTx<'c> {
    fn new(conn: &'c mut dyn Conn) -> Self {
        Self {
            conn,
            events: Vec::new(),
        }
    }

    /// Appends an event; it is written only if the whole write succeeds.
    pub fn append_event(&mut self, event: NewEvent) {
        self.events.push(event);
    }

    /// The connection, for statements.
    pub fn conn(&mut self) -> &mut dyn Conn {
        self.conn
    }

    /// Inserts the appended events, returning the id of the last one (0 when there were none).
    fn flush_events(&mut self) -> Result<i64, StoreError> {
        if self.events.is_empty() {
            return Ok(0);
        }
        if self.conn.engine() == Engine::Postgres {
            // Serialises event inserts until commit, so ids commit in order.
            self.conn
                .execute("SELECT pg_advisory_xact_lock(7355608)", &[])?;
        }
        // One multi-row insert: on PostgreSQL the advisory lock is held until commit, so the
        // fewer round trips under it, the more writes commit per second.
        let events = std::mem::take(&mut self.events);
        let mut sql = String::from(
            "INSERT INTO events (at, actor_kind, actor_id, ticket_id, kind, version, payload) VALUES ",
        );
        let mut params = Vec::with_capacity(events.len() * 7);
        for (index, event) in events.into_iter().enumerate() {
            let base = index * 7;
            if index > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                base + 1,
                base + 2,
                base + 3,
                base + 4,
                base + 5,
                base + 6,
                base + 7
            ));
            params.extend([
                event.at.into(),
                event.actor_kind.into(),
                event.actor_id.into(),
                event.ticket_id.into(),
                event.kind.into(),
                event.version.into(),
                event.payload.into(),
            ]);
        }
        sql.push_str(" RETURNING id");
        let mut last = 0;
        for row in self.conn.query(&sql, &params)? {
            last = last.max(row.get::<i64>(0)?);
        }
        Ok(last)
    }
}

impl Conn for WriteTx<'_> {
    fn engine(&self) -> Engine {
        self.conn.engine()
    }
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        self.conn.execute(sql, params)
    }
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        self.conn.query(sql, params)
    }
    fn execute_batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.conn.execute_batch(sql)
    }
}

/// Where the data lives.
#[derive(Debug, Clone)]
pub enum Location {
    /// A SQLite database file (created with its directory if missing), and how many read
    /// connections to keep.
    Sqlite {
        /// The database file.
        path: std::path::PathBuf,
        /// Read connections kept open (one more connection writes).
        readers: usize,
    },
    /// A PostgreSQL connection URL, and how many connections to pool.
    Postgres {
        /// `postgres://…` URL; `?options=-c search_path=…` selects a schema.
        url: String,
        /// The most connections the pool opens.
        pool_size: usize,
    },
}

impl Location {
    /// A SQLite database file with the default number of readers.
    pub fn sqlite(path: impl Into<std::path::PathBuf>) -> Location {
        Location::Sqlite {
            path: path.into(),
            readers: 4,
        }
    }
}

/// The store: open once, clone freely (it is a handle).
#[derive(Clone)]
pub struct Store {
    engine: Arc<EngineImpl>,
    last_event: watch::Receiver<i64>,
}

enum EngineImpl {
    Sqlite(sqlite::SqliteStore),
    Postgres(Box<pg::PgStore>),
}

/// A boxed write closure, run in a transaction.
type WriteFn<T, E> = dyn Fn(&mut WriteTx<'_>) -> Result<T, E> + Send + 'static;

impl Store {
    /// Opens the database, creating it if needed, and runs pending migrations.
    pub async fn open(location: Location) -> Result<Store, StoreError> {
        let (notify, last_event) = watch::channel(0);
        let engine = match location {
            Location::Sqlite { path, readers } => {
                EngineImpl::Sqlite(sqlite::SqliteStore::open(path, readers, notify).await?)
            }
            Location::Postgres { url, pool_size } => {
                EngineImpl::Postgres(Box::new(pg::PgStore::open(url, pool_size, notify).await?))
            }
        };
        let store = Store {
            engine: Arc::new(engine),
            last_event,
        };
        let last = store
            .read(|conn| conn.query_scalar::<i64>("SELECT COALESCE(MAX(id), 0) FROM events", &[]))
            .await?;
        store.note_event_id(last);
        Ok(store)
    }

    /// The engine in use.
    pub fn engine(&self) -> Engine {
        match &*self.engine {
            EngineImpl::Sqlite(_) => Engine::Sqlite,
            EngineImpl::Postgres(_) => Engine::Postgres,
        }
    }

    /// Runs `work` in a write transaction with the events it appends, and answers only after
    /// the commit. If `work` fails, nothing it did is kept. On PostgreSQL a write that loses a
    /// race (serialisation failure, deadlock, unique violation) is run again, up to twice, so
    /// the closure may run more than once and must not have outside effects.
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: Fn(&mut WriteTx<'_>) -> Result<T, E> + Send + 'static,
    {
        let work: Box<WriteFn<T, E>> = Box::new(work);
        match &*self.engine {
            EngineImpl::Sqlite(store) => store.write(work).await,
            EngineImpl::Postgres(store) => store.write(work).await,
        }
    }

    /// Runs `work` on a read connection in a read transaction (one consistent snapshot).
    pub async fn read<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static,
    {
        match &*self.engine {
            EngineImpl::Sqlite(store) => store.read(work).await,
            EngineImpl::Postgres(store) => store.read(work).await,
        }
    }

    /// A receiver of the newest event id known to this process; it changes after every commit
    /// that appended events, and when [`Store::note_event_id`] learns of newer ones.
    pub fn event_watch(&self) -> watch::Receiver<i64> {
        self.last_event.clone()
    }

    /// Records that events up to `id` exist (for instance, written by another node).
    pub fn note_event_id(&self, id: i64) {
        let sender = match &*self.engine {
            EngineImpl::Sqlite(store) => &store.notify,
            EngineImpl::Postgres(store) => &store.notify,
        };
        sender.send_if_modified(|current| {
            if id > *current {
                *current = id;
                true
            } else {
                false
            }
        });
    }

    /// Stops background threads after the work already queued is done.
    pub async fn close(&self) {
        match &*self.engine {
            EngineImpl::Sqlite(store) => store.close().await,
            EngineImpl::Postgres(store) => store.close(),
        }
    }
}

/// Builds a parameter list: `params![id, name]` is `&[Value::from(id), Value::from(name)]`.
#[macro_export]
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        &[$($crate::Value::from($value)),*]
    };
}
