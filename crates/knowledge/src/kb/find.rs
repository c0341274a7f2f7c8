//! The knowledge-base search: the engine finds sections holding any term of the query, Rust
//! scores them by the share of the query's words they hold (phrases checked on the stored
//! terms), and a hit in another language than the one asked for answers through its
//! translation in that language (an English query finds the Finnish article).

use std::collections::BTreeSet;

use tiski_kernel::{AppResult, Conn};

use super::{KbHit, MIN_COVERAGE, rules};
use crate::query::Query;
use crate::repo::kb as repo;
use crate::snippet::snippet;

/// Most candidate sections the engine returns to be scored.
const CANDIDATES: i64 = 200;
/// What a hit found through its translation keeps of its score.
const THROUGH_TRANSLATION: f64 = 0.9;

/// The share of the query's words `terms` holds, 0 when a phrase does not hold.
fn coverage(query: &Query, terms: &str) -> f64 {
    if query.words.is_empty() || !query.phrases_hold(terms) {
        return 0.0;
    }
    let held: BTreeSet<&str> = terms.split(' ').collect();
    let matched = query
        .words
        .iter()
        .filter(|w| held.iter().any(|t| w.matches(t)))
        .count();
    matched as f64 / query.words.len() as f64
}

fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// The best sections answering `query`, one per article, best first, at most `limit`: of
/// `language` (directly or through a translation) when given; internal articles only when
/// `internal`.
pub(crate) fn find(
    conn: &mut dyn Conn,
    query: &Query,
    language: Option<&str>,
    internal: bool,
    limit: i64,
) -> AppResult<Vec<KbHit>> {
    let mut widened = query.clone();
    crate::typo::widen(conn, &mut widened)?;
    let query = &widened;
    let all: Vec<String> = query.groups().into_iter().flatten().collect();
    let hits = repo::sections(conn, &all, None, internal, CANDIDATES)?;
    let best_rank = hits
        .iter()
        .map(|h| h.rank)
        .fold(f64::MIN_POSITIVE, f64::max);
    let mut scored: Vec<(f64, repo::SectionHit)> = hits
        .into_iter()
        .filter_map(|h| {
            let cover = coverage(query, &h.terms);
            let score = 0.9 * cover + 0.1 * (h.rank / best_rank).clamp(0.0, 1.0);
            (cover >= MIN_COVERAGE).then_some((score, h))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.article_id.cmp(&b.1.article_id))
    });
    // The article that answers, per hit: itself, or its translation in `language`.
    let mut answers: BTreeSet<i64> = BTreeSet::new();
    let mut items = Vec::new();
    for (score, hit) in scored {
        if items.len() as i64 >= limit {
            break;
        }
        let Some(article) = repo::get(conn, hit.article_id)? else {
            continue;
        };
        let (article, position, score) = match language {
            Some(l) if primary(&article.language) != l => {
                let translation = repo::group(conn, article.translation_group)?
                    .into_iter()
                    .find(|a| primary(&a.language) == l && (internal || a.visibility == "public"));
                match translation {
                    Some(t) => (t, None, score * THROUGH_TRANSLATION),
                    None => continue,
                }
            }
            _ => (article, Some(hit.position), score),
        };
        if !answers.insert(article.id) {
            continue;
        }
        let sections = rules::sections(&article.body);
        let section = match position {
            Some(p) => sections.into_iter().find(|s| s.position == p),
            None => sections
                .into_iter()
                .find(|s| !s.text.trim().is_empty() || s.heading.is_some()),
        };
        let (heading, mut text) = match section {
            Some(s) => (s.heading, s.text),
            None => (None, String::new()),
        };
        if text.trim().is_empty() {
            text = heading.clone().unwrap_or(article.title.clone());
        }
        items.push(KbHit {
            article_id: article.id,
            snippet: snippet(&text, &query.plain()),
            title: article.title,
            section: heading,
            score: (score * 1000.0).round() / 1000.0,
        });
    }
    Ok(items)
}
