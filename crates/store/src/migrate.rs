//! Schema migrations, one directory per engine, applied in order inside one transaction.

use crate::{Conn, Engine, StoreError};

/// A migration: its number and its SQL text.
pub(crate) type Migration = (i64, &'static str);

/// SQLite's migrations.
pub(crate) const SQLITE: &[Migration] = &[
    (1, include_str!("../migrations/sqlite/0001_core.sql")),
    (2, include_str!("../migrations/sqlite/0002_email.sql")),
    (3, include_str!("../migrations/sqlite/0003_ui.sql")),
    (
        4,
        include_str!("../migrations/sqlite/0004_event_versions.sql"),
    ),
    (
        5,
        include_str!("../migrations/sqlite/0005_email_security.sql"),
    ),
    (
        6,
        include_str!("../migrations/sqlite/0006_auth_security.sql"),
    ),
    (7, include_str!("../migrations/sqlite/0007_privacy.sql")),
    (
        8,
        include_str!("../migrations/sqlite/0008_two_factor_policy.sql"),
    ),
    (9, include_str!("../migrations/sqlite/0009_delivery.sql")),
    (10, include_str!("../migrations/sqlite/0010_reshape.sql")),
    (
        11,
        include_str!("../migrations/sqlite/0011_notifications.sql"),
    ),
    (12, include_str!("../migrations/sqlite/0012_composer.sql")),
    (
        13,
        include_str!("../migrations/sqlite/0013_notification_digest.sql"),
    ),
    (14, include_str!("../migrations/sqlite/0014_commerce.sql")),
    (15, include_str!("../migrations/sqlite/0015_calendars.sql")),
    (16, include_str!("../migrations/sqlite/0016_routing.sql")),
    (17, include_str!("../migrations/sqlite/0017_search.sql")),
    (18, include_str!("../migrations/sqlite/0018_edi.sql")),
    (
        19,
        include_str!("../migrations/sqlite/0019_routing_offers.sql"),
    ),
    (
        20,
        include_str!("../migrations/sqlite/0020_search_vocabulary.sql"),
    ),
    (
        21,
        include_str!("../migrations/sqlite/0021_automations.sql"),
    ),
];

/// PostgreSQL's migrations.
pub(crate) const POSTGRES: &[Migration] = &[
    (1, include_str!("../migrations/postgres/0001_core.sql")),
    (2, include_str!("../migrations/postgres/0002_email.sql")),
    (3, include_str!("../migrations/postgres/0003_ui.sql")),
    (
        4,
        include_str!("../migrations/postgres/0004_event_versions.sql"),
    ),
    (
        5,
        include_str!("../migrations/postgres/0005_email_security.sql"),
    ),
    (
        6,
        include_str!("../migrations/postgres/0006_auth_security.sql"),
    ),
    (7, include_str!("../migrations/postgres/0007_privacy.sql")),
    (
        8,
        include_str!("../migrations/postgres/0008_two_factor_policy.sql"),
    ),
    (9, include_str!("../migrations/postgres/0009_delivery.sql")),
    (10, include_str!("../migrations/postgres/0010_reshape.sql")),
    (
        11,
        include_str!("../migrations/postgres/0011_notifications.sql"),
    ),
    (12, include_str!("../migrations/postgres/0012_composer.sql")),
    (
        13,
        include_str!("../migrations/postgres/0013_notification_digest.sql"),
    ),
    (14, include_str!("../migrations/postgres/0014_commerce.sql")),
    (
        15,
        include_str!("../migrations/postgres/0015_calendars.sql"),
    ),
    (16, include_str!("../migrations/postgres/0016_routing.sql")),
    (17, include_str!("../migrations/postgres/0017_search.sql")),
    (18, include_str!("../migrations/postgres/0018_edi.sql")),
    (
        19,
        include_str!("../migrations/postgres/0019_routing_offers.sql"),
    ),
    (
        20,
        include_str!("../migrations/postgres/0020_search_vocabulary.sql"),
    ),
    (
        21,
        include_str!("../migrations/postgres/0021_automations.sql"),
    ),
];

/// Applies the migrations not yet applied. On PostgreSQL an advisory lock keeps two nodes
/// starting together from applying the same migration twice.
pub(crate) fn run(conn: &mut dyn Conn, migrations: &[Migration]) -> Result<(), StoreError> {
    let engine = conn.engine();
    conn.execute_batch(match engine {
        Engine::Sqlite => "BEGIN IMMEDIATE",
        Engine::Postgres => "BEGIN; SELECT pg_advisory_xact_lock(7355609)",
    })?;
    let result = apply(conn, migrations);
    match result {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(error) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(error)
        }
    }
}

fn apply(conn: &mut dyn Conn, migrations: &[Migration]) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )?;
    let applied: i64 = conn.query_scalar(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        &[],
    )?;
    for (version, sql) in migrations.iter().filter(|(v, _)| *v > applied) {
        tracing::info!(version, "applying migration");
        conn.execute_batch(sql)
            .map_err(|error| StoreError::Migration {
                version: *version,
                message: error.to_string(),
            })?;
        conn.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
            crate::params![*version, applied_at()],
        )?;
    }
    Ok(())
}

/// When a migration was applied: the wall clock, as bookkeeping of the schema (application
/// time comes from the application's clock, which the store does not know).
fn applied_at() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
