//! The customer-data page: the access log (search, pages, CSV and JSON export) and the
//! retention dry run; and the export and erasure of one customer from their page.

use super::require;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::{Fields, FormBody, QueryFields};
use crate::ui::{Chrome, UiError, UiResult, html};
use askama::Template;
use axum::extract::{Path, State};
use tiski_domain::Permission;
use tiski_kernel::AppError;
use tiski_ticketing::access::{Access, AccessAction, AccessFilter, Surface};
use tiski_ticketing::privacy::EraseRequest;

/// An entry of the access log as the page shows it.
pub struct AccessRow {
    /// When.
    pub time: String,
    /// Who, by name.
    pub actor: String,
    /// What was read.
    pub action: String,
    /// The customer's id, if any.
    pub customer_id: Option<i64>,
    /// The ticket's id, if any.
    pub ticket_id: Option<i64>,
    /// The client address.
    pub client: String,
    /// `api`, `ui` or `cli`.
    pub surface: String,
}

#[derive(Template)]
#[template(path = "admin_privacy.html")]
struct PrivacyPage {
    c: Chrome,
    rows: Vec<AccessRow>,
    /// The filter fields: name, label, value.
    filters: Vec<(&'static str, String, String)>,
    query: String,
    more: Option<String>,
    months: String,
    configured: u32,
    due: Option<i64>,
}

/// The filter fields and the message ids of their labels.
const FILTERS: [(&str, &str); 5] = [
    ("actor_id", "audit-actor"),
    ("customer_id", "audit-customer"),
    ("ticket_id", "audit-ticket"),
    ("since", "audit-since"),
    ("until", "audit-until"),
];

/// The access-log filter of a query string; a number that is not one names its field.
fn filter_of(fields: &Fields) -> Result<AccessFilter, AppError> {
    let number = |name: &str| -> Result<Option<i64>, AppError> {
        fields
            .text(name)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| AppError::invalid(name, "Give a number."))
            })
            .transpose()
    };
    Ok(AccessFilter {
        actor_id: number("actor_id")?,
        customer_id: number("customer_id")?,
        ticket_id: number("ticket_id")?,
        since: fields.text("since"),
        until: fields.text("until"),
        limit: Some(50),
        cursor: fields.text("cursor"),
        format: None,
    })
}

/// `GET /admin/privacy`: the access log, searched, and the retention dry run.
pub async fn privacy(
    State(app): State<AppState>,
    ui: Ui,
    QueryFields(fields): QueryFields,
) -> UiResult {
    require(&ui, Permission::AuditRead)?;
    let err = |e| UiError::from_app(&ui, e);
    let filter = filter_of(&fields).map_err(err)?;
    let page = app
        .ticketing
        .search_access(&ui.actor, &filter)
        .await
        .map_err(err)?;
    let staff = app
        .staff
        .list_agents(&ui.actor, Some(200), None)
        .await
        .map_err(err)?;
    let filters: Vec<(&'static str, String, String)> = FILTERS
        .iter()
        .map(|(name, label)| (*name, ui.tr.t(label), fields.text(name).unwrap_or_default()))
        .collect();
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            filters
                .iter()
                .filter(|(_, _, v)| !v.is_empty())
                .map(|(name, _, value)| (*name, value.as_str())),
        )
        .finish();
    let more = page.next_cursor.as_ref().map(|c| {
        let cursor = form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>();
        format!("/admin/privacy?{query}&cursor={cursor}")
    });
    let configured = app.settings().retention_closed_months;
    let months = fields.text("months");
    let asked = match months.as_deref() {
        Some(m) => Some(
            m.parse::<u32>()
                .map_err(|_| err(AppError::invalid("months", "Give a number of months."))),
        )
        .transpose()?,
        None => (configured > 0).then_some(configured),
    };
    let due = match asked {
        Some(m) => Some(
            app.ticketing
                .retention_preview(&ui.actor, Some(m))
                .await
                .map_err(err)?
                .due,
        ),
        None => None,
    };
    let tr = &ui.tr;
    let rows = page
        .items
        .iter()
        .map(|e| AccessRow {
            time: tr
                .locale
                .date_time(crate::ui::ticket::micros(&e.at), &tr.zone),
            actor: staff
                .items
                .iter()
                .find(|a| a.id == e.actor_id)
                .map(|a| a.name.clone())
                .unwrap_or_else(|| format!("#{}", e.actor_id)),
            action: e.action.clone(),
            customer_id: e.customer_id,
            ticket_id: e.ticket_id,
            client: e.client.clone().unwrap_or_default(),
            surface: e.surface.clone(),
        })
        .collect();
    let page = PrivacyPage {
        rows,
        filters,
        query,
        more,
        months: months.unwrap_or_else(|| asked.map(|m| m.to_string()).unwrap_or_default()),
        configured,
        due,
        c: Chrome::new(&ui, "admin", ui.tr.t("admin-privacy")),
    };
    Ok(html(&page))
}

/// `GET /ui/audit/export?format=csv|json&…`: the access log matching the filters, as a
/// download.
pub async fn audit_export(
    State(app): State<AppState>,
    ui: Ui,
    QueryFields(fields): QueryFields,
) -> UiResult {
    require(&ui, Permission::AuditRead)?;
    let err = |e| UiError::from_app(&ui, e);
    let mut filter = filter_of(&fields).map_err(err)?;
    filter.limit = None;
    filter.cursor = None;
    filter.format = fields.text("format");
    crate::api::audit::export_response(app, ui.actor.clone(), &filter)
        .await
        .map_err(err)
}

/// `GET /ui/customers/{id}/export`: everything about a customer, as a download.
pub async fn customer_export(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let (name, bytes) = app
        .ticketing
        .export_customer(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let read = [Access::customer(AccessAction::CustomerExport, id)];
    crate::access::record(&app, &ui.actor, ui.client.clone(), Surface::Ui, &read).await;
    Ok(crate::download::download(bytes, "application/gzip", &name))
}

/// `POST /ui/customers/{id}/erase`: erases a customer when `confirm` repeats their id.
pub async fn customer_erase(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let confirm = form
        .get("confirm")
        .and_then(|c| c.trim().parse::<i64>().ok())
        .unwrap_or(0);
    app.ticketing
        .erase_customer(&ui.actor, id, EraseRequest { confirm })
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(crate::ui::redirect(&ui, &format!("/customers/{id}")))
}
