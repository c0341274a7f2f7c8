//! Rules of mailbox settings: host names, folders, texts, acknowledgement templates.

use super::{AckTemplate, TlsMode};
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

/// Whether a changed server is the same place to send a stored password to: the same host,
/// port and user name (host names compared without case).
pub(crate) fn same_target(
    before: (&str, u16, Option<&str>),
    after: (&str, u16, Option<&str>),
) -> bool {
    before.0.eq_ignore_ascii_case(after.0) && before.1 == after.1 && before.2 == after.2
}

/// The stored password to keep when none is given: kept only while the server stays the same
/// (`kept` is `Some` then). A password stored for one server is never sent to another the
/// admin names later, so a changed host, port or user needs the password again.
pub(crate) fn kept_password(
    field: &str,
    had_password: Option<bool>,
    kept: Option<Option<String>>,
) -> Result<Option<String>, FieldError> {
    match (had_password, kept) {
        (_, Some(kept)) => Ok(kept),
        (Some(true), None) => Err(FieldError::new(
            field,
            "Give the password again: the host, port or user name changed, and the stored password is only sent to the server it was given for.",
        )),
        _ => Ok(None),
    }
}

/// Credentials over a connection without TLS (`tls: none`) are refused unless the admin
/// allowed it explicitly (`allow_plain_auth`): anyone on the way could read them.
pub(crate) fn plain_auth(
    prefix: &str,
    tls: TlsMode,
    logs_in: bool,
    allowed: bool,
) -> Result<(), FieldError> {
    if tls == TlsMode::None && logs_in && !allowed {
        return Err(FieldError::new(
            format!("{prefix}.tls"),
            "Signing in without TLS would send the password in clear: choose starttls or implicit, or set allow_plain_auth to true to allow it.",
        ));
    }
    Ok(())
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
        assert!(same_target(
            ("Mail.Example", 993, Some("u")),
            ("mail.example", 993, Some("u"))
        ));
        assert!(!same_target(
            ("mail.example", 993, Some("u")),
            ("evil.example", 993, Some("u"))
        ));
        assert!(!same_target(
            ("mail.example", 993, Some("u")),
            ("mail.example", 994, Some("u"))
        ));
        assert_eq!(kept_password("p", Some(true), None).unwrap_err().field, "p");
        assert_eq!(
            kept_password("p", Some(true), Some(Some("s".into()))).unwrap(),
            Some("s".into())
        );
        assert_eq!(kept_password("p", None, None).unwrap(), None);
        assert_eq!(
            plain_auth("smtp", TlsMode::None, true, false)
                .unwrap_err()
                .field,
            "smtp.tls"
        );
        assert!(plain_auth("smtp", TlsMode::None, true, true).is_ok());
        assert!(plain_auth("smtp", TlsMode::None, false, false).is_ok());
        assert!(plain_auth("smtp", TlsMode::Starttls, true, false).is_ok());
    }
}
