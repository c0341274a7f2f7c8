//! SQL of the catalog: `products` and the search terms in `product_terms`.

use crate::catalog::{Product, ProductFields, ProductKind};
use crate::rules::sku_key;
use tiski_kernel::{AppError, AppResult};
use tiski_store::{Conn, Json, Row, params};

const COLUMNS: &str = "p.id, p.sku, p.kind, p.names, p.prices, p.vat_rate, p.prices_include_vat, \
     p.lead_time_days, p.warranty_months, p.parts, p.active_from, p.active_until, p.created_at, p.updated_at";

fn product(row: &Row) -> AppResult<Product> {
    let kind: String = row.get(2)?;
    let kind = match kind.as_str() {
        "product" => ProductKind::Product,
        "service" => ProductKind::Service,
        other => return Err(AppError::Corrupt(format!("product kind {other:?}"))),
    };
    let Json(names) = row.get(3)?;
    let Json(prices) = row.get(4)?;
    let Json(parts) = row.get(9)?;
    Ok(Product {
        id: row.get(0)?,
        fields: ProductFields {
            sku: row.get(1)?,
            kind,
            names,
            prices,
            vat_rate: row.get(5)?,
            prices_include_vat: row.get(6)?,
            lead_time_days: row.get(7)?,
            warranty_months: row.get(8)?,
            parts,
            active_from: row.get(10)?,
            active_until: row.get(11)?,
        },
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
    })
}

/// Adds a product; its id.
pub(crate) fn insert(conn: &mut dyn Conn, f: &ProductFields, now: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO products (sku, sku_key, kind, names, prices, vat_rate, prices_include_vat, lead_time_days, warranty_months, parts, active_from, active_until, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        params![
            f.sku.as_str(),
            sku_key(&f.sku),
            f.kind.as_str(),
            serde_json::to_string(&f.names)?,
            serde_json::to_string(&f.prices)?,
            f.vat_rate,
            f.prices_include_vat,
            f.lead_time_days,
            f.warranty_months,
            serde_json::to_string(&f.parts)?,
            f.active_from.clone(),
            f.active_until.clone(),
            now
        ],
    )?)
}

/// Writes a product's fields (the SKU stays).
pub(crate) fn update(conn: &mut dyn Conn, id: i64, f: &ProductFields, now: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE products SET kind = $2, names = $3, prices = $4, vat_rate = $5, prices_include_vat = $6, lead_time_days = $7, \
         warranty_months = $8, parts = $9, active_from = $10, active_until = $11, updated_at = $12 WHERE id = $1",
        params![
            id,
            f.kind.as_str(),
            serde_json::to_string(&f.names)?,
            serde_json::to_string(&f.prices)?,
            f.vat_rate,
            f.prices_include_vat,
            f.lead_time_days,
            f.warranty_months,
            serde_json::to_string(&f.parts)?,
            f.active_from.clone(),
            f.active_until.clone(),
            now
        ],
    )?;
    Ok(())
}

/// Replaces the search terms of a product.
pub(crate) fn set_terms(conn: &mut dyn Conn, id: i64, terms: &[String]) -> AppResult<()> {
    conn.execute(
        "DELETE FROM product_terms WHERE product_id = $1",
        params![id],
    )?;
    for term in terms {
        conn.execute(
            "INSERT INTO product_terms (term, product_id) VALUES ($1, $2)",
            params![term.as_str(), id],
        )?;
    }
    Ok(())
}

/// The product with `id` (404 otherwise).
pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<Product> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM products p WHERE p.id = $1"),
        params![id],
    )?
    .map(|row| product(&row))
    .transpose()?
    .ok_or(AppError::not_found("product"))
}

/// The product with this SKU (ignoring case), if any.
pub(crate) fn by_sku(conn: &mut dyn Conn, sku: &str) -> AppResult<Option<Product>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM products p WHERE p.sku_key = $1"),
        params![sku_key(sku)],
    )?
    .map(|row| product(&row))
    .transpose()
}

/// Products with ids after `after`, in id order, at most `limit`.
pub(crate) fn list(conn: &mut dyn Conn, after: i64, limit: i64) -> AppResult<Vec<Product>> {
    conn.query(
        &format!("SELECT {COLUMNS} FROM products p WHERE p.id > $1 ORDER BY p.id LIMIT $2"),
        params![after, limit],
    )?
    .iter()
    .map(product)
    .collect()
}

/// Products with a term in `from..to` (a prefix range, read from the terms' index) and ids
/// after `after`, in id order, at most `limit`.
pub(crate) fn search(
    conn: &mut dyn Conn,
    from: &str,
    to: &str,
    after: i64,
    limit: i64,
) -> AppResult<Vec<Product>> {
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM products p WHERE p.id IN \
             (SELECT t.product_id FROM product_terms t WHERE t.term >= $1 AND t.term < $2 AND t.product_id > $3) \
             ORDER BY p.id LIMIT $4"
        ),
        params![from, to, after, limit],
    )?
    .iter()
    .map(product)
    .collect()
}
