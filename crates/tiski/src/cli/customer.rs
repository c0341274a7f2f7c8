//! `tiski customer export|erase`: the customer's rights from the command line, for an
//! operator on the server (acting as tiski itself, like the channels).

use super::{DatabaseArgs, describe, open_app};
use anyhow::Context;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use tiski_kernel::Actor;
use tiski_ticketing::privacy::EraseRequest;

/// Export or erase a customer's data.
#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Write everything about a customer to a .tar.gz (customer.json and their files).
    Export(ExportArgs),
    /// Erase a customer: identities, notes, conversations, files and mail; their tickets stay
    /// as anonymous skeletons.
    Erase(EraseArgs),
}

/// `tiski customer export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The customer's id.
    #[arg(long)]
    id: i64,
    /// Where to write the archive (refused if it exists).
    #[arg(long)]
    out: PathBuf,
}

/// `tiski customer erase`.
#[derive(Debug, Args)]
pub struct EraseArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The customer's id.
    #[arg(long)]
    id: i64,
    /// The customer's id again, to confirm.
    #[arg(long)]
    confirm: i64,
}

/// Runs a customer command.
pub async fn run(command: CustomerCommand) -> anyhow::Result<()> {
    match command {
        CustomerCommand::Export(args) => {
            if args.out.exists() {
                anyhow::bail!("--out: {} exists already", args.out.display());
            }
            let app = open_app(args.database.settings()?).await?;
            let exported = app
                .ticketing
                .export_customer(&Actor::system(), args.id)
                .await;
            app.kernel.store().close().await;
            let (_, bytes) = exported.map_err(describe)?;
            std::fs::write(&args.out, &bytes)
                .with_context(|| format!("--out: cannot write {}", args.out.display()))?;
            eprintln!("Wrote {} ({} bytes).", args.out.display(), bytes.len());
            Ok(())
        }
        CustomerCommand::Erase(args) => {
            let app = open_app(args.database.settings()?).await?;
            let request = EraseRequest {
                confirm: args.confirm,
            };
            let erased = app
                .ticketing
                .erase_customer(&Actor::system(), args.id, request)
                .await;
            app.kernel.store().close().await;
            let outcome = erased.map_err(describe)?;
            eprintln!(
                "Erased customer {}: {} tickets left as skeletons, {} messages deleted.",
                outcome.customer_id, outcome.tickets, outcome.messages
            );
            Ok(())
        }
    }
}
