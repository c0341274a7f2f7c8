//! Acknowledgements, pure: which levels of an interchange are accepted, and the answers
//! built from that — X12 TA1 (the interchange refused), 997 (functional, AK1/AK2/AK5/AK9)
//! and 855 (purchase order, BAK and ACK per line); EDIFACT CONTRL (UCI/UCM) and ORDRSP.
//! Each answer is an interchange of its own, addressed back to the sender with the
//! delimiters the sender used.

use super::map::{PoLine, PurchaseOrder};
use std::collections::HashMap;
use tiski_edi::{Code, Delimiters, Interchange, Message, Problem, Segment, Syntax};

/// What was refused at each level; `None` means accepted.
#[derive(Debug, Clone, Default)]
pub struct Verdicts {
    /// The whole interchange (its envelope, or its sender unknown).
    pub interchange: Option<Problem>,
    /// Per group number.
    pub groups: HashMap<usize, Problem>,
    /// Per message number.
    pub messages: HashMap<usize, Problem>,
}

impl Verdicts {
    /// Whether the message (in its group) stands after every check so far.
    pub fn accepted(&self, group: usize, message: usize) -> bool {
        self.interchange.is_none()
            && !self.groups.contains_key(&group)
            && !self.messages.contains_key(&message)
    }

    /// The first problem found, from the top.
    pub fn first(&self) -> Option<&Problem> {
        fn lowest(m: &HashMap<usize, Problem>) -> Option<&Problem> {
            m.keys().min().and_then(|k| m.get(k))
        }
        self.interchange
            .as_ref()
            .or_else(|| lowest(&self.groups))
            .or_else(|| lowest(&self.messages))
    }
}

/// Judges the envelope: its own problems, the sender (`partner_known`), each group's and
/// each message's problems, and whether a message is of the `supported` kind.
pub fn judge(ic: &Interchange, partner_known: bool, supported: &str) -> Verdicts {
    let mut v = Verdicts {
        interchange: ic.problems.first().cloned(),
        ..Verdicts::default()
    };
    if v.interchange.is_none() && !partner_known {
        let path = match ic.syntax {
            Syntax::X12 => "ISA/06",
            Syntax::Edifact => "UNB/02",
        };
        v.interchange = Some(Problem::new(
            path,
            Code::UnknownPartner,
            format!(
                "No trading partner has sender id {:?} with qualifier {:?}.",
                clip(&ic.sender.id),
                clip(&ic.sender.qualifier)
            ),
        ));
    }
    for group in &ic.groups {
        if let Some(p) = group.problems.first() {
            v.groups.insert(group.number, p.clone());
        }
        for m in &group.messages {
            if let Some(p) = m.problems.first() {
                v.messages.insert(m.number, p.clone());
            } else if m.kind != supported {
                v.messages.insert(
                    m.number,
                    Problem::new(
                        m.path(),
                        Code::Unsupported,
                        format!(
                            "Message type {:?} is not taken here; only {supported} purchase orders are.",
                            clip(&m.kind)
                        ),
                    ),
                );
            }
        }
    }
    v
}

fn clip(text: &str) -> String {
    text.chars().take(35).collect()
}

/// The dates an answer is stamped with: `YYMMDD`, `CCYYMMDD` and `HHMM`.
#[derive(Debug, Clone)]
pub struct Stamp {
    /// Two-digit year, month, day.
    pub short_date: String,
    /// Four-digit year, month, day.
    pub date: String,
    /// Hours and minutes.
    pub time: String,
}

/// One answer to queue: its kind (`TA1`, `997`, `855`, `CONTRL`, `ORDRSP`) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The kind.
    pub kind: &'static str,
    /// The interchange control number it was written with.
    pub control: String,
    /// The interchange text.
    pub body: String,
}

/// An order message's result: the purchase order, the order made (if any line was taken)
/// and each line's acceptance.
pub struct OrderResult<'a> {
    /// The message it came in.
    pub message: &'a Message,
    /// What it asked for.
    pub po: &'a PurchaseOrder,
    /// The order made.
    pub order_id: Option<i64>,
    /// Per line (in order): whether it was taken.
    pub lines: Vec<bool>,
}

fn s(tag: &str, elements: &[&str]) -> Segment {
    Segment::new(tag, elements)
}

fn x12_envelope(ic: &Interchange, control: &str, stamp: &Stamp) -> Segment {
    s(
        "ISA",
        &[
            "00",
            "",
            "00",
            "",
            &ic.receiver.qualifier,
            &ic.receiver.id,
            &ic.sender.qualifier,
            &ic.sender.id,
            &stamp.short_date,
            &stamp.time,
            "U",
            if ic.version.is_empty() {
                "00401"
            } else {
                &ic.version
            },
            control,
            "0",
            if ic.test { "T" } else { "P" },
        ],
    )
}

/// Wraps X12 transaction sets in a GS of `functional_id` and an interchange.
fn x12_wrap(
    ic: &Interchange,
    functional_id: &str,
    sets: Vec<Vec<Segment>>,
    control: &str,
    stamp: &Stamp,
) -> String {
    let first = ic.groups.iter().find(|g| g.explicit);
    let (from, to) = (ic.receiver.id.clone(), ic.sender.id.clone());
    let version = first
        .map(|g| g.version.clone())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "004010".into());
    let mut body = Vec::new();
    let number = sets.len().to_string();
    body.push(s(
        "GS",
        &[
            functional_id,
            &from,
            &to,
            &stamp.date,
            &stamp.time,
            control,
            "X",
            &version,
        ],
    ));
    for set in sets {
        body.extend(set);
    }
    body.push(s("GE", &[&number, control]));
    body.push(s("IEA", &["1", control]));
    write(ic, &x12_envelope(ic, control, stamp), &body)
}

fn write(ic: &Interchange, header: &Segment, body: &[Segment]) -> String {
    let d: Delimiters = ic.delimiters;
    tiski_edi::write_interchange(ic.syntax, header, body, &d, true)
}

/// Closes a transaction set or message: the trailer with the count of its segments.
fn close(mut set: Vec<Segment>, trailer: &str, control: &str) -> Vec<Segment> {
    let count = (set.len() + 1).to_string();
    set.push(s(trailer, &[&count, control]));
    set
}

fn ta1_code(code: Code) -> &'static str {
    match code {
        Code::ControlMismatch => "001",
        Code::UnknownPartner => "006",
        Code::BadHeader => "018",
        Code::CountMismatch => "021",
        Code::MissingTrailer => "023",
        _ => "024",
    }
}

fn ak5_code(code: Code) -> &'static str {
    match code {
        Code::Unsupported => "1",
        Code::MissingTrailer => "2",
        Code::ControlMismatch => "3",
        Code::CountMismatch => "4",
        _ => "5",
    }
}

fn ak9_code(code: Code) -> &'static str {
    match code {
        Code::Unsupported => "1",
        Code::MissingTrailer => "3",
        Code::ControlMismatch => "4",
        Code::CountMismatch => "5",
        _ => "6",
    }
}

fn contrl_code(code: Code) -> &'static str {
    match code {
        Code::UnknownPartner => "23",
        Code::ControlMismatch => "28",
        Code::CountMismatch => "29",
        Code::MissingTrailer | Code::MissingSegment => "13",
        Code::Unsupported => "17",
        Code::UnexpectedSegment => "15",
        Code::NotAnInterchange | Code::BadHeader | Code::BadValue => "12",
    }
}

/// The functional acknowledgement: X12 TA1 when the interchange is refused, else a 997 per
/// group; EDIFACT CONTRL.
pub fn functional(ic: &Interchange, v: &Verdicts, control: &str, stamp: &Stamp) -> Answer {
    match ic.syntax {
        Syntax::X12 => match &v.interchange {
            Some(problem) => Answer {
                kind: "TA1",
                control: control.into(),
                body: write(
                    ic,
                    &x12_envelope(ic, control, stamp),
                    &[
                        s(
                            "TA1",
                            &[&ic.control, &ic.date, &ic.time, "R", ta1_code(problem.code)],
                        ),
                        s("IEA", &["0", control]),
                    ],
                ),
            },
            None => Answer {
                kind: "997",
                control: control.into(),
                body: x12_wrap(ic, "FA", x12_997(ic, v), control, stamp),
            },
        },
        Syntax::Edifact => Answer {
            kind: "CONTRL",
            control: control.into(),
            body: contrl(ic, v, control, stamp),
        },
    }
}

fn x12_997(ic: &Interchange, v: &Verdicts) -> Vec<Vec<Segment>> {
    let mut sets = Vec::new();
    for (i, group) in ic.groups.iter().enumerate() {
        let number = format!("{:04}", i + 1);
        let mut set = vec![
            s("ST", &["997", &number]),
            s("AK1", &[&group.functional_id, &group.control]),
        ];
        let mut accepted = 0;
        for m in &group.messages {
            set.push(s("AK2", &[&m.kind, &m.control]));
            match v.messages.get(&m.number).or(v.groups.get(&group.number)) {
                None => {
                    accepted += 1;
                    set.push(s("AK5", &["A"]));
                }
                Some(p) => set.push(s("AK5", &["R", ak5_code(p.code)])),
            }
        }
        let received = group.messages.len().to_string();
        let accepted_text = accepted.to_string();
        let ak9 = match v.groups.get(&group.number) {
            Some(p) => vec!["R", &received, &received, "0", ak9_code(p.code)],
            None if accepted == group.messages.len() => {
                vec!["A", &received, &received, &accepted_text]
            }
            None if accepted == 0 => vec!["R", &received, &received, "0"],
            None => vec!["P", &received, &received, &accepted_text],
        };
        set.push(s("AK9", &ak9));
        sets.push(close(set, "SE", &number));
    }
    sets
}

fn edifact_header(ic: &Interchange, control: &str, stamp: &Stamp) -> Segment {
    let syntax: Vec<&str> = ic
        .header
        .elements
        .first()
        .map(|e| e.iter().map(String::as_str).collect())
        .unwrap_or_else(|| vec!["UNOA", "3"]);
    let date = if syntax.get(1) == Some(&"4") {
        &stamp.date
    } else {
        &stamp.short_date
    };
    Segment::composite(
        "UNB",
        &[
            &syntax,
            &[&ic.receiver.id, &ic.receiver.qualifier],
            &[&ic.sender.id, &ic.sender.qualifier],
            &[date, &stamp.time],
            &[control],
        ],
    )
}

fn party(p: &tiski_edi::PartyId) -> Vec<String> {
    vec![p.id.clone(), p.qualifier.clone()]
}

fn contrl(ic: &Interchange, v: &Verdicts, control: &str, stamp: &Stamp) -> String {
    let mut set = vec![Segment::composite(
        "UNH",
        &[&["1"], &["CONTRL", "D", "3", "UN"]],
    )];
    let mut uci = Segment {
        tag: "UCI".into(),
        elements: vec![
            vec![ic.control.clone()],
            party(&ic.sender),
            party(&ic.receiver),
        ],
    };
    match &v.interchange {
        Some(p) => {
            uci.elements.push(vec!["4".into()]);
            uci.elements.push(vec![contrl_code(p.code).into()]);
            set.push(uci);
        }
        None => {
            uci.elements.push(vec!["7".into()]);
            set.push(uci);
            for group in &ic.groups {
                for m in &group.messages {
                    let kind: Vec<String> = std::iter::once(m.kind.clone())
                        .chain(m.version.split(':').map(str::to_string))
                        .collect();
                    let mut ucm = Segment {
                        tag: "UCM".into(),
                        elements: vec![vec![m.control.clone()], kind],
                    };
                    match v.messages.get(&m.number).or(v.groups.get(&group.number)) {
                        None => ucm.elements.push(vec!["7".into()]),
                        Some(p) => {
                            ucm.elements.push(vec!["4".into()]);
                            ucm.elements.push(vec![contrl_code(p.code).into()]);
                        }
                    }
                    set.push(ucm);
                }
            }
        }
    }
    let mut body = close(set, "UNT", "1");
    body.push(s("UNZ", &["1", control]));
    write(ic, &edifact_header(ic, control, stamp), &body)
}

fn first_id(line: &PoLine) -> (String, String) {
    line.ids.first().cloned().unwrap_or_default()
}

/// The purchase order answers: one 855 per order message (X12) or one ORDRSP (EDIFACT), all
/// in one interchange; `None` when there is no order message to answer.
pub fn responses(
    ic: &Interchange,
    orders: &[OrderResult<'_>],
    control: &str,
    stamp: &Stamp,
) -> Option<Answer> {
    if orders.is_empty() {
        return None;
    }
    let body = match ic.syntax {
        Syntax::X12 => {
            let sets = orders
                .iter()
                .enumerate()
                .map(|(i, o)| x12_855(o, i + 1, stamp))
                .collect();
            x12_wrap(ic, "PR", sets, control, stamp)
        }
        Syntax::Edifact => {
            let mut body = Vec::new();
            for (i, o) in orders.iter().enumerate() {
                body.extend(ordrsp(o, i + 1, stamp));
            }
            body.push(s("UNZ", &[&orders.len().to_string(), control]));
            write(ic, &edifact_header(ic, control, stamp), &body)
        }
    };
    Some(Answer {
        kind: match ic.syntax {
            Syntax::X12 => "855",
            Syntax::Edifact => "ORDRSP",
        },
        control: control.into(),
        body,
    })
}

fn kind_of(o: &OrderResult<'_>) -> (usize, usize) {
    let taken = o.lines.iter().filter(|t| **t).count();
    (taken, o.lines.len())
}

fn x12_855(o: &OrderResult<'_>, n: usize, stamp: &Stamp) -> Vec<Segment> {
    let number = format!("{n:04}");
    let (taken, all) = kind_of(o);
    let kind = if o.order_id.is_none() || taken == 0 {
        "RJ"
    } else if taken == all {
        "AD"
    } else {
        "AC"
    };
    let date = if o.po.date.len() == 8 {
        o.po.date.clone()
    } else {
        stamp.date.clone()
    };
    let ours = o.order_id.map(|id| id.to_string()).unwrap_or_default();
    let mut set = vec![
        s("ST", &["855", &number]),
        s(
            "BAK",
            &["00", kind, &o.po.reference, &date, "", "", "", &ours],
        ),
    ];
    for (line, taken) in o.po.lines.iter().zip(&o.lines) {
        let (qualifier, id) = first_id(line);
        set.push(s(
            "PO1",
            &[
                &line.line_id,
                &line.quantity,
                &line.unit,
                &line.price,
                "",
                &qualifier,
                &id,
            ],
        ));
        let quantity = if *taken { line.quantity.as_str() } else { "0" };
        set.push(s(
            "ACK",
            &[if *taken { "IA" } else { "IR" }, quantity, &line.unit],
        ));
    }
    set.push(s("CTT", &[&o.po.lines.len().to_string()]));
    close(set, "SE", &number)
}

fn ordrsp(o: &OrderResult<'_>, n: usize, stamp: &Stamp) -> Vec<Segment> {
    let number = n.to_string();
    let (taken, all) = kind_of(o);
    let function = if o.order_id.is_none() || taken == 0 {
        "27"
    } else if taken == all {
        "29"
    } else {
        "4"
    };
    let ours = o
        .order_id
        .map(|id| id.to_string())
        .unwrap_or_else(|| o.po.reference.clone());
    let mut set = vec![
        Segment::composite("UNH", &[&[&number], &["ORDRSP", "D", "96A", "UN"]]),
        s("BGM", &["231", &ours, function]),
        Segment::composite("DTM", &[&["137", &stamp.date, "102"]]),
        Segment::composite("RFF", &[&["ON", &o.po.reference]]),
    ];
    for (line, taken) in o.po.lines.iter().zip(&o.lines) {
        let (qualifier, id) = first_id(line);
        set.push(Segment::composite(
            "LIN",
            &[
                &[&line.line_id],
                &[if *taken { "5" } else { "7" }],
                &[&id, &qualifier],
            ],
        ));
        let quantity = if *taken { line.quantity.as_str() } else { "0" };
        set.push(Segment::composite("QTY", &[&["21", quantity]]));
    }
    set.push(s("UNS", &["S"]));
    close(set, "UNT", &number)
}
