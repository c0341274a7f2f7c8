//! Prometheus metrics: request counts and latencies here, command, event and outbox figures
//! from the application, all rendered at `/metrics` (see [`route`] for where it is served).

use crate::problem::Problem;
use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;
use tiski_kernel::crypto::constant_time_eq;
use tiski_kernel::{ErrorCode, Settings};

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder once; later calls reuse it.
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Suffix("_seconds".into()),
                    &[
                        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                    ],
                )
                .ok()
                .and_then(|builder| builder.install_recorder().ok())
        })
        .as_ref()
}

/// Counts and times every request by route template, method and status.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = request.method().to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("tiski_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("tiski_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics` in the Prometheus text format.
pub async fn render() -> Response {
    let body = install().map(|h| h.render()).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Where `/metrics` is served: on the main listener only behind `metrics_token`, on
/// `metrics_listen` (asking the token too when one is set), and nowhere else, since the
/// figures tell an outsider how busy the desk is and which routes exist.
pub fn route<S: Clone + Send + Sync + 'static>(
    settings: &Settings,
    on_metrics_listener: bool,
) -> Option<Router<S>> {
    let token = settings.metrics_token.expose().map(str::to_owned);
    let served = if on_metrics_listener {
        settings.metrics_listen.is_some()
    } else {
        settings.metrics_listen.is_none() && token.is_some()
    };
    served.then(|| {
        Router::new().route(
            "/metrics",
            axum::routing::get(move |headers: HeaderMap| {
                let token = token.clone();
                async move {
                    let given = headers
                        .get(header::AUTHORIZATION)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.strip_prefix("Bearer "));
                    match (&token, given) {
                        (None, _) => render().await,
                        (Some(token), Some(given)) if constant_time_eq(token, given) => {
                            render().await
                        }
                        _ => Problem::of(
                            ErrorCode::Unauthorized,
                            "The metrics need their bearer token.",
                        )
                        .into_response(),
                    }
                }
            }),
        )
    })
}

/// The router of the `metrics_listen` address: `/metrics` and nothing else.
pub fn router(settings: &Settings) -> Router {
    Router::new()
        .merge(route(settings, true).unwrap_or_default())
        .fallback(|| async { StatusCode::NOT_FOUND })
}
