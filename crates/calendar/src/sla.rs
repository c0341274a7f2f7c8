//! SLA policies: ordered, each a ticket filter (the saved views' filter, the one ticket query
//! shape) and targets per priority and metric, counted in a calendar's open hours or in real
//! time. The clocks themselves are `tiski_domain::sla`, pure.

use crate::{Calendars, repo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tiski_domain::event::{SlaPolicyCreated, SlaPolicyUpdated};
use tiski_domain::sla::Metric;
use tiski_domain::{FieldError, Permission, Priority};
use tiski_kernel::{Actor, AppError, AppResult, Idempotency, Page, Stored, idempotency, input};
use tiski_ticketing::ViewFilters;

/// Most policies a desk keeps.
pub const MAX_POLICIES: i64 = 200;
/// The longest target: 366 days.
pub const MAX_TARGET_SECONDS: i64 = 366 * 86_400;

/// One target of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// How long, 1 second to 366 days.
    pub seconds: i64,
    /// Counted in the calendar's open hours (else in real time).
    #[serde(default)]
    pub business_hours: bool,
    /// Warn this many seconds before the target (less than `seconds`).
    #[serde(default)]
    pub warn_before_s: i64,
}

/// Targets by priority (`low` … `urgent`), then by metric (`first_reply` …).
pub type Targets = BTreeMap<String, BTreeMap<String, TargetSpec>>;

/// An SLA policy as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SlaPolicyView {
    /// Id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its place: the first policy (lowest position, then id) whose filter matches applies.
    pub position: i64,
    /// Which tickets: the filters of a saved view (`status`, `team_id`, `assignee`, `tag`,
    /// `priority`, `channel`, `language`).
    #[schema(value_type = Object)]
    pub filter: ViewFilters,
    /// The calendar of business-hour targets; none: the default calendar.
    pub calendar_id: Option<i64>,
    /// Targets by priority and metric.
    pub targets: Targets,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

/// Input for a new SLA policy.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSlaPolicy {
    /// 1 to 200 characters.
    pub name: String,
    /// 0 to 1,000,000 (default 0).
    #[serde(default)]
    pub position: i64,
    /// Which tickets (none: all).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub filter: ViewFilters,
    /// The calendar of business-hour targets; none: the default calendar.
    pub calendar_id: Option<i64>,
    /// Targets by priority and metric.
    pub targets: Targets,
}

/// A change of an SLA policy: the fields given replace the stored ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicyPatch {
    /// A new name.
    pub name: Option<String>,
    /// A new position.
    pub position: Option<i64>,
    /// A new filter.
    #[schema(value_type = Option<Object>)]
    pub filter: Option<ViewFilters>,
    /// A new calendar; `null`: the default calendar.
    #[serde(default, deserialize_with = "input::double_option")]
    #[schema(value_type = Option<i64>)]
    pub calendar_id: Option<Option<i64>>,
    /// New targets.
    pub targets: Option<Targets>,
}

/// A policy's fields, checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Policy {
    pub name: String,
    pub position: i64,
    pub filter: ViewFilters,
    pub calendar_id: Option<i64>,
    pub targets: Targets,
}

fn check_name(text: &str) -> Result<String, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 200 || trimmed.contains('\0') {
        return Err(FieldError::new(
            "name",
            "Give the policy a name of 1 to 200 characters.",
        ));
    }
    Ok(trimmed.to_string())
}

fn check_position(position: i64) -> Result<i64, FieldError> {
    if !(0..=1_000_000).contains(&position) {
        return Err(FieldError::new("position", "A position is 0 to 1000000."));
    }
    Ok(position)
}

fn check_filter(filter: &ViewFilters) -> Result<ViewFilters, FieldError> {
    filter
        .query()
        .map_err(|e| FieldError::new(format!("filter.{}", e.field), e.message))?;
    Ok(filter.clone())
}

/// Targets with known priorities and metrics, each in range.
pub fn check_targets(targets: &Targets) -> Result<Targets, FieldError> {
    if targets.is_empty() {
        return Err(FieldError::new(
            "targets",
            "Give at least one target, such as {\"urgent\": {\"first_reply\": {\"seconds\": 3600}}}.",
        ));
    }
    for (priority, metrics) in targets {
        let at = format!("targets.{priority}");
        Priority::parse(priority).map_err(|e| e.at(at.clone()))?;
        if metrics.is_empty() {
            return Err(FieldError::new(at, "Give at least one metric's target."));
        }
        for (metric, target) in metrics {
            let at = format!("targets.{priority}.{metric}");
            Metric::parse(metric).map_err(|e| e.at(at.clone()))?;
            if !(1..=MAX_TARGET_SECONDS).contains(&target.seconds) {
                return Err(FieldError::new(
                    format!("{at}.seconds"),
                    format!("A target is 1 to {MAX_TARGET_SECONDS} seconds."),
                ));
            }
            if !(0..target.seconds).contains(&target.warn_before_s) {
                return Err(FieldError::new(
                    format!("{at}.warn_before_s"),
                    "The warning comes 0 or more seconds before the target, and before it starts.",
                ));
            }
        }
    }
    Ok(targets.clone())
}

fn checked(input: &NewSlaPolicy) -> Result<Policy, FieldError> {
    Ok(Policy {
        name: check_name(&input.name)?,
        position: check_position(input.position)?,
        filter: check_filter(&input.filter)?,
        calendar_id: input.calendar_id,
        targets: check_targets(&input.targets)?,
    })
}

fn patched(
    current: &SlaPolicyView,
    patch: &SlaPolicyPatch,
) -> Result<(Policy, Vec<String>), FieldError> {
    let next = Policy {
        name: patch
            .name
            .as_deref()
            .map(check_name)
            .transpose()?
            .unwrap_or_else(|| current.name.clone()),
        position: patch
            .position
            .map(check_position)
            .transpose()?
            .unwrap_or(current.position),
        filter: patch
            .filter
            .as_ref()
            .map(check_filter)
            .transpose()?
            .unwrap_or_else(|| current.filter.clone()),
        calendar_id: patch.calendar_id.unwrap_or(current.calendar_id),
        targets: patch
            .targets
            .as_ref()
            .map(check_targets)
            .transpose()?
            .unwrap_or_else(|| current.targets.clone()),
    };
    let changed = [
        ("name", next.name != current.name),
        ("position", next.position != current.position),
        ("filter", next.filter != current.filter),
        ("calendar_id", next.calendar_id != current.calendar_id),
        ("targets", next.targets != current.targets),
    ]
    .into_iter()
    .filter(|(_, differs)| *differs)
    .map(|(field, _)| field.to_string())
    .collect();
    Ok((next, changed))
}

fn check_calendar(conn: &mut dyn tiski_store::Conn, id: Option<i64>) -> AppResult<()> {
    if let Some(id) = id
        && !repo::calendar_exists(conn, id)?
    {
        return Err(AppError::invalid(
            "calendar_id",
            "There is no calendar with this id.",
        ));
    }
    Ok(())
}

impl Calendars {
    /// Makes an SLA policy. Admins only.
    pub async fn create_sla_policy(
        &self,
        actor: &Actor,
        input: NewSlaPolicy,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<SlaPolicyView>> {
        let grant = actor.grant(Permission::SlaPolicyManage)?;
        let policy = checked(&input)?;
        self.kernel
            .command(&grant, "sla_policy.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    check_calendar(tx.conn(), policy.calendar_id)?;
                    if repo::policy_count(tx.conn())? >= MAX_POLICIES {
                        return Err(AppError::invalid(
                            "name",
                            format!("A desk keeps at most {MAX_POLICIES} SLA policies."),
                        ));
                    }
                    let now = tx.now();
                    let id = repo::insert_policy(tx.conn(), &policy, now)?;
                    tx.emit(
                        None,
                        SlaPolicyCreated {
                            policy_id: id,
                            position: policy.position,
                        },
                    )?;
                    repo::policy(tx.conn(), id)
                })
            })
            .await
    }

    /// Every SLA policy in the order they apply. Staff read them.
    pub async fn list_sla_policies(&self, actor: &Actor) -> AppResult<Page<SlaPolicyView>> {
        let grant = actor.grant(Permission::SlaPolicyRead)?;
        self.kernel
            .query(&grant, |conn| {
                Ok(Page {
                    items: repo::policies(conn, MAX_POLICIES)?,
                    next_cursor: None,
                })
            })
            .await
    }

    /// One SLA policy. Staff read them.
    pub async fn sla_policy(&self, actor: &Actor, id: i64) -> AppResult<SlaPolicyView> {
        let grant = actor.grant(Permission::SlaPolicyRead)?;
        self.kernel
            .query(&grant, move |conn| repo::policy(conn, id))
            .await
    }

    /// Changes an SLA policy. Admins only.
    pub async fn update_sla_policy(
        &self,
        actor: &Actor,
        id: i64,
        patch: SlaPolicyPatch,
    ) -> AppResult<SlaPolicyView> {
        let grant = actor.grant(Permission::SlaPolicyManage)?;
        self.kernel
            .command(&grant, "sla_policy.update", move |tx| {
                let current = repo::policy(tx.conn(), id)?;
                let (next, changed) = patched(&current, &patch)?;
                if changed.is_empty() {
                    return Ok(current);
                }
                check_calendar(tx.conn(), next.calendar_id)?;
                let now = tx.now();
                repo::update_policy(tx.conn(), id, &next, now)?;
                tx.emit(
                    None,
                    SlaPolicyUpdated {
                        policy_id: id,
                        changed,
                    },
                )?;
                repo::policy(tx.conn(), id)
            })
            .await
    }
}
