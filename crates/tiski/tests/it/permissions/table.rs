//! The permission table: every documented route with every kind of caller, and the methods a
//! route does not take.

use super::{
    AGENT_CHANGE, CALLERS, CUSTOMER_CHANGE, Caller, EMPTY, ERASE_CUSTOMER_NONE, ERASE_MISSING,
    MAILBOX_CHANGE, MERGE_INTO_CUSTOMER_B, MERGE_INTO_MISSING, MERGE_INTO_SELF_A,
    MERGE_INTO_TICKET_B, NEW_AGENT, NEW_CUSTOMER, NEW_FORWARD, NEW_MAILBOX, NEW_NOTE, NEW_RAW_MAIL,
    NEW_TEAM, NEW_TICKET, NEW_WEBHOOK, SPLIT, TICKET_CHANGE, TICKET_FOR_CUSTOMER_B, World,
};
use reqwest::Method;
use std::collections::BTreeSet;

/// A two-factor policy that requires nothing (so the admin's row changes no sign-in).
const NO_ROLES: &str = r#"{"required_roles": []}"#;

/// `/api/v1/tickets/{id}/messages` and `/tickets/{ticket_a}/messages` both become
/// `/tickets/{}/messages`.
fn route_shape(path: &str) -> String {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// One row of the permission table: a request and its expected status for each caller, in
/// the order of [`CALLERS`].
struct Rule {
    method: Method,
    path: &'static str,
    body: Option<&'static str>,
    expect: [u16; 8],
}

fn get(path: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::GET,
        path,
        body: None,
        expect,
    }
}

fn post(path: &'static str, body: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::POST,
        path,
        body: Some(body),
        expect,
    }
}

fn patch(path: &'static str, body: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::PATCH,
        path,
        body: Some(body),
        expect,
    }
}

fn put(path: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::PUT,
        path,
        body: None,
        expect,
    }
}

fn put_body(path: &'static str, body: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::PUT,
        path,
        body: Some(body),
        expect,
    }
}

fn delete(path: &'static str, expect: [u16; 8]) -> Rule {
    Rule {
        method: Method::DELETE,
        path,
        body: None,
        expect,
    }
}

/// The permission spec. Each row runs as every caller; the admin goes last so that a row
/// whose success removes its target (deleting a webhook) still tests everyone else first.
#[rustfmt::skip]
fn permission_table() -> Vec<Rule> {
    vec![
        //                                                       admin supA  agtA  agtB  loner none  bad   gone
        get("/health",                                          [200,  200,  200,  200,  200,  200,  200,  200]),
        get("/openapi.json",                                    [200,  200,  200,  200,  200,  200,  200,  200]),
        get("/me",                                              [200,  200,  200,  200,  200,  401,  401,  401]),

        // Staff: everyone sees themselves and their teams' members; only admins change staff.
        get("/agents",                                          [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/agents", NEW_AGENT,                              [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/agents/{admin}",                                  [200,  404,  404,  404,  404,  401,  401,  401]),
        get("/agents/{supervisor_a}",                           [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/agents/{agent_a}",                                [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/agents/{agent_b}",                                [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/agents/{loner}",                                  [200,  404,  404,  404,  200,  401,  401,  401]),
        get("/agents/{missing}",                                [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/agents/{agent_a}", AGENT_CHANGE,                [200,  403,  403,  403,  403,  401,  401,  401]),
        patch("/agents/{agent_b}", AGENT_CHANGE,                [200,  403,  403,  403,  403,  401,  401,  401]),
        patch("/agents/{loner}", AGENT_CHANGE,                  [200,  403,  403,  403,  403,  401,  401,  401]),
        patch("/agents/{missing}", AGENT_CHANGE,                [404,  403,  403,  403,  403,  401,  401,  401]),

        // Teams: names are not secret; only admins create them; members change by admins
        // and the team's own supervisors.
        get("/teams",                                           [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/teams", NEW_TEAM,                                [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/teams/{team_a}",                                  [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/teams/{team_b}",                                  [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/teams/{missing}",                                 [404,  404,  404,  404,  404,  401,  401,  401]),
        put("/teams/{team_a}/members/{spare}",                  [200,  200,  403,  403,  403,  401,  401,  401]),
        delete("/teams/{team_a}/members/{spare}",               [200,  200,  403,  403,  403,  401,  401,  401]),
        put("/teams/{team_b}/members/{spare}",                  [200,  403,  403,  403,  403,  401,  401,  401]),
        delete("/teams/{team_b}/members/{spare}",               [200,  403,  403,  403,  403,  401,  401,  401]),
        put("/teams/{missing}/members/{spare}",                 [404,  403,  403,  403,  403,  401,  401,  401]),
        put("/teams/{team_a}/members/{missing}",                [404,  404,  403,  403,  403,  401,  401,  401]),
        delete("/teams/{team_a}/members/{missing}",             [404,  404,  403,  403,  403,  401,  401,  401]),

        // Customers: visible through a visible ticket (or to whoever created them).
        get("/customers",                                       [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/customers", NEW_CUSTOMER,                        [201,  201,  201,  201,  201,  401,  401,  401]),
        get("/customers/{customer_a}",                          [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/customers/{customer_b}",                          [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/customers/{customer_loner}",                      [200,  404,  404,  404,  200,  401,  401,  401]),
        get("/customers/{customer_shared}",                     [200,  200,  200,  200,  404,  401,  401,  401]),
        get("/customers/{customer_none}",                       [200,  404,  404,  404,  404,  401,  401,  401]),
        get("/customers/{customer_of_b}",                       [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/customers/{missing}",                             [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/customers/{customer_a}", CUSTOMER_CHANGE,       [200,  200,  200,  404,  404,  401,  401,  401]),
        patch("/customers/{customer_b}", CUSTOMER_CHANGE,       [200,  404,  404,  200,  404,  401,  401,  401]),
        patch("/customers/{customer_loner}", CUSTOMER_CHANGE,   [200,  404,  404,  404,  200,  401,  401,  401]),
        patch("/customers/{customer_none}", CUSTOMER_CHANGE,    [200,  404,  404,  404,  404,  401,  401,  401]),
        patch("/customers/{customer_of_b}", CUSTOMER_CHANGE,    [200,  404,  404,  200,  404,  401,  401,  401]),
        patch("/customers/{missing}", CUSTOMER_CHANGE,          [404,  404,  404,  404,  404,  401,  401,  401]),

        // Tickets: of the caller's teams, or assigned to them; anything else is not there.
        get("/tickets",                                         [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/tickets", NEW_TICKET,                            [201,  201,  201,  201,  201,  401,  401,  401]),
        post("/tickets", TICKET_FOR_CUSTOMER_B,                 [201,  422,  422,  201,  422,  401,  401,  401]),
        get("/tickets/{ticket_a}",                              [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_b}",                              [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/tickets/{ticket_loner}",                          [200,  404,  404,  404,  200,  401,  401,  401]),
        get("/tickets/{missing}",                               [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/tickets/{ticket_a}", TICKET_CHANGE,             [200,  200,  200,  404,  404,  401,  401,  401]),
        patch("/tickets/{ticket_b}", TICKET_CHANGE,             [200,  404,  404,  200,  404,  401,  401,  401]),
        patch("/tickets/{ticket_loner}", TICKET_CHANGE,         [200,  404,  404,  404,  200,  401,  401,  401]),
        patch("/tickets/{missing}", TICKET_CHANGE,              [404,  404,  404,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_a}/messages",                     [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_b}/messages",                     [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/tickets/{ticket_loner}/messages",                 [200,  404,  404,  404,  200,  401,  401,  401]),
        get("/tickets/{missing}/messages",                      [404,  404,  404,  404,  404,  401,  401,  401]),
        post("/tickets/{ticket_a}/messages", NEW_NOTE,          [201,  201,  201,  404,  404,  401,  401,  401]),
        post("/tickets/{ticket_b}/messages", NEW_NOTE,          [201,  404,  404,  201,  404,  401,  401,  401]),
        post("/tickets/{ticket_loner}/messages", NEW_NOTE,      [201,  404,  404,  404,  201,  401,  401,  401]),
        post("/tickets/{missing}/messages", NEW_NOTE,           [404,  404,  404,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_a}/events",                       [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_b}/events",                       [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/tickets/{ticket_loner}/events",                   [200,  404,  404,  404,  200,  401,  401,  401]),
        get("/tickets/{missing}/events",                        [404,  404,  404,  404,  404,  401,  401,  401]),

        // The event log and stream: everyone may read, scoped (checked below).
        get("/events",                                          [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/events/stream",                                   [200,  200,  200,  200,  200,  401,  401,  401]),

        // Webhooks: admins only.
        get("/webhooks",                                        [200,  403,  403,  403,  403,  401,  401,  401]),
        post("/webhooks", NEW_WEBHOOK,                          [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/webhooks/{webhook}/deliveries",                   [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/webhooks/{missing}/deliveries",                   [404,  403,  403,  403,  403,  401,  401,  401]),
        delete("/webhooks/{doomed_webhook}",                    [204,  403,  403,  403,  403,  401,  401,  401]),
        delete("/webhooks/{missing}",                           [404,  403,  403,  403,  403,  401,  401,  401]),
        // Email: mailboxes, raw mail and the quarantine are for admins; attachments follow
        // their ticket.
        get("/mailboxes",                                       [200,  403,  403,  403,  403,  401,  401,  401]),
        post("/mailboxes", NEW_MAILBOX,                         [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/mailboxes/{mailbox}",                             [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/mailboxes/{missing}",                             [404,  403,  403,  403,  403,  401,  401,  401]),
        patch("/mailboxes/{mailbox}", MAILBOX_CHANGE,           [200,  403,  403,  403,  403,  401,  401,  401]),
        post("/mailboxes/{mailbox}/raw", NEW_RAW_MAIL,          [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/quarantine",                                      [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/quarantine/{quarantined}/raw",                    [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/quarantine/{missing}/raw",                        [404,  403,  403,  403,  403,  401,  401,  401]),
        get("/attachments/{attachment}",                        [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/attachments/{missing}",                           [404,  404,  404,  404,  404,  401,  401,  401]),
        // Customer data: the access log, exports, erasure and retention are for admins; a
        // refusal by role comes before any lookup, so it says nothing of what exists.
        get("/audit",                                           [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/audit?customer_id={customer_a}",                  [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/audit/export?format=csv",                         [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/audit/export?format=json",                        [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/customers/{customer_a}/export",                   [200,  403,  403,  403,  403,  401,  401,  401]),
        get("/customers/{missing}/export",                      [404,  403,  403,  403,  403,  401,  401,  401]),
        get("/retention?months=6",                              [200,  403,  403,  403,  403,  401,  401,  401]),
        post("/customers/{missing}/erase", ERASE_MISSING,       [404,  403,  403,  403,  403,  401,  401,  401]),
        post("/customers/{customer_none}/erase", ERASE_CUSTOMER_NONE, [200, 403, 403, 403, 403, 401, 401, 401]),

        // API tokens: admins see and revoke every one, others their own; another's is not
        // there (404, never 403). Revoked rows run in column order, the admin last.
        get("/tokens",                                          [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/tokens/{token_agent_a}",                          [200,  404,  200,  404,  404,  401,  401,  401]),
        get("/tokens/{missing}",                                [404,  404,  404,  404,  404,  401,  401,  401]),
        delete("/tokens/{doomed_token_a}",                      [404,  404,  204,  404,  404,  401,  401,  401]),
        delete("/tokens/{doomed_token_b}",                      [404,  404,  404,  204,  404,  401,  401,  401]),
        delete("/tokens/{doomed_token_spare}",                  [204,  404,  404,  404,  404,  401,  401,  401]),
        delete("/tokens/{missing}",                             [404,  404,  404,  404,  404,  401,  401,  401]),
        delete("/agents/{agent_b}/two-factor",                  [204,  403,  403,  403,  403,  401,  401,  401]),
        delete("/agents/{missing}/two-factor",                  [404,  403,  403,  403,  403,  401,  401,  401]),
        // The two-factor policy: admins only.
        get("/two-factor/policy",                               [200,  403,  403,  403,  403,  401,  401,  401]),
        put_body("/two-factor/policy", NO_ROLES,                [200,  403,  403,  403,  403,  401,  401,  401]),
        // Drafts: each caller's own on a ticket they see; who else has one, names only.
        put_body("/tickets/{ticket_a}/draft", DRAFT,            [200,  200,  200,  404,  404,  401,  401,  401]),
        put_body("/tickets/{ticket_b}/draft", DRAFT,            [200,  404,  404,  200,  404,  401,  401,  401]),
        put_body("/tickets/{missing}/draft", DRAFT,             [404,  404,  404,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_a}/draft",                        [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_loner}/draft",                    [404,  404,  404,  404,  404,  401,  401,  401]),
        get("/tickets/{ticket_a}/drafts",                       [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/tickets/{missing}/drafts",                        [404,  404,  404,  404,  404,  401,  401,  401]),
        delete("/tickets/{ticket_a}/draft",                     [204,  204,  204,  404,  404,  401,  401,  401]),
        delete("/tickets/{missing}/draft",                      [404,  404,  404,  404,  404,  401,  401,  401]),
        // Notifications: everyone their own; asking for help and mentioning within the ticket
        // scope (colleague 0 is no one, so those who see the ticket get 422).
        get("/notifications",                                   [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/notifications/read", r#"{"all": true}"#,         [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/notifications/preferences",                       [200,  200,  200,  200,  200,  401,  401,  401]),
        put_body("/notifications/preferences", r#"{"preferences": []}"#, [200, 200, 200, 200, 200, 401, 401, 401]),
        post("/tickets/{ticket_a}/help", r#"{"colleague_id": 0, "request": "Help?"}"#, [422, 422, 422, 404, 404, 401, 401, 401]),
        post("/tickets/{missing}/help", r#"{"colleague_id": 0, "request": "Help?"}"#, [404, 404, 404, 404, 404, 401, 401, 401]),
        get("/tickets/{ticket_a}/mentionable",                  [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/tickets/{missing}/mentionable",                   [404,  404,  404,  404,  404,  401,  401,  401]),
        // Forward and undo follow the ticket; a message that is not there is not there.
        post("/tickets/{ticket_a}/forward", NEW_FORWARD,        [201,  201,  201,  404,  404,  401,  401,  401]),
        post("/tickets/{ticket_b}/forward", NEW_FORWARD,        [201,  404,  404,  201,  404,  401,  401,  401]),
        post("/tickets/{missing}/forward", NEW_FORWARD,         [404,  404,  404,  404,  404,  401,  401,  401]),
        post("/tickets/{ticket_a}/messages/{missing}/undo", EMPTY, [404, 404, 404, 404, 404, 401,  401,  401]),
        // Search: everyone who reads tickets, within their scope (tests/it/search.rs).
        get("/search?q=kettle",                                 [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/tickets?q=kettle",                                [200,  200,  200,  200,  200,  401,  401,  401]),
        // The knowledge base: every staff member reads it; supervisors and admins write it.
        get("/kb/articles",                                     [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/kb/articles", NEW_ARTICLE,                       [201,  201,  403,  403,  403,  401,  401,  401]),
        get("/kb/articles/{missing}",                           [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/kb/articles/{missing}", ARTICLE_CHANGE,         [404,  404,  403,  403,  403,  401,  401,  401]),
        delete("/kb/articles/{missing}",                        [404,  404,  403,  403,  403,  401,  401,  401]),
        get("/kb/articles/{missing}/versions",                  [404,  404,  404,  404,  404,  401,  401,  401]),
        get("/kb/articles/{missing}/translations",              [404,  404,  404,  404,  404,  401,  401,  401]),
        get("/kb/search?q=kettle",                              [200,  200,  200,  200,  200,  401,  401,  401]),

        // Reshaping: both tickets (or customers) must be within reach; merging customers is
        // for supervisors and admins. The rows that succeed (the admin's, run last) come last.
        // Ticket A has notes by now: the supervisor (first in column order) splits its first
        // message off into a ticket of team A, where it is the only message.
        post("/messages/{message_a}/split", SPLIT,              [422,  201,  422,  404,  404,  401,  401,  401]),
        post("/messages/{missing}/split", SPLIT,                [404,  404,  404,  404,  404,  401,  401,  401]),
        post("/tickets/{ticket_a}/merge", MERGE_INTO_SELF_A,    [422,  422,  422,  422,  422,  401,  401,  401]),
        post("/tickets/{ticket_a}/merge", MERGE_INTO_MISSING,   [404,  404,  404,  404,  404,  401,  401,  401]),
        post("/customers/{customer_a}/merge", MERGE_INTO_MISSING, [404, 404, 403, 403, 403, 401, 401, 401]),
        post("/customers/{customer_a}/merge", MERGE_INTO_CUSTOMER_B, [200, 404, 403, 403, 403, 401, 401, 401]),
        post("/tickets/{ticket_shared_a}/merge", MERGE_INTO_TICKET_B, [200, 404, 404, 404, 404, 401, 401, 401]),

        // Commerce: admins change the catalog, all staff read it and take orders (naming only
        // customers in reach: the unseen are refused on customer_id, the seen on the SKU) and
        // request refunds; supervisors and admins approve.
        get("/products",                                        [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/products", NEW_PRODUCT,                          [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/products/{missing}",                              [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/products/{missing}", PRODUCT_CHANGE,            [404,  403,  403,  403,  403,  401,  401,  401]),
        get("/orders",                                          [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/orders", NEW_ORDER,                              [422,  422,  422,  422,  422,  401,  401,  401]),
        get("/orders/{missing}",                                [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/orders/{missing}", ORDER_CHANGE,                [404,  404,  404,  404,  404,  401,  401,  401]),
        post("/refunds", NEW_GOODWILL,                          [201,  201,  201,  201,  201,  401,  401,  401]),
        get("/refunds/{missing}",                               [404,  404,  404,  404,  404,  401,  401,  401]),
        post("/refunds/{missing}/approve", EMPTY,               [404,  404,  403,  403,  403,  401,  401,  401]),
        post("/refunds/{missing}/reject", EMPTY,                [404,  404,  403,  403,  403,  401,  401,  401]),
        get("/approvals",                                       [200,  200,  403,  403,  403,  401,  401,  401]),
        // EDI: admins add trading partners; all staff read them, upload interchanges (a JSON
        // body is the wrong media type for everyone) and read the interchanges they sent.
        get("/edi/partners",                                    [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/edi/partners", NEW_EDI_PARTNER,                  [201,  403,  403,  403,  403,  401,  401,  401]),
        post("/edi", EMPTY,                                     [415,  415,  415,  415,  415,  401,  401,  401]),
        get("/edi/interchanges",                                [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/edi/interchanges/{missing}",                      [404,  404,  404,  404,  404,  401,  401,  401]),


        // Calendars and SLA policies: staff read them, admins change them.
        get("/calendars",                                       [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/calendars", NEW_CALENDAR,                        [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/calendars/holidays",                              [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/calendars/{missing}",                             [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/calendars/{missing}", CALENDAR_CHANGE,          [404,  403,  403,  403,  403,  401,  401,  401]),
        get("/calendars/{missing}/open-after?from=2026-01-01T00:00:00Z&seconds=60", [404, 404, 404, 404, 404, 401, 401, 401]),
        get("/calendars/{missing}/open-between?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", [404, 404, 404, 404, 404, 401, 401, 401]),
        post("/calendars/{missing}/holidays", HOLIDAYS,         [404,  403,  403,  403,  403,  401,  401,  401]),
        get("/sla-policies",                                    [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/sla-policies", NEW_SLA_POLICY,                   [201,  403,  403,  403,  403,  401,  401,  401]),
        get("/sla-policies/{missing}",                          [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/sla-policies/{missing}", CALENDAR_CHANGE,       [404,  403,  403,  403,  403,  401,  401,  401]),

        // Automations: staff read and try triggers and time rules; admins change them.
        get("/triggers",                                        [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/triggers", NEW_TRIGGER,                          [201,  403,  403,  403,  403,  401,  401,  401]),
        post("/triggers/test", NEW_TRIGGER,                     [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/triggers/{missing}",                              [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/triggers/{missing}", CALENDAR_CHANGE,           [404,  403,  403,  403,  403,  401,  401,  401]),
        delete("/triggers/{missing}",                           [404,  403,  403,  403,  403,  401,  401,  401]),
        get("/time-rules",                                      [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/time-rules", NEW_TIME_RULE,                      [201,  403,  403,  403,  403,  401,  401,  401]),
        post("/time-rules/test", NEW_TIME_RULE,                 [200,  200,  200,  200,  200,  401,  401,  401]),
        get("/time-rules/{missing}",                            [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/time-rules/{missing}", CALENDAR_CHANGE,         [404,  403,  403,  403,  403,  401,  401,  401]),
        delete("/time-rules/{missing}",                         [404,  403,  403,  403,  403,  401,  401,  401]),

        // Routing: presence is one's own, a supervisor's teams' members', an admin's anyone's;
        // skills and queues are read by all staff and kept by admins; the board is for
        // supervisors and admins.
        get("/agents/{agent_a}/presence",                       [200,  200,  200,  404,  404,  401,  401,  401]),
        get("/agents/{agent_b}/presence",                       [200,  404,  404,  200,  404,  401,  401,  401]),
        get("/agents/{missing}/presence",                       [404,  404,  404,  404,  404,  401,  401,  401]),
        put_body("/agents/{agent_a}/presence", AWAY,            [200,  200,  200,  403,  403,  401,  401,  401]),
        put_body("/agents/{missing}/presence", AWAY,            [404,  404,  403,  403,  403,  401,  401,  401]),
        get("/skills",                                          [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/skills", r#"{"name": "Dutch", "type": "language"}"#, [201, 403, 403, 403, 403, 401, 401, 401]),
        put_body("/agents/{agent_a}/skills", r#"{"items": []}"#, [200, 403, 403, 403, 403, 401, 401, 401]),
        get("/queues",                                          [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/queues", r#"{"name": "Calls", "channels": ["phone"]}"#, [201, 403, 403, 403, 403, 401, 401, 401]),
        get("/queues/{missing}",                                [404,  404,  404,  404,  404,  401,  401,  401]),
        patch("/queues/{missing}", r#"{"push": false}"#,        [404,  403,  403,  403,  403,  401,  401,  401]),
        get("/routing/board",                                   [200,  200,  403,  403,  403,  401,  401,  401]),
        // Offers are answered only by the agent offered them: anyone else's is out of reach.
        get("/routing/offers",                                  [200,  200,  200,  200,  200,  401,  401,  401]),
        post("/routing/offers/{missing}/accept", EMPTY,         [404,  404,  404,  404,  404,  401,  401,  401]),
        post("/routing/offers/{missing}/decline", EMPTY,        [404,  404,  404,  404,  404,  401,  401,  401]),
    ]
}

/// A trading partner for the EDI rows (one sender id per request).
const NEW_EDI_PARTNER: &str = r#"{"name": "Acme EDI", "sender_id": "ACME{serial}", "sender_qualifier": "ZZ", "customer_id": {customer_a}, "sku_map": {"THEIRS": "OURS"}}"#;
/// A product for the commerce rows (one SKU per request).
const NEW_PRODUCT: &str = r#"{"sku": "P-{serial}", "names": {"en": "Drill"}, "prices": [{"currency": "EUR", "amount": "19.90"}], "vat_rate": "24"}"#;
/// A change to a product.
const PRODUCT_CHANGE: &str = r#"{"lead_time_days": 2}"#;
/// An order of an item the catalog does not have, for customer A.
const NEW_ORDER: &str = r#"{"customer_id": {customer_a}, "currency": "EUR", "lines": [{"sku": "NOPE-1", "quantity": 1}]}"#;
/// A change to an order.
const ORDER_CHANGE: &str = r#"{"status": "placed"}"#;
/// A goodwill refund within everyone's limit.
const NEW_GOODWILL: &str = r#"{"amount": "1.00", "currency": "EUR", "reason": "goodwill"}"#;

/// A calendar made in the permission table's rows.
const NEW_CALENDAR: &str = r#"{"name": "Office", "time_zone": "Europe/Helsinki", "weekly": [{"day": "mon", "start": "09:00", "end": "17:00"}]}"#;
/// A rename, for calendars and SLA policies.
const CALENDAR_CHANGE: &str = r#"{"name": "Renamed"}"#;
/// A bundled holiday feed.
const HOLIDAYS: &str = r#"{"bundled": "FI"}"#;
/// An SLA policy made in the permission table's rows.
const NEW_SLA_POLICY: &str =
    r#"{"name": "All", "targets": {"normal": {"first_reply": {"seconds": 3600}}}}"#;

/// A trigger made in the permission table's rows.
const NEW_TRIGGER: &str = r#"{"name": "Tag VIPs", "event": "ticket.created", "conditions": [{"field": "priority", "value": "urgent"}], "actions": [{"type": "add_tags", "tags": ["vip"]}]}"#;
/// A time rule made in the permission table's rows.
const NEW_TIME_RULE: &str = r#"{"name": "Nudge", "status": "pending", "hours": 72, "actions": [{"type": "add_tags", "tags": ["nudged"]}]}"#;

/// A presence status in the permission table's rows.
const AWAY: &str = r#"{"status": "away"}"#;

/// A knowledge-base article and a change to one (tests/it/kb.rs).
const NEW_ARTICLE: &str = r#"{"title": "Kettles", "body": "Descale monthly.", "language": "en", "visibility": "internal"}"#;
const ARTICLE_CHANGE: &str = r#"{"title": "Kettle care"}"#;

/// A draft saved in the permission table's rows.
const DRAFT: &str = r#"{"kind": "reply", "html": "<div>Draft</div>"}"#;

/// Every route and method the OpenAPI document lists (plus the document itself), as
/// (method, route shape).
async fn documented_routes(world: &World) -> BTreeSet<(String, String)> {
    let doc = world.get(Caller::Admin, "/openapi.json").await.body;
    let mut routes = BTreeSet::from([("GET".to_string(), "/openapi.json".to_string())]);
    for (path, operations) in doc["paths"].as_object().expect("paths in the document") {
        for method in operations.as_object().expect("operations").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                routes.insert((method.to_uppercase(), route_shape(path)));
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_route_with_every_caller() {
    let world = World::build().await;
    let table = permission_table();

    let documented = documented_routes(&world).await;
    let tabled: BTreeSet<(String, String)> = table
        .iter()
        .map(|rule| (rule.method.to_string(), route_shape(rule.path)))
        .collect();
    assert_eq!(
        documented.difference(&tabled).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "routes without a row in the permission table"
    );
    assert_eq!(
        tabled.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "rows for routes the OpenAPI document does not list"
    );

    let mut faults = Vec::new();
    let mut checked = 0;
    for rule in &table {
        let order = (1..CALLERS.len()).chain([0]);
        for column in order {
            let caller = CALLERS[column];
            let path = world.fill(rule.path);
            let body = rule.body.map(|body| world.fill(body));
            let answer = world
                .call(caller, rule.method.clone(), &path, body.as_deref())
                .await;
            checked += 1;
            if let Some(fault) = answer.fault(rule.expect[column]) {
                faults.push(format!(
                    "{caller:?} {} {path}: expected {}, {fault}",
                    rule.method, rule.expect[column]
                ));
            }
        }
    }
    assert_eq!(checked, table.len() * CALLERS.len());
    assert!(
        faults.is_empty(),
        "{} of {checked} answers were wrong:\n{}",
        faults.len(),
        faults.join("\n")
    );
    world.test.stop().await;
}

#[tokio::test]
async fn methods_a_route_does_not_take_are_refused() {
    let world = World::build().await;
    let documented = documented_routes(&world).await;
    let shapes: BTreeSet<&String> = documented.iter().map(|(_, shape)| shape).collect();
    let mut faults = Vec::new();
    for shape in shapes {
        let path = shape.replace("{}", &world.id("ticket_a").to_string());
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            if documented.contains(&(method.to_string(), shape.clone())) {
                continue;
            }
            let answer = world.call(Caller::Admin, method.clone(), &path, None).await;
            if let Some(fault) = answer.fault(405) {
                faults.push(format!("{method} {path}: expected 405, {fault}"));
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    world.test.stop().await;
}
