//! The routing context: agents' presence, skills, queues and work items, and the matcher that
//! pushes waiting work to an agent with spare capacity and the skills it needs.
//!
//! The decisions are pure functions of values in [`rules`] (the matcher is
//! [`rules::assign`]).

pub mod rules;
