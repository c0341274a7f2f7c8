//! `tiski import catalog FILE`: products from CSV, with a progress line and a report of the
//! rows refused and why (acting as tiski itself, like the other operator commands).

use super::{DatabaseArgs, describe, open_app};
use anyhow::Context;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use tiski_kernel::Actor;

/// Import data from files.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Add products from a CSV file with a header row: sku, kind, name:<language>,
    /// price:<currency>, vat_rate, prices_include_vat, lead_time_days, warranty_months, parts
    /// (SKUs separated by ;), active_from, active_until. A refused row refuses only itself.
    Catalog(CatalogArgs),
}

/// `tiski import catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The CSV file (UTF-8).
    file: PathBuf,
}

/// The most refused rows the report lists one by one.
const LISTED: usize = 100;

/// Runs an import command.
pub async fn run(command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Catalog(args) => {
            let text = std::fs::read_to_string(&args.file)
                .with_context(|| format!("cannot read {} as UTF-8 text", args.file.display()))?;
            let app = open_app(args.database.settings()?).await?;
            let mut shown = 0;
            let report = app
                .commerce
                .import_catalog(&Actor::system(), &text, |done, total| {
                    let percent = done * 100 / total.max(1);
                    if percent != shown || done == total {
                        shown = percent;
                        let bar = "#".repeat(percent / 5);
                        eprint!("\r[{bar:<20}] {done}/{total}");
                        let _ = std::io::stderr().flush();
                    }
                })
                .await;
            app.kernel.store().close().await;
            let report = report.map_err(describe)?;
            eprintln!();
            eprintln!(
                "Added {} products; refused {} rows.",
                report.created,
                report.refused.len()
            );
            for refused in report.refused.iter().take(LISTED) {
                match &refused.field {
                    Some(field) => eprintln!("line {}: {field}: {}", refused.line, refused.reason),
                    None => eprintln!("line {}: {}", refused.line, refused.reason),
                }
            }
            if report.refused.len() > LISTED {
                eprintln!("… and {} more.", report.refused.len() - LISTED);
            }
            Ok(())
        }
    }
}
