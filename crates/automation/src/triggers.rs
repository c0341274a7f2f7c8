//! Triggers: their commands, and the worker step that fires them from the event log.

use crate::act::{self, facts, message};
use crate::views::{self, NewTrigger, TriggerPatch, TriggerView};
use crate::{Automation, Rule, RuleKind, repo, rules};
use std::collections::HashMap;
use tiski_domain::Event;
use tiski_domain::event::TriggerFired;
use tiski_kernel::{Actor, AppResult, EventView, Page, Tx, events, positions, time};

/// The worker's name in the worker positions.
const POSITION: &str = "automation-triggers";

impl Automation {
    /// Makes a trigger. Admins only.
    pub async fn create_trigger(&self, actor: &Actor, input: NewTrigger) -> AppResult<TriggerView> {
        let rule = views::trigger(&input)?;
        Ok(self
            .create_rule(actor, RuleKind::Trigger, rule)
            .await?
            .into())
    }

    /// Every trigger in the order they run. Staff read them.
    pub async fn list_triggers(&self, actor: &Actor) -> AppResult<Page<TriggerView>> {
        let items = self.list_rules(actor, RuleKind::Trigger).await?;
        Ok(Page {
            items: items.into_iter().map(TriggerView::from).collect(),
            next_cursor: None,
        })
    }

    /// One trigger. Staff read them.
    pub async fn trigger(&self, actor: &Actor, id: i64) -> AppResult<TriggerView> {
        Ok(self.rule(actor, RuleKind::Trigger, id).await?.into())
    }

    /// Changes a trigger. Admins only.
    pub async fn update_trigger(
        &self,
        actor: &Actor,
        id: i64,
        patch: TriggerPatch,
    ) -> AppResult<TriggerView> {
        Ok(self
            .update_rule(actor, RuleKind::Trigger, id, move |current| {
                views::patched_trigger(current, &patch)
            })
            .await?
            .into())
    }

    /// Deletes a trigger. Admins only.
    pub async fn delete_trigger(&self, actor: &Actor, id: i64) -> AppResult<()> {
        self.delete_rule(actor, RuleKind::Trigger, id).await
    }

    /// Fires the triggers of the events after the worker's position (at most `batch`
    /// events), with the new position, in one transaction; returns how many events were
    /// read. Events made by a trigger fire none: a trigger's changes never re-fire triggers.
    pub async fn run_triggers(&self, batch: i64) -> AppResult<usize> {
        let this = self.clone();
        self.kernel
            .housekeeping("trigger.run", move |tx| {
                // A desk's first run starts at the end of its log: history is not news.
                let newest = events::newest(tx.conn())?;
                let position = positions::lock(tx.conn(), POSITION, newest)?;
                let read = events::after(tx.conn(), position, batch)?;
                let Some(last) = read.last().map(|e| e.id) else {
                    return Ok(0);
                };
                let mut by_type: HashMap<&'static str, Vec<Rule>> = HashMap::new();
                for event in &read {
                    let Some(ticket_id) = event.ticket_id else {
                        continue;
                    };
                    if event.actor_kind == RuleKind::Trigger.actor_kind() {
                        continue;
                    }
                    let kind = event.kind.as_str();
                    if !by_type.contains_key(kind) {
                        let found = repo::active_triggers(tx.conn(), kind)?;
                        by_type.insert(kind, found);
                    }
                    let triggers = by_type.get(kind).cloned().unwrap_or_default();
                    for trigger in &triggers {
                        this.fire(tx, trigger, event, ticket_id)?;
                    }
                }
                positions::set(tx.conn(), POSITION, last)?;
                Ok(read.len())
            })
            .await
    }

    /// Fires one trigger on one event if its conditions hold for the ticket as it is now.
    fn fire(
        &self,
        tx: &mut Tx<'_, '_>,
        trigger: &Rule,
        event: &EventView,
        ticket_id: i64,
    ) -> AppResult<()> {
        let Some(ticket) = act::ticket(tx.conn(), ticket_id)? else {
            return Ok(());
        };
        let message = if rules::needs_message(&trigger.conditions) {
            let message_id = match &event.event {
                Event::MessageAdded(added) => Some(added.message_id),
                // A new ticket's message is its first one.
                Event::TicketCreated(_) => {
                    tiski_ticketing::messages::of_ticket(tx.conn(), ticket_id, 1)?
                        .first()
                        .map(|m| m.id)
                }
                _ => None,
            };
            message(tx.conn(), ticket_id, message_id)?
        } else {
            None
        };
        let at = time::parse("at", &event.at).unwrap_or_else(|_| tx.now());
        let facts = facts(tx.conn(), trigger, &ticket, message, at)?;
        if !rules::all_hold(&trigger.conditions, &facts) {
            return Ok(());
        }
        let done = self.act(tx, RuleKind::Trigger, trigger, ticket_id)?;
        tx.as_rule(
            tiski_kernel::Rule {
                kind: RuleKind::Trigger.actor_kind(),
                id: trigger.id,
            },
            |tx| {
                tx.emit(
                    Some(ticket_id),
                    TriggerFired {
                        trigger_id: trigger.id,
                        source_event_id: event.id,
                        actions: done.ran,
                        skipped: done.skipped,
                    },
                )
            },
        )
    }
}
