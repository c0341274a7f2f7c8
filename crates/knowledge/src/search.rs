//! The search query: one ranked search over tickets (subjects, messages, notes), customers
//! and knowledge-base articles, permission-filtered by the engine (the scopes are joined in
//! the SQL, so no hit, count or snippet of a ticket the actor cannot open ever leaves the
//! store), with the filters of the ticket hits and an order by relevance or date.

use serde::{Deserialize, Serialize};
use tiski_domain::Permission;
use tiski_kernel::{Actor, AppError, AppResult, Conn};
use tiski_ticketing::search as source;

use crate::Knowledge;
use crate::query::{self, Filters, Query, RawFilters, Sort};
use crate::repo::{self, Hit, TicketSearch};
use crate::snippet::snippet;

pub use crate::query::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
/// Most results of one kind.
pub const MAX_LIMIT: i64 = 100;
/// Candidates read per hit wanted when a phrase must be checked on the stored terms.
const PHRASE_CANDIDATES: i64 = 20;

/// What is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchType {
    /// Tickets: subjects, messages, and notes for those who may read them.
    Ticket,
    /// Customers: names, organisations, identities.
    Customer,
    /// Knowledge-base articles (internal ones for those with `kb.read`).
    Article,
}

/// A search request.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The text typed.
    pub q: String,
    /// Only this kind; every kind when absent.
    pub kind: Option<SearchType>,
    /// Most hits of each kind (1 to 100).
    pub limit: i64,
    /// Filters and order, as given.
    pub filters: RawFilters,
}

/// One hit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    /// `ticket`, `customer` or `article`.
    #[serde(rename = "type")]
    pub kind: SearchType,
    /// The ticket, for a ticket hit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<i64>,
    /// The message or note that matched best, when it was not the subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<i64>,
    /// The customer, for a customer hit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<i64>,
    /// The article, for an article hit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_id: Option<i64>,
    /// The heading of the article's matched section (absent for the part before the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The ticket's subject, the customer's name or the article's title (plain text).
    pub title: String,
    /// HTML: the matched text around the first match, escaped, matches in `<mark>`.
    pub snippet: String,
    /// Relevance (higher is better; comparable within one kind of one answer).
    pub score: f64,
}

/// A search's answer: tickets, then customers, then articles, each best first (tickets
/// newest first when sorted by date).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// The hits.
    pub items: Vec<SearchHit>,
}

/// The best hit per ticket, in order, at most `limit`; with a phrase, only documents that
/// hold it.
fn per_ticket(hits: Vec<Hit>, query: &Query, limit: usize) -> Vec<Hit> {
    let mut seen = std::collections::BTreeSet::new();
    hits.into_iter()
        .filter(|h| !query.has_phrase() || query.phrases_hold(&h.terms))
        .filter(|h| h.ticket_id.is_some_and(|t| seen.insert(t)))
        .take(limit)
        .collect()
}

fn ticket_hits(
    conn: &mut dyn Conn,
    actor: &Actor,
    query: &Query,
    filters: &Filters,
    limit: i64,
) -> AppResult<Vec<SearchHit>> {
    let search = TicketSearch {
        notes: actor.may(Permission::TicketRead),
        narrowing: &filters.tickets,
        by_date: filters.sort == Sort::Date,
    };
    let wanted = limit
        * if query.has_phrase() {
            PHRASE_CANDIDATES
        } else {
            5
        };
    let hits = repo::tickets(conn, actor, &query.groups(), &search, wanted)?;
    let words = query.plain();
    let mut out = Vec::new();
    for hit in per_ticket(hits, query, usize::try_from(limit).unwrap_or(0)) {
        let Some(ticket_id) = hit.ticket_id else {
            continue;
        };
        let Some(subject) = source::subject(conn, ticket_id)? else {
            continue;
        };
        let text = match hit.message_id {
            Some(id) => source::message(conn, id)?.map(|m| m.text),
            None => None,
        };
        out.push(SearchHit {
            kind: SearchType::Ticket,
            ticket_id: Some(ticket_id),
            message_id: hit.message_id,
            customer_id: None,
            article_id: None,
            section: None,
            snippet: snippet(text.as_deref().unwrap_or(&subject), &words),
            title: subject,
            score: hit.score,
        });
    }
    Ok(out)
}

fn customer_hits(
    conn: &mut dyn Conn,
    actor: &Actor,
    query: &Query,
    limit: i64,
) -> AppResult<Vec<SearchHit>> {
    let wanted = limit
        * if query.has_phrase() {
            PHRASE_CANDIDATES
        } else {
            1
        };
    let words = query.plain();
    let mut out = Vec::new();
    for hit in repo::customers(conn, actor, &query.groups(), wanted)? {
        if out.len() as i64 >= limit || (query.has_phrase() && !query.phrases_hold(&hit.terms)) {
            continue;
        }
        let Some(customer_id) = hit.customer_id else {
            continue;
        };
        let Some(text) = source::customer(conn, customer_id)? else {
            continue;
        };
        let mut all = vec![text.name.clone()];
        all.extend(text.organization.clone());
        all.extend(text.identities.iter().cloned());
        out.push(SearchHit {
            kind: SearchType::Customer,
            ticket_id: None,
            message_id: None,
            customer_id: Some(customer_id),
            article_id: None,
            section: None,
            snippet: snippet(&all.join(" · "), &words),
            title: text.name,
            score: hit.score,
        });
    }
    Ok(out)
}

fn article_hits(
    conn: &mut dyn Conn,
    actor: &Actor,
    query: &Query,
    filters: &Filters,
    limit: i64,
) -> AppResult<Vec<SearchHit>> {
    let internal = actor.may(Permission::KbRead);
    let hits = crate::kb::find::find(conn, query, filters.language.as_deref(), internal, limit)?;
    Ok(hits
        .into_iter()
        .map(|h| SearchHit {
            kind: SearchType::Article,
            ticket_id: None,
            message_id: None,
            customer_id: None,
            article_id: Some(h.article_id),
            section: h.section,
            title: h.title,
            snippet: h.snippet,
            score: h.score,
        })
        .collect())
}

impl Knowledge {
    /// Searches what `actor` may see. Tickets need `ticket.read`, customers `customer.read`;
    /// articles are searched by everyone who may search tickets, internal ones only with
    /// `kb.read`. Asking for one kind without its permission is refused; searching every kind
    /// leaves out the kinds the actor may not read, and customers and articles when a filter
    /// only tickets have is given. A query with no searchable word finds nothing.
    pub async fn search(&self, actor: &Actor, request: SearchRequest) -> AppResult<SearchResults> {
        let query = query::parse(&request.q, None)?;
        if !(1..=MAX_LIMIT).contains(&request.limit) {
            return Err(AppError::invalid(
                "limit",
                format!("The limit is 1 to {MAX_LIMIT}."),
            ));
        }
        let filters = query::filters(&request.filters)?;
        let grant = match request.kind {
            Some(SearchType::Customer) => actor.grant(Permission::CustomerRead)?,
            _ => actor.grant(Permission::TicketRead)?,
        };
        let tickets = request.kind.is_none_or(|k| k == SearchType::Ticket);
        let customers = match request.kind {
            None => {
                actor.may(Permission::CustomerRead)
                    && !filters.ticket_only
                    && filters.language.is_none()
            }
            Some(k) => k == SearchType::Customer,
        };
        let articles = match request.kind {
            None => !filters.ticket_only,
            Some(k) => k == SearchType::Article,
        };
        if query.words.is_empty() {
            return Ok(SearchResults { items: Vec::new() });
        }
        let actor = actor.clone();
        let limit = request.limit;
        self.kernel
            .query(&grant, move |conn| {
                let mut query = query;
                crate::typo::widen(conn, &mut query)?;
                let mut items = Vec::new();
                if tickets {
                    items.extend(ticket_hits(conn, &actor, &query, &filters, limit)?);
                }
                if customers {
                    items.extend(customer_hits(conn, &actor, &query, limit)?);
                }
                if articles {
                    // Already widened: the article search widens only what is still unknown.
                    items.extend(article_hits(conn, &actor, &query, &filters, limit)?);
                }
                Ok(SearchResults { items })
            })
            .await
    }
}
