//! SQLite: one writer thread that group-commits, and a pool of read connections.

use crate::{Conn, Engine, Row, StoreError, Value, WriteFn, WriteTx, migrate};
use rusqlite::{Connection, OpenFlags, types::ValueRef};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::{Semaphore, mpsc, oneshot, watch};

/// How many queued writes one transaction takes at most.
const MAX_BATCH: usize = 256;
/// How many writes may wait for the writer before callers are held back.
const QUEUE_DEPTH: usize = 4096;

/// A write job as the writer thread sees it: run it inside a savepoint and report whether it
/// succeeded, with a completion to call once the outcome of the commit is known.
type Job = Box<dyn FnOnce(&mut SqliteConn<'_>) -> (bool, Completion) + Send>;
type Completion = Box<dyn FnOnce(Option<StoreError>) + Send>;

enum Message {
    Job(Job),
    Close(oneshot::Sender<()>),
}

pub(crate) struct SqliteStore {
    writer: mpsc::Sender<Message>,
    readers: Arc<Mutex<Vec<Connection>>>,
    reader_permits: Arc<Semaphore>,
    pub(crate) notify: watch::Sender<i64>,
}

/// A rusqlite connection seen through [`Conn`].
pub(crate) struct SqliteConn<'a> {
    conn: &'a Connection,
}

impl Conn for SqliteConn<'_> {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        bind(&mut statement, params)?;
        let changed = statement.raw_execute().map_err(map_error)?;
        Ok(changed as u64)
    }

    fn execute_batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.conn.execute_batch(sql).map_err(map_error)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        bind(&mut statement, params)?;
        let columns = statement.column_count();
        let mut rows = statement.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(map_error)? {
            let mut values = Vec::with_capacity(columns);
            for index in 0..columns {
                values.push(match row.get_ref(index)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Real(v),
                    ValueRef::Text(v) => Value::Text(String::from_utf8_lossy(v).into_owned()),
                    ValueRef::Blob(v) => Value::Blob(v.to_vec()),
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }
}

/// Binds `$1`, `$2`… by name, so the order they appear in the text does not matter.
fn bind(statement: &mut rusqlite::CachedStatement<'_>, params: &[Value]) -> Result<(), StoreError> {
    statement.clear_bindings();
    for (position, value) in params.iter().enumerate() {
        let name = format!("${}", position + 1);
        let Some(index) = statement.parameter_index(&name)? else {
            continue;
        };
        match value {
            Value::Null => statement.raw_bind_parameter(index, rusqlite::types::Null)?,
            Value::Int(v) => statement.raw_bind_parameter(index, v)?,
            Value::Real(v) => statement.raw_bind_parameter(index, v)?,
            Value::Text(v) => statement.raw_bind_parameter(index, v.as_str())?,
            Value::Blob(v) => statement.raw_bind_parameter(index, v.as_slice())?,
        }
    }
    Ok(())
}

fn map_error(error: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(code, message) = &error
        && code.code == rusqlite::ErrorCode::ConstraintViolation
        && matches!(
            code.extended_code,
            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
        )
    {
        return StoreError::Conflict {
            constraint: message.clone().unwrap_or_default(),
        };
    }
    StoreError::Sqlite(error)
}

fn open_connection(path: &PathBuf, read_only: bool) -> Result<Connection, StoreError> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags).map_err(|error| StoreError::Open {
        location: path.display().to_string(),
        message: error.to_string(),
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA cache_size = -32000; PRAGMA temp_store = MEMORY;",
    )?;
    conn.set_prepared_statement_cache_capacity(128);
    Ok(conn)
}

impl SqliteStore {
    pub(crate) async fn open(
        path: PathBuf,
        readers: usize,
        notify: watch::Sender<i64>,
    ) -> Result<SqliteStore, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::private::create_private_dir_all(parent).map_err(|error| StoreError::Open {
                location: parent.display().to_string(),
                message: error.to_string(),
            })?;
        }
        let fresh = !path.exists();
        if fresh {
            crate::private::create_private_file(&path).map_err(|error| StoreError::Open {
                location: path.display().to_string(),
                message: error.to_string(),
            })?;
        }
        let writer_path = path.clone();
        let writer_conn = tokio::task::spawn_blocking(move || -> Result<Connection, StoreError> {
            let conn = open_connection(&writer_path, false)?;
            // WAL lets readers run beside the writer; FULL makes every commit survive power loss.
            conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")?;
            migrate::run(&mut SqliteConn { conn: &conn }, migrate::SQLITE)?;
            if fresh {
                crate::private::restrict_sidecars(&writer_path).map_err(|error| {
                    StoreError::Open {
                        location: writer_path.display().to_string(),
                        message: error.to_string(),
                    }
                })?;
            }
            Ok(conn)
        })
        .await
        .map_err(|_| StoreError::Closed)??;

        let reader_count = readers.max(1);
        let mut readers = Vec::with_capacity(reader_count);
        for _ in 0..reader_count {
            readers.push(open_connection(&path, true)?);
        }
        let (sender, receiver) = mpsc::channel(QUEUE_DEPTH);
        let thread_notify = notify.clone();
        std::thread::Builder::new()
            .name("tiski-sqlite-writer".into())
            .spawn(move || writer_loop(writer_conn, receiver, thread_notify))
            .map_err(|error| StoreError::Open {
                location: path.display().to_string(),
                message: format!("cannot start the writer thread: {error}"),
            })?;
        Ok(SqliteStore {
            writer: sender,
            readers: Arc::new(Mutex::new(readers)),
            reader_permits: Arc::new(Semaphore::new(reader_count)),
            notify,
        })
    }

    pub(crate) async fn write<T, E>(&self, work: Box<WriteFn<T, E>>) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (sender, receiver) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |conn: &mut SqliteConn<'_>| {
            let outcome = {
                let mut tx = WriteTx::new(conn);
                match catch_unwind(AssertUnwindSafe(|| work(&mut tx))) {
                    Ok(Ok(value)) => match tx.flush_events() {
                        Ok(_) => Ok(value),
                        Err(error) => Err(E::from(error)),
                    },
                    Ok(Err(error)) => Err(error),
                    Err(panic) => Err(E::from(StoreError::Panicked(panic_message(&panic)))),
                }
            };
            let succeeded = outcome.is_ok();
            let completion: Completion = Box::new(move |commit_error| {
                let result = match commit_error {
                    Some(error) if succeeded => Err(E::from(error)),
                    _ => outcome,
                };
                let _ = sender.send(result);
            });
            (succeeded, completion)
        });
        self.writer
            .send(Message::Job(job))
            .await
            .map_err(|_| E::from(StoreError::Closed))?;
        receiver.await.map_err(|_| E::from(StoreError::Closed))?
    }

    pub(crate) async fn read<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static,
    {
        let permit = self
            .reader_permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| E::from(StoreError::Closed))?;
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let conn = readers
                .lock()
                .map_err(|_| StoreError::Closed)?
                .pop()
                .ok_or(StoreError::Closed)?;
            let result = (|| {
                conn.execute_batch("BEGIN")
                    .map_err(|error| E::from(StoreError::Sqlite(error)))?;
                let result = work(&mut SqliteConn { conn: &conn });
                let _ = conn.execute_batch("COMMIT");
                result
            })();
            if let Ok(mut pool) = readers.lock() {
                pool.push(conn);
            }
            result
        })
        .await
        .map_err(|error| E::from(StoreError::Panicked(error.to_string())))?
    }

    pub(crate) async fn close(&self) {
        let (sender, receiver) = oneshot::channel();
        if self.writer.send(Message::Close(sender)).await.is_ok() {
            let _ = receiver.await;
        }
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Drains queued jobs into one transaction per batch until every sender is gone or a close
/// request arrives (jobs queued before it are finished first).
fn writer_loop(
    conn: Connection,
    mut receiver: mpsc::Receiver<Message>,
    notify: watch::Sender<i64>,
) {
    let mut closing = None;
    while closing.is_none() {
        let Some(first) = receiver.blocking_recv() else {
            break;
        };
        let mut batch = Vec::with_capacity(16);
        match first {
            Message::Job(job) => batch.push(job),
            Message::Close(done) => closing = Some(done),
        }
        while batch.len() < MAX_BATCH && closing.is_none() {
            match receiver.try_recv() {
                Ok(Message::Job(job)) => batch.push(job),
                Ok(Message::Close(done)) => closing = Some(done),
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            run_batch(&conn, batch, &notify);
        }
    }
    let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
    drop(conn);
    if let Some(done) = closing {
        let _ = done.send(());
    }
}

fn run_batch(conn: &Connection, batch: Vec<Job>, notify: &watch::Sender<i64>) {
    if let Err(error) = conn.execute_batch("BEGIN IMMEDIATE") {
        let message = error.to_string();
        for job in batch {
            let (_, completion) = job(&mut SqliteConn { conn });
            completion(Some(StoreError::Open {
                location: "write transaction".into(),
                message: message.clone(),
            }));
        }
        return;
    }
    let mut completions = Vec::with_capacity(batch.len());
    for job in batch {
        let savepoint = conn.execute_batch("SAVEPOINT job");
        let (succeeded, completion) = job(&mut SqliteConn { conn });
        if savepoint.is_ok() {
            if !succeeded {
                let _ = conn.execute_batch("ROLLBACK TO job");
            }
            let _ = conn.execute_batch("RELEASE job");
        }
        completions.push(completion);
    }
    let last_event = SqliteConn { conn }
        .query("SELECT COALESCE(MAX(id), 0) FROM events", &[])
        .ok()
        .and_then(|rows| rows.first().and_then(|row| row.get::<i64>(0).ok()));
    match conn.execute_batch("COMMIT") {
        Ok(()) => {
            // Announce the new events before answering: a caller that opens an event stream
            // right after its answer must not start before the events it just wrote.
            if let Some(id) = last_event {
                notify.send_if_modified(|current| {
                    let newer = id > *current;
                    if newer {
                        *current = id;
                    }
                    newer
                });
            }
            for completion in completions {
                completion(None);
            }
        }
        Err(error) => {
            let _ = conn.execute_batch("ROLLBACK");
            let message = error.to_string();
            for completion in completions {
                completion(Some(StoreError::Open {
                    location: "commit".into(),
                    message: message.clone(),
                }));
            }
        }
    }
}
