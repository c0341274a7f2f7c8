//! Rules of tickets: the subject, who the requester is, what a follow-up inherits.

use super::refuse_nul;
use tiski_domain::{Channel, EmailAddress, FieldError, PhoneE164, Priority};

/// The longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 500;

/// A subject: trimmed, 1 to 500 characters.
pub fn subject(subject: &str) -> Result<String, FieldError> {
    refuse_nul("subject", subject)?;
    let subject = subject.trim();
    if subject.is_empty() || subject.chars().count() > MAX_SUBJECT_CHARS {
        return Err(FieldError::new(
            "subject",
            "The subject must have 1 to 500 characters.",
        ));
    }
    Ok(tiski_domain::card::mask_pans(subject).into_owned())
}

/// A subject taken from outside (an email's), never refused: cut to length, `(no subject)`
/// when there is none, card numbers masked.
pub fn subject_from_outside(subject: &str) -> String {
    if subject.trim().is_empty() {
        "(no subject)".into()
    } else {
        let subject = tiski_domain::card::mask_pans(subject);
        subject.chars().take(MAX_SUBJECT_CHARS).collect()
    }
}

/// Who asks, validated: an existing customer's id, or an identity (kind and normalised value)
/// to find or create a customer by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requester {
    /// An existing customer.
    Id(i64),
    /// `("email", …)` or `("phone", …)`.
    Identity(&'static str, String),
}

/// Reads the requester of a new ticket: exactly one of id, email or phone.
pub fn requester(
    id: Option<i64>,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<Requester, FieldError> {
    match (id, email, phone) {
        (Some(id), None, None) => Ok(Requester::Id(id)),
        (None, Some(email), None) => EmailAddress::parse(email)
            .map(|e| Requester::Identity("email", e.into_string()))
            .map_err(|e| e.at("requester.email")),
        (None, None, Some(phone)) => PhoneE164::parse(phone)
            .map(|p| Requester::Identity("phone", p.into_string()))
            .map_err(|e| e.at("requester.phone")),
        (None, None, None) => Err(FieldError::new(
            "requester",
            "Give the requester's id, email or phone.",
        )),
        _ => Err(FieldError::new(
            "requester",
            "Give only one of the requester's id, email or phone.",
        )),
    }
}

/// What a follow-up ticket takes over from the closed ticket it follows, the one rule for
/// every channel a customer writes again through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inherited {
    /// The closed ticket's team.
    pub team_id: Option<i64>,
    /// Its assignee (the agent who knows the case).
    pub assignee_id: Option<i64>,
    /// Its priority.
    pub priority: Priority,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its language.
    pub language: Option<String>,
    /// Its mailbox, so replies go out the same way.
    pub mailbox_id: Option<i64>,
    /// Its channel, unless the new message says otherwise.
    pub channel: Channel,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_and_requesters() {
        assert_eq!(subject("  Hi ").unwrap(), "Hi");
        assert_eq!(subject(" ").unwrap_err().field, "subject");
        assert!(subject(&"x".repeat(501)).is_err());
        assert_eq!(subject_from_outside("  "), "(no subject)");
        assert_eq!(subject_from_outside(&"x".repeat(600)).chars().count(), 500);
        assert_eq!(
            requester(None, Some(" A@Example.FI "), None).unwrap(),
            Requester::Identity("email", "a@example.fi".into())
        );
        assert_eq!(requester(None, None, None).unwrap_err().field, "requester");
        assert_eq!(
            requester(Some(1), Some("a@example.fi"), None)
                .unwrap_err()
                .field,
            "requester"
        );
        assert_eq!(
            requester(None, Some("nope"), None).unwrap_err().field,
            "requester.email"
        );
    }
}
