//! The knowledge repository: all SQL over `search_documents` and the engine's full-text index
//! over it (SQLite's FTS5 table `search_fts`, PostgreSQL's `tsv` column), and the searches,
//! which join the scopes of ticketing so that the engine never returns a row the actor may not
//! open.

use tiski_kernel::{Actor, AppResult, Engine, Sql};
use tiski_store::{Conn, params};
use tiski_ticketing::search as source;

pub(crate) mod kb;
pub(crate) mod vocab;

/// What a document of the index is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A ticket's subject.
    Ticket,
    /// A message or note of a ticket.
    Message,
    /// A customer (name, organisation, identities).
    Customer,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Ticket => "ticket",
            Kind::Message => "message",
            Kind::Customer => "customer",
        }
    }
}

/// A row to index.
pub(crate) struct Document<'a> {
    pub kind: Kind,
    pub ticket_id: Option<i64>,
    pub message_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub internal: bool,
    pub language: &'a str,
    pub terms: &'a str,
    /// The text's words as written (`analyze::surface`).
    pub words: &'a str,
}

/// Inserts a document (nothing for one without terms).
pub(crate) fn insert(conn: &mut dyn Conn, doc: &Document<'_>) -> AppResult<()> {
    if doc.terms.is_empty() {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO search_documents (kind, ticket_id, message_id, customer_id, internal, language, terms, words) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![
            doc.kind.as_str(),
            doc.ticket_id,
            doc.message_id,
            doc.customer_id,
            i64::from(doc.internal),
            doc.language,
            doc.terms,
            doc.words
        ],
    )?;
    vocab::add(conn, &format!("{} {}", doc.terms, doc.words))
}

/// Deletes the documents of `condition` (over `search_documents`, its values in `sql`),
/// uncounting their terms in the vocabulary.
pub(crate) fn delete_where(conn: &mut dyn Conn, sql: Sql, condition: &str) -> AppResult<()> {
    let gone = conn.query(
        &format!("DELETE FROM search_documents WHERE {condition} RETURNING terms, words"),
        sql.params(),
    )?;
    for row in gone.iter() {
        let (terms, words): (String, String) = (row.get(0)?, row.get(1)?);
        vocab::remove(conn, &format!("{terms} {words}"))?;
    }
    Ok(())
}

/// Removes every document of a ticket (its subject and messages).
pub(crate) fn delete_ticket(conn: &mut dyn Conn, ticket_id: i64) -> AppResult<()> {
    let mut sql = Sql::new(conn.engine());
    let id = sql.bind(ticket_id);
    delete_where(
        conn,
        sql,
        &format!("ticket_id = {id} AND kind IN ('ticket', 'message')"),
    )
}

/// Removes the document of one message.
pub(crate) fn delete_message(conn: &mut dyn Conn, message_id: i64) -> AppResult<()> {
    let mut sql = Sql::new(conn.engine());
    let id = sql.bind(message_id);
    delete_where(
        conn,
        sql,
        &format!("message_id = {id} AND kind = 'message'"),
    )
}

/// Removes the document of a customer.
pub(crate) fn delete_customer(conn: &mut dyn Conn, customer_id: i64) -> AppResult<()> {
    let mut sql = Sql::new(conn.engine());
    let id = sql.bind(customer_id);
    delete_where(
        conn,
        sql,
        &format!("customer_id = {id} AND kind = 'customer'"),
    )
}

/// Removes the documents of erased tickets, messages and a customer (in the erasure's
/// transaction; SQLite's FTS5 table is in secure-delete mode, so no term stays behind in
/// its segments).
pub(crate) fn erase(
    conn: &mut dyn Conn,
    ticket_ids: &[i64],
    message_ids: &[i64],
    customer_id: Option<i64>,
) -> AppResult<()> {
    if !ticket_ids.is_empty() {
        let mut sql = Sql::new(conn.engine());
        let ids = sql.bind_ids(ticket_ids);
        delete_where(conn, sql, &format!("ticket_id IN {ids}"))?;
    }
    if !message_ids.is_empty() {
        let mut sql = Sql::new(conn.engine());
        let ids = sql.bind_ids(message_ids);
        delete_where(conn, sql, &format!("message_id IN {ids}"))?;
    }
    if let Some(id) = customer_id {
        delete_customer(conn, id)?;
    }
    Ok(())
}

/// A matching document: its ticket or customer, its message, and the engine's score
/// (higher is better).
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub ticket_id: Option<i64>,
    pub message_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub score: f64,
    /// The document's analysed terms (to check phrases).
    pub terms: String,
}

/// The engine's query for `groups`: every group must match, any term of a group will do.
/// Terms are the analyser's (letters and digits only), and each is quoted besides, so no
/// character of the query reaches the engine's query syntax. A term ending in `*` (added by
/// `query::Query::groups`, never typed through) is a prefix: `"ab"*` in FTS5, `'ab':*` in
/// `to_tsquery`.
pub(crate) fn match_expression(engine: Engine, groups: &[Vec<String>]) -> Option<String> {
    let clean = |t: &String| -> String { t.chars().filter(|c| c.is_alphanumeric()).collect() };
    let (or, and) = match engine {
        Engine::Sqlite => (" OR ", " AND "),
        Engine::Postgres => (" | ", " & "),
    };
    let parts: Vec<String> = groups
        .iter()
        .map(|group| {
            let terms: Vec<String> = group
                .iter()
                .map(|t| (clean(t), t.ends_with('*')))
                .filter(|(t, _)| !t.is_empty())
                .map(|(t, prefix)| match (engine, prefix) {
                    (Engine::Sqlite, false) => format!("\"{t}\""),
                    (Engine::Sqlite, true) => format!("\"{t}\"*"),
                    (Engine::Postgres, false) => format!("'{t}'"),
                    (Engine::Postgres, true) => format!("'{t}':*"),
                })
                .collect();
            terms.join(or)
        })
        .filter(|g| !g.is_empty())
        .map(|g| format!("({g})"))
        .collect();
    (!parts.is_empty()).then(|| parts.join(and))
}

/// The ranked matching documents of `conditions` (alias `d`) joined to `join`, best first (or
/// by `by_date`, a column of the join, newest first), at most `limit`.
fn ranked(
    conn: &mut dyn Conn,
    mut sql: Sql,
    groups: &[Vec<String>],
    (join, conditions): (&str, &str),
    by_date: Option<&str>,
    limit: i64,
) -> AppResult<Vec<Hit>> {
    let Some(expression) = match_expression(conn.engine(), groups) else {
        return Ok(Vec::new());
    };
    let q = sql.bind(expression);
    let limit = sql.bind(limit);
    let order = by_date.map(|c| format!("{c} DESC, ")).unwrap_or_default();
    let text = match conn.engine() {
        Engine::Sqlite => format!(
            "SELECT d.ticket_id, d.message_id, d.customer_id, -bm25(search_fts) AS score, d.terms \
             FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid {join} \
             WHERE search_fts MATCH {q} AND {conditions} \
             ORDER BY {order}score DESC, d.id LIMIT {limit}"
        ),
        Engine::Postgres => format!(
            "SELECT d.ticket_id, d.message_id, d.customer_id, \
                    CAST(ts_rank(d.tsv, to_tsquery('simple', {q})) AS DOUBLE PRECISION) AS score, d.terms \
             FROM search_documents d {join} \
             WHERE d.tsv @@ to_tsquery('simple', {q}) AND {conditions} \
             ORDER BY {order}score DESC, d.id LIMIT {limit}"
        ),
    };
    conn.query(&text, sql.params())?
        .iter()
        .map(|row| {
            Ok(Hit {
                ticket_id: row.get(0)?,
                message_id: row.get(1)?,
                customer_id: row.get(2)?,
                score: row.get(3)?,
                terms: row.get(4)?,
            })
        })
        .collect()
}

/// What a ticket search asks of the engine besides its terms.
pub(crate) struct TicketSearch<'a> {
    /// Notes too (the actor may read them).
    pub notes: bool,
    /// The filters.
    pub narrowing: &'a source::TicketNarrowing,
    /// Newest ticket first instead of best match.
    pub by_date: bool,
}

/// Ticket subjects and messages matching `groups` among the tickets `actor` may open and the
/// filters keep; notes only when the actor may read them.
pub(crate) fn tickets(
    conn: &mut dyn Conn,
    actor: &Actor,
    groups: &[Vec<String>],
    search: &TicketSearch<'_>,
    limit: i64,
) -> AppResult<Vec<Hit>> {
    let mut sql = Sql::new(conn.engine());
    let scope = source::ticket_scope(&mut sql, actor);
    let narrowing = source::ticket_narrowing(&mut sql, search.narrowing);
    let notes = sql.bind(i64::from(search.notes));
    let conditions = format!(
        "d.kind IN ('ticket', 'message') AND (d.internal = 0 OR {notes} = 1) AND {scope} AND {narrowing}"
    );
    ranked(
        conn,
        sql,
        groups,
        ("JOIN tickets t ON t.id = d.ticket_id", &conditions),
        search.by_date.then_some(source::TICKET_DATE_COLUMN),
        limit,
    )
}

/// Customers matching `groups` among those `actor` may see.
pub(crate) fn customers(
    conn: &mut dyn Conn,
    actor: &Actor,
    groups: &[Vec<String>],
    limit: i64,
) -> AppResult<Vec<Hit>> {
    let mut sql = Sql::new(conn.engine());
    let scope = source::customer_scope(&mut sql, actor);
    let conditions = format!("d.kind = 'customer' AND {scope}");
    ranked(
        conn,
        sql,
        groups,
        ("JOIN customers c ON c.id = d.customer_id", &conditions),
        None,
        limit,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_expressions_quote_every_term_and_drop_anything_else() {
        let groups = vec![
            vec!["refund".to_owned(), "refunds".to_owned()],
            vec!["a\"b*".to_owned()],
            vec!["\"".to_owned()],
            vec!["pre*".to_owned(), "*".to_owned()],
        ];
        assert_eq!(
            match_expression(Engine::Sqlite, &groups).as_deref(),
            Some("(\"refund\" OR \"refunds\") AND (\"ab\"*) AND (\"pre\"*)")
        );
        assert_eq!(
            match_expression(Engine::Postgres, &groups).as_deref(),
            Some("('refund' | 'refunds') & ('ab':*) & ('pre':*)")
        );
        assert_eq!(match_expression(Engine::Sqlite, &[]), None);
    }
}
