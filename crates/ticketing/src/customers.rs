//! Customers and their identities (email addresses, phone numbers): create, read, list,
//! change, and find-or-create for the channels.

use crate::rules::customer::{self as rule, ValidCustomer};
use crate::tickets::TicketView;
use crate::{Ticketing, repo};
use serde::{Deserialize, Serialize};
use tiski_domain::event::{CustomerCreated, CustomerField, CustomerUpdated};
use tiski_domain::{EmailAddress, LanguageTag, Permission, PhoneE164, TimeZoneName};
use tiski_kernel::{
    Actor, AppError, AppResult, Conn, ErrorCode, Idempotency, Page, Stored, Tx, cursor,
    idempotency, input,
};

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
    pub tickets: Option<Vec<TicketView>>,
    /// The customer this duplicate was merged into (its identities and tickets are there).
    pub merged_into: Option<i64>,
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
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<String>)]
    pub language: Option<Option<String>>,
    /// New time zone, or `null` to clear.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<String>)]
    pub time_zone: Option<Option<String>>,
    /// New organization, or `null` to clear.
    #[serde(default, deserialize_with = "tiski_kernel::input::double_option")]
    #[schema(value_type = Option<String>)]
    pub organization: Option<Option<String>>,
    /// New notes.
    pub notes: Option<String>,
}

impl NewCustomer {
    fn validate(&self) -> AppResult<ValidCustomer> {
        let customer = ValidCustomer {
            name: rule::name("name", &self.name)?,
            emails: rule::emails("emails", &self.emails)?,
            phones: rule::phones("phones", &self.phones)?,
            language: rule::language("language", self.language.as_deref())?,
            time_zone: rule::time_zone("time_zone", self.time_zone.as_deref())?,
            organization: rule::text("organization", self.organization.as_deref(), 200)?,
            notes: rule::text("notes", self.notes.as_deref(), 20_000)?.unwrap_or_default(),
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

/// A ticket's requester as a command needs it: id, name and preferred language.
#[derive(Debug, Clone)]
pub struct Requester {
    /// Customer id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Preferred language.
    pub language: Option<String>,
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
        if let Some(owner) = repo::customers::owner_of(conn, kind, value)?
            && Some(owner) != except
        {
            return Err(AppError::conflict(
                ErrorCode::IdentityTaken,
                field,
                format!("{value} already belongs to another customer."),
            ));
        }
    }
    Ok(())
}

/// Inserts a customer whose identities the caller found free, and appends
/// `customer.created`. Should a concurrent write take one of them meanwhile, the unique index
/// refuses the insert and the store runs the whole command again, which then finds that
/// customer.
fn insert(tx: &mut Tx<'_, '_>, customer: &ValidCustomer) -> AppResult<(i64, String)> {
    let created_by = (!tx.actor().is_system()).then_some(tx.actor().id);
    let now = tx.now();
    let id = repo::customers::insert(tx.conn(), customer, created_by, now)?;
    repo::customers::set_identities(tx.conn(), id, customer)?;
    tx.emit(None, CustomerCreated { customer_id: id })?;
    Ok((id, customer.display_name()))
}

/// The customer with `id`, if there is one.
pub fn find_by_id(conn: &mut dyn Conn, id: i64) -> AppResult<Option<Requester>> {
    repo::customers::requester_by_id(conn, id)
}

/// Whether `actor` sees customer `id` (the customer scope), in the caller's transaction.
pub fn is_visible(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<bool> {
    repo::customers::is_visible(conn, actor, id)
}

/// Finds the customer with an identity (`("email", …)` or `("phone", …)`), or creates one
/// with it and `name`, in the caller's transaction.
pub fn find_or_create(
    tx: &mut Tx<'_, '_>,
    identity: (&str, &str),
    name: Option<&str>,
    language: Option<&LanguageTag>,
) -> AppResult<Requester> {
    let (kind, value) = identity;
    if let Some(found) = repo::customers::requester_of(tx.conn(), kind, value)? {
        return Ok(found);
    }
    // A display name from outside (an email's) is customer text too: no card number in it.
    let name = name.map(tiski_domain::card::mask_pans);
    let customer = ValidCustomer::from_identity(kind, value, name.as_deref(), language.cloned())?;
    let (id, name) = insert(tx, &customer)?;
    Ok(Requester {
        id,
        name,
        language: language.map(|l| l.to_string()),
    })
}

/// A customer's first email address.
pub fn first_email(conn: &mut dyn Conn, customer_id: i64) -> AppResult<Option<String>> {
    repo::customers::first_email(conn, customer_id)
}

/// Whether a customer has the identity `(kind, value)`.
pub fn has_identity(
    conn: &mut dyn Conn,
    customer_id: i64,
    kind: &str,
    value: &str,
) -> AppResult<bool> {
    repo::customers::has_identity(conn, customer_id, kind, value)
}

impl Ticketing {
    /// Creates a customer. Any staff user may.
    pub async fn create_customer(
        &self,
        actor: &Actor,
        input: NewCustomer,
        idempotency: Option<Idempotency>,
    ) -> AppResult<Stored<CustomerView>> {
        let grant = actor.grant(Permission::CustomerCreate)?;
        let customer = input.validate()?;
        self.kernel
            .command(&grant, "customer.create", move |tx| {
                idempotency::run(tx, idempotency.as_ref(), |tx| {
                    check_identities_free(tx.conn(), &customer, None)?;
                    let (id, _) = insert(tx, &customer)?;
                    repo::customers::get(tx.conn(), id)
                })
            })
            .await
    }

    /// Gets a customer the actor may see, with the tickets of theirs the actor may see.
    pub async fn get_customer(&self, actor: &Actor, id: i64) -> AppResult<CustomerView> {
        let grant = actor.grant(Permission::CustomerRead)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let mut customer = repo::customers::get_visible(conn, &actor, id)?;
                customer.tickets = Some(repo::tickets::of_customer(conn, &actor, id)?);
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
        let grant = actor.grant(Permission::CustomerRead)?;
        let limit = cursor::limit(limit)?;
        let before = cursor::before_id(cursor.as_deref())?;
        if let Some(q) = &q {
            input::refuse_nul("q", q)?;
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
                Some(input::like_pattern(&q))
            }
            _ => None,
        };
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let items = repo::customers::list_visible(
                    conn,
                    &actor,
                    before,
                    pattern.as_deref(),
                    limit + 1,
                )?;
                Ok(cursor::page_by_id(items, limit, true, |c| c.id))
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
        let grant = actor.grant(Permission::CustomerUpdate)?;
        let changes = Changes::validate(&patch)?;
        let actor = actor.clone();
        self.kernel
            .command(&grant, "customer.update", move |tx| {
                if !repo::customers::is_visible(tx.conn(), &actor, id)? {
                    return Err(AppError::not_found("customer"));
                }
                let before = repo::customers::get(tx.conn(), id)?;
                let next = changes.apply(&before)?;
                if next.name.is_empty() {
                    return Err(AppError::invalid("name", "The name cannot be empty."));
                }
                check_identities_free(tx.conn(), &next, Some(id))?;
                let now = tx.now();
                repo::customers::update(tx.conn(), id, &next, now)?;
                if changes.emails.is_some() || changes.phones.is_some() {
                    repo::customers::set_identities(tx.conn(), id, &next)?;
                }
                let after = repo::customers::get(tx.conn(), id)?;
                tx.emit(
                    None,
                    CustomerUpdated {
                        customer_id: id,
                        changed: changed_fields(&before, &after),
                    },
                )?;
                Ok(after)
            })
            .await
    }
}

/// The validated fields of a customer patch.
#[derive(Debug, Clone)]
struct Changes {
    name: Option<String>,
    emails: Option<Vec<EmailAddress>>,
    phones: Option<Vec<PhoneE164>>,
    language: Option<Option<LanguageTag>>,
    time_zone: Option<Option<TimeZoneName>>,
    organization: Option<Option<String>>,
    notes: Option<Option<String>>,
}

impl Changes {
    fn validate(patch: &CustomerPatch) -> AppResult<Changes> {
        Ok(Changes {
            name: patch
                .name
                .as_deref()
                .map(|n| rule::name("name", n))
                .transpose()?,
            emails: patch
                .emails
                .as_deref()
                .map(|e| rule::emails("emails", e))
                .transpose()?,
            phones: patch
                .phones
                .as_deref()
                .map(|p| rule::phones("phones", p))
                .transpose()?,
            language: patch
                .language
                .as_ref()
                .map(|l| rule::language("language", l.as_deref()))
                .transpose()?,
            time_zone: patch
                .time_zone
                .as_ref()
                .map(|t| rule::time_zone("time_zone", t.as_deref()))
                .transpose()?,
            organization: patch
                .organization
                .as_ref()
                .map(|o| rule::text("organization", o.as_deref(), 200))
                .transpose()?,
            notes: patch
                .notes
                .as_deref()
                .map(|n| rule::text("notes", Some(n), 20_000))
                .transpose()?,
        })
    }

    /// The customer after these changes. Stored values that no longer parse are an error
    /// naming them, not silently dropped.
    fn apply(&self, before: &CustomerView) -> AppResult<ValidCustomer> {
        let stored = |what: &str, value: &str, error: tiski_domain::ParseError| {
            AppError::Corrupt(format!(
                "customer {}'s stored {what} {value:?} does not parse: {}",
                before.id, error.message
            ))
        };
        Ok(ValidCustomer {
            name: self.name.clone().unwrap_or(before.name.clone()),
            emails: match &self.emails {
                Some(e) => e.clone(),
                None => before
                    .emails
                    .iter()
                    .map(|e| EmailAddress::parse(e).map_err(|err| stored("email", e, err)))
                    .collect::<AppResult<_>>()?,
            },
            phones: match &self.phones {
                Some(p) => p.clone(),
                None => before
                    .phones
                    .iter()
                    .map(|p| PhoneE164::parse(p).map_err(|err| stored("phone", p, err)))
                    .collect::<AppResult<_>>()?,
            },
            language: match &self.language {
                Some(l) => l.clone(),
                None => before
                    .language
                    .as_deref()
                    .map(|l| LanguageTag::parse(l).map_err(|err| stored("language", l, err)))
                    .transpose()?,
            },
            time_zone: match &self.time_zone {
                Some(t) => t.clone(),
                None => before
                    .time_zone
                    .as_deref()
                    .map(|t| TimeZoneName::parse(t).map_err(|err| stored("time zone", t, err)))
                    .transpose()?,
            },
            organization: match &self.organization {
                Some(o) => o.clone(),
                None => before.organization.clone(),
            },
            notes: match &self.notes {
                Some(n) => n.clone().unwrap_or_default(),
                None => before.notes.clone(),
            },
        })
    }
}

/// `before` with `patch` applied (validated as a change from the API would be): how a merge
/// combines two customers.
pub(crate) fn patched(before: &CustomerView, patch: &CustomerPatch) -> AppResult<ValidCustomer> {
    Changes::validate(patch)?.apply(before)
}

/// Which fields differ between two states of a customer.
pub(crate) fn changed_fields(before: &CustomerView, after: &CustomerView) -> Vec<CustomerField> {
    [
        (CustomerField::Name, before.name != after.name),
        (CustomerField::Emails, before.emails != after.emails),
        (CustomerField::Phones, before.phones != after.phones),
        (CustomerField::Language, before.language != after.language),
        (CustomerField::TimeZone, before.time_zone != after.time_zone),
        (
            CustomerField::Organization,
            before.organization != after.organization,
        ),
        (CustomerField::Notes, before.notes != after.notes),
    ]
    .into_iter()
    .filter(|(_, changed)| *changed)
    .map(|(field, _)| field)
    .collect()
}
