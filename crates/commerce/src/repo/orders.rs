//! SQL of orders: `orders` and `order_lines`.

use crate::money::{Currency, LineAmounts};
use crate::orders::{Line, Order};
use crate::rules::OrderStatus;
use tiski_kernel::{AppError, AppResult};
use tiski_store::{Conn, Engine, Row, params};

const COLUMNS: &str = "id, customer_id, ticket_id, currency, status, net, vat, total, promised_date, created_by, created_at, updated_at, channel, source_interchange_id, source_reference";

fn order(row: &Row) -> AppResult<Order> {
    let code: String = row.get(3)?;
    let currency = Currency::parse(&code)
        .map_err(|_| AppError::Corrupt(format!("order currency {code:?}")))?;
    let status: String = row.get(4)?;
    let status = OrderStatus::parse(&status)
        .ok_or_else(|| AppError::Corrupt(format!("order status {status:?}")))?;
    Ok(Order {
        id: row.get(0)?,
        customer_id: row.get(1)?,
        ticket_id: row.get(2)?,
        currency,
        status,
        totals: LineAmounts {
            net: row.get(5)?,
            vat: row.get(6)?,
            total: row.get(7)?,
        },
        promised_date: row.get(8)?,
        created_by: row.get(9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
        channel: row.get(12)?,
        source_interchange_id: row.get(13)?,
        source_reference: row.get(14)?,
    })
}

/// Adds an order (without its lines); its id.
pub(crate) fn insert(conn: &mut dyn Conn, o: &Order) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO orders (customer_id, ticket_id, currency, status, net, vat, total, promised_date, created_by, created_at, updated_at, channel, source_interchange_id, source_reference) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        params![
            o.customer_id,
            o.ticket_id,
            o.currency.code(),
            o.status.as_str(),
            o.totals.net,
            o.totals.vat,
            o.totals.total,
            o.promised_date.as_str(),
            o.created_by,
            o.created_at,
            o.updated_at,
            o.channel.as_str(),
            o.source_interchange_id,
            o.source_reference.as_deref()
        ],
    )?)
}

/// Locks an order's row until the transaction ends (PostgreSQL; SQLite has one writer).
pub(crate) fn lock(conn: &mut dyn Conn, engine: Engine, id: i64) -> AppResult<()> {
    if engine == Engine::Postgres {
        conn.query(
            "SELECT id FROM orders WHERE id = $1 FOR UPDATE",
            params![id],
        )?;
    }
    Ok(())
}

/// Writes an order's ticket, status, totals and promised date, if its status is still
/// `from`; whether it was (a concurrent change that committed first moved it).
pub(crate) fn update(conn: &mut dyn Conn, o: &Order, from: OrderStatus) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE orders SET ticket_id = $2, status = $3, net = $4, vat = $5, total = $6, promised_date = $7, updated_at = $8 WHERE id = $1 AND status = $9",
        params![
            o.id,
            o.ticket_id,
            o.status.as_str(),
            o.totals.net,
            o.totals.vat,
            o.totals.total,
            o.promised_date.as_str(),
            o.updated_at,
            from.as_str()
        ],
    )? == 1)
}

/// Replaces an order's lines.
pub(crate) fn set_lines(conn: &mut dyn Conn, order_id: i64, lines: &[Line]) -> AppResult<()> {
    conn.execute(
        "DELETE FROM order_lines WHERE order_id = $1",
        params![order_id],
    )?;
    for (index, l) in lines.iter().enumerate() {
        conn.execute(
            "INSERT INTO order_lines (order_id, line_no, product_id, sku, quantity, unit_price, vat_rate, prices_include_vat, net, vat, total) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            params![
                order_id,
                index as i64,
                l.product_id,
                l.sku.as_str(),
                l.quantity,
                l.unit_price,
                l.vat_rate,
                l.prices_include_vat,
                l.amounts.net,
                l.amounts.vat,
                l.amounts.total
            ],
        )?;
    }
    Ok(())
}

/// The order `id`, if there is one.
pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<Option<Order>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM orders WHERE id = $1"),
        params![id],
    )?
    .map(|row| order(&row))
    .transpose()
}

/// An order's lines, in order.
pub(crate) fn lines(conn: &mut dyn Conn, order_id: i64) -> AppResult<Vec<Line>> {
    conn.query(
        "SELECT sku, product_id, quantity, unit_price, vat_rate, prices_include_vat, net, vat, total \
         FROM order_lines WHERE order_id = $1 ORDER BY line_no",
        params![order_id],
    )?
    .iter()
    .map(|r| {
        Ok(Line {
            sku: r.get(0)?,
            product_id: r.get(1)?,
            quantity: r.get(2)?,
            unit_price: r.get(3)?,
            vat_rate: r.get(4)?,
            prices_include_vat: r.get(5)?,
            amounts: LineAmounts {
                net: r.get(6)?,
                vat: r.get(7)?,
                total: r.get(8)?,
            },
        })
    })
    .collect()
}

/// Which orders a list reads, each by its index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum By {
    /// Every order.
    All,
    /// A customer's.
    Customer(i64),
    /// A ticket's.
    Ticket(i64),
    /// Those a staff user took.
    Creator(i64),
}

/// Orders with ids below `before`, newest first, at most `limit`.
pub(crate) fn list(conn: &mut dyn Conn, by: By, before: i64, limit: i64) -> AppResult<Vec<Order>> {
    let (condition, value) = match by {
        By::All => ("1 = $3", 1),
        By::Customer(id) => ("customer_id = $3", id),
        By::Ticket(id) => ("ticket_id = $3", id),
        By::Creator(id) => ("created_by = $3", id),
    };
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM orders WHERE id < $1 AND {condition} ORDER BY id DESC LIMIT $2"
        ),
        params![before, limit, value],
    )?
    .iter()
    .map(order)
    .collect()
}
