//! Languages and time zones as people read and pick them: "suomi (Finnish)" instead of `fi`,
//! and pickers that offer only values the server accepts.

use crate::ui::Choice;
use crate::ui::i18n::{Locale, Tr};

/// The language's name in itself, as written inside a sentence.
fn native(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "English",
        Locale::Fi => "suomi",
        Locale::Pl => "polski",
        Locale::Lt => "lietuvių",
        Locale::Tl => "Tagalog",
    }
}

/// A language code as the reader should see it: the native name with the name in the
/// reader's language ("suomi (Finnish)"), the native name alone when the two are the same
/// language, and the code itself for a language tiski does not name.
pub fn label(tr: &Tr, code: &str) -> String {
    if code.trim().is_empty() {
        return String::new();
    }
    match Locale::parse(code) {
        Some(locale) if locale == tr.locale => native(locale).to_string(),
        Some(locale) => {
            let name = tr.t(&format!("language-name-{}", locale.code()));
            if name == native(locale) {
                name
            } else {
                format!("{} ({name})", native(locale))
            }
        }
        None => code.to_string(),
    }
}

/// The languages a customer or ticket may be given, as choices, with "none" first.
/// A stored language tiski does not translate into (set through the API) stays offered, so
/// saving the form does not drop it.
pub fn choices(tr: &Tr, current: Option<&str>) -> Vec<Choice> {
    let stored = current.map(str::trim).filter(|c| !c.is_empty());
    let locale = stored.and_then(Locale::parse);
    let mut all = vec![Choice::new("", tr.t("language-none"), stored.is_none())];
    if let (Some(code), None) = (stored, locale) {
        all.push(Choice::new(code, code, true));
    }
    all.extend(
        Locale::ALL
            .iter()
            .map(|l| Choice::new(l.code(), label(tr, l.code()), locale == Some(*l))),
    );
    all
}

/// Every time zone of the database jiff bundles, sorted, for a picker.
pub fn time_zones() -> Vec<String> {
    let mut zones: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.to_string())
        .filter(|name| name.contains('/') && !name.starts_with("Etc/"))
        .collect();
    zones.sort();
    zones.dedup();
    zones
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_show_by_name() {
        let en = Tr::new(Locale::En, jiff::tz::TimeZone::UTC);
        let fi = Tr::new(Locale::Fi, jiff::tz::TimeZone::UTC);
        assert_eq!(label(&en, "fi"), "suomi (Finnish)");
        assert_eq!(label(&fi, "fi"), "suomi");
        assert_eq!(label(&fi, "en"), "English (englanti)");
        assert_eq!(label(&en, "fil-PH"), "Tagalog");
        assert_eq!(label(&en, "de"), "de");
        assert_eq!(label(&en, ""), "");
        assert!(choices(&en, Some("pl"))[3].selected);
    }

    #[test]
    fn the_time_zone_picker_offers_what_the_server_accepts() {
        let zones = time_zones();
        assert!(
            zones.contains(&"Europe/Helsinki".to_string()),
            "{}",
            zones.len()
        );
        assert!(zones.len() > 300);
        for zone in zones {
            assert!(
                tiski_ticketing::rules::customer::time_zone("time_zone", Some(&zone)).is_ok(),
                "{zone}"
            );
        }
    }
}
