//! The SLA clocks of a ticket, for its view: the first policy whose filter matches, its
//! targets for the ticket's priority, and the clocks of `tiski_domain::sla` over the
//! ticket's status history read from the event log (so they are the same after a restart).

use crate::sla::{MAX_POLICIES, SlaPolicyView};
use crate::{commands, repo};
use jiff::Timestamp;
use tiski_domain::sla::{self, History, Metric, Target};
use tiski_domain::{AuthorKind, Event, MessageKind, Status};
use tiski_kernel::{AppError, AppResult, Conn, events};
use tiski_ticketing::query::Assignee;
use tiski_ticketing::{SlaEntry, TicketClocks, TicketView};

/// Most events of a ticket read for its history.
const MAX_EVENTS: i64 = 10_000;

/// The calendar context's port into ticketing: a ticket's SLA clocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct SlaClocks;

/// Whether a policy's filter takes the ticket (`assignee: me` takes none: a policy has no
/// reader).
pub fn matches(policy: &SlaPolicyView, ticket: &TicketView) -> bool {
    let Ok(query) = policy.filter.query() else {
        return false;
    };
    (query.statuses.is_empty() || query.statuses.contains(&ticket.status))
        && query.team_id.is_none_or(|t| ticket.team_id == Some(t))
        && match query.assignee {
            None => true,
            Some(Assignee::Unassigned) => ticket.assignee_id.is_none(),
            Some(Assignee::User(id)) => ticket.assignee_id == Some(id),
            Some(Assignee::Me) => false,
        }
        && query
            .tag
            .is_none_or(|tag| ticket.tags.iter().any(|t| *t == tag.to_string()))
        && query.priority.is_none_or(|p| ticket.priority == p)
        && query.channel.is_none_or(|c| ticket.channel == c)
        && query
            .language
            .is_none_or(|l| ticket.language.as_deref() == Some(l.to_string().as_str()))
}

fn instant(text: &str) -> AppResult<Timestamp> {
    text.parse()
        .map_err(|_| AppError::Corrupt(format!("an event time {text:?} does not read")))
}

impl TicketClocks for SlaClocks {
    fn clocks(
        &self,
        conn: &mut dyn Conn,
        ticket: &TicketView,
        now: i64,
    ) -> AppResult<Vec<SlaEntry>> {
        let policies = repo::policies(conn, MAX_POLICIES)?;
        let Some(policy) = policies.iter().find(|p| matches(p, ticket)) else {
            return Ok(Vec::new());
        };
        let Some(targets) = policy.targets.get(ticket.priority.as_str()) else {
            return Ok(Vec::new());
        };
        let calendar = match policy.calendar_id {
            Some(id) => Some(repo::get(conn, id)?),
            None => repo::default(conn)?,
        };
        let calendar = calendar.as_ref().map(commands::arithmetic).transpose()?;
        let mut statuses: Vec<(Timestamp, Status)> = Vec::new();
        let mut first_reply_at = None;
        for event in events::of_ticket(conn, ticket.id, 0, MAX_EVENTS)? {
            match &event.event {
                Event::TicketCreated(created) => {
                    statuses.push((instant(&event.at)?, created.status))
                }
                Event::TicketStatusChanged(change) => {
                    statuses.push((instant(&event.at)?, change.to))
                }
                Event::MessageAdded(message)
                    if message.kind == MessageKind::Reply
                        && message.author_kind == AuthorKind::Agent
                        && first_reply_at.is_none() =>
                {
                    first_reply_at = Some(instant(&event.at)?);
                }
                _ => {}
            }
        }
        if statuses.is_empty() {
            statuses.push((instant(&ticket.created_at)?, ticket.status));
        }
        let now = Timestamp::from_microsecond(now).map_err(|e| AppError::Corrupt(e.to_string()))?;
        let history = History {
            statuses: &statuses,
            first_reply_at,
        };
        let mut clocks = Vec::new();
        for (name, spec) in targets {
            let Ok(metric) = Metric::parse(name) else {
                continue;
            };
            let target = Target {
                seconds: spec.seconds,
                business_hours: spec.business_hours,
                warn_before_s: spec.warn_before_s,
            };
            let clock = sla::clock(metric, target, history, calendar.as_ref(), now);
            clocks.push(SlaEntry {
                metric,
                state: clock.state,
                due_at: clock.due_at.map(|t| t.to_string()),
                elapsed_s: clock.elapsed.as_secs(),
            });
        }
        Ok(clocks)
    }
}
