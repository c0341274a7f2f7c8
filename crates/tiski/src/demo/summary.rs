//! What the demo made, counted while it runs and printed at the end.
//!
//! The counts of users, customers, tickets and messages, and the closing lines that tell a
//! newcomer how to sign in and start the server. Kept apart because only printing reads it.

use super::people::{Lang, TEAMS};
use super::{DEMO_ADMIN_EMAIL, DEMO_PASSWORD, Place};
use tiski_domain::{Role, Status};

/// A staff user as the summary lists them.
pub(super) struct StaffLine {
    /// Display name.
    pub(super) name: String,
    /// Sign-in email.
    pub(super) email: String,
    /// Role.
    pub(super) role: Role,
    /// Team names.
    pub(super) teams: Vec<String>,
    /// Languages spoken.
    pub(super) languages: Vec<String>,
}

/// What the demo made.
#[derive(Default)]
pub(super) struct Summary {
    /// Staff users created.
    pub(super) staff: Vec<StaffLine>,
    /// Customers created.
    pub(super) customers: usize,
    /// Business customers among them.
    pub(super) business: usize,
    /// Tickets per status, in the order of [`Status::ALL`].
    pub(super) statuses: [usize; 6],
    /// Tickets without an assignee.
    pub(super) unassigned: usize,
    /// Customer messages.
    pub(super) customer_messages: usize,
    /// Agent replies.
    pub(super) replies: usize,
    /// Internal notes.
    pub(super) notes: usize,
}

impl Summary {
    /// Prints the counts and how to go on.
    pub(super) fn print(&self, place: &Place, took: std::time::Duration) {
        let tickets: usize = self.statuses.iter().sum();
        println!(
            "Demo organisation created in {} in {:.1} s.",
            place.description,
            took.as_secs_f64()
        );
        println!();
        println!("  Teams      {}: {}", TEAMS.len(), TEAMS.join(", "));
        println!(
            "  Staff      {} users; every one signs in with the password {DEMO_PASSWORD}",
            self.staff.len()
        );
        let name_width = self.staff.iter().map(|s| s.name.chars().count()).max();
        let email_width = self.staff.iter().map(|s| s.email.len()).max();
        for user in &self.staff {
            let teams = if user.teams.is_empty() {
                "sees all teams".to_string()
            } else {
                user.teams.join(", ")
            };
            println!(
                "    {:<10}  {:<name$}  {:<email$}  {} ({})",
                user.role.as_str(),
                user.name,
                user.email,
                teams,
                user.languages.join(", "),
                name = name_width.unwrap_or(0),
                email = email_width.unwrap_or(0),
            );
        }
        let languages: Vec<&str> = Lang::ALL.iter().map(|l| l.name()).collect();
        println!(
            "  Customers  {} ({} business customers), writing in {}",
            self.customers,
            self.business,
            languages.join(", ")
        );
        let by_status: Vec<String> = Status::ALL
            .iter()
            .zip(self.statuses)
            .map(|(status, count)| format!("{count} {status}"))
            .collect();
        println!(
            "  Tickets    {tickets}: {}; {} unassigned",
            by_status.join(", "),
            self.unassigned
        );
        println!(
            "  Messages   {}: {} from customers, {} agent replies, {} internal notes",
            self.customer_messages + self.replies + self.notes,
            self.customer_messages,
            self.replies,
            self.notes
        );
        println!();
        println!("Issue an API token for the admin, then start the server:");
        println!();
        println!(
            "  tiski token create {} --email {DEMO_ADMIN_EMAIL}",
            place.flags
        );
        println!("  tiski serve {}", place.flags);
    }
}
