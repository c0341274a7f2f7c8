//! SQL of an erasure over the email tables: the mail of erased conversations and the
//! quarantined mail of erased addresses.

use tiski_kernel::{AppResult, Sql};
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

/// Deletes the quarantined mail from `address` (the sender as read, case-insensitive);
/// returns the raw digests it referred to.
pub(crate) fn delete_quarantined_from(
    conn: &mut dyn Conn,
    address: &str,
) -> AppResult<Vec<String>> {
    let digests = conn
        .query(
            "SELECT raw_sha256 FROM quarantine WHERE lower(sender) = $1",
            params![address],
        )?
        .iter()
        .map(|row| Ok(row.get(0)?))
        .collect::<AppResult<Vec<String>>>()?;
    conn.execute(
        "DELETE FROM quarantine WHERE lower(sender) = $1",
        params![address],
    )?;
    Ok(digests)
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
