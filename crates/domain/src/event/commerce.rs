//! Payloads of the commerce context: products, orders and refunds. Ids, states, currencies
//! and amounts (as the API's decimal strings) only; never a customer's details.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A product or service was added to the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProductCreated {
    /// The product.
    pub product_id: i64,
    /// Its SKU.
    pub sku: String,
}

/// A product's details changed: which fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProductUpdated {
    /// The product.
    pub product_id: i64,
    /// The fields that changed (`prices`, `names`, `vat_rate` …).
    pub changed: Vec<String>,
}

/// An order was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrderCreated {
    /// The order.
    pub order_id: i64,
    /// Whose.
    pub customer_id: i64,
    /// Its status (`draft` or `placed`).
    pub status: String,
    /// Its currency.
    pub currency: String,
    /// Its total with VAT, a decimal string.
    pub total: String,
    /// How many lines it has.
    pub lines: i64,
}

/// An order's lines or ticket changed: which fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrderUpdated {
    /// The order.
    pub order_id: i64,
    /// The fields that changed (`lines`, `ticket_id`).
    pub changed: Vec<String>,
}

/// An order's status changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrderStatusChanged {
    /// The order.
    pub order_id: i64,
    /// The status before.
    pub from: String,
    /// The status now.
    pub to: String,
}

/// A refund was asked for: `approved` at once within the requester's limit, `requested`
/// (waiting for an approver) beyond it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RefundRequested {
    /// The refund.
    pub refund_id: i64,
    /// The order refunded, if any.
    pub order_id: Option<i64>,
    /// The amount, a decimal string.
    pub amount: String,
    /// Its currency.
    pub currency: String,
    /// Its state after the request.
    pub state: String,
}

/// A waiting refund was approved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RefundApproved {
    /// The refund.
    pub refund_id: i64,
    /// Who approved it.
    pub approver_id: i64,
}

/// A waiting refund was rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RefundRejected {
    /// The refund.
    pub refund_id: i64,
    /// Who rejected it.
    pub approver_id: i64,
}

/// An EDI trading partner was added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EdiPartnerCreated {
    /// The partner.
    pub partner_id: i64,
    /// The customer its orders are for.
    pub customer_id: i64,
}

/// An EDI interchange was received and kept raw (before it was read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EdiInterchangeReceived {
    /// The interchange.
    pub interchange_id: i64,
    /// `x12` or `edifact`.
    pub syntax: String,
    /// `api`, `folder` or `email`.
    pub source: String,
}

/// An EDI interchange was accepted, wholly (`accepted`) or in part (`partial`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EdiInterchangeAccepted {
    /// The interchange.
    pub interchange_id: i64,
    /// The trading partner.
    pub partner_id: i64,
    /// `accepted` or `partial`.
    pub state: String,
    /// The orders made from it.
    pub order_ids: Vec<i64>,
    /// The acknowledgements queued for the partner.
    pub outbound_ids: Vec<i64>,
}

/// An EDI interchange was refused: no order was made from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EdiInterchangeRejected {
    /// The interchange.
    pub interchange_id: i64,
    /// The trading partner, when the sender is one.
    pub partner_id: Option<i64>,
    /// Why, as a code (`unknown_partner`, `count_mismatch`, `unsupported` …).
    pub reason: String,
    /// The rejecting acknowledgements queued, if the envelope could be answered.
    pub outbound_ids: Vec<i64>,
}
