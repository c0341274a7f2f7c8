//! Running a rule on a ticket inside a transaction: the facts its conditions see, and its
//! actions, each through ticketing's write functions as the rule (its events' actor).

use crate::rules::{self, Action, Facts, MessageFacts};
use crate::{Automation, Rule, RuleKind};
use std::collections::BTreeMap;
use tiski_domain::{AuthorKind, MessageKind, Priority, Status, Tag};
use tiski_kernel::{AppError, AppResult, Conn, Tx};
use tiski_ticketing::{TicketView, ValidMessage, customers, messages, tickets};

/// A ticket, or nothing if it is gone.
pub(crate) fn ticket(conn: &mut dyn Conn, id: i64) -> AppResult<Option<TicketView>> {
    match tickets::get(conn, id) {
        Ok(ticket) => Ok(Some(ticket)),
        Err(AppError::NotFound { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}

/// The message conditions see: the event's own, if it names one.
pub(crate) fn message(
    conn: &mut dyn Conn,
    ticket_id: i64,
    message_id: Option<i64>,
) -> AppResult<Option<MessageFacts>> {
    let Some(id) = message_id else {
        return Ok(None);
    };
    Ok(messages::get(conn, ticket_id, id)?.map(|m| MessageFacts {
        author: m.author_kind,
        internal: m.kind == MessageKind::Note,
        body: m.body,
    }))
}

/// The facts of `ticket` for `rule`'s conditions at `at` (microseconds).
pub(crate) fn facts<'t>(
    conn: &mut dyn Conn,
    rule: &Rule,
    ticket: &'t TicketView,
    message: Option<MessageFacts>,
    at: i64,
) -> AppResult<Facts<'t>> {
    let customer_language = if rule
        .conditions
        .iter()
        .any(|c| c.field == "customer.language")
    {
        customers::find_by_id(conn, ticket.requester.id)?.and_then(|c| c.language)
    } else {
        None
    };
    let mut open = BTreeMap::new();
    for calendar in rules::calendars_named(&rule.conditions) {
        if let Some(is_open) = tiski_calendar::is_open_at(conn, calendar, at)? {
            open.insert(calendar, is_open);
        }
    }
    Ok(Facts {
        ticket,
        customer_language,
        message,
        open,
    })
}

/// What running a rule's actions did: the types it ran and those that could do nothing.
#[derive(Debug, Default)]
pub(crate) struct Done {
    pub ran: Vec<String>,
    pub skipped: Vec<String>,
}

impl Automation {
    /// Runs `rule`'s actions on ticket `ticket_id` as the rule, in order; each reads the
    /// ticket as the previous one left it.
    pub(crate) fn act(
        &self,
        tx: &mut Tx<'_, '_>,
        kind: RuleKind,
        rule: &Rule,
        ticket_id: i64,
    ) -> AppResult<Done> {
        let mut done = Done::default();
        let as_rule = tiski_kernel::Rule {
            kind: kind.actor_kind(),
            id: rule.id,
        };
        tx.as_rule(as_rule, |tx| {
            for action in &rule.actions {
                let Some(current) = ticket(tx.conn(), ticket_id)? else {
                    break;
                };
                let did = self.one(tx, rule, &current, action)?;
                let list = if did {
                    &mut done.ran
                } else {
                    &mut done.skipped
                };
                list.push(action.kind().to_string());
            }
            if !done.ran.is_empty() {
                tickets::touch(tx, ticket_id)?;
            }
            Ok(())
        })?;
        Ok(done)
    }

    /// One action; `false` when it could do nothing (a transition not allowed, a team or an
    /// agent gone, a reply no channel carries, too many tags).
    fn one(
        &self,
        tx: &mut Tx<'_, '_>,
        rule: &Rule,
        ticket: &TicketView,
        action: &Action,
    ) -> AppResult<bool> {
        if ticket.status == Status::Closed || ticket.merged_into.is_some() {
            return Ok(false);
        }
        match action {
            Action::SetStatus { status } => {
                let Ok(to) = Status::parse(status) else {
                    return Ok(false);
                };
                if to != ticket.status && ticket.status.transition_to(to).is_err() {
                    return Ok(false);
                }
                tickets::set_status(tx, ticket, to)?;
            }
            Action::SetPriority { priority } => {
                let Ok(to) = Priority::parse(priority) else {
                    return Ok(false);
                };
                tickets::set_priority(tx, ticket, to)?;
            }
            Action::SetTeam { team_id } => return move_to(tx, ticket, *team_id),
            Action::SetAssignee { assignee_id } => {
                if let Some(agent) = assignee_id {
                    let Some(actor) = tiski_staff::lookup::actor(tx.conn(), *agent)? else {
                        return Ok(false);
                    };
                    if !actor.can_see_ticket(ticket.team_id, None) && ticket.team_id.is_some() {
                        return Ok(false);
                    }
                }
                tickets::assign(tx, ticket, *assignee_id)?;
            }
            Action::AddTags { tags } | Action::RemoveTags { tags } => {
                let mut next = ticket.tags.clone();
                if matches!(action, Action::AddTags { .. }) {
                    next.extend(tags.iter().cloned());
                } else {
                    next.retain(|t| !tags.contains(t));
                }
                next.sort();
                next.dedup();
                if next.len() > Tag::MAX_PER_TICKET {
                    return Ok(false);
                }
                tickets::set_tags(tx, ticket, next)?;
            }
            Action::AddNote { body } => {
                let text = tiski_ticketing::fill_for(tx.conn(), body, ticket, &rule.name)?;
                let note = ValidMessage {
                    body: text,
                    html: None,
                    kind: MessageKind::Note,
                    author: AuthorKind::Agent,
                    channel: None,
                    attachments: Vec::new(),
                };
                messages::touch_and_insert(tx, ticket, &note)?;
            }
            Action::SendReply { macro_ids } => return self.reply(tx, rule, ticket, macro_ids),
            Action::Escalate { priority, team_id } => {
                let Ok(to) = Priority::parse(priority) else {
                    return Ok(false);
                };
                if to.rank() > ticket.priority.rank() {
                    tickets::set_priority(tx, ticket, to)?;
                }
                if team_id.is_some() {
                    let current = tickets::get(tx.conn(), ticket.id)?;
                    return move_to(tx, &current, *team_id);
                }
            }
        }
        Ok(true)
    }

    /// A public reply from the macro in the conversation's language.
    fn reply(
        &self,
        tx: &mut Tx<'_, '_>,
        rule: &Rule,
        ticket: &TicketView,
        macro_ids: &[i64],
    ) -> AppResult<bool> {
        let mut found = Vec::new();
        for id in macro_ids {
            if let Some(m) = tiski_ticketing::shared_macro(tx.conn(), *id)? {
                found.push(m);
            }
        }
        let language = match &ticket.language {
            Some(language) => Some(language.clone()),
            None => customers::find_by_id(tx.conn(), ticket.requester.id)?.and_then(|c| c.language),
        };
        let Some(chosen) = rules::pick_macro(&found, language.as_deref()) else {
            return Ok(false);
        };
        let body = tiski_ticketing::fill_for(tx.conn(), &chosen.body, ticket, &rule.name)?;
        Ok(messages::reply_through(tx, &self.reply_channels, ticket, &body)?.is_some())
    }
}

/// Moves a ticket to a team; its assignee leaves it when not a member there.
fn move_to(tx: &mut Tx<'_, '_>, ticket: &TicketView, team_id: Option<i64>) -> AppResult<bool> {
    if let Some(team) = team_id
        && !tiski_staff::lookup::team_exists(tx.conn(), team)?
    {
        return Ok(false);
    }
    tickets::set_team(tx, ticket, team_id)?;
    if let (Some(team), Some(assignee)) = (team_id, ticket.assignee_id)
        && !tiski_staff::lookup::is_member(tx.conn(), team, assignee)?
    {
        let current = tickets::get(tx.conn(), ticket.id)?;
        tickets::assign(tx, &current, None)?;
    }
    Ok(true)
}
