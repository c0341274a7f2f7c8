//! Opening the data: where it lives (from the settings), the schema migrations, and the
//! upgrade of events written in older schema versions.

use tiski_kernel::{AppError, Settings, Store, events};
use tiski_store::Location;

/// Where the settings say the data lives: the PostgreSQL URL, else SQLite in the data
/// directory.
pub fn location(settings: &Settings) -> Location {
    match settings.database_url.expose() {
        Some(url) => Location::Postgres {
            url: url.to_string(),
            pool_size: settings.database_pool,
        },
        None => Location::Sqlite {
            path: settings.data_dir.join("tiski.db"),
            readers: settings.sqlite_readers,
        },
    }
}

/// Opens the store at `location`: creates it if needed, applies pending migrations, and
/// rewrites old events into the current schema version.
pub async fn open_store(location: Location) -> Result<Store, AppError> {
    let store = Store::open(location).await?;
    events::upgrade_log(&store).await?;
    Ok(store)
}
