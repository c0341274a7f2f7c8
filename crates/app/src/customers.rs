//! Customers and their identities (email addresses, phone numbers).

use crate::actor::join_ids;
use crate::cursor::{Cursor, Page};
use crate::idempotency::{self, Idempotency, Stored};
use crate::tickets::TicketSummary;
use crate::{Actor, App, AppError, AppResult, events, time};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tiski_domain::{EmailAddress, EventType, LanguageTag, PhoneE164, TimeZoneName};
use tiski_store::{Conn, Row, WriteTx, params};

/// A customer as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomerView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email addresses, lower-case.
    pub emails: Vec<String>,
    /// Phone numbers in E.164.
    pub phones: Vec<String>,
    /// Preferred language.
    pub language: Option<String>,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// Company, for business customers.
    pub organization: Option<String>,
    /// Staff notes.
    pub notes: String,
    /// When the customer was created.
    pub created_at: String,
    /// When the customer last changed.
    pub updated_at: String,
    /// The customer's tickets the reader may see, newest first (on the single-customer read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tickets: Option<Vec<TicketSummary>>,
}

/// Input for a new customer.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    /// Name.
    pub name: String,
    /// Email addresses.
    #[serde(default)]
    pub emails: Vec<String>,
    /// Phone numbers, international form.
    #[serde(default)]
    pub phones: Vec<String>,
    /// Preferred language (BCP 47).
    pub language: Option<String>,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// Company.
    pub organization: Option<String>,
    /// Staff notes.
    pub notes: Option<String>,
}

/// Changes to a customer; absent fields stay, `null` clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    /// New name.
    pub name: Option<String>,
    /// The complete new list of email addresses.
    pub emails: Option<Vec<String>>,
    /// The complete new list of phone numbers.
    pub phones: Option<Vec<String>>,
    /// New language, or `null` to clear.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[schema(value_type = Option<String>)]
    pub language: Option<Option<String>>,
    /// New time zone, or `null` to clear.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[schema(value_type = Option<String>)]
    pub time_zone: Option<Option<String>>,
    /// New organization, or `null` to clear.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[schema(value_type = Option<String>)]
    pub organization: Option<Option<String>>,
    /// New notes.
    pub notes: Option<String>,
}

/// Validated customer fields.
#[derive(Debug, Clone)]
pub(crate) struct ValidCustomer {
    pub name: String,
    pub emails: Vec<EmailAddress>,
    pub phones: Vec<PhoneE164>,
    pub language: Option<LanguageTag>,
    pub time_zone: Option<TimeZoneName>,
    pub organization: Option<String>,
    pub notes: String,
}

pub(crate) fn parse_name(field: &str, name: &str) -> AppResult<String> {
    crate::refuse_nul(field, name)?;
    let name = name.trim();
    if name.chars().count() > 200 {
        return Err(AppError::invalid(
            field,
            "The name must have at most 200 characters.",
        ));
    }
    Ok(name.to_string())
}

fn parse_emails(field: &str, emails: &[String]) -> AppResult<Vec<EmailAddress>> {
    let mut out: Vec<EmailAddress> = Vec::new();
    for (index, email) in emails.iter().enumerate().take(51) {
        if index == 50 {
            return Err(AppError::invalid(field, "At most 50 email addresses."));
        }
        let email = EmailAddress::parse(email)
            .map_err(|e| AppError::invalid(format!("{field}/{index}"), e.message))?;
        if !out.contains(&email) {
            out.push(email);
        }
    }
    Ok(out)
}

fn parse_phones(field: &str, phones: &[String]) -> AppResult<Vec<PhoneE164>> {
    let mut out: Vec<PhoneE164> = Vec::new();
    for (index, phone) in phones.iter().enumerate().take(51) {
        if index == 50 {
            return Err(AppError::invalid(field, "At most 50 phone numbers."));
        }
        let phone = PhoneE164::parse(phone)
            .map_err(|e| AppError::invalid(format!("{field}/{index}"), e.message))?;
        if !out.contains(&phone) {
            out.push(phone);
        }
    }
    Ok(out)
}

pub(crate) fn parse_language(
    field: &str,
    language: Option<&str>,
) -> AppResult<Option<LanguageTag>> {
    language
        .map(|l| LanguageTag::parse(l).map_err(|e| AppError::invalid(field, e.message)))
        .transpose()
}

fn parse_time_zone(field: &str, zone: Option<&str>) -> AppResult<Option<TimeZoneName>> {
    let Some(zone) = zone else { return Ok(None) };
    let name = TimeZoneName::parse(zone).map_err(|e| AppError::invalid(field, e.message))?;
    if jiff::tz::TimeZone::get(name.as_str()).is_err() {
        return Err(AppError::invalid(
            field,
            format!("{zone:?} is not a known time zone; use an IANA name such as Europe/Helsinki."),
        ));
    }
    Ok(Some(name))
}

fn parse_text(field: &str, text: Option<&str>, max: usize) -> AppResult<Option<String>> {
    if let Some(text) = text {
        crate::refuse_nul(field, text)?;
    }
    match text.map(str::trim) {
        Some(t) if t.chars().count() > max => Err(AppError::invalid(
            field,
            format!("At most {max} characters."),
        )),
        Some("") | None => Ok(None),
        Some(t) => Ok(Some(t.to_string())),
    }
}

impl NewCustomer {
    pub(crate) fn validate(&self) -> AppResult<ValidCustomer> {
        let customer = ValidCustomer {
            name: parse_name("name", &self.name)?,
            emails: parse_emails("emails", &self.emails)?,
            phones: parse_phones("phones", &self.phones)?,
            language: parse_language("language", self.language.as_deref())?,
            time_zone: parse_time_zone("time_zone", self.time_zone.as_deref())?,
            organization: parse_text("organization", self.organization.as_deref(), 200)?,
            notes: parse_text("notes", self.notes.as_deref(), 20_000)?.unwrap_or_default(),
        };
        if customer.name.is_empty() && customer.emails.is_empty() && customer.phones.is_empty() {
            return Err(AppError::invalid(
                "name",
                "A customer needs a name, an email address or a phone number.",
            ));
        }
        Ok(customer)
    }
}

const COLUMNS: &str =
    "c.id, c.name, c.language, c.time_zone, c.organization, c.notes, c.created_at, c.updated_at";

/// Reads rows of [`COLUMNS`] and all their identities in one more query.
fn views(conn: &mut dyn Conn, rows: &[Row]) -> AppResult<Vec<CustomerView>> {
    let ids = rows
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<Vec<i64>, _>>()?;
    let mut identities: HashMap<i64, (Vec<String>, Vec<String>)> = HashMap::new();
    if !ids.is_empty() {
        let sql = format!(
            "SELECT customer_id, kind, value FROM customer_identities WHERE customer_id IN ({}) ORDER BY id",
            join_ids(&ids)
        );
        for row in conn.query(&sql, &[])? {
            let entry = identities.entry(row.get(0)?).or_default();
            let kind: String = row.get(1)?;
            if kind == "email" {
                entry.0.push(row.get(2)?)
            } else {
                entry.1.push(row.get(2)?)
            }
        }
    }
    rows.iter()
        .map(|row| {
            let id: i64 = row.get(0)?;
            let (emails, phones) = identities.remove(&id).unwrap_or_default();
            Ok(CustomerView {
                id,
                name: row.get(1)?,
                emails,
                phones,
                language: row.get(2)?,
                time_zone: row.get(3)?,
                organization: row.get(4)?,
                notes: row.get(5)?,
                created_at: time::format(row.get(6)?),
                updated_at: time::format(row.get(7)?),
                tickets: None,
            })
        })
        .collect()
}

pub(crate) fn get_in(conn: &mut dyn Conn, id: i64) -> AppResult<CustomerView> {
    let rows = conn.query(
        &format!("SELECT {COLUMNS} FROM customers c WHERE c.id = $1"),
        params![id],
    )?;
    views(conn, &rows)?
        .pop()
        .ok_or(AppError::not_found("customer"))
}

fn search_text(customer: &ValidCustomer) -> String {
    let mut text = customer.name.to_lowercase();
    for email in &customer.emails {
        text.push(' ');
        text.push_str(email.as_str());
    }
    for phone in &customer.phones {
        text.push(' ');
        text.push_str(phone.as_str());
    }
    if let Some(organization) = &customer.organization {
        text.push(' ');
        text.push_str(&organization.to_lowercase());
    }
    text
}

/// Refuses identities that belong to another customer, naming the field.
fn check_identities_free(
    conn: &mut dyn Conn,
    customer: &ValidCustomer,
    except: Option<i64>,
) -> AppResult<()> {
    let pairs = customer
        .emails
        .iter()
        .enumerate()
        .map(|(i, e)| (format!("emails/{i}"), "email", e.as_str()))
        .chain(
            customer
                .phones
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("phones/{i}"), "phone", p.as_str())),
        );
    for (field, kind, value) in pairs {
        if let Some(row) = conn.query_opt(
            "SELECT customer_id FROM customer_identities WHERE kind = $1 AND value = $2",
            params![kind, value],
        )? {
            let owner: i64 = row.get(0)?;
            if Some(owner) != except {
                return Err(AppError::conflict(
                    field,
                    format!("{value} already belongs to another customer."),
                ));
            }
        }
    }
    Ok(())
}

fn write_identities(conn: &mut dyn Conn, id: i64, customer: &ValidCustomer) -> AppResult<()> {
    conn.execute(
        "DELETE FROM customer_identities WHERE customer_id = $1",
        params![id],
    )?;
    for email in &customer.emails {
        conn.execute(
            "INSERT INTO customer_identities (customer_id, kind, value) VALUES ($1, 'email', $2)",
            params![id, email.as_str()],
        )?;
    }
    for phone in &customer.phones {
        conn.execute(
            "INSERT INTO customer_identities (customer_id, kind, value) VALUES ($1, 'phone', $2)",
            params![id, phone.as_str()],
        )?;
    }
    Ok(())
}

/// Inserts a customer with its identities and appends `customer.created`.
pub(crate) fn insert(
    tx: &mut WriteTx<'_>,
    actor: &Actor,
    customer: &ValidCustomer,
) -> AppResult<(i64, String)> {
    check_identities_free(tx.conn(), customer, None)?;
    insert_unchecked(tx, actor, customer)
}

/// Inserts a customer whose identities the caller just found free. Should a concurrent write
/// take one of them meanwhile, the unique index refuses the insert and the store runs the
/// whole command again, which then finds that customer.
fn insert_unchecked(
    tx: &mut WriteTx<'_>,
    actor: &Actor,
    customer: &ValidCustomer,
) -> AppResult<(i64, String)> {
    let now = time::now_micros();
    let name = if customer.name.is_empty() {
        customer
            .emails
            .first()
            .map(|e| e.local_part().to_string())
            .or_else(|| customer.phones.first().map(|p| p.to_string()))
            .unwrap_or_default()
    } else {
        customer.name.clone()
    };
    let id: i64 = tx.conn().query_scalar(
        "INSERT INTO customers (name, language, time_zone, organization, notes, search_text, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        params![
            name.as_str(),
            customer.language.as_ref().map(|l| l.to_string()),
            customer.time_zone.as_ref().map(|t| t.to_string()),
            customer.organization.clone(),
            customer.notes.as_str(),
            search_text(&ValidCustomer { name: name.clone(), ..customer.clone() }),
            (actor.id != 0).then_some(actor.id),
            now
        ],
    )?;
    write_identities(tx.conn(), id, customer)?;
    events::append(
        tx,
        actor,
        None,
        EventType::CustomerCreated,
        serde_json::json!({"customer_id": id, "name": name}),
    );
    Ok((id, name))
}

/// A ticket's requester as a command needs it: id, name and preferred language.
#[derive(Debug, Clone)]
pub(crate) struct Requester {
    pub id: i64,
    pub name: String,
    pub language: Option<String>,
}

/// The customer with `id`, if there is one.
pub(crate) fn find_by_id(conn: &mut dyn Conn, id: i64) -> AppResult<Option<Requester>> {
    conn.query_opt(
        "SELECT id, name, language FROM customers WHERE id = $1",
        params![id],
    )?
    .map(|row| {
        Ok(Requester {
            id: row.get(0)?,
            name: row.get(1)?,
            language: row.get(2)?,
        })
    })
    .transpose()
}

/// Finds the customer with `email` or `phone`, or creates one with that identity and `name`.
pub(crate) fn find_or_create(
    tx: &mut WriteTx<'_>,
    actor: &Actor,
    identity: (&str, &str),
    name: Option<&str>,
    language: Option<&LanguageTag>,
) -> AppResult<Requester> {
    let (kind, value) = identity;
    if let Some(row) = tx.conn().query_opt(
        "SELECT c.id, c.name, c.language FROM customer_identities i JOIN customers c ON c.id = i.customer_id \
         WHERE i.kind = $1 AND i.value = $2",
        params![kind, value],
    )? {
        return Ok(Requester {
            id: row.get(0)?,
            name: row.get(1)?,
            language: row.get(2)?,
        });
    }
    let mut customer = ValidCustomer {
        name: name.unwrap_or_default().to_string(),
        emails: vec![],
        phones: vec![],
        language: language.cloned(),
        time_zone: None,
        organization: None,
        notes: String::new(),
    };
    match kind {
        "email" => customer.emails.push(
            EmailAddress::parse(value)
                .map_err(|e| AppError::invalid("requester.email", e.message))?,
        ),
        _ => customer.phones.push(
            PhoneE164::parse(value).map_err(|e| AppError::invalid("requester.phone", e.message))?,
        ),
    }
    let (id, name) = insert_unchecked(tx, actor, &customer)?;
    Ok(Requester {
        id,
        name,
        language: language.map(|l| l.to_string()),
    })
}

impl App {
    /// Creates a customer. Any staff user may.
    pub async fn create_customer(
        &self,
        actor: &Actor,
        input: NewCustomer,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<CustomerView>> {
        let customer = input.validate()?;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                idempotency::run(tx, &actor, idempotency.as_ref(), |tx| {
                    let (id, _) = insert(tx, &actor, &customer)?;
                    get_in(tx.conn(), id)
                })
            })
            .await;
        self.command_done("customer.create", &result);
        result
    }

    /// Gets a customer the actor may see, with the tickets of theirs the actor may see.
    pub async fn get_customer(&self, actor: &Actor, id: i64) -> AppResult<CustomerView> {
        let actor = actor.clone();
        self.store()
            .read(move |conn| {
                let rows = conn.query(
                    &format!(
                        "SELECT {COLUMNS} FROM customers c WHERE c.id = $1 AND {}",
                        actor.customer_scope_sql()
                    ),
                    params![id],
                )?;
                let mut customer = views(conn, &rows)?
                    .pop()
                    .ok_or(AppError::not_found("customer"))?;
                customer.tickets = Some(crate::tickets::summaries_of_customer(conn, &actor, id)?);
                Ok(customer)
            })
            .await
    }

    /// Lists the customers the actor may see, newest first; `q` matches name, email, phone or
    /// organization.
    pub async fn list_customers(
        &self,
        actor: &Actor,
        q: Option<String>,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<CustomerView>> {
        let limit = crate::cursor::limit(limit)?;
        let before = match cursor {
            Some(text) => Cursor::decode(&text, "-id")?.id,
            None => i64::MAX,
        };
        if let Some(q) = &q {
            crate::refuse_nul("q", q)?;
        }
        let pattern = match q.as_deref().map(str::trim) {
            Some(q) if q.chars().count() > 200 => {
                return Err(AppError::invalid(
                    "q",
                    "The search text must have at most 200 characters.",
                ));
            }
            Some(q) if !q.is_empty() => {
                let q = q.to_lowercase();
                // A phone typed with spaces or dashes still matches the stored E.164 form.
                let q = match PhoneE164::parse(&q) {
                    Ok(phone) => phone.into_string(),
                    Err(_) => q,
                };
                Some(format!(
                    "%{}%",
                    q.replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                ))
            }
            _ => None,
        };
        let scope = actor.customer_scope_sql();
        self.store()
            .read(move |conn| {
                let rows = match &pattern {
                    Some(pattern) => conn.query(
                        &format!("SELECT {COLUMNS} FROM customers c WHERE c.id < $1 AND c.search_text LIKE $2 ESCAPE '\\' AND {scope} ORDER BY c.id DESC LIMIT $3"),
                        params![before, pattern.as_str(), limit + 1],
                    )?,
                    None => conn.query(
                        &format!("SELECT {COLUMNS} FROM customers c WHERE c.id < $1 AND {scope} ORDER BY c.id DESC LIMIT $2"),
                        params![before, limit + 1],
                    )?,
                };
                let mut items = views(conn, &rows)?;
                let more = items.len() as i64 > limit;
                items.truncate(limit as usize);
                let next_cursor = more
                    .then(|| items.last().map(|c| Cursor { sort: "-id".into(), value: c.id, id: c.id }.encode()))
                    .flatten();
                Ok(Page { items, next_cursor })
            })
            .await
    }

    /// Changes a customer the actor may see.
    pub async fn update_customer(
        &self,
        actor: &Actor,
        id: i64,
        patch: CustomerPatch,
    ) -> AppResult<CustomerView> {
        let name = patch
            .name
            .as_deref()
            .map(|n| parse_name("name", n))
            .transpose()?;
        let emails = patch
            .emails
            .as_deref()
            .map(|e| parse_emails("emails", e))
            .transpose()?;
        let phones = patch
            .phones
            .as_deref()
            .map(|p| parse_phones("phones", p))
            .transpose()?;
        let language = patch
            .language
            .as_ref()
            .map(|l| parse_language("language", l.as_deref()))
            .transpose()?;
        let time_zone = patch
            .time_zone
            .as_ref()
            .map(|t| parse_time_zone("time_zone", t.as_deref()))
            .transpose()?;
        let organization = patch
            .organization
            .as_ref()
            .map(|o| parse_text("organization", o.as_deref(), 200))
            .transpose()?;
        let notes = patch
            .notes
            .as_deref()
            .map(|n| parse_text("notes", Some(n), 20_000))
            .transpose()?;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                let visible = tx
                    .conn()
                    .query_opt(&format!("SELECT c.id FROM customers c WHERE c.id = $1 AND {}", actor.customer_scope_sql()), params![id])?
                    .is_some();
                if !visible {
                    return Err(AppError::not_found("customer"));
                }
                let before = get_in(tx.conn(), id)?;
                let parse_back = |v: &Option<String>| v.clone();
                let next = ValidCustomer {
                    name: name.clone().unwrap_or(before.name.clone()),
                    emails: match &emails {
                        Some(e) => e.clone(),
                        None => before.emails.iter().filter_map(|e| EmailAddress::parse(e).ok()).collect(),
                    },
                    phones: match &phones {
                        Some(p) => p.clone(),
                        None => before.phones.iter().filter_map(|p| PhoneE164::parse(p).ok()).collect(),
                    },
                    language: match &language {
                        Some(l) => l.clone(),
                        None => parse_back(&before.language).and_then(|l| LanguageTag::parse(&l).ok()),
                    },
                    time_zone: match &time_zone {
                        Some(t) => t.clone(),
                        None => parse_back(&before.time_zone).and_then(|t| TimeZoneName::parse(&t).ok()),
                    },
                    organization: match &organization {
                        Some(o) => o.clone(),
                        None => before.organization.clone(),
                    },
                    notes: match &notes {
                        Some(n) => n.clone().unwrap_or_default(),
                        None => before.notes.clone(),
                    },
                };
                if next.name.is_empty() {
                    return Err(AppError::invalid("name", "The name cannot be empty."));
                }
                check_identities_free(tx.conn(), &next, Some(id))?;
                tx.conn().execute(
                    "UPDATE customers SET name = $1, language = $2, time_zone = $3, organization = $4, notes = $5, search_text = $6, updated_at = $7 WHERE id = $8",
                    params![
                        next.name.as_str(),
                        next.language.as_ref().map(|l| l.to_string()),
                        next.time_zone.as_ref().map(|t| t.to_string()),
                        next.organization.clone(),
                        next.notes.as_str(),
                        search_text(&next),
                        time::now_micros(),
                        id
                    ],
                )?;
                if emails.is_some() || phones.is_some() {
                    write_identities(tx.conn(), id, &next)?;
                }
                let after = get_in(tx.conn(), id)?;
                events::append(tx, &actor, None, EventType::CustomerUpdated, serde_json::json!({"customer_id": id, "before": before, "after": &after}));
                Ok(after)
            })
            .await;
        self.command_done("customer.update", &result);
        result
    }
}
