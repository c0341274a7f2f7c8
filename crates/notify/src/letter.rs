//! The digest mail as words: subject, text and HTML in the agent's language, from this
//! crate's own Fluent catalogs (`locales/*.ftl`, en fi pl lt tl, with each language's
//! plurals). Pure: the worker hands it the lines and the address links start with.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;
use tiski_domain::NotificationKind;

/// The catalogs: English first (what a missing key falls back to).
const SOURCES: [(&str, &str); 5] = [
    ("en", include_str!("../locales/en.ftl")),
    ("fi", include_str!("../locales/fi.ftl")),
    ("pl", include_str!("../locales/pl.ftl")),
    ("lt", include_str!("../locales/lt.ftl")),
    ("tl", include_str!("../locales/tl.ftl")),
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
                    tracing::error!(code, ?errors, "a digest catalog has errors");
                    resource
                }
            };
            let _ = bundle.add_resource(resource);
            bundle
        })
        .collect()
});

/// The catalog for a language tag such as `fi` or `fi-FI` (Filipino reads Tagalog), English
/// for any other.
fn bundle_index(language: Option<&str>) -> usize {
    let primary = language
        .unwrap_or("en")
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let primary = if primary == "fil" { "tl" } else { &primary };
    SOURCES
        .iter()
        .position(|(code, _)| *code == primary)
        .unwrap_or(0)
}

fn translate(index: usize, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    for bundle in [&BUNDLES[index], &BUNDLES[0]] {
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned();
        }
    }
    key.to_string()
}

/// One notification of the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// Why it was made.
    pub kind: NotificationKind,
    /// Its ticket, if it has one.
    pub ticket_id: Option<i64>,
    /// The ticket's subject (empty when erased).
    pub subject: String,
}

/// The digest mail to one agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// Their address.
    pub to: String,
    /// Their display name.
    pub name: String,
    /// The subject.
    pub subject: String,
    /// The text part.
    pub text: String,
    /// The HTML part, every value in it escaped.
    pub html: String,
}

/// Text as HTML: the five characters that could start markup or end an attribute escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Writes the digest of `lines` to the agent `name` at `to` in `language`, with links under
/// `base` (such as `https://desk.example.com`).
pub(crate) fn write(
    language: Option<&str>,
    to: &str,
    name: &str,
    lines: &[Line],
    base: &str,
) -> Letter {
    let index = bundle_index(language);
    let mut counted = FluentArgs::new();
    counted.set("count", FluentValue::from(lines.len()));
    let mut named = FluentArgs::new();
    named.set("name", FluentValue::from(name.to_string()));
    let subject = translate(index, "digest-subject", Some(&counted));
    let greeting = translate(index, "digest-greeting", Some(&named));
    let intro = translate(index, "digest-intro", Some(&counted));
    let open = translate(index, "digest-open", None);
    let why = translate(index, "digest-why", None);
    let settings = format!("{base}/settings");
    let inbox = format!("{base}/inbox");

    let mut text = format!("{greeting}\n\n{intro}\n\n");
    let mut items = String::new();
    for line in lines {
        let kind = translate(
            index,
            &format!("digest-kind-{}", line.kind.as_str().replace('_', "-")),
            None,
        );
        // A subject is one line of customer text: no line breaks into the mail's layout.
        let subject: String = line
            .subject
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let title = match line.ticket_id {
            Some(id) => format!("#{id} {}", subject.trim()).trim_end().to_string(),
            None => subject.trim().to_string(),
        };
        match line.ticket_id {
            Some(id) => {
                let url = format!("{base}/tickets/{id}");
                text.push_str(&format!("- {kind}: {title}\n  {url}\n"));
                items.push_str(&format!(
                    "<li>{}: <a href=\"{}\">{}</a></li>\n",
                    escape(&kind),
                    escape(&url),
                    escape(&title)
                ));
            }
            None => {
                text.push_str(&format!("- {kind}: {title}\n"));
                items.push_str(&format!("<li>{}: {}</li>\n", escape(&kind), escape(&title)));
            }
        }
    }
    text.push_str(&format!("\n{open}: {inbox}\n\n-- \n{why}\n{settings}\n"));
    let html = format!(
        "<p>{}</p>\n<p>{}</p>\n<ul>\n{items}</ul>\n<p><a href=\"{}\">{}</a></p>\n<p style=\"color:#666;font-size:smaller\">{} <a href=\"{}\">{}</a></p>\n",
        escape(&greeting),
        escape(&intro),
        escape(&inbox),
        escape(&open),
        escape(&why),
        escape(&settings),
        escape(&settings),
    );
    Letter {
        to: to.to_string(),
        name: name.to_string(),
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|l| !l.starts_with([' ', '#', '}']) && l.contains(" ="))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
            .collect()
    }

    #[test]
    fn every_catalog_has_exactly_the_english_keys_and_parses() {
        let english = keys(SOURCES[0].1);
        assert!(english.contains("digest-kind-sla-at-risk"), "{english:?}");
        for kind in NotificationKind::ALL {
            let key = format!("digest-kind-{}", kind.as_str().replace('_', "-"));
            assert!(english.contains(&key), "en.ftl lacks {key}");
        }
        for (code, source) in SOURCES {
            assert_eq!(keys(source), english, "{code}.ftl");
            assert!(
                FluentResource::try_new(source.to_string()).is_ok(),
                "{code}.ftl"
            );
        }
    }

    fn lines(n: usize) -> Vec<Line> {
        (0..n)
            .map(|i| Line {
                kind: NotificationKind::Mentioned,
                ticket_id: Some(i as i64 + 1),
                subject: "Parcel <lost>\r\nBcc: x".into(),
            })
            .collect()
    }

    #[test]
    fn subjects_count_in_each_language_with_its_plurals() {
        let subject =
            |lang: &str, n: usize| write(Some(lang), "a@x", "A", &lines(n), "http://h").subject;
        assert_eq!(
            subject("en", 1),
            "tiski: 1 notification while you were away"
        );
        assert_eq!(
            subject("en", 3),
            "tiski: 3 notifications while you were away"
        );
        assert_eq!(
            subject("fi-FI", 3),
            "tiski: 3 uutta ilmoitusta poissaolosi aikana"
        );
        assert_eq!(
            subject("fi", 1),
            "tiski: 1 uusi ilmoitus poissaolosi aikana"
        );
        assert!(subject("pl", 3).contains("3 nowe powiadomienia"));
        assert!(subject("pl", 5).contains("5 nowych powiadomień"));
        assert!(subject("pl", 22).contains("22 nowe powiadomienia"));
        assert!(subject("lt", 21).contains("21 naujas pranešimas"));
        assert!(subject("lt", 3).contains("3 nauji pranešimai"));
        assert!(subject("lt", 12).contains("12 naujų pranešimų"));
        assert_eq!(subject("fil", 3), "tiski: 3 abiso habang wala ka");
        assert_eq!(subject("sv", 2), subject("en", 2));
    }

    #[test]
    fn lines_link_their_tickets_and_html_is_escaped() {
        let letter = write(
            Some("en"),
            "a@x",
            "Ann <b>",
            &lines(2),
            "https://desk.example",
        );
        assert!(
            letter.text.contains(
                "- You were mentioned: #2 Parcel <lost>  Bcc: x\n  https://desk.example/tickets/2\n"
            ),
            "{}",
            letter.text
        );
        assert!(letter.text.contains("https://desk.example/settings"));
        assert!(
            letter.html.contains(
                "<a href=\"https://desk.example/tickets/1\">#1 Parcel &lt;lost&gt;  Bcc: x</a>"
            ),
            "{}",
            letter.html
        );
        assert!(letter.html.contains("Hello Ann &lt;b&gt;,"));
        assert!(!letter.html.contains("<lost>"));
    }
}
