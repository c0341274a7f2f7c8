//! SQL of mailboxes.

use crate::mailboxes::{Mailbox, MailboxSettings};
use tiski_kernel::{AppError, AppResult};
use tiski_store::{Conn, Json, Row, Value, params};

const COLUMNS: &str = "id, address, name, team_id, signature, auto_ack, ack_templates, imap, smtp, active, created_at, is_default";

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
        is_default: row.get(11)?,
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

/// The stored settings of a mailbox, `$1` to `$8` of its insert and update.
fn fields(settings: &MailboxSettings) -> AppResult<Vec<Value>> {
    Ok(vec![
        settings.name.as_str().into(),
        settings.team_id.into(),
        settings.signature.as_str().into(),
        settings.auto_ack.into(),
        serde_json::to_string(&settings.ack_templates)?.into(),
        settings
            .imap
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?
            .into(),
        settings
            .smtp
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?
            .into(),
        settings.active.into(),
    ])
}

pub(crate) fn insert(
    conn: &mut dyn Conn,
    address: &str,
    settings: &MailboxSettings,
    now: i64,
) -> AppResult<i64> {
    let mut values = fields(settings)?;
    values.extend([now.into(), address.into()]);
    Ok(conn.query_scalar(
        "INSERT INTO mailboxes (name, team_id, signature, auto_ack, ack_templates, imap, smtp, active, created_at, updated_at, address) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id",
        &values,
    )?)
}

/// Replaces a mailbox's settings; whether there was such a mailbox.
pub(crate) fn update(
    conn: &mut dyn Conn,
    id: i64,
    settings: &MailboxSettings,
    now: i64,
) -> AppResult<bool> {
    let mut values = fields(settings)?;
    values.extend([now.into(), id.into()]);
    Ok(conn.execute(
        "UPDATE mailboxes SET name = $1, team_id = $2, signature = $3, auto_ack = $4, ack_templates = $5, imap = $6, smtp = $7, active = $8, updated_at = $9 WHERE id = $10",
        &values,
    )? > 0)
}

/// The active mailbox of a team that its tickets' mail goes out through (the default one
/// first, else the oldest).
pub(crate) fn active_of_team(conn: &mut dyn Conn, team_id: i64) -> AppResult<Option<Mailbox>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM mailboxes WHERE team_id = $1 AND active = 1 ORDER BY is_default DESC, id LIMIT 1"),
        params![team_id],
    )?
    .map(|r| read(&r))
    .transpose()
}

/// The default mailbox, when it is active.
pub(crate) fn active_default(conn: &mut dyn Conn) -> AppResult<Option<Mailbox>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM mailboxes WHERE is_default = 1 AND active = 1"),
        &[],
    )?
    .map(|r| read(&r))
    .transpose()
}

/// Whether some mailbox is the default.
pub(crate) fn has_default(conn: &mut dyn Conn) -> AppResult<bool> {
    Ok(conn
        .query_opt("SELECT id FROM mailboxes WHERE is_default = 1", &[])?
        .is_some())
}

/// Makes `id` the one default mailbox (the old one first stops being it: at most one is).
pub(crate) fn set_default(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE mailboxes SET is_default = 0 WHERE is_default = 1 AND id <> $1",
        params![id],
    )?;
    conn.execute(
        "UPDATE mailboxes SET is_default = 1 WHERE id = $1",
        params![id],
    )?;
    Ok(())
}
