//! Saved views: filters an agent keeps for themselves, or a supervisor shares with everyone.

use crate::query::ViewFilters;
use crate::{Ticketing, repo};
use serde::Serialize;
use tiski_domain::Permission;
use tiski_domain::event::{ViewCreated, ViewDeleted};
use tiski_kernel::{Actor, AppError, AppResult, input};

/// A saved view.
#[derive(Debug, Clone, Serialize)]
pub struct SavedView {
    /// Id.
    pub id: i64,
    /// Name shown in the inbox.
    pub name: String,
    /// Its filters.
    pub filters: ViewFilters,
    /// The owner of a personal view; `None` when shared.
    pub owner_id: Option<i64>,
}

impl Ticketing {
    /// The saved views the actor sees: shared ones and their own, by name.
    pub async fn list_saved_views(&self, actor: &Actor) -> AppResult<Vec<SavedView>> {
        let grant = actor.grant(Permission::ViewUse)?;
        let me = actor.id;
        self.kernel
            .query(&grant, move |conn| repo::views::usable(conn, me))
            .await
    }

    /// One saved view the actor sees.
    pub async fn get_saved_view(&self, actor: &Actor, id: i64) -> AppResult<SavedView> {
        let grant = actor.grant(Permission::ViewUse)?;
        let me = actor.id;
        self.kernel
            .query(&grant, move |conn| {
                repo::views::get_usable(conn, me, id)?.ok_or(AppError::not_found("view"))
            })
            .await
    }

    /// Saves a view: personal, or shared with everyone (supervisors and admins).
    pub async fn create_saved_view(
        &self,
        actor: &Actor,
        name: &str,
        filters: ViewFilters,
        shared: bool,
    ) -> AppResult<SavedView> {
        let grant = actor.grant(if shared {
            Permission::ViewShare
        } else {
            Permission::ViewUse
        })?;
        let name = input::trimmed(
            "name",
            name,
            1,
            100,
            "The name must have 1 to 100 characters.",
        )?;
        filters.query()?;
        let json = serde_json::to_string(&filters)?;
        let owner = (!shared).then_some(actor.id);
        let me = actor.id;
        self.kernel
            .command(&grant, "view.create", move |tx| {
                let now = tx.now();
                let id = repo::views::insert(tx.conn(), &name, &json, owner, me, now)?;
                tx.emit(
                    None,
                    ViewCreated {
                        view_id: id,
                        shared,
                    },
                )?;
                Ok(SavedView {
                    id,
                    name: name.clone(),
                    filters: filters.clone(),
                    owner_id: owner,
                })
            })
            .await
    }

    /// Deletes a saved view: one's own, or a shared one (supervisors and admins).
    pub async fn delete_saved_view(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let found = self.get_saved_view(actor, id).await?;
        let grant = actor.grant(if found.owner_id.is_none() {
            Permission::ViewShare
        } else {
            Permission::ViewUse
        })?;
        self.kernel
            .command(&grant, "view.delete", move |tx| {
                repo::views::delete(tx.conn(), id)?;
                tx.emit(None, ViewDeleted { view_id: id })
            })
            .await
    }
}
