//! Language detection of customer text: one rule for every way a ticket starts (inbound mail,
//! the API, the workspace) and for the search index.
//!
//! whatlang (trigram profiles, already in the workspace) over the languages tiski claims
//! ([`CLAIMED`]: 25 European and 13 Asian ones) plus a few close neighbours it does not claim
//! (Serbian, Macedonian, Belarusian, Catalan, Afrikaans, Latin, Esperanto), which answer
//! unknown instead of lending their text to a claimed neighbour. Short text (fewer than three
//! words, or fewer than eight letters of a script written without spaces) and text whatlang is
//! not confident about (below [`MIN_CONFIDENCE`]) answer unknown (`None`): a ticket then has no
//! language, its templates are the desk's default language and its search analysis neutral.
//! Why whatlang and not lingua, and the accuracy per language: BENCHMARKS.md.

use whatlang::Lang;

/// Whatlang's confidence below which the answer is unknown (measured: at 0.4 about 0.7 % of
/// the claimed languages' test sentences get a wrong language, 10.7 % none).
pub const MIN_CONFIDENCE: f64 = 0.4;

/// Every language detection may answer, as the tag it answers, with whatlang's language.
pub const CLAIMED: [(&str, Lang); 38] = [
    ("en", Lang::Eng),
    ("de", Lang::Deu),
    ("fr", Lang::Fra),
    ("es", Lang::Spa),
    ("it", Lang::Ita),
    ("pt", Lang::Por),
    ("nl", Lang::Nld),
    ("pl", Lang::Pol),
    ("ru", Lang::Rus),
    ("uk", Lang::Ukr),
    ("sv", Lang::Swe),
    ("da", Lang::Dan),
    ("nb", Lang::Nob),
    ("fi", Lang::Fin),
    ("et", Lang::Est),
    ("lv", Lang::Lav),
    ("lt", Lang::Lit),
    ("cs", Lang::Ces),
    ("sk", Lang::Slk),
    ("hu", Lang::Hun),
    ("ro", Lang::Ron),
    ("bg", Lang::Bul),
    ("el", Lang::Ell),
    ("hr", Lang::Hrv),
    ("sl", Lang::Slv),
    ("zh", Lang::Cmn),
    ("ja", Lang::Jpn),
    ("ko", Lang::Kor),
    ("hi", Lang::Hin),
    ("vi", Lang::Vie),
    ("th", Lang::Tha),
    ("id", Lang::Ind),
    ("tl", Lang::Tgl),
    ("tr", Lang::Tur),
    ("ar", Lang::Ara),
    ("fa", Lang::Pes),
    ("he", Lang::Heb),
    ("bn", Lang::Ben),
];

/// Languages detected only so that their text answers unknown rather than a claimed neighbour.
const DECOYS: [Lang; 7] = [
    Lang::Srp,
    Lang::Mkd,
    Lang::Bel,
    Lang::Cat,
    Lang::Afr,
    Lang::Lat,
    Lang::Epo,
];

/// Letters of scripts written without spaces between words (CJK, kana, Thai).
fn unspaced_letters(text: &str) -> usize {
    text.chars()
        .filter(|c| {
            c.is_alphabetic() && (('\u{0E00}'..='\u{0E7F}').contains(c) || *c >= '\u{2E80}')
        })
        .count()
}

/// The language of `text` as a tag of [`CLAIMED`], when it is clear enough; `None` (unknown)
/// for short, ambiguous or unclaimed-language text.
pub fn detect(text: &str) -> Option<&'static str> {
    let sample: String = text.chars().take(2000).collect();
    if sample.split_whitespace().count() < 3 && unspaced_letters(&sample) < 8 {
        return None;
    }
    let mut allow: Vec<Lang> = CLAIMED.iter().map(|(_, l)| *l).collect();
    allow.extend(DECOYS);
    let info = whatlang::Detector::with_allowlist(allow).detect(&sample)?;
    if info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    CLAIMED
        .iter()
        .find(|(_, l)| *l == info.lang())
        .map(|(tag, _)| *tag)
}

#[cfg(test)]
mod tests;
