//! Store errors.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness constraint refused the write.
    #[error("a unique constraint refused the write: {constraint}")]
    Conflict {
        /// The constraint or columns at fault, as the engine names them.
        constraint: String,
    },
    /// A query that must return a row returned none.
    #[error("no row was found for: {0}")]
    NotFound(String),
    /// A column could not be read as the expected type.
    #[error("column {column} could not be read: {message}")]
    Decode {
        /// The column position.
        column: usize,
        /// Why.
        message: String,
    },
    /// SQLite failed.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    /// A migration failed.
    #[error("migration {version} failed: {message}")]
    Migration {
        /// The migration's number.
        version: i64,
        /// Why.
        message: String,
    },
    /// Opening the database failed.
    #[error("cannot open the database at {location}: {message}")]
    Open {
        /// The path or URL (without password).
        location: String,
        /// Why.
        message: String,
    },
    /// The store has shut down or a worker thread stopped.
    #[error("the store is shut down")]
    Closed,
    /// A write closure panicked; its work was rolled back.
    #[error("a write panicked and was rolled back: {0}")]
    Panicked(String),
}

impl StoreError {
    /// Whether a PostgreSQL write may succeed if simply run again (serialisation failure,
    /// deadlock, or a unique violation from a concurrent insert of the same key).
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            StoreError::Postgres(error) => error
                .code()
                .is_some_and(|code| matches!(code.code(), "40001" | "40P01")),
            StoreError::Conflict { .. } => true,
            _ => false,
        }
    }
}
