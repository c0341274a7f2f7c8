//! EDIFACT: the optional UNA service string advice (else the defaults), then UNB, UNG?/UNH …
//! UNT/UNE?/UNZ, with the release character honoured everywhere.

use crate::envelope::{
    Code, Fatal, Interchange, PartyId, Problem, Syntax, check_control, check_count,
};
use crate::segment::{Delimiters, tokenize};
use crate::structure::{self, Tags};

const TAGS: Tags = Tags {
    group: "UNG",
    group_end: "UNE",
    message: "UNH",
    message_end: "UNT",
    end: "UNZ",
    implicit_groups: true,
    group_facts: |s| (s.get(1).into(), s.get(5).into(), s.get(7).into()),
    message_facts: |s| {
        let version = s.elements.get(1).map(|e| e[1.min(e.len())..].join(":"));
        (
            s.component(2, 1).into(),
            s.get(1).into(),
            version.unwrap_or_default(),
        )
    },
};

fn fatal(path: &str, code: Code, message: &str) -> Fatal {
    Fatal {
        problem: Problem::new(path, code, message),
    }
}

/// The delimiters of a UNA segment's six characters; a space for the release or the
/// repetition character means there is none.
fn una(text: &str) -> Result<(Delimiters, &str), Fatal> {
    let mut chars = text.char_indices().skip(3);
    let mut six = Vec::new();
    for _ in 0..6 {
        match chars.next() {
            Some((_, c)) => six.push(c),
            None => {
                return Err(fatal(
                    "UNA",
                    Code::BadHeader,
                    "UNA is followed by six service characters.",
                ));
            }
        }
    }
    let rest = chars.next().map(|(i, _)| i).unwrap_or(text.len());
    let optional = |c: char| (c != ' ').then_some(c);
    let d = Delimiters {
        component: six[0],
        element: six[1],
        decimal: six[2],
        release: optional(six[3]),
        repetition: optional(six[4]),
        segment: six[5],
    };
    let mut distinct = vec![d.component, d.element, d.segment];
    distinct.extend(d.release);
    distinct.extend(d.repetition);
    let count = distinct.len();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() != count || distinct.iter().any(|c| c.is_alphanumeric()) {
        return Err(fatal(
            "UNA",
            Code::BadHeader,
            "UNA's service characters must be distinct and not letters or digits.",
        ));
    }
    Ok((d, &text[rest..]))
}

pub(crate) fn parse(text: &str) -> Result<Interchange, Fatal> {
    let (delimiters, rest) = if text.starts_with("UNA") {
        una(text)?
    } else {
        (Delimiters::EDIFACT, text)
    };
    let mut segments = tokenize(rest, &delimiters).into_iter().map(|(s, _)| s);
    let header = match segments.next() {
        Some(s) if s.tag == "UNB" => s,
        _ => {
            return Err(fatal(
                "UNB",
                Code::NotAnInterchange,
                "An EDIFACT interchange starts with UNB (after an optional UNA).",
            ));
        }
    };
    let mut problems = Vec::new();
    let sender = PartyId {
        id: header.component(2, 1).trim().to_string(),
        qualifier: header.component(2, 2).trim().to_string(),
    };
    if sender.id.is_empty() {
        problems.push(Problem::new(
            "UNB/02",
            Code::BadHeader,
            "UNB's sender identification (0004) is empty.",
        ));
    }
    let control = header.get(5).trim().to_string();
    if control.is_empty() {
        problems.push(Problem::new(
            "UNB/05",
            Code::BadHeader,
            "UNB's interchange control reference (0020) is empty.",
        ));
    }
    if header.component(1, 1).is_empty() {
        problems.push(Problem::new(
            "UNB/01",
            Code::BadHeader,
            "UNB's syntax identifier (0001) is empty.",
        ));
    }
    let found = structure::read(segments.collect(), &TAGS);
    problems.extend(found.problems);
    match &found.trailer {
        Some(unz) => {
            let explicit = found.groups.iter().any(|g| g.explicit);
            let (count, what) = if explicit {
                (found.groups.len(), "groups")
            } else {
                (
                    found.groups.iter().map(|g| g.messages.len()).sum(),
                    "messages",
                )
            };
            check_count(&mut problems, "UNZ/01".into(), unz.get(1), count, what);
            check_control(&mut problems, "UNZ/02".into(), &control, unz.get(2));
        }
        None => problems.push(Problem::new(
            "UNZ",
            Code::MissingTrailer,
            "The interchange has no UNZ trailer: it ends early.",
        )),
    }
    Ok(Interchange {
        syntax: Syntax::Edifact,
        delimiters,
        receiver: PartyId {
            id: header.component(3, 1).trim().to_string(),
            qualifier: header.component(3, 2).trim().to_string(),
        },
        sender,
        control,
        date: header.component(4, 1).to_string(),
        time: header.component(4, 2).to_string(),
        version: header
            .elements
            .first()
            .map(|e| e.join(":"))
            .unwrap_or_default(),
        test: header.get(11) == "1",
        header,
        groups: found.groups,
        problems,
    })
}
