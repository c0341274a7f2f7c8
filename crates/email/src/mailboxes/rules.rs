//! Rules of mailbox settings: host names, folders, texts, acknowledgement templates.

use super::AckTemplate;
use std::collections::BTreeMap;
use tiski_domain::{FieldError, LanguageTag};

/// A host name or address literal, trimmed.
pub(crate) fn host(field: &str, host: &str) -> Result<String, FieldError> {
    let host = host.trim();
    let ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if ok {
        Ok(host.to_string())
    } else {
        Err(FieldError::new(
            field,
            format!("{host:?} is not a host name."),
        ))
    }
}

/// An IMAP folder name, trimmed.
pub(crate) fn folder(field: &str, folder: &str) -> Result<String, FieldError> {
    let folder = folder.trim();
    if folder.is_empty() || folder.len() > 200 || folder.chars().any(|c| c.is_control() || c == '"')
    {
        return Err(FieldError::new(
            field,
            "The folder name must have 1 to 200 characters without quotes or control characters.",
        ));
    }
    Ok(folder.to_string())
}

/// Trimmed text of `min` to `max` characters, without NUL.
pub(crate) fn text(field: &str, text: &str, min: usize, max: usize) -> Result<String, FieldError> {
    if text.contains('\0') {
        return Err(FieldError::new(
            field,
            "The text contains a NUL character, which is not allowed.",
        ));
    }
    let text = text.trim();
    let count = text.chars().count();
    if count < min || count > max {
        return Err(FieldError::new(
            field,
            format!("Give {min} to {max} characters."),
        ));
    }
    Ok(text.to_string())
}

/// Acknowledgement templates by language, each language tag normalised.
pub(crate) fn templates(
    templates: BTreeMap<String, AckTemplate>,
) -> Result<BTreeMap<String, AckTemplate>, FieldError> {
    let mut out = BTreeMap::new();
    for (language, template) in templates {
        let tag =
            LanguageTag::parse(&language).map_err(|e| e.at(format!("ack_templates/{language}")))?;
        let field = format!("ack_templates/{tag}");
        let subject = text(&format!("{field}/subject"), &template.subject, 1, 300)?;
        let body = text(&format!("{field}/body"), &template.body, 1, 20_000)?;
        out.insert(tag.into_string(), AckTemplate { subject, body });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_rules() {
        assert_eq!(
            host("imap.host", " imap.example.com ").unwrap(),
            "imap.example.com"
        );
        assert!(host("imap.host", "bad host").is_err());
        assert!(folder("imap.folder", "a\"b").is_err());
        assert_eq!(text("name", " x ", 1, 3).unwrap(), "x");
        let mut given = BTreeMap::new();
        given.insert(
            "FI".to_string(),
            AckTemplate {
                subject: "Kiitos".into(),
                body: " ".into(),
            },
        );
        assert_eq!(templates(given).unwrap_err().field, "ack_templates/fi/body");
    }
}
