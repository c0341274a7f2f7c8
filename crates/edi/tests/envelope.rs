//! Envelope parsing: counts and control numbers, any delimiters and terminators, UNA service
//! strings and release characters, written and read back.

use proptest::prelude::*;
use tiski_edi::{Code, Delimiters, Segment, Syntax, parse, write_interchange};

fn isa(control: &str) -> Segment {
    Segment::new(
        "ISA",
        &[
            "00", "", "00", "", "ZZ", "SENDER", "ZZ", "RECEIVER", "260101", "1200", "U", "00401",
            control, "0", "P",
        ],
    )
}

/// An X12 interchange of `groups` groups of message bodies.
fn x12_segments(groups: &[Vec<Vec<Segment>>]) -> Vec<Segment> {
    let mut body = Vec::new();
    let mut st = 0;
    for (g, messages) in groups.iter().enumerate() {
        let gc = (g + 1).to_string();
        body.push(Segment::new(
            "GS",
            &["PO", "S", "R", "20260101", "1200", &gc, "X", "004010"],
        ));
        for segments in messages {
            st += 1;
            let sc = format!("{st:04}");
            body.push(Segment::new("ST", &["850", &sc]));
            body.extend(segments.iter().cloned());
            let count = (segments.len() + 2).to_string();
            body.push(Segment::new("SE", &[&count, &sc]));
        }
        body.push(Segment::new("GE", &[&messages.len().to_string(), &gc]));
    }
    body.push(Segment::new(
        "IEA",
        &[&groups.len().to_string(), "000000042"],
    ));
    body
}

fn value() -> impl Strategy<Value = String> {
    "[A-Z0-9 .]{0,8}"
}

fn segment() -> impl Strategy<Value = Segment> {
    (
        prop::sample::select(vec!["BEG", "PO1", "N1", "DTM", "REF"]),
        prop::collection::vec(value(), 1..6),
    )
        .prop_map(|(tag, mut values)| {
            if values.last().is_some_and(|v| v.is_empty()) {
                values.push("X".into());
            }
            Segment {
                tag: tag.into(),
                elements: values.into_iter().map(|v| vec![v]).collect(),
            }
        })
}

fn x12_delimiters() -> impl Strategy<Value = Delimiters> {
    (
        prop::sample::select(vec!['*', '|', '^', '!', '\u{1d}']),
        prop::sample::select(vec!['>', ':', '\\', '\u{1f}']),
        prop::sample::select(vec!['~', '\'', '\n', '\u{1c}']),
    )
        .prop_map(|(element, component, segment)| Delimiters {
            element,
            component,
            repetition: None,
            segment,
            release: None,
            decimal: '.',
        })
}

proptest! {
    #[test]
    fn x12_counts_and_terminators(
        groups in prop::collection::vec(
            prop::collection::vec(prop::collection::vec(segment(), 0..5), 1..4), 1..4),
        d in x12_delimiters(),
        newline in any::<bool>(),
    ) {
        let body = x12_segments(&groups);
        let text = write_interchange(Syntax::X12, &isa("000000042"), &body, &d, newline);
        let ic = parse(&text, Syntax::X12).unwrap();
        prop_assert_eq!(ic.all_problems(), Vec::<&tiski_edi::Problem>::new());
        prop_assert_eq!(ic.delimiters.element, d.element);
        prop_assert_eq!(ic.delimiters.segment, d.segment);
        prop_assert_eq!(ic.groups.len(), groups.len());
        prop_assert_eq!(&ic.sender.id, "SENDER");
        for (group, expected) in ic.groups.iter().zip(&groups) {
            prop_assert_eq!(group.messages.len(), expected.len());
            for (message, segments) in group.messages.iter().zip(expected) {
                prop_assert_eq!(message.body(), segments.as_slice());
            }
        }
    }

    #[test]
    fn x12_wrong_counts_are_named(
        groups in prop::collection::vec(
            prop::collection::vec(prop::collection::vec(segment(), 0..4), 1..3), 1..3),
        which in 0usize..3,
        pick in any::<prop::sample::Index>(),
    ) {
        let mut body = x12_segments(&groups);
        let tag = ["SE", "GE", "IEA"][which];
        let places: Vec<usize> = body.iter().enumerate()
            .filter(|(_, s)| s.tag == tag).map(|(i, _)| i).collect();
        let at = places[pick.index(places.len())];
        let n: usize = body[at].get(1).parse().unwrap();
        body[at].elements[0] = vec![(n + 1).to_string()];
        let text = write_interchange(Syntax::X12, &isa("000000042"), &body, &Delimiters::X12, true);
        let ic = parse(&text, Syntax::X12).unwrap();
        let problems = ic.all_problems();
        prop_assert_eq!(problems.len(), 1);
        prop_assert_eq!(problems[0].code, Code::CountMismatch);
        prop_assert!(problems[0].path.contains(tag), "{}", problems[0].path);
    }

    #[test]
    fn edifact_una_and_release_round_trip(
        values in prop::collection::vec("[A-Za-z0-9 :+?'*.,|#!-]{0,10}", 1..8),
        una in prop::sample::select(vec![None, Some(":+.? '"), Some("|#,! \n"), Some(":+.?*'"), Some("^~.\\ |")]),
        newline in any::<bool>(),
    ) {
        let d = match una {
            None => Delimiters::EDIFACT,
            Some(s) => {
                let c: Vec<char> = s.chars().collect();
                Delimiters { component: c[0], element: c[1], decimal: c[2],
                    release: (c[3] != ' ').then_some(c[3]),
                    repetition: (c[4] != ' ').then_some(c[4]), segment: c[5] }
            }
        };
        let unb = Segment::composite("UNB", &[&["UNOC", "3"], &["SENDER", "14"], &["RECV", "14"], &["260101", "1200"], &["77"]]);
        let mut free = Segment { tag: "FTX".into(), elements: vec![] };
        for v in &values {
            let v = if d.release.is_none() { v.replace(|c: char| "+:'|#!^~\\\n*".contains(c), "") } else { v.clone() };
            let v = if newline { v.replace('\n', "") } else { v };
            free.elements.push(vec![v.trim_end().to_string(), "X".into()]);
        }
        let body = vec![
            Segment::composite("UNH", &[&["1"], &["ORDERS", "D", "96A", "UN"]]),
            free.clone(),
            Segment::new("UNT", &["3", "1"]),
            Segment::new("UNZ", &["1", "77"]),
        ];
        let text = write_interchange(Syntax::Edifact, &unb, &body, &d, newline);
        let ic = parse(&text, Syntax::Edifact).unwrap();
        prop_assert_eq!(ic.all_problems(), Vec::<&tiski_edi::Problem>::new());
        prop_assert_eq!(ic.delimiters, d);
        let message = ic.messages().next().unwrap();
        prop_assert_eq!(&message.kind, "ORDERS");
        let read = &message.body()[0];
        for (a, b) in read.elements.iter().zip(&free.elements) {
            // Leading spaces of a value survive; CR/LF inside values are not data.
            prop_assert_eq!(a, b);
        }
    }
}

#[test]
fn truncated_interchanges_are_named() {
    let text = "ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*1200*U*00401*000000001*0*P*>~GS*PO*A*B*20260101*1200*1*X*004010~ST*850*0001~BEG*00*SA*1**20260101~";
    let ic = parse(text, Syntax::X12).unwrap();
    let paths: Vec<_> = ic
        .all_problems()
        .iter()
        .map(|p| (p.path.clone(), p.code))
        .collect();
    assert_eq!(
        paths,
        vec![
            ("IEA".to_string(), Code::MissingTrailer),
            ("GE[1]".to_string(), Code::MissingTrailer),
            ("ST[1]/SE".to_string(), Code::MissingTrailer),
        ]
    );
    for cut in 0..text.len() {
        let _ = parse(&text[..cut], Syntax::X12);
    }
    assert!(parse("ISA*00", Syntax::X12).is_err());
    assert!(parse("UNA:+", Syntax::Edifact).is_err());
    assert!(parse("STX=ANA:1+", Syntax::Edifact).is_err());
}

#[test]
fn edifact_control_references_are_checked() {
    let text = "UNB+UNOA:4+A:1+B:1+20051107:1159+6002'UNH+SSDD1+ORDERS:D:03B:UN:EAN008'BGM+220+X+9'UNT+3+OTHER'UNZ+2+6003'";
    let ic = parse(text, Syntax::Edifact).unwrap();
    let paths: Vec<_> = ic
        .all_problems()
        .iter()
        .map(|p| (p.path.clone(), p.code))
        .collect();
    assert_eq!(
        paths,
        vec![
            ("UNZ/01".to_string(), Code::CountMismatch),
            ("UNZ/02".to_string(), Code::ControlMismatch),
            ("UNH[1]/UNT/02".to_string(), Code::ControlMismatch),
        ]
    );
    assert_eq!(ic.sender.id, "A");
    assert_eq!(ic.sender.qualifier, "1");
}
