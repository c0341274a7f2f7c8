//! The commerce context: money in exact minor units ([`money`]), the product catalog, orders
//! with their VAT and promised dates, and refunds within per-role limits.
//!
//! Its tables are `products`, `product_terms`, `orders`, `order_lines`, `refunds`,
//! `refund_limits`, `edi_partners`, `edi_interchanges` and `edi_outbound`; all of its SQL is in `repo`. It reads customers and tickets through
//! ticketing's read functions (their scopes decide what an order may name) and never calls
//! up.

mod catalog;
pub mod edi;
pub mod import;
pub mod money;
mod orders;
mod refunds;
mod repo;
pub mod rules;

pub use catalog::{NewProduct, ProductFilter, ProductKind, ProductPatch, ProductView};
pub use edi::{
    EdiPaging, EdiProblem, EdiSource, InterchangeView, NewPartner, OutboundView, PartnerView,
    ReceiveOutcome,
};
pub use orders::{NewLine, NewOrder, OrderFilter, OrderLineView, OrderPatch, OrderView};
pub use refunds::{NewRefund, RefundState, RefundView};
pub use rules::{OrderStatus, Price};
pub use tiski_edi::Syntax as EdiSyntax;

use tiski_kernel::Kernel;

/// The commerce context. Cheap to clone.
#[derive(Clone)]
pub struct Commerce {
    kernel: Kernel,
}

impl Commerce {
    /// The commerce context on a kernel.
    pub fn new(kernel: Kernel) -> Commerce {
        Commerce { kernel }
    }
}
