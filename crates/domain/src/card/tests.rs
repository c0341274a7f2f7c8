use super::*;
use proptest::prelude::*;

fn check(input: &str, expected: &str) {
    assert_eq!(mask_pans(input), expected, "masking {input:?}");
}

#[test]
fn the_major_schemes_are_masked_in_every_shape() {
    let cases = [
        // Visa 13, 16, 19.
        ("4222222222222", "*********2222"),
        ("4111 1111 1111 1111", "**** **** **** 1111"),
        ("4242-4242-4242-4242", "****-****-****-4242"),
        ("4111111111111111110", "***************1110"),
        ("4111 1111 1111 1111 110", "**** **** **** ***1 110"),
        // Mastercard 51–55 and 2221–2720.
        ("5555 5555 5555 4444", "**** **** **** 4444"),
        ("5105105105105100", "************5100"),
        ("2221-0000-0000-0009", "****-****-****-0009"),
        ("2720 9900 0000 0007", "**** **** **** 0007"),
        // American Express, 4-6-5.
        ("3782 822463 10005", "**** ****** *0005"),
        ("371449635398431", "***********8431"),
        // Discover, JCB.
        ("6011 1111 1111 1117", "**** **** **** 1117"),
        ("6011-0009-9013-9424", "****-****-****-9424"),
        ("3530111333300000", "************0000"),
        ("3528 0000 0000 0007", "**** **** **** 0007"),
        // Diners 14, 4-6-4.
        ("3056 930902 5904", "**** ****** 5904"),
        ("38520000023237", "**********3237"),
        // UnionPay 19, Maestro.
        ("6212 3456 7890 0000 003", "**** **** **** ***0 003"),
        ("6759649826438453", "************8453"),
        ("5018-0000-0000-0009", "****-****-****-0009"),
        ("6799990100000000019", "***************0019"),
    ];
    for (pan, masked) in cases {
        check(pan, masked);
        check(
            &format!("My card is {pan}, expiry 12/29."),
            &format!("My card is {masked}, expiry 12/29."),
        );
        check(
            &format!("<p>Card: <b>{pan}</b></p>"),
            &format!("<p>Card: <b>{masked}</b></p>"),
        );
        check(&format!("({pan})\n"), &format!("({masked})\n"));
    }
}

#[test]
fn a_number_followed_by_its_code_or_joined_by_html_spaces_is_masked() {
    check("4111 1111 1111 1111 123", "**** **** **** 1111 123");
    check(
        "4111&nbsp;1111&nbsp;1111&nbsp;1111",
        "****&nbsp;****&nbsp;****&nbsp;1111",
    );
    check(
        "4111\u{a0}1111\u{a0}1111\u{a0}1111",
        "****\u{a0}****\u{a0}****\u{a0}1111",
    );
    check(
        "two: 4111111111111111 and 5555-5555-5555-4444",
        "two: ************1111 and ****-****-****-4444",
    );
}

#[test]
fn numbers_that_only_look_like_card_numbers_stay() {
    for text in [
        "Order 4111111111111112 shipped",
        "order no. 12345678901234",
        "call +358 40 123 4567 890",
        "+44 4111 1111 1111 1111",
        "phone 0401234567",
        "IBAN DE89 3704 0044 0532 0130 00",
        "IBAN GB29NWBK60161331926819",
        "FI21 1234 5600 0007 85",
        "at 2026-01-02 12:30:45.123456",
        "ts 2026010212304512",
        "ref INV4111111111111111",
        "amount 1.4111111111111111",
        "a 25-digit run 4111111111111111111111111",
        "4111 1111 1111 111",
        "uuid 550e8400-e29b-41d4-a716-446655440000",
        "",
        "no digits at all",
    ] {
        check(text, text);
        assert!(matches!(mask_pans(text), Cow::Borrowed(_)));
    }
}

#[test]
fn luhn_is_the_textbook_check() {
    assert!(luhn_valid(b"79927398713"));
    assert!(!luhn_valid(b"79927398710"));
    assert!(!luhn_valid(b""));
}

#[test]
fn bytes_keep_their_length_and_non_ascii_text() {
    let raw = "Kortti: 4111 1111 1111 1111 – kiitos, äiti".as_bytes();
    let masked = mask_pans_in_bytes(raw);
    assert_eq!(masked.len(), raw.len());
    assert_eq!(
        std::str::from_utf8(&masked).ok(),
        Some("Kortti: **** **** **** 1111 – kiitos, äiti")
    );
    assert!(contains_pan(raw));
    assert!(!contains_pan(&masked));
}

/// A Luhn-valid number of `len` digits starting with `prefix`.
fn pan(prefix: &str, body: &str, len: usize) -> String {
    let mut digits: String = prefix.chars().chain(body.chars()).take(len - 1).collect();
    while digits.len() < len - 1 {
        digits.push('0');
    }
    for check in '0'..='9' {
        let candidate = format!("{digits}{check}");
        if luhn_valid(candidate.as_bytes()) {
            return candidate;
        }
    }
    unreachable!("one check digit always fits")
}

/// Digit groups joined by single spaces or dashes, as an independent reading of the text.
fn windows_valid(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        let mut groups: Vec<String> = Vec::new();
        let mut current = String::new();
        while at < bytes.len() {
            let b = bytes[at];
            if b.is_ascii_digit() {
                current.push(b as char);
                at += 1;
            } else if (b == b' ' || b == b'-')
                && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
                && !current.is_empty()
            {
                groups.push(std::mem::take(&mut current));
                at += 1;
            } else {
                break;
            }
        }
        groups.push(current);
        for first in 0..groups.len() {
            let mut digits = String::new();
            for group in &groups[first..] {
                digits.push_str(group);
                if (MIN_PAN_DIGITS..=MAX_PAN_DIGITS).contains(&digits.len())
                    && luhn_valid(digits.as_bytes())
                {
                    return true;
                }
            }
        }
    }
    false
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Zäö]{1,8}",
        "[0-9]{1,8}",
        ("[2-6]", "[0-9]{18}", 13usize..=19).prop_map(|(p, b, n)| pan(&p, &b, n)),
        (
            "[2-6]",
            "[0-9]{18}",
            13usize..=19,
            prop::sample::select(vec![" ", "-"])
        )
            .prop_map(|(p, b, n, sep)| {
                let pan = pan(&p, &b, n);
                let groups: Vec<&str> = pan
                    .as_bytes()
                    .chunks(4)
                    .map(|c| std::str::from_utf8(c).unwrap_or(""))
                    .collect();
                groups.join(sep)
            }),
    ]
}

/// A number that fails the Luhn check by one in its last digit.
fn near_pan() -> impl Strategy<Value = String> {
    ("[2-6]", "[0-9]{18}", 13usize..=19).prop_map(|(p, b, n)| {
        let mut pan = pan(&p, &b, n).into_bytes();
        let last = pan.len() - 1;
        pan[last] = b'0' + (pan[last] - b'0' + 1) % 10;
        String::from_utf8(pan).unwrap_or_default()
    })
}

fn joined(tokens: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            tokens,
            prop::sample::select(vec![" ", "-", ", ", "\n", "  ", " – ", "<br>"]),
        ),
        0..12,
    )
    .prop_map(|parts| parts.into_iter().map(|(t, j)| format!("{t}{j}")).collect())
}

fn text() -> impl Strategy<Value = String> {
    joined(token())
}

fn plain_text() -> impl Strategy<Value = String> {
    joined(prop_oneof!["[a-zA-Zäö]{1,8}", "[0-9]{1,3}", near_pan()])
}

proptest! {
    #[test]
    fn masked_text_holds_no_card_number(input in text()) {
        let masked = mask_pans(&input);
        prop_assert!(!windows_valid(&masked), "{input:?} → {masked:?}");
        prop_assert_eq!(masked.len(), input.len());
    }

    #[test]
    fn masking_is_idempotent(input in text()) {
        let once = mask_pans(&input).into_owned();
        prop_assert_eq!(mask_pans(&once), once.as_str());
    }

    #[test]
    fn text_without_a_card_number_is_unchanged(input in plain_text()) {
        prop_assume!(!windows_valid(&input));
        prop_assert_eq!(mask_pans(&input), input.as_str());
    }
}

/// Every file of the security corpora, each line as a text.
fn corpus_lines() -> Vec<Vec<u8>> {
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security"
    );
    let mut lines = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                lines.push(bytes.clone());
                lines.extend(bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec));
            }
        }
    }
    assert!(lines.len() > 1000, "the whole corpus");
    lines
}

#[test]
fn the_security_corpora_pass_through_unchanged_or_masked() {
    for bytes in corpus_lines() {
        let masked = mask_pans_in_bytes(&bytes);
        assert_eq!(masked.len(), bytes.len());
        assert!(!contains_pan(&masked));
        assert_eq!(mask_pans_in_bytes(&masked), masked);
        if !contains_pan(&bytes) {
            assert!(matches!(masked, Cow::Borrowed(_)));
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            assert_eq!(mask_pans(text).as_bytes(), &masked[..]);
        }
    }
}
