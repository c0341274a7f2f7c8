//! Stop words: the commonest function words of each language, dropped from documents and
//! (when every language calls a word one) from queries. Short lists on purpose: a word left in
//! costs a little index space, a content word dropped loses a match.

use super::Language;

const ENGLISH: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "of", "on", "or", "so", "that", "the", "their", "then", "there", "these", "they", "this", "to",
    "was", "were", "will", "with",
];
const FINNISH: &[&str] = &[
    "ja", "on", "ei", "se", "ne", "että", "oli", "ole", "olla", "kun", "tai", "myös", "mutta",
    "jos", "niin", "kuin", "nyt", "vain", "sen", "sitä", "tämä", "tämän", "tätä", "joka",
];
const POLISH: &[&str] = &[
    "i", "w", "z", "na", "do", "nie", "się", "to", "jest", "że", "o", "a", "od", "po", "za", "jak",
    "ale", "czy", "co", "ten", "ta", "tak", "już", "dla",
];
const LITHUANIAN: &[&str] = &[
    "ir", "o", "bet", "kad", "yra", "ne", "į", "iš", "su", "ar", "tai", "kaip", "jau", "dar",
    "apie", "nuo", "prie", "per", "už", "buvo", "jis", "ji",
];
const TAGALOG: &[&str] = &[
    "ang", "ng", "mga", "sa", "at", "na", "ay", "si", "ni", "kay", "po", "ko", "mo", "ito", "iyan",
    "iyon", "din", "rin", "lang", "pa", "ba", "nga",
];

/// Whether `word` (lower-case, diacritics on) is a stop word of `language`; the neutral
/// analysis has none.
pub(super) fn is_stop_word(word: &str, language: Language) -> bool {
    let list = match language {
        Language::English => ENGLISH,
        Language::Finnish => FINNISH,
        Language::Polish => POLISH,
        Language::Lithuanian => LITHUANIAN,
        Language::Tagalog => TAGALOG,
        Language::Neutral => return false,
    };
    list.contains(&word)
}
