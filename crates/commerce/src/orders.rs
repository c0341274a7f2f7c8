//! Orders: a customer's lines of catalog items at the prices of the day they were taken, with
//! VAT per line, totals, a promised date and a status with enforced transitions.

use crate::money::{self, Currency, LineAmounts, VatRate, format_amount};
use crate::rules::{self, OrderStatus};
use crate::{Commerce, repo};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tiski_domain::Permission;
use tiski_domain::event::{OrderCreated, OrderStatusChanged, OrderUpdated};
use tiski_kernel::{
    Actor, AppError, AppResult, Conn, ErrorCode, Idempotency, Page, Stored, Tx, cursor,
    idempotency, time,
};

/// One line of a new order: a SKU of the catalog and how many.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLine {
    /// The SKU.
    #[schema(value_type = String)]
    pub sku: Value,
    /// How many, 1 to 1,000,000.
    #[schema(value_type = i64)]
    pub quantity: Value,
}

/// A new order.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    /// The customer ordering (within the caller's customer scope).
    pub customer_id: i64,
    /// The ISO 4217 currency every line is priced in.
    pub currency: String,
    /// 1 to 200 lines.
    pub lines: Vec<NewLine>,
    /// The ticket the order came from (within the caller's ticket scope).
    pub ticket_id: Option<i64>,
    /// `draft` (default) or `placed`.
    pub status: Option<OrderStatus>,
}

/// A change to an order; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderPatch {
    /// The next status (transitions are checked).
    pub status: Option<OrderStatus>,
    /// The complete new lines, priced anew (drafts only).
    pub lines: Option<Vec<NewLine>>,
    /// The ticket it came from, or `null` for none.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<i64>)]
    pub ticket_id: Option<Option<i64>>,
}

/// An order line as the API shows it; its prices were fixed when the line was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderLineView {
    /// The SKU ordered.
    pub sku: String,
    /// The product.
    pub product_id: i64,
    /// How many.
    pub quantity: i64,
    /// The unit price at order time, a decimal string.
    pub unit_price: String,
    /// The VAT rate at order time, in percent.
    pub vat_rate: String,
    /// Whether the unit price included VAT.
    pub prices_include_vat: bool,
    /// The line without VAT.
    pub net: String,
    /// The line's VAT, rounded half-up.
    pub vat: String,
    /// The line with VAT.
    pub total: String,
}

/// An order as the API shows it. Money is decimal strings of `currency`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderView {
    /// Id.
    pub id: i64,
    /// The customer.
    pub customer_id: i64,
    /// The ticket it came from.
    pub ticket_id: Option<i64>,
    /// ISO 4217 code.
    pub currency: String,
    /// Its status.
    pub status: OrderStatus,
    /// The lines.
    pub lines: Vec<OrderLineView>,
    /// The sum of the lines without VAT.
    pub net: String,
    /// The sum of the lines' VAT.
    pub vat: String,
    /// The sum of the lines with VAT.
    pub total: String,
    /// What refunds have taken or asked for of it (approved and waiting).
    pub refunded: String,
    /// The date delivery is promised for (`YYYY-MM-DD`): the day it was priced plus the
    /// longest lead time of its lines, in business days (Monday to Friday).
    pub promised_date: String,
    /// Who took it.
    pub created_by: i64,
    /// When.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// How it came: `desk` (taken in tiski or through the API) or `edi`.
    pub channel: String,
    /// The EDI interchange it was made from (`GET /api/v1/edi/interchanges/{id}`).
    pub source_interchange_id: Option<i64>,
    /// The customer's own reference for it (the purchase order number).
    pub source_reference: Option<String>,
}

/// A priced line, as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub sku: String,
    pub product_id: i64,
    pub quantity: i64,
    pub unit_price: i64,
    pub vat_rate: i64,
    pub prices_include_vat: bool,
    pub amounts: LineAmounts,
}

/// An order as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Order {
    pub id: i64,
    pub customer_id: i64,
    pub ticket_id: Option<i64>,
    pub currency: Currency,
    pub status: OrderStatus,
    pub totals: LineAmounts,
    pub promised_date: String,
    pub created_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub channel: String,
    pub source_interchange_id: Option<i64>,
    pub source_reference: Option<String>,
}

impl Order {
    pub(crate) fn view(&self, lines: &[Line], refunded: i64) -> OrderView {
        let money = |minor| format_amount(minor, self.currency);
        OrderView {
            id: self.id,
            customer_id: self.customer_id,
            ticket_id: self.ticket_id,
            currency: self.currency.code().to_string(),
            status: self.status,
            lines: lines
                .iter()
                .map(|l| OrderLineView {
                    sku: l.sku.clone(),
                    product_id: l.product_id,
                    quantity: l.quantity,
                    unit_price: money(l.unit_price),
                    vat_rate: VatRate::from_hundredths(l.vat_rate).to_string(),
                    prices_include_vat: l.prices_include_vat,
                    net: money(l.amounts.net),
                    vat: money(l.amounts.vat),
                    total: money(l.amounts.total),
                })
                .collect(),
            net: money(self.totals.net),
            vat: money(self.totals.vat),
            total: money(self.totals.total),
            refunded: money(refunded),
            promised_date: self.promised_date.clone(),
            created_by: self.created_by,
            created_at: time::format(self.created_at),
            updated_at: time::format(self.updated_at),
            channel: self.channel.clone(),
            source_interchange_id: self.source_interchange_id,
            source_reference: self.source_reference.clone(),
        }
    }
}

/// A line as asked for: the SKU and the quantity, checked for form.
#[derive(Debug, Clone)]
pub(crate) struct AskedLine {
    pub sku: String,
    pub quantity: i64,
}

/// Checks the form of the lines: 1 to 200, each a SKU and a quantity of 1 to 1,000,000.
fn asked_lines(lines: &[NewLine]) -> AppResult<Vec<AskedLine>> {
    if lines.is_empty() || lines.len() > rules::MAX_LINES {
        return Err(AppError::invalid(
            "lines",
            format!("An order has 1 to {} lines.", rules::MAX_LINES),
        ));
    }
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let field = format!("lines[{i}].sku");
        let sku = match &line.sku {
            Value::String(text) => rules::sku(&field, text)?,
            _ => return Err(AppError::invalid(field, "Give the SKU as a string.")),
        };
        let quantity = line
            .quantity
            .as_i64()
            .filter(|q| (1..=rules::MAX_QUANTITY).contains(q))
            .ok_or_else(|| {
                AppError::invalid(
                    format!("lines[{i}].quantity"),
                    format!(
                        "The quantity is a whole number from 1 to {}.",
                        rules::MAX_QUANTITY
                    ),
                )
            })?;
        out.push(AskedLine { sku, quantity });
    }
    Ok(out)
}

/// Today's date (UTC) at `now` microseconds.
pub(crate) fn today(now: i64) -> jiff::civil::Date {
    let at = jiff::Timestamp::from_microsecond(now).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    jiff::tz::TimeZone::UTC.to_datetime(at).date()
}

/// Prices the lines from the catalog as it is today: each SKU must be on sale and have a
/// price in `currency`. Returns the lines, their totals and the promised date.
pub(crate) fn price(
    tx: &mut Tx<'_, '_>,
    currency: Currency,
    asked: &[AskedLine],
) -> AppResult<(Vec<Line>, LineAmounts, String)> {
    let today = today(tx.now());
    let today_text = today.to_string();
    let mut lines = Vec::new();
    let mut lead = 0;
    for (i, line) in asked.iter().enumerate() {
        let field = format!("lines[{i}].sku");
        let product = repo::products::by_sku(tx.conn(), &line.sku)?
            .ok_or_else(|| AppError::invalid(&field, "No product in the catalog has this SKU."))?;
        if !product.on_sale(&today_text) {
            return Err(AppError::invalid(
                field,
                format!("This product is not on sale on {today_text}."),
            ));
        }
        let f = &product.fields;
        let unit = *f.prices.get(currency.code()).ok_or_else(|| {
            AppError::invalid(&field, format!("This product has no price in {currency}."))
        })?;
        let amounts = money::line_amounts(
            unit,
            line.quantity,
            VatRate::from_hundredths(f.vat_rate),
            f.prices_include_vat,
        )
        .map_err(|e| e.at(format!("lines[{i}].quantity")))?;
        lead = lead.max(f.lead_time_days);
        lines.push(Line {
            sku: f.sku.clone(),
            product_id: product.id,
            quantity: line.quantity,
            unit_price: unit,
            vat_rate: f.vat_rate,
            prices_include_vat: f.prices_include_vat,
            amounts,
        });
    }
    let amounts: Vec<LineAmounts> = lines.iter().map(|l| l.amounts).collect();
    let totals = money::totals(&amounts).map_err(|e| e.at("lines"))?;
    let promised = rules::add_business_days(today, lead).to_string();
    Ok((lines, totals, promised))
}

/// Refuses a ticket the actor does not see exactly like one nothing has (422 on the field).
fn check_ticket(conn: &mut dyn Conn, actor: &Actor, field: &str, id: i64) -> AppResult<()> {
    let visible = match tiski_ticketing::tickets::get(conn, id) {
        Ok(ticket) => actor.can_see_ticket(ticket.team_id, ticket.assignee_id),
        Err(AppError::NotFound { .. }) => false,
        Err(error) => return Err(error),
    };
    if !visible {
        return Err(AppError::invalid(
            field,
            "No ticket you can see has this id.",
        ));
    }
    Ok(())
}

/// Refuses a customer outside the actor's customer scope exactly like one nothing has.
fn check_customer(conn: &mut dyn Conn, actor: &Actor, field: &str, id: i64) -> AppResult<()> {
    if !tiski_ticketing::customers::is_visible(conn, actor, id)? {
        return Err(AppError::invalid(
            field,
            "No customer you can see has this id.",
        ));
    }
    Ok(())
}

/// The order `id` if the actor sees it: admins every order, others those they took and
/// those of customers they see (404 otherwise).
pub(crate) fn visible_order(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<Order> {
    let order = repo::orders::get(conn, id)?.ok_or(AppError::not_found("order"))?;
    if actor.is_admin()
        || order.created_by == actor.id
        || tiski_ticketing::customers::is_visible(conn, actor, order.customer_id)?
    {
        Ok(order)
    } else {
        Err(AppError::not_found("order"))
    }
}

fn full_view(conn: &mut dyn Conn, order: &Order) -> AppResult<OrderView> {
    let lines = repo::orders::lines(conn, order.id)?;
    let refunded = repo::refunds::claimed(conn, order.id)?;
    Ok(order.view(&lines, refunded))
}

/// Which orders a list shows.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderFilter {
    /// Orders of this customer (within the caller's customer scope).
    pub customer_id: Option<i64>,
    /// Orders that came from this ticket (within the caller's ticket scope).
    pub ticket_id: Option<i64>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl Commerce {
    /// Takes an order: lines priced from the catalog in the order's currency, VAT per line,
    /// the promised date from today and the longest lead time.
    pub async fn create_order(
        &self,
        actor: &Actor,
        input: NewOrder,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<OrderView>> {
        let grant = actor.grant(Permission::OrderWrite)?;
        let currency = Currency::parse(&input.currency).map_err(|e| e.at("currency"))?;
        let status = input.status.unwrap_or(OrderStatus::Draft);
        if !matches!(status, OrderStatus::Draft | OrderStatus::Placed) {
            return Err(AppError::invalid(
                "status",
                "A new order is a draft or placed.",
            ));
        }
        let asked = asked_lines(&input.lines)?;
        let (customer_id, ticket_id) = (input.customer_id, input.ticket_id);
        self.kernel
            .command(&grant, "order.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    let actor = tx.actor().clone();
                    check_customer(tx.conn(), &actor, "customer_id", customer_id)?;
                    if let Some(ticket) = ticket_id {
                        check_ticket(tx.conn(), &actor, "ticket_id", ticket)?;
                    }
                    let (lines, totals, promised_date) = price(tx, currency, &asked)?;
                    let now = tx.now();
                    let order = Order {
                        id: 0,
                        customer_id,
                        ticket_id,
                        currency,
                        status,
                        totals,
                        promised_date,
                        created_by: actor.id,
                        created_at: now,
                        updated_at: now,
                        channel: "desk".into(),
                        source_interchange_id: None,
                        source_reference: None,
                    };
                    let id = repo::orders::insert(tx.conn(), &order)?;
                    repo::orders::set_lines(tx.conn(), id, &lines)?;
                    tx.emit(
                        ticket_id,
                        OrderCreated {
                            order_id: id,
                            customer_id,
                            status: status.as_str().into(),
                            currency: currency.code().into(),
                            total: format_amount(totals.total, currency),
                            lines: lines.len() as i64,
                        },
                    )?;
                    Ok(Order { id, ..order }.view(&lines, 0))
                })
            })
            .await
    }

    /// An order the caller sees.
    pub async fn get_order(&self, actor: &Actor, id: i64) -> AppResult<OrderView> {
        let grant = actor.grant(Permission::OrderRead)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let order = visible_order(conn, &actor, id)?;
                full_view(conn, &order)
            })
            .await
    }

    /// Orders newest first: of a customer or a ticket the caller sees; without either, every
    /// order for admins and the caller's own for everyone else.
    pub async fn list_orders(
        &self,
        actor: &Actor,
        filter: OrderFilter,
    ) -> AppResult<Page<OrderView>> {
        let grant = actor.grant(Permission::OrderRead)?;
        let limit = cursor::limit(filter.limit)?;
        let before = cursor::before_id(filter.cursor.as_deref())?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let by = match (filter.customer_id, filter.ticket_id) {
                    (Some(_), Some(_)) => {
                        return Err(AppError::invalid(
                            "ticket_id",
                            "Filter by a customer or by a ticket, not both.",
                        ));
                    }
                    (Some(customer), None) => {
                        check_customer(conn, &actor, "customer_id", customer)?;
                        repo::orders::By::Customer(customer)
                    }
                    (None, Some(ticket)) => {
                        check_ticket(conn, &actor, "ticket_id", ticket)?;
                        repo::orders::By::Ticket(ticket)
                    }
                    (None, None) if actor.is_admin() => repo::orders::By::All,
                    (None, None) => repo::orders::By::Creator(actor.id),
                };
                let orders = repo::orders::list(conn, by, before, limit + 1)?;
                let mut views = Vec::new();
                for order in &orders {
                    views.push(full_view(conn, order)?);
                }
                Ok(cursor::page_by_id(views, limit, true, |o: &OrderView| o.id))
            })
            .await
    }

    /// Changes an order's status (forward along its lifecycle, or cancelled, or returned),
    /// its lines (drafts only, priced anew) or its ticket.
    pub async fn update_order(
        &self,
        actor: &Actor,
        id: i64,
        patch: OrderPatch,
    ) -> AppResult<OrderView> {
        let grant = actor.grant(Permission::OrderWrite)?;
        let asked = patch.lines.as_deref().map(asked_lines).transpose()?;
        self.kernel
            .command(&grant, "order.update", move |tx| {
                let actor = tx.actor().clone();
                let mut order = visible_order(tx.conn(), &actor, id)?;
                let mut changed = Vec::new();
                if let Some(ticket) = patch.ticket_id
                    && ticket != order.ticket_id
                {
                    if let Some(ticket) = ticket {
                        check_ticket(tx.conn(), &actor, "ticket_id", ticket)?;
                    }
                    order.ticket_id = ticket;
                    changed.push("ticket_id".to_string());
                }
                if let Some(asked) = &asked {
                    if order.status != OrderStatus::Draft {
                        return Err(AppError::conflict(
                            ErrorCode::InvalidOrderTransition,
                            "lines",
                            "The lines of an order change only while it is a draft.",
                        ));
                    }
                    let (lines, totals, promised) = price(tx, order.currency, asked)?;
                    repo::orders::set_lines(tx.conn(), id, &lines)?;
                    order.totals = totals;
                    order.promised_date = promised;
                    changed.push("lines".to_string());
                }
                let from = order.status;
                if let Some(to) = patch.status
                    && to != from
                {
                    if !from.may_become(to) {
                        return Err(AppError::conflict(
                            ErrorCode::InvalidOrderTransition,
                            "status",
                            format!(
                                "An order that is {} cannot become {}.",
                                from.as_str(),
                                to.as_str()
                            ),
                        ));
                    }
                    order.status = to;
                }
                if changed.is_empty() && order.status == from {
                    return full_view(tx.conn(), &order);
                }
                order.updated_at = tx.now();
                if !repo::orders::update(tx.conn(), &order, from)? {
                    return Err(AppError::conflict_without_field(
                        ErrorCode::WriteConflict,
                        "The order changed meanwhile; read it again.",
                    ));
                }
                if !changed.is_empty() {
                    tx.emit(
                        order.ticket_id,
                        OrderUpdated {
                            order_id: id,
                            changed,
                        },
                    )?;
                }
                if order.status != from {
                    tx.emit(
                        order.ticket_id,
                        OrderStatusChanged {
                            order_id: id,
                            from: from.as_str().into(),
                            to: order.status.as_str().into(),
                        },
                    )?;
                }
                full_view(tx.conn(), &order)
            })
            .await
    }
}
