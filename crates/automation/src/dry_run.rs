//! Trying a rule on existing tickets without acting: how many it would match, and a few of
//! them, within what the asker may see.

use crate::act::facts;
use crate::views::{self, NewTimeRule, NewTrigger};
use crate::{Automation, Rule, repo, rules};
use serde::Serialize;
use tiski_domain::{Permission, Status};
use tiski_kernel::{Actor, AppResult};
use tiski_ticketing::{TicketFilter, TicketView, tickets};

/// Most tickets a dry run looks at: the most recently changed ones.
pub const DRY_RUN_TICKETS: usize = 1_000;
/// Most ticket ids a dry run names.
pub const DRY_RUN_IDS: usize = 20;

/// What a rule would do to existing tickets.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DryRun {
    /// Tickets looked at (the most recently changed the asker sees, at most 1,000).
    pub checked: i64,
    /// Of those, how many the rule would act on now.
    pub matched: i64,
    /// Up to 20 of them.
    pub ticket_ids: Vec<i64>,
    /// Whether there were more tickets than were looked at.
    pub capped: bool,
}

impl Automation {
    /// How many existing tickets a trigger's conditions hold for now (conditions on the
    /// event's message never hold: there is no event). Staff try rules; nothing is changed.
    pub async fn test_trigger(&self, actor: &Actor, input: NewTrigger) -> AppResult<DryRun> {
        let grant = actor.grant(Permission::AutomationRead)?;
        let rule = views::trigger(&input)?;
        let mut found: Vec<TicketView> = Vec::new();
        let mut cursor = None;
        let mut capped = false;
        loop {
            let page = self
                .ticketing
                .list_tickets(
                    actor,
                    TicketFilter {
                        limit: Some(100),
                        cursor: cursor.take(),
                        ..TicketFilter::default()
                    },
                )
                .await?;
            found.extend(page.items);
            match page.next_cursor {
                Some(next) if found.len() < DRY_RUN_TICKETS => cursor = Some(next),
                Some(_) => {
                    capped = true;
                    break;
                }
                None => break,
            }
        }
        found.truncate(DRY_RUN_TICKETS);
        let now = self.kernel.now();
        self.kernel
            .query(&grant, move |conn| {
                crate::commands::check_references(conn, &rule.conditions, &rule.actions)?;
                let mut matched = Vec::new();
                for ticket in &found {
                    let facts = facts(conn, &rule, ticket, None, now)?;
                    if rules::all_hold(&rule.conditions, &facts) {
                        matched.push(ticket.id);
                    }
                }
                Ok(summary(found.len(), matched, capped))
            })
            .await
    }

    /// How many tickets a time rule would act on now (those it acted on for the same
    /// occurrence left out), within what the asker may see. Nothing is changed.
    pub async fn test_time_rule(&self, actor: &Actor, input: NewTimeRule) -> AppResult<DryRun> {
        let grant = actor.grant(Permission::AutomationRead)?;
        let rule = views::time_rule(&input)?;
        let now = self.kernel.now();
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                crate::commands::check_references(conn, &rule.conditions, &rule.actions)?;
                let due = due(conn, &rule, 0, now, DRY_RUN_TICKETS as i64 + 1)?;
                let capped = due.len() > DRY_RUN_TICKETS;
                let mut checked = 0;
                let mut matched = Vec::new();
                for (ticket, _) in due.iter().take(DRY_RUN_TICKETS) {
                    if !actor.can_see_ticket(ticket.team_id, ticket.assignee_id) {
                        continue;
                    }
                    checked += 1;
                    let facts = facts(conn, &rule, ticket, None, now)?;
                    if rules::all_hold(&rule.conditions, &facts) {
                        matched.push(ticket.id);
                    }
                }
                Ok(summary(checked, matched, capped))
            })
            .await
    }
}

fn summary(checked: usize, matched: Vec<i64>, capped: bool) -> DryRun {
    DryRun {
        checked: checked as i64,
        matched: matched.len() as i64,
        ticket_ids: matched.into_iter().take(DRY_RUN_IDS).collect(),
        capped,
    }
}

/// The tickets a time rule is due for at `now` whose clock started at or after `from`
/// (oldest first, at most `limit`), with the occurrence, leaving out those it already acted
/// on for that occurrence.
pub(crate) fn due(
    conn: &mut dyn tiski_kernel::Conn,
    rule: &Rule,
    from: i64,
    now: i64,
    limit: i64,
) -> AppResult<Vec<(TicketView, i64)>> {
    let status = Status::parse(rule.status.as_deref().unwrap_or("")).map_err(|e| {
        tiski_kernel::AppError::Corrupt(format!("time rule {}: {}", rule.id, e.message))
    })?;
    let by_update = rule.since.as_deref() != Some("created");
    let until = now - rule.hours.unwrap_or(0) * 3_600_000_000;
    let candidates = tickets::in_status_between(conn, status, by_update, from, until, limit)?;
    let done = repo::done_of(conn, rule.id, &candidates)?;
    let mut due = Vec::new();
    for (id, occurrence) in candidates {
        if done.contains(&(id, occurrence)) {
            continue;
        }
        if let Some(ticket) = crate::act::ticket(conn, id)? {
            due.push((ticket, occurrence));
        }
    }
    Ok(due)
}
