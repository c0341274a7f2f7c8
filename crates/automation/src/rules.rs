//! The pure rules of automations: conditions and actions as JSON, checked with the field at
//! fault (`conditions[2].value`), and conditions evaluated over the facts of one ticket.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use tiski_domain::{
    AuthorKind, Channel, EventType, FieldError, LanguageTag, Priority, Status, Tag,
};

/// Most conditions a rule has.
pub const MAX_CONDITIONS: usize = 50;
/// Most actions a rule has.
pub const MAX_ACTIONS: usize = 20;
/// The longest text a condition compares with.
pub const MAX_TEXT: usize = 1_000;
/// The longest note an action writes.
pub const MAX_NOTE: usize = 10_000;

fn is() -> String {
    "is".into()
}

/// One condition: a field of the ticket, its customer, the event's message or the time,
/// an operator and a value. Stored and shown as given once checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// `status`, `priority`, `tags`, `team_id`, `assignee_id`, `channel`, `language`,
    /// `subject`, `body`, `customer.language`, `message.author` (`customer`/`agent`),
    /// `message.visibility` (`public`/`internal`) or `time` (`open`/`closed`).
    pub field: String,
    /// `is`, `is_not` (every field but text), `contains`, `not_contains` (`tags`,
    /// `subject`, `body`). Default `is`.
    #[serde(default = "is")]
    pub op: String,
    /// What to compare with: a status, priority, channel, language tag, id (or `null`:
    /// none), tag, text, `customer`/`agent`, `public`/`internal`, `open`/`closed`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub value: Value,
    /// For `time`: the calendar whose hours count (none: the default calendar).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_id: Option<i64>,
}

/// One action, by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Set the status (by the ticket lifecycle's transitions; one that is not allowed is
    /// skipped).
    SetStatus {
        /// `open`, `pending`, `on_hold`, `solved` …
        status: String,
    },
    /// Set the priority.
    SetPriority {
        /// `low` … `urgent`.
        priority: String,
    },
    /// Move to a team (`null`: none).
    SetTeam {
        /// The team.
        team_id: Option<i64>,
    },
    /// Assign to an agent (`null`: nobody).
    SetAssignee {
        /// The agent.
        assignee_id: Option<i64>,
    },
    /// Add tags.
    AddTags {
        /// The tags.
        tags: Vec<String>,
    },
    /// Remove tags.
    RemoveTags {
        /// The tags.
        tags: Vec<String>,
    },
    /// Write an internal note (placeholders such as `{{ticket.id}}` filled).
    AddNote {
        /// The text, 1 to 10,000 characters.
        body: String,
    },
    /// Send a public reply from a shared macro: the first of `macro_ids` written in the
    /// ticket's (else the customer's) language, else the first one; placeholders filled.
    SendReply {
        /// 1 to 10 shared macros, one per language.
        macro_ids: Vec<i64>,
    },
    /// Escalate: raise the priority (never lower it) and move to a team.
    Escalate {
        /// The priority to raise to.
        priority: String,
        /// The team to move to (none: stays).
        #[serde(default)]
        team_id: Option<i64>,
    },
}

impl Action {
    /// The action's type, as `trigger.fired` names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::SetStatus { .. } => "set_status",
            Action::SetPriority { .. } => "set_priority",
            Action::SetTeam { .. } => "set_team",
            Action::SetAssignee { .. } => "set_assignee",
            Action::AddTags { .. } => "add_tags",
            Action::RemoveTags { .. } => "remove_tags",
            Action::AddNote { .. } => "add_note",
            Action::SendReply { .. } => "send_reply",
            Action::Escalate { .. } => "escalate",
        }
    }

    /// The teams, agents and macros it names, for the checks against stored data.
    pub fn references(&self) -> (Option<i64>, Option<i64>, &[i64]) {
        match self {
            Action::SetTeam { team_id } | Action::Escalate { team_id, .. } => (*team_id, None, &[]),
            Action::SetAssignee { assignee_id } => (None, *assignee_id, &[]),
            Action::SendReply { macro_ids } => (None, None, macro_ids),
            _ => (None, None, &[]),
        }
    }
}

fn bad(field: String, message: impl Into<String>) -> FieldError {
    FieldError::new(field, message)
}

/// A rule's name: 1 to 200 characters, no NUL.
pub fn check_name(text: &str) -> Result<String, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 200 || trimmed.contains('\0') {
        return Err(FieldError::new(
            "name",
            "Give the rule a name of 1 to 200 characters.",
        ));
    }
    Ok(trimmed.to_string())
}

/// A position: 0 to 1,000,000.
pub fn check_position(position: i64) -> Result<i64, FieldError> {
    if !(0..=1_000_000).contains(&position) {
        return Err(FieldError::new("position", "A position is 0 to 1000000."));
    }
    Ok(position)
}

/// The event a trigger fires on: any event type of the log but automations' own (so
/// `sla.warned` and others work as soon as they exist). Only events of a ticket fire.
pub fn check_event(text: &str) -> Result<EventType, FieldError> {
    let kind = EventType::parse(text).map_err(|e| e.at("event"))?;
    if kind.as_str().starts_with("trigger.") || kind.as_str().starts_with("time_rule.") {
        return Err(FieldError::new(
            "event",
            "A trigger cannot fire on automations' own events.",
        ));
    }
    Ok(kind)
}

fn text_value(at: &str, value: &Value) -> Result<String, FieldError> {
    match value.as_str() {
        Some(text)
            if !text.trim().is_empty()
                && text.chars().count() <= MAX_TEXT
                && !text.contains('\0') =>
        {
            Ok(text.to_string())
        }
        _ => Err(bad(
            format!("{at}.value"),
            format!("Give a text of 1 to {MAX_TEXT} characters."),
        )),
    }
}

fn id_value(at: &str, value: &Value) -> Result<(), FieldError> {
    if value.is_null() || value.as_i64().is_some_and(|id| id > 0) {
        Ok(())
    } else {
        Err(bad(format!("{at}.value"), "Give an id, or null for none."))
    }
}

fn one_of(at: &str, value: &Value, allowed: &[&str]) -> Result<(), FieldError> {
    match value.as_str() {
        Some(text) if allowed.contains(&text) => Ok(()),
        _ => Err(bad(
            format!("{at}.value"),
            format!("The value is one of: {}.", allowed.join(", ")),
        )),
    }
}

fn parsed<T, E: Into<String>>(
    at: &str,
    value: &Value,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<(), FieldError> {
    let text = value.as_str().unwrap_or("\u{0}");
    parse(text)
        .map(|_| ())
        .map_err(|e| bad(format!("{at}.value"), e.into()))
}

/// One condition, checked; `at` is its place (`conditions[2]`).
pub fn check_condition(at: &str, given: &Value) -> Result<Condition, FieldError> {
    let condition: Condition = serde_json::from_value(given.clone()).map_err(|e| {
        bad(
            at.to_string(),
            format!("A condition is {{\"field\", \"op\", \"value\"}}: {e}."),
        )
    })?;
    let ops: &[&str] = match condition.field.as_str() {
        "tags" | "subject" | "body" => &["contains", "not_contains"],
        "status" | "priority" | "team_id" | "assignee_id" | "channel" | "language"
        | "customer.language" | "message.author" | "message.visibility" | "time" => {
            &["is", "is_not"]
        }
        _ => {
            return Err(bad(
                format!("{at}.field"),
                "Unknown field; use status, priority, tags, team_id, assignee_id, channel, language, subject, body, customer.language, message.author, message.visibility or time.",
            ));
        }
    };
    if !ops.contains(&condition.op.as_str()) {
        return Err(bad(
            format!("{at}.op"),
            format!(
                "For {} the operator is one of: {}.",
                condition.field,
                ops.join(", ")
            ),
        ));
    }
    let value = &condition.value;
    match condition.field.as_str() {
        "status" => parsed(at, value, |t| {
            Status::parse(t).map(|_| ()).map_err(|e| e.message)
        })?,
        "priority" => parsed(at, value, |t| {
            Priority::parse(t).map(|_| ()).map_err(|e| e.message)
        })?,
        "channel" => parsed(at, value, |t| {
            Channel::parse(t).map(|_| ()).map_err(|e| e.message)
        })?,
        "team_id" | "assignee_id" => id_value(at, value)?,
        "language" | "customer.language" => {
            if !value.is_null() {
                parsed(at, value, |t| {
                    LanguageTag::parse(t).map(|_| ()).map_err(|e| e.message)
                })?;
            }
        }
        "tags" => parsed(at, value, |t| {
            Tag::parse(t).map(|_| ()).map_err(|e| e.message)
        })?,
        "subject" | "body" => {
            text_value(at, value)?;
        }
        "message.author" => one_of(at, value, &["customer", "agent"])?,
        "message.visibility" => one_of(at, value, &["public", "internal"])?,
        _ => one_of(at, value, &["open", "closed"])?,
    }
    if condition.calendar_id.is_some() && condition.field != "time" {
        return Err(bad(
            format!("{at}.calendar_id"),
            "Only a time condition names a calendar.",
        ));
    }
    Ok(condition)
}

/// Conditions, checked (at most [`MAX_CONDITIONS`]; none: always).
pub fn check_conditions(given: &[Value]) -> Result<Vec<Condition>, FieldError> {
    if given.len() > MAX_CONDITIONS {
        return Err(FieldError::new(
            "conditions",
            format!("At most {MAX_CONDITIONS} conditions."),
        ));
    }
    given
        .iter()
        .enumerate()
        .map(|(i, c)| check_condition(&format!("conditions[{i}]"), c))
        .collect()
}

fn check_tags(at: &str, tags: &[String]) -> Result<Vec<String>, FieldError> {
    if tags.is_empty() {
        return Err(bad(format!("{at}.tags"), "Give at least one tag."));
    }
    Tag::parse_list(&format!("{at}.tags"), tags)
}

/// One action, checked; `at` is its place (`actions[1]`).
pub fn check_action(at: &str, given: &Value) -> Result<Action, FieldError> {
    let action: Action = serde_json::from_value(given.clone()).map_err(|e| {
        bad(
            at.to_string(),
            format!("An action is {{\"type\": \"set_status\" | \"set_priority\" | \"set_team\" | \"set_assignee\" | \"add_tags\" | \"remove_tags\" | \"add_note\" | \"send_reply\" | \"escalate\", …}}: {e}."),
        )
    })?;
    Ok(match action {
        Action::SetStatus { status } => {
            let parsed = Status::parse(&status).map_err(|e| e.at(format!("{at}.status")))?;
            if parsed == Status::Closed {
                return Err(bad(
                    format!("{at}.status"),
                    "Tickets are closed by tiski after they stay solved; set solved.",
                ));
            }
            Action::SetStatus {
                status: parsed.as_str().into(),
            }
        }
        Action::SetPriority { priority } => Action::SetPriority {
            priority: Priority::parse(&priority)
                .map_err(|e| e.at(format!("{at}.priority")))?
                .as_str()
                .into(),
        },
        Action::Escalate { priority, team_id } => Action::Escalate {
            priority: Priority::parse(&priority)
                .map_err(|e| e.at(format!("{at}.priority")))?
                .as_str()
                .into(),
            team_id,
        },
        Action::AddTags { tags } => Action::AddTags {
            tags: check_tags(at, &tags)?,
        },
        Action::RemoveTags { tags } => Action::RemoveTags {
            tags: check_tags(at, &tags)?,
        },
        Action::AddNote { body } => {
            if body.trim().is_empty() || body.chars().count() > MAX_NOTE || body.contains('\0') {
                return Err(bad(
                    format!("{at}.body"),
                    format!("A note has 1 to {MAX_NOTE} characters."),
                ));
            }
            Action::AddNote { body }
        }
        Action::SendReply { macro_ids } => {
            if macro_ids.is_empty() || macro_ids.len() > 10 {
                return Err(bad(
                    format!("{at}.macro_ids"),
                    "Name 1 to 10 shared macros, one per language.",
                ));
            }
            Action::SendReply { macro_ids }
        }
        other => other,
    })
}

/// Actions, checked: 1 to [`MAX_ACTIONS`].
pub fn check_actions(given: &[Value]) -> Result<Vec<Action>, FieldError> {
    if given.is_empty() || given.len() > MAX_ACTIONS {
        return Err(FieldError::new(
            "actions",
            format!("Give 1 to {MAX_ACTIONS} actions."),
        ));
    }
    given
        .iter()
        .enumerate()
        .map(|(i, a)| check_action(&format!("actions[{i}]"), a))
        .collect()
}

/// The message of the event, as conditions see it.
#[derive(Debug, Clone)]
pub struct MessageFacts {
    /// Who wrote it.
    pub author: AuthorKind,
    /// An internal note rather than a public reply.
    pub internal: bool,
    /// Its text.
    pub body: String,
}

/// What conditions are evaluated over: the ticket as it is, its customer's language, the
/// event's message (if it has one), and whether each calendar named is open at the event's
/// time (`None` key: the default calendar).
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The ticket.
    pub ticket: &'a tiski_ticketing::TicketView,
    /// The customer's preferred language.
    pub customer_language: Option<String>,
    /// The event's message.
    pub message: Option<MessageFacts>,
    /// Open or not, per calendar named by a condition.
    pub open: BTreeMap<Option<i64>, bool>,
}

fn contains_folded(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

fn holds(condition: &Condition, facts: &Facts<'_>) -> bool {
    let ticket = facts.ticket;
    let value = &condition.value;
    let text = value.as_str().unwrap_or("");
    let same_id = |id: Option<i64>| id == value.as_i64();
    let same_language = |language: &Option<String>| match language {
        Some(language) => language.eq_ignore_ascii_case(text),
        None => value.is_null(),
    };
    let positive = match condition.field.as_str() {
        "status" => ticket.status.as_str() == text,
        "priority" => ticket.priority.as_str() == text,
        "channel" => ticket.channel.as_str() == text,
        "team_id" => same_id(ticket.team_id),
        "assignee_id" => same_id(ticket.assignee_id),
        "language" => same_language(&ticket.language),
        "customer.language" => same_language(&facts.customer_language),
        "tags" => ticket.tags.iter().any(|t| t.eq_ignore_ascii_case(text)),
        "subject" => contains_folded(&ticket.subject, text),
        "body" => match &facts.message {
            Some(message) => contains_folded(&message.body, text),
            // Without a message there is no text to contain it (nor to lack it).
            None => return false,
        },
        "message.author" => match &facts.message {
            Some(message) => message.author.as_str() == text,
            None => return false,
        },
        "message.visibility" => match &facts.message {
            Some(message) => message.internal == (text == "internal"),
            None => return false,
        },
        _ => match facts.open.get(&condition.calendar_id) {
            Some(open) => *open == (text == "open"),
            // No such calendar (or no default one): the condition cannot hold.
            None => return false,
        },
    };
    match condition.op.as_str() {
        "is" | "contains" => positive,
        _ => !positive,
    }
}

/// Whether every condition holds.
pub fn all_hold(conditions: &[Condition], facts: &Facts<'_>) -> bool {
    conditions.iter().all(|c| holds(c, facts))
}

/// The calendars the conditions ask about (`None`: the default one).
pub fn calendars_named(conditions: &[Condition]) -> Vec<Option<i64>> {
    let mut named: Vec<Option<i64>> = conditions
        .iter()
        .filter(|c| c.field == "time")
        .map(|c| c.calendar_id)
        .collect();
    named.sort();
    named.dedup();
    named
}

/// Whether the conditions need the event's message.
pub fn needs_message(conditions: &[Condition]) -> bool {
    conditions
        .iter()
        .any(|c| c.field == "body" || c.field.starts_with("message."))
}

/// The macro of a reply for a conversation in `language`: the first written in it, else
/// the first one.
pub fn pick_macro<'m>(
    macros: &'m [tiski_ticketing::MacroView],
    language: Option<&str>,
) -> Option<&'m tiski_ticketing::MacroView> {
    let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    language
        .and_then(|wanted| {
            macros.iter().find(|m| {
                m.language
                    .as_deref()
                    .is_some_and(|l| primary(l) == primary(wanted))
            })
        })
        .or_else(|| macros.first())
}

#[cfg(test)]
mod tests;
