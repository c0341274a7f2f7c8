//! UI languages: Fluent catalogs embedded from `locales/*.ftl`, and numbers, dates and ages
//! written the way each language writes them.
//!
//! Every string a person reads in the workspace comes from these catalogs. English is the
//! reference; a test fails when another language lacks one of its keys or has one it lacks.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::sync::LazyLock;

/// A language the workspace is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// English.
    En,
    /// Finnish.
    Fi,
    /// Polish.
    Pl,
    /// Lithuanian.
    Lt,
    /// Tagalog.
    Tl,
}

/// The catalogs, in [`Locale::ALL`] order.
const SOURCES: [(&str, &str); 5] = [
    ("en", include_str!("../../locales/en.ftl")),
    ("fi", include_str!("../../locales/fi.ftl")),
    ("pl", include_str!("../../locales/pl.ftl")),
    ("lt", include_str!("../../locales/lt.ftl")),
    ("tl", include_str!("../../locales/tl.ftl")),
];

impl Locale {
    /// Every UI language.
    pub const ALL: [Locale; 5] = [Locale::En, Locale::Fi, Locale::Pl, Locale::Lt, Locale::Tl];

    /// The BCP 47 code.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fi => "fi",
            Locale::Pl => "pl",
            Locale::Lt => "lt",
            Locale::Tl => "tl",
        }
    }

    /// The language's name in itself, for the language menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fi => "Suomi",
            Locale::Pl => "Polski",
            Locale::Lt => "Lietuvių",
            Locale::Tl => "Tagalog",
        }
    }

    fn index(self) -> usize {
        Locale::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }

    /// The locale of a code such as `fi` or `fi-FI` (Filipino counts as Tagalog).
    pub fn parse(code: &str) -> Option<Locale> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "fi" => Some(Locale::Fi),
            "pl" => Some(Locale::Pl),
            "lt" => Some(Locale::Lt),
            "tl" | "fil" => Some(Locale::Tl),
            _ => None,
        }
    }

    /// The best locale for an `Accept-Language` header, English when none fits.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut choices: Vec<(f32, Locale)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let locale = Locale::parse(pieces.next()?)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q=")?.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((quality, locale))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0));
        choices.first().map(|c| c.1).unwrap_or(Locale::En)
    }

    /// Writes an integer with this language's digit grouping.
    pub fn number(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        // Polish groups only from five digits on (CLDR minimum grouping digits 2).
        let min_group = if self == Locale::Pl { 5 } else { 4 };
        let separator = match self {
            Locale::En | Locale::Tl => ",",
            Locale::Fi | Locale::Pl | Locale::Lt => "\u{a0}",
        };
        let mut out = String::new();
        if digits.len() >= min_group {
            let first = digits.len() % 3;
            for (index, ch) in digits.chars().enumerate() {
                if index > 0 && (index + 3 - first).is_multiple_of(3) {
                    out.push_str(separator);
                }
                out.push(ch);
            }
        } else {
            out = digits;
        }
        if n < 0 {
            out.insert(0, '-');
        }
        out
    }

    /// Writes a moment as a date and time in this language's style, in `zone`.
    pub fn date_time(self, micros: i64, zone: &TimeZone) -> String {
        let Ok(at) = Timestamp::from_microsecond(micros) else {
            return String::new();
        };
        let zoned = at.to_zoned_datetime(zone.clone());
        let (year, month, day) = (zoned.year(), zoned.month(), zoned.day());
        let (hour, minute) = (zoned.hour(), zoned.minute());
        match self {
            Locale::En => format!(
                "{day} {} {year}, {hour:02}:{minute:02}",
                EN_MONTHS[(month - 1) as usize]
            ),
            Locale::Fi => format!("{day}.{month}.{year} klo {hour}.{minute:02}"),
            Locale::Pl => format!("{day:02}.{month:02}.{year}, {hour:02}:{minute:02}"),
            Locale::Lt => format!("{year}-{month:02}-{day:02} {hour:02}:{minute:02}"),
            Locale::Tl => {
                let (h12, half) = match hour {
                    0 => (12, "AM"),
                    1..=11 => (hour, "AM"),
                    12 => (12, "PM"),
                    _ => (hour - 12, "PM"),
                };
                format!(
                    "{} {day}, {year}, {h12}:{minute:02} {half}",
                    TL_MONTHS[(month - 1) as usize]
                )
            }
        }
    }

    /// Writes a time of day in this language's style, in `zone`.
    pub fn time_of_day(self, micros: i64, zone: &TimeZone) -> String {
        let Ok(at) = Timestamp::from_microsecond(micros) else {
            return String::new();
        };
        let zoned = at.to_zoned_datetime(zone.clone());
        let (hour, minute) = (zoned.hour(), zoned.minute());
        match self {
            Locale::Fi => format!("{hour}.{minute:02}"),
            Locale::Tl => {
                let (h12, half) = match hour {
                    0 => (12, "AM"),
                    1..=11 => (hour, "AM"),
                    12 => (12, "PM"),
                    _ => (hour - 12, "PM"),
                };
                format!("{h12}:{minute:02} {half}")
            }
            _ => format!("{hour:02}:{minute:02}"),
        }
    }
}

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const TL_MONTHS: [&str; 12] = [
    "Ene", "Peb", "Mar", "Abr", "May", "Hun", "Hul", "Ago", "Set", "Okt", "Nob", "Dis",
];

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(code, source)| {
            let language: unic_langid::LanguageIdentifier = code.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![language]);
            bundle.set_use_isolating(false);
            let resource = match FluentResource::try_new(source.to_string()) {
                Ok(resource) => resource,
                Err((resource, errors)) => {
                    tracing::error!(code, ?errors, "a translation catalog has errors");
                    resource
                }
            };
            let _ = bundle.add_resource(resource);
            bundle
        })
        .collect()
});

/// Translates `key` in `locale` with `args`, falling back to English, then to the key itself.
pub fn translate(locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    for bundle in [&BUNDLES[locale.index()], &BUNDLES[0]] {
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned();
        }
    }
    key.to_string()
}

/// A translator bound to one reader: their language and time zone.
#[derive(Debug, Clone)]
pub struct Tr {
    /// The language.
    pub locale: Locale,
    /// The reader's time zone.
    pub zone: TimeZone,
}

impl Tr {
    /// A translator for `locale` in `zone`.
    pub fn new(locale: Locale, zone: TimeZone) -> Tr {
        Tr { locale, zone }
    }

    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        translate(self.locale, key, None)
    }

    /// The text of `key` with a number argument (plural forms follow the language).
    pub fn tn(&self, key: &str, name: &str, n: i64) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(n));
        args.set("shown", FluentValue::from(self.locale.number(n)));
        translate(self.locale, key, Some(&args))
    }

    /// The text of `key` with one text argument.
    pub fn ts(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        translate(self.locale, key, Some(&args))
    }

    /// The text of `key` with text arguments.
    pub fn targs(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set(*name, FluentValue::from(value.to_string()));
        }
        translate(self.locale, key, Some(&args))
    }

    /// A stored RFC 3339 time as a date and time in the reader's zone and language.
    pub fn date(&self, rfc3339: &str) -> String {
        rfc3339
            .parse::<Timestamp>()
            .map(|t| self.locale.date_time(t.as_microsecond(), &self.zone))
            .unwrap_or_default()
    }

    /// How long ago an RFC 3339 time was, shortly: `5 min`, `3 h`, `2 d`.
    pub fn ago(&self, rfc3339: &str) -> String {
        let Ok(at) = rfc3339.parse::<Timestamp>() else {
            return String::new();
        };
        let seconds = (Timestamp::now().as_second() - at.as_second()).max(0);
        match seconds {
            0..60 => self.t("age-now"),
            60..3600 => self.tn("age-minutes", "n", seconds / 60),
            3600..86_400 => self.tn("age-hours", "n", seconds / 3600),
            _ => self.tn("age-days", "n", seconds / 86_400),
        }
    }

    /// An integer in the reader's style.
    pub fn num(&self, n: i64) -> String {
        self.locale.number(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Key parity across the catalogs is a house rule (`crates/tidy`); here, each must parse.
    #[test]
    fn every_catalog_parses() {
        for (code, source) in SOURCES {
            if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
                panic!("{code}.ftl does not parse: {errors:?}");
            }
        }
    }

    #[test]
    fn translations_are_not_left_in_english() {
        // Keys whose text may rightly be the same in every language (names, symbols).
        let same_everywhere = [
            "age-minutes",
            "size-kib",
            "size-mib",
            "channel-api",
            "channel-edi",
        ];
        // A language's own word that happens to be the English one: Tagalog says "password".
        let loanwords = [("tl", "login-password"), ("tl", "settings-password")];
        let english = &SOURCES[0].1;
        let english_values: std::collections::HashMap<String, String> = english
            .lines()
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        for (code, source) in &SOURCES[1..] {
            let mut same = Vec::new();
            for (key, value) in source.lines().filter_map(|l| l.split_once(" = ")) {
                let key = key.trim();
                if same_everywhere.contains(&key)
                    || loanwords.contains(&(*code, key))
                    || value.trim().chars().count() < 8
                {
                    continue;
                }
                if english_values.get(key).is_some_and(|v| v == value.trim()) {
                    same.push(key.to_string());
                }
            }
            assert!(
                same.is_empty(),
                "{code}.ftl keeps English text for {same:?}"
            );
        }
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(Locale::En.number(1_234_567), "1,234,567");
        assert_eq!(Locale::Fi.number(1234), "1\u{a0}234");
        assert_eq!(Locale::Pl.number(1234), "1234");
        assert_eq!(Locale::Pl.number(12345), "12\u{a0}345");
        assert_eq!(Locale::En.number(-999), "-999");
        assert_eq!(Locale::Tl.number(100), "100");
        let micros = "2026-11-27T13:07:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .as_microsecond();
        let helsinki = TimeZone::get("Europe/Helsinki").unwrap();
        assert_eq!(
            Locale::Fi.date_time(micros, &helsinki),
            "27.11.2026 klo 15.07"
        );
        assert_eq!(
            Locale::En.date_time(micros, &TimeZone::UTC),
            "27 Nov 2026, 13:07"
        );
        assert_eq!(
            Locale::Pl.date_time(micros, &TimeZone::UTC),
            "27.11.2026, 13:07"
        );
        assert_eq!(
            Locale::Lt.date_time(micros, &TimeZone::UTC),
            "2026-11-27 13:07"
        );
        assert_eq!(
            Locale::Tl.date_time(micros, &TimeZone::UTC),
            "Nob 27, 2026, 1:07 PM"
        );
    }

    #[test]
    fn plurals_follow_the_language() {
        let pl = Tr::new(Locale::Pl, TimeZone::UTC);
        assert_ne!(pl.tn("age-minutes", "n", 2), pl.tn("age-minutes", "n", 5));
        let en = Tr::new(Locale::En, TimeZone::UTC);
        assert_eq!(en.tn("age-minutes", "n", 5), "5 min");
        // CLDR categories: Polish one/few/many, Lithuanian one/few/other (21 is "one").
        let pl_done = |n| pl.tn("bulk-done", "n", n);
        assert_eq!(pl_done(1), "Zmieniono jedno zgłoszenie.");
        assert_eq!(pl_done(3), "Zmieniono 3 zgłoszenia.");
        assert_eq!(pl_done(5), "Zmieniono 5 zgłoszeń.");
        assert_eq!(pl_done(12), "Zmieniono 12 zgłoszeń.");
        assert_eq!(pl_done(22), "Zmieniono 22 zgłoszenia.");
        let lt = Tr::new(Locale::Lt, TimeZone::UTC);
        let lt_done = |n| lt.tn("bulk-done", "n", n);
        assert_eq!(lt_done(1), "Pakeista 1 užklausa.");
        assert_eq!(lt_done(2), "Pakeistos 2 užklausos.");
        assert_eq!(lt_done(10), "Pakeista 10 užklausų.");
        assert_eq!(lt_done(21), "Pakeista 21 užklausa.");
        assert_eq!(lt.tn("age-days", "n", 15), "15 dienų");
        let fi = Tr::new(Locale::Fi, TimeZone::UTC);
        assert_eq!(fi.tn("bulk-done", "n", 2), "2 tikettiä muutettiin.");
    }

    #[test]
    fn accept_language() {
        assert_eq!(
            Locale::from_accept_language("fi-FI,fi;q=0.9,en;q=0.8"),
            Locale::Fi
        );
        assert_eq!(Locale::from_accept_language("de,pl;q=0.5"), Locale::Pl);
        assert_eq!(Locale::from_accept_language("fil-PH"), Locale::Tl);
        assert_eq!(Locale::from_accept_language(""), Locale::En);
    }
}
