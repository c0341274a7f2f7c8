//! Money as exact integers: amounts in minor units (cents) of an ISO 4217 currency, read from
//! and written as the API's decimal strings (`"19.90"`), VAT per line rounded half-up. There
//! is no float anywhere; a [`Money`] refuses to be added to another currency.

mod currencies;

use serde::{Serialize, Serializer};
use std::fmt;
use tiski_domain::FieldError;

/// The largest amount tiski takes, in minor units (10^15: ten trillion euros), so that sums of
/// lines, quantities and refunds stay far from `i64`'s end.
pub const MAX_MINOR: i64 = 1_000_000_000_000_000;

/// Why a money value was refused, as a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not a code of the ISO 4217 table.
    #[error("{0:?} is not an ISO 4217 currency code (such as EUR, USD or JPY).")]
    UnknownCurrency(String),
    /// Not a decimal number as the API writes them.
    #[error(
        "{0:?} is not an amount; write digits with an optional decimal point, such as \"19.90\"."
    )]
    NotAnAmount(String),
    /// More decimals than the currency's minor unit has.
    #[error("{currency} amounts have at most {digits} decimals.")]
    TooManyDecimals {
        /// The currency.
        currency: &'static str,
        /// Its minor-unit digits.
        digits: u8,
    },
    /// A negative amount where none is taken.
    #[error("The amount must not be negative.")]
    Negative,
    /// Beyond [`MAX_MINOR`].
    #[error("The amount is too large.")]
    TooLarge,
    /// Two currencies met in one sum.
    #[error("{0} and {1} cannot be added: the currencies differ.")]
    CurrencyMismatch(&'static str, &'static str),
    /// Not a VAT rate.
    #[error(
        "{0:?} is not a VAT rate; write a percentage from 0 to 100 with at most two decimals, such as \"24\" or \"25.5\"."
    )]
    BadVatRate(String),
}

impl MoneyError {
    /// The same refusal, naming the input field it was found in.
    pub fn at(self, field: impl Into<String>) -> FieldError {
        FieldError::new(field, self.to_string())
    }
}

/// An ISO 4217 currency: its code and the digits of its minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    digits: u8,
}

impl Currency {
    /// The currency with this code (upper case, as ISO 4217 writes it).
    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        currencies::TABLE
            .binary_search_by(|(c, _)| (*c).cmp(code))
            .map(|index| {
                let (code, digits) = currencies::TABLE[index];
                Currency { code, digits }
            })
            .map_err(|_| MoneyError::UnknownCurrency(code.chars().take(40).collect()))
    }

    /// The three-letter code.
    pub fn code(self) -> &'static str {
        self.code
    }

    /// How many decimals its minor unit has (EUR 2, JPY 0, KWD 3).
    pub fn digits(self) -> u8 {
        self.digits
    }

    /// Every currency of the table.
    pub fn all() -> impl Iterator<Item = Currency> {
        currencies::TABLE.iter().map(|(code, digits)| Currency {
            code,
            digits: *digits,
        })
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code)
    }
}

/// Reads a decimal string of digits with an optional point and fraction (no sign, exponent,
/// spaces or grouping) as minor units of `currency`, refusing more decimals than it has.
pub fn parse_amount(text: &str, currency: Currency) -> Result<i64, MoneyError> {
    let not_an_amount = || MoneyError::NotAnAmount(text.chars().take(40).collect());
    if text.starts_with('-')
        && text.len() > 1
        && text[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return Err(MoneyError::Negative);
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_only(whole) || fraction.is_some_and(|f| !digits_only(f)) {
        return Err(not_an_amount());
    }
    let fraction = fraction.unwrap_or("");
    let places = usize::from(currency.digits);
    if fraction.len() > places {
        return Err(MoneyError::TooManyDecimals {
            currency: currency.code,
            digits: currency.digits,
        });
    }
    let whole = whole.trim_start_matches('0');
    // Nineteen digits overflow before MAX_MINOR is even compared.
    if whole.len() > 18 {
        return Err(MoneyError::TooLarge);
    }
    let mut minor: i128 = 0;
    for b in whole.bytes() {
        minor = minor * 10 + i128::from(b - b'0');
    }
    for index in 0..places {
        let digit = fraction.as_bytes().get(index).map_or(0, |b| b - b'0');
        minor = minor * 10 + i128::from(digit);
    }
    if minor > i128::from(MAX_MINOR) {
        return Err(MoneyError::TooLarge);
    }
    i64::try_from(minor).map_err(|_| MoneyError::TooLarge)
}

/// Writes minor units of `currency` as the API's decimal string: `1990` EUR is `"19.90"`,
/// `100` JPY is `"100"`, `-5` EUR is `"-0.05"`.
pub fn format_amount(minor: i64, currency: Currency) -> String {
    let places = u32::from(currency.digits);
    let sign = if minor < 0 { "-" } else { "" };
    let magnitude = minor.unsigned_abs();
    if places == 0 {
        return format!("{sign}{magnitude}");
    }
    let scale = 10u64.pow(places);
    format!(
        "{sign}{}.{:0width$}",
        magnitude / scale,
        magnitude % scale,
        width = currency.digits as usize
    )
}

/// An amount of one currency. Sums refuse to mix currencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// `minor` units of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Zero of `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money::new(0, currency)
    }

    /// Reads the API's decimal string (see [`parse_amount`]).
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        Ok(Money::new(parse_amount(text, currency)?, currency))
    }

    /// The amount in minor units.
    pub fn minor(self) -> i64 {
        self.minor
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// The sum, refused across currencies or beyond [`MAX_MINOR`] in size.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(
                self.currency.code,
                other.currency.code,
            ));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .filter(|m| m.unsigned_abs() <= MAX_MINOR.unsigned_abs())
            .ok_or(MoneyError::TooLarge)?;
        Ok(Money::new(minor, self.currency))
    }

    /// The difference, refused like [`Money::checked_add`].
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.checked_add(Money::new(-other.minor, other.currency))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            format_amount(self.minor, self.currency),
            self.currency
        )
    }
}

/// A VAT rate in hundredths of a percent (`2400` is 24 %, `2550` is 25.5 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatRate(i64);

impl VatRate {
    /// Reads `"24"`, `"25.5"` or `"7.75"`: 0 to 100 with at most two decimals.
    pub fn parse(text: &str) -> Result<VatRate, MoneyError> {
        let bad = || MoneyError::BadVatRate(text.chars().take(40).collect());
        // The same grammar as an amount of two decimals.
        let hundredths = parse_amount(
            text,
            Currency {
                code: "VAT",
                digits: 2,
            },
        )
        .map_err(|_| bad())?;
        if hundredths > 10_000 {
            return Err(bad());
        }
        Ok(VatRate(hundredths))
    }

    /// The rate as stored, in hundredths of a percent.
    pub fn from_hundredths(hundredths: i64) -> VatRate {
        VatRate(hundredths.clamp(0, 10_000))
    }

    /// The rate in hundredths of a percent.
    pub fn hundredths(self) -> i64 {
        self.0
    }
}

impl fmt::Display for VatRate {
    /// The shortest decimal: `"24"`, `"25.5"`, `"7.75"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.0 / 100, self.0 % 100);
        match fraction {
            0 => write!(f, "{whole}"),
            f10 if f10 % 10 == 0 => write!(f, "{whole}.{}", f10 / 10),
            f100 => write!(f, "{whole}.{f100:02}"),
        }
    }
}

/// `n / d` rounded half-up, for `n ≥ 0` and `d > 0`.
fn div_half_up(n: i128, d: i128) -> i128 {
    (2 * n + d) / (2 * d)
}

/// The amounts of one order line, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineAmounts {
    /// Without VAT.
    pub net: i64,
    /// The VAT.
    pub vat: i64,
    /// With VAT: `net + vat`.
    pub total: i64,
}

/// The amounts of `quantity` at `unit` minor units with VAT at `rate`, rounded half-up once
/// per line. With `prices_include_vat` the unit price is gross and the VAT is taken out of it;
/// otherwise it is net and the VAT is added.
pub fn line_amounts(
    unit: i64,
    quantity: i64,
    rate: VatRate,
    prices_include_vat: bool,
) -> Result<LineAmounts, MoneyError> {
    if unit < 0 || quantity < 0 {
        return Err(MoneyError::Negative);
    }
    let amount = i128::from(unit) * i128::from(quantity);
    let rate = i128::from(rate.0);
    let (net, vat) = if prices_include_vat {
        let net = div_half_up(amount * 10_000, 10_000 + rate);
        (net, amount - net)
    } else {
        (amount, div_half_up(amount * rate, 10_000))
    };
    let total = net + vat;
    if total > i128::from(MAX_MINOR) {
        return Err(MoneyError::TooLarge);
    }
    // Each is at most the total, which fits.
    let fit = |v: i128| i64::try_from(v).map_err(|_| MoneyError::TooLarge);
    Ok(LineAmounts {
        net: fit(net)?,
        vat: fit(vat)?,
        total: fit(total)?,
    })
}

/// The totals of lines: each the sum of the lines' own, refused beyond [`MAX_MINOR`].
pub fn totals(lines: &[LineAmounts]) -> Result<LineAmounts, MoneyError> {
    let mut sum = LineAmounts::default();
    for line in lines {
        let add = |a: i64, b: i64| {
            a.checked_add(b)
                .filter(|s| *s <= MAX_MINOR)
                .ok_or(MoneyError::TooLarge)
        };
        sum = LineAmounts {
            net: add(sum.net, line.net)?,
            vat: add(sum.vat, line.vat)?,
            total: add(sum.total, line.total)?,
        };
    }
    Ok(sum)
}

#[cfg(test)]
mod tests;
