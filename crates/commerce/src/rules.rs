//! The pure rules of commerce: what a SKU, a product's names and prices, an order's lines
//! and a refund's reason may be, the order lifecycle, and dates in business days. Each
//! returns a value or a [`FieldError`] naming the field at fault.

use crate::money::{Currency, MoneyError, VatRate, parse_amount};
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tiski_domain::{FieldError, LanguageTag};

/// The most lines an order has.
pub const MAX_LINES: usize = 200;
/// The most of one item a line orders.
pub const MAX_QUANTITY: i64 = 1_000_000;
/// The longest lead time, in business days.
pub const MAX_LEAD_TIME_DAYS: i64 = 365;
/// The longest warranty, in months.
pub const MAX_WARRANTY_MONTHS: i64 = 1200;

/// Checks a SKU: 1 to 64 of `A–Z a–z 0–9 . _ / -`, starting with a letter or digit. SKUs are
/// unique ignoring case; the key compared is [`sku_key`].
pub fn sku(field: &str, text: &str) -> Result<String, FieldError> {
    let fits = (1..=64).contains(&text.len())
        && text
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-'));
    if !fits {
        return Err(FieldError::new(
            field,
            "A SKU has 1 to 64 letters, digits, dots, underscores, slashes or hyphens, starting with a letter or digit.",
        ));
    }
    Ok(text.to_string())
}

/// The key a SKU is unique and found by: lower case.
pub fn sku_key(sku: &str) -> String {
    sku.to_ascii_lowercase()
}

/// Checks the names of a product per language: 1 to 20 languages, each name 1 to 200
/// characters (trimmed) without control characters. Keys come back in canonical form.
pub fn names(input: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, FieldError> {
    if input.is_empty() || input.len() > 20 {
        return Err(FieldError::new(
            "names",
            "Give the name in 1 to 20 languages, such as {\"en\": \"Cordless drill\"}.",
        ));
    }
    let mut out = BTreeMap::new();
    for (language, name) in input {
        let field = format!("names.{}", language.chars().take(40).collect::<String>());
        let tag = LanguageTag::parse(language).map_err(|e| e.at(field.clone()))?;
        let name = name.trim();
        let count = name.chars().count();
        if count == 0 || count > 200 || name.chars().any(char::is_control) {
            return Err(FieldError::new(
                field,
                "A name has 1 to 200 characters and no control characters.",
            ));
        }
        if out.insert(tag.to_string(), name.to_string()).is_some() {
            return Err(FieldError::new(field, "This language is named twice."));
        }
    }
    Ok(out)
}

/// A price as the API writes it: a currency and a decimal string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// ISO 4217 code, such as `EUR`.
    pub currency: String,
    /// Decimal string with at most the currency's minor digits, such as `"19.90"`.
    pub amount: String,
}

/// Checks prices: 1 to 50, one per currency, each a known currency and an amount that is not
/// negative. Returns minor units per currency code.
pub fn prices(input: &[Price]) -> Result<BTreeMap<String, i64>, FieldError> {
    if input.is_empty() || input.len() > 50 {
        return Err(FieldError::new(
            "prices",
            "Give 1 to 50 prices, one per currency.",
        ));
    }
    let mut out = BTreeMap::new();
    for (i, price) in input.iter().enumerate() {
        let currency =
            Currency::parse(&price.currency).map_err(|e| e.at(format!("prices[{i}].currency")))?;
        let amount = parse_amount(&price.amount, currency)
            .map_err(|e| e.at(format!("prices[{i}].amount")))?;
        if out.insert(currency.code().to_string(), amount).is_some() {
            return Err(FieldError::new(
                format!("prices[{i}].currency"),
                "This currency has a price already; give one per currency.",
            ));
        }
    }
    Ok(out)
}

/// Checks a VAT rate (`"24"`), in hundredths of a percent.
pub fn vat_rate(text: &str) -> Result<i64, FieldError> {
    VatRate::parse(text)
        .map(VatRate::hundredths)
        .map_err(|e: MoneyError| e.at("vat_rate"))
}

/// Checks a whole number of `what` within `0..=max`.
pub fn bounded(field: &str, value: i64, max: i64, what: &str) -> Result<i64, FieldError> {
    if !(0..=max).contains(&value) {
        return Err(FieldError::new(field, format!("Give 0 to {max} {what}.")));
    }
    Ok(value)
}

/// Checks a date `YYYY-MM-DD`.
pub fn date(field: &str, text: &str) -> Result<Date, FieldError> {
    let fits = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    fits.then(|| text.parse::<Date>().ok())
        .flatten()
        .ok_or_else(|| FieldError::new(field, "Give a date as YYYY-MM-DD, such as 2026-12-31."))
}

/// Checks the SKUs of a product's parts: at most 100, none twice, not the product itself.
/// Whether they exist is the command's check.
pub fn parts(own_sku: &str, input: &[String]) -> Result<Vec<String>, FieldError> {
    if input.len() > 100 {
        return Err(FieldError::new(
            "parts",
            "A product lists at most 100 parts.",
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, part) in input.iter().enumerate() {
        let field = format!("parts[{i}]");
        let part = sku(&field, part)?;
        if sku_key(&part) == sku_key(own_sku) {
            return Err(FieldError::new(field, "A product is not a part of itself."));
        }
        if out.iter().any(|p| sku_key(p) == sku_key(&part)) {
            return Err(FieldError::new(field, "This part is listed twice."));
        }
        out.push(part);
    }
    Ok(out)
}

/// The words a catalog search finds a product by, lower case: its SKU, each name whole and
/// each word of a name (at most 100 characters each).
pub fn search_terms(sku: &str, names: &BTreeMap<String, String>) -> Vec<String> {
    let cut = |s: &str| s.chars().take(100).collect::<String>();
    let mut terms = vec![sku_key(sku)];
    for name in names.values() {
        let lower = name.to_lowercase();
        terms.push(cut(&lower));
        terms.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(cut),
        );
    }
    terms.sort();
    terms.dedup();
    terms
}

/// A catalog search: the query's lower-case text and the bound the prefix range stops at.
pub fn search_range(field: &str, q: &str) -> Result<(String, String), FieldError> {
    let q = q.trim().to_lowercase();
    if q.is_empty() || q.chars().count() > 100 || q.contains('\0') {
        return Err(FieldError::new(
            field,
            "Search with 1 to 100 characters of a SKU or name.",
        ));
    }
    // Everything starting with `q` sorts below `q` followed by the last code point.
    let end = format!("{q}\u{10FFFF}");
    Ok((q, end))
}

/// The status of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Being put together; lines may change.
    Draft,
    /// Placed by the customer.
    Placed,
    /// Confirmed by the desk.
    Confirmed,
    /// On its way.
    Shipped,
    /// Received by the customer.
    Delivered,
    /// Called off before it shipped.
    Cancelled,
    /// Sent back after delivery.
    Returned,
}

impl OrderStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Draft => "draft",
            OrderStatus::Placed => "placed",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Returned => "returned",
        }
    }

    /// Reads a stored wire name.
    pub fn parse(text: &str) -> Option<OrderStatus> {
        [
            OrderStatus::Draft,
            OrderStatus::Placed,
            OrderStatus::Confirmed,
            OrderStatus::Shipped,
            OrderStatus::Delivered,
            OrderStatus::Cancelled,
            OrderStatus::Returned,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether an order may go from this status to `to`: forward along draft → placed →
    /// confirmed → shipped → delivered; cancelled before it ships; returned once shipped or
    /// delivered. Cancelled and returned are final.
    pub fn may_become(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (Draft, Placed)
                | (Placed, Confirmed)
                | (Confirmed, Shipped)
                | (Shipped, Delivered)
                | (Draft | Placed | Confirmed, Cancelled)
                | (Shipped | Delivered, Returned)
        )
    }
}

/// The date `days` business days (Monday to Friday) after `from`; `from` itself for 0.
pub fn add_business_days(from: Date, days: i64) -> Date {
    let mut date = from;
    let mut left = days.clamp(0, MAX_LEAD_TIME_DAYS);
    while left > 0 {
        date = date.tomorrow().unwrap_or(date);
        if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    date
}

/// Checks a refund's reason code: 1 to 64 of `a–z 0–9 _` (`late_delivery`), so no free text
/// (and no personal data) enters refunds or their events.
pub fn reason(text: &str) -> Result<String, FieldError> {
    let fits = (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !fits {
        return Err(FieldError::new(
            "reason",
            "A reason is a code of 1 to 64 lower-case letters, digits and underscores, such as late_delivery.",
        ));
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_and_terms() {
        assert!(sku("sku", "DRILL-18V/2.0_x").is_ok());
        for bad in ["", "-A", "A B", "Ä", &"A".repeat(65), "a;DROP"] {
            assert!(sku("sku", bad).is_err(), "{bad:?}");
        }
        let names = BTreeMap::from([("en".to_string(), "Cordless Drill 18V".to_string())]);
        assert_eq!(
            search_terms("DR-1", &names),
            vec!["18v", "cordless", "cordless drill 18v", "dr-1", "drill"]
        );
        let (q, end) = search_range("q", " Dri ").unwrap();
        assert!(q.as_str() <= "drill" && "drill" < end.as_str());
        assert!("dr" < q.as_str() && "drj" >= end.as_str());
        assert!(search_range("q", "  ").is_err());
    }

    #[test]
    fn the_permission_table_gives_the_catalog_to_admins_and_approvals_to_leads() {
        use tiski_domain::{Permission, Role};
        for permission in [Permission::ProductManage, Permission::RefundApprove] {
            assert!(!Role::Agent.allows(permission), "{permission}");
        }
        assert!(Role::Supervisor.allows(Permission::RefundApprove));
        assert!(!Role::Supervisor.allows(Permission::ProductManage));
        for permission in [
            Permission::ProductRead,
            Permission::OrderRead,
            Permission::OrderWrite,
            Permission::RefundRequest,
        ] {
            assert!(Role::Agent.allows(permission), "{permission}");
        }
    }

    #[test]
    fn the_order_lifecycle() {
        use OrderStatus::*;
        assert!(Draft.may_become(Placed));
        assert!(Placed.may_become(Cancelled));
        assert!(Delivered.may_become(Returned));
        assert!(!Draft.may_become(Shipped));
        assert!(!Shipped.may_become(Cancelled));
        assert!(!Cancelled.may_become(Placed));
        assert!(!Returned.may_become(Delivered));
        assert!(!Placed.may_become(Placed));
        for s in [
            Draft, Placed, Confirmed, Shipped, Delivered, Cancelled, Returned,
        ] {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn business_days_skip_weekends() {
        let friday: Date = "2026-12-04".parse().unwrap();
        assert_eq!(add_business_days(friday, 0), friday);
        assert_eq!(add_business_days(friday, 1).to_string(), "2026-12-07");
        assert_eq!(add_business_days(friday, 5).to_string(), "2026-12-11");
        let saturday: Date = "2026-12-05".parse().unwrap();
        assert_eq!(add_business_days(saturday, 1).to_string(), "2026-12-07");
    }

    #[test]
    fn reasons_dates_and_prices() {
        assert!(reason("late_delivery").is_ok());
        assert!(reason("Late delivery").is_err());
        assert!(date("d", "2026-02-29").is_err());
        assert!(date("d", "2028-02-29").is_ok());
        assert!(date("d", "2028-2-29").is_err());
        let dup = [
            Price {
                currency: "EUR".into(),
                amount: "1".into(),
            },
            Price {
                currency: "EUR".into(),
                amount: "2".into(),
            },
        ];
        assert_eq!(prices(&dup).unwrap_err().field, "prices[1].currency");
        let bad = [Price {
            currency: "EUR".into(),
            amount: "1.001".into(),
        }];
        assert_eq!(prices(&bad).unwrap_err().field, "prices[0].amount");
    }
}
