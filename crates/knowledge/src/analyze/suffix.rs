//! Suffix strippers for the languages no stemming crate covers (rust-stemmers has Snowball
//! English and Finnish but no Polish, Lithuanian or Tagalog). Each strips the longest ending
//! of its list that leaves a stem of at least `MIN_STEM` letters, once; they are light
//! stemmers in the manner of the published ones for these languages (Weiss's for Polish,
//! the Lucene Lithuanian and light Tagalog ones), not morphological analysers: enough for the
//! forms of one word to meet, knowingly joining a few unrelated words.

/// Fewest letters a stripped stem keeps.
const MIN_STEM: usize = 3;

fn strip_longest(word: &str, endings: &[&str]) -> String {
    let letters = word.chars().count();
    let mut best: Option<&str> = None;
    for ending in endings {
        let len = ending.chars().count();
        if letters >= len + MIN_STEM
            && word.ends_with(ending)
            && best.is_none_or(|b| b.chars().count() < len)
        {
            best = Some(ending);
        }
    }
    match best {
        Some(ending) => word[..word.len() - ending.len()].to_owned(),
        None => word.to_owned(),
    }
}

/// Polish endings: nominalisations (`-enie`, `-anie` and their cases), the noun and
/// adjective cases, the infinitive and common verb forms.
const POLISH: &[&str] = &[
    "ieniami", "ieniach", "ieniom", "ieniem", "ienia", "ienie", "ieniu", "ień", "aniami", "aniach",
    "aniem", "ania", "anie", "aniu", "ań", "ościami", "ościach", "ością", "ości", "ość", "owania",
    "owanie", "owaniu", "ować", "ami", "ach", "om", "ów", "owi", "owie", "ego", "emu", "ymi",
    "imi", "ych", "ich", "iem", "em", "ej", "ie", "ia", "iu", "ią", "ię", "ić", "ać", "eć", "yć",
    "uje", "ują", "ujesz", "ujemy", "ował", "owała", "owali", "ał", "ała", "ali", "ił", "iła",
    "ili", "ą", "ę", "a", "e", "i", "o", "u", "y",
];

/// The stem of a Polish word.
pub(super) fn polish(word: &str) -> String {
    strip_longest(word, POLISH)
}

/// Lithuanian endings: verbal nouns (`-imas`, `-ymas`, `-avimas` and their cases), the
/// noun and adjective cases of the five declensions, the infinitive and present and past
/// verb forms.
const LITHUANIAN: &[&str] = &[
    "avimas", "avimo", "avimui", "avimą", "avimu", "avime", "imas", "imo", "imui", "imą", "imu",
    "ime", "imai", "imų", "imams", "imus", "imais", "imuose", "ymas", "ymo", "ymui", "ymą", "ymu",
    "yme", "iausias", "iausia", "esnis", "esnė", "iuose", "uose", "ose", "ėse", "yse", "iams",
    "ams", "oms", "ėms", "ims", "iais", "ais", "omis", "ėmis", "imis", "umis", "ėje", "oje", "yje",
    "uje", "iui", "ui", "iai", "ai", "ei", "ių", "ius", "ias", "ies", "ys", "as", "is", "us", "ės",
    "os", "tis", "ti", "ame", "ate", "ome", "ote", "ėjo", "ojo", "avo", "iu", "au", "ą", "ę", "į",
    "ų", "ė", "a", "e", "i", "o", "u", "y",
];

/// The stem of a Lithuanian word.
pub(super) fn lithuanian(word: &str) -> String {
    strip_longest(word, LITHUANIAN)
}

const TAGALOG_PREFIXES: &[&str] = &[
    "ipinag", "pinag", "ipag", "nakipag", "makipag", "pakiki", "paki", "naka", "maka", "nag",
    "mag", "pag", "ipa", "nai", "mai", "ika", "ka", "ma", "na", "pa", "i",
];
const TAGALOG_SUFFIXES: &[&str] = &["han", "hin", "an", "in"];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// The root of a Tagalog word: a prefix (`mag-`, `nag-`, `pag-`, `ka-` …), then the infix
/// `-um-` or `-in-` after a first consonant, then a reduplicated first syllable (`bibili`),
/// and a suffix (`-an`, `-in`, `-han`, `-hin`) are removed, each while the root keeps at
/// least four letters, so `bumili`, `binili`, `bibili`, `pagbili` and `bilihin` all give
/// `bili`.
pub(super) fn tagalog(word: &str) -> String {
    let mut w: Vec<char> = word.chars().collect();
    let min = MIN_STEM + 1;
    if let Some(prefix) = TAGALOG_PREFIXES
        .iter()
        .map(|p| p.chars().collect::<Vec<_>>())
        .find(|p| w.len() >= p.len() + min && w.starts_with(p))
    {
        w.drain(..prefix.len());
        if w.first() == Some(&'-') {
            w.remove(0);
        }
    }
    if w.len() >= 2 + min
        && !is_vowel(w[0])
        && ((w[1] == 'u' && w[2] == 'm') || (w[1] == 'i' && w[2] == 'n'))
        && w.get(3).is_some_and(|c| is_vowel(*c))
    {
        w.drain(1..3);
    }
    if w.len() >= 2 + min && !is_vowel(w[0]) && is_vowel(w[1]) && w[2] == w[0] && w[3] == w[1] {
        w.drain(..2);
    }
    let root: String = w.iter().collect();
    if let Some(s) = TAGALOG_SUFFIXES
        .iter()
        .find(|s| root.ends_with(*s) && root.chars().count() >= s.chars().count() + min)
    {
        return root[..root.len() - s.len()].to_owned();
    }
    root
}
