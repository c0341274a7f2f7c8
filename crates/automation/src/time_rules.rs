//! Time rules: their commands, and the worker step that checks them on the kernel clock.

use crate::act::facts;
use crate::dry_run::due;
use crate::views::{self, NewTimeRule, TimeRulePatch, TimeRuleView};
use crate::{Automation, RuleKind, repo, rules};
use tiski_domain::event::TimeRuleFired;
use tiski_kernel::{Actor, AppError, AppResult, Page, positions};

/// Tickets one rule looks at per step.
pub const TIME_RULE_BATCH: i64 = 200;

fn no_message_conditions(conditions: &[serde_json::Value]) -> AppResult<()> {
    for (i, c) in conditions.iter().enumerate() {
        let field = c.get("field").and_then(|f| f.as_str()).unwrap_or("");
        if field == "body" || field.starts_with("message.") {
            return Err(AppError::invalid(
                format!("conditions[{i}].field"),
                "A time rule has no message to look at; use ticket and customer fields.",
            ));
        }
    }
    Ok(())
}

impl Automation {
    /// Makes a time rule. Admins only.
    pub async fn create_time_rule(
        &self,
        actor: &Actor,
        input: NewTimeRule,
    ) -> AppResult<TimeRuleView> {
        let rule = views::time_rule(&input)?;
        no_message_conditions(&input.conditions)?;
        Ok(self
            .create_rule(actor, RuleKind::TimeRule, rule)
            .await?
            .into())
    }

    /// Every time rule in the order they run. Staff read them.
    pub async fn list_time_rules(&self, actor: &Actor) -> AppResult<Page<TimeRuleView>> {
        let items = self.list_rules(actor, RuleKind::TimeRule).await?;
        Ok(Page {
            items: items.into_iter().map(TimeRuleView::from).collect(),
            next_cursor: None,
        })
    }

    /// One time rule. Staff read them.
    pub async fn time_rule(&self, actor: &Actor, id: i64) -> AppResult<TimeRuleView> {
        Ok(self.rule(actor, RuleKind::TimeRule, id).await?.into())
    }

    /// Changes a time rule. Admins only.
    pub async fn update_time_rule(
        &self,
        actor: &Actor,
        id: i64,
        patch: TimeRulePatch,
    ) -> AppResult<TimeRuleView> {
        if let Some(conditions) = &patch.conditions {
            no_message_conditions(conditions)?;
        }
        Ok(self
            .update_rule(actor, RuleKind::TimeRule, id, move |current| {
                views::patched_time_rule(current, &patch)
            })
            .await?
            .into())
    }

    /// Deletes a time rule. Admins only.
    pub async fn delete_time_rule(&self, actor: &Actor, id: i64) -> AppResult<()> {
        self.delete_rule(actor, RuleKind::TimeRule, id).await
    }

    /// One check of every active time rule at the kernel's now, in one transaction: each
    /// rule reads the tickets whose clock started since its stored mark and has now run
    /// its hours (one index range, so the cost follows what came due, not the desk's
    /// size), acts on those its conditions hold for, once per (rule, ticket, occurrence),
    /// and moves its mark. Returns how many tickets were acted on.
    pub async fn run_time_rules(&self) -> AppResult<usize> {
        let this = self.clone();
        self.kernel
            .housekeeping("time_rule.run", move |tx| {
                let now = tx.now();
                let mut acted = 0;
                for rule in repo::active_time_rules(tx.conn())? {
                    let mark_name = format!("time-rule:{}", rule.id);
                    let mark = positions::lock(tx.conn(), &mark_name, 0)?;
                    let found = due(tx.conn(), &rule, mark, now, TIME_RULE_BATCH)?;
                    let Some(next_mark) = found.iter().map(|(_, at)| *at).max() else {
                        continue;
                    };
                    for (ticket, occurrence) in &found {
                        let facts = facts(tx.conn(), &rule, ticket, None, now)?;
                        if !rules::all_hold(&rule.conditions, &facts) {
                            continue;
                        }
                        if !repo::record_run(tx.conn(), rule.id, ticket.id, *occurrence, now)? {
                            continue;
                        }
                        let done = this.act(tx, RuleKind::TimeRule, &rule, ticket.id)?;
                        let as_rule = tiski_kernel::Rule {
                            kind: RuleKind::TimeRule.actor_kind(),
                            id: rule.id,
                        };
                        tx.as_rule(as_rule, |tx| {
                            tx.emit(
                                Some(ticket.id),
                                TimeRuleFired {
                                    rule_id: rule.id,
                                    occurrence: *occurrence,
                                    actions: done.ran,
                                    skipped: done.skipped,
                                },
                            )
                        })?;
                        acted += 1;
                    }
                    positions::set(tx.conn(), &mark_name, next_mark)?;
                }
                Ok(acted)
            })
            .await
    }
}
