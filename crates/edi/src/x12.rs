//! X12: the fixed ISA header that declares the delimiters, then GS/ST … SE/GE/IEA.

use crate::envelope::{
    Code, Fatal, Interchange, PartyId, Problem, Syntax, check_control, check_count,
};
use crate::segment::{Delimiters, Segment, tokenize};
use crate::structure::{self, Tags};

const TAGS: Tags = Tags {
    group: "GS",
    group_end: "GE",
    message: "ST",
    message_end: "SE",
    end: "IEA",
    implicit_groups: false,
    group_facts: |s| (s.get(1).into(), s.get(6).into(), s.get(8).into()),
    message_facts: |s| (s.get(1).into(), s.get(2).into(), s.get(3).into()),
};

/// The widths of ISA01 … ISA16: the header is fixed-width, so answers pad to them.
const WIDTHS: [usize; 16] = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

/// ISA element `n` (1-based) padded or cut to its fixed width: spaces after text, zeros
/// before the control number (ISA13).
pub fn isa_field(n: usize, value: &str) -> String {
    let width = WIDTHS.get(n.wrapping_sub(1)).copied().unwrap_or(0);
    let text: String = value.chars().take(width).collect();
    if n == 13 {
        format!("{text:0>width$}")
    } else {
        format!("{text:<width$}")
    }
}

fn fatal(path: &str, code: Code, message: &str) -> Fatal {
    Fatal {
        problem: Problem::new(path, code, message),
    }
}

pub(crate) fn parse(text: &str) -> Result<Interchange, Fatal> {
    if !text.starts_with("ISA") {
        return Err(fatal(
            "ISA",
            Code::NotAnInterchange,
            "An X12 interchange starts with an ISA segment.",
        ));
    }
    let mut chars = text.char_indices().skip(3);
    let element = match chars.next() {
        Some((_, c)) if !c.is_alphanumeric() && !c.is_whitespace() => c,
        _ => {
            return Err(fatal(
                "ISA",
                Code::BadHeader,
                "ISA's fourth character must be the element separator.",
            ));
        }
    };
    let mut fields = vec![String::new()];
    let mut component = None;
    let mut end = None;
    while let Some((_, c)) = chars.next() {
        if fields.len() == 16 {
            component = Some(c);
            end = chars.next().map(|(i, t)| (i + t.len_utf8(), t));
            break;
        }
        if c == element {
            fields.push(String::new());
        } else if let Some(last) = fields.last_mut() {
            last.push(c);
        }
    }
    let (Some(component), Some((rest_at, segment))) = (component, end) else {
        return Err(fatal(
            "ISA",
            Code::BadHeader,
            "The ISA segment ends before its 16 elements and the segment terminator.",
        ));
    };
    let segment = if segment == '\r' || segment == '\n' {
        '\n'
    } else {
        segment
    };
    if segment.is_alphanumeric() || segment == element || component == element {
        return Err(fatal(
            "ISA/16",
            Code::BadHeader,
            "ISA16 and the segment terminator after it must be two other delimiters.",
        ));
    }
    fields.pop();
    let mut problems = Vec::new();
    let version = fields.get(11).cloned().unwrap_or_default();
    let repetition = fields
        .get(10)
        .and_then(|f| f.chars().next())
        .filter(|c| !c.is_alphanumeric() && *c != element && *c != component && *c != segment);
    let delimiters = Delimiters {
        element,
        component,
        repetition,
        segment,
        release: None,
        decimal: '.',
    };
    let field = |n: usize| {
        fields
            .get(n - 1)
            .map(|f| f.trim().to_string())
            .unwrap_or_default()
    };
    let control = field(13);
    if control.len() != 9 || !control.chars().all(|c| c.is_ascii_digit()) {
        problems.push(Problem::new(
            "ISA/13",
            Code::BadHeader,
            "ISA13, the interchange control number, is nine digits.",
        ));
    }
    if field(6).is_empty() {
        problems.push(Problem::new(
            "ISA/06",
            Code::BadHeader,
            "ISA06, the sender's id, is empty.",
        ));
    }
    let mut header = Segment {
        tag: "ISA".into(),
        elements: fields.iter().map(|f| vec![f.clone()]).collect(),
    };
    header.elements.push(vec![component.to_string()]);
    let segments = tokenize(&text[rest_at..], &delimiters)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let found = structure::read(segments, &TAGS);
    problems.extend(found.problems);
    match &found.trailer {
        Some(iea) => {
            check_count(
                &mut problems,
                "IEA/01".into(),
                iea.get(1),
                found.groups.len(),
                "groups",
            );
            check_control(&mut problems, "IEA/02".into(), &control, iea.get(2));
        }
        None => problems.push(Problem::new(
            "IEA",
            Code::MissingTrailer,
            "The interchange has no IEA trailer: it ends early.",
        )),
    }
    Ok(Interchange {
        syntax: Syntax::X12,
        delimiters,
        sender: PartyId {
            id: field(6),
            qualifier: field(5),
        },
        receiver: PartyId {
            id: field(8),
            qualifier: field(7),
        },
        control,
        date: field(9),
        time: field(10),
        version,
        test: field(15) == "T",
        header,
        groups: found.groups,
        problems,
    })
}
