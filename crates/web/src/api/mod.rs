//! `/api/v1`: the JSON API, with its OpenAPI document generated from these handlers.

mod agents;
mod customers;
mod events;
mod mailboxes;
mod system;
mod teams;
mod tickets;
mod webhooks;

use crate::extract::State as AppState;
use crate::problem::Problem;
use axum::Json;
use axum::Router;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use serde::Serialize;
use tiski_app::Stored;
use utoipa::OpenApi;

/// The largest raw message `POST /mailboxes/{id}/raw` takes (the ingest limit is checked again
/// by the application).
const RAW_EMAIL_LIMIT: usize = 26 * 1024 * 1024;

/// The largest new message with its attachments in base64 (15 MiB of files).
const MESSAGE_WITH_FILES_LIMIT: usize = 21 * 1024 * 1024;

/// The routes of `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(system::health))
        .route("/me", get(system::me))
        .route("/openapi.json", get(openapi_json))
        .route("/agents", get(agents::list).post(agents::create))
        .route("/agents/{id}", get(agents::get).patch(agents::update))
        .route("/teams", get(teams::list).post(teams::create))
        .route("/teams/{id}", get(teams::get))
        .route(
            "/teams/{id}/members/{user_id}",
            put(teams::add_member).delete(teams::remove_member),
        )
        .route("/customers", get(customers::list).post(customers::create))
        .route(
            "/customers/{id}",
            get(customers::get).patch(customers::update),
        )
        .route("/tickets", get(tickets::list).post(tickets::create))
        .route("/tickets/{id}", get(tickets::get).patch(tickets::update))
        .route(
            "/tickets/{id}/messages",
            get(tickets::list_messages)
                .post(tickets::add_message)
                .layer(axum::extract::DefaultBodyLimit::max(
                    MESSAGE_WITH_FILES_LIMIT,
                )),
        )
        .route("/tickets/{id}/events", get(tickets::events))
        .route("/events", get(events::list))
        .route("/events/stream", get(events::stream))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/{id}", axum::routing::delete(webhooks::delete))
        .route("/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route("/mailboxes", get(mailboxes::list).post(mailboxes::create))
        .route(
            "/mailboxes/{id}",
            get(mailboxes::get).patch(mailboxes::update),
        )
        .route(
            "/mailboxes/{id}/raw",
            axum::routing::post(mailboxes::raw)
                .layer(axum::extract::DefaultBodyLimit::max(RAW_EMAIL_LIMIT)),
        )
        .route("/quarantine", get(mailboxes::quarantine))
        .route("/quarantine/{id}/raw", get(mailboxes::quarantine_raw))
        .route("/attachments/{id}", get(mailboxes::attachment))
}

/// The answer to a create: 201 with the new resource, or the first answer again when the
/// `Idempotency-Key` was seen before (marked `Idempotent-Replayed: true`).
pub(crate) fn created<T: Serialize>(stored: Stored<T>) -> Response {
    match stored {
        Stored::Fresh(value) => (StatusCode::CREATED, Json(value)).into_response(),
        Stored::Replayed(body) => {
            let mut response = (
                StatusCode::CREATED,
                [(
                    axum::http::header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response();
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            response
        }
    }
}

async fn openapi_json() -> Response {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    Json(doc).into_response()
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI 3.1 document of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(title = "tiski API", description = "The JSON API of tiski, the customer-service desk. Every error is application/problem+json (RFC 9457)."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    paths(
        system::health, system::me,
        agents::create, agents::list, agents::get, agents::update,
        teams::create, teams::list, teams::get, teams::add_member, teams::remove_member,
        customers::create, customers::list, customers::get, customers::update,
        tickets::create, tickets::list, tickets::get, tickets::update,
        tickets::add_message, tickets::list_messages, tickets::events,
        events::list, events::stream,
        webhooks::create, webhooks::list, webhooks::delete, webhooks::deliveries,
        mailboxes::create, mailboxes::list, mailboxes::get, mailboxes::update, mailboxes::raw,
        mailboxes::quarantine, mailboxes::quarantine_raw, mailboxes::attachment,
    ),
    components(schemas(Problem)),
    tags(
        (name = "system", description = "Health and identity"),
        (name = "agents", description = "Staff users"),
        (name = "teams", description = "Teams"),
        (name = "customers", description = "Customers and their identities"),
        (name = "tickets", description = "Tickets, messages and history"),
        (name = "events", description = "The event log"),
        (name = "webhooks", description = "Outgoing webhooks"),
        (name = "email", description = "Mailboxes, inbound mail, quarantine and attachments"),
    )
)]
pub struct ApiDoc;
