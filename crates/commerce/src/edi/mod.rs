//! EDI intake: trading partners, interchanges kept raw with their state and reason, purchase
//! orders made into orders, and the acknowledgements queued for the partner. The envelope
//! reader and writer is `tiski_edi`; [`map`] reads orders out of messages and [`ack`] builds
//! the answers, both pure.

pub mod ack;
pub mod map;
mod receive;

use crate::money::Currency;
use crate::{Commerce, repo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tiski_domain::Permission;
use tiski_domain::event::EdiPartnerCreated;
use tiski_kernel::{Actor, AppError, AppResult, ErrorCode, Page, cursor, time};

pub use receive::{EdiSource, ReceiveOutcome, decode};

/// The syntax of a file of unknown kind: X12 when it starts with ISA (after a byte-order
/// mark or whitespace), else EDIFACT.
pub fn sniff(bytes: &[u8]) -> tiski_edi::Syntax {
    let start: Vec<u8> = bytes
        .iter()
        .copied()
        .skip_while(|b| b.is_ascii_whitespace() || matches!(b, 0xef | 0xbb | 0xbf))
        .take(3)
        .collect();
    if start == b"ISA" {
        tiski_edi::Syntax::X12
    } else {
        tiski_edi::Syntax::Edifact
    }
}

/// A new trading partner: who sends (as in ISA06/ISA05 or UNB 0004/0007), for which
/// customer, and their SKUs mapped to ours.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPartner {
    /// A name for people, 1 to 200 characters.
    pub name: String,
    /// The sender id, 1 to 35 characters (padding trimmed).
    pub sender_id: String,
    /// The sender id's qualifier (`ZZ`, `01`, `14`), 0 to 4 characters.
    pub sender_qualifier: String,
    /// The customer the partner's orders are for.
    pub customer_id: i64,
    /// Their part number → our SKU (at most 10,000 entries).
    #[serde(default)]
    pub sku_map: BTreeMap<String, String>,
    /// The currency of their orders when an order names none (default `EUR`).
    pub currency: Option<String>,
}

/// A trading partner.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PartnerView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The sender id.
    pub sender_id: String,
    /// Its qualifier.
    pub sender_qualifier: String,
    /// Whose orders.
    pub customer_id: i64,
    /// Their part number → our SKU.
    pub sku_map: BTreeMap<String, String>,
    /// The currency of orders that name none.
    pub currency: String,
    /// When it was added.
    pub created_at: String,
}

/// A partner as stored.
#[derive(Debug, Clone)]
pub(crate) struct Partner {
    pub id: i64,
    pub name: String,
    pub sender_id: String,
    pub sender_qualifier: String,
    pub customer_id: i64,
    pub currency: String,
    pub sku_map: BTreeMap<String, String>,
    pub created_at: i64,
}

impl Partner {
    fn view(&self) -> PartnerView {
        PartnerView {
            id: self.id,
            name: self.name.clone(),
            sender_id: self.sender_id.clone(),
            sender_qualifier: self.sender_qualifier.clone(),
            customer_id: self.customer_id,
            sku_map: self.sku_map.clone(),
            currency: self.currency.clone(),
            created_at: time::format(self.created_at),
        }
    }
}

/// One problem found in an interchange: the segment path (see `tiski_edi`), a code and a
/// sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EdiProblem {
    /// Where, e.g. `ST[1]/PO1[3]/02`.
    pub path: String,
    /// `count_mismatch`, `control_mismatch`, `unknown_partner`, `unsupported`, `unknown_sku` …
    pub code: String,
    /// Why, for people.
    pub message: String,
}

/// An interchange as stored.
#[derive(Debug, Clone)]
pub(crate) struct Interchange {
    pub id: i64,
    pub syntax: String,
    pub source: String,
    pub source_name: Option<String>,
    pub partner_id: Option<i64>,
    pub sender_id: String,
    pub sender_qualifier: String,
    pub control: String,
    pub state: String,
    pub reason_code: Option<String>,
    pub reason_path: Option<String>,
    pub reason: Option<String>,
    pub problems: Vec<EdiProblem>,
    pub order_ids: Vec<i64>,
    pub received_by: i64,
    pub received_at: i64,
    pub raw: Option<String>,
}

/// An answer queued for a partner, as stored.
#[derive(Debug, Clone)]
pub(crate) struct Outbound {
    pub id: i64,
    pub interchange_id: i64,
    pub partner_id: Option<i64>,
    pub kind: String,
    pub control: String,
    pub body: String,
    pub state: String,
    pub created_at: i64,
}

/// An acknowledgement queued for the partner (an outbound interchange).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OutboundView {
    /// Id.
    pub id: i64,
    /// `TA1`, `997`, `855`, `CONTRL` or `ORDRSP`.
    pub kind: String,
    /// Its interchange control number.
    pub control: String,
    /// `queued` (delivery to the partner is not built yet).
    pub state: String,
    /// The interchange text.
    pub body: String,
    /// When it was queued.
    pub created_at: String,
}

impl Outbound {
    fn view(&self) -> OutboundView {
        OutboundView {
            id: self.id,
            kind: self.kind.clone(),
            control: self.control.clone(),
            state: self.state.clone(),
            body: self.body.clone(),
            created_at: time::format(self.created_at),
        }
    }
}

/// A received interchange: its state, the reason when refused, what it made, and (read one
/// by one) its raw text and the acknowledgements queued.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct InterchangeView {
    /// Id.
    pub id: i64,
    /// `x12` or `edifact`.
    pub syntax: String,
    /// `api`, `folder` or `email`.
    pub source: String,
    /// The file or attachment name it came as.
    pub source_name: Option<String>,
    /// The trading partner, when the sender is one.
    pub partner_id: Option<i64>,
    /// The sender id as read (empty when the header was unreadable).
    pub sender_id: String,
    /// Its qualifier.
    pub sender_qualifier: String,
    /// ISA13 or UNB 0020.
    pub control: String,
    /// `accepted` (every message), `partial` (orders made, something refused) or `rejected`
    /// (no order made).
    pub state: String,
    /// The first problem's code, when something was refused.
    pub reason_code: Option<String>,
    /// Its segment path.
    pub reason_path: Option<String>,
    /// Its sentence.
    pub reason: Option<String>,
    /// Every problem found.
    pub problems: Vec<EdiProblem>,
    /// The orders made from it.
    pub order_ids: Vec<i64>,
    /// When it was received.
    pub received_at: String,
    /// The raw text (only when read by id; NUL characters are kept as U+2400).
    pub raw: Option<String>,
    /// The acknowledgements queued (only when read by id or just received).
    pub acknowledgements: Vec<OutboundView>,
}

impl Interchange {
    fn view(&self, acks: &[Outbound]) -> InterchangeView {
        InterchangeView {
            id: self.id,
            syntax: self.syntax.clone(),
            source: self.source.clone(),
            source_name: self.source_name.clone(),
            partner_id: self.partner_id,
            sender_id: self.sender_id.clone(),
            sender_qualifier: self.sender_qualifier.clone(),
            control: self.control.clone(),
            state: self.state.clone(),
            reason_code: self.reason_code.clone(),
            reason_path: self.reason_path.clone(),
            reason: self.reason.clone(),
            problems: self.problems.clone(),
            order_ids: self.order_ids.clone(),
            received_at: time::format(self.received_at),
            raw: self.raw.clone(),
            acknowledgements: acks.iter().map(Outbound::view).collect(),
        }
    }
}

/// A page of a list (`limit`, `cursor`).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EdiPaging {
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn text(field: &str, value: &str, min: usize, max: usize) -> AppResult<String> {
    let value = value.trim();
    let n = value.chars().count();
    if n < min || n > max || value.chars().any(char::is_control) {
        return Err(AppError::invalid(
            field,
            format!("Give {min} to {max} characters without control characters."),
        ));
    }
    Ok(value.to_string())
}

/// The most entries a partner's SKU map holds.
const MAX_SKU_MAP: usize = 10_000;

impl Commerce {
    /// Adds a trading partner. Admins only.
    pub async fn create_edi_partner(
        &self,
        actor: &Actor,
        input: NewPartner,
    ) -> AppResult<PartnerView> {
        let grant = actor.grant(Permission::EdiPartnerManage)?;
        let name = text("name", &input.name, 1, 200)?;
        let sender_id = text("sender_id", &input.sender_id, 1, 35)?;
        let sender_qualifier = text("sender_qualifier", &input.sender_qualifier, 0, 4)?;
        let currency = Currency::parse(input.currency.as_deref().unwrap_or("EUR"))
            .map_err(|e| e.at("currency"))?;
        if input.sku_map.len() > MAX_SKU_MAP {
            return Err(AppError::invalid(
                "sku_map",
                format!("At most {MAX_SKU_MAP} entries."),
            ));
        }
        let mut sku_map = BTreeMap::new();
        for (theirs, ours) in &input.sku_map {
            let field = format!("sku_map/{theirs}");
            let theirs = text(&field, theirs, 1, 48)?;
            let ours = crate::rules::sku(&field, ours.trim())?;
            sku_map.insert(theirs, ours);
        }
        let customer_id = input.customer_id;
        self.kernel
            .command(&grant, "edi.partner.create", move |tx| {
                let actor = tx.actor().clone();
                if !tiski_ticketing::customers::is_visible(tx.conn(), &actor, customer_id)? {
                    return Err(AppError::invalid(
                        "customer_id",
                        "No customer you can see has this id.",
                    ));
                }
                if repo::edi::partner_by_sender(tx.conn(), &sender_id, &sender_qualifier)?.is_some()
                {
                    return Err(AppError::conflict(
                        ErrorCode::EdiPartnerTaken,
                        "sender_id",
                        "A trading partner sends with this id and qualifier already.",
                    ));
                }
                let mut partner = Partner {
                    id: 0,
                    name: name.clone(),
                    sender_id: sender_id.clone(),
                    sender_qualifier: sender_qualifier.clone(),
                    customer_id,
                    currency: currency.code().to_string(),
                    sku_map: sku_map.clone(),
                    created_at: tx.now(),
                };
                partner.id = repo::edi::insert_partner(tx.conn(), &partner, actor.id)?;
                tx.emit(
                    None,
                    EdiPartnerCreated {
                        partner_id: partner.id,
                        customer_id,
                    },
                )?;
                Ok(partner.view())
            })
            .await
    }

    /// Trading partners, newest first.
    pub async fn list_edi_partners(
        &self,
        actor: &Actor,
        paging: EdiPaging,
    ) -> AppResult<Page<PartnerView>> {
        let grant = actor.grant(Permission::EdiReceive)?;
        let limit = cursor::limit(paging.limit)?;
        let before = cursor::before_id(paging.cursor.as_deref())?;
        self.kernel
            .query(&grant, move |conn| {
                let views = repo::edi::partners(conn, before, limit + 1)?
                    .iter()
                    .map(Partner::view)
                    .collect();
                Ok(cursor::page_by_id(views, limit, true, |p: &PartnerView| {
                    p.id
                }))
            })
            .await
    }

    /// Received interchanges, newest first: admins every one, others those they sent.
    pub async fn list_edi_interchanges(
        &self,
        actor: &Actor,
        paging: EdiPaging,
    ) -> AppResult<Page<InterchangeView>> {
        let grant = actor.grant(Permission::EdiReceive)?;
        let limit = cursor::limit(paging.limit)?;
        let before = cursor::before_id(paging.cursor.as_deref())?;
        let by = (!actor.is_admin()).then_some(actor.id);
        self.kernel
            .query(&grant, move |conn| {
                let views = repo::edi::interchanges(conn, by, before, limit + 1)?
                    .iter()
                    .map(|i| i.view(&[]))
                    .collect();
                Ok(cursor::page_by_id(
                    views,
                    limit,
                    true,
                    |i: &InterchangeView| i.id,
                ))
            })
            .await
    }

    /// One interchange with its raw text and acknowledgements (admins: any; others: those
    /// they sent; 404 otherwise).
    pub async fn get_edi_interchange(&self, actor: &Actor, id: i64) -> AppResult<InterchangeView> {
        let grant = actor.grant(Permission::EdiReceive)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let found = repo::edi::interchange_by_id(conn, id)?
                    .filter(|i| actor.is_admin() || i.received_by == actor.id)
                    .ok_or(AppError::not_found("interchange"))?;
                let acks = repo::edi::outbound_of(conn, id)?;
                Ok(found.view(&acks))
            })
            .await
    }
}
