//! Writing a whole interchange: the header as its syntax wants it (X12's fixed-width ISA with
//! the delimiters in it; EDIFACT's UNA when the delimiters are not the defaults), then the
//! segments.

use crate::envelope::Syntax;
use crate::segment::{Delimiters, Segment, write};
use crate::x12::isa_field;

/// Writes an interchange: `header` is the ISA (its elements 1–15; ISA16 is `d.component`)
/// or the UNB, `body` every segment after it up to and including the trailer.
pub fn write_interchange(
    syntax: Syntax,
    header: &Segment,
    body: &[Segment],
    d: &Delimiters,
    newline: bool,
) -> String {
    let mut out = String::new();
    let end = |out: &mut String| {
        out.push(d.segment);
        if newline && d.segment != '\n' {
            out.push('\n');
        }
    };
    match syntax {
        Syntax::X12 => {
            out.push_str("ISA");
            for n in 1..=15 {
                out.push(d.element);
                let value: String = header
                    .get(n)
                    .chars()
                    .map(|c| {
                        if c.is_alphanumeric() || c == ' ' || c == '.' || c == '-' {
                            c
                        } else {
                            ' '
                        }
                    })
                    .collect();
                let value = if n == 11 {
                    d.repetition.map(String::from).unwrap_or(value)
                } else {
                    value
                };
                out.push_str(&isa_field(n, &value));
            }
            out.push(d.element);
            out.push(d.component);
            end(&mut out);
        }
        Syntax::Edifact => {
            if *d != Delimiters::EDIFACT {
                out.push_str("UNA");
                out.push(d.component);
                out.push(d.element);
                out.push(d.decimal);
                out.push(d.release.unwrap_or(' '));
                out.push(d.repetition.unwrap_or(' '));
                out.push(d.segment);
                if newline && d.segment != '\n' {
                    out.push('\n');
                }
            }
            out.push_str(&write(std::slice::from_ref(header), d, newline));
        }
    }
    out.push_str(&write(body, d, newline));
    out
}
