//! The routing context: agents' presence, skills, queues and work items, and the matcher that
//! pushes waiting work to an agent with spare capacity and the skills it needs.
//!
//! The decisions are pure functions of values in [`rules`] (the matcher is
//! [`rules::assign`]); [`Routing::match_once`] loads those values in one transaction, runs the
//! matcher and claims its choices with conditional updates, so two nodes never give one item
//! twice nor an agent more than their capacity. Tickets reach routing through ticketing's
//! [`TicketRouting`](tiski_ticketing::TicketRouting) port ([`RoutingPort`]: a ticket's queue
//! and requirements) and its events ([`RoutingReaction`]: assignee, status and priority keep
//! the work item in step). Tables: `agent_presence`, `skills`, `agent_skills`, `queues`,
//! `work_items`; all of its SQL is in `repo.rs`.

mod commands;
mod offers;
mod queues;
mod repo;
mod router;
pub mod rules;
mod tickets;
mod views;

pub use tickets::{RoutingPort, RoutingReaction};
pub use views::*;

use tiski_kernel::Kernel;

/// The routing context. Cheap to clone.
#[derive(Clone)]
pub struct Routing {
    kernel: Kernel,
}

impl Routing {
    /// The routing context on a kernel.
    pub fn new(kernel: Kernel) -> Routing {
        Routing { kernel }
    }
}
