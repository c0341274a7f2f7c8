//! The knowledge context of tiski: the language-aware text analyser (`analyze`), the search
//! index over tickets, messages and customers that a worker keeps current from the event log
//! (`index`), and the permission-filtered ranked search over it (`search`). Table:
//! `search_documents` (with the engine's full-text index over it). It reads tickets,
//! messages and customers through `tiski_ticketing::search`.

pub mod analyze;
pub mod erasure;
pub mod index;
pub mod kb;
pub mod query;
mod repo;
pub mod search;
pub mod snippet;
pub mod typo;

pub use search::{SearchHit, SearchRequest, SearchResults, SearchType};
use tiski_kernel::Kernel;

/// The knowledge context's handle.
#[derive(Clone)]
pub struct Knowledge {
    kernel: Kernel,
}

impl Knowledge {
    /// The knowledge context on a kernel.
    pub fn new(kernel: Kernel) -> Knowledge {
        Knowledge { kernel }
    }
}
