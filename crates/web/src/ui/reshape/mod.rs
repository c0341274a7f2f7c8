//! Reshaping work in the workspace: "Merge into…" on the ticket page (a picker, then a
//! confirm step that may tell the customer), "Split into a new ticket" on a message, "Merge
//! into…" on the customer page, and the "New ticket" page (`new_ticket`).

pub mod languages;
pub mod new_ticket;

use super::auth::Ui;
use super::form::{FormBody, QueryFields};
use super::i18n::{Locale, Tr};
use super::{Chrome, UiError, UiResult, html, redirect, status_label};
use crate::extract::State as AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use tiski_domain::{Event, Status};
use tiski_kernel::EventView;
use tiski_ticketing::{MergeCustomer, MergeReply, MergeTicket, SplitMessage, TicketView};

/// The timeline sentence of a merge or split, as seen from `ticket`.
pub fn event_text(tr: &Tr, actor: &str, ticket: &TicketView, event: &EventView) -> Option<String> {
    let say = |key: &str, other: i64| {
        Some(tr.targs(key, &[("actor", actor), ("ticket", &format!("#{other}"))]))
    };
    match &event.event {
        Event::TicketMerged(m) if m.ticket_id == ticket.id => say("event-merged-away", m.into),
        Event::TicketMerged(m) => say("event-merged-here", m.ticket_id),
        Event::TicketSplit(s) if s.to == ticket.id => say("event-split-here", s.from),
        Event::TicketSplit(s) => say("event-split-away", s.to),
        _ => None,
    }
}

/// The sentence of an event in `ticket`'s timeline that happened on a ticket merged into it:
/// prefixed with that ticket's number, so the history stays honest. The merged ticket's copy
/// of the merge itself is left out (the survivor's own says it).
pub fn of_merged(ticket: &TicketView, event: &EventView, text: String) -> Option<String> {
    match event.ticket_id {
        Some(other) if other != ticket.id => {
            (!matches!(event.event, Event::TicketMerged(_))).then(|| format!("#{other} · {text}"))
        }
        _ => Some(text),
    }
}

/// A ticket offered by the merge picker.
pub struct Candidate {
    /// Ticket id.
    pub id: i64,
    /// Subject.
    pub subject: String,
    /// Status (for the badge class).
    pub status: &'static str,
    /// Status label.
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "merge_candidates.html")]
struct CandidatesFragment {
    c: Chrome,
    candidates: Vec<Candidate>,
}

fn mergeable(ticket: &TicketView) -> bool {
    ticket.merged_into.is_none() && ticket.status != Status::Closed
}

/// `GET /ui/tickets/{id}/merge/candidates?q=`: tickets to merge into. A number finds that
/// ticket; text filters the requester's other open tickets by subject (the indexed list the
/// customer panel shows; a full-text search arrives with the search issue).
pub async fn merge_candidates(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    QueryFields(query): QueryFields,
) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let ticket = app.ticketing.get_ticket(&ui.actor, id).await.map_err(err)?;
    let q = query.text("q").unwrap_or_default();
    let number = q.trim_start_matches('#').parse::<i64>().ok();
    let mut found: Vec<TicketView> = Vec::new();
    if let Some(number) = number.filter(|n| *n != id)
        && let Ok(other) = app.ticketing.get_ticket(&ui.actor, number).await
    {
        found.push(other);
    }
    if number.is_none()
        && let Ok(customer) = app
            .ticketing
            .get_customer(&ui.actor, ticket.requester.id)
            .await
    {
        let needle = q.to_lowercase();
        found.extend(
            customer
                .tickets
                .unwrap_or_default()
                .into_iter()
                .filter(|t| t.id != id && t.subject.to_lowercase().contains(&needle)),
        );
    }
    let tr = &ui.tr;
    let candidates = found
        .iter()
        .filter(|t| mergeable(t))
        .take(10)
        .map(|t| Candidate {
            id: t.id,
            subject: t.subject.clone(),
            status: t.status.as_str(),
            status_label: status_label(tr, t.status),
        })
        .collect();
    Ok(html(&CandidatesFragment {
        c: Chrome::new(&ui, "inbox", String::new()),
        candidates,
    }))
}

#[derive(Template)]
#[template(path = "merge_confirm.html")]
struct ConfirmFragment {
    c: Chrome,
    id: i64,
    into: i64,
    summary: String,
    tell_body: String,
}

/// The language to tell a customer in: the ticket's, else the reader's.
fn customer_tr(ui: &Ui, ticket: &TicketView) -> Tr {
    let locale = ticket
        .language
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or(ui.tr.locale);
    Tr::new(locale, ui.tr.zone.clone())
}

/// `POST /ui/tickets/{id}/merge/preview` (`into`): the confirm step, saying what will happen,
/// with the reply that tells the customer written in their language.
pub async fn merge_preview(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let Some(into) = form.id("into").filter(|into| *into != id) else {
        return Err(UiError::new(
            &ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "merge-pick-first",
        ));
    };
    let ticket = app.ticketing.get_ticket(&ui.actor, id).await.map_err(err)?;
    let target = app
        .ticketing
        .get_ticket(&ui.actor, into)
        .await
        .map_err(err)?;
    if !mergeable(&target) {
        let key = if target.merged_into.is_some() {
            "error-ticket-merged"
        } else {
            "error-ticket-closed"
        };
        return Err(UiError::new(&ui, StatusCode::CONFLICT, key));
    }
    let from = format!("#{id}");
    let to = format!("#{into}");
    let summary = ui.tr.targs(
        "merge-summary",
        &[
            ("from", &from),
            ("from_subject", &ticket.subject),
            ("into", &to),
            ("into_subject", &target.subject),
        ],
    );
    let tell_body =
        customer_tr(&ui, &target).targs("merge-tell-body", &[("from", &from), ("into", &to)]);
    Ok(html(&ConfirmFragment {
        c: Chrome::new(&ui, "inbox", String::new()),
        id,
        into,
        summary,
        tell_body,
    }))
}

/// `POST /ui/tickets/{id}/merge` (`into`, `tell`, `reply`): merges, then opens the survivor.
pub async fn merge(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let Some(into) = form.id("into") else {
        return Err(UiError::new(
            &ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "merge-pick-first",
        ));
    };
    let reply = form
        .checked("tell")
        .then(|| form.text("reply"))
        .flatten()
        .map(|body| MergeReply { body });
    let survivor = app
        .ticketing
        .merge_ticket(&ui.actor, id, MergeTicket { into, reply })
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, &format!("/tickets/{}", survivor.id)))
}

/// `POST /ui/messages/{id}/split`: splits a message off into a new ticket and opens it.
pub async fn split(State(app): State<AppState>, ui: Ui, Path(id): Path<i64>) -> UiResult {
    let ticket = app
        .ticketing
        .split_message(&ui.actor, id, SplitMessage::default())
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, &format!("/tickets/{}", ticket.id)))
}

/// A customer offered by the customer-merge picker.
pub struct CustomerCandidate {
    /// Customer id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// First email or phone.
    pub contact: String,
}

#[derive(Template)]
#[template(path = "customer_merge_candidates.html")]
struct CustomerCandidatesFragment {
    c: Chrome,
    candidates: Vec<CustomerCandidate>,
}

/// `GET /ui/customers/{id}/merge/candidates?q=`: customers to merge this one into (the
/// customer search).
pub async fn customer_candidates(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    QueryFields(query): QueryFields,
) -> UiResult {
    let page = app
        .ticketing
        .list_customers(&ui.actor, query.text("q"), Some(10), None)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let candidates = page
        .items
        .iter()
        .filter(|c| c.id != id)
        .map(|c| CustomerCandidate {
            id: c.id,
            name: c.name.clone(),
            contact: c
                .emails
                .first()
                .or(c.phones.first())
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    Ok(html(&CustomerCandidatesFragment {
        c: Chrome::new(&ui, "customers", String::new()),
        candidates,
    }))
}

#[derive(Template)]
#[template(path = "customer_merge_confirm.html")]
struct CustomerConfirmFragment {
    c: Chrome,
    id: i64,
    into: i64,
    summary: String,
}

/// `POST /ui/customers/{id}/merge/preview` (`into`): the confirm step of a customer merge.
pub async fn customer_preview(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let err = |e| UiError::from_app(&ui, e);
    let Some(into) = form.id("into").filter(|into| *into != id) else {
        return Err(UiError::new(
            &ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "merge-pick-first",
        ));
    };
    let duplicate = app
        .ticketing
        .get_customer(&ui.actor, id)
        .await
        .map_err(err)?;
    let survivor = app
        .ticketing
        .get_customer(&ui.actor, into)
        .await
        .map_err(err)?;
    let summary = ui.tr.targs(
        "customer-merge-summary",
        &[("from", &duplicate.name), ("into", &survivor.name)],
    );
    Ok(html(&CustomerConfirmFragment {
        c: Chrome::new(&ui, "customers", String::new()),
        id,
        into,
        summary,
    }))
}

/// `POST /ui/customers/{id}/merge` (`into`): merges the duplicate, then opens the survivor.
pub async fn customer_merge(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let Some(into) = form.id("into") else {
        return Err(UiError::new(
            &ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "merge-pick-first",
        ));
    };
    let survivor = app
        .ticketing
        .merge_customer(&ui.actor, id, MergeCustomer { into })
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    Ok(redirect(&ui, &format!("/customers/{}", survivor.id)))
}
