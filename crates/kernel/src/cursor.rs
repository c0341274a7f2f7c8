//! Opaque keyset cursors: the sort key and id of the last item of a page.

use crate::{AppError, AppResult};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// Where the next page starts: after the item with this sort value and id, under this sort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// The sort the cursor was made for; a cursor is refused under another sort.
    #[serde(rename = "s")]
    pub sort: String,
    /// The last item's sort value.
    #[serde(rename = "v")]
    pub value: i64,
    /// The last item's id.
    #[serde(rename = "i")]
    pub id: i64,
}

impl Cursor {
    /// The opaque text handed to clients.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Reads a cursor a client sent back, refusing anything this server did not make for
    /// `sort`.
    pub fn decode(text: &str, sort: &str) -> Result<Cursor, AppError> {
        let invalid = || {
            AppError::invalid(
                "cursor",
                "The cursor is not valid; use the next_cursor value of a previous page with the same sort.",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if cursor.sort != sort {
            return Err(invalid());
        }
        Ok(cursor)
    }
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The largest page a list answers.
pub const MAX_LIMIT: i64 = 200;

/// Checks a page size: 1 to 200, 50 when absent.
pub fn limit(requested: Option<i64>) -> Result<i64, AppError> {
    match requested {
        None => Ok(50),
        Some(n) if (1..=200).contains(&n) => Ok(n),
        Some(_) => Err(AppError::invalid(
            "limit",
            "The limit must be between 1 and 200.",
        )),
    }
}

/// The `after` id of a cursor made by [`page_by_id`] (0 without a cursor): for lists in id
/// order.
pub fn after_id(cursor: Option<&str>) -> AppResult<i64> {
    match cursor {
        Some(text) => Ok(Cursor::decode(text, "id")?.id),
        None => Ok(0),
    }
}

/// The `before` id of a cursor for lists newest first (`i64::MAX` without a cursor).
pub fn before_id(cursor: Option<&str>) -> AppResult<i64> {
    match cursor {
        Some(text) => Ok(Cursor::decode(text, "-id")?.id),
        None => Ok(i64::MAX),
    }
}

/// Trims a page fetched with one extra row and makes the cursor for the next one, for lists
/// in id order (`descending`: newest first).
pub fn page_by_id<T>(
    mut items: Vec<T>,
    limit: i64,
    descending: bool,
    id: impl Fn(&T) -> i64,
) -> Page<T> {
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let sort = if descending { "-id" } else { "id" };
    let next_cursor = more
        .then(|| {
            items.last().map(|last| {
                Cursor {
                    sort: sort.into(),
                    value: id(last),
                    id: id(last),
                }
                .encode()
            })
        })
        .flatten();
    Page { items, next_cursor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let cursor = Cursor {
            sort: "-updated_at".into(),
            value: 42,
            id: 7,
        };
        let text = cursor.encode();
        assert_eq!(Cursor::decode(&text, "-updated_at").unwrap(), cursor);
        assert!(Cursor::decode(&text, "created_at").is_err());
        assert!(Cursor::decode("not a cursor", "-updated_at").is_err());
        assert!(Cursor::decode("", "-updated_at").is_err());
    }
}
