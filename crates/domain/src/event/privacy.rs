//! Payloads of the data subject's rights: exports, erasures and retention. Like every
//! payload they hold ids and counts, never the data they are about.

use crate::wire_enum;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A customer's data was exported (GDPR access request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CustomerExported {
    /// The customer.
    pub customer_id: i64,
    /// Tickets in the export.
    pub tickets: i64,
    /// Files in the export.
    pub files: i64,
}

/// A customer was erased: identities, notes and conversations are gone, the anonymised
/// skeletons of their tickets stay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CustomerErased {
    /// The customer (the row stays, anonymised, so ticket statistics still count).
    pub customer_id: i64,
    /// Tickets whose conversations were erased.
    pub tickets: i64,
    /// Messages deleted.
    pub messages: i64,
}

wire_enum! {
    /// Why a ticket's conversation was erased.
    ErasureReason, "erasure reason" {
        /// The customer was erased.
        Customer = "customer",
        /// The retention policy for closed tickets.
        Retention = "retention",
    }
}

/// A ticket's conversation (subject, messages, files, CCs, mail copies) was erased; its
/// skeleton (status, priority, team, times) stays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TicketConversationErased {
    /// Messages deleted.
    pub messages: i64,
    /// Why.
    pub reason: ErasureReason,
}
