//! The envelope state machine both syntaxes share: groups hold messages, trailers close them
//! and their counts and control numbers are checked.

use crate::envelope::{Code, Group, Message, Problem, check_control, check_count};
use crate::segment::Segment;

/// The tags and fields of one syntax's envelopes.
pub(crate) struct Tags {
    pub group: &'static str,
    pub group_end: &'static str,
    pub message: &'static str,
    pub message_end: &'static str,
    pub end: &'static str,
    /// Whether messages may stand outside a group (EDIFACT without UNG).
    pub implicit_groups: bool,
    /// Group facts from its header: functional id, control number, version.
    pub group_facts: fn(&Segment) -> (String, String, String),
    /// Message facts from its header: kind, control number, version.
    pub message_facts: fn(&Segment) -> (String, String, String),
}

/// More problems than this in one interchange are summed up in one.
const MAX_PROBLEMS: usize = 50;

struct Machine<'a> {
    tags: &'a Tags,
    groups: Vec<Group>,
    group: Option<Group>,
    message: Option<Message>,
    messages: usize,
    problems: Vec<Problem>,
}

impl Machine<'_> {
    fn close_message(&mut self, trailer: Option<&Segment>) {
        let Some(mut message) = self.message.take() else {
            return;
        };
        let path = message.path();
        let end = self.tags.message_end;
        match trailer {
            Some(trailer) => {
                message.segments.push(trailer.clone());
                let count = message.segments.len();
                let mut problems = Vec::new();
                check_count(
                    &mut problems,
                    format!("{path}/{end}/01"),
                    trailer.get(1),
                    count,
                    "segments",
                );
                check_control(
                    &mut problems,
                    format!("{path}/{end}/02"),
                    &message.control,
                    trailer.get(2),
                );
                message.problems.extend(problems);
            }
            None => message.problems.push(Problem::new(
                format!("{path}/{end}"),
                Code::MissingTrailer,
                format!("The message has no {end} trailer."),
            )),
        }
        let group = self
            .group
            .get_or_insert_with(|| implicit(self.groups.len() + 1));
        group.messages.push(message);
    }

    fn close_group(&mut self, trailer: Option<&Segment>) {
        self.close_message(None);
        let Some(mut group) = self.group.take() else {
            return;
        };
        if group.explicit {
            let end = self.tags.group_end;
            let path = format!("{end}[{}]", group.number);
            match trailer {
                Some(trailer) => {
                    let mut problems = Vec::new();
                    check_count(
                        &mut problems,
                        format!("{path}/01"),
                        trailer.get(1),
                        group.messages.len(),
                        "messages",
                    );
                    check_control(
                        &mut problems,
                        format!("{path}/02"),
                        &group.control,
                        trailer.get(2),
                    );
                    group.problems.extend(problems);
                }
                None => group.problems.push(Problem::new(
                    path,
                    Code::MissingTrailer,
                    format!("The group has no {end} trailer."),
                )),
            }
        }
        self.groups.push(group);
    }

    fn stray(&mut self, segment: &Segment, position: usize, why: &str) {
        self.problems.push(Problem::new(
            format!("{}@{position}", clip_tag(&segment.tag)),
            Code::UnexpectedSegment,
            why.to_string(),
        ));
    }
}

fn implicit(number: usize) -> Group {
    Group {
        number,
        explicit: false,
        functional_id: String::new(),
        control: String::new(),
        version: String::new(),
        messages: Vec::new(),
        problems: Vec::new(),
    }
}

fn clip_tag(tag: &str) -> String {
    let tag: String = tag.chars().take(6).collect();
    if tag.is_empty() {
        "(empty)".into()
    } else {
        tag
    }
}

/// What the machine found: groups, envelope problems, and the trailer when present.
pub(crate) struct Structure {
    pub groups: Vec<Group>,
    pub problems: Vec<Problem>,
    pub trailer: Option<Segment>,
}

/// Reads the segments after the interchange header. `position` counts segments from 1 with
/// the header, so stray segments are named by their place (`XYZ@7`).
pub(crate) fn read(segments: Vec<Segment>, tags: &Tags) -> Structure {
    let mut m = Machine {
        tags,
        groups: Vec::new(),
        group: None,
        message: None,
        messages: 0,
        problems: Vec::new(),
    };
    let mut trailer = None;
    for (i, segment) in segments.into_iter().enumerate() {
        let position = i + 2;
        if m.problems.len() >= MAX_PROBLEMS {
            m.problems.push(Problem::new(
                "(more)",
                Code::UnexpectedSegment,
                "Reading stopped after too many problems.",
            ));
            break;
        }
        if trailer.is_some() {
            m.stray(&segment, position, "Text follows the interchange trailer.");
            break;
        }
        let tag = segment.tag.as_str();
        if tag == tags.group {
            m.close_group(None);
            let (functional_id, control, version) = (tags.group_facts)(&segment);
            m.group = Some(Group {
                number: m.groups.len() + 1,
                explicit: true,
                functional_id,
                control,
                version,
                messages: Vec::new(),
                problems: Vec::new(),
            });
        } else if tag == tags.message {
            m.close_message(None);
            if m.group.is_none() && !tags.implicit_groups {
                m.stray(&segment, position, "A message outside any group.");
            }
            m.messages += 1;
            let (kind, control, version) = (tags.message_facts)(&segment);
            m.message = Some(Message {
                number: m.messages,
                kind,
                control,
                version,
                segments: vec![segment],
                problems: Vec::new(),
            });
        } else if tag == tags.message_end {
            if m.message.is_some() {
                m.close_message(Some(&segment));
            } else {
                m.stray(&segment, position, "A message trailer without its header.");
            }
        } else if tag == tags.group_end {
            if m.group.as_ref().is_some_and(|g| g.explicit) {
                m.close_group(Some(&segment));
            } else {
                m.stray(&segment, position, "A group trailer without its header.");
            }
        } else if tag == tags.end {
            m.close_group(None);
            trailer = Some(segment);
        } else if let Some(message) = m.message.as_mut() {
            message.segments.push(segment);
        } else {
            m.stray(&segment, position, "A segment outside any message.");
        }
    }
    m.close_group(None);
    Structure {
        groups: m.groups,
        problems: m.problems,
        trailer,
    }
}
