//! `GET /search?q=`: the one search box of the workspace (the top bar's, keyboard `/`),
//! results grouped by type: tickets, customers, knowledge-base articles. Snippets are the
//! search's own HTML (escaped text with `<mark>`), shown as they are.

use super::auth::Ui;
use super::form::QueryFields;
use super::{Chrome, UiError, UiResult, html};
use crate::extract::State as AppState;
use askama::Template;
use axum::extract::State;
use tiski_knowledge::{SearchRequest, SearchType};

/// One hit as the page shows it.
pub struct Hit {
    /// Where it opens (empty for articles, which have no page yet).
    pub href: String,
    /// Subject, name or title.
    pub title: String,
    /// Escaped HTML with the matches marked.
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    tickets: Vec<Hit>,
    customers: Vec<Hit>,
    articles: Vec<Hit>,
}

/// The search page.
pub async fn page(
    State(app): State<AppState>,
    ui: Ui,
    QueryFields(query): QueryFields,
) -> UiResult {
    let q = query.text("q").unwrap_or_default();
    let mut tickets = Vec::new();
    let mut customers = Vec::new();
    let mut articles = Vec::new();
    if !q.trim().is_empty() {
        let found = app
            .knowledge
            .search(
                &ui.actor,
                SearchRequest {
                    q: q.clone(),
                    kind: None,
                    limit: 20,
                    ..SearchRequest::default()
                },
            )
            .await
            .map_err(|e| UiError::from_app(&ui, e))?;
        for hit in found.items {
            match (hit.kind, hit.ticket_id, hit.customer_id) {
                (SearchType::Article, _, _) => articles.push(Hit {
                    href: String::new(),
                    title: match hit.section {
                        Some(section) => format!("{} · {section}", hit.title),
                        None => hit.title,
                    },
                    snippet: hit.snippet,
                }),
                (SearchType::Ticket, Some(id), _) => tickets.push(Hit {
                    href: format!("/tickets/{id}"),
                    title: hit.title,
                    snippet: hit.snippet,
                }),
                (SearchType::Customer, _, Some(id)) => customers.push(Hit {
                    href: format!("/customers/{id}"),
                    title: hit.title,
                    snippet: hit.snippet,
                }),
                _ => {}
            }
        }
    }
    let page = SearchPage {
        c: Chrome::new(&ui, "search", ui.tr.t("search-title")),
        q,
        tickets,
        customers,
        articles,
    };
    Ok(html(&page))
}
