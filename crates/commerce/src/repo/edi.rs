//! SQL of EDI: `edi_partners`, `edi_interchanges` and `edi_outbound`.

use crate::edi::{Interchange, Outbound, Partner};
use std::collections::BTreeMap;
use tiski_kernel::{AppError, AppResult};
use tiski_store::{Conn, Row, params};

const PARTNER: &str =
    "id, name, sender_id, sender_qualifier, customer_id, currency, sku_map, created_at";

fn partner(row: &Row) -> AppResult<Partner> {
    let map: String = row.get(6)?;
    let sku_map: BTreeMap<String, String> = serde_json::from_str(&map)
        .map_err(|e| AppError::Corrupt(format!("edi partner sku_map: {e}")))?;
    Ok(Partner {
        id: row.get(0)?,
        name: row.get(1)?,
        sender_id: row.get(2)?,
        sender_qualifier: row.get(3)?,
        customer_id: row.get(4)?,
        currency: row.get(5)?,
        sku_map,
        created_at: row.get(7)?,
    })
}

/// Adds a partner; its id.
pub(crate) fn insert_partner(conn: &mut dyn Conn, p: &Partner, by: i64) -> AppResult<i64> {
    let map = serde_json::to_string(&p.sku_map)
        .map_err(|e| AppError::Corrupt(format!("edi partner sku_map: {e}")))?;
    Ok(conn.query_scalar(
        "INSERT INTO edi_partners (name, sender_id, sender_qualifier, customer_id, currency, sku_map, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        params![
            p.name.as_str(),
            p.sender_id.as_str(),
            p.sender_qualifier.as_str(),
            p.customer_id,
            p.currency.as_str(),
            map.as_str(),
            by,
            p.created_at
        ],
    )?)
}

/// The partner sending as this id and qualifier.
pub(crate) fn partner_by_sender(
    conn: &mut dyn Conn,
    id: &str,
    qualifier: &str,
) -> AppResult<Option<Partner>> {
    conn.query_opt(
        &format!(
            "SELECT {PARTNER} FROM edi_partners WHERE sender_id = $1 AND sender_qualifier = $2"
        ),
        params![id, qualifier],
    )?
    .map(|r| partner(&r))
    .transpose()
}

/// Partners with ids below `before`, newest first.
pub(crate) fn partners(conn: &mut dyn Conn, before: i64, limit: i64) -> AppResult<Vec<Partner>> {
    conn.query(
        &format!("SELECT {PARTNER} FROM edi_partners WHERE id < $1 ORDER BY id DESC LIMIT $2"),
        params![before, limit],
    )?
    .iter()
    .map(partner)
    .collect()
}

const INTERCHANGE: &str = "id, syntax, source, source_name, partner_id, sender_id, sender_qualifier, control, state, reason_code, reason_path, reason, problems, order_ids, received_by, received_at";

fn interchange(row: &Row, raw: Option<String>) -> AppResult<Interchange> {
    let problems: String = row.get(12)?;
    let orders: String = row.get(13)?;
    Ok(Interchange {
        id: row.get(0)?,
        syntax: row.get(1)?,
        source: row.get(2)?,
        source_name: row.get(3)?,
        partner_id: row.get(4)?,
        sender_id: row.get(5)?,
        sender_qualifier: row.get(6)?,
        control: row.get(7)?,
        state: row.get(8)?,
        reason_code: row.get(9)?,
        reason_path: row.get(10)?,
        reason: row.get(11)?,
        problems: serde_json::from_str(&problems)
            .map_err(|e| AppError::Corrupt(format!("edi interchange problems: {e}")))?,
        order_ids: serde_json::from_str(&orders)
            .map_err(|e| AppError::Corrupt(format!("edi interchange order_ids: {e}")))?,
        received_by: row.get(14)?,
        received_at: row.get(15)?,
        raw,
    })
}

fn json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Corrupt(format!("edi json: {e}")))
}

/// Keeps a received interchange raw (its state and reason set later in the same
/// transaction); its id.
pub(crate) fn insert_interchange(
    conn: &mut dyn Conn,
    i: &Interchange,
    raw: &str,
) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO edi_interchanges (syntax, source, source_name, partner_id, sender_id, sender_qualifier, control, state, reason_code, reason_path, reason, problems, order_ids, raw, received_by, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        params![
            i.syntax.as_str(),
            i.source.as_str(),
            i.source_name.as_deref(),
            i.partner_id,
            i.sender_id.as_str(),
            i.sender_qualifier.as_str(),
            i.control.as_str(),
            i.state.as_str(),
            i.reason_code.as_deref(),
            i.reason_path.as_deref(),
            i.reason.as_deref(),
            json(&i.problems)?.as_str(),
            json(&i.order_ids)?.as_str(),
            raw,
            i.received_by,
            i.received_at
        ],
    )?)
}

/// Writes an interchange's outcome: state, reason, problems and orders.
pub(crate) fn finish_interchange(conn: &mut dyn Conn, i: &Interchange) -> AppResult<()> {
    conn.execute(
        "UPDATE edi_interchanges SET state = $2, reason_code = $3, reason_path = $4, reason = $5, problems = $6, order_ids = $7 WHERE id = $1",
        params![
            i.id,
            i.state.as_str(),
            i.reason_code.as_deref(),
            i.reason_path.as_deref(),
            i.reason.as_deref(),
            json(&i.problems)?.as_str(),
            json(&i.order_ids)?.as_str()
        ],
    )?;
    Ok(())
}

/// The interchange `id` with its raw text.
pub(crate) fn interchange_by_id(conn: &mut dyn Conn, id: i64) -> AppResult<Option<Interchange>> {
    let Some(row) = conn.query_opt(
        &format!("SELECT {INTERCHANGE}, raw FROM edi_interchanges WHERE id = $1"),
        params![id],
    )?
    else {
        return Ok(None);
    };
    let raw: String = row.get(16)?;
    interchange(&row, Some(raw)).map(Some)
}

/// Interchanges with ids below `before`, newest first: all, or those `received_by` sent.
pub(crate) fn interchanges(
    conn: &mut dyn Conn,
    received_by: Option<i64>,
    before: i64,
    limit: i64,
) -> AppResult<Vec<Interchange>> {
    let rows = match received_by {
        None => conn.query(
            &format!("SELECT {INTERCHANGE} FROM edi_interchanges WHERE id < $1 ORDER BY id DESC LIMIT $2"),
            params![before, limit],
        )?,
        Some(by) => conn.query(
            &format!("SELECT {INTERCHANGE} FROM edi_interchanges WHERE received_by = $3 AND id < $1 ORDER BY id DESC LIMIT $2"),
            params![before, limit, by],
        )?,
    };
    rows.iter().map(|r| interchange(r, None)).collect()
}

/// Queues an answer for the partner; its id.
pub(crate) fn insert_outbound(conn: &mut dyn Conn, o: &Outbound) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO edi_outbound (interchange_id, partner_id, kind, control, body, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        params![
            o.interchange_id,
            o.partner_id,
            o.kind.as_str(),
            o.control.as_str(),
            o.body.as_str(),
            o.state.as_str(),
            o.created_at
        ],
    )?)
}

/// The answers queued for an interchange, in order.
pub(crate) fn outbound_of(conn: &mut dyn Conn, interchange_id: i64) -> AppResult<Vec<Outbound>> {
    conn.query(
        "SELECT id, interchange_id, partner_id, kind, control, body, state, created_at FROM edi_outbound WHERE interchange_id = $1 ORDER BY id",
        params![interchange_id],
    )?
    .iter()
    .map(|r| {
        Ok(Outbound {
            id: r.get(0)?,
            interchange_id: r.get(1)?,
            partner_id: r.get(2)?,
            kind: r.get(3)?,
            control: r.get(4)?,
            body: r.get(5)?,
            state: r.get(6)?,
            created_at: r.get(7)?,
        })
    })
    .collect()
}
