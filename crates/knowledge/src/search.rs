//! The search query: one ranked search over tickets (subjects, messages, notes) and customers,
//! permission-filtered by the engine (the scopes are joined in the SQL, so no hit, count or
//! snippet of a ticket the actor cannot open ever leaves the store).

use serde::{Deserialize, Serialize};
use tiski_domain::Permission;
use tiski_kernel::{Actor, AppError, AppResult, Conn};
use tiski_ticketing::search as source;

use crate::Knowledge;
use crate::analyze::{QueryWord, query_terms};
use crate::repo::{self, Hit};
use crate::snippet::snippet;

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most query words used (the rest are ignored).
pub const MAX_QUERY_WORDS: usize = 16;
/// Most results of one kind.
pub const MAX_LIMIT: i64 = 100;

/// What is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchType {
    /// Tickets: subjects, messages, and notes for those who may read them.
    Ticket,
    /// Customers: names, organisations, identities.
    Customer,
    /// Knowledge-base articles (none are indexed yet: always no items).
    Article,
}

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The text typed.
    pub q: String,
    /// Only this kind; every kind when absent.
    pub kind: Option<SearchType>,
    /// Most hits of each kind (1 to 100).
    pub limit: i64,
}

/// One hit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    /// `ticket` or `customer`.
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
    /// The ticket's subject or the customer's name (plain text).
    pub title: String,
    /// HTML: the matched text around the first match, escaped, matches in `<mark>`.
    pub snippet: String,
    /// Relevance by the engine's ranking (higher is better; comparable within one answer).
    pub score: f64,
}

/// A search's answer, best first within each kind (tickets, then customers).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// The hits.
    pub items: Vec<SearchHit>,
}

/// Checks a query and gives its words; none when the text has no searchable word.
pub fn parse_query(q: &str) -> AppResult<Vec<QueryWord>> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid(
            "q",
            format!("A search is at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    let mut words = query_terms(q, None);
    words.truncate(MAX_QUERY_WORDS);
    Ok(words)
}

fn groups(words: &[QueryWord]) -> Vec<Vec<String>> {
    words
        .iter()
        .map(|w| w.terms.iter().cloned().collect())
        .collect()
}

/// The best hit per ticket, in rank order, at most `limit`.
fn per_ticket(hits: Vec<Hit>, limit: usize) -> Vec<Hit> {
    let mut seen = std::collections::BTreeSet::new();
    hits.into_iter()
        .filter(|h| h.ticket_id.is_some_and(|t| seen.insert(t)))
        .take(limit)
        .collect()
}

fn ticket_hits(
    conn: &mut dyn Conn,
    actor: &Actor,
    words: &[QueryWord],
    limit: i64,
) -> AppResult<Vec<SearchHit>> {
    let notes = actor.may(Permission::TicketRead);
    let hits = repo::tickets(conn, actor, &groups(words), notes, limit * 5)?;
    let mut out = Vec::new();
    for hit in per_ticket(hits, usize::try_from(limit).unwrap_or(0)) {
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
            snippet: snippet(text.as_deref().unwrap_or(&subject), words),
            title: subject,
            score: hit.score,
        });
    }
    Ok(out)
}

fn customer_hits(
    conn: &mut dyn Conn,
    actor: &Actor,
    words: &[QueryWord],
    limit: i64,
) -> AppResult<Vec<SearchHit>> {
    let mut out = Vec::new();
    for hit in repo::customers(conn, actor, &groups(words), limit)? {
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
            snippet: snippet(&all.join(" · "), words),
            title: text.name,
            score: hit.score,
        });
    }
    Ok(out)
}

impl Knowledge {
    /// Searches what `actor` may see. Tickets need `ticket.read`, customers `customer.read`;
    /// asking for one kind without its permission is refused, searching every kind leaves out
    /// the kinds the actor may not read. A query with no searchable word finds nothing.
    pub async fn search(&self, actor: &Actor, request: SearchRequest) -> AppResult<SearchResults> {
        let words = parse_query(&request.q)?;
        if !(1..=MAX_LIMIT).contains(&request.limit) {
            return Err(AppError::invalid(
                "limit",
                format!("The limit is 1 to {MAX_LIMIT}."),
            ));
        }
        let grant = match request.kind {
            Some(SearchType::Customer) => actor.grant(Permission::CustomerRead)?,
            _ => actor.grant(Permission::TicketRead)?,
        };
        let tickets = request.kind.is_none_or(|k| k == SearchType::Ticket);
        let customers = match request.kind {
            None => actor.may(Permission::CustomerRead),
            Some(k) => k == SearchType::Customer,
        };
        if words.is_empty() {
            return Ok(SearchResults { items: Vec::new() });
        }
        let actor = actor.clone();
        let limit = request.limit;
        self.kernel
            .query(&grant, move |conn| {
                let mut items = Vec::new();
                if tickets {
                    items.extend(ticket_hits(conn, &actor, &words, limit)?);
                }
                if customers {
                    items.extend(customer_hits(conn, &actor, &words, limit)?);
                }
                Ok(SearchResults { items })
            })
            .await
    }
}
