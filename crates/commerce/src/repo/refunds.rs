//! SQL of refunds: `refunds` and `refund_limits`.

use crate::money::Currency;
use crate::refunds::{Refund, RefundState};
use tiski_domain::Role;
use tiski_kernel::{AppError, AppResult};
use tiski_store::{Conn, Row, params};

const COLUMNS: &str = "r.id, r.order_id, r.ticket_id, r.amount, r.currency, r.reason, r.state, r.requested_by, r.decided_by, r.created_at, r.decided_at";

fn refund(row: &Row) -> AppResult<Refund> {
    let code: String = row.get(4)?;
    let currency = Currency::parse(&code)
        .map_err(|_| AppError::Corrupt(format!("refund currency {code:?}")))?;
    let state: String = row.get(6)?;
    let state = RefundState::parse(&state)
        .ok_or_else(|| AppError::Corrupt(format!("refund state {state:?}")))?;
    Ok(Refund {
        id: row.get(0)?,
        order_id: row.get(1)?,
        ticket_id: row.get(2)?,
        amount: row.get(3)?,
        currency,
        reason: row.get(5)?,
        state,
        requested_by: row.get(7)?,
        decided_by: row.get(8)?,
        created_at: row.get(9)?,
        decided_at: row.get(10)?,
    })
}

/// Adds a refund; its id.
pub(crate) fn insert(conn: &mut dyn Conn, r: &Refund) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO refunds (order_id, ticket_id, amount, currency, reason, state, requested_by, decided_by, created_at, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        params![
            r.order_id,
            r.ticket_id,
            r.amount,
            r.currency.code(),
            r.reason.as_str(),
            r.state.as_str(),
            r.requested_by,
            r.decided_by,
            r.created_at,
            r.decided_at
        ],
    )?)
}

/// Records a decision on a refund that still waits; whether it did (a concurrent decision
/// that committed first leaves nothing waiting).
pub(crate) fn decide(conn: &mut dyn Conn, r: &Refund) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE refunds SET state = $2, decided_by = $3, decided_at = $4 WHERE id = $1 AND state = 'requested'",
        params![r.id, r.state.as_str(), r.decided_by, r.decided_at],
    )? == 1)
}

/// The refund `id`, if there is one.
pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<Option<Refund>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM refunds r WHERE r.id = $1"),
        params![id],
    )?
    .map(|row| refund(&row))
    .transpose()
}

/// What refunds approved or waiting claim of an order, in its minor units.
pub(crate) fn claimed(conn: &mut dyn Conn, order_id: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM refunds WHERE order_id = $1 AND state IN ('requested', 'approved')",
        params![order_id],
    )?)
}

/// The most `role` may refund in `currency` without an approver, if the table says.
pub(crate) fn limit(conn: &mut dyn Conn, role: Role, currency: &str) -> AppResult<Option<i64>> {
    conn.query_opt(
        "SELECT max_amount FROM refund_limits WHERE role = $1 AND currency = $2",
        params![role.as_str(), currency],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// Waiting refunds with ids after `after`, oldest first, at most `limit`: those within the
/// limit of `role` (every one when `None`, for admins).
pub(crate) fn waiting(
    conn: &mut dyn Conn,
    role: Option<Role>,
    after: i64,
    limit: i64,
) -> AppResult<Vec<Refund>> {
    let rows = match role {
        None => conn.query(
            &format!(
                "SELECT {COLUMNS} FROM refunds r WHERE r.state = 'requested' AND r.id > $1 ORDER BY r.id LIMIT $2"
            ),
            params![after, limit],
        )?,
        Some(role) => conn.query(
            &format!(
                "SELECT {COLUMNS} FROM refunds r WHERE r.state = 'requested' AND r.id > $1 \
                 AND r.amount <= (SELECT l.max_amount FROM refund_limits l WHERE l.role = $3 AND l.currency = r.currency) \
                 ORDER BY r.id LIMIT $2"
            ),
            params![after, limit, role.as_str()],
        )?,
    };
    rows.iter().map(refund).collect()
}
