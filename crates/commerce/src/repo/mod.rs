//! The commerce repository: all SQL over the tables this context owns (`products`,
//! `product_terms`, `orders`, `order_lines`, `refunds`, `refund_limits`).

pub(crate) mod edi;
pub(crate) mod orders;
pub(crate) mod products;
pub(crate) mod refunds;
