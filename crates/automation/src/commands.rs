//! Commands and queries shared by triggers and time rules: make, list, read, change,
//! delete; admins change them, staff read them.

use crate::rules::{Action, Condition};
use crate::{Automation, MAX_RULES, Rule, RuleKind, repo};
use tiski_domain::Permission;
use tiski_domain::event::{
    TimeRuleCreated, TimeRuleDeleted, TimeRuleUpdated, TriggerCreated, TriggerDeleted,
    TriggerUpdated,
};
use tiski_kernel::{Actor, AppError, AppResult, Conn, Tx};

/// Refuses teams, agents, macros and calendars that do not exist, naming the field.
pub(crate) fn check_references(
    conn: &mut dyn Conn,
    conditions: &[Condition],
    actions: &[Action],
) -> AppResult<()> {
    for (i, condition) in conditions.iter().enumerate() {
        if let Some(id) = condition.calendar_id
            && !tiski_calendar::calendar_exists(conn, id)?
        {
            return Err(AppError::invalid(
                format!("conditions[{i}].calendar_id"),
                "There is no calendar with this id.",
            ));
        }
    }
    for (i, action) in actions.iter().enumerate() {
        let (team, agent, macros) = action.references();
        if let Some(team) = team
            && !tiski_staff::lookup::team_exists(conn, team)?
        {
            return Err(AppError::invalid(
                format!("actions[{i}].team_id"),
                "There is no team with this id.",
            ));
        }
        if let Some(agent) = agent
            && !tiski_staff::lookup::user_is_active(conn, agent)?
        {
            return Err(AppError::invalid(
                format!("actions[{i}].assignee_id"),
                "There is no active agent with this id.",
            ));
        }
        for (j, id) in macros.iter().enumerate() {
            if tiski_ticketing::shared_macro(conn, *id)?.is_none() {
                return Err(AppError::invalid(
                    format!("actions[{i}].macro_ids[{j}]"),
                    "There is no shared macro with this id.",
                ));
            }
        }
    }
    Ok(())
}

fn emit_created(tx: &mut Tx<'_, '_>, kind: RuleKind, id: i64, position: i64) -> AppResult<()> {
    match kind {
        RuleKind::Trigger => tx.emit(
            None,
            TriggerCreated {
                trigger_id: id,
                position,
            },
        ),
        RuleKind::TimeRule => tx.emit(
            None,
            TimeRuleCreated {
                rule_id: id,
                position,
            },
        ),
    }
}

impl Automation {
    /// Stores a checked rule (admins only).
    pub(crate) async fn create_rule(
        &self,
        actor: &Actor,
        kind: RuleKind,
        rule: Rule,
    ) -> AppResult<Rule> {
        let grant = actor.grant(Permission::AutomationManage)?;
        self.kernel
            .command(&grant, "automation.create", move |tx| {
                check_references(tx.conn(), &rule.conditions, &rule.actions)?;
                if repo::count(tx.conn(), kind)? >= MAX_RULES {
                    return Err(AppError::invalid(
                        "name",
                        format!("A desk keeps at most {MAX_RULES} of these rules."),
                    ));
                }
                let now = tx.now();
                let id = repo::insert(tx.conn(), kind, &rule, now)?;
                emit_created(tx, kind, id, rule.position)?;
                repo::get(tx.conn(), kind, id)
            })
            .await
    }

    /// The rules of a kind in the order they run. Staff read them.
    pub(crate) async fn list_rules(&self, actor: &Actor, kind: RuleKind) -> AppResult<Vec<Rule>> {
        let grant = actor.grant(Permission::AutomationRead)?;
        self.kernel
            .query(&grant, move |conn| repo::list(conn, kind, MAX_RULES))
            .await
    }

    /// One rule. Staff read them.
    pub(crate) async fn rule(&self, actor: &Actor, kind: RuleKind, id: i64) -> AppResult<Rule> {
        let grant = actor.grant(Permission::AutomationRead)?;
        self.kernel
            .query(&grant, move |conn| repo::get(conn, kind, id))
            .await
    }

    /// Changes a rule by `patch` (which checks and names what changed). Admins only.
    pub(crate) async fn update_rule<P>(
        &self,
        actor: &Actor,
        kind: RuleKind,
        id: i64,
        patch: P,
    ) -> AppResult<Rule>
    where
        P: Fn(&Rule) -> Result<(Rule, Vec<String>), tiski_domain::FieldError> + Send + 'static,
    {
        let grant = actor.grant(Permission::AutomationManage)?;
        self.kernel
            .command(&grant, "automation.update", move |tx| {
                let current = repo::get(tx.conn(), kind, id)?;
                let (next, changed) = patch(&current)?;
                if changed.is_empty() {
                    return Ok(current);
                }
                check_references(tx.conn(), &next.conditions, &next.actions)?;
                let now = tx.now();
                repo::update(tx.conn(), kind, &next, now)?;
                match kind {
                    RuleKind::Trigger => tx.emit(
                        None,
                        TriggerUpdated {
                            trigger_id: id,
                            changed,
                        },
                    )?,
                    RuleKind::TimeRule => tx.emit(
                        None,
                        TimeRuleUpdated {
                            rule_id: id,
                            changed,
                        },
                    )?,
                }
                repo::get(tx.conn(), kind, id)
            })
            .await
    }

    /// Deletes a rule. Admins only.
    pub(crate) async fn delete_rule(
        &self,
        actor: &Actor,
        kind: RuleKind,
        id: i64,
    ) -> AppResult<()> {
        let grant = actor.grant(Permission::AutomationManage)?;
        self.kernel
            .command(&grant, "automation.delete", move |tx| {
                repo::get(tx.conn(), kind, id)?;
                repo::delete(tx.conn(), kind, id)?;
                match kind {
                    RuleKind::Trigger => tx.emit(None, TriggerDeleted { trigger_id: id }),
                    RuleKind::TimeRule => tx.emit(None, TimeRuleDeleted { rule_id: id }),
                }
            })
            .await
    }
}
