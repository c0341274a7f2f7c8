//! SQL of an erasure over the email tables: the mail of erased conversations and the
//! quarantined mail of erased addresses.

use tiski_kernel::{AppResult, Engine, Sql};
use tiski_store::{Conn, params};

/// The email rows (id, raw digest) of `ticket_ids` or `message_ids`.
pub(crate) fn mail_of(
    conn: &mut dyn Conn,
    ticket_ids: &[i64],
    message_ids: &[i64],
) -> AppResult<Vec<(i64, String)>> {
    let mut sql = Sql::new(conn.engine());
    let tickets = sql.bind_ids(ticket_ids);
    let messages = sql.bind_ids(message_ids);
    conn.query(
        &format!(
            "SELECT id, raw_sha256 FROM email_messages WHERE ticket_id IN {tickets} OR message_id IN {messages}"
        ),
        sql.params(),
    )?
    .iter()
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .collect()
}

/// Deletes email rows by id.
pub(crate) fn delete_mail(conn: &mut dyn Conn, ids: &[i64]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(conn.engine());
    let ids = sql.bind_ids(ids);
    conn.execute(
        &format!("DELETE FROM email_messages WHERE id IN {ids}"),
        sql.params(),
    )?;
    Ok(())
}

/// Deletes the quarantined mail that `address` sent or that mentions it anywhere in its raw
/// bytes (a bounce about them, a message copying them), case-insensitively; returns the raw
/// digests it referred to.
pub(crate) fn delete_quarantined_mentioning(
    conn: &mut dyn Conn,
    address: &str,
) -> AppResult<Vec<String>> {
    let mentions = mentions(conn.engine());
    let rows = conn.query(
        &format!(
            "SELECT q.id, q.raw_sha256 FROM quarantine q JOIN blobs b ON b.sha256 = q.raw_sha256 \
             WHERE lower(q.sender) = $1 OR {mentions}"
        ),
        params![address],
    )?;
    let mut ids = Vec::new();
    let mut digests = Vec::new();
    for row in &rows {
        ids.push(row.get::<i64>(0)?);
        digests.push(row.get::<String>(1)?);
    }
    if !ids.is_empty() {
        let mut sql = Sql::new(conn.engine());
        let list = sql.bind_ids(&ids);
        conn.execute(
            &format!("DELETE FROM quarantine WHERE id IN {list}"),
            sql.params(),
        )?;
    }
    Ok(digests)
}

/// The condition that blob `b`'s bytes mention `$1` (lower-case), case-insensitively.
fn mentions(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "instr(lower(CAST(b.bytes AS TEXT)), $1) > 0",
        Engine::Postgres => "strpos(lower(encode(b.bytes, 'escape')), $1) > 0",
    }
}

/// The email rows (id, raw digest) whose raw mail mentions `address`.
pub(crate) fn mail_mentioning(conn: &mut dyn Conn, address: &str) -> AppResult<Vec<(i64, String)>> {
    let mentions = mentions(conn.engine());
    conn.query(
        &format!(
            "SELECT e.id, e.raw_sha256 FROM email_messages e JOIN blobs b ON b.sha256 = e.raw_sha256 WHERE {mentions}"
        ),
        params![address],
    )?
    .iter()
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .collect()
}

/// Points an email row at other raw bytes.
pub(crate) fn set_raw(conn: &mut dyn Conn, id: i64, digest: &str) -> AppResult<()> {
    conn.execute(
        "UPDATE email_messages SET raw_sha256 = $1 WHERE id = $2",
        params![digest, id],
    )?;
    Ok(())
}

/// Replaces `address` in the recipients (with the Cc and Bcc records) and envelope senders
/// of every email row.
pub(crate) fn redact_addresses(conn: &mut dyn Conn, address: &str, with: &str) -> AppResult<()> {
    for column in ["recipients", "cc", "bcc"] {
        conn.execute(
            &format!("UPDATE email_messages SET {column} = replace({column}, $1, $2) WHERE {column} LIKE $3 ESCAPE '\\'"),
            params![address, with, tiski_kernel::input::like_pattern(address)],
        )?;
    }
    conn.execute(
        "UPDATE email_messages SET envelope_from = $2 WHERE lower(envelope_from) = $1",
        params![address, with],
    )?;
    Ok(())
}

/// Whether an email row or a quarantined message still refers to the blob `digest`.
pub(crate) fn uses_blob(conn: &mut dyn Conn, digest: &str) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM email_messages WHERE raw_sha256 = $1) \
             OR EXISTS (SELECT 1 FROM quarantine WHERE raw_sha256 = $1)",
            params![digest],
        )?
        .is_some())
}
