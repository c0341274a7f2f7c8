//! Tests driven by the shared email corpus.

use std::path::{Path, PathBuf};

use tiski_mail::{AutoKind, ParsedEmail, parse, split_quoted};

/// The corpus directory, resolved from this crate so that it works from any working directory.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/email")
}

/// Every file under `dir`, sorted, so that reports are stable.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Expected-output files of the source projects and other non-messages, by name.
fn is_expectation_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    matches!(
        extension,
        "json" | "xml" | "out" | "html" | "htm" | "md" | "bin" | "tsv" | "csv"
    ) || name.contains("_decoded")
        || name.contains(".expected.")
        || name.starts_with("COPYING")
        || name.starts_with("LICENSE")
}

/// Whether the file starts like a message: a header field or an mbox `From ` line.
fn is_message_shaped(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = &bytes[start..];
    if head.starts_with(b"From ") {
        return true;
    }
    let line_end = head
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(head.len());
    let line = &head[..line_end];
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b':'),
        _ => false,
    }
}

/// Whether a corpus file is a message: `.eml`/`.msg` files always (malformed ones included),
/// other files when they start like one and are not a source project's expected output.
pub fn is_message(path: &Path, bytes: &[u8]) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    matches!(extension, "eml" | "msg") || !is_expectation_file(path) && is_message_shaped(bytes)
}

/// The message files of the corpus (or of one of its folders).
pub fn messages_under(folder: &str) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(&corpus_dir().join(folder))
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            is_message(&path, &bytes).then_some((path, bytes))
        })
        .collect()
}

/// Parses a corpus file and fails with its name when it does not parse.
pub fn parse_file(relative: &str) -> ParsedEmail {
    let path = corpus_dir().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{relative}: {e}"));
    parse(&bytes).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(corpus_dir())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_corpus_file_parses_or_errors_without_panicking() {
    let all = files_under(&corpus_dir());
    assert!(
        all.len() > 2000,
        "corpus not found at {}",
        corpus_dir().display()
    );
    let mut panicked = Vec::new();
    let mut parsed = 0;
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut skipped = 0;
    let mut with_text = 0;
    let mut with_attachments = 0;
    for path in &all {
        let bytes = std::fs::read(path).expect("readable corpus file");
        // Every file, message or not, must not panic the parser.
        let outcome = std::panic::catch_unwind(|| parse(&bytes));
        let Ok(result) = outcome else {
            panicked.push(relative(path));
            continue;
        };
        if !is_message(path, &bytes) {
            skipped += 1;
            continue;
        }
        match result {
            Ok(email) => {
                parsed += 1;
                with_text += usize::from(!email.text.trim().is_empty());
                with_attachments += usize::from(!email.attachments.is_empty());
            }
            Err(error) => errors.push((relative(path), error.to_string())),
        }
    }
    println!(
        "corpus: {} files, {parsed} parsed ({with_text} with text, {with_attachments} with \
         attachments), {} errors, {skipped} skipped as not messages, {} panicked",
        all.len(),
        errors.len(),
        panicked.len()
    );
    for (path, error) in &errors {
        println!("  error: {path}: {error}");
    }
    assert!(panicked.is_empty(), "parse panicked on: {panicked:#?}");
    // Measured: 1,575 parsed, 6 errors. Two are mime4j's deliberately header-less messages,
    // three are text files that merely start like a header (`https://…`, `One: …`), and
    // `spamassassin/nice/mime9` trips a `debug_assert!` inside mail-parser in debug builds
    // (caught and returned as `ParserFailed`; release builds parse it).
    assert!(parsed >= 1550, "only {parsed} messages parsed");
    assert!(errors.len() <= 8, "unexpected errors: {errors:#?}");
}

/// Folders holding delivery reports.
const BOUNCE_FOLDERS: &[&str] = &[
    "sisimai-bounces",
    "perl-bounceparser",
    "flanker/messages/bounce",
    "ruby-mail-gem/error_emails",
    "ruby-mail-gem/multipart_report_emails",
    "nodemailer-mailparser",
];

fn contains_ignore_case(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

/// Share of `files` for which `passes` holds; prints the failures and the figure.
fn share(area: &str, files: &[(PathBuf, Vec<u8>)], passes: impl Fn(&ParsedEmail) -> bool) -> f64 {
    let mut passed = 0;
    for (path, bytes) in files {
        match parse(bytes) {
            Ok(email) if passes(&email) => passed += 1,
            Ok(email) => println!("  {area}: miss {}: {:?}", relative(path), email.bounce),
            Err(error) => println!("  {area}: error {}: {error}", relative(path)),
        }
    }
    let share = passed as f64 / files.len().max(1) as f64;
    println!("{area}: {passed}/{} = {:.1}%", files.len(), share * 100.0);
    share
}

fn has_failed_recipient(email: &ParsedEmail) -> bool {
    email
        .bounce
        .as_ref()
        .is_some_and(|bounce| bounce.recipients.iter().any(|r| r.action == "failed"))
}

#[test]
fn standard_delivery_status_notifications_name_a_failed_recipient() {
    let dsns: Vec<_> = BOUNCE_FOLDERS
        .iter()
        .flat_map(|folder| messages_under(folder))
        .filter(|(_, bytes)| {
            contains_ignore_case(bytes, "message/delivery-status")
                && contains_ignore_case(bytes, "\nAction: failed")
        })
        .collect();
    assert!(dsns.len() > 400, "only {} DSNs found", dsns.len());
    // Measured: 517 of 519 (99.6%); the two misses are Boxbe challenge-response reports
    // whose per-recipient block says `delayed`.
    let measured = share("RFC 3464 DSN", &dsns, has_failed_recipient);
    assert!(measured >= 0.97, "DSN share fell to {measured}");
}

#[test]
fn plain_text_bounces_from_mail_systems_are_recognised() {
    // Non-RFC 3464 bounces of the MTA families (Exim, qmail, Gmail, Yahoo, Exchange 2003, …).
    let plain: Vec<_> = messages_under("sisimai-bounces/maildir/bsd")
        .into_iter()
        .filter(|(path, bytes)| {
            let name = relative(path);
            (name.contains("/lhost-") || name.contains("/rhost-"))
                && !contains_ignore_case(bytes, "message/delivery-status")
        })
        .collect();
    // Measured: 236 of 252 (93.7%) recognised, 220 (87.3%) with a failed recipient. The
    // misses are Amazon SES JSON notifications, KDDI/au Japanese notices, mailing-list
    // refusals and Verizon/James replies that no subject or sender marks as a bounce.
    let detected = share("plain bounce", &plain, |email| email.bounce.is_some());
    let failed = share(
        "plain bounce, failed recipient",
        &plain,
        has_failed_recipient,
    );
    assert!(detected >= 0.88, "plain bounce share fell to {detected}");
    assert!(
        failed >= 0.83,
        "plain bounce recipient share fell to {failed}"
    );
}

#[test]
fn known_non_bounces_yield_no_bounce() {
    let files = [
        "sisimai-bounces/maildir/not/is-not-bounce-01.eml",
        "sisimai-bounces/maildir/not/is-not-bounce-02.eml",
        "sisimai-bounces/maildir/not/rb-issue-368-bug.eml",
        "sisimai-bounces/maildir/bsd/rfc3834-01.eml",
        "sisimai-bounces/maildir/bsd/rfc3834-02.eml",
        "sisimai-bounces/maildir/bsd/rfc3834-03.eml",
        "sisimai-bounces/maildir/bsd/arf-01.eml",
        "sisimai-bounces/maildir/bsd/arf-15.eml",
        "sisimai-bounces/maildir/bsd/lhost-sendmail-14.eml", // a person forwarding a bounce
        "perl-bounceparser/autoreply.msg",
        "perl-bounceparser/aol-vacation.msg",
        "perl-bounceparser/polish-autoreply.msg",
        "flanker/messages/disposition-notification.eml",
        "flanker/messages/complaints/aol.eml",
        "reply-quote-stripping/talon/standard_replies/gmail.eml",
        "django-mailbox/message_with_rfc822_attachment.eml",
    ];
    for file in files {
        let email = parse_file(file);
        assert_eq!(email.bounce, None, "{file}");
    }
    // And over whole folders of ordinary mail.
    for folder in [
        "spamassassin/nice",
        "ruby-mail-gem/plain_emails",
        "django-mailbox",
        "stalwart-mail-parser",
    ] {
        for (path, bytes) in messages_under(folder) {
            if let Ok(email) = parse(&bytes) {
                assert_eq!(email.bounce, None, "{}", relative(&path));
            }
        }
    }
}

#[test]
fn bounce_details_are_read() {
    let check = |file: &str, email: &str, status: Option<&str>, original: Option<&str>| {
        let parsed = parse_file(file);
        let bounce = parsed.bounce.unwrap_or_else(|| panic!("{file}: no bounce"));
        let recipient = bounce
            .recipients
            .iter()
            .find(|r| r.email == email)
            .unwrap_or_else(|| panic!("{file}: {email} not in {:?}", bounce.recipients));
        assert_eq!(recipient.status.as_deref(), status, "{file}");
        assert_eq!(bounce.original_message_id.as_deref(), original, "{file}");
        assert_eq!(parsed.auto, AutoKind::AutoReply, "{file}");
    };
    check(
        "sisimai-bounces/maildir/bsd/lhost-postfix-04.eml",
        "kijitora@example.co.jp",
        Some("5.1.1"),
        Some("A8F82EDD-E518-4F5C-8C70-BC4EFF24AB9F@example.ne.jp"),
    );
    // The returned copy of this one was cut before its headers.
    check(
        "sisimai-bounces/maildir/bsd/lhost-postfix-01.eml",
        "r@p351355.pool.example.ne.jp",
        Some("5.1.1"),
        None,
    );
    check(
        "sisimai-bounces/maildir/bsd/lhost-exim-02.eml",
        "kijitora@example.jp",
        Some("5.1.1"),
        Some("E1X58pB-0004bW-2s@marutamachi.example.org"),
    );
}

#[test]
fn out_of_office_samples_are_auto_replies() {
    let files = [
        "perl-bounceparser/autoreply.msg",
        "perl-bounceparser/aol-vacation.msg",
        "perl-bounceparser/polish-autoreply.msg",
        "perl-bounceparser/warning-6.msg",
        "sisimai-bounces/maildir/bsd/rfc3834-01.eml",
        "sisimai-bounces/maildir/bsd/rfc3834-02.eml",
        "sisimai-bounces/maildir/bsd/rfc3834-03.eml",
        "sisimai-bounces/maildir/bsd/rfc3834-04.eml",
        "sisimai-bounces/maildir/bsd/rfc3834-05.eml",
        "sisimai-bounces/maildir/bsd/rfc3834-06.eml",
        "flanker/messages/disposition-notification.eml",
    ];
    for file in files {
        assert_eq!(parse_file(file).auto, AutoKind::AutoReply, "{file}");
    }
}

#[test]
fn ordinary_messages_are_human() {
    let mut checked = 0;
    for folder in [
        "reply-quote-stripping/talon/standard_replies",
        "ruby-mail-gem/plain_emails",
        "ruby-mail-gem/rfc2822",
        "ruby-mail-gem/multi_charset",
    ] {
        for (path, bytes) in messages_under(folder) {
            let email = parse(&bytes).expect("ordinary message parses");
            assert_eq!(email.auto, AutoKind::Human, "{}", relative(&path));
            checked += 1;
        }
    }
    assert!(checked > 40);
    // Mailing-list mail is bulk, not a person writing to support.
    let list = parse_file("stalwart-mail-parser/thirdparty/014.eml");
    assert_eq!(list.auto, AutoKind::Bulk);
}

const COMMON_FIRST_FRAGMENT: &str = "Fusce bibendum, quam hendrerit sagittis tempor, dui turpis tempus erat, pharetra sodales ante sem sit amet metus.\nNulla malesuada, orci non vulputate lobortis, massa felis pharetra ex, convallis consectetur ex libero eget ante.\nNam vel turpis posuere, rhoncus ligula in, venenatis orci. Duis interdum venenatis ex a rutrum.\nDuis ut libero eu lectus consequat consequat ut vel lorem. Vestibulum convallis lectus urna,\net mollis ligula rutrum quis. Fusce sed odio id arcu varius aliquet nec nec nibh.";

fn read_text(relative: &str) -> String {
    std::fs::read_to_string(corpus_dir().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
        .replace("\r\n", "\n")
}

#[test]
fn crisp_fixtures_split_at_the_quote() {
    // crisp-oss/email-reply-parser's fixtures that start with its common first fragment expect
    // exactly that fragment as the reply (its test.js). Measured: 40 of 43 (93%). The misses
    // keep a mobile signature (`Sent from my Wiko …`, `Gesendet von Outlook für Android`,
    // `Envoyé à partir de Outlook pour iOS`) in the new text: tiski does not cut at those, so
    // that text a customer typed below such a line is never hidden.
    let dir = corpus_dir().join("reply-quote-stripping/crisp-email-reply-parser");
    let (mut total, mut passed) = (0, 0);
    for path in files_under(&dir) {
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("\r\n", "\n");
        if !text.starts_with(COMMON_FIRST_FRAGMENT) {
            continue;
        }
        total += 1;
        let (new, _) = split_quoted(&text);
        if new.trim() == COMMON_FIRST_FRAGMENT {
            passed += 1;
        } else {
            println!("  crisp miss: {}", relative(&path));
        }
    }
    println!("crisp common-fragment fixtures: {passed}/{total}");
    assert!(total >= 40, "fixtures not found");
    assert!(passed * 100 >= total * 90, "{passed}/{total}");
}

#[test]
fn talon_standard_replies_keep_only_the_reply() {
    // talon's test: the reply of every standard_replies/*.eml is "Hello" unless a
    // `<name>_reply_text` file says otherwise. talon keeps signatures and tiski cuts at `-- `,
    // so the expectation is cut at its signature separator too.
    let dir = corpus_dir().join("reply-quote-stripping/talon/standard_replies");
    let mut checked = 0;
    for path in files_under(&dir) {
        if path.extension().and_then(|e| e.to_str()) != Some("eml") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let expected = std::fs::read_to_string(path.with_file_name(format!("{stem}_reply_text")))
            .map(|text| split_quoted(&text).0.trim().to_string())
            .unwrap_or_else(|_| "Hello".to_string());
        let email = parse(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(email.new_text.trim(), expected, "{}", relative(&path));
        checked += 1;
    }
    assert_eq!(checked, 12);
}

#[test]
fn reply_parser_fixtures_from_upstream_tests() {
    // (file, text the new part must contain, text it must not contain), from the assertions
    // in crisp-oss/email-reply-parser's test.js and github/email_reply_parser's tests.
    let check = |file: &str, keeps: &str, drops: Option<&str>| {
        let text = read_text(&format!("reply-quote-stripping/{file}"));
        let (new, _) = split_quoted(&text);
        assert!(new.contains(keeps), "{file}: lost {keeps:?} in {new:?}");
        if let Some(drops) = drops {
            assert!(!new.contains(drops), "{file}: kept {drops:?} in {new:?}");
        }
    };
    let crisp = "crisp-email-reply-parser";
    let github = "github-email_reply_parser";
    check(&format!("{crisp}/email_1.txt"), "-Abhishek Kona", None);
    check(
        &format!("{crisp}/email_2.txt"),
        "You can list the keys",
        None,
    );
    check(
        &format!("{crisp}/email_3.txt"),
        "Having the function would be great.",
        Some("Russell Brown"),
    );
    check(&format!("{crisp}/email_4.txt"), "Awesome", Some("Loader"));
    check(
        &format!("{crisp}/email_6.txt"),
        "I get proper rendering",
        Some("Was this"),
    );
    check(
        &format!("{crisp}/email_one_is_not_on.txt"),
        "One outstanding question",
        Some("The good news"),
    );
    check(
        &format!("{crisp}/email_reply_header.txt"),
        "On the other hand",
        Some("On Wed, Dec 9"),
    );
    check(
        &format!("{crisp}/email_with_regards.txt"),
        "I still have the same problem",
        None,
    );
    check(
        &format!("{crisp}/correct_sig.txt"),
        "correct -- signature",
        Some("rick"),
    );
    check(
        &format!("{crisp}/sig_no_empty_line.txt"),
        "no empty line above",
        Some("rick"),
    );
    check(
        &format!("{crisp}/email_not_a_signature_2.txt"),
        "I hope you can check it",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_1_on_false_positive.txt"),
        "On a separate note",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_2_url_with_wrote.txt"),
        "Best regards",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_3_code_block.txt"),
        "Notice how the code",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_4_from_in_body.txt"),
        "This is the actual message content.",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_6_regards_in_sentence.txt"),
        "with regards to the payment",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_7_multiple_dashes.txt"),
        "Also these equal signs",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_8_sent_from_in_content.txt"),
        "sent from my iPhone app",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_9_nested_quotes.txt"),
        "I agree with the points",
        Some("Thanks for forwarding"),
    );
    check(
        &format!("{crisp}/email_tricky_11_double_signature.txt"),
        "Thanks for your help",
        Some("Senior Developer"),
    );
    check(
        &format!("{crisp}/email_tricky_13_timestamp_variations.txt"),
        "just examples in my content",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_17_forward_header.txt"),
        "See the forwarded message",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_18_inline_reply.txt"),
        "Option C is not suitable",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_19_quote_without_header.txt"),
        "And my final thoughts.",
        None,
    );
    check(
        &format!("{crisp}/email_tricky_20_html_entities.txt"),
        "&gt; 100 and &lt; 200",
        Some("Previous message"),
    );
    check(
        &format!("{crisp}/email_zoho.txt"),
        "running a test?",
        Some("Java su"),
    );
    check(
        &format!("{crisp}/email_custom_quote_header.txt"),
        "Thank you!",
        Some("imdb"),
    );
    check(
        &format!("{crisp}/email_customer_quote_header_2.txt"),
        "Thank you very much.",
        Some("somedude"),
    );
    check(
        &format!("{crisp}/email_customer_quote_header_3.txt"),
        "merci d'avance",
        Some("Someone Somewhere"),
    );
    check(
        &format!("{github}/email_1_2.txt"),
        "You can list the keys",
        None,
    );
    check(
        &format!("{github}/email_1_7.txt"),
        ":+1:",
        Some("Chris Wanstrath"),
    );
    check(&format!("{github}/email_1_8.txt"), "and under this.", None);
    check(
        &format!("{github}/email_2_2.txt"),
        "Outlook with a reply directly above line",
        Some("CRM Comments"),
    );
    check(
        &format!("{github}/email_2_3.txt"),
        "Outlook with a reply directly above line",
        Some("CRM Comments"),
    );
    check(
        &format!("{github}/email_sig_delimiter_in_middle_of_line.txt"),
        "kthxbai",
        None,
    );
    check(
        &format!("{github}/greedy_on.txt"),
        "telnet 127.0.0.1 52698",
        Some("I am having"),
    );
    check(
        &format!("{github}/pathological.txt"),
        "as soon as I",
        Some("John Sullivan"),
    );
}
