use super::*;
use proptest::prelude::*;

fn eur() -> Currency {
    Currency::parse("EUR").unwrap()
}

#[test]
fn the_table_is_sorted_and_knows_its_digits() {
    let codes: Vec<&str> = currencies::TABLE.iter().map(|(c, _)| *c).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(codes, sorted, "sorted, no duplicates (binary search)");
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
    );
    for (code, digits) in [("EUR", 2), ("JPY", 0), ("KWD", 3), ("USD", 2), ("ISK", 0)] {
        assert_eq!(Currency::parse(code).unwrap().digits(), digits, "{code}");
    }
    for bad in ["eur", "EURO", "", "XXX", "E", "€", "EUR "] {
        assert!(
            matches!(Currency::parse(bad), Err(MoneyError::UnknownCurrency(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn amounts_are_read_exactly() {
    let jpy = Currency::parse("JPY").unwrap();
    let kwd = Currency::parse("KWD").unwrap();
    assert_eq!(parse_amount("19.90", eur()), Ok(1990));
    assert_eq!(parse_amount("19.9", eur()), Ok(1990));
    assert_eq!(parse_amount("19", eur()), Ok(1900));
    assert_eq!(parse_amount("0.01", eur()), Ok(1));
    assert_eq!(parse_amount("100", jpy), Ok(100));
    assert_eq!(parse_amount("1.234", kwd), Ok(1234));
    assert_eq!(
        parse_amount("19.999", eur()),
        Err(MoneyError::TooManyDecimals {
            currency: "EUR",
            digits: 2
        })
    );
    assert!(matches!(
        parse_amount("100.5", jpy),
        Err(MoneyError::TooManyDecimals { .. })
    ));
    assert_eq!(parse_amount("-1.00", eur()), Err(MoneyError::Negative));
    for bad in [
        "", ".", "1.", ".5", "1e3", "1E3", "+1", " 1", "1 ", "1,00", "1.0.0", "NaN", "inf", "١٢",
        "0x10", "1_000", "-", "--1",
    ] {
        assert!(
            matches!(parse_amount(bad, eur()), Err(MoneyError::NotAnAmount(_))),
            "{bad:?}: {:?}",
            parse_amount(bad, eur())
        );
    }
    assert_eq!(parse_amount("10000000000000.00", eur()), Ok(MAX_MINOR));
    assert_eq!(
        parse_amount("10000000000000.01", eur()),
        Err(MoneyError::TooLarge)
    );
    assert_eq!(
        parse_amount(&"9".repeat(400), eur()),
        Err(MoneyError::TooLarge)
    );
    assert_eq!(parse_amount("000000000000000000000001.00", eur()), Ok(100));
}

#[test]
fn amounts_are_written_with_the_minor_digits() {
    let jpy = Currency::parse("JPY").unwrap();
    let bhd = Currency::parse("BHD").unwrap();
    assert_eq!(format_amount(1990, eur()), "19.90");
    assert_eq!(format_amount(5, eur()), "0.05");
    assert_eq!(format_amount(-5, eur()), "-0.05");
    assert_eq!(format_amount(0, eur()), "0.00");
    assert_eq!(format_amount(100, jpy), "100");
    assert_eq!(format_amount(1, bhd), "0.001");
    assert_eq!(format_amount(i64::MIN, eur()), "-92233720368547758.08");
}

#[test]
fn money_refuses_to_mix_currencies() {
    let usd = Currency::parse("USD").unwrap();
    let a = Money::parse("1.50", eur()).unwrap();
    let b = Money::parse("2.25", eur()).unwrap();
    assert_eq!(a.checked_add(b).unwrap().to_string(), "3.75 EUR");
    assert_eq!(b.checked_sub(a).unwrap().minor(), 75);
    assert_eq!(
        a.checked_add(Money::new(1, usd)),
        Err(MoneyError::CurrencyMismatch("EUR", "USD"))
    );
    assert_eq!(
        Money::new(MAX_MINOR, eur()).checked_add(Money::new(1, eur())),
        Err(MoneyError::TooLarge)
    );
}

#[test]
fn vat_rates_read_and_write_back() {
    for (text, hundredths) in [
        ("24", 2400),
        ("25.5", 2550),
        ("7.75", 775),
        ("0", 0),
        ("100", 10000),
    ] {
        let rate = VatRate::parse(text).unwrap();
        assert_eq!(rate.hundredths(), hundredths);
        assert_eq!(rate.to_string(), text);
    }
    for bad in ["", "-1", "100.01", "24%", "24.123", "1e2", "abc", " 24"] {
        assert!(
            matches!(VatRate::parse(bad), Err(MoneyError::BadVatRate(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn vat_is_rounded_half_up_per_line() {
    let rate = VatRate::parse("24").unwrap();
    // 0.10 × 24 % = 0.024 → 0.02; 0.125 would be 0.03 (half up).
    assert_eq!(
        line_amounts(10, 1, rate, false).unwrap(),
        LineAmounts {
            net: 10,
            vat: 2,
            total: 12
        }
    );
    let half = VatRate::parse("25").unwrap();
    // 0.10 × 25 % = 0.025 → 0.03.
    assert_eq!(line_amounts(10, 1, half, false).unwrap().vat, 3);
    // 19.90 × 3 with VAT included at 24 %: gross 59.70, net 48.145… → 48.15, VAT 11.55.
    assert_eq!(
        line_amounts(1990, 3, rate, true).unwrap(),
        LineAmounts {
            net: 4815,
            vat: 1155,
            total: 5970
        }
    );
    assert_eq!(line_amounts(-1, 1, rate, false), Err(MoneyError::Negative));
    assert_eq!(line_amounts(1, -1, rate, false), Err(MoneyError::Negative));
    assert_eq!(
        line_amounts(MAX_MINOR, 2, rate, false),
        Err(MoneyError::TooLarge)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Printing then reading gives the amount back, in every currency.
    #[test]
    fn print_then_parse_is_identity(minor in 0..=MAX_MINOR, index in 0..currencies::TABLE.len()) {
        let (code, _) = currencies::TABLE[index];
        let currency = Currency::parse(code).unwrap();
        let text = format_amount(minor, currency);
        prop_assert_eq!(parse_amount(&text, currency), Ok(minor));
    }

    /// Reading a canonical string then printing it gives the string back.
    #[test]
    fn parse_then_print_is_identity(whole in 0u64..10_000_000_000_000, fraction in 0u64..100) {
        let text = format!("{whole}.{fraction:02}");
        let minor = parse_amount(&text, eur()).unwrap();
        prop_assert_eq!(format_amount(minor, eur()), text);
    }

    /// A line's net and VAT add up to its total, and the order's totals are the sums of its
    /// lines, with VAT included or added.
    #[test]
    fn totals_are_the_sums_of_the_lines(
        lines in proptest::collection::vec((0i64..10_000_000, 0i64..1000, 0i64..=10_000, any::<bool>()), 0..50)
    ) {
        let amounts: Vec<LineAmounts> = lines
            .iter()
            .map(|(unit, qty, rate, incl)| line_amounts(*unit, *qty, VatRate::from_hundredths(*rate), *incl).unwrap())
            .collect();
        for (line, (unit, qty, _, incl)) in amounts.iter().zip(&lines) {
            prop_assert_eq!(line.net + line.vat, line.total);
            prop_assert!(line.vat >= 0 && line.net >= 0);
            if *incl {
                prop_assert_eq!(line.total, unit * qty);
            } else {
                prop_assert_eq!(line.net, unit * qty);
            }
        }
        let sum = totals(&amounts).unwrap();
        prop_assert_eq!(sum.net, amounts.iter().map(|l| l.net).sum::<i64>());
        prop_assert_eq!(sum.vat, amounts.iter().map(|l| l.vat).sum::<i64>());
        prop_assert_eq!(sum.total, sum.net + sum.vat);
    }

    /// Nothing a client writes makes the reader panic.
    #[test]
    fn any_text_is_read_or_refused(text in ".{0,40}") {
        let _ = parse_amount(&text, eur());
        let _ = VatRate::parse(&text);
        let _ = Currency::parse(&text);
    }
}
