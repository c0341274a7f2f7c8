//! Staff roles.

use crate::wire_enum;

wire_enum! {
    /// What a staff user may do. Admins do everything; supervisors see their teams' work and
    /// agents; agents see their teams' tickets and tickets assigned to them.
    Role, "role" {
        /// Works tickets.
        Agent = "agent",
        /// Leads teams.
        Supervisor = "supervisor",
        /// Runs the installation.
        Admin = "admin",
    }
}
