//! Planning the tickets: every random decision about every ticket, made before any is created.
//!
//! Who writes, about what, through which channel, to whom, in which status the ticket ends and
//! which extra messages it gets. Deciding it all up front keeps the content independent of
//! timing, and keeps the database work in [`super::tickets`] free of randomness.

use super::conversations::{FOLLOW_UPS, SCENARIOS, TRIAGE_NOTES};
use super::people::ORDERS;
use super::rng::Rng;
use super::seed::Desk;
use tiski_domain::{Channel, Priority, Role, Status};

/// How a ticket gets its assignee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Assign {
    /// Nobody works it yet, or the team shares it.
    Nobody,
    /// Routed to the agent when it is created.
    AtCreate,
    /// The agent takes it before answering.
    Takes,
}

/// Everything decided about one ticket before it is made.
pub(super) struct Plan {
    /// Index into the desk's customers.
    pub(super) customer: usize,
    /// Index into [`SCENARIOS`].
    pub(super) scenario: usize,
    /// Index into the desk's staff: the agent who works it.
    pub(super) worker: usize,
    /// Index into the desk's staff: the supervisor of its team.
    pub(super) lead: usize,
    /// Index into the desk's staff: the supervisor of Orders, who moves misrouted tickets.
    pub(super) orders_lead: usize,
    /// Where it came from.
    pub(super) channel: Channel,
    /// How urgent it is.
    pub(super) priority: Priority,
    /// Its tags.
    pub(super) tags: Vec<String>,
    /// The status it ends in.
    pub(super) status: Status,
    /// How it is assigned.
    pub(super) assign: Assign,
    /// Whether it first lands in Orders and is moved to its team.
    pub(super) misrouted: bool,
    /// An order number.
    pub(super) order: String,
    /// A serial or reference number.
    pub(super) serial: String,
    /// Whether the agent leaves an internal note.
    pub(super) note: bool,
    /// Whether a supervisor escalates it.
    pub(super) escalate: bool,
    /// A supervisor's remark on a new ticket.
    pub(super) triage: Option<&'static str>,
    /// A customer's follow-up, by index into [`FOLLOW_UPS`].
    pub(super) follow_up: Option<usize>,
    /// Whether the agent writes a closing reply before solving.
    pub(super) closing: bool,
}

/// Decides every ticket up front, so that the content never depends on timing.
pub(super) fn plan_tickets(desk: &Desk, rng: &mut Rng, count: usize) -> Vec<Plan> {
    // The first six tickets take every status once, in a shuffled order, so that even a small
    // demo shows them all.
    let mut first_statuses: Vec<Status> = Status::ALL.to_vec();
    for i in (1..first_statuses.len()).rev() {
        first_statuses.swap(i, rng.below(i + 1));
    }
    let lead_of = |team: usize| {
        desk.staff
            .iter()
            .position(|s| s.seed.leads == Some(team))
            .unwrap_or(0)
    };
    (0..count)
        .map(|number| {
            // Some customers write much more often than others.
            let customer = ((desk.customers.len() as f64) * rng.unit().powf(1.7)) as usize;
            let customer = customer.min(desk.customers.len() - 1);
            let business = desk.customers[customer].view.organization.is_some();
            let lang = desk.customers[customer].lang;
            let weights: Vec<u32> = SCENARIOS
                .iter()
                .map(|s| if business { s.weight.1 } else { s.weight.0 })
                .collect();
            let scenario = rng.weighted(&weights);
            let team = SCENARIOS[scenario].team;
            let status = first_statuses
                .get(number)
                .copied()
                .unwrap_or_else(|| Status::ALL[rng.weighted(&[14, 20, 14, 7, 17, 28])]);
            let channel = [
                Channel::Email,
                Channel::Chat,
                Channel::Phone,
                Channel::Web,
                Channel::Desk,
                Channel::Api,
            ][rng.weighted(&[36, 16, 14, 20, 4, 10])];
            // The agent: a member of the team who speaks the customer's language; agents more
            // often than supervisors.
            let candidates: Vec<usize> = desk
                .staff
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    s.seed.teams.contains(&team) && s.seed.languages.contains(&lang.code())
                })
                .map(|(i, _)| i)
                .collect();
            let weights: Vec<u32> = candidates
                .iter()
                .map(|i| match desk.staff[*i].seed.role {
                    Role::Agent => 3,
                    _ => 1,
                })
                .collect();
            let worker = candidates
                .get(rng.weighted(&weights))
                .copied()
                .unwrap_or_else(|| lead_of(team));
            let complaint = SCENARIOS[scenario].complaint;
            let mut priority = rng.weighted(&[12, 58, 22, 8]);
            if complaint {
                priority = (priority + 1).min(3);
            }
            let mut tags: Vec<String> = SCENARIOS[scenario]
                .tags
                .iter()
                .map(|t| t.to_string())
                .collect();
            if business && rng.chance(0.6) {
                tags.push("vip".into());
            }
            if business {
                tags.push("business".into());
            }
            let by_agent = matches!(channel, Channel::Phone | Channel::Desk);
            let misrouted = !by_agent && team != ORDERS && rng.chance(0.07);
            let assign = match (status, by_agent) {
                (Status::New, _) if rng.chance(0.7) => Assign::Nobody,
                (Status::New, true) => Assign::AtCreate,
                (Status::New, false) if misrouted => Assign::Nobody,
                (Status::New, false) => Assign::AtCreate,
                (_, _) if rng.chance(0.12) => Assign::Nobody,
                (_, true) => Assign::AtCreate,
                (_, false) if !misrouted && rng.chance(0.5) => Assign::AtCreate,
                (_, false) => Assign::Takes,
            };
            let triage =
                (status == Status::New && rng.chance(0.25)).then(|| *rng.pick(&TRIAGE_NOTES));
            let follow_up = match status {
                Status::New => rng.chance(0.3).then_some(1),
                Status::Open => rng.chance(0.6).then(|| rng.below(FOLLOW_UPS.len())),
                _ => None,
            };
            Plan {
                customer,
                scenario,
                worker,
                lead: lead_of(team),
                orders_lead: lead_of(ORDERS),
                channel,
                priority: Priority::ALL[priority],
                tags,
                status,
                assign,
                misrouted,
                order: format!("TS-{}", 100_000 + rng.below(900_000)),
                serial: rng.digits(6),
                note: rng.chance(0.4),
                escalate: complaint && status != Status::New && rng.chance(0.5),
                triage,
                follow_up,
                closing: rng.chance(0.5),
            }
        })
        .collect()
}
