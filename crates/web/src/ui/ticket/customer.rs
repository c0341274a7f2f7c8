//! The customer panel beside the ticket: who asked, how to reach them, their local time and
//! their other tickets.

use crate::ui::i18n::Tr;
use crate::ui::status_label;
use jiff::Timestamp;
use tiski_ticketing::CustomerView;

/// The customer panel's data.
pub struct CustomerPanel {
    /// Customer id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email addresses.
    pub emails: Vec<String>,
    /// Phone numbers.
    pub phones: Vec<String>,
    /// Preferred language.
    pub language: String,
    /// Their local time now, with the zone.
    pub local_time: String,
    /// Organisation.
    pub organization: String,
    /// Staff notes.
    pub notes: String,
    /// Their other tickets.
    pub others: Vec<OtherTicket>,
}

/// Another ticket of the same customer.
pub struct OtherTicket {
    /// Address.
    pub href: String,
    /// Ticket id.
    pub id: i64,
    /// Subject.
    pub subject: String,
    /// Status wire name.
    pub status: &'static str,
    /// Status label.
    pub status_label: String,
}

/// The local time now in a customer's zone.
pub fn local_time(tr: &Tr, zone: Option<&str>) -> String {
    zone.and_then(|z| jiff::tz::TimeZone::get(z).ok())
        .map(|tz| {
            let now = Timestamp::now().as_microsecond();
            format!(
                "{} ({})",
                tr.locale.time_of_day(now, &tz),
                zone.unwrap_or("")
            )
        })
        .unwrap_or_default()
}

/// Builds the customer panel.
pub fn customer_panel(tr: &Tr, customer: &CustomerView, except: i64) -> CustomerPanel {
    CustomerPanel {
        id: customer.id,
        name: customer.name.clone(),
        emails: customer.emails.clone(),
        phones: customer.phones.clone(),
        language: crate::ui::reshape::languages::label(
            tr,
            customer.language.as_deref().unwrap_or(""),
        ),
        local_time: local_time(tr, customer.time_zone.as_deref()),
        organization: customer.organization.clone().unwrap_or_default(),
        notes: customer.notes.clone(),
        others: customer
            .tickets
            .as_deref()
            .unwrap_or_default()
            .iter()
            .filter(|t| t.id != except)
            .take(10)
            .map(|t| OtherTicket {
                href: format!("/tickets/{}", t.id),
                id: t.id,
                subject: t.subject.clone(),
                status: t.status.as_str(),
                status_label: status_label(tr, t.status),
            })
            .collect(),
    }
}
