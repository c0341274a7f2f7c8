//! `tiski serve`: open the store, start the workers, serve HTTP (and SMTP when asked), stop
//! cleanly on a signal.

use crate::cli::{ServeArgs, no_admin_hint, open_app};
use anyhow::Context;
use tiski_kernel::settings::LogFormat;
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
    let settings = args.settings()?;
    init_logs(settings.log_format);
    let _ = rustls::crypto::ring::default_provider().install_default();
    tiski_web::metrics::install();
    let app = open_app(settings.clone()).await?;
    if !app.staff.has_admin().await.map_err(crate::cli::describe)? {
        eprintln!("{}", no_admin_hint(&args.as_flags(&settings)));
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| {
            format!(
                "--listen / TISKI_LISTEN: cannot listen on {}",
                settings.listen
            )
        })?;
    let smtp_listener =
        match settings.smtp_listen {
            Some(address) => Some(tokio::net::TcpListener::bind(address).await.with_context(
                || format!("--smtp-listen / TISKI_SMTP_LISTEN: cannot listen on {address}"),
            )?),
            None => None,
        };
    let metrics_listener =
        match settings.metrics_listen {
            Some(address) => Some(tokio::net::TcpListener::bind(address).await.with_context(
                || format!("--metrics-listen / TISKI_METRICS_LISTEN: cannot listen on {address}"),
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
        let config = tiski_channels::SmtpListenerConfig {
            hostname: settings.smtp_hostname.clone(),
            max_connections: settings.smtp_max_connections,
            max_connections_per_client: settings.smtp_max_connections_per_client,
            idle_timeout: settings.smtp_idle_timeout,
            command_timeout: settings.smtp_command_timeout,
            max_recipients: settings.smtp_max_recipients,
            ..tiski_channels::SmtpListenerConfig::default()
        };
        workers.push(tokio::spawn(tiski_channels::Listener::serve(
            listener,
            app.email.clone(),
            config,
            shutdown.clone(),
        )));
        tracing::info!(address = ?settings.smtp_listen, "accepting mail over SMTP");
    }
    // The email channel: IMAP polling of mailboxes that have it, and outgoing mail.
    let poller = tiski_channels::PollerConfig {
        poll_interval: settings.imap_poll_interval,
        ..tiski_channels::PollerConfig::default()
    };
    workers.push(tokio::spawn(
        tiski_channels::Poller::new(app.email.clone(), poller).run(shutdown.clone()),
    ));
    workers.push(tokio::spawn(
        tiski_channels::Sender::new(app.email.clone(), tiski_channels::SenderConfig::default())
            .run(shutdown.clone()),
    ));
    tracing::info!(address = %settings.listen, engine = ?app.kernel.engine(), "tiski is serving");
    let store = app.kernel.store().clone();
    let limits = tiski_web::ListenLimits::from_settings(app.settings());
    if let Some(listener) = metrics_listener {
        let router = tiski_web::metrics::router(&settings);
        let stop = shutdown.clone();
        workers.push(tokio::spawn(async move {
            if let Err(error) = tiski_web::serve(listener, router, stop, limits).await {
                tracing::error!(%error, "the metrics listener failed");
            }
        }));
        tracing::info!(address = ?settings.metrics_listen, "serving /metrics");
    }
    let router = tiski_web::router(app, shutdown.clone());
    tiski_web::serve(listener, router, shutdown, limits)
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
