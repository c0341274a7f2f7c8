//! Refunds: against an order (or free-standing goodwill), approved at once within the
//! requester's role's limit for the currency, waiting for an approver beyond it. What refunds
//! approved or waiting claim of an order never exceeds its total.

use crate::money::{Currency, format_amount, parse_amount};
use crate::orders::visible_order;
use crate::rules::{self, OrderStatus};
use crate::{Commerce, repo};
use serde::{Deserialize, Serialize};
use tiski_domain::event::{RefundApproved, RefundRejected, RefundRequested};
use tiski_domain::{Permission, Role};
use tiski_kernel::{
    Actor, AppError, AppResult, Conn, ErrorCode, Idempotency, Page, Stored, cursor, idempotency,
    time,
};

/// Where a refund stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundState {
    /// Beyond the requester's limit: waits for an approver.
    Requested,
    /// Approved (at once within the requester's limit, or by an approver).
    Approved,
    /// Rejected by an approver.
    Rejected,
}

impl RefundState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RefundState::Requested => "requested",
            RefundState::Approved => "approved",
            RefundState::Rejected => "rejected",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<RefundState> {
        [
            RefundState::Requested,
            RefundState::Approved,
            RefundState::Rejected,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A refund to make.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRefund {
    /// The order refunded (within the caller's reach); none for a goodwill credit.
    pub order_id: Option<i64>,
    /// A decimal string greater than zero, such as `"12.50"`.
    pub amount: String,
    /// ISO 4217 code; the order's currency when there is an order.
    pub currency: String,
    /// A reason code such as `late_delivery` (lower-case letters, digits, underscores).
    pub reason: String,
}

/// A refund as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RefundView {
    /// Id.
    pub id: i64,
    /// The order refunded.
    pub order_id: Option<i64>,
    /// The ticket of that order.
    pub ticket_id: Option<i64>,
    /// The amount, a decimal string of `currency`.
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
    /// The reason code.
    pub reason: String,
    /// Where it stands.
    pub state: RefundState,
    /// Who asked for it.
    pub requested_by: i64,
    /// Who approved or rejected it (the requester, when within their limit).
    pub decided_by: Option<i64>,
    /// When it was asked for.
    pub created_at: String,
    /// When it was decided.
    pub decided_at: Option<String>,
}

/// A refund as stored.
#[derive(Debug, Clone)]
pub(crate) struct Refund {
    pub id: i64,
    pub order_id: Option<i64>,
    pub ticket_id: Option<i64>,
    pub amount: i64,
    pub currency: Currency,
    pub reason: String,
    pub state: RefundState,
    pub requested_by: i64,
    pub decided_by: Option<i64>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

impl Refund {
    pub(crate) fn view(&self) -> RefundView {
        RefundView {
            id: self.id,
            order_id: self.order_id,
            ticket_id: self.ticket_id,
            amount: format_amount(self.amount, self.currency),
            currency: self.currency.code().into(),
            reason: self.reason.clone(),
            state: self.state,
            requested_by: self.requested_by,
            decided_by: self.decided_by,
            created_at: time::format(self.created_at),
            decided_at: time::format_opt(self.decided_at),
        }
    }
}

/// The most `role` refunds in `currency` without an approver: unlimited for admins, the
/// `refund_limits` row otherwise, zero without one.
fn limit_of(conn: &mut dyn Conn, role: Role, currency: Currency) -> AppResult<i64> {
    if role == Role::Admin {
        return Ok(i64::MAX);
    }
    Ok(repo::refunds::limit(conn, role, currency.code())?.unwrap_or(0))
}

impl Commerce {
    /// Asks for a refund: `approved` within the caller's limit, `requested` beyond it. Against
    /// an order it is in the order's currency and at most what the order totalled less what
    /// earlier refunds (approved or waiting) claim.
    pub async fn create_refund(
        &self,
        actor: &Actor,
        input: NewRefund,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<RefundView>> {
        let grant = actor.grant(Permission::RefundRequest)?;
        let currency = Currency::parse(&input.currency).map_err(|e| e.at("currency"))?;
        let amount = parse_amount(&input.amount, currency).map_err(|e| e.at("amount"))?;
        if amount == 0 {
            return Err(AppError::invalid("amount", "A refund is more than zero."));
        }
        let reason = rules::reason(&input.reason)?;
        let order_id = input.order_id;
        self.kernel
            .command(&grant, "refund.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    let actor = tx.actor().clone();
                    let mut ticket_id = None;
                    if let Some(order_id) = order_id {
                        // Refunds of one order take their turns, so two never both fit
                        // into what is left.
                        let engine = tx.engine();
                        repo::orders::lock(tx.conn(), engine, order_id)?;
                        let order = match visible_order(tx.conn(), &actor, order_id) {
                            Err(AppError::NotFound { .. }) => {
                                return Err(AppError::invalid(
                                    "order_id",
                                    "No order you can see has this id.",
                                ));
                            }
                            other => other?,
                        };
                        if order.status == OrderStatus::Draft {
                            return Err(AppError::invalid(
                                "order_id",
                                "A draft order has nothing to refund.",
                            ));
                        }
                        if order.currency != currency {
                            return Err(AppError::invalid(
                                "currency",
                                format!("The order is in {}.", order.currency),
                            ));
                        }
                        let left =
                            order.totals.total - repo::refunds::claimed(tx.conn(), order_id)?;
                        if amount > left {
                            return Err(AppError::invalid(
                                "amount",
                                format!(
                                    "At most {} {currency} of this order is left to refund.",
                                    format_amount(left.max(0), currency)
                                ),
                            ));
                        }
                        ticket_id = order.ticket_id;
                    }
                    let within = amount <= limit_of(tx.conn(), actor.role, currency)?;
                    let now = tx.now();
                    let refund = Refund {
                        id: 0,
                        order_id,
                        ticket_id,
                        amount,
                        currency,
                        reason: reason.clone(),
                        state: if within {
                            RefundState::Approved
                        } else {
                            RefundState::Requested
                        },
                        requested_by: actor.id,
                        decided_by: within.then_some(actor.id),
                        created_at: now,
                        decided_at: within.then_some(now),
                    };
                    let id = repo::refunds::insert(tx.conn(), &refund)?;
                    tx.emit(
                        ticket_id,
                        RefundRequested {
                            refund_id: id,
                            order_id,
                            amount: format_amount(amount, currency),
                            currency: currency.code().into(),
                            state: refund.state.as_str().into(),
                        },
                    )?;
                    Ok(Refund { id, ..refund }.view())
                })
            })
            .await
    }

    /// A refund: for its requester and for approvers.
    pub async fn get_refund(&self, actor: &Actor, id: i64) -> AppResult<RefundView> {
        let grant = actor.grant(Permission::RefundRequest)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let refund = repo::refunds::get(conn, id)?.ok_or(AppError::not_found("refund"))?;
                if refund.requested_by != actor.id && !actor.may(Permission::RefundApprove) {
                    return Err(AppError::not_found("refund"));
                }
                Ok(refund.view())
            })
            .await
    }

    /// Approves (`approve`) or rejects a waiting refund, if the caller's limit covers it.
    pub async fn decide_refund(
        &self,
        actor: &Actor,
        id: i64,
        approve: bool,
    ) -> AppResult<RefundView> {
        let grant = actor.grant(Permission::RefundApprove)?;
        self.kernel
            .command(&grant, "refund.decide", move |tx| {
                let actor = tx.actor().clone();
                let mut refund =
                    repo::refunds::get(tx.conn(), id)?.ok_or(AppError::not_found("refund"))?;
                if refund.state != RefundState::Requested {
                    return Err(AppError::conflict_without_field(
                        ErrorCode::RefundDecided,
                        format!("This refund is {} already.", refund.state.as_str()),
                    ));
                }
                let limit = limit_of(tx.conn(), actor.role, refund.currency)?;
                if refund.amount > limit {
                    return Err(AppError::forbidden(format!(
                        "Your limit of {} {} does not cover this refund.",
                        format_amount(limit, refund.currency),
                        refund.currency
                    )));
                }
                let now = tx.now();
                refund.state = if approve {
                    RefundState::Approved
                } else {
                    RefundState::Rejected
                };
                refund.decided_by = Some(actor.id);
                refund.decided_at = Some(now);
                if !repo::refunds::decide(tx.conn(), &refund)? {
                    return Err(AppError::conflict_without_field(
                        ErrorCode::RefundDecided,
                        "This refund was decided meanwhile.",
                    ));
                }
                if approve {
                    tx.emit(
                        refund.ticket_id,
                        RefundApproved {
                            refund_id: id,
                            approver_id: actor.id,
                        },
                    )?;
                } else {
                    tx.emit(
                        refund.ticket_id,
                        RefundRejected {
                            refund_id: id,
                            approver_id: actor.id,
                        },
                    )?;
                }
                Ok(refund.view())
            })
            .await
    }

    /// Refunds waiting for approval that the caller's limit covers, oldest first.
    pub async fn approvals(
        &self,
        actor: &Actor,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<RefundView>> {
        let grant = actor.grant(Permission::RefundApprove)?;
        let limit = cursor::limit(limit)?;
        let after = cursor::after_id(cursor.as_deref())?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let role = (!actor.is_admin()).then_some(actor.role);
                let items: Vec<RefundView> = repo::refunds::waiting(conn, role, after, limit + 1)?
                    .iter()
                    .map(Refund::view)
                    .collect();
                Ok(cursor::page_by_id(items, limit, false, |r: &RefundView| {
                    r.id
                }))
            })
            .await
    }
}
