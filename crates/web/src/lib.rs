//! tiski's HTTP surface: the `/api/v1` JSON API with its OpenAPI document, and `/metrics`.
//!
//! Architecture invariant: only this crate knows HTTP, and it holds no business rule: handlers
//! parse, call one use case of `tiski-app` with the authenticated actor, and shape the answer.

pub mod api;
mod download;
pub mod extract;
mod follow;
pub mod metrics;
pub mod problem;
pub mod ui;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use problem::Problem;
use std::time::Duration;
use tiski_app::App;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Tells long-lived responses (event streams) that the server is shutting down.
#[derive(Clone)]
pub struct Shutdown(pub watch::Receiver<bool>);

/// The whole HTTP application.
pub fn router(app: App, shutdown: watch::Receiver<bool>) -> Router {
    Router::new()
        .nest("/api/v1", api::router())
        .route("/metrics", axum::routing::get(metrics::render))
        .merge(ui::router(app.clone()))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::Extension(Shutdown(shutdown)))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(panicked))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(60),
        ))
        .with_state(app)
}

async fn not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "no_route",
        "There is nothing at this address.",
    )
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This address does not take this method.",
    )
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "The server failed on this request; nothing was changed.",
    )
    .into_response()
}

/// Serves `router` on `listener` until `shutdown` turns true, then lets requests in flight
/// finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    })
    .await
}
