//! The envelope model both syntaxes are read into, and the problems found on the way.

use crate::segment::{Delimiters, Segment};

/// Which EDI syntax an interchange is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// ANSI ASC X12 (ISA … IEA).
    X12,
    /// UN/EDIFACT (UNA? UNB … UNZ).
    Edifact,
}

/// Why something is refused. Each maps to the codes the acknowledgements carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// Not an interchange of the syntax: no ISA or UNB where it must start.
    NotAnInterchange,
    /// The interchange header is unreadable or a field of it is missing or wrong.
    BadHeader,
    /// The trailer (IEA, GE, SE, UNZ, UNE, UNT) is missing: the text ends early.
    MissingTrailer,
    /// A header and its trailer carry different control numbers.
    ControlMismatch,
    /// A trailer's count is not the number of groups, messages or segments received.
    CountMismatch,
    /// A segment outside the envelope that should hold it, or text after the interchange.
    UnexpectedSegment,
    /// A segment a message needs is missing.
    MissingSegment,
    /// A value is missing or not of the form required.
    BadValue,
    /// A message type this reader does not take (an 810 invoice where orders are expected).
    Unsupported,
    /// The sender is no trading partner.
    UnknownPartner,
}

impl Code {
    /// The code's name as the API shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::NotAnInterchange => "not_an_interchange",
            Code::BadHeader => "bad_header",
            Code::MissingTrailer => "missing_trailer",
            Code::ControlMismatch => "control_mismatch",
            Code::CountMismatch => "count_mismatch",
            Code::UnexpectedSegment => "unexpected_segment",
            Code::MissingSegment => "missing_segment",
            Code::BadValue => "bad_value",
            Code::Unsupported => "unsupported",
            Code::UnknownPartner => "unknown_partner",
        }
    }
}

/// One problem: where (a path, see the crate's documentation), what kind, and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The segment (and element) at fault, e.g. `ST[1]/SE/01`.
    pub path: String,
    /// The kind of problem.
    pub code: Code,
    /// A sentence for people.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, code: Code, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            code,
            message: message.into(),
        }
    }
}

/// Text that cannot be read as an interchange at all: nothing can be acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {}", problem.path, problem.message)]
pub struct Fatal {
    /// What and where.
    pub problem: Problem,
}

/// An interchange partner's identification: the id and its qualifier (ISA06/ISA05,
/// ISA08/ISA07; UNB 0004/0007, 0010/0007).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartyId {
    /// The id, trimmed of its padding.
    pub id: String,
    /// The qualifier (`ZZ`, `01`, `14`), possibly empty in EDIFACT.
    pub qualifier: String,
}

/// A message (X12 transaction set ST…SE, EDIFACT UNH…UNT) with its header and trailer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// 1-based position across the interchange (the n of `ST[n]`, `UNH[n]`).
    pub number: usize,
    /// ST01 (`850`) or UNH 0065 (`ORDERS`).
    pub kind: String,
    /// ST02 or UNH 0062.
    pub control: String,
    /// ST03 or UNH's S009 joined by `:` (`D:03B:UN:EAN008`).
    pub version: String,
    /// Every segment from the header to the trailer, both included when present.
    pub segments: Vec<Segment>,
    /// What is wrong with its envelope (counts, control numbers, trailer).
    pub problems: Vec<Problem>,
}

impl Message {
    /// The segments between the header and the trailer.
    pub fn body(&self) -> &[Segment] {
        let end = match self.segments.last() {
            Some(s) if self.segments.len() > 1 && (s.tag == "SE" || s.tag == "UNT") => {
                self.segments.len() - 1
            }
            _ => self.segments.len(),
        };
        self.segments.get(1..end).unwrap_or(&[])
    }

    /// The path prefix of this message (`ST[2]`, `UNH[1]`).
    pub fn path(&self) -> String {
        match self.segments.first() {
            Some(s) => format!("{}[{}]", s.tag, self.number),
            None => format!("ST[{}]", self.number),
        }
    }
}

/// A functional group (X12 GS…GE, EDIFACT UNG…UNE); EDIFACT messages without UNG sit in one
/// implicit group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// 1-based position in the interchange.
    pub number: usize,
    /// Whether a header (GS, UNG) was present.
    pub explicit: bool,
    /// GS01 (`PO`) or UNG 0038; empty when implicit.
    pub functional_id: String,
    /// GS06 or UNG 0048.
    pub control: String,
    /// GS08 or UNG S008.
    pub version: String,
    /// Its messages.
    pub messages: Vec<Message>,
    /// What is wrong with its envelope.
    pub problems: Vec<Problem>,
}

/// An interchange as read: header facts, groups, and envelope problems. `parse` refuses only
/// text whose header cannot be read; every other fault is a [`Problem`] here or on a group or
/// message, so that the answer can say what was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interchange {
    /// The syntax.
    pub syntax: Syntax,
    /// The delimiters it declared (or the defaults).
    pub delimiters: Delimiters,
    /// The sender (ISA06/05, UNB 0004/0007).
    pub sender: PartyId,
    /// The receiver (ISA08/07, UNB 0010/0007).
    pub receiver: PartyId,
    /// ISA13 or UNB 0020.
    pub control: String,
    /// ISA09 (YYMMDD) or UNB 0017.
    pub date: String,
    /// ISA10 (HHMM) or UNB 0019.
    pub time: String,
    /// ISA12 (`00401`) or UNB S001 (`UNOA:4`).
    pub version: String,
    /// ISA15 = `T`, or UNB 0035 = `1`.
    pub test: bool,
    /// The header segment (ISA, UNB).
    pub header: Segment,
    /// Its groups.
    pub groups: Vec<Group>,
    /// Envelope problems (IEA/UNZ, text outside).
    pub problems: Vec<Problem>,
}

impl Interchange {
    /// Every message of every group, in order.
    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        self.groups.iter().flat_map(|g| g.messages.iter())
    }

    /// Every problem at every level, envelope first.
    pub fn all_problems(&self) -> Vec<&Problem> {
        let mut out: Vec<&Problem> = self.problems.iter().collect();
        for group in &self.groups {
            out.extend(group.problems.iter());
            for message in &group.messages {
                out.extend(message.problems.iter());
            }
        }
        out
    }
}

/// Reads an interchange of `syntax`. Leading whitespace and a byte-order mark are skipped.
pub fn parse(text: &str, syntax: Syntax) -> Result<Interchange, Fatal> {
    let text = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    match syntax {
        Syntax::X12 => crate::x12::parse(text),
        Syntax::Edifact => crate::edifact::parse(text),
    }
}

/// The count in a trailer element, checked against what was received.
pub(crate) fn check_count(
    problems: &mut Vec<Problem>,
    path: String,
    text: &str,
    actual: usize,
    what: &str,
) {
    match text.trim().parse::<usize>() {
        Ok(n) if n == actual => {}
        Ok(n) => problems.push(Problem::new(
            path,
            Code::CountMismatch,
            format!("The trailer counts {n} {what}; {actual} were received."),
        )),
        Err(_) => problems.push(Problem::new(
            path,
            Code::BadValue,
            format!("The trailer's count of {what} is not a number."),
        )),
    }
}

/// A trailer's control number, checked against its header's.
pub(crate) fn check_control(
    problems: &mut Vec<Problem>,
    path: String,
    header: &str,
    trailer: &str,
) {
    if header.trim() != trailer.trim() {
        problems.push(Problem::new(
            path,
            Code::ControlMismatch,
            format!(
                "The trailer's control number {:?} is not the header's {:?}.",
                clip(trailer),
                clip(header)
            ),
        ));
    }
}

/// At most 35 characters of a value quoted back in a message.
pub(crate) fn clip(text: &str) -> String {
    text.chars().take(35).collect()
}
