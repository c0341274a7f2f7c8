//! Integration tests of `tiski-mail`, linked into one binary.
//!
//! The corpus tests read `/work/shared/corpora/email` (see its `SOURCES.md`): about 1,800 real
//! messages from the test suites of mail libraries. Each area has one `check` helper so that
//! an API change touches one function.

mod corpus;
mod hand_written;
mod properties;
mod round_trip;
