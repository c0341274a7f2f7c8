//! The glossaries of the UI languages (`crates/web/locales/glossary/<code>.md`) as rules over
//! the catalogs, so that the word a translator chose stays the word every string uses.
//!
//! A glossary is Markdown for people, with three sections a test can read:
//! - `## Terms`: a table whose first column is the English term (checked to cover the core
//!   helpdesk vocabulary).
//! - `## Do not use`: lines ``- `pattern` — why`` or ``- `pattern` in `key-glob` — why``. A
//!   pattern is one or more words matched against whole words of a value, case-insensitively; a
//!   word ending in `*` matches every word it begins (Finnish and the Baltic and Slavic languages
//!   inflect); a pattern starting with `~` matches text anywhere (`~(a)` for gender hedges).
//!   A key glob is a key, or a key prefix ending in `*`.
//! - `## Fixed strings`: lines ``- `key` = text``: the catalog's value of `key` must be `text`,
//!   for terms that must read the same wherever they show (a status and the view of it).

/// One "do not use" rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ban {
    /// The pattern as written in the glossary.
    pub pattern: String,
    /// The keys it applies to (`None`: all); a trailing `*` makes it a prefix.
    pub keys: Option<String>,
    /// Why the words are wrong, for the failure message.
    pub reason: String,
}

/// A glossary's machine-readable parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    /// The English terms of the `## Terms` table, lowercased.
    pub terms: Vec<String>,
    /// Words the catalog must not use.
    pub bans: Vec<Ban>,
    /// Keys whose value is fixed: `(key, text)`.
    pub fixed: Vec<(String, String)>,
}

/// The lines of the section under `## <title>`, up to the next `## ` heading.
fn section<'a>(markdown: &'a str, title: &str) -> Vec<&'a str> {
    let mut lines = markdown.lines();
    let heading = format!("## {title}");
    if !lines.any(|l| l.trim_end() == heading) {
        return Vec::new();
    }
    lines.take_while(|l| !l.starts_with("## ")).collect()
}

/// The first text between backticks in `text`, and what follows it.
fn backticked(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('`')?;
    let end = rest.find('`')?;
    Some((&rest[..end], &rest[end + 1..]))
}

/// Reads a glossary; an error names the line that is not in the expected shape.
pub fn parse(markdown: &str) -> Result<Glossary, String> {
    let mut glossary = Glossary::default();
    for line in section(markdown, "Terms") {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() > 2 && cells[0].is_empty() && !cells[1].is_empty() {
            let term = cells[1].trim_matches('*').to_lowercase();
            if term != "english" && !term.starts_with("---") {
                glossary.terms.push(term);
            }
        }
    }
    for line in section(markdown, "Do not use") {
        let Some(item) = line.strip_prefix("- ") else {
            continue;
        };
        let (pattern, rest) = backticked(item).ok_or(format!("no `pattern` in: {line}"))?;
        let (keys, rest) = match rest.strip_prefix(" in ") {
            Some(rest) => {
                let (keys, rest) = backticked(rest).ok_or(format!("no `key` after in: {line}"))?;
                (Some(keys.to_string()), rest)
            }
            None => (None, rest),
        };
        let reason = rest.trim_start_matches([' ', '—', '-', ':']).trim();
        if reason.is_empty() || pattern.trim().is_empty() {
            return Err(format!("a rule needs a pattern and a reason: {line}"));
        }
        glossary.bans.push(Ban {
            pattern: pattern.to_lowercase(),
            keys,
            reason: reason.to_string(),
        });
    }
    for line in section(markdown, "Fixed strings") {
        let Some(item) = line.strip_prefix("- ") else {
            continue;
        };
        let (key, rest) = backticked(item).ok_or(format!("no `key` in: {line}"))?;
        let text = rest
            .strip_prefix(" = ")
            .ok_or(format!("no ` = text` in: {line}"))?;
        glossary
            .fixed
            .push((key.to_string(), text.trim().to_string()));
    }
    Ok(glossary)
}

/// Every message of a Fluent catalog: `(key, line number, raw value, value as read)`. The value as
/// read joins continuation lines and drops placeables (`{ $n }`), selector syntax and variant
/// names, so only words a person reads remain.
pub fn messages(source: &str) -> Vec<(String, usize, String, String)> {
    let mut out: Vec<(String, usize, String, String)> = Vec::new();
    for (index, line) in source.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let continued = line.starts_with([' ', '\t', '}', '[', '*']);
        if !continued && let Some((key, value)) = line.split_once(" = ") {
            out.push((
                key.trim().to_string(),
                index + 1,
                value.trim().to_string(),
                readable(value),
            ));
        } else if continued && let Some(last) = out.last_mut() {
            let text = readable(line.trim_start().trim_start_matches('*'));
            last.3.push(' ');
            last.3.push_str(&text);
        }
    }
    out
}

/// `text` without placeables and variant names.
fn readable(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_variant = false;
    for (index, ch) in text.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '[' if depth == 0 && out.trim().is_empty() && index < 3 => in_variant = true,
            ']' if in_variant => in_variant = false,
            _ if depth == 0 && !in_variant => out.push(ch),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The lowercased words of `text`: letters, digits, apostrophes and inner hyphens.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(['-', '\'', '’']).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `ban` applies to `key`.
fn applies_to(ban: &Ban, key: &str) -> bool {
    match &ban.keys {
        None => true,
        Some(glob) => match glob.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => key == glob,
        },
    }
}

/// Whether `pattern` occurs in `text` (see the module documentation for the pattern syntax).
pub fn matches(pattern: &str, text: &str) -> bool {
    if let Some(raw) = pattern.strip_prefix('~') {
        return text.to_lowercase().contains(&raw.to_lowercase());
    }
    let wanted = words(pattern);
    let starred: Vec<bool> = pattern
        .split_whitespace()
        .map(|w| w.ends_with('*'))
        .collect();
    if wanted.is_empty() || wanted.len() != starred.len() {
        return false;
    }
    let have = words(text);
    have.windows(wanted.len()).any(|window| {
        window
            .iter()
            .zip(&wanted)
            .zip(&starred)
            .all(|((got, want), star)| {
                if *star {
                    got.starts_with(want.as_str())
                } else {
                    got == want
                }
            })
    })
}

/// What in `catalog` (named `name`) breaks `glossary`, one line per breach.
pub fn breaches(glossary: &Glossary, name: &str, catalog: &str) -> Vec<String> {
    let messages = messages(catalog);
    let mut found = Vec::new();
    for (key, line, _, text) in &messages {
        for ban in glossary.bans.iter().filter(|b| applies_to(b, key)) {
            if matches(&ban.pattern, text) {
                found.push(format!(
                    "{name}:{line} {key} uses `{}`: {}",
                    ban.pattern, ban.reason
                ));
            }
        }
    }
    for (key, text) in &glossary.fixed {
        match messages.iter().find(|m| &m.0 == key) {
            None => found.push(format!("{name} lacks {key}, which the glossary fixes")),
            Some((_, line, value, _)) if value != text => found.push(format!(
                "{name}:{line} {key} is \"{value}\"; the glossary fixes it as \"{text}\""
            )),
            Some(_) => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLOSSARY: &str = "# G\n\n## Terms\n\n| English | Chosen |\n|---|---|\n| ticket | tiketti |\n| **on hold** | pidossa |\n\n## Do not use\n\n- `vastuutto*` — reads as irresponsible\n- `peru` in `token-*` — means cancel\n- `anna vastuu` — stilted\n- `~(a)` — gender hedge\n\n## Fixed strings\n\n- `status-pending` = Odottaa asiakasta\n\n## Notes\n- `x` — not a rule\n";

    #[test]
    fn a_glossary_is_read() {
        let g = parse(GLOSSARY).unwrap();
        assert_eq!(g.terms, vec!["ticket", "on hold"]);
        assert_eq!(g.bans.len(), 4);
        assert_eq!(g.bans[1].keys.as_deref(), Some("token-*"));
        assert_eq!(g.bans[1].reason, "means cancel");
        assert_eq!(
            g.fixed,
            vec![("status-pending".into(), "Odottaa asiakasta".into())]
        );
        assert!(
            parse("## Do not use\n- `x`\n").is_err(),
            "a rule without a reason"
        );
    }

    #[test]
    fn words_match_whole_or_by_prefix_and_never_inside_placeables() {
        assert!(matches("vastuutto*", "Vastuuttomat tiimeissäni"));
        assert!(!matches("vastuutto*", "Ei vastuuhenkilöä"));
        assert!(!matches("vastuutto*", "Vastuut jaettiin"));
        assert!(matches("peru", "Peru"));
        assert!(!matches("peru", "Peruuta"));
        assert!(matches("anna vastuu", "Anna vastuu nyt"));
        assert!(!matches("anna vastuu", "Anna vastuuhenkilö"));
        assert!(matches("~(a)", "otworzył(a) zgłoszenie"));
        assert!(matches("naka-hold", "Naka-hold"));
        let catalog = "# c\nbulk-done = { $n ->\n    [one] Yksi { $vastuuton } tiketti.\n   *[other] { $shown } tikettiä.\n}\ntoken-revoke = Peru\nmailbox-cancel = Peru\n";
        let read = messages(catalog);
        assert_eq!(words(&read[0].3), vec!["yksi", "tiketti", "tikettiä"]);
        let g = parse(GLOSSARY).unwrap();
        let found = breaches(&g, "fi.ftl", catalog);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("fi.ftl:6 token-revoke uses `peru`"));
        assert!(found[1].contains("lacks status-pending"));
    }
}
