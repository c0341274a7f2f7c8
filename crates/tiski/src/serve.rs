//! `tiski serve`: open the store, start the workers, serve HTTP, stop cleanly on a signal.

use crate::cli::{LogFormat, ServeArgs, no_admin_hint};
use anyhow::Context;
use std::time::Duration;
use tiski_app::{App, AppConfig};
use tokio::sync::watch;
use tracing_subscriber::EnvFilter;

/// Sets up logging: `RUST_LOG` filters (default `info`).
pub fn init_logs(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Runs the server until SIGTERM or Ctrl-C.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    init_logs(args.log_format);
    let _ = rustls::crypto::ring::default_provider().install_default();
    tiski_web::metrics::install();
    let store = args.database.open().await?;
    let config = AppConfig {
        auto_close_after: Duration::from_secs(u64::from(args.auto_close_days) * 24 * 3600),
        ..args.database.app_config()?
    };
    let app = App::new(store.clone(), config);
    if !app.has_admin().await.map_err(crate::cli::describe)? {
        eprintln!("{}", no_admin_hint(&args.database));
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("--listen / TISKI_LISTEN: cannot listen on {}", args.listen))?;
    let smtp_listener =
        match args.smtp_listen {
            Some(address) => Some(tokio::net::TcpListener::bind(address).await.with_context(
                || format!("--smtp-listen / TISKI_SMTP_LISTEN: cannot listen on {address}"),
            )?),
            None => None,
        };
    let (stop, shutdown) = watch::channel(false);
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("stopping: finishing requests in flight");
        let _ = stop.send(true);
    });
    let mut workers = app.start_workers(shutdown.clone());
    if let Some(listener) = smtp_listener {
        workers.push(tokio::spawn(tiski_channels::Listener::serve(
            listener,
            app.clone(),
            tiski_channels::SmtpListenerConfig::default(),
            shutdown.clone(),
        )));
        tracing::info!(address = ?args.smtp_listen, "accepting mail over SMTP");
    }
    // The email channel: IMAP polling of mailboxes that have it, and outgoing mail.
    workers.push(tokio::spawn(
        tiski_channels::Poller::new(app.clone(), tiski_channels::PollerConfig::default())
            .run(shutdown.clone()),
    ));
    workers.push(tokio::spawn(
        tiski_channels::Sender::new(app.clone(), tiski_channels::SenderConfig::default())
            .run(shutdown.clone()),
    ));
    tracing::info!(address = %args.listen, engine = ?store.engine(), "tiski is serving");
    let router = tiski_web::router(app, shutdown.clone());
    tiski_web::serve(listener, router, shutdown)
        .await
        .context("the HTTP server failed")?;
    for worker in workers {
        let _ = worker.await;
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
