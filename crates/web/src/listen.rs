//! The HTTP listener: accepts connections up to a cap and serves each with HTTP/1.1, closing
//! one whose request headers do not arrive in time, so idle or trickling clients cannot hold
//! the server (a slowloris attack) and a flood of sockets cannot exhaust it.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::sync::Arc;
use std::time::Duration;
use tiski_kernel::Settings;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt as _;

/// The limits of one listener, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct ListenLimits {
    /// How long a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// Connections served at once; more are answered 503 and closed.
    pub max_connections: usize,
}

impl ListenLimits {
    /// The limits the settings give (`http_header_timeout`, `http_max_connections`).
    pub fn from_settings(settings: &Settings) -> ListenLimits {
        ListenLimits {
            header_read_timeout: settings.http_header_timeout,
            max_connections: settings.http_max_connections,
        }
    }
}

/// Whether the shutdown signal came (or its sender is gone).
async fn stopped(shutdown: &mut watch::Receiver<bool>) -> bool {
    let _ = shutdown.wait_for(|stop| *stop).await;
    true
}

/// What a connection over the cap is told before it is closed.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 43\r\nconnection: close\r\nretry-after: 1\r\n\r\nThe server has too many connections open.\n";

/// Serves `router` on `listener` within `limits` until `shutdown` turns true, then lets
/// requests in flight finish (every connection is asked to close after its current request).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
    limits: ListenLimits,
) -> std::io::Result<()> {
    let max =
        u32::try_from(limits.max_connections.clamp(1, Semaphore::MAX_PERMITS)).unwrap_or(u32::MAX);
    let permits = Arc::new(Semaphore::new(max as usize));
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(%error, "accepting an HTTP connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            true = stopped(&mut shutdown) => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            // Over the cap: a short answer if the socket takes it at once, then close.
            let _ = stream.try_write(BUSY);
            drop(stream);
            metrics::counter!("tiski_http_connections_refused_total").increment(1);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut stop = shutdown.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(remote));
                router.clone().oneshot(request)
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            let stopping = async move {
                let _ = stop.wait_for(|stop| *stop).await;
            };
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(error) = result {
                        tracing::debug!(%error, "an HTTP connection ended with an error");
                    }
                }
                () = stopping => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.as_mut().await;
                }
            }
            drop(permit);
        });
    }
    // Every connection holds a permit until it ends: taking them all waits for the last.
    let _ = permits.acquire_many(max).await;
    Ok(())
}
