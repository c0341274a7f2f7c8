//! `tiski demo`: a believable service organisation for a newcomer to explore.
//!
//! The demo fills a fresh database through the application layer, as the channels and the web
//! layer would: teams, staff who speak the customers' languages, customers writing in English,
//! Finnish, Polish, Lithuanian and Tagalog, and tickets in every status with replies, notes,
//! tags and assignments. Every choice comes from a fixed-seed generator, so every run builds
//! the same desk.
//!
//! The parts, in the order a run uses them: [`people`] and [`customers`] hold the teams, the
//! staff and the customers; [`conversations`] the requests and the phrases of every ticket;
//! [`rng`] the fixed-seed generator behind every choice; [`seed`] checks that the database is
//! fresh and creates teams, staff and customers; [`plan`] decides every ticket up front;
//! [`tickets`] takes each ticket through its conversation; [`summary`] prints what was made.

mod conversations;
mod customers;
mod history;
mod people;
mod plan;
mod rng;
mod seed;
mod summary;
#[cfg(test)]
mod tests;
mod tickets;

use crate::cli::DatabaseArgs;
use clap::Args;
use history::History;
use seed::fill;
use std::time::Instant;

/// The password every demo staff user signs in with.
pub const DEMO_PASSWORD: &str = "tiski-demo-password";

/// The sign-in email of the demo admin.
pub const DEMO_ADMIN_EMAIL: &str = "admin@demo.tiski.example";

/// The domain of the demo staff's email addresses.
const STAFF_DOMAIN: &str = "demo.tiski.example";

/// The seed of every random choice, so that runs look the same.
const SEED: u64 = 0x7153_4b1d_e302_2024;

/// Flags of `tiski demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where the data lives.
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// How many tickets to create (1 to 5000).
    #[arg(
        long,
        default_value_t = 300,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=5000)
    )]
    pub tickets: u32,
}

/// Fills a fresh database with the demo organisation and prints what it made.
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let settings = args.database.settings()?;
    let place = Place::of(&args.database, &settings);
    let history = History::new(
        std::sync::Arc::new(tiski_kernel::FakeClock::running()),
        SEED,
    );
    let app = crate::cli::open_app_on(settings, history.clock()).await?;
    let result = fill(&app, &place, args.tickets as usize, history).await;
    app.kernel.store().close().await;
    let summary = result?;
    summary.print(&place, started.elapsed());
    Ok(())
}

/// Where the demo writes, for messages and hints.
struct Place {
    /// Such as `the data directory ./tiski-data (./tiski-data/tiski.db)`.
    description: String,
    /// The database flags to repeat in hints.
    flags: String,
    /// Whether the database is PostgreSQL.
    postgres: bool,
}

impl Place {
    /// Describes the database the flags name.
    fn of(database: &DatabaseArgs, settings: &tiski_kernel::Settings) -> Place {
        match settings.database_url.expose() {
            Some(_) => Place {
                description: "the PostgreSQL database given by --database-url / TISKI_DATABASE_URL"
                    .into(),
                flags: database.as_flags(settings),
                postgres: true,
            },
            None => Place {
                description: format!(
                    "the data directory {} ({})",
                    settings.data_dir.display(),
                    settings.data_dir.join("tiski.db").display()
                ),
                flags: database.as_flags(settings),
                postgres: false,
            },
        }
    }

    /// What to do instead of filling a used database.
    fn fresh_hint(&self) -> &'static str {
        if self.postgres {
            "Point --database-url at an empty database or schema."
        } else {
            "Use a new directory, for example: tiski demo --data-dir ./tiski-demo"
        }
    }
}
