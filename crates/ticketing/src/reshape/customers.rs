//! Merging a duplicate customer into another: identities, tickets (as requester) and notes
//! are combined into the survivor; the duplicate stays as a row marked merged (its events and
//! the history that names it keep their meaning), out of lists and searches.

use super::MergeCustomer;
use crate::customers::{CustomerPatch, CustomerView};
use crate::{Ticketing, repo};
use tiski_domain::Permission;
use tiski_domain::event::{CustomerMerged, CustomerUpdated};
use tiski_kernel::{Actor, AppError, AppResult};

/// The most characters of staff notes a customer keeps (as the customer form allows).
const NOTES_MAX: usize = 20_000;

/// What the survivor becomes: its own values, with the duplicate's filling what it lacks,
/// both sets of identities, and the duplicate's notes after its own.
fn combined(survivor: &CustomerView, duplicate: &CustomerView) -> CustomerPatch {
    let union = |a: &[String], b: &[String]| {
        let mut all = a.to_vec();
        all.extend(b.iter().filter(|x| !a.contains(x)).cloned());
        all
    };
    let notes = match (survivor.notes.trim(), duplicate.notes.trim()) {
        (_, "") => survivor.notes.clone(),
        ("", theirs) => theirs.to_string(),
        (ours, theirs) => format!("{ours}\n\n{theirs}"),
    };
    let fill = |ours: &Option<String>, theirs: &Option<String>| {
        ours.is_none().then(|| theirs.clone()).flatten().map(Some)
    };
    CustomerPatch {
        name: survivor
            .name
            .trim()
            .is_empty()
            .then(|| duplicate.name.clone()),
        emails: Some(union(&survivor.emails, &duplicate.emails)),
        phones: Some(union(&survivor.phones, &duplicate.phones)),
        language: fill(&survivor.language, &duplicate.language),
        time_zone: fill(&survivor.time_zone, &duplicate.time_zone),
        organization: fill(&survivor.organization, &duplicate.organization),
        notes: Some(notes.chars().take(NOTES_MAX).collect()),
    }
}

impl Ticketing {
    /// Merges customer `id` into `input.into`: its identities and tickets move to the
    /// survivor, its notes are appended to the survivor's, and it is marked merged.
    pub async fn merge_customer(
        &self,
        actor: &Actor,
        id: i64,
        input: MergeCustomer,
    ) -> AppResult<CustomerView> {
        let grant = actor.grant(Permission::CustomerMerge)?;
        let into = input.into;
        if into == id {
            return Err(AppError::invalid(
                "into",
                "A customer cannot be merged into themselves.",
            ));
        }
        let actor = actor.clone();
        self.kernel
            .command(&grant, "customer.merge", move |tx| {
                for (field, customer) in [("", id), ("into", into)] {
                    if !repo::customers::is_visible(tx.conn(), &actor, customer)? {
                        return Err(AppError::not_found("customer"));
                    }
                    if let Some(survivor) =
                        repo::reshape::customer_merged_into(tx.conn(), customer)?
                    {
                        return Err(AppError::invalid(
                            if field.is_empty() { "id" } else { field },
                            format!(
                                "Customer {customer} was merged into customer {survivor} already."
                            ),
                        ));
                    }
                }
                let duplicate = repo::customers::get(tx.conn(), id)?;
                let survivor = repo::customers::get(tx.conn(), into)?;
                let next = crate::customers::patched(&survivor, &combined(&survivor, &duplicate))?;
                let identities = repo::reshape::move_identities(tx.conn(), id, into)?;
                let tickets = repo::reshape::move_requests(tx.conn(), id, into)?;
                let now = tx.now();
                repo::customers::update(tx.conn(), into, &next, now)?;
                repo::customers::set_identities(tx.conn(), into, &next)?;
                repo::reshape::set_customer_merged(tx.conn(), id, into, now)?;
                let after = repo::customers::get(tx.conn(), into)?;
                let changed = crate::customers::changed_fields(&survivor, &after);
                if !changed.is_empty() {
                    tx.emit(
                        None,
                        CustomerUpdated {
                            customer_id: into,
                            changed,
                        },
                    )?;
                }
                tx.emit(
                    None,
                    CustomerMerged {
                        customer_id: id,
                        into,
                        tickets,
                        identities,
                    },
                )?;
                Ok(after)
            })
            .await
    }
}
