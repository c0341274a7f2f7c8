//! Hand-written cases: charsets, quote splitting in our languages, subjects, classification.

use tiski_mail::{AutoKind, ParsedEmail, parse, split_quoted, strip_reply_prefixes, ticket_tag};

/// Builds a message from header lines and a raw body (bytes, so any charset can be used).
fn message(headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut raw = Vec::new();
    for header in headers {
        raw.extend_from_slice(header.as_bytes());
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"\r\n");
    raw.extend_from_slice(body);
    raw
}

fn parse_ok(raw: &[u8]) -> ParsedEmail {
    parse(raw).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(raw)))
}

#[test]
fn charsets_are_decoded() {
    let check = |content_type: &str, encoding: &str, body: &[u8], expected: &str| {
        let raw = message(
            &[
                "From: a@example.com",
                "Subject: charset",
                "MIME-Version: 1.0",
                &format!("Content-Type: {content_type}"),
                &format!("Content-Transfer-Encoding: {encoding}"),
            ],
            body,
        );
        let email = parse_ok(&raw);
        assert_eq!(email.text.trim(), expected, "{content_type} {encoding}");
    };
    check(
        "text/plain; charset=ISO-8859-2",
        "8bit",
        b"Za\xbf\xf3\xb3\xe6 g\xea\xb6l\xb1 ja\xbc\xf1",
        "Zażółć gęślą jaźń",
    );
    check(
        "text/plain; charset=iso-8859-13",
        "8bit",
        b"\xa5\xdeydr\xfbn\xeb\xb4, a\xe8i\xfb u\xfe lai\xf0k\xe0",
        "„Žydrūnė“, ačiū už laišką",
    );
    check(
        "text/plain; charset=\"windows-1257\"",
        "8bit",
        b"\x84\xdeydr\xfbn\xeb\x93, a\xe8i\xfb u\xfe lai\xf0k\xe0",
        "„Žydrūnė“, ačiū už laišką",
    );
    check(
        "text/plain; charset=utf-8",
        "quoted-printable",
        b"=C5=81ukasz Wi=C5=9Bniewski: dzi=C4=99kuj=C4=99 za pomoc",
        "Łukasz Wiśniewski: dziękuję za pomoc",
    );
    check(
        "text/plain; charset=UTF-8",
        "base64",
        b"S2lpdG9zIGF2dXN0YSwgxb15ZHLFq27ElyEgU2FsYW1hdCBwby4=",
        "Kiitos avusta, Žydrūnė! Salamat po.",
    );
    // A body declared as ISO-8859-2 but quoted-printable.
    check(
        "text/plain; charset=iso-8859-2",
        "quoted-printable",
        b"Dzi=EAkuj=EA",
        "Dziękuję",
    );
}

#[test]
fn encoded_word_subjects_and_names_are_decoded() {
    let check = |subject: &str, from: &str, expected_subject: &str, expected_name: &str| {
        let raw = message(
            &[&format!("From: {from}"), &format!("Subject: {subject}")],
            b"body",
        );
        let email = parse_ok(&raw);
        assert_eq!(email.subject, expected_subject);
        let sender = email.from.expect("from");
        assert_eq!(sender.name.as_deref(), Some(expected_name));
    };
    check(
        "=?iso-8859-2?q?Odpowied=BC=3A_zam=F3wienie_nr_12?=",
        "=?utf-8?q?=C5=81ukasz_Wi=C5=9Bniewski?= <Lukasz@Example.PL>",
        "Odpowiedź: zamówienie nr 12",
        "Łukasz Wiśniewski",
    );
    check(
        "=?utf-8?b?VcW+c2FreW1hcyBOci4gNTogYcSNacWr?=",
        "=?windows-1257?q?=DEydr=FBn=EB?= <zydrune@example.lt>",
        "Užsakymas Nr. 5: ačiū",
        "Žydrūnė",
    );
    check(
        "=?windows-1257?q?U=FEsakymas_a=E8i=FB?=\r\n =?UTF-8?Q?_[#42]?=",
        "\"Juan dela Cruz\" <juan@example.ph>",
        "Užsakymas ačiū [#42]",
        "Juan dela Cruz",
    );
}

#[test]
fn headers_are_normalised() {
    let raw = message(
        &[
            "From: \"Support Tester\" <Tester@Example.COM>",
            "Reply-To: replies@example.com",
            "To: a@example.com, \"B\" <B@example.com>",
            "To: c@example.com",
            "Cc: undisclosed-recipients:;",
            "Message-ID: <abc@example.com>",
            "In-Reply-To: <one@example.com>",
            "References: <zero@example.com>\r\n <one@example.com>",
            "Date: Tue, 1 Jul 2025 10:00:00 +0300",
            "Subject:   Hello\r\n\tthere  ",
        ],
        b"Hi",
    );
    let email = parse_ok(&raw);
    assert_eq!(email.message_id.as_deref(), Some("abc@example.com"));
    assert_eq!(email.in_reply_to, ["one@example.com"]);
    assert_eq!(email.references, ["zero@example.com", "one@example.com"]);
    assert_eq!(email.subject, "Hello there");
    assert_eq!(
        email.from.as_ref().map(|a| a.email.as_str()),
        Some("tester@example.com")
    );
    assert_eq!(
        email.reply_to.map(|a| a.email),
        Some("replies@example.com".to_string())
    );
    let to: Vec<_> = email.to.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(to, ["a@example.com", "b@example.com", "c@example.com"]);
    assert!(email.cc.is_empty());
    assert_eq!(email.date, Some(1_751_353_200));
    assert_eq!(email.auto, AutoKind::Human);
    assert_eq!(email.new_text, "Hi");
}

#[test]
fn html_only_messages_get_text_and_keep_html() {
    let raw = message(
        &["From: a@example.com", "Content-Type: text/html; charset=utf-8"],
        b"<html><body><p>Hyv\xc3\xa4\xc3\xa4 p\xc3\xa4iv\xc3\xa4\xc3\xa4</p><script>x()</script></body></html>",
    );
    let email = parse_ok(&raw);
    assert!(email.text.contains("Hyvää päivää"), "{:?}", email.text);
    assert!(
        email
            .html
            .as_deref()
            .is_some_and(|h| h.contains("<script>")),
        "HTML is kept as sent"
    );
}

#[test]
fn unparseable_input_is_an_error() {
    assert_eq!(parse(b""), Err(tiski_mail::ParseError::Empty));
    assert_eq!(parse(b" \r\n\r\n"), Err(tiski_mail::ParseError::Empty));
    assert!(parse(b"\r\n\r\njust a body").is_err());
    assert!(!tiski_mail::ParseError::NoHeaders.to_string().is_empty());
}

#[test]
fn split_quoted_cases() {
    // (input, expected new text, whether something was cut)
    let check = |text: &str, expected_new: &str, cut: bool| {
        let (new, quoted) = split_quoted(text);
        assert_eq!(new, expected_new, "{text:?}");
        assert_eq!(quoted.is_some(), cut, "{text:?}");
        if let Some(quoted) = quoted {
            assert!(
                text.contains(&quoted),
                "the quoted part comes from the text"
            );
        }
    };
    // Nothing quoted: unchanged, byte for byte.
    check("Hei,\n\nkiitos!\n", "Hei,\n\nkiitos!\n", false);
    // English.
    check(
        "Thanks, works now.\n\nOn Mon, 3 Mar 2025 at 10:00, Tiski Support <support@example.com> wrote:\n> Please try again.\n",
        "Thanks, works now.",
        true,
    );
    check(
        "Thanks!\n\nOn Mon, Mar 3, 2025 at 10:00 AM Tiski Support <\nsupport@example.com> wrote:\n\n> Please try again.\n",
        "Thanks!",
        true,
    );
    // Finnish (Gmail and Outlook).
    check(
        "Kiitos nopeasta vastauksesta!\n\nma 3. maalisk. 2025 klo 10.00 Tiski Tuki <tuki@example.fi> kirjoitti:\n> Hei,\n",
        "Kiitos nopeasta vastauksesta!",
        true,
    );
    check(
        "Ongelma jatkuu.\n\nLähettäjä: Tiski Tuki <tuki@example.fi>\nLähetetty: maanantai 3. maaliskuuta 2025 10.00\nVastaanottaja: Matti <matti@example.fi>\nAihe: RE: Tilaus [#12]\n\nHei Matti,\n",
        "Ongelma jatkuu.",
        true,
    );
    // Polish (Gmail, Thunderbird, Outlook).
    check(
        "Dziękuję, działa.\n\npon., 3 mar 2025 o 10:00 Tiski Pomoc <pomoc@example.pl> napisał(a):\n> Dzień dobry,\n",
        "Dziękuję, działa.",
        true,
    );
    check(
        "Nadal nie działa.\n\nW dniu 3.03.2025 o 10:00, Tiski Pomoc pisze:\n> Proszę spróbować ponownie.\n",
        "Nadal nie działa.",
        true,
    );
    check(
        "OK\n\nOd: Tiski Pomoc <pomoc@example.pl>\nWysłano: poniedziałek, 3 marca 2025 10:00\nDo: Jan <jan@example.pl>\nTemat: Zamówienie\n\nTreść",
        "OK",
        true,
    );
    // Lithuanian (Gmail and Outlook).
    check(
        "Ačiū, gavau.\n\n2025-03-03, pr, 10:00, Tiski Pagalba <pagalba@example.lt> rašė:\n> Sveiki,\n",
        "Ačiū, gavau.",
        true,
    );
    check(
        "Vis dar neveikia.\n\nNuo: Tiski Pagalba <pagalba@example.lt>\nIšsiųsta: 2025 m. kovo 3 d. 10:00\nKam: Jonas <jonas@example.lt>\nTema: Užsakymas\n\nSveiki,",
        "Vis dar neveikia.",
        true,
    );
    // Tagalog / Filipino (Gmail).
    check(
        "Salamat po!\n\nNoong Lun, Mar 3, 2025 nang 10:00 AM, sumulat si Tiski Support <support@example.ph>:\n> Magandang araw,\n",
        "Salamat po!",
        true,
    );
    // Outlook, English, with the underscore separator.
    check(
        "Still broken.\n\n________________________________\nFrom: Tiski Support <support@example.com>\nSent: Monday, March 3, 2025 10:00 AM\nTo: Ann <ann@example.com>\nSubject: RE: Order\n\nHello Ann,",
        "Still broken.",
        true,
    );
    // Original Message separators.
    check(
        "Yes.\n\n-----Original Message-----\nFrom: x\n",
        "Yes.",
        true,
    );
    check(
        "Tak.\n\n-----Oryginalna wiadomość-----\nOd: x\n",
        "Tak.",
        true,
    );
    // Signature separator.
    check("See you.\n-- \nAnn\nACME\n", "See you.", true);
    // A trailing quote without attribution.
    check(
        "Agreed.\n\n> Shall we ship on Friday?\n> Yes?\n",
        "Agreed.",
        true,
    );
    // Inline answers below quotes are kept whole.
    let inline = "On Mon, 3 Mar 2025, Bob <bob@example.com> wrote:\n> Question one?\n\nAnswer one.\n\n> Question two?\n\nAnswer two.\n";
    check(inline, inline, false);
    let mixed =
        "Hi,\nOn Mon, 3 Mar 2025, Bob <bob@example.com> wrote:\n> Question one?\n\nAnswer one.\n";
    check(mixed, mixed, false);
    // A bottom-posted reply keeps the answer.
    check(
        "On Mon, 3 Mar 2025, Bob <bob@example.com> wrote:\n> Question?\n\nThe answer.\n",
        "The answer.",
        true,
    );
    // Forwarded content is not quoted history: it is what the customer wants us to read.
    let forward = "See below.\n\n---------- Forwarded message ---------\nFrom: Shop <shop@example.com>\nDate: Mon, 3 Mar 2025\nSubject: Invoice\n\nInvoice text";
    let (new, _) = split_quoted(forward);
    assert!(new.contains("Forwarded message"), "{new:?}");
    // A sentence that ends in "wrote:" is not a header.
    check(
        "This is what she wrote:\nThe server is down.\n",
        "This is what she wrote:\nThe server is down.\n",
        false,
    );
    // Only a quote: nothing would be left, so nothing is cut.
    check("> only quoted\n", "> only quoted\n", false);
    // CRLF line endings.
    check(
        "Thanks.\r\n\r\nOn Mon, 3 Mar 2025 at 10:00, S <s@example.com> wrote:\r\n> x\r\n",
        "Thanks.",
        true,
    );
}

#[test]
fn ticket_tags_are_found() {
    let check = |subject: &str, expected: Option<i64>| {
        assert_eq!(ticket_tag(subject), expected, "{subject:?}");
    };
    check("Re: Order problem [#1234]", Some(1234));
    check("[#7] hello", Some(7));
    check("AW: [#0042] Rechnung", Some(42));
    check("Re: [# 12] spaced", None);
    check("[#12a] not a number", None);
    check("[#] empty", None);
    check("[#99999999999999999999] too big", None);
    check("[#12", None);
    check("Issue #12 without brackets", None);
    check("[#x] then [#55]", Some(55));
    check("Ž [#5] ąčę", Some(5));
    check("", None);
}

#[test]
fn reply_prefixes_are_stripped() {
    let check = |subject: &str, expected: &str| {
        assert_eq!(strip_reply_prefixes(subject), expected, "{subject:?}");
    };
    check("Re: Hello", "Hello");
    check("RE: RE: Fwd: Hello", "Hello");
    check("AW: WG: Rechnung", "Rechnung");
    check("VS: VL: Tilaus", "Tilaus");
    check("Odp: PD: Zamówienie", "Zamówienie");
    check("Ats: Pers: Užsakymas", "Užsakymas");
    check("SV: Fråga", "Fråga");
    check("TR: RE : Facture", "Facture");
    check("Re[2]: Hello", "Hello");
    check("Re(3): Hello", "Hello");
    check("Re: [#123] Re: Order problem", "Order problem");
    check("Order problem [#123]", "Order problem");
    check("  Re:   spaced    out  ", "spaced out");
    check("Reply needed", "Reply needed");
    check("Regarding: tickets", "Regarding: tickets");
    check("Re:", "");
    check("", "");
}

#[test]
fn auto_kind_from_headers_and_subjects() {
    let check = |headers: &[&str], expected: AutoKind| {
        let mut all = vec!["From: someone@example.com"];
        all.extend_from_slice(headers);
        let email = parse_ok(&message(&all, b"I am away."));
        assert_eq!(email.auto, expected, "{headers:?}");
    };
    check(&["Subject: Question"], AutoKind::Human);
    check(
        &["Subject: Question", "Auto-Submitted: no"],
        AutoKind::Human,
    );
    check(
        &["Subject: Hi", "Auto-Submitted: auto-replied"],
        AutoKind::AutoReply,
    );
    check(
        &["Subject: Hi", "Auto-Submitted: auto-generated"],
        AutoKind::AutoReply,
    );
    check(&["Subject: Hi", "X-Autoreply: yes"], AutoKind::AutoReply);
    check(&["Subject: Hi", "X-Autorespond: yes"], AutoKind::AutoReply);
    check(&["Subject: Hi", "Return-Path: <>"], AutoKind::AutoReply);
    check(&["Subject: Out of Office: Question"], AutoKind::AutoReply);
    check(&["Subject: Automatic reply: Question"], AutoKind::AutoReply);
    check(
        &["Subject: Automaattinen vastaus: Kysymys"],
        AutoKind::AutoReply,
    );
    check(&["Subject: Poza biurem: Pytanie"], AutoKind::AutoReply);
    check(
        &["Subject: Automatinis atsakymas: Klausimas"],
        AutoKind::AutoReply,
    );
    check(
        &["Subject: =?utf-8?q?Automatyczna_odpowied=C5=BA?="],
        AutoKind::AutoReply,
    );
    // Autoresponders often also say bulk; the auto-reply wins.
    check(
        &["Subject: Out of office", "Precedence: bulk"],
        AutoKind::AutoReply,
    );
    check(&["Subject: News", "Precedence: bulk"], AutoKind::Bulk);
    check(&["Subject: News", "Precedence: junk"], AutoKind::Bulk);
    check(
        &["Subject: News", "List-Id: <news.example.com>"],
        AutoKind::Bulk,
    );
    check(
        &["Subject: News", "List-Unsubscribe: <mailto:u@example.com>"],
        AutoKind::Bulk,
    );
}

#[test]
fn a_plain_exim_bounce_is_recognised() {
    let raw = message(
        &[
            "From: Mail Delivery System <Mailer-Daemon@mx.example.com>",
            "To: support@tiski.example",
            "Subject: Mail delivery failed: returning message to sender",
            "X-Failed-Recipients: Nobody@Example.org",
        ],
        b"This message was created automatically by mail delivery software.\r\n\r\n\
A message that you sent could not be delivered to one or more of its\r\n\
recipients. This is a permanent error. The following address(es) failed:\r\n\r\n\
  nobody@example.org\r\n\
    host mx.example.org [192.0.2.1]\r\n\
    SMTP error from remote mail server after RCPT TO:<nobody@example.org>:\r\n\
    550 5.1.1 User unknown\r\n\r\n\
------ This is a copy of the message, including all the headers. ------\r\n\r\n\
Message-ID: <reply-1.tiski@tiski.example>\r\n\
Subject: Re: [#12] Order\r\n",
    );
    let email = parse_ok(&raw);
    let bounce = email.bounce.expect("bounce");
    assert_eq!(
        bounce.original_message_id.as_deref(),
        Some("reply-1.tiski@tiski.example")
    );
    assert_eq!(bounce.recipients.len(), 1);
    let recipient = &bounce.recipients[0];
    assert_eq!(recipient.email, "nobody@example.org");
    assert_eq!(recipient.action, "failed");
    assert_eq!(recipient.status.as_deref(), Some("5.1.1"));
    assert_eq!(email.auto, AutoKind::AutoReply);
}

#[test]
fn a_customer_forwarding_a_bounce_is_not_a_bounce() {
    let raw = message(
        &[
            "From: Ann <ann@example.com>",
            "Subject: Fwd: Undelivered Mail Returned to Sender",
        ],
        b"Why did this bounce?\r\n\r\n---------- Forwarded message ---------\r\nFrom: MAILER-DAEMON\r\n\r\nThis is the mail system. Your message could not be delivered.\r\n",
    );
    let email = parse_ok(&raw);
    assert_eq!(email.bounce, None);
    assert_eq!(email.auto, AutoKind::Human);
}
