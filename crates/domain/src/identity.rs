//! Identities and small values that arrive from outside: email addresses, phone numbers,
//! language tags, tags and time zone names. Each is normalised by its `parse`.

use crate::ParseError;
use serde::{Deserialize, Serialize};

/// Defines a string newtype with `as_str`, `Display`, `into_string` and serde as a plain string.
macro_rules! string_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The normalised text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The normalised text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_newtype! {
    /// An email address, trimmed and lower-cased, with one `@`, a local part and a dotted domain.
    EmailAddress
}

impl EmailAddress {
    /// Parses and normalises an address such as ` Maija.Virtanen@Example.FI `.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let value = input.trim().to_lowercase();
        let invalid = || ParseError::new(format!("{input:?} is not a valid email address."));
        if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.is_empty()
            && domain.contains('.')
            && !domain.contains('@')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && !local.chars().any(|c| {
                matches!(
                    c,
                    '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '"' | '\\'
                )
            });
        if domain_ok && local_ok {
            Ok(Self(value))
        } else {
            Err(invalid())
        }
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or("", |(local, _)| local)
    }
}

string_newtype! {
    /// A phone number in E.164 form: `+` and 8 to 15 digits, the first not zero.
    PhoneE164
}

impl PhoneE164 {
    /// Parses an international number, ignoring spaces, dots, dashes and parentheses; a
    /// leading `00` counts as `+`. National numbers without a country code are refused,
    /// since they cannot be matched across countries.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let trimmed = input.trim();
        let invalid = || {
            ParseError::new(format!(
                "{input:?} is not a valid international phone number; write it as +<country code><number>, for example +358401234567."
            ))
        };
        let rest = if let Some(rest) = trimmed.strip_prefix('+') {
            rest
        } else if let Some(rest) = trimmed.strip_prefix("00") {
            rest
        } else {
            return Err(invalid());
        };
        let mut digits = String::with_capacity(16);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
                _ => return Err(invalid()),
            }
        }
        if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(invalid());
        }
        Ok(Self(format!("+{digits}")))
    }
}

string_newtype! {
    /// A BCP 47 language tag such as `fi`, `pl`, `en-GB` or `fil`: the language lower-case,
    /// a region upper-case.
    LanguageTag
}

impl LanguageTag {
    /// Parses and normalises a tag (`EN_gb` becomes `en-GB`).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let invalid = || {
            ParseError::new(format!(
                "{input:?} is not a valid language tag; use a code such as en, fi, pl, lt, tl or en-GB."
            ))
        };
        let mut parts = input.trim().split(['-', '_']);
        let language = parts.next().unwrap_or_default();
        if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic())
        {
            return Err(invalid());
        }
        let mut tag = language.to_ascii_lowercase();
        for part in parts {
            let ok =
                (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric());
            if !ok {
                return Err(invalid());
            }
            tag.push('-');
            if part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()) {
                tag.push_str(&part.to_ascii_uppercase());
            } else if part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic()) {
                let mut script = part.to_ascii_lowercase();
                script[..1].make_ascii_uppercase();
                tag.push_str(&script);
            } else {
                tag.push_str(&part.to_ascii_lowercase());
            }
        }
        Ok(Self(tag))
    }

    /// The primary language subtag (`fi` of `fi-FI`).
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

string_newtype! {
    /// A ticket tag: lower-case letters, digits, `-`, `_`, `:` or `.`, 1 to 64 characters.
    Tag
}

impl Tag {
    /// The most tags a ticket (or a macro's tag list) carries: the one tag limit.
    pub const MAX_PER_TICKET: usize = 50;

    /// The longest tag, in characters.
    pub const MAX_CHARS: usize = 64;

    /// Splits what a person typed into tags, the way Zendesk does: spaces (and commas)
    /// separate tags, so `"vip refund"` is the two tags `vip` and `refund`. The API's lists
    /// and every form of the workspace go through this one rule.
    pub fn split(input: &str) -> impl Iterator<Item = &str> {
        input
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty())
    }

    /// Parses a list of tags given in `field`: each entry split by [`Tag::split`] and parsed
    /// (errors name `field/index` of the entry and say what is wrong in words), sorted,
    /// duplicates dropped, at most [`Tag::MAX_PER_TICKET`].
    pub fn parse_list(field: &str, tags: &[String]) -> Result<Vec<String>, crate::FieldError> {
        let too_many =
            || crate::FieldError::new(field, format!("At most {} tags.", Tag::MAX_PER_TICKET));
        if tags.len() > Tag::MAX_PER_TICKET {
            return Err(too_many());
        }
        let mut out = Vec::new();
        for (i, entry) in tags.iter().enumerate() {
            let mut words = Tag::split(entry).peekable();
            if words.peek().is_none() {
                return Err(crate::FieldError::new(
                    format!("{field}/{i}"),
                    TagProblem::Empty.sentence(entry),
                ));
            }
            for word in words {
                let tag = Tag::check(word).map_err(|p| {
                    crate::FieldError::new(format!("{field}/{i}"), p.sentence(word))
                })?;
                out.push(tag.into_string());
            }
        }
        out.sort();
        out.dedup();
        if out.len() > Tag::MAX_PER_TICKET {
            return Err(too_many());
        }
        Ok(out)
    }

    /// Checks and lower-cases one tag, saying what is wrong with it.
    pub fn check(input: &str) -> Result<Self, TagProblem> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err(TagProblem::Empty);
        }
        if let Some(c) = value
            .chars()
            .find(|&c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')))
        {
            return Err(TagProblem::Character(c));
        }
        let chars = value.chars().count();
        if chars > Tag::MAX_CHARS {
            return Err(TagProblem::TooLong { chars });
        }
        Ok(Self(value))
    }

    /// Parses and lower-cases one tag; spaces are not allowed within one tag (a list splits
    /// at them, see [`Tag::split`]).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        Tag::check(input).map_err(|p| ParseError::new(p.sentence(input)))
    }
}

/// Why a word cannot be a tag, so that a refusal says what is wrong rather than which field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagProblem {
    /// Nothing was given.
    Empty,
    /// Longer than [`Tag::MAX_CHARS`].
    TooLong {
        /// How many characters it has.
        chars: usize,
    },
    /// A character a tag may not contain (a space within one tag, punctuation, a symbol).
    Character(char),
}

impl TagProblem {
    /// The problem with `tag` as an English sentence (the API's problem detail; the
    /// workspace translates the same cases).
    pub fn sentence(&self, tag: &str) -> String {
        let tag = tag.trim();
        match self {
            TagProblem::Empty => "A tag cannot be empty.".to_string(),
            TagProblem::TooLong { chars } => format!(
                "The tag {tag:?} has {chars} characters; a tag may have at most {}.",
                Tag::MAX_CHARS
            ),
            TagProblem::Character(c) => format!(
                "The tag {tag:?} contains {c:?}; a tag may contain only letters, digits and - _ : ."
            ),
        }
    }
}

string_newtype! {
    /// An IANA time zone name such as `Europe/Helsinki` or `UTC`, by its shape only: whether
    /// the zone exists is checked against the time zone database by the application layer.
    TimeZoneName
}

impl TimeZoneName {
    /// Parses the shape of a zone name.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let value = input.trim();
        let ok = !value.is_empty()
            && value.len() <= 64
            && !value.starts_with('/')
            && !value.contains("..")
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
        if ok {
            Ok(Self(value.to_string()))
        } else {
            Err(ParseError::new(format!(
                "{input:?} is not a valid time zone name; use an IANA name such as Europe/Helsinki."
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: std::fmt::Debug + std::fmt::Display>(
        parsed: Result<T, ParseError>,
        expected: Option<&str>,
    ) {
        match (parsed, expected) {
            (Ok(value), Some(want)) => assert_eq!(value.to_string(), want),
            (Err(_), None) => {}
            (other, want) => panic!("got {other:?}, expected {want:?}"),
        }
    }

    #[test]
    fn emails() {
        check(
            EmailAddress::parse(" Maija.Virtanen@Example.FI "),
            Some("maija.virtanen@example.fi"),
        );
        check(
            EmailAddress::parse("łukasz@przykład.pl"),
            Some("łukasz@przykład.pl"),
        );
        check(EmailAddress::parse("no-at-sign"), None);
        check(EmailAddress::parse("a@b"), None);
        check(EmailAddress::parse("a b@c.com"), None);
        check(EmailAddress::parse("<script>@x.com"), None);
        check(EmailAddress::parse("a@@b.com"), None);
        check(EmailAddress::parse("a..b@c.com"), None);
    }

    #[test]
    fn phones() {
        check(PhoneE164::parse("+358 40 123 4567"), Some("+358401234567"));
        check(
            PhoneE164::parse("0048 (22) 123-45-67"),
            Some("+48221234567"),
        );
        check(PhoneE164::parse("040 123 4567"), None);
        check(PhoneE164::parse("+0123456789"), None);
        check(PhoneE164::parse("+1234"), None);
        check(PhoneE164::parse("+12345678901234567"), None);
        check(PhoneE164::parse("+35840abc"), None);
    }

    #[test]
    fn languages() {
        check(LanguageTag::parse("EN_gb"), Some("en-GB"));
        check(LanguageTag::parse("fil"), Some("fil"));
        check(LanguageTag::parse("sr-latn-RS"), Some("sr-Latn-RS"));
        check(LanguageTag::parse("english"), None);
        check(LanguageTag::parse(""), None);
        check(LanguageTag::parse("fi-"), None);
    }

    #[test]
    fn tags_and_zones() {
        check(Tag::parse(" Refund "), Some("refund"));
        check(Tag::parse("vip:gold"), Some("vip:gold"));
        check(Tag::parse("two words"), None);
        check(Tag::parse(""), None);
        assert_eq!(Tag::check("a!b"), Err(TagProblem::Character('!')));
        assert_eq!(
            Tag::check(&"x".repeat(65)),
            Err(TagProblem::TooLong { chars: 65 })
        );
        assert_eq!(Tag::check("  "), Err(TagProblem::Empty));
        assert_eq!(
            Tag::split(" vip  refund,urgent ").collect::<Vec<_>>(),
            ["vip", "refund", "urgent"]
        );
        let list = |tags: &[&str]| {
            Tag::parse_list(
                "tags",
                &tags.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(list(&["Two Words", "two"]).unwrap(), ["two", "words"]);
        let error = list(&["ok", "fine no!pe"]).unwrap_err();
        assert_eq!(error.field, "tags/1");
        assert!(
            error.message.contains("\"no!pe\" contains '!'"),
            "{}",
            error.message
        );
        assert_eq!(list(&[" "]).unwrap_err().message, "A tag cannot be empty.");
        let many: Vec<String> = (0..51).map(|i| format!("t{i}")).collect();
        assert!(list(&[many.join(" ").as_str()]).is_err());
        check(
            TimeZoneName::parse("Europe/Helsinki"),
            Some("Europe/Helsinki"),
        );
        check(TimeZoneName::parse("../etc/passwd"), None);
    }
}
