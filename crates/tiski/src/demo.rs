//! `tiski demo`: a believable service organisation for a newcomer to explore.

use clap::Args;

/// Flags of `tiski demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub database: crate::cli::DatabaseArgs,
}

/// Fills the database.
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let _ = args;
    anyhow::bail!("the demo is being written")
}
