//! EDI as values: an X12 or EDIFACT interchange read into its envelopes (interchange,
//! functional groups, messages) and segments, with the delimiters it declares, its control
//! numbers and counts checked; and segments written back with a partner's delimiters.
//!
//! Nothing here does IO or knows tiski: the commerce context maps the messages to orders and
//! builds the acknowledgements with [`write`].
//!
//! Positions of problems are paths: `TAG[n]` is the n-th (1-based) segment with that tag in
//! its parent, the parent first, joined by `/`, and a final `/NN` is the element's position
//! (two digits, 1-based). Messages are counted across the interchange (`ST[2]` is the second
//! transaction set whatever group holds it), so `ST[2]/PO1[3]/02` is the quantity of the third
//! PO1 line of the second transaction set, `UNH[1]/QTY[2]/01` the second QTY of the first
//! EDIFACT message, and `IEA/01`, `GE[1]/02` or `UNZ/02` are envelope elements.

mod build;
mod edifact;
mod envelope;
mod segment;
mod structure;
mod x12;

pub use build::write_interchange;
pub use envelope::{Code, Fatal, Group, Interchange, Message, PartyId, Problem, Syntax, parse};
pub use segment::{Delimiters, Segment, write};
pub use x12::isa_field;
