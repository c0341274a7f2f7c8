//! SQL of mailboxes.

use crate::mailboxes::{Mailbox, MailboxSettings};
use tiski_kernel::{AppError, AppResult};
use tiski_store::{Conn, Json, Row, params};

const COLUMNS: &str = "id, address, name, team_id, signature, auto_ack, ack_templates, imap, smtp, active, created_at";

fn read(row: &Row) -> AppResult<Mailbox> {
    let Json(ack_templates) = row.get(6)?;
    let imap: Option<Json<_>> = row.get(7)?;
    let smtp: Option<Json<_>> = row.get(8)?;
    Ok(Mailbox {
        id: row.get(0)?,
        address: row.get(1)?,
        name: row.get(2)?,
        team_id: row.get(3)?,
        signature: row.get(4)?,
        auto_ack: row.get(5)?,
        ack_templates,
        imap: imap.map(|Json(c)| c),
        smtp: smtp.map(|Json(c)| c),
        active: row.get(9)?,
        created_at: row.get(10)?,
    })
}

/// A mailbox by id.
pub(crate) fn get(conn: &mut dyn Conn, id: i64) -> AppResult<Mailbox> {
    let row = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM mailboxes WHERE id = $1"),
            params![id],
        )?
        .ok_or(AppError::not_found("mailbox"))?;
    read(&row)
}

/// Every mailbox, by id.
pub(crate) fn all(conn: &mut dyn Conn) -> AppResult<Vec<Mailbox>> {
    conn.query(&format!("SELECT {COLUMNS} FROM mailboxes ORDER BY id"), &[])?
        .iter()
        .map(read)
        .collect()
}

/// The active mailbox of an address.
pub(crate) fn active_of_address(conn: &mut dyn Conn, address: &str) -> AppResult<Option<Mailbox>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM mailboxes WHERE address = $1 AND active = 1"),
        params![address],
    )?
    .map(|r| read(&r))
    .transpose()
}

/// Whether a mailbox for `address` exists.
pub(crate) fn address_taken(conn: &mut dyn Conn, address: &str) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT id FROM mailboxes WHERE address = $1",
            params![address],
        )?
        .is_some())
}

pub(crate) fn insert(
    conn: &mut dyn Conn,
    address: &str,
    settings: &MailboxSettings,
    now: i64,
) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO mailboxes (address, name, team_id, signature, auto_ack, ack_templates, imap, smtp, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        params![
            address,
            settings.name.as_str(),
            settings.team_id,
            settings.signature.as_str(),
            settings.auto_ack,
            serde_json::to_string(&settings.ack_templates)?,
            settings.imap.as_ref().map(serde_json::to_string).transpose()?,
            settings.smtp.as_ref().map(serde_json::to_string).transpose()?,
            settings.active,
            now
        ],
    )?)
}

/// Replaces a mailbox's settings; whether there was such a mailbox.
pub(crate) fn update(
    conn: &mut dyn Conn,
    id: i64,
    settings: &MailboxSettings,
    now: i64,
) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE mailboxes SET name = $1, team_id = $2, signature = $3, auto_ack = $4, ack_templates = $5, imap = $6, smtp = $7, active = $8, updated_at = $9 WHERE id = $10",
        params![
            settings.name.as_str(),
            settings.team_id,
            settings.signature.as_str(),
            settings.auto_ack,
            serde_json::to_string(&settings.ack_templates)?,
            settings.imap.as_ref().map(serde_json::to_string).transpose()?,
            settings.smtp.as_ref().map(serde_json::to_string).transpose()?,
            settings.active,
            now,
            id
        ],
    )? > 0)
}
