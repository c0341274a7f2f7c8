//! SQL of the email identity of messages: Message-IDs for threading, raw bytes, recipients
//! and delivery state.

use tiski_kernel::{AppResult, Sql};
use tiski_store::{Conn, Json, params};
use tiski_ticketing::EmailState;

/// An email row about to be written.
pub(crate) struct NewEmail<'a> {
    pub mailbox_id: i64,
    pub direction: &'a str,
    pub rfc_message_id: &'a str,
    pub ticket_id: Option<i64>,
    pub message_id: Option<i64>,
    pub raw_sha256: &'a str,
    pub envelope_from: Option<&'a str>,
    pub recipients: &'a [String],
    pub delivery_status: Option<&'a str>,
    pub delivery_detail: Option<&'a str>,
    /// For inbound mail that named a ticket its sender is not on: that ticket.
    pub referenced_ticket_id: Option<i64>,
}

pub(crate) fn insert(conn: &mut dyn Conn, email: &NewEmail<'_>, now: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO email_messages (mailbox_id, direction, rfc_message_id, ticket_id, message_id, raw_sha256, envelope_from, recipients, delivery_status, delivery_detail, created_at, updated_at, referenced_ticket_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id",
        params![
            email.mailbox_id,
            email.direction,
            email.rfc_message_id,
            email.ticket_id,
            email.message_id,
            email.raw_sha256,
            email.envelope_from,
            serde_json::to_string(email.recipients)?,
            email.delivery_status,
            email.delivery_detail,
            now,
            email.referenced_ticket_id
        ],
    )?)
}

/// Whether this inbound Message-ID arrived for this mailbox before: `Some(ticket)` if so.
pub(crate) fn inbound_seen(
    conn: &mut dyn Conn,
    mailbox_id: i64,
    rfc_id: &str,
) -> AppResult<Option<Option<i64>>> {
    conn.query_opt(
        "SELECT ticket_id FROM email_messages WHERE mailbox_id = $1 AND direction = 'in' AND rfc_message_id = $2",
        params![mailbox_id, rfc_id],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// The ticket of the newest message with this Message-ID.
pub(crate) fn ticket_of(conn: &mut dyn Conn, rfc_id: &str) -> AppResult<Option<i64>> {
    conn.query_opt(
        "SELECT ticket_id FROM email_messages WHERE rfc_message_id = $1 AND ticket_id IS NOT NULL ORDER BY id DESC LIMIT 1",
        params![rfc_id],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// The newest outgoing email with this Message-ID: its id and ticket.
pub(crate) fn outgoing_of(
    conn: &mut dyn Conn,
    rfc_id: &str,
) -> AppResult<Option<(i64, Option<i64>)>> {
    conn.query_opt(
        "SELECT id, ticket_id FROM email_messages WHERE rfc_message_id = $1 AND direction = 'out' ORDER BY id DESC LIMIT 1",
        params![rfc_id],
    )?
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .transpose()
}

pub(crate) fn mark_bounced(conn: &mut dyn Conn, id: i64, detail: &str, now: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE email_messages SET delivery_status = 'bounced', delivery_detail = $1, updated_at = $2 WHERE id = $3",
        params![detail, now, id],
    )?;
    Ok(())
}

/// Marks an outgoing email sent, unless something (a bounce) already came back for it.
pub(crate) fn mark_sent(conn: &mut dyn Conn, id: i64, answer: &str, now: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE email_messages SET delivery_status = 'sent', delivery_detail = $1, updated_at = $2 WHERE id = $3 AND delivery_status = 'queued'",
        params![answer, now, id],
    )?;
    Ok(())
}

/// Sets the delivery state of an outgoing email (`queued` while retried, `failed`).
pub(crate) fn set_delivery(
    conn: &mut dyn Conn,
    id: i64,
    status: &str,
    detail: &str,
    now: i64,
) -> AppResult<()> {
    conn.execute(
        "UPDATE email_messages SET delivery_status = $1, delivery_detail = $2, updated_at = $3 WHERE id = $4",
        params![status, detail, now, id],
    )?;
    Ok(())
}

/// The senders of a ticket's inbound email, newest first (at most 20 rows looked at).
pub(crate) fn inbound_senders(conn: &mut dyn Conn, ticket_id: i64) -> AppResult<Vec<String>> {
    conn.query(
        "SELECT envelope_from FROM email_messages WHERE ticket_id = $1 AND direction = 'in' AND envelope_from IS NOT NULL ORDER BY id DESC LIMIT 20",
        params![ticket_id],
    )?
    .iter()
    .map(|row| Ok(row.get(0)?))
    .collect()
}

/// A ticket's emails in order: `(Message-ID, direction)`.
pub(crate) fn thread(conn: &mut dyn Conn, ticket_id: i64) -> AppResult<Vec<(String, String)>> {
    conn.query(
        "SELECT rfc_message_id, direction FROM email_messages WHERE ticket_id = $1 ORDER BY id",
        params![ticket_id],
    )?
    .iter()
    .map(|r| Ok((r.get(0)?, r.get(1)?)))
    .collect()
}

/// What the sender needs of an outgoing email: mailbox, raw digest, envelope.
pub(crate) struct Outgoing {
    pub mailbox_id: i64,
    pub raw_sha256: String,
    pub envelope_from: String,
    pub recipients: Vec<String>,
}

pub(crate) fn outgoing(conn: &mut dyn Conn, id: i64) -> AppResult<Outgoing> {
    let row = conn.query_one(
        "SELECT mailbox_id, raw_sha256, envelope_from, recipients FROM email_messages WHERE id = $1",
        params![id],
    )?;
    let Json(recipients) = row.get(3)?;
    Ok(Outgoing {
        mailbox_id: row.get(0)?,
        raw_sha256: row.get(1)?,
        envelope_from: row.get(2)?,
        recipients,
    })
}

/// The ticket of an email row.
pub(crate) fn ticket_of_row(conn: &mut dyn Conn, id: i64) -> AppResult<Option<i64>> {
    Ok(conn.query_scalar(
        "SELECT ticket_id FROM email_messages WHERE id = $1",
        params![id],
    )?)
}

/// The email states of messages, by message id, in one query, each with the time its held
/// mail comes due while it still waits in the outbox for that time (its undo window).
pub(crate) fn states(
    conn: &mut dyn Conn,
    message_ids: &[i64],
) -> AppResult<Vec<(i64, EmailState, Option<i64>)>> {
    let mut sql = Sql::new(conn.engine());
    let list = sql.bind_ids(message_ids);
    conn.query(
        &format!("SELECT e.message_id, e.direction, e.rfc_message_id, e.delivery_status, e.delivery_detail, e.recipients, e.referenced_ticket_id, e.cc, e.bcc, o.next_attempt_at \
                  FROM email_messages e LEFT JOIN outbox o ON o.kind = 'email' AND o.event_id = e.id AND o.status = 'pending' AND o.attempts = 0 AND o.next_attempt_at = e.undo_until \
                  WHERE e.message_id IN {list} ORDER BY e.id"),
        sql.params(),
    )?
    .iter()
    .map(|row| {
        let Json(recipients) = row.get(5)?;
        let Json(cc) = row.get(7)?;
        let Json(bcc) = row.get(8)?;
        Ok((
            row.get(0)?,
            EmailState {
                direction: row.get(1)?,
                message_id: row.get(2)?,
                delivery_status: row.get(3)?,
                delivery_detail: row.get(4)?,
                recipients,
                cc,
                bcc,
                referenced_ticket_id: row.get(6)?,
            },
            row.get(9)?,
        ))
    })
    .collect()
}

/// Records who an outgoing email copies (Cc header) and blind-copies (no header), and the
/// end of its undo window.
pub(crate) fn set_copies(
    conn: &mut dyn Conn,
    id: i64,
    cc: &[String],
    bcc: &[String],
    undo_until: Option<i64>,
) -> AppResult<()> {
    conn.execute(
        "UPDATE email_messages SET cc = $1, bcc = $2, undo_until = $3 WHERE id = $4",
        params![
            serde_json::to_string(cc)?,
            serde_json::to_string(bcc)?,
            undo_until,
            id
        ],
    )?;
    Ok(())
}

/// The outgoing email of a message held in an undo window: its id, due time and raw digest.
pub(crate) fn held(conn: &mut dyn Conn, message_id: i64) -> AppResult<Option<(i64, i64, String)>> {
    conn.query_opt(
        "SELECT id, undo_until, raw_sha256 FROM email_messages WHERE message_id = $1 AND direction = 'out' AND undo_until IS NOT NULL ORDER BY id DESC LIMIT 1",
        params![message_id],
    )?
    .map(|row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
    .transpose()
}

/// Deletes an outgoing email row (a reply taken back before it was queued).
pub(crate) fn delete(conn: &mut dyn Conn, id: i64) -> AppResult<()> {
    conn.execute("DELETE FROM email_messages WHERE id = $1", params![id])?;
    Ok(())
}

/// Delivered, failed or bounced mail to staff (outgoing, of no ticket) last changed before
/// `before`: `(id, raw digest)`, at most `limit`.
pub(crate) fn finished_staff_mail(
    conn: &mut dyn Conn,
    before: i64,
    limit: i64,
) -> AppResult<Vec<(i64, String)>> {
    conn.query(
        "SELECT id, raw_sha256 FROM email_messages \
         WHERE ticket_id IS NULL AND direction = 'out' AND message_id IS NULL \
         AND delivery_status IN ('sent', 'failed', 'bounced') AND updated_at < $1 \
         ORDER BY id LIMIT $2",
        params![before, limit],
    )?
    .iter()
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .collect()
}

/// Whether any email row keeps the raw bytes under `digest`.
pub(crate) fn raw_in_use(conn: &mut dyn Conn, digest: &str) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT id FROM email_messages WHERE raw_sha256 = $1 LIMIT 1",
            params![digest],
        )?
        .is_some())
}
