//! `/api/v1`: the JSON API, with its OpenAPI document generated from these handlers.

mod agents;
pub(crate) mod audit;
mod automation;
mod calendars;
mod commerce;
mod customers;
mod delivery;
mod drafts;
mod edi;
mod events;
mod kb;
mod mailboxes;
mod notifications;
mod privacy;
mod reshape;
mod routing;
mod search;
mod sla;
mod system;
mod teams;
mod tickets;
mod tokens;
mod twofactor;
mod webhooks;

use crate::extract::State as AppState;
use crate::problem::Problem;
use axum::Json;
use axum::Router;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use serde::Serialize;
use tiski_kernel::Stored;
use tiski_kernel::{ErrorCode, Settings};
use utoipa::OpenApi;

/// The routes of `/api/v1`; their body limits follow the size limits of the settings.
pub fn router(settings: &Settings) -> Router<AppState> {
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
                    settings.max_message_request_bytes(),
                )),
        )
        .route("/tickets/{id}/events", get(tickets::events))
        .route(
            "/tickets/{id}/forward",
            axum::routing::post(delivery::forward),
        )
        .route(
            "/tickets/{id}/messages/{message_id}/undo",
            axum::routing::post(delivery::undo),
        )
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
            axum::routing::post(mailboxes::raw).layer(axum::extract::DefaultBodyLimit::max(
                settings.max_raw_email_request_bytes(),
            )),
        )
        .route("/quarantine", get(mailboxes::quarantine))
        .route("/quarantine/{id}/raw", get(mailboxes::quarantine_raw))
        .route("/attachments/{id}", get(mailboxes::attachment))
        .route("/audit", get(audit::search))
        .route("/audit/export", get(audit::export))
        .route("/customers/{id}/export", get(privacy::export))
        .route("/customers/{id}/erase", axum::routing::post(privacy::erase))
        .route("/retention", get(privacy::retention))
        .route(
            "/agents/{id}/two-factor",
            axum::routing::delete(agents::reset_two_factor),
        )
        .route("/tokens", get(tokens::list))
        .route("/tokens/{id}", get(tokens::get).delete(tokens::revoke))
        .route(
            "/two-factor/policy",
            get(twofactor::get).put(twofactor::put),
        )
        .route(
            "/tickets/{id}/draft",
            get(drafts::get).put(drafts::put).delete(drafts::delete),
        )
        .route("/tickets/{id}/drafts", get(drafts::others))
        .route("/notifications", get(notifications::list))
        .route(
            "/notifications/read",
            axum::routing::post(notifications::read),
        )
        .route(
            "/notifications/preferences",
            get(notifications::preferences).put(notifications::set_preferences),
        )
        .route(
            "/tickets/{id}/help",
            axum::routing::post(notifications::ask_for_help),
        )
        .route("/tickets/{id}/mentionable", get(notifications::mentionable))
        .route(
            "/tickets/{id}/merge",
            axum::routing::post(reshape::merge_ticket),
        )
        .route(
            "/customers/{id}/merge",
            axum::routing::post(reshape::merge_customer),
        )
        .route(
            "/messages/{id}/split",
            axum::routing::post(reshape::split_message),
        )
        .merge(commerce::routes())
        .merge(edi::routes(settings))
        .route("/calendars", get(calendars::list).post(calendars::create))
        .route(
            "/calendars/{id}",
            get(calendars::get).patch(calendars::update),
        )
        .route("/calendars/{id}/open-after", get(calendars::open_after))
        .route("/calendars/{id}/open-between", get(calendars::open_between))
        .route("/calendars/holidays", get(calendars::bundled))
        .route(
            "/calendars/{id}/holidays",
            axum::routing::post(calendars::import).layer(axum::extract::DefaultBodyLimit::max(
                2 * tiski_calendar::MAX_FEED_BYTES,
            )),
        )
        .route("/sla-policies", get(sla::list).post(sla::create))
        .route("/sla-policies/{id}", get(sla::get).patch(sla::update))
        .route(
            "/agents/{id}/presence",
            get(routing::presence).put(routing::set_presence),
        )
        .route("/agents/{id}/skills", put(routing::set_agent_skills))
        .route("/skills", get(routing::skills).post(routing::create_skill))
        .route("/queues", get(routing::queues).post(routing::create_queue))
        .route(
            "/queues/{id}",
            get(routing::queue).patch(routing::update_queue),
        )
        .route("/routing/board", get(routing::board))
        .route("/routing/offers", get(routing::offers))
        .route(
            "/routing/offers/{id}/accept",
            axum::routing::post(routing::accept_offer),
        )
        .route(
            "/routing/offers/{id}/decline",
            axum::routing::post(routing::decline_offer),
        )
        .route("/search", get(search::search))
        .route("/kb/articles", get(kb::list).post(kb::create))
        .route(
            "/kb/articles/{id}",
            get(kb::get).patch(kb::update).delete(kb::delete),
        )
        .route("/kb/articles/{id}/versions", get(kb::versions))
        .route("/kb/articles/{id}/translations", get(kb::translations))
        .route("/kb/search", get(kb::search))
        .route(
            "/triggers",
            get(automation::list_triggers).post(automation::create_trigger),
        )
        .route(
            "/triggers/test",
            axum::routing::post(automation::test_trigger),
        )
        .route(
            "/triggers/{id}",
            get(automation::get_trigger)
                .patch(automation::update_trigger)
                .delete(automation::delete_trigger),
        )
        .route(
            "/time-rules",
            get(automation::list_time_rules).post(automation::create_time_rule),
        )
        .route(
            "/time-rules/test",
            axum::routing::post(automation::test_time_rule),
        )
        .route(
            "/time-rules/{id}",
            get(automation::get_time_rule)
                .patch(automation::update_time_rule)
                .delete(automation::delete_time_rule),
        )
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
    Json(document()).into_response()
}

/// The OpenAPI document, with the table of error codes in its description.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    let mut table = String::from(
        "\n\nEvery problem carries one of these codes:\n\n| code | status | meaning |\n|---|---|---|\n",
    );
    for code in ErrorCode::ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            code.as_str(),
            code.status(),
            code.meaning()
        ));
    }
    let description = doc.info.description.get_or_insert_with(String::new);
    description.push_str(&table);
    doc
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
        audit::search, audit::export,
        privacy::export, privacy::erase, privacy::retention,
        tokens::list, tokens::get, tokens::revoke, agents::reset_two_factor,
        twofactor::get, twofactor::put,
        drafts::get, drafts::put, drafts::delete, drafts::others,
        notifications::list, notifications::read, notifications::preferences,
        notifications::set_preferences, notifications::ask_for_help, notifications::mentionable,
        delivery::forward, delivery::undo,
        reshape::merge_ticket, reshape::merge_customer, reshape::split_message,
        commerce::create_product, commerce::list_products, commerce::get_product, commerce::update_product,
        commerce::create_order, commerce::list_orders, commerce::get_order, commerce::update_order,
        commerce::create_refund, commerce::get_refund, commerce::approve_refund, commerce::reject_refund,
        commerce::approvals,
        edi::create_partner, edi::list_partners, edi::receive, edi::list_interchanges, edi::get_interchange,
        calendars::create, calendars::list, calendars::get, calendars::update,
        calendars::open_after, calendars::open_between, calendars::bundled, calendars::import,
        sla::create, sla::list, sla::get, sla::update,
        routing::presence, routing::set_presence, routing::skills, routing::create_skill,
        routing::set_agent_skills, routing::queues, routing::queue, routing::create_queue,
        routing::update_queue, routing::board, routing::offers, routing::accept_offer,
        routing::decline_offer,
        search::search,
        kb::create, kb::list, kb::get, kb::update, kb::delete, kb::versions, kb::translations, kb::search,
        automation::create_trigger, automation::list_triggers, automation::get_trigger,
        automation::update_trigger, automation::delete_trigger, automation::test_trigger,
        automation::create_time_rule, automation::list_time_rules, automation::get_time_rule,
        automation::update_time_rule, automation::delete_time_rule, automation::test_time_rule,
    ),
    components(schemas(Problem, ErrorCode)),
    tags(
        (name = "system", description = "Health and identity"),
        (name = "agents", description = "Staff users"),
        (name = "teams", description = "Teams"),
        (name = "customers", description = "Customers and their identities"),
        (name = "tickets", description = "Tickets, messages and history"),
        (name = "events", description = "The event log"),
        (name = "webhooks", description = "Outgoing webhooks"),
        (name = "email", description = "Mailboxes, inbound mail, quarantine and attachments"),
        (name = "audit", description = "The log of who read customer data"),
        (name = "tokens", description = "API tokens: list and revoke"),
        (name = "notifications", description = "The caller's notifications and their preferences; asking a colleague for help"),
        (name = "commerce", description = "The product catalog, orders, refunds and their approvals"),
        (name = "edi", description = "EDI trading partners, interchanges received and the acknowledgements queued"),
        (name = "calendars", description = "Business calendars: hours, holidays and open-time arithmetic"),
        (name = "routing", description = "Presence, skills, queues and the supervisors' board"),
        (name = "search", description = "Ranked, permission-filtered search over tickets and customers"),
        (name = "kb", description = "The knowledge base: articles, versions, translations and their search"),
        (name = "automation", description = "Triggers and time rules, and trying them on existing tickets"),
    )
)]
pub struct ApiDoc;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_lists_every_error_code() {
        let doc = serde_json::to_value(document()).unwrap();
        let listed = doc["components"]["schemas"]["ErrorCode"]["enum"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let description = doc["info"]["description"].as_str().unwrap_or_default();
        for code in ErrorCode::ALL {
            assert!(
                listed.contains(&serde_json::json!(code.as_str())),
                "{code:?} not in {listed:?}"
            );
            assert!(description.contains(&format!("`{}` | {}", code.as_str(), code.status())));
        }
        assert_eq!(
            doc["components"]["schemas"]["Problem"]["properties"]["code"]["$ref"],
            "#/components/schemas/ErrorCode"
        );
        // Wire enums carry their wire names (`on_hold`, `ticket.created`), not Rust's.
        let statuses = &doc["components"]["schemas"]["Status"]["enum"];
        assert!(
            statuses
                .as_array()
                .is_some_and(|s| s.contains(&serde_json::json!("on_hold"))),
            "{statuses}"
        );
        let types = &doc["components"]["schemas"]["EventType"]["enum"];
        assert!(
            types
                .as_array()
                .is_some_and(|s| s.contains(&serde_json::json!("ticket.created"))),
            "{types}"
        );
    }
}
