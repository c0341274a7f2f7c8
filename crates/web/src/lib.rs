//! tiski's HTTP surface: the `/api/v1` JSON API with its OpenAPI document, and `/metrics`.
//!
//! Architecture invariant: only this crate knows HTTP, and it holds no business rule: handlers
//! parse, call one use case of `tiski-app` with the authenticated actor, and shape the answer.

pub mod access;
pub mod api;
mod download;
pub mod extract;
mod follow;
mod listen;
pub mod metrics;
pub mod problem;
pub mod ui;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use problem::Problem;
use tiski_app::App;
use tiski_kernel::ErrorCode;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

/// Tells long-lived responses (event streams) that the server is shutting down.
#[derive(Clone)]
pub struct Shutdown(pub watch::Receiver<bool>);

/// The whole HTTP application.
pub fn router(app: App, shutdown: watch::Receiver<bool>) -> Router {
    let settings = app.settings().clone();
    Router::new()
        .nest("/api/v1", api::router(&settings))
        .merge(metrics::route(&settings, false).unwrap_or_default())
        .merge(ui::router(app.clone()))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::Extension(Shutdown(shutdown)))
        .layer(DefaultBodyLimit::max(settings.max_request_bytes))
        .layer(CatchPanicLayer::custom(panicked))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            settings.request_timeout,
        ))
        .with_state(app)
}

async fn not_found() -> Problem {
    Problem::of(ErrorCode::NoRoute, "There is nothing at this address.")
}

async fn method_not_allowed() -> Problem {
    Problem::of(
        ErrorCode::MethodNotAllowed,
        "This address does not take this method.",
    )
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    Problem::of(
        ErrorCode::Internal,
        "The server failed on this request; nothing was changed.",
    )
    .into_response()
}

pub use listen::{ListenLimits, serve};
