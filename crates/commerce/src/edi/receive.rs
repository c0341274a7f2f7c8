//! Receiving an interchange: kept raw first, then read, its purchase orders made into
//! orders for the partner's customer, and the acknowledgements queued — all in one
//! transaction, so an interchange is never half taken and never lost.

use super::ack::{self, OrderResult, Stamp, Verdicts};
use super::map::{self, PurchaseOrder};
use super::{EdiProblem, Interchange, InterchangeView, Outbound, Partner};
use crate::money::{Currency, format_amount};
use crate::orders::{AskedLine, Order, OrderView, price};
use crate::rules::{self, OrderStatus};
use crate::{Commerce, repo};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use tiski_domain::Permission;
use tiski_domain::event::{
    EdiInterchangeAccepted, EdiInterchangeReceived, EdiInterchangeRejected, OrderCreated,
};
use tiski_edi::{Code, Problem, Syntax};
use tiski_kernel::{Actor, AppError, AppResult, ErrorCode, Tx};

/// How an interchange arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdiSource {
    /// `POST /api/v1/edi`.
    Api,
    /// The watched drop folder.
    Folder,
    /// An email attachment.
    Email,
}

impl EdiSource {
    fn as_str(self) -> &'static str {
        match self {
            EdiSource::Api => "api",
            EdiSource::Folder => "folder",
            EdiSource::Email => "email",
        }
    }
}

/// What receiving made: the interchange as kept (its state says whether it was refused) and
/// the orders made from it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReceiveOutcome {
    /// The interchange, with the acknowledgements queued.
    pub interchange: InterchangeView,
    /// The orders made.
    pub orders: Vec<OrderView>,
}

/// Text of the body: UTF-8, or else ISO 8859-1 (EDIFACT UNOB/UNOC and older X12 are one
/// byte a character).
pub fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

fn syntax_name(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::X12 => "x12",
        Syntax::Edifact => "edifact",
    }
}

fn problem_view(p: &Problem) -> EdiProblem {
    EdiProblem {
        path: p.path.clone(),
        code: p.code.as_str().into(),
        message: p.message.clone(),
    }
}

fn stamp(now: i64) -> Stamp {
    let at = jiff::Timestamp::from_microsecond(now).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let t = jiff::tz::TimeZone::UTC.to_datetime(at);
    Stamp {
        short_date: t.strftime("%y%m%d").to_string(),
        date: t.strftime("%Y%m%d").to_string(),
        time: t.strftime("%H%M").to_string(),
    }
}

/// An answer's interchange control number: from the received interchange's id, so it is
/// unique without a counter (`k` tells the answers to one interchange apart).
fn control(id: i64, k: i64) -> String {
    format!("{:09}", (id * 10 + k).rem_euclid(1_000_000_000))
}

/// The lines of a purchase order, each taken (priced from the catalog) or refused with a
/// problem; the order made from the taken ones.
struct Lines {
    taken: Vec<bool>,
    asked: Vec<AskedLine>,
    problems: Vec<EdiProblem>,
}

fn resolve(
    tx: &mut Tx<'_, '_>,
    partner: &Partner,
    currency: Currency,
    po: &PurchaseOrder,
) -> AppResult<Lines> {
    let map: HashMap<String, String> = partner.sku_map.clone().into_iter().collect();
    let mut out = Lines {
        taken: Vec::new(),
        asked: Vec::new(),
        problems: Vec::new(),
    };
    for line in po.lines.iter().take(rules::MAX_LINES) {
        let refuse = |out: &mut Lines, path: &str, code: &str, message: String| {
            out.taken.push(false);
            out.problems.push(EdiProblem {
                path: path.into(),
                code: code.into(),
                message,
            });
        };
        let Some(quantity) = line
            .whole_quantity()
            .filter(|q| (1..=rules::MAX_QUANTITY).contains(q))
        else {
            refuse(
                &mut out,
                &line.quantity_path,
                "bad_value",
                format!(
                    "The quantity is a whole number from 1 to {}.",
                    rules::MAX_QUANTITY
                ),
            );
            continue;
        };
        let Some(sku) = line.sku(&map).and_then(|s| rules::sku("sku", &s).ok()) else {
            refuse(
                &mut out,
                &line.path,
                "unknown_sku",
                "The line names no product id that is a SKU.".into(),
            );
            continue;
        };
        let asked = AskedLine { sku, quantity };
        match price(tx, currency, std::slice::from_ref(&asked)) {
            Ok(_) => {
                out.taken.push(true);
                out.asked.push(asked);
            }
            Err(AppError::Invalid { message, .. }) => {
                refuse(&mut out, &line.path, "unknown_sku", message)
            }
            Err(other) => return Err(other),
        }
    }
    for line in po.lines.iter().skip(rules::MAX_LINES) {
        out.taken.push(false);
        out.problems.push(EdiProblem {
            path: line.path.clone(),
            code: "bad_value".into(),
            message: format!("An order has at most {} lines.", rules::MAX_LINES),
        });
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn make_order(
    tx: &mut Tx<'_, '_>,
    partner: &Partner,
    currency: Currency,
    po: &PurchaseOrder,
    asked: &[AskedLine],
    interchange_id: i64,
) -> AppResult<OrderView> {
    let (lines, totals, promised_date) = price(tx, currency, asked)?;
    let now = tx.now();
    let order = Order {
        id: 0,
        customer_id: partner.customer_id,
        ticket_id: None,
        currency,
        status: OrderStatus::Placed,
        totals,
        promised_date,
        created_by: tx.actor().id,
        created_at: now,
        updated_at: now,
        channel: "edi".into(),
        source_interchange_id: Some(interchange_id),
        source_reference: Some(po.reference.chars().take(64).collect()),
    };
    let id = repo::orders::insert(tx.conn(), &order)?;
    repo::orders::set_lines(tx.conn(), id, &lines)?;
    tx.emit(
        None,
        OrderCreated {
            order_id: id,
            customer_id: partner.customer_id,
            status: OrderStatus::Placed.as_str().into(),
            currency: currency.code().into(),
            total: format_amount(totals.total, currency),
            lines: lines.len() as i64,
        },
    )?;
    Ok(Order { id, ..order }.view(&lines, 0))
}

/// Reads the interchange's orders and answers it; fills `record` with what happened.
fn take(
    tx: &mut Tx<'_, '_>,
    ic: &tiski_edi::Interchange,
    partner: Option<&Partner>,
    record: &mut Interchange,
) -> AppResult<(Vec<OrderView>, Vec<Outbound>)> {
    let mut verdicts: Verdicts = ack::judge(ic, partner.is_some(), map::order_kind(ic.syntax));
    let mut orders = Vec::new();
    let mut pos = Vec::new();
    let mut line_problems = Vec::new();
    if let Some(partner) = partner {
        for group in &ic.groups {
            for m in &group.messages {
                if !verdicts.accepted(group.number, m.number) {
                    continue;
                }
                let po = match map::read(m, ic.syntax) {
                    Ok(po) => po,
                    Err(p) => {
                        verdicts.messages.insert(m.number, p);
                        continue;
                    }
                };
                let code = po
                    .currency
                    .as_deref()
                    .filter(|c| !c.is_empty())
                    .unwrap_or(&partner.currency);
                let Ok(currency) = Currency::parse(code) else {
                    let path = format!(
                        "{}/{}",
                        m.path(),
                        if ic.syntax == Syntax::X12 {
                            "CUR[1]/02"
                        } else {
                            "CUX[1]/01"
                        }
                    );
                    verdicts.messages.insert(
                        m.number,
                        Problem::new(
                            path,
                            Code::BadValue,
                            "The currency is not an ISO 4217 code.",
                        ),
                    );
                    continue;
                };
                let lines = resolve(tx, partner, currency, &po)?;
                let order = if lines.asked.is_empty() {
                    None
                } else {
                    Some(make_order(
                        tx,
                        partner,
                        currency,
                        &po,
                        &lines.asked,
                        record.id,
                    )?)
                };
                line_problems.extend(lines.problems);
                pos.push((m, po, order.as_ref().map(|o| o.id), lines.taken));
                orders.extend(order);
            }
        }
    }
    let stamp = stamp(tx.now());
    let results: Vec<OrderResult<'_>> = pos
        .iter()
        .map(|(m, po, id, taken)| OrderResult {
            message: m,
            po,
            order_id: *id,
            lines: taken.clone(),
        })
        .collect();
    let mut answers = vec![ack::functional(
        ic,
        &verdicts,
        &control(record.id, 1),
        &stamp,
    )];
    answers.extend(ack::responses(ic, &results, &control(record.id, 2), &stamp));
    let mut outbound = Vec::new();
    for answer in answers {
        let mut o = Outbound {
            id: 0,
            interchange_id: record.id,
            partner_id: partner.map(|p| p.id),
            kind: answer.kind.into(),
            control: answer.control,
            body: answer.body,
            state: "queued".into(),
            created_at: tx.now(),
        };
        o.id = repo::edi::insert_outbound(tx.conn(), &o)?;
        outbound.push(o);
    }
    let mut seen = HashSet::new();
    let mut problems: Vec<EdiProblem> = verdicts
        .first()
        .into_iter()
        .chain(verdicts.interchange.iter())
        .chain(ic.all_problems())
        .chain(verdicts.groups.values())
        .chain(verdicts.messages.values())
        .map(problem_view)
        .chain(line_problems)
        .filter(|p| seen.insert((p.path.clone(), p.code.clone())))
        .collect();
    problems.truncate(200);
    record.order_ids = orders.iter().map(|o: &OrderView| o.id).collect();
    record.state = match (orders.is_empty(), problems.is_empty()) {
        (true, _) => "rejected",
        (false, true) => "accepted",
        (false, false) => "partial",
    }
    .into();
    if let Some(first) = problems.first() {
        record.reason_code = Some(first.code.clone());
        record.reason_path = Some(first.path.clone());
        record.reason = Some(first.message.clone());
    } else if orders.is_empty() {
        record.reason_code = Some("no_orders".into());
        record.reason = Some("The interchange holds no purchase order.".into());
    }
    record.problems = problems;
    Ok((orders, outbound))
}

impl Commerce {
    /// Receives one interchange: keeps it raw, reads it, makes an order (status `placed`,
    /// channel `edi`) of each purchase order of a known partner, and queues the
    /// acknowledgements. A refused interchange is kept too, with its state `rejected` and the
    /// reason, and answered with a rejecting acknowledgement whenever its header was readable.
    pub async fn receive_edi(
        &self,
        actor: &Actor,
        syntax: Syntax,
        bytes: &[u8],
        source: EdiSource,
        source_name: Option<String>,
    ) -> AppResult<ReceiveOutcome> {
        let grant = actor.grant(Permission::EdiReceive)?;
        actor.grant(Permission::OrderWrite)?;
        let limit = self.kernel.settings().max_edi_bytes;
        if bytes.len() > limit {
            return Err(AppError::conflict(
                ErrorCode::BodyTooLarge,
                "body",
                format!("An interchange has at most {limit} bytes."),
            ));
        }
        let text = decode(bytes);
        let raw = text.replace('\0', "\u{2400}");
        let parsed = tiski_edi::parse(&text, syntax);
        let source_name = source_name.map(|n| n.chars().take(255).collect::<String>());
        self.kernel
            .command(&grant, "edi.receive", move |tx| {
                let actor = tx.actor().clone();
                let header = parsed.as_ref().ok();
                let partner = match header {
                    Some(ic) => repo::edi::partner_by_sender(
                        tx.conn(),
                        &ic.sender.id,
                        &ic.sender.qualifier,
                    )?,
                    None => None,
                };
                let clip = |s: &str| s.chars().take(64).collect::<String>();
                let mut record = Interchange {
                    id: 0,
                    syntax: syntax_name(syntax).into(),
                    source: source.as_str().into(),
                    source_name: source_name.clone(),
                    partner_id: partner.as_ref().map(|p| p.id),
                    sender_id: header.map(|h| clip(&h.sender.id)).unwrap_or_default(),
                    sender_qualifier: header
                        .map(|h| clip(&h.sender.qualifier))
                        .unwrap_or_default(),
                    control: header.map(|h| clip(&h.control)).unwrap_or_default(),
                    state: "received".into(),
                    reason_code: None,
                    reason_path: None,
                    reason: None,
                    problems: Vec::new(),
                    order_ids: Vec::new(),
                    received_by: actor.id,
                    received_at: tx.now(),
                    raw: None,
                };
                record.id = repo::edi::insert_interchange(tx.conn(), &record, &raw)?;
                tx.emit(
                    None,
                    EdiInterchangeReceived {
                        interchange_id: record.id,
                        syntax: record.syntax.clone(),
                        source: record.source.clone(),
                    },
                )?;
                let (orders, outbound) = match &parsed {
                    Err(fatal) => {
                        let p = problem_view(&fatal.problem);
                        record.state = "rejected".into();
                        record.reason_code = Some(p.code.clone());
                        record.reason_path = Some(p.path.clone());
                        record.reason = Some(p.message.clone());
                        record.problems = vec![p];
                        (Vec::new(), Vec::new())
                    }
                    Ok(ic) => take(tx, ic, partner.as_ref(), &mut record)?,
                };
                repo::edi::finish_interchange(tx.conn(), &record)?;
                let outbound_ids = outbound.iter().map(|o| o.id).collect();
                match partner.as_ref().filter(|_| !orders.is_empty()) {
                    Some(p) => tx.emit(
                        None,
                        EdiInterchangeAccepted {
                            interchange_id: record.id,
                            partner_id: p.id,
                            state: record.state.clone(),
                            order_ids: record.order_ids.clone(),
                            outbound_ids,
                        },
                    )?,
                    None => tx.emit(
                        None,
                        EdiInterchangeRejected {
                            interchange_id: record.id,
                            partner_id: record.partner_id,
                            reason: record.reason_code.clone().unwrap_or_default(),
                            outbound_ids,
                        },
                    )?,
                }
                Ok(ReceiveOutcome {
                    interchange: record.view(&outbound),
                    orders,
                })
            })
            .await
    }
}
