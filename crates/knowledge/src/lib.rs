//! The knowledge context of tiski. Today it holds the text analyser that search is built on
//! (`analyze`): pure functions that turn text in one of the languages tiski serves into the
//! terms an index stores and a query looks up.

pub mod analyze;
