//! The catalog: products and services with their names per language, prices per currency,
//! VAT, lead time, warranty, parts and active dates. Admins change it; all staff read it.

use crate::money::{Currency, VatRate, format_amount};
use crate::rules::{self, Price};
use crate::{Commerce, repo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tiski_domain::Permission;
use tiski_domain::event::{ProductCreated, ProductUpdated};
use tiski_kernel::{
    AppError, AppResult, ErrorCode, Idempotency, Page, Tx, cursor, idempotency, time,
};

/// Whether an item is a thing or a service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    /// A thing that ships.
    #[default]
    Product,
    /// A service one signs up for.
    Service,
}

impl ProductKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::Product => "product",
            ProductKind::Service => "service",
        }
    }
}

/// A product or service as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProductView {
    /// Id.
    pub id: i64,
    /// The SKU, unique ignoring case.
    pub sku: String,
    /// `product` or `service`.
    pub kind: ProductKind,
    /// The name per language tag.
    pub names: BTreeMap<String, String>,
    /// One price per currency, in code order.
    pub prices: Vec<Price>,
    /// VAT rate in percent, a decimal string (`"24"`, `"25.5"`).
    pub vat_rate: String,
    /// Whether the prices include VAT (else VAT is added).
    pub prices_include_vat: bool,
    /// Business days from order to delivery.
    pub lead_time_days: i64,
    /// Warranty term in months (0: none).
    pub warranty_months: i64,
    /// SKUs of its replacement parts.
    pub parts: Vec<String>,
    /// The first day it is on sale (`YYYY-MM-DD`), if it has one.
    pub active_from: Option<String>,
    /// The last day it is on sale, if it has one.
    pub active_until: Option<String>,
    /// When it was added.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

/// A product as stored: prices in minor units, the VAT rate in hundredths of a percent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Product {
    pub id: i64,
    pub fields: ProductFields,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What an admin sets on a product, checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProductFields {
    pub sku: String,
    pub kind: ProductKind,
    pub names: BTreeMap<String, String>,
    pub prices: BTreeMap<String, i64>,
    pub vat_rate: i64,
    pub prices_include_vat: bool,
    pub lead_time_days: i64,
    pub warranty_months: i64,
    pub parts: Vec<String>,
    pub active_from: Option<String>,
    pub active_until: Option<String>,
}

impl Product {
    pub(crate) fn view(&self) -> ProductView {
        let f = &self.fields;
        ProductView {
            id: self.id,
            sku: f.sku.clone(),
            kind: f.kind,
            names: f.names.clone(),
            prices: f
                .prices
                .iter()
                .filter_map(|(code, minor)| {
                    let currency = Currency::parse(code).ok()?;
                    Some(Price {
                        currency: code.clone(),
                        amount: format_amount(*minor, currency),
                    })
                })
                .collect(),
            vat_rate: VatRate::from_hundredths(f.vat_rate).to_string(),
            prices_include_vat: f.prices_include_vat,
            lead_time_days: f.lead_time_days,
            warranty_months: f.warranty_months,
            parts: f.parts.clone(),
            active_from: f.active_from.clone(),
            active_until: f.active_until.clone(),
            created_at: time::format(self.created_at),
            updated_at: time::format(self.updated_at),
        }
    }

    /// Whether it is on sale on `date` (`YYYY-MM-DD`, which sorts as text).
    pub(crate) fn on_sale(&self, date: &str) -> bool {
        let f = &self.fields;
        f.active_from.as_deref().is_none_or(|from| from <= date)
            && f.active_until.as_deref().is_none_or(|until| date <= until)
    }
}

/// A new product or service.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProduct {
    /// 1 to 64 letters, digits, `. _ / -`; unique ignoring case.
    pub sku: String,
    /// `product` (default) or `service`.
    #[serde(default)]
    pub kind: ProductKind,
    /// The name per language tag, such as `{"en": "Cordless drill", "fi": "Akkuporakone"}`.
    pub names: BTreeMap<String, String>,
    /// 1 to 50 prices, one per currency.
    pub prices: Vec<Price>,
    /// VAT rate in percent, a decimal string from `"0"` to `"100"`.
    pub vat_rate: String,
    /// Whether the prices include VAT (default false: VAT is added).
    #[serde(default)]
    pub prices_include_vat: bool,
    /// Business days from order to delivery, 0 to 365 (default 0).
    #[serde(default)]
    pub lead_time_days: i64,
    /// Warranty in months, 0 to 1200 (default 0).
    #[serde(default)]
    pub warranty_months: i64,
    /// SKUs of products in the catalog that are its replacement parts.
    #[serde(default)]
    pub parts: Vec<String>,
    /// First day on sale, `YYYY-MM-DD`.
    pub active_from: Option<String>,
    /// Last day on sale, `YYYY-MM-DD`.
    pub active_until: Option<String>,
}

/// A change to a product; absent fields stay. The SKU never changes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    /// `product` or `service`.
    pub kind: Option<ProductKind>,
    /// The complete new set of names.
    pub names: Option<BTreeMap<String, String>>,
    /// The complete new set of prices.
    pub prices: Option<Vec<Price>>,
    /// New VAT rate.
    pub vat_rate: Option<String>,
    /// Whether the prices include VAT.
    pub prices_include_vat: Option<bool>,
    /// New lead time.
    pub lead_time_days: Option<i64>,
    /// New warranty.
    pub warranty_months: Option<i64>,
    /// The complete new list of parts.
    pub parts: Option<Vec<String>>,
    /// New first day on sale, or `null` for none.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<String>)]
    pub active_from: Option<Option<String>>,
    /// New last day on sale, or `null` for none.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<String>)]
    pub active_until: Option<Option<String>>,
}

fn checked_dates(
    from: Option<&str>,
    until: Option<&str>,
) -> AppResult<(Option<String>, Option<String>)> {
    let from = from.map(|d| rules::date("active_from", d)).transpose()?;
    let until = until.map(|d| rules::date("active_until", d)).transpose()?;
    if let (Some(from), Some(until)) = (from, until)
        && until < from
    {
        return Err(AppError::invalid(
            "active_until",
            "The last day on sale is before the first.",
        ));
    }
    Ok((from.map(|d| d.to_string()), until.map(|d| d.to_string())))
}

fn validate(input: &NewProduct) -> AppResult<ProductFields> {
    let sku = rules::sku("sku", &input.sku)?;
    let (active_from, active_until) =
        checked_dates(input.active_from.as_deref(), input.active_until.as_deref())?;
    Ok(ProductFields {
        names: rules::names(&input.names)?,
        prices: rules::prices(&input.prices)?,
        vat_rate: rules::vat_rate(&input.vat_rate)?,
        prices_include_vat: input.prices_include_vat,
        lead_time_days: rules::bounded(
            "lead_time_days",
            input.lead_time_days,
            rules::MAX_LEAD_TIME_DAYS,
            "business days",
        )?,
        warranty_months: rules::bounded(
            "warranty_months",
            input.warranty_months,
            rules::MAX_WARRANTY_MONTHS,
            "months",
        )?,
        parts: rules::parts(&sku, &input.parts)?,
        kind: input.kind,
        sku,
        active_from,
        active_until,
    })
}

/// Applies a patch to a product's fields, checked; returns the new fields and the names of
/// those that changed.
fn patched(old: &ProductFields, patch: &ProductPatch) -> AppResult<(ProductFields, Vec<String>)> {
    let mut new = old.clone();
    if let Some(kind) = patch.kind {
        new.kind = kind;
    }
    if let Some(names) = &patch.names {
        new.names = rules::names(names)?;
    }
    if let Some(prices) = &patch.prices {
        new.prices = rules::prices(prices)?;
    }
    if let Some(rate) = &patch.vat_rate {
        new.vat_rate = rules::vat_rate(rate)?;
    }
    if let Some(include) = patch.prices_include_vat {
        new.prices_include_vat = include;
    }
    if let Some(days) = patch.lead_time_days {
        new.lead_time_days = rules::bounded(
            "lead_time_days",
            days,
            rules::MAX_LEAD_TIME_DAYS,
            "business days",
        )?;
    }
    if let Some(months) = patch.warranty_months {
        new.warranty_months = rules::bounded(
            "warranty_months",
            months,
            rules::MAX_WARRANTY_MONTHS,
            "months",
        )?;
    }
    if let Some(parts) = &patch.parts {
        new.parts = rules::parts(&new.sku, parts)?;
    }
    let from = match &patch.active_from {
        Some(value) => value.clone(),
        None => new.active_from.clone(),
    };
    let until = match &patch.active_until {
        Some(value) => value.clone(),
        None => new.active_until.clone(),
    };
    (new.active_from, new.active_until) = checked_dates(from.as_deref(), until.as_deref())?;
    let mut changed = Vec::new();
    let mut note = |name: &str, differs: bool| {
        if differs {
            changed.push(name.to_string());
        }
    };
    note("kind", old.kind != new.kind);
    note("names", old.names != new.names);
    note("prices", old.prices != new.prices);
    note("vat_rate", old.vat_rate != new.vat_rate);
    note(
        "prices_include_vat",
        old.prices_include_vat != new.prices_include_vat,
    );
    note("lead_time_days", old.lead_time_days != new.lead_time_days);
    note(
        "warranty_months",
        old.warranty_months != new.warranty_months,
    );
    note("parts", old.parts != new.parts);
    note("active_from", old.active_from != new.active_from);
    note("active_until", old.active_until != new.active_until);
    Ok((new, changed))
}

/// Refuses parts the catalog does not have, naming the first.
fn check_parts_exist(tx: &mut Tx<'_, '_>, parts: &[String]) -> AppResult<()> {
    for (i, part) in parts.iter().enumerate() {
        if repo::products::by_sku(tx.conn(), part)?.is_none() {
            return Err(AppError::invalid(
                format!("parts[{i}]"),
                "No product in the catalog has this SKU.",
            ));
        }
    }
    Ok(())
}

/// Whether a product search asks for anything.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProductFilter {
    /// Finds products whose SKU, name or a word of a name starts with this (ignoring case).
    pub q: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl Commerce {
    /// Adds a product or service. Admins only.
    pub async fn create_product(
        &self,
        actor: &tiski_kernel::Actor,
        input: NewProduct,
        idempotency: Option<Idempotency>,
    ) -> AppResult<tiski_kernel::Stored<ProductView>> {
        let grant = actor.grant(Permission::ProductManage)?;
        let fields = validate(&input)?;
        self.kernel
            .command(&grant, "product.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    if repo::products::by_sku(tx.conn(), &fields.sku)?.is_some() {
                        return Err(AppError::conflict(
                            ErrorCode::SkuTaken,
                            "sku",
                            "A product with this SKU exists.",
                        ));
                    }
                    check_parts_exist(tx, &fields.parts)?;
                    let now = tx.now();
                    let id = repo::products::insert(tx.conn(), &fields, now)?;
                    let terms = rules::search_terms(&fields.sku, &fields.names);
                    repo::products::set_terms(tx.conn(), id, &terms)?;
                    tx.emit(
                        None,
                        ProductCreated {
                            product_id: id,
                            sku: fields.sku.clone(),
                        },
                    )?;
                    Ok(repo::products::get(tx.conn(), id)?.view())
                })
            })
            .await
    }

    /// A product by id.
    pub async fn get_product(
        &self,
        actor: &tiski_kernel::Actor,
        id: i64,
    ) -> AppResult<ProductView> {
        let grant = actor.grant(Permission::ProductRead)?;
        self.kernel
            .query(
                &grant,
                move |conn| Ok(repo::products::get(conn, id)?.view()),
            )
            .await
    }

    /// The catalog in id order, or the products a search finds (`q`: a prefix of the SKU, a
    /// name or a word of a name, ignoring case), one keyset page at a time.
    pub async fn list_products(
        &self,
        actor: &tiski_kernel::Actor,
        filter: ProductFilter,
    ) -> AppResult<Page<ProductView>> {
        let grant = actor.grant(Permission::ProductRead)?;
        let limit = cursor::limit(filter.limit)?;
        let after = cursor::after_id(filter.cursor.as_deref())?;
        let range = filter
            .q
            .as_deref()
            .map(|q| rules::search_range("q", q))
            .transpose()?;
        self.kernel
            .query(&grant, move |conn| {
                let items = match &range {
                    Some((from, to)) => repo::products::search(conn, from, to, after, limit + 1)?,
                    None => repo::products::list(conn, after, limit + 1)?,
                };
                let views = items.iter().map(Product::view).collect();
                Ok(cursor::page_by_id(
                    views,
                    limit,
                    false,
                    |p: &ProductView| p.id,
                ))
            })
            .await
    }

    /// Changes a product. Admins only. Orders keep the prices they were taken at.
    pub async fn update_product(
        &self,
        actor: &tiski_kernel::Actor,
        id: i64,
        patch: ProductPatch,
    ) -> AppResult<ProductView> {
        let grant = actor.grant(Permission::ProductManage)?;
        self.kernel
            .command(&grant, "product.update", move |tx| {
                let old = repo::products::get(tx.conn(), id)?;
                let (fields, changed) = patched(&old.fields, &patch)?;
                if changed.is_empty() {
                    return Ok(old.view());
                }
                if changed.iter().any(|c| c == "parts") {
                    check_parts_exist(tx, &fields.parts)?;
                }
                let now = tx.now();
                repo::products::update(tx.conn(), id, &fields, now)?;
                if changed.iter().any(|c| c == "names") {
                    let terms = rules::search_terms(&fields.sku, &fields.names);
                    repo::products::set_terms(tx.conn(), id, &terms)?;
                }
                tx.emit(
                    None,
                    ProductUpdated {
                        product_id: id,
                        changed,
                    },
                )?;
                Ok(repo::products::get(tx.conn(), id)?.view())
            })
            .await
    }
}
