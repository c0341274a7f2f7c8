//! Property tests: the parser never panics, and building round-trips any text.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use tiski_mail::{
    Address, OutgoingEmail, build, parse, split_quoted, strip_reply_prefixes, ticket_tag,
};

use crate::corpus::messages_under;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_never_panics_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn parse_never_panics_on_header_like_noise(
        lines in proptest::collection::vec("[A-Za-z-]{1,12}: [ -~]{0,40}|--[a-z]{0,6}|[ -~]{0,60}", 0..30)
    ) {
        let raw = format!(
            "Content-Type: multipart/mixed; boundary=a\r\n{}",
            lines.join("\r\n")
        );
        let _ = parse(raw.as_bytes());
    }

    #[test]
    fn text_helpers_never_panic(text in "\\PC{0,300}") {
        let (new, quoted) = split_quoted(&text);
        prop_assert!(new.len() <= text.len() || quoted.is_none());
        let _ = ticket_tag(&text);
        let _ = strip_reply_prefixes(&text);
    }

    #[test]
    fn any_subject_and_text_round_trip(subject in "[^\\p{C}]{0,80}", text in "[^\\p{C}\\r]{1,300}") {
        let message = OutgoingEmail {
            from: Address::new(Some("Ž"), "a@example.com"),
            to: vec![Address::new(None, "b@example.com")],
            subject: subject.clone(),
            message_id: "p.tiski@example.com".to_string(),
            text: text.clone(),
            ..OutgoingEmail::default()
        };
        let email = parse(&build(&message)).expect("own message parses");
        let expected_subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert_eq!(email.subject, expected_subject);
        let got = email.text.replace("\r\n", "\n");
        prop_assert_eq!(got.trim_end(), text.trim_end());
    }
}

#[test]
fn truncated_corpus_messages_never_panic() {
    // Every bounce and odd-MIME message cut at pseudo-random points: a mailbox that is read
    // while it is being written, or a message cut by a size limit.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let messages: Vec<_> = [
        "stalwart-mail-parser",
        "sisimai-bounces/maildir/bsd",
        "flanker/messages",
    ]
    .iter()
    .flat_map(|folder| messages_under(folder))
    .collect();
    assert!(messages.len() > 500);
    let mut parser_failures = 0;
    for (path, bytes) in &messages {
        let cuts = proptest::collection::vec(0..=bytes.len(), 3);
        let cuts = cuts.new_tree(&mut runner).expect("strategy").current();
        for cut in cuts {
            let result = std::panic::catch_unwind(|| parse(&bytes[..cut]));
            assert!(result.is_ok(), "{} cut at {cut} panicked", path.display());
            if let Ok(Err(tiski_mail::ParseError::ParserFailed)) = result {
                parser_failures += 1;
            }
        }
    }
    // mail-parser's internal `debug_assert!`s fire on some cuts in debug builds; `parse`
    // turns them into `ParserFailed` instead of unwinding into the caller.
    println!(
        "truncated: {} messages, 3 cuts each, {parser_failures} ParserFailed",
        messages.len()
    );
}
