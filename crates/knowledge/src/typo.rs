//! Typo tolerance: a query word of five letters or more whose terms no document holds is
//! widened with the vocabulary's terms within a bounded edit distance (1 for words of five to
//! seven letters, 2 for eight or more; a swap of two neighbours counts as one). Candidates come
//! from the deletion neighbourhood of the vocabulary's terms and words as written (symmetric deletion: a term and a misspelling within
//! distance *k* share a form with at most *k* letters left out of each), checked here with
//! the distance itself, so both engines answer the same.

use tiski_kernel::{AppResult, Conn};

use crate::analyze::query_terms;
use crate::query::Query;
use crate::repo::vocab;

/// Shortest word whose typos are forgiven, in letters.
pub const MIN_TYPO_CHARS: usize = 5;
/// Most vocabulary terms one misspelt word is widened with.
const MAX_NEIGHBOURS: usize = 8;

/// The edit distance allowed for a word of `chars` letters.
pub fn bound(chars: usize) -> usize {
    match chars {
        0..MIN_TYPO_CHARS => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// Every form of `term` with 1 to `k` letters left out (the term itself not included).
pub fn deletions(term: &str, k: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut layer = vec![term.chars().collect::<Vec<char>>()];
    for _ in 0..k {
        let mut next = Vec::new();
        for chars in &layer {
            for i in 0..chars.len() {
                let mut shorter = chars.clone();
                shorter.remove(i);
                let text: String = shorter.iter().collect();
                if !shorter.is_empty() && !out.contains(&text) {
                    out.push(text);
                    next.push(shorter);
                }
            }
        }
        layer = next;
    }
    out
}

/// The optimal-string-alignment distance of `a` and `b` (insertions, deletions,
/// substitutions, and swaps of neighbours, each 1).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Widens every misspelt word of `query` (five letters or more, not a prefix, none of its
/// terms in the vocabulary) with the vocabulary's terms near its terms.
pub(crate) fn widen(conn: &mut dyn Conn, query: &mut Query) -> AppResult<()> {
    for word in &mut query.words {
        let k = bound(word.word.word.chars().count());
        if k == 0 || word.prefix {
            continue;
        }
        let terms: Vec<String> = word.word.terms.iter().cloned().collect();
        if !vocab::known(conn, &terms)?.is_empty() {
            continue;
        }
        let mut near: Vec<(usize, i64, String)> = Vec::new();
        for term in &terms {
            let mut forms = deletions(term, k);
            forms.push(term.clone());
            for (candidate, docs) in vocab::candidates(conn, &forms)? {
                let d = distance(term, &candidate);
                if d <= k && !near.iter().any(|(_, _, t)| *t == candidate) {
                    near.push((d, -docs, candidate));
                }
            }
        }
        near.sort();
        // A neighbour may be a word as written: its analyses are what documents hold.
        for (_, _, neighbour) in near.into_iter().take(MAX_NEIGHBOURS) {
            for analysed in query_terms(&neighbour, None) {
                word.word.terms.extend(analysed.terms);
            }
            word.word.terms.insert(neighbour);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_deletions_and_distance() {
        assert_eq!((bound(4), bound(5), bound(7), bound(8)), (0, 1, 1, 2));
        assert_eq!(deletions("abc", 1), vec!["bc", "ac", "ab"]);
        assert!(deletions("abcd", 2).contains(&"ad".to_owned()));
        assert_eq!(distance("refund", "refnud"), 1);
        assert_eq!(distance("delivery", "delivary"), 1);
        assert_eq!(distance("toimitus", "toimtis"), 2);
        assert_eq!(distance("kettle", "kettle"), 0);
        assert_eq!(distance("", "abc"), 3);
    }
}
