//! PostgreSQL: a pool of connections, each write in its own transaction.

use crate::{Conn, Engine, Row, StoreError, Value, WriteFn, WriteTx, migrate};
use bytes::BytesMut;
use lru::LruCache;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};
use std::num::NonZeroUsize;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use tokio::sync::{Semaphore, watch};

/// How often a write that lost a race is run again.
const RETRIES: usize = 2;

/// How many prepared statements one connection keeps, least recently used out first.
///
/// tiski's fixed statements number about two hundred, so all of them stay prepared with room to
/// spare. The bound is for the statements whose text varies: ids written into the text
/// (`message_id IN (…)`, an agent's team scope), multi-row event inserts of every batch length,
/// filter combinations of ticket lists. Each is a new statement, and without a bound they pile
/// up for as long as the connection lives, here and in the server backend, which keeps a parse
/// tree and often a plan for each, times the pool size. 256 keeps the working set hot while
/// capping that memory; a statement evicted and needed again is simply prepared again.
const STATEMENT_CACHE_CAPACITY: NonZeroUsize = NonZeroUsize::new(256).unwrap();

pub(crate) struct PgStore {
    config: postgres::Config,
    idle: Arc<Mutex<Vec<PgClient>>>,
    permits: Arc<Semaphore>,
    pub(crate) notify: watch::Sender<i64>,
}

impl Drop for PgStore {
    /// The synchronous client blocks while closing, which must not happen on an async worker
    /// thread: idle connections are closed on a thread of their own.
    fn drop(&mut self) {
        self.close();
    }
}

impl PgStore {
    /// Closes the idle connections off the async threads.
    pub(crate) fn close(&self) {
        let clients = match self.idle.lock() {
            Ok(mut idle) => std::mem::take(&mut *idle),
            Err(_) => return,
        };
        if !clients.is_empty() {
            let _ = std::thread::Builder::new()
                .name("tiski-pg-close".into())
                .spawn(move || drop(clients));
        }
    }
}

/// A connection with its recently used prepared statements, so a statement in use is parsed
/// once per connection rather than on every run.
struct PgClient {
    client: Client,
    /// At most [`STATEMENT_CACHE_CAPACITY`] statements by SQL text. Dropping an evicted
    /// [`Statement`] (once no caller holds a clone) makes the client close it on the server.
    statements: LruCache<String, Statement>,
}

impl PgClient {
    fn new(client: Client) -> PgClient {
        PgClient {
            client,
            statements: LruCache::new(STATEMENT_CACHE_CAPACITY),
        }
    }
}

/// A pooled connection seen through [`Conn`].
struct PgConn<'a> {
    inner: &'a mut PgClient,
    /// Set when a statement failed in a way that running the whole write again may cure.
    retryable_failure: bool,
}

impl PgConn<'_> {
    /// Runs transaction control text through the simple protocol.
    fn simple(&mut self, sql: &str) -> Result<(), StoreError> {
        self.inner
            .client
            .batch_execute(sql)
            .map_err(|e| self.map(e))
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, StoreError> {
        // `get` also marks the statement as the most recently used.
        if let Some(statement) = self.inner.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.inner.client.prepare(sql).map_err(|e| self.map(e))?;
        // When the cache is full this hands back the least recently used statement; dropping
        // it deallocates it server-side.
        let evicted = self
            .inner
            .statements
            .push(sql.to_owned(), statement.clone());
        drop(evicted);
        Ok(statement)
    }

    fn map(&mut self, error: postgres::Error) -> StoreError {
        let mapped = map_error(error);
        if mapped.is_retryable() {
            self.retryable_failure = true;
        }
        mapped
    }
}

fn map_error(error: postgres::Error) -> StoreError {
    if let Some(db) = error.as_db_error()
        && db.code().code() == "23505"
    {
        return StoreError::Conflict {
            constraint: db.constraint().unwrap_or_default().to_owned(),
        };
    }
    StoreError::Postgres(error)
}

fn as_params(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Conn for PgConn<'_> {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let statement = self.statement(sql)?;
        let params = as_params(params);
        self.inner
            .client
            .execute(&statement, &params)
            .map_err(|e| self.map(e))
    }

    fn execute_batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.simple(sql)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let statement = self.statement(sql)?;
        let params = as_params(params);
        let rows = self
            .inner
            .client
            .query(&statement, &params)
            .map_err(|e| self.map(e))?;
        rows.iter().map(read_row).collect()
    }
}

fn read_row(row: &postgres::Row) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(row.len());
    for (index, column) in row.columns().iter().enumerate() {
        let value = match *column.type_() {
            Type::INT8 => row.try_get::<_, Option<i64>>(index)?.map(Value::Int),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(index)?
                .map(|v| Value::Int(v.into())),
            Type::INT2 => row
                .try_get::<_, Option<i16>>(index)?
                .map(|v| Value::Int(v.into())),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(index)?
                .map(|v| Value::Int(v.into())),
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(index)?.map(Value::Real),
            Type::FLOAT4 => row
                .try_get::<_, Option<f32>>(index)?
                .map(|v| Value::Real(v.into())),
            Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(index)?.map(Value::Blob),
            Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR | Type::UNKNOWN => {
                row.try_get::<_, Option<String>>(index)?.map(Value::Text)
            }
            ref other => {
                return Err(StoreError::Decode {
                    column: index,
                    message: format!("unsupported PostgreSQL type {other}"),
                });
            }
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                _ => Err(format!("cannot bind an integer to a {ty} parameter").into()),
            },
            Value::Real(v) => match *ty {
                Type::FLOAT8 => v.to_sql(ty, out),
                Type::FLOAT4 => (*v as f32).to_sql(ty, out),
                _ => Err(format!("cannot bind a real to a {ty} parameter").into()),
            },
            Value::Text(v) => v.as_str().to_sql(ty, out),
            Value::Blob(v) => v.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// The URL without its password, for messages.
fn redacted(config: &postgres::Config) -> String {
    format!(
        "postgres://{}@{:?}/{}",
        config.get_user().unwrap_or("?"),
        config.get_hosts(),
        config.get_dbname().unwrap_or("?")
    )
}

impl PgStore {
    pub(crate) async fn open(
        url: String,
        pool_size: usize,
        notify: watch::Sender<i64>,
    ) -> Result<PgStore, StoreError> {
        let config: postgres::Config = url.parse().map_err(|error| StoreError::Open {
            location: "the database URL".into(),
            message: format!("{error}"),
        })?;
        let store = PgStore {
            config,
            idle: Arc::new(Mutex::new(Vec::new())),
            permits: Arc::new(Semaphore::new(pool_size.max(1))),
            notify,
        };
        store
            .with_client(|client| {
                let mut conn = PgConn {
                    inner: client,
                    retryable_failure: false,
                };
                migrate::run(&mut conn, migrate::POSTGRES)
            })
            .await?;
        Ok(store)
    }

    /// Runs `work` on a pooled connection on a blocking thread.
    async fn with_client<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&mut PgClient) -> Result<T, E> + Send + 'static,
    {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| E::from(StoreError::Closed))?;
        let idle = self.idle.clone();
        let config = self.config.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let pooled = idle.lock().map_err(|_| StoreError::Closed)?.pop();
            let mut client = match pooled {
                Some(client) if !client.client.is_closed() => client,
                _ => PgClient::new(config.connect(NoTls).map_err(|error| StoreError::Open {
                    location: redacted(&config),
                    message: error.to_string(),
                })?),
            };
            let result = catch_unwind(AssertUnwindSafe(|| work(&mut client)));
            match result {
                Ok(result) => {
                    if !client.client.is_closed()
                        && let Ok(mut pool) = idle.lock()
                    {
                        pool.push(client);
                    }
                    result
                }
                Err(panic) => Err(E::from(StoreError::Panicked(
                    panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default(),
                ))),
            }
        })
        .await
        .map_err(|error| E::from(StoreError::Panicked(error.to_string())))?
    }

    pub(crate) async fn write<T, E>(&self, work: Box<WriteFn<T, E>>) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let notify = self.notify.clone();
        self.with_client(move |client| {
            let mut attempt = 0;
            loop {
                let mut conn = PgConn {
                    inner: client,
                    retryable_failure: false,
                };
                conn.simple("BEGIN")?;
                let outcome = {
                    let mut tx = WriteTx::new(&mut conn);
                    match work(&mut tx) {
                        Ok(value) => tx.flush_events().map(|last| (value, last)).map_err(E::from),
                        Err(error) => Err(error),
                    }
                };
                match outcome {
                    Ok((value, last_event)) => {
                        match conn.simple("COMMIT") {
                            Ok(_) => {}
                            Err(error) if conn.retryable_failure && attempt < RETRIES => {
                                tracing::debug!(%error, "retrying a write after a failed commit");
                                attempt += 1;
                                continue;
                            }
                            Err(error) => return Err(E::from(error)),
                        }
                        if last_event > 0 {
                            notify.send_if_modified(|current| {
                                let newer = last_event > *current;
                                if newer {
                                    *current = last_event;
                                }
                                newer
                            });
                        }
                        return Ok(value);
                    }
                    Err(error) => {
                        let retry = conn.retryable_failure && attempt < RETRIES;
                        conn.simple("ROLLBACK")?;
                        if !retry {
                            return Err(error);
                        }
                        attempt += 1;
                    }
                }
            }
        })
        .await
    }

    pub(crate) async fn read<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static,
    {
        self.with_client(move |client| {
            let mut conn = PgConn {
                inner: client,
                retryable_failure: false,
            };
            conn.simple("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            let result = work(&mut conn);
            conn.simple("ROLLBACK")?;
            result
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store of one connection on a fresh schema of the database in
    /// `TISKI_TEST_DATABASE_URL`, or `None` when it is not set.
    async fn fresh_store() -> Option<PgStore> {
        let url = std::env::var("TISKI_TEST_DATABASE_URL")
            .ok()
            .filter(|url| !url.is_empty())?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let schema = format!("s_cache_{}_{nanos}", std::process::id());
        let setup_url = url.clone();
        let create = format!("CREATE SCHEMA {schema}");
        // The synchronous client runs a runtime of its own, so not on this one's thread.
        std::thread::spawn(move || {
            let mut client = Client::connect(&setup_url, NoTls).unwrap();
            client.batch_execute(&create).unwrap();
        })
        .join()
        .unwrap();
        let separator = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{separator}options=-c%20search_path%3D{schema}");
        let (notify, _) = watch::channel(0);
        Some(PgStore::open(url, 1, notify).await.unwrap())
    }

    #[tokio::test]
    async fn the_statement_cache_evicts_the_least_recently_used() {
        let Some(store) = fresh_store().await else {
            eprintln!("skipped: TISKI_TEST_DATABASE_URL is not set");
            return;
        };
        store
            .with_client(|client| -> Result<(), StoreError> {
                let capacity = STATEMENT_CACHE_CAPACITY.get();
                let mut conn = PgConn {
                    inner: client,
                    retryable_failure: false,
                };
                let distinct = |n: usize| format!("SELECT {n}::BIGINT + $1::BIGINT");
                let hot = "SELECT 'hot'::TEXT";
                for n in 0..300 {
                    let sum: i64 = (&mut conn as &mut dyn Conn)
                        .query_scalar(&distinct(n), crate::params![1_i64])?;
                    assert_eq!(sum, n as i64 + 1);
                    conn.query(hot, &[])?;
                    assert!(conn.inner.statements.len() <= capacity);
                }
                let cache = &conn.inner.statements;
                assert_eq!(cache.len(), capacity, "the cache filled up to its bound");
                assert!(cache.contains(hot), "the statement used all along stayed");
                assert!(
                    !cache.contains(distinct(0).as_str()),
                    "the least recently used went"
                );
                assert!(cache.contains(distinct(299).as_str()));

                // Each evicted statement was closed on the server too: the connection holds
                // exactly the cached ones (the counting statement among them).
                let on_server: i64 = (&mut conn as &mut dyn Conn)
                    .query_scalar("SELECT COUNT(*) FROM pg_prepared_statements", &[])?;
                assert_eq!(on_server, capacity as i64);

                // An evicted statement is prepared again when it is needed again.
                let sum: i64 = (&mut conn as &mut dyn Conn)
                    .query_scalar(&distinct(0), crate::params![41_i64])?;
                assert_eq!(sum, 41);
                assert!(conn.inner.statements.contains(distinct(0).as_str()));
                assert_eq!(conn.inner.statements.len(), capacity);
                Ok(())
            })
            .await
            .unwrap();
    }
}
