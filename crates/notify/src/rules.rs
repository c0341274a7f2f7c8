//! The pure rules of notifications: how a mention is written and recognised, and what a
//! request to mark notifications read may hold.

use serde::Deserialize;
use tiski_kernel::{AppError, AppResult};

/// The most ids one request may mark read (the API's page size).
pub const MAX_READ_IDS: usize = 200;

/// How an agent is mentioned by their email's local part: `@anna` for `anna@example.com`.
pub fn handle_of(email: &str) -> &str {
    email.split_once('@').map_or(email, |(local, _)| local)
}

/// Whether `text` mentions `handle` (a display name such as `Anna Virtanen`, or a local part
/// such as `anna.v`): `@` then the handle, ignoring case, where the `@` does not continue a
/// word (so `mail@anna` is no mention) and the handle is not followed by more of a word (so
/// `@anna` does not mention `@annabel`; a full stop or comma after it still counts).
pub fn mentions(text: &str, handle: &str) -> bool {
    let handle = handle.trim().to_lowercase();
    if handle.is_empty() {
        return false;
    }
    let text = text.to_lowercase();
    let needle = format!("@{handle}");
    let mut from = 0;
    while let Some(found) = text[from..].find(&needle) {
        let start = from + found;
        let end = start + needle.len();
        let starts_word = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let mut after = text[end..].chars();
        let ends_word = match after.next() {
            None => true,
            Some(c) if c.is_alphanumeric() => false,
            Some('.' | '-' | '_' | '\'') => after.next().is_none_or(|c| !c.is_alphanumeric()),
            Some(_) => true,
        };
        if starts_word && ends_word {
            return true;
        }
        // `@` is one byte, so the next search starts on a character boundary.
        from = start + 1;
    }
    false
}

/// `POST /notifications/read`: either `ids` (the caller's notifications to mark; others'
/// and unknown ids are skipped, never reported, so nobody learns what exists) or
/// `"all": true`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadRequest {
    /// Notification ids, 1 to 200 of them.
    #[serde(default)]
    pub ids: Option<Vec<i64>>,
    /// Mark every unread notification of the caller read.
    #[serde(default)]
    pub all: Option<bool>,
}

/// What a valid read request marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadTarget {
    /// These ids (deduplicated, of the caller's only).
    Ids(Vec<i64>),
    /// Every unread one.
    All,
}

impl ReadRequest {
    /// Checks the request: exactly one of `ids` (1 to 200 positive ids) and `all: true`.
    pub fn validate(&self) -> AppResult<ReadTarget> {
        match (&self.ids, self.all) {
            (Some(_), Some(true)) => Err(AppError::invalid(
                "all",
                "Give either ids or \"all\": true, not both.",
            )),
            (None, Some(true)) => Ok(ReadTarget::All),
            (None, _) => Err(AppError::invalid(
                "ids",
                "Give the ids of the notifications to mark read, or \"all\": true.",
            )),
            (Some(ids), _) => {
                if ids.is_empty() {
                    return Err(AppError::invalid("ids", "Give at least one id."));
                }
                if ids.len() > MAX_READ_IDS {
                    return Err(AppError::invalid(
                        "ids",
                        format!("At most {MAX_READ_IDS} ids can be marked in one request."),
                    ));
                }
                if let Some(index) = ids.iter().position(|id| *id <= 0) {
                    return Err(AppError::invalid(
                        format!("ids/{index}"),
                        "A notification id is a positive whole number.",
                    ));
                }
                let mut ids = ids.clone();
                ids.sort_unstable();
                ids.dedup();
                Ok(ReadTarget::Ids(ids))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_by_name_or_local_part_as_whole_words() {
        assert!(mentions("@Anna Virtanen could you look?", "Anna Virtanen"));
        assert!(mentions("thanks @anna.", "anna"));
        assert!(mentions("(@ANNA)", "anna"));
        assert!(mentions("cc @anna.v, please", "anna.v"));
        assert!(!mentions("@annabel please", "anna"));
        assert!(!mentions("@anna.virtanen please", "anna"));
        assert!(!mentions("mail anna@example.com", "example"));
        assert!(!mentions("write to bob@anna", "anna"));
        assert!(!mentions("Anna Virtanen without at", "Anna Virtanen"));
        assert!(!mentions("@ alone", " "));
        assert!(mentions("ääkköset @Åsa Öberg!", "åsa öberg"));
        assert_eq!(handle_of("anna.v@example.com"), "anna.v");
    }

    #[test]
    fn read_requests_take_ids_or_all() {
        let ids = |ids: Vec<i64>| ReadRequest {
            ids: Some(ids),
            all: None,
        };
        assert_eq!(
            ids(vec![3, 1, 3]).validate().unwrap(),
            ReadTarget::Ids(vec![1, 3])
        );
        assert!(ids(vec![]).validate().is_err());
        assert!(ids(vec![1; 201]).validate().is_err());
        assert_eq!(
            ids(vec![1, -2]).validate().unwrap_err().field(),
            Some("ids/1")
        );
        let all = ReadRequest {
            ids: None,
            all: Some(true),
        };
        assert_eq!(all.validate().unwrap(), ReadTarget::All);
        assert!(ReadRequest::default().validate().is_err());
        let both = ReadRequest {
            ids: Some(vec![1]),
            all: Some(true),
        };
        assert_eq!(both.validate().unwrap_err().field(), Some("all"));
    }
}
