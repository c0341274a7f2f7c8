//! The "New ticket" page: an outbound email, a logged call or a walk-in visit, on behalf of a
//! customer found by search or created on the spot. Errors are shown next to their field.

use super::languages;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::{Fields, FormBody, QueryFields};
use crate::ui::i18n::Tr;
use crate::ui::{Choice, Chrome, UiError, UiResult, html, redirect};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use tiski_domain::{AuthorKind, Channel, MessageKind};
use tiski_kernel::AppError;
use tiski_ticketing::{NewCustomer, NewMessage, NewTicket, RequesterInput};

/// The time zones as choices, with "none" first (a stored zone the list lacks stays offered).
pub fn zone_choices(tr: &Tr, current: Option<&str>) -> Vec<Choice> {
    let current = current.map(str::trim).filter(|c| !c.is_empty());
    let zones = languages::time_zones();
    let mut all = vec![Choice::new("", tr.t("time-zone-none"), current.is_none())];
    if let Some(zone) = current.filter(|z| !zones.iter().any(|known| known == z)) {
        all.push(Choice::new(zone, zone, true));
    }
    all.extend(
        zones
            .into_iter()
            .map(|z| Choice::new(z.clone(), z.replace('_', " "), current == Some(z.as_str()))),
    );
    all
}

/// What kind of contact starts the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An email to the customer: the first message is the agent's public reply.
    Email,
    /// A phone call: the customer's words and the agent's notes.
    Call,
    /// A visit in person.
    Visit,
}

impl Kind {
    fn parse(text: Option<&str>) -> Kind {
        match text {
            Some("call") => Kind::Call,
            Some("visit") => Kind::Visit,
            _ => Kind::Email,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Call => "call",
            Kind::Visit => "visit",
        }
    }

    fn channel(self) -> Channel {
        match self {
            Kind::Email => Channel::Email,
            Kind::Call => Channel::Phone,
            Kind::Visit => Channel::Desk,
        }
    }
}

#[derive(Template)]
#[template(path = "new_ticket.html")]
struct NewTicketPage {
    c: Chrome,
    kind: &'static str,
    form: Fields,
    /// The customer chosen (id, name), kept when the form comes back with errors.
    chosen: Option<(i64, String)>,
    languages: Vec<Choice>,
    zones: Vec<Choice>,
    errors: Vec<(String, String)>,
}

impl NewTicketPage {
    /// The value typed into `name`, to fill the form again.
    fn value(&self, name: &str) -> String {
        self.form.get(name).unwrap_or("").to_string()
    }

    /// The error of `field`, empty when it has none.
    fn err(&self, field: &str) -> String {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }
}

fn page_of(
    ui: &Ui,
    form: Fields,
    chosen: Option<(i64, String)>,
    errors: Vec<(String, String)>,
) -> NewTicketPage {
    let tr = &ui.tr;
    NewTicketPage {
        kind: Kind::parse(form.get("kind")).as_str(),
        languages: languages::choices(tr, form.get("customer_language")),
        zones: zone_choices(tr, form.get("customer_time_zone")),
        form,
        chosen,
        errors,
        c: Chrome::new(ui, "inbox", tr.t("new-ticket-title")),
    }
}

/// `GET /tickets/new?kind=`: the form.
pub async fn page(ui: Ui, QueryFields(query): QueryFields) -> UiResult {
    Ok(html(&page_of(&ui, query, None, Vec::new())))
}

#[derive(Template)]
#[template(path = "new_ticket_customers.html")]
struct CustomersFragment {
    c: Chrome,
    found: Vec<(i64, String, String)>,
}

/// `GET /ui/tickets/new/customers?customer_q=`: the customer typeahead (the customer search).
pub async fn customers(
    State(app): State<AppState>,
    ui: Ui,
    QueryFields(query): QueryFields,
) -> UiResult {
    let Some(q) = query.text("customer_q") else {
        return Ok(html(&CustomersFragment {
            c: Chrome::new(&ui, "inbox", String::new()),
            found: Vec::new(),
        }));
    };
    let page = app
        .ticketing
        .list_customers(&ui.actor, Some(q), Some(8), None)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let found = page
        .items
        .iter()
        .map(|c| {
            let contact = c
                .emails
                .first()
                .or(c.phones.first())
                .cloned()
                .unwrap_or_default();
            (c.id, c.name.clone(), contact)
        })
        .collect();
    Ok(html(&CustomersFragment {
        c: Chrome::new(&ui, "inbox", String::new()),
        found,
    }))
}

/// The value a create made; without an idempotency key (the forms send none) it is never a
/// replay.
fn fresh<T>(stored: tiski_kernel::Stored<T>) -> Result<T, AppError> {
    stored
        .fresh()
        .ok_or_else(|| AppError::Corrupt("a form's create was answered as a replay".into()))
}

/// The form field an error of the customer or ticket command belongs to, and what to say.
fn field_error(ui: &Ui, error: AppError, customer: bool) -> (String, String) {
    let field = match &error {
        AppError::Invalid { field, .. } => Some(field.clone()),
        AppError::Conflict { field, .. } => field.clone(),
        _ => None,
    };
    let tr = &ui.tr;
    let mapped = match (customer, field.as_deref()) {
        (true, Some(f)) if f.starts_with("emails") => ("customer_email", "new-ticket-bad-email"),
        (true, Some(f)) if f.starts_with("phones") => ("customer_phone", "new-ticket-bad-phone"),
        (true, Some("language")) => ("customer_language", ""),
        (true, Some("time_zone")) => ("customer_time_zone", ""),
        (true, _) => ("customer_name", ""),
        (false, Some("subject")) => ("subject", ""),
        (false, Some(f)) if f.starts_with("requester.email") => {
            ("customer_email", "new-ticket-bad-email")
        }
        (false, Some(f)) if f.starts_with("requester") => ("customer", ""),
        (false, _) => ("body", ""),
    };
    let taken = error.code() == tiski_kernel::ErrorCode::IdentityTaken;
    let message = if taken {
        tr.t("error-identity-taken")
    } else if !mapped.1.is_empty() {
        tr.t(mapped.1)
    } else {
        UiError::from_app(ui, error).message
    };
    (mapped.0.to_string(), message)
}

/// The form again, with its errors, answered 422.
fn again(
    ui: &Ui,
    form: Fields,
    chosen: Option<(i64, String)>,
    errors: Vec<(String, String)>,
) -> UiResult {
    let mut response = html(&page_of(ui, form, chosen, errors)).into_response();
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `POST /ui/tickets/new`: creates the customer when asked, then the ticket, and opens it.
pub async fn create(State(app): State<AppState>, ui: Ui, FormBody(form): FormBody) -> UiResult {
    let tr = &ui.tr;
    let kind = Kind::parse(form.get("kind"));
    let body = form.text("body").unwrap_or_default();
    let notes = form.text("notes").unwrap_or_default();
    let mut errors = Vec::new();
    let mut need = |field: &str, key: &str| errors.push((field.to_string(), tr.t(key)));
    if form.text("subject").is_none() {
        need("subject", "new-ticket-need-subject");
    }
    match kind {
        Kind::Email if body.is_empty() => need("body", "new-ticket-need-body"),
        Kind::Call | Kind::Visit if body.is_empty() && notes.is_empty() => {
            need("body", "new-ticket-need-words")
        }
        _ => {}
    }
    let existing = form
        .get("customer_id")
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|v| *v > 0);
    let new_email = form.text("customer_email");
    let new_phone = form.text("customer_phone");
    let new_name = form.text("customer_name");
    if existing.is_none() {
        if kind == Kind::Email && new_email.is_none() {
            need("customer_email", "new-ticket-need-email");
        } else if new_email.is_none() && new_phone.is_none() && new_name.is_none() {
            need("customer_name", "new-ticket-need-customer");
        }
    }
    let mut chosen = match existing {
        Some(id) => app
            .ticketing
            .get_customer(&ui.actor, id)
            .await
            .ok()
            .map(|c| (c.id, c.name)),
        None => None,
    };
    if existing.is_some() && chosen.is_none() {
        need("customer", "new-ticket-need-customer");
    }
    if !errors.is_empty() {
        return again(&ui, form, chosen, errors);
    }
    let customer_id = match &chosen {
        Some((id, _)) => *id,
        None => {
            let created = app
                .ticketing
                .create_customer(
                    &ui.actor,
                    NewCustomer {
                        name: new_name.clone().unwrap_or_default(),
                        emails: new_email.into_iter().collect(),
                        phones: new_phone.into_iter().collect(),
                        language: form.text("customer_language"),
                        time_zone: form.text("customer_time_zone"),
                        organization: None,
                        notes: None,
                    },
                    None,
                )
                .await;
            match created {
                Ok(stored) => {
                    let customer = fresh(stored).map_err(|e| UiError::from_app(&ui, e))?;
                    chosen = Some((customer.id, customer.name.clone()));
                    customer.id
                }
                Err(error) => {
                    let error = field_error(&ui, error, true);
                    return again(&ui, form, None, vec![error]);
                }
            }
        }
    };
    let channel = kind.channel();
    let first = |body: String, author: AuthorKind, kind: MessageKind| NewMessage {
        body,
        html: None,
        kind: Some(kind),
        author: Some(author),
        channel: Some(channel),
        ..NewMessage::default()
    };
    let (message, note) = match kind {
        Kind::Email => (first(body, AuthorKind::Agent, MessageKind::Reply), None),
        _ if body.is_empty() => (first(notes, AuthorKind::Agent, MessageKind::Note), None),
        _ => (
            first(body, AuthorKind::Customer, MessageKind::Reply),
            (!notes.is_empty()).then(|| first(notes, AuthorKind::Agent, MessageKind::Note)),
        ),
    };
    let ticket = app
        .ticketing
        .create_ticket(
            &ui.actor,
            NewTicket {
                subject: form.text("subject").unwrap_or_default(),
                requester: RequesterInput {
                    id: Some(customer_id),
                    ..RequesterInput::default()
                },
                team_id: None,
                assignee_id: None,
                priority: None,
                tags: Vec::new(),
                channel: Some(channel),
                language: None,
                message,
                queue_id: None,
                requirements: None,
            },
            None,
        )
        .await;
    let ticket = match ticket.and_then(fresh) {
        Ok(ticket) => ticket,
        Err(error) => {
            let error = field_error(&ui, error, false);
            return again(&ui, form, chosen, vec![error]);
        }
    };
    if let Some(note) = note {
        app.ticketing
            .add_message(&ui.actor, ticket.id, note, None)
            .await
            .map_err(|e| UiError::from_app(&ui, e))?;
    }
    Ok(redirect(&ui, &format!("/tickets/{}", ticket.id)))
}
