//! Mailbox addresses as tiski stores and compares them.

/// One mailbox: an optional display name and an address.
///
/// The address is trimmed and lower-cased so that the application can match a sender to a
/// customer with plain string equality; the display name is kept as sent (decoded from
/// RFC 2047) because it is what agents see.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Address {
    /// Display name, decoded; `None` when absent or blank.
    pub name: Option<String>,
    /// The address itself, trimmed and lower-cased (`user@example.com`).
    pub email: String,
}

impl Address {
    /// Builds an address from loose parts, normalising the way [`crate::parse`] does.
    ///
    /// Used by the application for addresses typed by agents or read from configuration, so
    /// that they compare equal to the ones that come out of parsed mail.
    pub fn new(name: Option<&str>, email: &str) -> Self {
        Self {
            name: clean_name(name),
            email: normalise_email(email),
        }
    }
}

/// Trims, strips angle brackets and lower-cases an address.
pub(crate) fn normalise_email(email: &str) -> String {
    let trimmed = email.trim();
    let trimmed = trimmed.strip_prefix('<').unwrap_or(trimmed);
    let trimmed = trimmed.strip_suffix('>').unwrap_or(trimmed);
    trimmed
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .to_lowercase()
}

/// Trims a display name, drops surrounding quotes and control characters; `None` when blank.
pub(crate) fn clean_name(name: Option<&str>) -> Option<String> {
    let name = name?.trim();
    let name = name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or(name);
    let name: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() { None } else { Some(name) }
}

/// Converts mail-parser's address header into our list, skipping entries without an address.
pub(crate) fn from_parser(address: Option<&mail_parser::Address<'_>>) -> Vec<Address> {
    let Some(address) = address else {
        return Vec::new();
    };
    address
        .iter()
        .filter_map(|addr| {
            let email = normalise_email(addr.address.as_deref()?);
            if email.is_empty() {
                return None;
            }
            Some(Address {
                name: clean_name(addr.name.as_deref()),
                email,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_address_and_name() {
        let address = Address::new(Some("  \"Łukasz  Wiśniewski\" "), " <Lukasz@Example.PL> ");
        assert_eq!(address.email, "lukasz@example.pl");
        assert_eq!(address.name.as_deref(), Some("Łukasz Wiśniewski"));
        assert_eq!(Address::new(Some("  "), "a@b").name, None);
    }
}
