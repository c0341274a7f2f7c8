//! SQL of customers and their identities.

use crate::customers::{CustomerView, Requester};
use crate::rules::customer::ValidCustomer;
use std::collections::HashMap;
use tiski_kernel::{Actor, AppError, AppResult, Sql, time};
use tiski_store::{Conn, Row, params};

const COLUMNS: &str = "c.id, c.name, c.language, c.time_zone, c.organization, c.notes, c.created_at, c.updated_at, c.merged_into";

/// Reads rows of [`COLUMNS`] and all their identities in one more query.
fn views(conn: &mut dyn Conn, rows: &[Row]) -> AppResult<Vec<CustomerView>> {
    let ids = rows
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<Vec<i64>, _>>()?;
    let mut identities: HashMap<i64, (Vec<String>, Vec<String>)> = HashMap::new();
    if !ids.is_empty() {
        let mut sql = Sql::new(conn.engine());
        let list = sql.bind_ids(&ids);
        let text = format!(
            "SELECT customer_id, kind, value FROM customer_identities WHERE customer_id IN {list} ORDER BY id"
        );
        for row in conn.query(&text, sql.params())? {
            let entry = identities.entry(row.get(0)?).or_default();
            let kind: String = row.get(1)?;
            if kind == "email" {
                entry.0.push(row.get(2)?)
            } else {
                entry.1.push(row.get(2)?)
            }
        }
    }
    rows.iter()
        .map(|row| {
            let id: i64 = row.get(0)?;
            let (emails, phones) = identities.remove(&id).unwrap_or_default();
            Ok(CustomerView {
                id,
                name: row.get(1)?,
                emails,
                phones,
                language: row.get(2)?,
                time_zone: row.get(3)?,
                organization: row.get(4)?,
                notes: row.get(5)?,
                created_at: time::format(row.get(6)?),
                updated_at: time::format(row.get(7)?),
                tickets: None,
                merged_into: row.get(8)?,
            })
        })
        .collect()
}

/// A customer, whoever asks.
pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<CustomerView> {
    let rows = conn.query(
        &format!("SELECT {COLUMNS} FROM customers c WHERE c.id = $1"),
        params![id],
    )?;
    views(conn, &rows)?
        .pop()
        .ok_or(AppError::not_found("customer"))
}

/// A customer `actor` sees.
pub(crate) fn get_visible(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<CustomerView> {
    let mut sql = Sql::new(conn.engine());
    let id = sql.bind(id);
    let scope = super::customer_scope(&mut sql, actor);
    let rows = conn.query(
        &format!("SELECT {COLUMNS} FROM customers c WHERE c.id = {id} AND {scope}"),
        sql.params(),
    )?;
    views(conn, &rows)?
        .pop()
        .ok_or(AppError::not_found("customer"))
}

/// Whether `actor` sees customer `id`.
pub(crate) fn is_visible(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<bool> {
    let mut sql = Sql::new(conn.engine());
    let id = sql.bind(id);
    let scope = super::customer_scope(&mut sql, actor);
    Ok(conn
        .query_opt(
            &format!("SELECT c.id FROM customers c WHERE c.id = {id} AND {scope}"),
            sql.params(),
        )?
        .is_some())
}

/// The customers `actor` sees with ids below `before`, newest first, matching `pattern`
/// (a `LIKE` pattern over the search text) when given.
pub(crate) fn list_visible(
    conn: &mut dyn Conn,
    actor: &Actor,
    before: i64,
    pattern: Option<&str>,
    limit: i64,
) -> AppResult<Vec<CustomerView>> {
    let mut sql = Sql::new(conn.engine());
    let before = sql.bind(before);
    let matching = match pattern {
        Some(pattern) => format!(" AND c.search_text LIKE {} ESCAPE '\\'", sql.bind(pattern)),
        None => String::new(),
    };
    let scope = super::customer_scope(&mut sql, actor);
    let limit = sql.bind(limit);
    let rows = conn.query(
        &format!(
            "SELECT {COLUMNS} FROM customers c WHERE c.id < {before}{matching} AND c.merged_into IS NULL AND {scope} ORDER BY c.id DESC LIMIT {limit}"
        ),
        sql.params(),
    )?;
    views(conn, &rows)
}

/// The customer an identity belongs to.
pub(crate) fn owner_of(conn: &mut dyn Conn, kind: &str, value: &str) -> AppResult<Option<i64>> {
    conn.query_opt(
        "SELECT customer_id FROM customer_identities WHERE kind = $1 AND value = $2",
        params![kind, value],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// The requester an identity belongs to.
pub(crate) fn requester_of(
    conn: &mut dyn Conn,
    kind: &str,
    value: &str,
) -> AppResult<Option<Requester>> {
    conn.query_opt(
        "SELECT c.id, c.name, c.language FROM customer_identities i JOIN customers c ON c.id = i.customer_id \
         WHERE i.kind = $1 AND i.value = $2",
        params![kind, value],
    )?
    .map(|row| requester(&row))
    .transpose()
}

fn requester(row: &Row) -> AppResult<Requester> {
    Ok(Requester {
        id: row.get(0)?,
        name: row.get(1)?,
        language: row.get(2)?,
    })
}

/// The requester with this id.
pub(crate) fn requester_by_id(conn: &mut dyn Conn, id: i64) -> AppResult<Option<Requester>> {
    conn.query_opt(
        "SELECT id, name, language FROM customers WHERE id = $1",
        params![id],
    )?
    .map(|row| requester(&row))
    .transpose()
}

pub(crate) fn insert(
    conn: &mut dyn Conn,
    customer: &ValidCustomer,
    created_by: Option<i64>,
    now: i64,
) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO customers (name, language, time_zone, organization, notes, search_text, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        params![
            customer.display_name(),
            customer.language.as_ref().map(|l| l.to_string()),
            customer.time_zone.as_ref().map(|t| t.to_string()),
            customer.organization.clone(),
            customer.notes.as_str(),
            customer.search_text(),
            created_by,
            now
        ],
    )?)
}

pub(crate) fn update(
    conn: &mut dyn Conn,
    id: i64,
    customer: &ValidCustomer,
    now: i64,
) -> AppResult<()> {
    conn.execute(
        "UPDATE customers SET name = $1, language = $2, time_zone = $3, organization = $4, notes = $5, search_text = $6, updated_at = $7 WHERE id = $8",
        params![
            customer.name.as_str(),
            customer.language.as_ref().map(|l| l.to_string()),
            customer.time_zone.as_ref().map(|t| t.to_string()),
            customer.organization.clone(),
            customer.notes.as_str(),
            customer.search_text(),
            now,
            id
        ],
    )?;
    Ok(())
}

/// Replaces a customer's identities.
pub(crate) fn set_identities(
    conn: &mut dyn Conn,
    id: i64,
    customer: &ValidCustomer,
) -> AppResult<()> {
    conn.execute(
        "DELETE FROM customer_identities WHERE customer_id = $1",
        params![id],
    )?;
    for email in &customer.emails {
        conn.execute(
            "INSERT INTO customer_identities (customer_id, kind, value) VALUES ($1, 'email', $2)",
            params![id, email.as_str()],
        )?;
    }
    for phone in &customer.phones {
        conn.execute(
            "INSERT INTO customer_identities (customer_id, kind, value) VALUES ($1, 'phone', $2)",
            params![id, phone.as_str()],
        )?;
    }
    Ok(())
}

/// A customer's first email address.
pub(crate) fn first_email(conn: &mut dyn Conn, id: i64) -> AppResult<Option<String>> {
    conn.query_opt(
        "SELECT value FROM customer_identities WHERE customer_id = $1 AND kind = 'email' ORDER BY id LIMIT 1",
        params![id],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// Whether a customer has this identity.
pub(crate) fn has_identity(
    conn: &mut dyn Conn,
    id: i64,
    kind: &str,
    value: &str,
) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT 1 FROM customer_identities WHERE customer_id = $1 AND kind = $2 AND value = $3",
            params![id, kind, value],
        )?
        .is_some())
}
