//! The `tiski` binary: a thin shell over the library crates.

mod cli;
mod demo;
mod serve;

use clap::Parser;

/// mimalloc: the server allocates many small, short-lived values across threads (rows, JSON),
/// where it measured faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
