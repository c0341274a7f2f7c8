//! The analyser: text → the terms an index stores and a query looks up.
//!
//! One pipeline for documents and queries, so both sides meet on the same terms:
//!
//! 1. Unicode NFKC normalisation and lower-casing (full Unicode case mapping, so `İ`, `Σ` and
//!    `ß` behave), then splitting into words at every character that is neither a letter nor
//!    a digit (so FTS syntax such as `"`, `*`, `:` or `NEAR(` is never more than a separator).
//! 2. Stop words of the language are dropped (small lists of the commonest function words).
//! 3. The word is stemmed in its language: Snowball (rust-stemmers) for English and Finnish,
//!    with a small rule for Finnish consonant gradation on top (`aika`/`ajat`, `tapa`/`tavat`);
//!    documented suffix strippers for Lithuanian, Polish and Tagalog, which no crate covers.
//!    The neutral language does not stem.
//! 4. Diacritics are folded (`ä`→`a`, `ł`→`l`, `ė`→`e`, `ñ`→`n`), after stemming, since the
//!    stemmers need them; a query typed without them still meets the folded term.
//!
//! A query does not know its language well (a few words), so [`query_terms`] gives, for each
//! word, the set of its analyses in every language plus its neutral form: a document matches a
//! word when it holds any of them.

mod stem;
mod stop;
mod suffix;

use std::collections::BTreeSet;

use unicode_normalization::UnicodeNormalization;

/// Longest word kept, in characters; longer runs (hashes, base64) are cut to this.
pub const MAX_WORD_CHARS: usize = 40;

/// A language the analyser knows, or the neutral analysis for all others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// English (Snowball English, "Porter2").
    English,
    /// Finnish (Snowball Finnish and a consonant-gradation rule).
    Finnish,
    /// Polish (a suffix stripper of this crate).
    Polish,
    /// Lithuanian (a suffix stripper of this crate).
    Lithuanian,
    /// Tagalog (affix and reduplication stripper of this crate).
    Tagalog,
    /// Any other or unknown language: folded words, no stop words, no stemming.
    Neutral,
}

impl Language {
    /// Every language with its own analysis (the neutral one excluded).
    pub const STEMMED: [Language; 5] = [
        Language::English,
        Language::Finnish,
        Language::Polish,
        Language::Lithuanian,
        Language::Tagalog,
    ];

    /// The language of a BCP 47 tag as tickets store it (`fi`, `en-GB`, `pl-PL` …); neutral
    /// for none, an unknown tag or one the analyser has no rules for.
    pub fn from_tag(tag: Option<&str>) -> Language {
        let primary = tag
            .and_then(|t| t.split(['-', '_']).next())
            .map(str::to_ascii_lowercase);
        match primary.as_deref() {
            Some("en") => Language::English,
            Some("fi") => Language::Finnish,
            Some("pl") => Language::Polish,
            Some("lt") => Language::Lithuanian,
            Some("tl" | "fil") => Language::Tagalog,
            _ => Language::Neutral,
        }
    }

    /// The short tag of the language (`und` for the neutral analysis).
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Finnish => "fi",
            Language::Polish => "pl",
            Language::Lithuanian => "lt",
            Language::Tagalog => "tl",
            Language::Neutral => "und",
        }
    }
}

/// The words of `text`: NFKC-normalised, lower-cased, split at everything that is neither a
/// letter, a digit nor a combining mark, each cut to [`MAX_WORD_CHARS`] characters.
pub fn words(text: &str) -> Vec<String> {
    let normal: String = text.nfkc().flat_map(char::to_lowercase).collect();
    normal
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(MAX_WORD_CHARS).collect())
        .collect()
}

pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// Folds diacritics and the letters NFKD does not decompose (`ł`, `ø`, `đ`, `ß`, `æ`, `œ`,
/// `ı`), leaving a lower-case word of base letters and digits.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ł' => out.push('l'),
            'ø' => out.push('o'),
            'đ' | 'ð' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ı' => out.push('i'),
            'þ' => out.push_str("th"),
            _ => out.push(c),
        }
    }
    out
}

/// The term of one (already lower-cased) word in `language`, or `None` for a stop word.
pub fn term(word: &str, language: Language) -> Option<String> {
    if stop::is_stop_word(word, language) {
        return None;
    }
    let stemmed = stem::stem(word, language);
    let folded = fold(&stemmed);
    (!folded.is_empty()).then_some(folded)
}

/// The terms of a document in `language`, in order, stop words left out.
pub fn analyse(text: &str, language: Language) -> Vec<String> {
    words(text)
        .iter()
        .filter_map(|w| term(w, language))
        .collect()
}

/// The distinct words of a document as written, folded and unstemmed, space-separated: the
/// vocabulary a misspelt query word is compared with.
pub fn surface(text: &str) -> String {
    let mut seen = BTreeSet::new();
    words(text)
        .iter()
        .map(|w| fold(w))
        .filter(|w| w.chars().count() >= 3 && seen.insert(w.clone()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One word of a query and the terms any of which a document must hold to match it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryWord {
    /// The word as typed, normalised and lower-cased (for highlighting).
    pub word: String,
    /// Its analyses: in `preferred` first when given, else in every language, and always the
    /// neutral (folded, unstemmed) form.
    pub terms: BTreeSet<String>,
}

/// The words of a query with their alternative terms. A word any of the languages calls a stop
/// word is dropped (documents dropped it in theirs, and every query word must match); a query
/// made only of stop words keeps them (searching "the" is odd but not an error).
/// `preferred` narrows the analysis to one language (a knowledge-base search in `fi`).
pub fn query_terms(query: &str, preferred: Option<Language>) -> Vec<QueryWord> {
    let languages: Vec<Language> = match preferred {
        Some(l) => vec![l],
        None => Language::STEMMED.to_vec(),
    };
    let all = words(query);
    let content: Vec<&String> = all
        .iter()
        .filter(|w| !languages.iter().any(|l| stop::is_stop_word(w, *l)))
        .collect();
    let chosen: Vec<&String> = if content.is_empty() {
        all.iter().collect()
    } else {
        content
    };
    let mut out: Vec<QueryWord> = Vec::new();
    for w in chosen {
        if out.iter().any(|q| &q.word == w) {
            continue;
        }
        let mut terms = BTreeSet::new();
        terms.insert(fold(w));
        for l in &languages {
            let stemmed = fold(&stem::stem(w, *l));
            if !stemmed.is_empty() {
                terms.insert(stemmed);
            }
        }
        out.push(QueryWord {
            word: w.clone(),
            terms,
        });
    }
    out
}

#[cfg(test)]
mod tests;
