//! The notifications context: what concerns an agent — a ticket assigned to them, a mention
//! in an internal note, the customer writing on their ticket, a colleague asking for help
//! (and, later, an SLA at risk) — shown on their bell, live, and chosen per kind.
//!
//! Notifications are made by a worker that follows the event log with its stored position
//! ([`Notify::produce`]); a unique key on (event, recipient, kind) makes each one once however
//! many nodes run it, and each new one appends `notification.created` (on the ticket it is
//! about) so the recipient's open workspaces ring at once. Nobody is notified of their own
//! doing, nor of a ticket they may not see. An agent who was away gets their unread ones
//! of the kinds they chose in one digest mail ([`Notify::digest`], sent through the
//! [`DigestMail`] port). Its tables are `notifications` and
//! `notification_preferences`; all of its SQL is in [`repo`](crate). It reads staff and tickets
//! through `tiski_staff::lookup` and ticketing's read and write functions, and never calls
//! up.

mod commands;
mod digest;
mod letter;
mod produce;
mod repo;
pub mod rules;

pub use commands::{Mentionable, NotificationPage, ReadResult};
pub use digest::{DigestMail, DigestStep};
pub use letter::Letter;
pub use rules::ReadRequest;

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tiski_domain::NotificationKind;
use tiski_kernel::Kernel;

/// The notifications context. Cheap to clone.
#[derive(Clone)]
pub struct Notify {
    kernel: Kernel,
    digest_mail: Option<Arc<dyn DigestMail>>,
}

impl Notify {
    /// The notifications context on a kernel (without a way to mail digests).
    pub fn new(kernel: Kernel) -> Notify {
        Notify {
            kernel,
            digest_mail: None,
        }
    }

    /// The same context, mailing its digests through `port`.
    pub fn with_digest_mail(mut self, port: Arc<dyn DigestMail>) -> Notify {
        self.digest_mail = Some(port);
        self
    }
}

/// A notification as its recipient sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotificationView {
    /// Its id (pass to `POST /notifications/read`).
    pub id: i64,
    /// Why it was made.
    pub kind: NotificationKind,
    /// The ticket it is about.
    pub ticket_id: Option<i64>,
    /// The staff user whose doing it was (absent for the customer or tiski itself).
    pub actor_id: Option<i64>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Whether its recipient marked it read.
    pub read: bool,
}

/// How an agent gets one kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preference {
    /// The kind.
    pub kind: NotificationKind,
    /// On the bell in the workspace (off: the kind is not notified at all).
    pub in_app: bool,
    /// Also as a browser notification, where the agent allowed them in that browser.
    pub browser: bool,
    /// Also in the email digest of what happened while the agent was away.
    pub email: bool,
}

impl Preference {
    /// The default of a kind: on the bell and in the browser; in the email digest for
    /// assignments, mentions and requests for help (a customer's every reply would flood it).
    pub fn default_for(kind: NotificationKind) -> Preference {
        Preference {
            kind,
            in_app: true,
            browser: true,
            email: matches!(
                kind,
                NotificationKind::Assigned
                    | NotificationKind::Mentioned
                    | NotificationKind::HelpRequested
            ),
        }
    }
}

/// A change of how an agent gets one kind (`PUT /notifications/preferences`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceChange {
    /// The kind.
    pub kind: NotificationKind,
    /// On the bell in the workspace (off: the kind is not notified at all).
    pub in_app: bool,
    /// Also as a browser notification.
    pub browser: bool,
    /// Also in the email digest; absent keeps what was set.
    #[serde(default)]
    pub email: Option<bool>,
}

/// `PUT /notifications/preferences`: the kinds to change, each at most once.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceChanges {
    /// One entry per kind to change.
    pub preferences: Vec<PreferenceChange>,
}

/// Every kind's preference of a user: the stored ones, defaults for the rest, in the kinds'
/// order.
pub(crate) fn complete(stored: &[Preference]) -> Vec<Preference> {
    NotificationKind::ALL
        .iter()
        .map(|kind| {
            stored
                .iter()
                .find(|p| p.kind == *kind)
                .copied()
                .unwrap_or_else(|| Preference::default_for(*kind))
        })
        .collect()
}

/// An agent's notification preferences, one per kind (`GET` and `PUT` answer every kind).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// One entry per kind.
    pub preferences: Vec<Preference>,
}

/// `POST /tickets/{id}/help`: ask a colleague for help on a ticket.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HelpRequest {
    /// The colleague asked (an active staff user who may see the ticket).
    pub colleague_id: i64,
    /// What help is needed, 1 to 2000 characters; kept as an internal note.
    pub request: String,
}
