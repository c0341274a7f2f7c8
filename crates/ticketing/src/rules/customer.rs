//! Rules of customers: names, identities (email addresses and phone numbers), language, time
//! zone and free text.

use super::refuse_nul;
use tiski_domain::{EmailAddress, FieldError, LanguageTag, PhoneE164, TimeZoneName};

/// The most identities of one kind a customer has.
const MAX_IDENTITIES: usize = 50;

/// Validated customer fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCustomer {
    /// Name (may be empty when an identity is given; a name is made from it).
    pub name: String,
    /// Email addresses.
    pub emails: Vec<EmailAddress>,
    /// Phone numbers.
    pub phones: Vec<PhoneE164>,
    /// Preferred language.
    pub language: Option<LanguageTag>,
    /// IANA time zone.
    pub time_zone: Option<TimeZoneName>,
    /// Company.
    pub organization: Option<String>,
    /// Staff notes.
    pub notes: String,
}

impl ValidCustomer {
    /// A customer known only by one identity (found by mail or a call), with an optional name.
    pub fn from_identity(
        kind: &str,
        value: &str,
        name: Option<&str>,
        language: Option<LanguageTag>,
    ) -> Result<ValidCustomer, FieldError> {
        let mut customer = ValidCustomer {
            name: name.unwrap_or_default().to_string(),
            emails: vec![],
            phones: vec![],
            language,
            time_zone: None,
            organization: None,
            notes: String::new(),
        };
        match kind {
            "email" => customer
                .emails
                .push(EmailAddress::parse(value).map_err(|e| e.at("requester.email"))?),
            _ => customer
                .phones
                .push(PhoneE164::parse(value).map_err(|e| e.at("requester.phone"))?),
        }
        Ok(customer)
    }

    /// The name to store: the given one, else the email's local part or the phone number.
    pub fn display_name(&self) -> String {
        if !self.name.is_empty() {
            return self.name.clone();
        }
        self.emails
            .first()
            .map(|e| e.local_part().to_string())
            .or_else(|| self.phones.first().map(|p| p.to_string()))
            .unwrap_or_default()
    }

    /// The lower-cased text the customer search matches: name, identities, organization.
    pub fn search_text(&self) -> String {
        let mut text = self.display_name().to_lowercase();
        for email in &self.emails {
            text.push(' ');
            text.push_str(email.as_str());
        }
        for phone in &self.phones {
            text.push(' ');
            text.push_str(phone.as_str());
        }
        if let Some(organization) = &self.organization {
            text.push(' ');
            text.push_str(&organization.to_lowercase());
        }
        text
    }
}

/// A name: trimmed, at most 200 characters, may be empty.
pub fn name(field: &str, name: &str) -> Result<String, FieldError> {
    refuse_nul(field, name)?;
    let name = name.trim();
    if name.chars().count() > 200 {
        return Err(FieldError::new(
            field,
            "The name must have at most 200 characters.",
        ));
    }
    Ok(name.to_string())
}

/// Email addresses: each parsed, without repeats, at most 50.
pub fn emails(field: &str, emails: &[String]) -> Result<Vec<EmailAddress>, FieldError> {
    let mut out: Vec<EmailAddress> = Vec::new();
    for (index, email) in emails.iter().enumerate().take(MAX_IDENTITIES + 1) {
        if index == MAX_IDENTITIES {
            return Err(FieldError::new(field, "At most 50 email addresses."));
        }
        let email = EmailAddress::parse(email).map_err(|e| e.at(format!("{field}/{index}")))?;
        if !out.contains(&email) {
            out.push(email);
        }
    }
    Ok(out)
}

/// Phone numbers: each parsed to E.164, without repeats, at most 50.
pub fn phones(field: &str, phones: &[String]) -> Result<Vec<PhoneE164>, FieldError> {
    let mut out: Vec<PhoneE164> = Vec::new();
    for (index, phone) in phones.iter().enumerate().take(MAX_IDENTITIES + 1) {
        if index == MAX_IDENTITIES {
            return Err(FieldError::new(field, "At most 50 phone numbers."));
        }
        let phone = PhoneE164::parse(phone).map_err(|e| e.at(format!("{field}/{index}")))?;
        if !out.contains(&phone) {
            out.push(phone);
        }
    }
    Ok(out)
}

/// A language tag, when given.
pub fn language(field: &str, language: Option<&str>) -> Result<Option<LanguageTag>, FieldError> {
    language
        .map(|l| LanguageTag::parse(l).map_err(|e| e.at(field)))
        .transpose()
}

/// An IANA time zone that exists in the time zone database, when given.
pub fn time_zone(field: &str, zone: Option<&str>) -> Result<Option<TimeZoneName>, FieldError> {
    let Some(zone) = zone else { return Ok(None) };
    let name = TimeZoneName::parse(zone).map_err(|e| e.at(field))?;
    if jiff::tz::TimeZone::get(name.as_str()).is_err() {
        return Err(FieldError::new(
            field,
            format!("{zone:?} is not a known time zone; use an IANA name such as Europe/Helsinki."),
        ));
    }
    Ok(Some(name))
}

/// Free text of at most `max` characters, trimmed; `None` when empty.
pub fn text(field: &str, text: Option<&str>, max: usize) -> Result<Option<String>, FieldError> {
    if let Some(text) = text {
        refuse_nul(field, text)?;
    }
    match text.map(str::trim) {
        Some(t) if t.chars().count() > max => {
            Err(FieldError::new(field, format!("At most {max} characters.")))
        }
        Some("") | None => Ok(None),
        // Card numbers are never stored (notes are where an agent would paste one).
        Some(t) => Ok(Some(tiski_domain::card::mask_pans(t).into_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_fields() {
        assert_eq!(
            emails("emails", &["A@x.fi".into(), "a@x.fi".into()])
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            emails("emails", &["a@x.fi".into(), "bad".into()])
                .unwrap_err()
                .field,
            "emails/1"
        );
        assert_eq!(
            phones("phones", &["+358 40 123 4567".into()]).unwrap()[0].as_str(),
            "+358401234567"
        );
        assert!(
            time_zone("time_zone", Some("Europe/Helsinki"))
                .unwrap()
                .is_some()
        );
        assert!(time_zone("time_zone", Some("Mars/Olympus")).is_err());
        assert_eq!(text("notes", Some("  "), 10).unwrap(), None);
        assert!(text("notes", Some("12345678901"), 10).is_err());
        let customer =
            ValidCustomer::from_identity("email", "maija@example.fi", None, None).unwrap();
        assert_eq!(customer.display_name(), "maija");
        assert_eq!(customer.search_text(), "maija maija@example.fi");
    }
}
