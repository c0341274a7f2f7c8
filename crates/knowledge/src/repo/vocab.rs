//! The vocabulary of indexed terms (`search_terms`, with how many documents hold each) and
//! its deletion neighbourhood (`search_term_variants`), kept by every insert and delete of a
//! document, so a term no document holds any more (an erased customer's name) is gone too.

use std::collections::BTreeSet;

use tiski_kernel::{AppResult, Sql};
use tiski_store::{Conn, params};

use crate::typo;

/// Terms shorter than this are not in the vocabulary (a typo is looked for in words of five
/// letters or more, whose stems are rarely shorter than three).
const MIN_TERM_CHARS: usize = 3;

/// Letters left out of a vocabulary term in its neighbourhood: as many as a query word of its
/// length may differ by, and at least one (a stem is often shorter than the word typed).
fn term_bound(chars: usize) -> usize {
    typo::bound(chars).max(1)
}

fn distinct(terms: &str) -> BTreeSet<&str> {
    terms
        .split(' ')
        .filter(|t| t.chars().count() >= MIN_TERM_CHARS)
        .collect()
}

/// Counts a new document's terms; a term new to the vocabulary gets its neighbourhood.
pub(crate) fn add(conn: &mut dyn Conn, terms: &str) -> AppResult<()> {
    for term in distinct(terms) {
        let docs: i64 = conn.query_scalar(
            "INSERT INTO search_terms (term, docs) VALUES ($1, 1) \
             ON CONFLICT (term) DO UPDATE SET docs = search_terms.docs + 1 RETURNING docs",
            params![term],
        )?;
        if docs == 1 {
            for variant in typo::deletions(term, term_bound(term.chars().count())) {
                conn.execute(
                    "INSERT INTO search_term_variants (variant, term) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    params![variant, term],
                )?;
            }
        }
    }
    Ok(())
}

/// Uncounts a removed document's terms; a term no document holds leaves the vocabulary.
pub(crate) fn remove(conn: &mut dyn Conn, terms: &str) -> AppResult<()> {
    for term in distinct(terms) {
        let left: Option<i64> = conn
            .query_opt(
                "UPDATE search_terms SET docs = docs - 1 WHERE term = $1 RETURNING docs",
                params![term],
            )?
            .map(|row| row.get(0))
            .transpose()?;
        if left.is_some_and(|n| n <= 0) {
            conn.execute("DELETE FROM search_terms WHERE term = $1", params![term])?;
            conn.execute(
                "DELETE FROM search_term_variants WHERE term = $1",
                params![term],
            )?;
        }
    }
    Ok(())
}

/// Which of `terms` the vocabulary holds.
pub(crate) fn known(conn: &mut dyn Conn, terms: &[String]) -> AppResult<BTreeSet<String>> {
    if terms.is_empty() {
        return Ok(BTreeSet::new());
    }
    let mut sql = Sql::new(conn.engine());
    let list: Vec<String> = terms.iter().map(|t| sql.bind(t.as_str())).collect();
    conn.query(
        &format!(
            "SELECT term FROM search_terms WHERE term IN ({})",
            list.join(", ")
        ),
        sql.params(),
    )?
    .iter()
    .map(|row| Ok(row.get(0)?))
    .collect()
}

/// Vocabulary terms sharing a deletion form with `forms` (the query term and its own
/// deletions), with their document counts; candidates only, the caller checks the distance.
pub(crate) fn candidates(conn: &mut dyn Conn, forms: &[String]) -> AppResult<Vec<(String, i64)>> {
    if forms.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(conn.engine());
    let list: Vec<String> = forms.iter().map(|t| sql.bind(t.as_str())).collect();
    let list = list.join(", ");
    conn.query(
        &format!(
            "SELECT s.term, s.docs FROM search_terms s WHERE s.term IN ({list}) \
             OR s.term IN (SELECT v.term FROM search_term_variants v WHERE v.variant IN ({list})) \
             ORDER BY s.docs DESC, s.term LIMIT 200"
        ),
        sql.params(),
    )?
    .iter()
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .collect()
}
