//! The notifications repository: all SQL over `notifications` and
//! `notification_preferences`.

use crate::{NotificationView, Preference};
use tiski_domain::NotificationKind;
use tiski_kernel::{AppError, AppResult, Sql, time};
use tiski_store::{Conn, Row, params};

const COLUMNS: &str = "id, kind, ticket_id, actor_id, created_at, read_at";

fn kind(row: &Row, index: usize) -> AppResult<NotificationKind> {
    let text: String = row.get(index)?;
    NotificationKind::parse(&text)
        .map_err(|e| AppError::Corrupt(format!("notifications.kind: {}", e.message)))
}

fn view(row: &Row) -> AppResult<NotificationView> {
    let read_at: Option<i64> = row.get(5)?;
    Ok(NotificationView {
        id: row.get(0)?,
        kind: kind(row, 1)?,
        ticket_id: row.get(2)?,
        actor_id: row.get(3)?,
        created_at: time::format(row.get(4)?),
        read: read_at.is_some(),
    })
}

/// One notification to make.
pub(crate) struct NewNotification {
    pub recipient_id: i64,
    pub kind: NotificationKind,
    pub event_id: i64,
    pub ticket_id: Option<i64>,
    pub actor_id: Option<i64>,
}

/// Inserts a notification unless one exists for the same event, recipient and kind (another
/// node made it); its id when this call made it.
pub(crate) fn insert(
    conn: &mut dyn Conn,
    new: &NewNotification,
    now: i64,
) -> AppResult<Option<i64>> {
    conn.query_opt(
        "INSERT INTO notifications (recipient_id, kind, event_id, ticket_id, actor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (event_id, recipient_id, kind) DO NOTHING RETURNING id",
        params![
            new.recipient_id,
            new.kind.as_str(),
            new.event_id,
            new.ticket_id,
            new.actor_id,
            now
        ],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// A recipient's notifications with ids below `before`, newest first, at most `limit`.
pub(crate) fn list(
    conn: &mut dyn Conn,
    recipient: i64,
    before: i64,
    limit: i64,
) -> AppResult<Vec<NotificationView>> {
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM notifications WHERE recipient_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
        ),
        params![recipient, before, limit],
    )?
    .iter()
    .map(view)
    .collect()
}

/// How many unread notifications a recipient has.
pub(crate) fn unread(conn: &mut dyn Conn, recipient: i64) -> AppResult<i64> {
    Ok(conn.query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE recipient_id = $1 AND read_at IS NULL",
        params![recipient],
    )?)
}

/// Marks the recipient's unread notifications among `ids` read; how many turned read.
pub(crate) fn mark_ids(
    conn: &mut dyn Conn,
    recipient: i64,
    ids: &[i64],
    now: i64,
) -> AppResult<i64> {
    let mut sql = Sql::new(conn.engine());
    let now = sql.bind(now);
    let me = sql.bind(recipient);
    let ids = sql.bind_ids(ids);
    let changed = conn.execute(
        &format!(
            "UPDATE notifications SET read_at = {now} WHERE recipient_id = {me} AND read_at IS NULL AND id IN {ids}"
        ),
        sql.params(),
    )?;
    Ok(i64::try_from(changed).unwrap_or(i64::MAX))
}

/// Marks every unread notification of the recipient read; how many turned read.
pub(crate) fn mark_all(conn: &mut dyn Conn, recipient: i64, now: i64) -> AppResult<i64> {
    let changed = conn.execute(
        "UPDATE notifications SET read_at = $1 WHERE recipient_id = $2 AND read_at IS NULL",
        params![now, recipient],
    )?;
    Ok(i64::try_from(changed).unwrap_or(i64::MAX))
}

/// A user's stored preferences (kinds without a row take the defaults).
pub(crate) fn preferences(conn: &mut dyn Conn, user: i64) -> AppResult<Vec<Preference>> {
    conn.query(
        "SELECT kind, in_app, browser, email FROM notification_preferences WHERE user_id = $1",
        params![user],
    )?
    .iter()
    .map(|row| {
        Ok(Preference {
            kind: kind(row, 0)?,
            in_app: row.get(1)?,
            browser: row.get(2)?,
            email: row.get(3)?,
        })
    })
    .collect()
}

/// Stores one preference of a user.
pub(crate) fn set_preference(
    conn: &mut dyn Conn,
    user: i64,
    preference: &Preference,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO notification_preferences (user_id, kind, in_app, browser, email) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, kind) DO UPDATE SET in_app = excluded.in_app, browser = excluded.browser, email = excluded.email",
        params![
            user,
            preference.kind.as_str(),
            preference.in_app,
            preference.browser,
            preference.email
        ],
    )?;
    Ok(())
}

/// The ticket of the recipient's notification `id` (`None`: not theirs or no such one).
pub(crate) fn ticket_of(
    conn: &mut dyn Conn,
    recipient: i64,
    id: i64,
) -> AppResult<Option<Option<i64>>> {
    conn.query_opt(
        "SELECT ticket_id FROM notifications WHERE id = $1 AND recipient_id = $2",
        params![id, recipient],
    )?
    .map(|row| Ok(row.get(0)?))
    .transpose()
}

/// The recipients with an unread notification made at or before `cutoff` that no digest took
/// up yet, the longest waiting first; at most `limit`.
pub(crate) fn digest_due(conn: &mut dyn Conn, cutoff: i64, limit: i64) -> AppResult<Vec<i64>> {
    conn.query(
        "SELECT recipient_id, MIN(created_at) AS first FROM notifications \
         WHERE digested_at IS NULL AND read_at IS NULL AND created_at <= $1 \
         GROUP BY recipient_id ORDER BY first, recipient_id LIMIT $2",
        params![cutoff, limit],
    )?
    .iter()
    .map(|row| Ok(row.get(0)?))
    .collect()
}

/// An unread notification no digest took up yet.
pub(crate) struct Pending {
    pub id: i64,
    pub kind: NotificationKind,
    pub ticket_id: Option<i64>,
    pub created_at: i64,
}

/// A recipient's unread notifications that no digest took up yet, oldest first, at most
/// `limit`.
pub(crate) fn undigested(
    conn: &mut dyn Conn,
    recipient: i64,
    limit: i64,
) -> AppResult<Vec<Pending>> {
    conn.query(
        "SELECT id, kind, ticket_id, created_at FROM notifications \
         WHERE recipient_id = $1 AND digested_at IS NULL AND read_at IS NULL ORDER BY id LIMIT $2",
        params![recipient, limit],
    )?
    .iter()
    .map(|row| {
        Ok(Pending {
            id: row.get(0)?,
            kind: kind(row, 1)?,
            ticket_id: row.get(2)?,
            created_at: row.get(3)?,
        })
    })
    .collect()
}

/// Marks the recipient's notifications among `ids` taken up by the digest, unless they were
/// read or taken meanwhile (by another node); the ids this call marked.
pub(crate) fn take(
    conn: &mut dyn Conn,
    recipient: i64,
    ids: &[i64],
    now: i64,
) -> AppResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(conn.engine());
    let now = sql.bind(now);
    let me = sql.bind(recipient);
    let ids = sql.bind_ids(ids);
    let mut taken = conn
        .query(
            &format!(
                "UPDATE notifications SET digested_at = {now} \
                 WHERE recipient_id = {me} AND digested_at IS NULL AND read_at IS NULL AND id IN {ids} \
                 RETURNING id"
            ),
            sql.params(),
        )?
        .iter()
        .map(|row| Ok(row.get(0)?))
        .collect::<AppResult<Vec<i64>>>()?;
    taken.sort_unstable();
    Ok(taken)
}
