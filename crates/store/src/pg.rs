//! PostgreSQL: a pool of connections, each write in its own transaction.

use crate::{Conn, Engine, Row, StoreError, Value, WriteFn, WriteTx, migrate};
use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use tokio::sync::{Semaphore, watch};

/// How often a write that lost a race is run again.
const RETRIES: usize = 2;

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

/// A connection with its prepared statements, so each statement is parsed once per connection.
struct PgClient {
    client: Client,
    statements: HashMap<String, Statement>,
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
        if let Some(statement) = self.inner.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.inner.client.prepare(sql).map_err(|e| self.map(e))?;
        self.inner
            .statements
            .insert(sql.to_owned(), statement.clone());
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
                _ => PgClient {
                    client: config.connect(NoTls).map_err(|error| StoreError::Open {
                        location: redacted(&config),
                        message: error.to_string(),
                    })?,
                    statements: HashMap::new(),
                },
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
