//! Customers: list and search, profile, and changes by those allowed.

use super::auth::Ui;
use super::form::{FormBody, QueryFields};
use super::ticket::{OtherTicket, local_time};
use super::{Chrome, UiError, UiResult, html, status_label};
use crate::extract::State as AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::response::{Html, IntoResponse};
use tiski_domain::Permission;
use tiski_ticketing::access::{Access, AccessAction, Surface};
use tiski_ticketing::{CustomerPatch, CustomerView};

/// A customer as a row of the list.
pub struct CustomerRow {
    /// Address of the profile.
    pub href: String,
    /// Name.
    pub name: String,
    /// First email or phone.
    pub contact: String,
    /// Organisation.
    pub organization: String,
    /// Language.
    pub language: String,
}

fn row(customer: &CustomerView) -> CustomerRow {
    CustomerRow {
        href: format!("/customers/{}", customer.id),
        name: customer.name.clone(),
        contact: customer
            .emails
            .first()
            .or(customer.phones.first())
            .cloned()
            .unwrap_or_default(),
        organization: customer.organization.clone().unwrap_or_default(),
        language: customer.language.clone().unwrap_or_default(),
    }
}

/// A row with its language shown by name for `tr`'s reader.
fn named_row(tr: &super::i18n::Tr, customer: &CustomerView) -> CustomerRow {
    let mut row = row(customer);
    row.language = super::reshape::languages::label(tr, &row.language);
    row
}

#[derive(Template)]
#[template(path = "customers.html")]
struct ListPage {
    c: Chrome,
    q: String,
    rows: Vec<CustomerRow>,
    more: Option<String>,
}

#[derive(Template)]
#[template(path = "customer_rows.html")]
struct RowsFragment {
    c: Chrome,
    rows: Vec<CustomerRow>,
    more: Option<String>,
}

/// `GET /customers?q=&cursor=`: the customers the reader sees, searchable.
pub async fn list(
    State(app): State<AppState>,
    ui: Ui,
    QueryFields(query): QueryFields,
) -> UiResult {
    let q = query.text("q");
    let page = app
        .ticketing
        .list_customers(&ui.actor, q.clone(), Some(50), query.text("cursor"))
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let shown: Vec<Access> = page
        .items
        .iter()
        .map(|c| Access::customer(AccessAction::CustomerList, c.id))
        .collect();
    crate::access::record(&app, &ui.actor, ui.client.clone(), Surface::Ui, &shown).await;
    let more = page.next_cursor.as_ref().map(|c| {
        format!(
            "/customers?q={}&cursor={c}",
            form_urlencoded::byte_serialize(q.as_deref().unwrap_or("").as_bytes())
                .collect::<String>()
        )
    });
    let rows = page.items.iter().map(|c| named_row(&ui.tr, c)).collect();
    if ui.htmx {
        let fragment = RowsFragment {
            c: Chrome::new(&ui, "customers", String::new()),
            rows,
            more,
        };
        return Ok(html(&fragment));
    }
    let page = ListPage {
        c: Chrome::new(&ui, "customers", ui.tr.t("nav-customers")),
        q: q.unwrap_or_default(),
        rows,
        more,
    };
    Ok(html(&page))
}

#[derive(Template)]
#[template(path = "customer.html")]
struct ProfilePage {
    c: Chrome,
    id: i64,
    name: String,
    emails: String,
    phones: String,
    local_time: String,
    organization: String,
    notes: String,
    created: String,
    tickets: Vec<OtherTicket>,
    /// Whether the reader may export and erase the customer (admins).
    privacy: bool,
    /// Whether the reader may merge the customer into another.
    may_merge: bool,
    /// The languages the customer may be given.
    languages: Vec<super::Choice>,
    /// The time zones the customer may be given.
    zones: Vec<super::Choice>,
}

/// `GET /customers/{id}`: a customer's profile and tickets.
pub async fn profile(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let customer = app
        .ticketing
        .get_customer(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    if let Some(survivor) = customer.merged_into {
        return Ok(super::redirect(&ui, &format!("/customers/{survivor}")));
    }
    let read = [Access::customer(AccessAction::CustomerRead, id)];
    crate::access::record(&app, &ui.actor, ui.client.clone(), Surface::Ui, &read).await;
    let tr = &ui.tr;
    let page = ProfilePage {
        may_merge: ui.actor.may(Permission::CustomerMerge),
        languages: super::reshape::languages::choices(tr, customer.language.as_deref()),
        zones: super::reshape::new_ticket::zone_choices(tr, customer.time_zone.as_deref()),
        id,
        name: customer.name.clone(),
        emails: customer.emails.join("\n"),
        phones: customer.phones.join("\n"),
        local_time: local_time(tr, customer.time_zone.as_deref()),
        organization: customer.organization.clone().unwrap_or_default(),
        notes: customer.notes.clone(),
        created: tr.date(&customer.created_at),
        tickets: customer
            .tickets
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|t| OtherTicket {
                href: format!("/tickets/{}", t.id),
                id: t.id,
                subject: t.subject.clone(),
                status: t.status.as_str(),
                status_label: status_label(tr, t.status),
            })
            .collect(),
        privacy: ui.actor.may(Permission::CustomerPrivacy),
        c: Chrome::new(&ui, "customers", customer.name.clone()),
    };
    Ok(html(&page))
}

fn optional(text: Option<&str>) -> Option<Option<String>> {
    text.map(|t| {
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_string())
    })
}

fn lines(text: Option<&str>) -> Option<Vec<String>> {
    text.map(|t| {
        t.split(['\n', ','])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    })
}

/// `POST /ui/customers/{id}`: changes the fields sent (name, emails, phones, language,
/// time zone, organisation, notes).
pub async fn update(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let patch = CustomerPatch {
        name: form.get("name").map(str::to_string),
        emails: lines(form.get("emails")),
        phones: lines(form.get("phones")),
        language: optional(form.get("language")),
        time_zone: optional(form.get("time_zone")),
        organization: optional(form.get("organization")),
        notes: form.get("notes").map(str::to_string),
    };
    app.ticketing
        .update_customer(&ui.actor, id, patch)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    if ui.htmx {
        let mut response = Html(super::flash("ok", &ui.tr.t("saved"))).into_response();
        response
            .headers_mut()
            .insert("hx-retarget", HeaderValue::from_static("#flash"));
        response
            .headers_mut()
            .insert("hx-reswap", HeaderValue::from_static("innerHTML"));
        return Ok(response);
    }
    Ok(super::redirect(&ui, &format!("/customers/{id}")))
}
