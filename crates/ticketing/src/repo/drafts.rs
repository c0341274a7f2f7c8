//! SQL of the composer's tables: `drafts` (one unsent reply or note per agent and ticket)
//! and `staged_files` (files uploaded for a reply before it is sent; bytes are blobs).

use crate::drafts::{DraftRow, StagedFile};
use tiski_domain::MessageKind;
use tiski_kernel::{AppResult, Sql};
use tiski_store::{Conn, params};

/// The draft of `user_id` on `ticket_id`.
pub(crate) fn get(
    conn: &mut dyn Conn,
    ticket_id: i64,
    user_id: i64,
) -> AppResult<Option<DraftRow>> {
    conn.query_opt(
        "SELECT kind, html, updated_at FROM drafts WHERE ticket_id = $1 AND user_id = $2",
        params![ticket_id, user_id],
    )?
    .map(|row| {
        Ok(DraftRow {
            kind: row.get(0)?,
            html: row.get(1)?,
            updated_at: row.get(2)?,
        })
    })
    .transpose()
}

/// Saves the draft of `user_id` on `ticket_id` (one per agent and ticket).
pub(crate) fn put(
    conn: &mut dyn Conn,
    ticket_id: i64,
    user_id: i64,
    kind: MessageKind,
    html: &str,
    now: i64,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO drafts (ticket_id, user_id, kind, html, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (ticket_id, user_id) DO UPDATE SET kind = excluded.kind, html = excluded.html, \
         updated_at = excluded.updated_at",
        params![ticket_id, user_id, kind.as_str(), html, now],
    )?;
    Ok(())
}

/// Deletes the draft of `user_id` on `ticket_id`; answers whether there was one.
pub(crate) fn delete(conn: &mut dyn Conn, ticket_id: i64, user_id: i64) -> AppResult<bool> {
    Ok(conn.execute(
        "DELETE FROM drafts WHERE ticket_id = $1 AND user_id = $2",
        params![ticket_id, user_id],
    )? > 0)
}

/// Who has a draft or staged files on `ticket_id`, and since when: `(user id, updated at)`,
/// most recent first.
pub(crate) fn owners(conn: &mut dyn Conn, ticket_id: i64) -> AppResult<Vec<(i64, i64)>> {
    conn.query(
        "SELECT user_id, MAX(at) FROM (\
           SELECT user_id, updated_at AS at FROM drafts WHERE ticket_id = $1 \
           UNION ALL SELECT user_id, created_at AS at FROM staged_files WHERE ticket_id = $1\
         ) d GROUP BY user_id ORDER BY MAX(at) DESC, user_id LIMIT 50",
        params![ticket_id],
    )?
    .iter()
    .map(|row| Ok((row.get(0)?, row.get(1)?)))
    .collect()
}

const STAGED: &str = "id, ticket_id, filename, content_type, size, created_at";

fn staged(row: &tiski_store::Row) -> AppResult<StagedFile> {
    Ok(StagedFile {
        id: row.get(0)?,
        ticket_id: row.get(1)?,
        filename: row.get(2)?,
        content_type: row.get(3)?,
        size: row.get(4)?,
        created_at: tiski_kernel::time::format(row.get(5)?),
    })
}

/// Stages a file of `user_id` for a reply on `ticket_id`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn stage(
    conn: &mut dyn Conn,
    user_id: i64,
    ticket_id: i64,
    filename: &str,
    content_type: &str,
    size: i64,
    digest: &str,
    now: i64,
) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "INSERT INTO staged_files (user_id, ticket_id, filename, content_type, size, sha256, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        params![user_id, ticket_id, filename, content_type, size, digest, now],
    )?)
}

/// The files `user_id` staged on `ticket_id`, oldest first.
pub(crate) fn staged_of(
    conn: &mut dyn Conn,
    user_id: i64,
    ticket_id: i64,
) -> AppResult<Vec<StagedFile>> {
    conn.query(
        &format!(
            "SELECT {STAGED} FROM staged_files WHERE user_id = $1 AND ticket_id = $2 ORDER BY id"
        ),
        params![user_id, ticket_id],
    )?
    .iter()
    .map(staged)
    .collect()
}

/// A staged file of `user_id` with the digest of its bytes.
pub(crate) fn staged_one(
    conn: &mut dyn Conn,
    user_id: i64,
    id: i64,
) -> AppResult<Option<(StagedFile, String)>> {
    conn.query_opt(
        &format!("SELECT {STAGED}, sha256 FROM staged_files WHERE user_id = $1 AND id = $2"),
        params![user_id, id],
    )?
    .map(|row| Ok((staged(&row)?, row.get(6)?)))
    .transpose()
}

/// Deletes staged files by id; answers the digests of their bytes.
pub(crate) fn unstage(conn: &mut dyn Conn, ids: &[i64]) -> AppResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(conn.engine());
    let list = sql.bind_ids(ids);
    let digests = conn
        .query(
            &format!("SELECT DISTINCT sha256 FROM staged_files WHERE id IN {list}"),
            sql.params(),
        )?
        .iter()
        .map(|row| Ok(row.get(0)?))
        .collect::<AppResult<Vec<String>>>()?;
    conn.execute(
        &format!("DELETE FROM staged_files WHERE id IN {list}"),
        sql.params(),
    )?;
    Ok(digests)
}

/// Up to `limit` staged files created before `before`, oldest first.
pub(crate) fn staged_before(conn: &mut dyn Conn, before: i64, limit: i64) -> AppResult<Vec<i64>> {
    conn.query(
        "SELECT id FROM staged_files WHERE created_at < $1 ORDER BY created_at, id LIMIT $2",
        params![before, limit],
    )?
    .iter()
    .map(|row| Ok(row.get(0)?))
    .collect()
}

/// Deletes the drafts and staged files on tickets (an erasure); answers the digests of the
/// staged bytes.
pub(crate) fn erase_tickets(conn: &mut dyn Conn, ticket_ids: &[i64]) -> AppResult<Vec<String>> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(conn.engine());
    let tickets = sql.bind_ids(ticket_ids);
    let ids = conn
        .query(
            &format!("SELECT id FROM staged_files WHERE ticket_id IN {tickets}"),
            sql.params(),
        )?
        .iter()
        .map(|row| Ok(row.get(0)?))
        .collect::<AppResult<Vec<i64>>>()?;
    conn.execute(
        &format!("DELETE FROM drafts WHERE ticket_id IN {tickets}"),
        sql.params(),
    )?;
    unstage(conn, &ids)
}

/// Whether a staged file still refers to the blob `digest`.
pub(crate) fn staged_uses_blob(conn: &mut dyn Conn, digest: &str) -> AppResult<bool> {
    Ok(conn
        .query_opt(
            "SELECT 1 FROM staged_files WHERE sha256 = $1 LIMIT 1",
            params![digest],
        )?
        .is_some())
}
