//! The one placeholder filler: `{{ customer.first_name }}` and friends in macros, email
//! acknowledgements and, later, automations. Unknown placeholders stay as written, so whoever
//! reads the text sees them rather than a silent gap.

/// The values placeholders are filled with; empty ones fill as empty text.
#[derive(Debug, Clone, Default)]
pub struct PlaceholderValues {
    /// `{{customer.name}}` (and `{{customer.first_name}}`).
    pub customer_name: String,
    /// `{{customer.email}}`.
    pub customer_email: String,
    /// `{{agent.name}}` (and `{{agent.first_name}}`).
    pub agent_name: String,
    /// `{{ticket.id}}`.
    pub ticket_id: i64,
    /// `{{ticket.subject}}`.
    pub ticket_subject: String,
    /// `{{mailbox.name}}`.
    pub mailbox_name: String,
}

/// The first word of a name, for greeting someone.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

impl PlaceholderValues {
    /// The value of a placeholder name, or `None` when tiski does not know it.
    fn value(&self, name: &str) -> Option<String> {
        Some(match name {
            "customer.name" => self.customer_name.clone(),
            "customer.first_name" => first_name(&self.customer_name).to_string(),
            "customer.email" => self.customer_email.clone(),
            "agent.name" => self.agent_name.clone(),
            "agent.first_name" => first_name(&self.agent_name).to_string(),
            "ticket.id" => self.ticket_id.to_string(),
            "ticket.subject" => self.ticket_subject.clone(),
            "mailbox.name" => self.mailbox_name.clone(),
            _ => return None,
        })
    }
}

/// Fills `{{ name }}` placeholders (spaces inside the braces allowed).
pub fn fill(text: &str, values: &PlaceholderValues) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        match values.value(after[..end].trim()) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &str) {
        let values = PlaceholderValues {
            customer_name: "Aino Virtanen".into(),
            customer_email: "aino@example.com".into(),
            agent_name: "Ben Agent".into(),
            ticket_id: 42,
            ticket_subject: "Broken <kettle>".into(),
            mailbox_name: "Shop support".into(),
        };
        assert_eq!(fill(text, &values), expected);
    }

    #[test]
    fn placeholders() {
        check(
            "Hello {{customer.first_name}}, {{ agent.name }} here about #{{ticket.id}}.",
            "Hello Aino, Ben Agent here about #42.",
        );
        check(
            "{{customer.name}} <{{customer.email}}>",
            "Aino Virtanen <aino@example.com>",
        );
        check(
            "{{ticket.subject}} from {{mailbox.name}}",
            "Broken <kettle> from Shop support",
        );
        check(
            "{{unknown.thing}} and {{agent.first_name}}",
            "{{unknown.thing}} and Ben",
        );
        check("unclosed {{customer.name", "unclosed {{customer.name");
        check("no placeholders", "no placeholders");
        check("{{}}", "{{}}");
    }

    #[test]
    fn first_names() {
        assert_eq!(first_name("  Aino Virtanen "), "Aino");
        assert_eq!(first_name(""), "");
    }
}
