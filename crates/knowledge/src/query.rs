//! What a search asks, checked: the query's words with their phrases and prefixes, the
//! filters of the ticket hits and the order. Pure: the engines see only the analyser's terms,
//! which are letters and digits, so nothing a user types reaches an engine's query syntax;
//! `"…"` and a trailing `*` are read here and become a check in Rust (phrases) or a marker this
//! crate adds itself after cleaning (prefixes).

use tiski_domain::{Channel, LanguageTag, Status};
use tiski_kernel::{AppError, AppResult};
use tiski_ticketing::search::TicketNarrowing;

use crate::analyze::{QueryWord, fold, query_terms};

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most query words used (the rest are ignored).
pub const MAX_QUERY_WORDS: usize = 16;
/// Shortest prefix searched (a shorter `a*` is an ordinary word).
pub const MIN_PREFIX_CHARS: usize = 2;

/// One word of a parsed query: its alternative terms, whether it is a prefix, and the phrase
/// it belongs to (words of one phrase must follow each other in that order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word and its terms.
    pub word: QueryWord,
    /// A trailing `*`: any term starting with the folded word matches.
    pub prefix: bool,
    /// The phrase (`"…"`) it is part of, numbered from 0.
    pub phrase: Option<usize>,
}

impl Word {
    /// Whether a document term matches this word.
    pub fn matches(&self, term: &str) -> bool {
        if self.prefix {
            self.word.terms.iter().any(|t| term.starts_with(t.as_str()))
        } else {
            self.word.terms.contains(term)
        }
    }
}

/// A parsed query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Its words, in order.
    pub words: Vec<Word>,
}

impl Query {
    /// The words alone (for snippets).
    pub fn plain(&self) -> Vec<QueryWord> {
        self.words.iter().map(|w| w.word.clone()).collect()
    }

    /// Whether the query has a phrase.
    pub fn has_phrase(&self) -> bool {
        self.words.iter().any(|w| w.phrase.is_some())
    }

    /// Every phrase of the query holds in `terms` (a document's analysed terms, in order).
    pub fn phrases_hold(&self, terms: &str) -> bool {
        let terms: Vec<&str> = terms.split(' ').collect();
        let last = self.words.iter().filter_map(|w| w.phrase).max();
        (0..=last.unwrap_or(0)).all(|p| {
            let phrase: Vec<&Word> = self.words.iter().filter(|w| w.phrase == Some(p)).collect();
            phrase.is_empty()
                || terms.windows(phrase.len()).any(|window| {
                    window
                        .iter()
                        .zip(&phrase)
                        .all(|(term, word)| word.matches(term))
                })
        })
    }

    /// The groups the engine must match (every group; any term of one), a prefix term marked
    /// by a trailing `*` that [`crate::repo::match_expression`] turns into the engine's own.
    pub fn groups(&self) -> Vec<Vec<String>> {
        self.words
            .iter()
            .map(|w| {
                w.word
                    .terms
                    .iter()
                    .map(|t| if w.prefix { format!("{t}*") } else { t.clone() })
                    .collect()
            })
            .collect()
    }
}

/// Checks a query and gives its words (none when the text has no searchable word), analysed in
/// `preferred` when given, else in every language.
pub fn parse(q: &str, preferred: Option<crate::analyze::Language>) -> AppResult<Query> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid(
            "q",
            format!("A search is at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    let mut words: Vec<Word> = Vec::new();
    let mut phrases = 0;
    // Even pieces are outside quotes, odd ones inside (an unclosed quote runs to the end).
    for (i, piece) in q.split('"').enumerate() {
        let in_phrase = i % 2 == 1;
        let prefixes: Vec<String> = piece
            .split_whitespace()
            .filter(|token| token.ends_with('*'))
            .filter_map(|token| crate::analyze::words(token).pop())
            .filter(|w| w.chars().count() >= MIN_PREFIX_CHARS)
            .collect();
        let found = query_terms(piece, preferred);
        if found.is_empty() {
            continue;
        }
        let phrase = (in_phrase && found.len() > 1).then_some(phrases);
        phrases += usize::from(phrase.is_some());
        for mut word in found {
            let prefix = prefixes.contains(&word.word);
            if prefix {
                word.terms = [fold(&word.word)].into_iter().collect();
            }
            if phrase.is_none() && words.iter().any(|w| w.word.word == word.word) {
                continue;
            }
            words.push(Word {
                word,
                prefix,
                phrase,
            });
        }
    }
    words.truncate(MAX_QUERY_WORDS);
    Ok(Query { words })
}

/// How hits are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Most recently changed ticket (or article) first.
    Date,
}

/// The filters and order of a search as given (text from the query string).
#[derive(Clone, Debug, Default)]
pub struct RawFilters {
    /// Comma-separated statuses.
    pub status: Option<String>,
    /// A team.
    pub team_id: Option<i64>,
    /// A language tag.
    pub language: Option<String>,
    /// A channel.
    pub channel: Option<String>,
    /// RFC 3339: created at or after.
    pub created_from: Option<String>,
    /// RFC 3339: created before.
    pub created_before: Option<String>,
    /// `relevance` or `date`.
    pub sort: Option<String>,
}

/// The checked filters.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// What narrows the ticket hits.
    pub tickets: TicketNarrowing,
    /// Only articles of this language (its primary subtag).
    pub language: Option<String>,
    /// The order.
    pub sort: Sort,
    /// Whether a filter only tickets have is given (status, team, channel, dates): customers
    /// and articles are then left out of an answer of every kind.
    pub ticket_only: bool,
}

/// Checks the filters, naming the field at fault.
pub fn filters(raw: &RawFilters) -> AppResult<Filters> {
    let mut statuses = Vec::new();
    if let Some(text) = &raw.status {
        for s in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let status = Status::parse(s).map_err(|e| AppError::invalid("status", e.message))?;
            if !statuses.contains(&status) {
                statuses.push(status);
            }
        }
        if statuses.is_empty() {
            return Err(AppError::invalid("status", "Give at least one status."));
        }
    }
    let language = raw
        .language
        .as_deref()
        .map(|l| {
            LanguageTag::parse(l)
                .map(|t| t.as_str().split('-').next().unwrap_or_default().to_owned())
                .map_err(|e| AppError::invalid("language", e.message))
        })
        .transpose()?;
    let channel = raw
        .channel
        .as_deref()
        .map(|c| Channel::parse(c).map_err(|e| AppError::invalid("channel", e.message)))
        .transpose()?;
    let time = |field: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| tiski_kernel::time::parse(field, v))
            .transpose()
    };
    let created_from = time("created_from", &raw.created_from)?;
    let created_before = time("created_before", &raw.created_before)?;
    let sort = match raw.sort.as_deref() {
        None | Some("relevance") => Sort::Relevance,
        Some("date") => Sort::Date,
        Some(_) => return Err(AppError::invalid("sort", "Sort by relevance or date.")),
    };
    let ticket_only = !statuses.is_empty()
        || raw.team_id.is_some()
        || channel.is_some()
        || created_from.is_some()
        || created_before.is_some();
    Ok(Filters {
        tickets: TicketNarrowing {
            statuses,
            team_id: raw.team_id,
            language: language.clone(),
            channel,
            created_from,
            created_before,
        },
        language,
        sort,
        ticket_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_and_prefixes_are_read_here_and_never_reach_an_engine() {
        let q = parse("\"delivery time\" refun* \"", None).unwrap();
        assert_eq!(q.words.len(), 3);
        assert_eq!(q.words[0].phrase, Some(0));
        assert_eq!(q.words[1].phrase, Some(0));
        assert!(q.words[2].prefix);
        assert_eq!(q.groups()[2], vec!["refun*".to_owned()]);
        assert!(q.phrases_hold("late deliveri time here"));
        assert!(!q.phrases_hold("time deliveri"));
        let one = parse("\"refund\" a* *", None).unwrap();
        assert_eq!(one.words.len(), 2);
        assert!(one.words.iter().all(|w| !w.prefix && w.phrase.is_none()));
    }

    #[test]
    fn bad_filters_name_their_field() {
        let bad = |raw: RawFilters, field: &str| match filters(&raw) {
            Err(AppError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{other:?}"),
        };
        bad(
            RawFilters {
                status: Some("open,nope".into()),
                ..Default::default()
            },
            "status",
        );
        bad(
            RawFilters {
                status: Some(",".into()),
                ..Default::default()
            },
            "status",
        );
        bad(
            RawFilters {
                language: Some("'; DROP".into()),
                ..Default::default()
            },
            "language",
        );
        bad(
            RawFilters {
                channel: Some("pigeon".into()),
                ..Default::default()
            },
            "channel",
        );
        bad(
            RawFilters {
                created_from: Some("yesterday".into()),
                ..Default::default()
            },
            "created_from",
        );
        bad(
            RawFilters {
                sort: Some("best".into()),
                ..Default::default()
            },
            "sort",
        );
        let ok = filters(&RawFilters {
            language: Some("fi-FI".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.language.as_deref(), Some("fi"));
        assert!(!ok.ticket_only);
    }
}
