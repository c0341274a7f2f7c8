//! Recording reads of customer data in the access log: every handler that shows a
//! customer's record or a ticket's conversation calls [`record`] after the read succeeded,
//! with the client address the web layer determines ([`crate::extract::Origin`]).

use tiski_app::App;
use tiski_kernel::Actor;
use tiski_ticketing::access::{Access, Reader, Surface};

/// Records `accesses` by `actor` from `client` through `surface`; returns at once unless the
/// access log's buffer is full.
pub async fn record(
    app: &App,
    actor: &Actor,
    client: Option<String>,
    surface: Surface,
    accesses: &[Access],
) {
    app.ticketing
        .record_access(
            Reader {
                actor,
                client,
                surface,
            },
            accesses,
        )
        .await;
}
