//! SQL of the files on messages (their bytes are blobs of the kernel).

use crate::rules::message::File;
use crate::{AttachmentView, MessageView};
use std::collections::HashMap;
use tiski_kernel::{AppResult, Sql};
use tiski_store::{Conn, Row, params};

fn view(row: &Row) -> AppResult<AttachmentView> {
    Ok(AttachmentView {
        id: row.get(0)?,
        message_id: row.get(1)?,
        filename: row.get(2)?,
        content_type: row.get(3)?,
        size: row.get(4)?,
        content_id: row.get(5)?,
        inline: row.get(6)?,
    })
}

pub(crate) fn insert(
    conn: &mut dyn Conn,
    message_id: i64,
    file: &File,
    digest: &str,
    now: i64,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO attachments (message_id, filename, content_type, content_id, inline, size, sha256, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![
            message_id,
            file.filename.clone(),
            file.content_type.as_str(),
            file.content_id.clone(),
            file.inline,
            file.bytes.len() as i64,
            digest,
            now
        ],
    )?;
    Ok(())
}

/// Lists the files of a page of messages on them, in one query.
pub(crate) fn decorate(conn: &mut dyn Conn, messages: &mut [MessageView]) -> AppResult<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
    let mut sql = Sql::new(conn.engine());
    let list = sql.bind_ids(&ids);
    let mut by_message: HashMap<i64, Vec<AttachmentView>> = HashMap::new();
    for row in conn.query(
        &format!("SELECT id, message_id, filename, content_type, size, content_id, inline FROM attachments WHERE message_id IN {list} ORDER BY id"),
        sql.params(),
    )? {
        let attachment = view(&row)?;
        by_message.entry(attachment.message_id).or_default().push(attachment);
    }
    for message in messages {
        message.attachments = by_message.remove(&message.id).unwrap_or_default();
    }
    Ok(())
}

/// An attachment with the digest of its bytes and the ticket it belongs to.
pub(crate) fn get(
    conn: &mut dyn Conn,
    id: i64,
) -> AppResult<Option<(AttachmentView, String, i64)>> {
    conn.query_opt(
        "SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.content_id, a.inline, a.sha256, m.ticket_id \
         FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = $1",
        params![id],
    )?
    .map(|row| Ok((view(&row)?, row.get(7)?, row.get(8)?)))
    .transpose()
}

/// The files of a message with their bytes, oldest first.
pub(crate) fn files_of(conn: &mut dyn Conn, message_id: i64) -> AppResult<Vec<File>> {
    conn.query(
        "SELECT a.filename, a.content_type, a.content_id, a.inline, b.bytes FROM attachments a \
         JOIN blobs b ON b.sha256 = a.sha256 WHERE a.message_id = $1 ORDER BY a.id",
        params![message_id],
    )?
    .iter()
    .map(|row| {
        Ok(File {
            filename: row.get(0)?,
            content_type: row.get(1)?,
            content_id: row.get(2)?,
            inline: row.get(3)?,
            bytes: row.get(4)?,
        })
    })
    .collect()
}

/// The inline part of a message with this Content-ID (angle brackets stripped), with the
/// digest of its bytes and the ticket it belongs to.
pub(crate) fn by_content_id(
    conn: &mut dyn Conn,
    message_id: i64,
    content_id: &str,
) -> AppResult<Option<(AttachmentView, String, i64)>> {
    conn.query_opt(
        "SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.content_id, a.inline, a.sha256, m.ticket_id \
         FROM attachments a JOIN messages m ON m.id = a.message_id \
         WHERE a.message_id = $1 AND a.content_id = $2 ORDER BY a.id LIMIT 1",
        params![message_id, content_id],
    )?
    .map(|row| Ok((view(&row)?, row.get(7)?, row.get(8)?)))
    .transpose()
}
