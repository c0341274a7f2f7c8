//! Triggers and time rules as the API shows and takes them, and their checks.

use crate::Rule;
use crate::rules::{self, Action, Condition};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tiski_domain::{FieldError, Status};

/// The longest a time rule waits: 366 days.
pub const MAX_HOURS: i64 = 366 * 24;

fn yes() -> bool {
    true
}

/// A trigger as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TriggerView {
    /// Id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its place: triggers of an event run by position, then id.
    pub position: i64,
    /// Whether it fires.
    pub active: bool,
    /// The event type it fires on (`ticket.created`, `message.added`, …).
    pub event: String,
    /// All must hold.
    pub conditions: Vec<Condition>,
    /// Run in order.
    pub actions: Vec<Action>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

/// Input for a new trigger.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTrigger {
    /// 1 to 200 characters.
    pub name: String,
    /// 0 to 1,000,000 (default 0).
    #[serde(default)]
    pub position: i64,
    /// Default `true`.
    #[serde(default = "yes")]
    pub active: bool,
    /// The event type it fires on.
    pub event: String,
    /// Conditions (none: always), at most 50.
    #[serde(default)]
    #[schema(value_type = Vec<Condition>)]
    pub conditions: Vec<Value>,
    /// 1 to 20 actions.
    #[schema(value_type = Vec<Action>)]
    pub actions: Vec<Value>,
}

/// A change of a trigger: the fields given replace the stored ones (lists whole).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerPatch {
    /// A new name.
    pub name: Option<String>,
    /// A new position.
    pub position: Option<i64>,
    /// On or off.
    pub active: Option<bool>,
    /// Another event type.
    pub event: Option<String>,
    /// New conditions.
    #[schema(value_type = Option<Vec<Condition>>)]
    pub conditions: Option<Vec<Value>>,
    /// New actions.
    #[schema(value_type = Option<Vec<Action>>)]
    pub actions: Option<Vec<Value>>,
}

/// A time rule as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimeRuleView {
    /// Id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its place: rules run by position, then id.
    pub position: i64,
    /// Whether it acts.
    pub active: bool,
    /// The status a ticket is in (`pending` …).
    pub status: String,
    /// What the hours count from: `updated` (the last change) or `created`.
    pub since: String,
    /// How many hours.
    pub hours: i64,
    /// All must hold as well (conditions on the ticket and its customer).
    pub conditions: Vec<Condition>,
    /// Run in order.
    pub actions: Vec<Action>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

/// Input for a new time rule: "pending for 72 hours since the last update".
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTimeRule {
    /// 1 to 200 characters.
    pub name: String,
    /// 0 to 1,000,000 (default 0).
    #[serde(default)]
    pub position: i64,
    /// Default `true`.
    #[serde(default = "yes")]
    pub active: bool,
    /// The status a ticket is in (not `closed`).
    pub status: String,
    /// `updated` (default) or `created`.
    #[serde(default)]
    pub since: Option<String>,
    /// 1 to 8,784 hours.
    pub hours: i64,
    /// Further conditions, at most 50.
    #[serde(default)]
    #[schema(value_type = Vec<Condition>)]
    pub conditions: Vec<Value>,
    /// 1 to 20 actions.
    #[schema(value_type = Vec<Action>)]
    pub actions: Vec<Value>,
}

/// A change of a time rule: the fields given replace the stored ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeRulePatch {
    /// A new name.
    pub name: Option<String>,
    /// A new position.
    pub position: Option<i64>,
    /// On or off.
    pub active: Option<bool>,
    /// Another status.
    pub status: Option<String>,
    /// `updated` or `created`.
    pub since: Option<String>,
    /// Other hours.
    pub hours: Option<i64>,
    /// New conditions.
    #[schema(value_type = Option<Vec<Condition>>)]
    pub conditions: Option<Vec<Value>>,
    /// New actions.
    #[schema(value_type = Option<Vec<Action>>)]
    pub actions: Option<Vec<Value>>,
}

impl From<Rule> for TriggerView {
    fn from(r: Rule) -> TriggerView {
        TriggerView {
            id: r.id,
            name: r.name,
            position: r.position,
            active: r.active,
            event: r.event.unwrap_or_default(),
            conditions: r.conditions,
            actions: r.actions,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<Rule> for TimeRuleView {
    fn from(r: Rule) -> TimeRuleView {
        TimeRuleView {
            id: r.id,
            name: r.name,
            position: r.position,
            active: r.active,
            status: r.status.unwrap_or_default(),
            since: r.since.unwrap_or_default(),
            hours: r.hours.unwrap_or_default(),
            conditions: r.conditions,
            actions: r.actions,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

fn blank(name: String, position: i64, active: bool) -> Rule {
    Rule {
        id: 0,
        name,
        position,
        active,
        conditions: Vec::new(),
        actions: Vec::new(),
        created_at: String::new(),
        updated_at: String::new(),
        event: None,
        status: None,
        since: None,
        hours: None,
    }
}

fn check_status(text: &str) -> Result<String, FieldError> {
    let status = Status::parse(text).map_err(|e| e.at("status"))?;
    if status == Status::Closed {
        return Err(FieldError::new(
            "status",
            "Closed tickets are not acted on; choose another status.",
        ));
    }
    Ok(status.as_str().into())
}

fn check_since(text: &str) -> Result<String, FieldError> {
    match text {
        "updated" | "created" => Ok(text.into()),
        _ => Err(FieldError::new("since", "since is updated or created.")),
    }
}

fn check_hours(hours: i64) -> Result<i64, FieldError> {
    if !(1..=MAX_HOURS).contains(&hours) {
        return Err(FieldError::new(
            "hours",
            format!("hours is 1 to {MAX_HOURS}."),
        ));
    }
    Ok(hours)
}

/// A new trigger, checked.
pub(crate) fn trigger(input: &NewTrigger) -> Result<Rule, FieldError> {
    let mut rule = blank(
        rules::check_name(&input.name)?,
        rules::check_position(input.position)?,
        input.active,
    );
    rule.event = Some(rules::check_event(&input.event)?.as_str().into());
    rule.conditions = rules::check_conditions(&input.conditions)?;
    rule.actions = rules::check_actions(&input.actions)?;
    Ok(rule)
}

/// A new time rule, checked.
pub(crate) fn time_rule(input: &NewTimeRule) -> Result<Rule, FieldError> {
    let mut rule = blank(
        rules::check_name(&input.name)?,
        rules::check_position(input.position)?,
        input.active,
    );
    rule.status = Some(check_status(&input.status)?);
    rule.since = Some(check_since(input.since.as_deref().unwrap_or("updated"))?);
    rule.hours = Some(check_hours(input.hours)?);
    rule.conditions = rules::check_conditions(&input.conditions)?;
    rule.actions = rules::check_actions(&input.actions)?;
    Ok(rule)
}

/// The fields that differ between two versions of a rule.
fn changed(before: &Rule, after: &Rule) -> Vec<String> {
    [
        ("name", before.name != after.name),
        ("position", before.position != after.position),
        ("active", before.active != after.active),
        ("event", before.event != after.event),
        ("status", before.status != after.status),
        ("since", before.since != after.since),
        ("hours", before.hours != after.hours),
        ("conditions", before.conditions != after.conditions),
        ("actions", before.actions != after.actions),
    ]
    .into_iter()
    .filter(|(_, differs)| *differs)
    .map(|(field, _)| field.to_string())
    .collect()
}

fn common(
    current: &Rule,
    name: &Option<String>,
    position: Option<i64>,
    active: Option<bool>,
    conditions: &Option<Vec<Value>>,
    actions: &Option<Vec<Value>>,
) -> Result<Rule, FieldError> {
    let mut next = current.clone();
    if let Some(name) = name {
        next.name = rules::check_name(name)?;
    }
    if let Some(position) = position {
        next.position = rules::check_position(position)?;
    }
    if let Some(active) = active {
        next.active = active;
    }
    if let Some(conditions) = conditions {
        next.conditions = rules::check_conditions(conditions)?;
    }
    if let Some(actions) = actions {
        next.actions = rules::check_actions(actions)?;
    }
    Ok(next)
}

/// A trigger changed by a patch, with the names of the fields that changed.
pub(crate) fn patched_trigger(
    current: &Rule,
    patch: &TriggerPatch,
) -> Result<(Rule, Vec<String>), FieldError> {
    let mut next = common(
        current,
        &patch.name,
        patch.position,
        patch.active,
        &patch.conditions,
        &patch.actions,
    )?;
    if let Some(event) = &patch.event {
        next.event = Some(rules::check_event(event)?.as_str().into());
    }
    let changed = changed(current, &next);
    Ok((next, changed))
}

/// A time rule changed by a patch, with the names of the fields that changed.
pub(crate) fn patched_time_rule(
    current: &Rule,
    patch: &TimeRulePatch,
) -> Result<(Rule, Vec<String>), FieldError> {
    let mut next = common(
        current,
        &patch.name,
        patch.position,
        patch.active,
        &patch.conditions,
        &patch.actions,
    )?;
    if let Some(status) = &patch.status {
        next.status = Some(check_status(status)?);
    }
    if let Some(since) = &patch.since {
        next.since = Some(check_since(since)?);
    }
    if let Some(hours) = patch.hours {
        next.hours = Some(check_hours(hours)?);
    }
    let changed = changed(current, &next);
    Ok((next, changed))
}
