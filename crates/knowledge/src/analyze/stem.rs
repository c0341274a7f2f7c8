//! Stemming per language: Snowball for English and Finnish (the crate `rust-stemmers`), the
//! strippers of `suffix` for Polish, Lithuanian and Tagalog, none for the neutral analysis.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};

use super::{Language, suffix};

/// The stem of a lower-case word in `language` (diacritics still on).
pub(super) fn stem(word: &str, language: Language) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    match language {
        Language::English => snowball(Algorithm::English, word).into_owned(),
        Language::Finnish => finnish_gradation(&finnish_s(&snowball(Algorithm::Finnish, word))),
        Language::Polish => suffix::polish(word),
        Language::Lithuanian => suffix::lithuanian(word),
        Language::Tagalog => suffix::tagalog(word),
        Language::Neutral => word.to_owned(),
    }
}

fn snowball(algorithm: Algorithm, word: &str) -> Cow<'_, str> {
    Stemmer::create(algorithm).stem(word)
}

fn is_finnish_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'ö')
}

/// The `-s`/`-ks-` alternation of Finnish (`palautus`/`palautuksen`, `tilaus`/`tilaukseni`),
/// which Snowball stems apart: a stem ending in `ks` loses the `k`, then one ending in a vowel
/// and `s` loses the `s` (`palautuks` → `palautus` → `palautu`).
fn finnish_s(stem: &str) -> String {
    let mut s = stem.to_owned();
    if s.ends_with("ks") && s.chars().count() >= 5 {
        s.replace_range(s.len() - 2..s.len() - 1, "");
    }
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n >= 5 && chars[n - 1] == 's' && is_finnish_vowel(chars[n - 2]) {
        s.pop();
    }
    s
}

/// Finnish consonant gradation, which Snowball leaves alone: the strong and the weak grade of
/// a stem's last consonants are written one way (`aik`/`aj` → `aj`, `tap`/`tav` → `tap`,
/// `kat`/`kad` → `kat`, also before a last vowel (`tava` → `tapa`), `ranta`/`rannat` → `rann`, `kk` → `k`), so `toimitusaika` and
/// `toimitusajat` meet. It may join two unrelated stems (`kelt`/`kell`); for search that
/// costs a little precision and wins the inflected forms.
fn finnish_gradation(stem: &str) -> String {
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    if n >= 4 && is_finnish_vowel(chars[n - 1]) && !is_finnish_vowel(chars[n - 2]) {
        let (body, vowel) = stem.split_at(stem.len() - chars[n - 1].len_utf8());
        return format!("{}{vowel}", finnish_gradation(body));
    }
    if n < 3 {
        return stem.to_owned();
    }
    let last = chars[n - 1];
    let before = chars[n - 2];
    let head: String = chars[..n - 2].iter().collect();
    let keep_before = |c: char| format!("{head}{before}{c}");
    match (before, last) {
        ('k', 'k') | ('p', 'p') | ('t', 't') => chars[..n - 1].iter().collect(),
        ('n', 't') => keep_before('n'),
        ('l', 't') => keep_before('l'),
        ('r', 't') => keep_before('r'),
        ('m', 'p') => keep_before('m'),
        ('n', 'k') => keep_before('g'),
        ('i', 'k') if n >= 3 && is_finnish_vowel(chars[n - 3]) => format!("{head}j"),
        (b, 'd') if is_finnish_vowel(b) => keep_before('t'),
        (b, 'v') if is_finnish_vowel(b) => keep_before('p'),
        _ => stem.to_owned(),
    }
}
