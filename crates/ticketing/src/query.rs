//! The one ticket query: which tickets (filters), in what order, which page. The API's list,
//! saved views and the built-in inbox views are all a [`TicketQuery`], turned into SQL by one
//! builder in the repository.

use serde::{Deserialize, Serialize};
use tiski_domain::{Channel, FieldError, LanguageTag, Priority, Status, Tag};

/// What a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Last change.
    UpdatedAt,
    /// Creation.
    CreatedAt,
    /// Priority rank.
    Priority,
    /// Ticket number.
    Id,
}

/// A sort: a key and a direction; named `-updated_at`, `created_at`, `-priority`, `id`….
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketSort {
    /// The key.
    pub key: SortKey,
    /// Whether the largest comes first.
    pub descending: bool,
}

impl Default for TicketSort {
    /// Most recently changed first.
    fn default() -> Self {
        TicketSort {
            key: SortKey::UpdatedAt,
            descending: true,
        }
    }
}

impl TicketSort {
    /// Reads a sort name, optionally prefixed with `-` for descending.
    pub fn parse(text: &str) -> Result<TicketSort, FieldError> {
        let (descending, name) = match text.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, text),
        };
        let key = match name {
            "updated_at" => SortKey::UpdatedAt,
            "created_at" => SortKey::CreatedAt,
            "priority" => SortKey::Priority,
            "id" => SortKey::Id,
            _ => {
                return Err(FieldError::new(
                    "sort",
                    "The sort must be updated_at, created_at, priority or id, optionally prefixed with - for descending.",
                ));
            }
        };
        Ok(TicketSort { key, descending })
    }

    /// The sort's name, as cursors are made for it.
    pub fn name(&self) -> String {
        let key = match self.key {
            SortKey::UpdatedAt => "updated_at",
            SortKey::CreatedAt => "created_at",
            SortKey::Priority => "priority",
            SortKey::Id => "id",
        };
        if self.descending {
            format!("-{key}")
        } else {
            key.to_string()
        }
    }
}

/// Whose tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignee {
    /// Nobody's.
    Unassigned,
    /// This user's.
    User(i64),
    /// Whoever asks.
    Me,
}

impl Assignee {
    /// Reads `none`, `me` (when `me_allowed`) or a user id given in `field`.
    pub fn parse(field: &str, text: &str, me_allowed: bool) -> Result<Assignee, FieldError> {
        match text {
            "none" => Ok(Assignee::Unassigned),
            "me" if me_allowed => Ok(Assignee::Me),
            other => other.parse().map(Assignee::User).map_err(|_| {
                FieldError::new(
                    field,
                    if me_allowed {
                        format!("The {field} must be me, none or a user id.")
                    } else {
                        format!("The {field} must be a user id or none.")
                    },
                )
            }),
        }
    }
}

/// Where the next page starts: after the ticket with this sort value and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyset {
    /// The last ticket's value of the sort key.
    pub value: i64,
    /// The last ticket's id.
    pub id: i64,
}

/// A ticket query: the filters, the order, the page. Absent filters do not filter.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketQuery {
    /// Only these statuses (empty: any).
    pub statuses: Vec<Status>,
    /// Only this team's.
    pub team_id: Option<i64>,
    /// Only these assignees'.
    pub assignee: Option<Assignee>,
    /// Only this customer's.
    pub requester_id: Option<i64>,
    /// Only tickets with this tag.
    pub tag: Option<Tag>,
    /// Only this priority.
    pub priority: Option<Priority>,
    /// Only this channel.
    pub channel: Option<Channel>,
    /// Only this conversation language.
    pub language: Option<LanguageTag>,
    /// Only tickets changed at or after this time (microseconds).
    pub updated_since: Option<i64>,
    /// The order.
    pub sort: TicketSort,
    /// The page size.
    pub limit: i64,
    /// Where the page starts.
    pub after: Option<Keyset>,
}

impl Default for TicketQuery {
    /// Every ticket, most recently changed first, 50 a page.
    fn default() -> Self {
        TicketQuery {
            statuses: Vec::new(),
            team_id: None,
            assignee: None,
            requester_id: None,
            tag: None,
            priority: None,
            channel: None,
            language: None,
            updated_since: None,
            sort: TicketSort::default(),
            limit: 50,
            after: None,
        }
    }
}

/// The filters of a saved view, as stored (absent ones do not filter). The JSON shape is
/// what views were saved with, so every view saved before still reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewFilters {
    /// Only these statuses (none: all).
    pub status: Vec<Status>,
    /// Only this team.
    pub team_id: Option<i64>,
    /// `me`, `none` or a user id.
    pub assignee: Option<String>,
    /// Only tickets with this tag.
    pub tag: Option<String>,
    /// Only this priority.
    pub priority: Option<Priority>,
    /// Only this channel.
    pub channel: Option<Channel>,
    /// Only this conversation language.
    pub language: Option<String>,
}

impl ViewFilters {
    /// The query of these filters (sorted and paged by default), or the field at fault.
    pub fn query(&self) -> Result<TicketQuery, FieldError> {
        Ok(TicketQuery {
            statuses: self.status.clone(),
            team_id: self.team_id,
            assignee: self
                .assignee
                .as_deref()
                .map(|a| Assignee::parse("assignee", a, true))
                .transpose()?,
            tag: self
                .tag
                .as_deref()
                .map(|t| Tag::parse(t).map_err(|e| e.at("tag")))
                .transpose()?,
            priority: self.priority,
            channel: self.channel,
            language: self
                .language
                .as_deref()
                .map(|l| LanguageTag::parse(l).map_err(|e| e.at("language")))
                .transpose()?,
            ..TicketQuery::default()
        })
    }
}

/// The inbox's built-in views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxView {
    /// Open tickets assigned to whoever asks.
    Mine,
    /// Open unassigned tickets.
    Unassigned,
    /// All open tickets.
    All,
    /// Tickets waiting for the customer.
    Pending,
    /// Solved tickets not yet closed.
    Solved,
}

impl InboxView {
    /// Every built-in view, in the order the inbox lists them.
    pub const ALL: [InboxView; 5] = [
        InboxView::Mine,
        InboxView::Unassigned,
        InboxView::All,
        InboxView::Pending,
        InboxView::Solved,
    ];

    /// The view's query ("open" is [`Status::OPEN`]).
    pub fn query(self) -> TicketQuery {
        let (statuses, assignee) = match self {
            InboxView::Mine => (Status::OPEN.to_vec(), Some(Assignee::Me)),
            InboxView::Unassigned => (Status::OPEN.to_vec(), Some(Assignee::Unassigned)),
            InboxView::All => (Status::OPEN.to_vec(), None),
            InboxView::Pending => (vec![Status::Pending], None),
            InboxView::Solved => (vec![Status::Solved], None),
        };
        TicketQuery {
            statuses,
            assignee,
            ..TicketQuery::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_and_assignees() {
        let sort = TicketSort::parse("-priority").unwrap();
        assert_eq!(sort.key, SortKey::Priority);
        assert!(sort.descending);
        assert_eq!(sort.name(), "-priority");
        assert_eq!(TicketSort::parse("subject").unwrap_err().field, "sort");
        assert_eq!(
            Assignee::parse("assignee_id", "none", false).unwrap(),
            Assignee::Unassigned
        );
        assert_eq!(
            Assignee::parse("assignee_id", "7", false).unwrap(),
            Assignee::User(7)
        );
        assert!(Assignee::parse("assignee_id", "me", false).is_err());
        assert_eq!(
            Assignee::parse("assignee", "me", true).unwrap(),
            Assignee::Me
        );
    }

    #[test]
    fn saved_filters_read_as_before_and_fail_on_the_field() {
        let old: ViewFilters = serde_json::from_str(
            r#"{"status":["new","open"],"team_id":null,"assignee":"me","tag":"vip","priority":null,"channel":"email","language":null}"#,
        )
        .unwrap();
        let query = old.query().unwrap();
        assert_eq!(query.statuses, vec![Status::New, Status::Open]);
        assert_eq!(query.assignee, Some(Assignee::Me));
        assert_eq!(query.channel, Some(Channel::Email));
        let bad = ViewFilters {
            tag: Some("has space".into()),
            ..ViewFilters::default()
        };
        assert_eq!(bad.query().unwrap_err().field, "tag");
        assert_eq!(InboxView::All.query().statuses, Status::OPEN);
    }
}
