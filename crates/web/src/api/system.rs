//! Health and identity.

use crate::extract::{Auth, NoQuery};
use axum::Json;
use serde::Serialize;
use tiski_kernel::Actor;

/// The health answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok` while the server answers.
    pub status: &'static str,
}

/// Whether the server is up. No authentication.
#[utoipa::path(get, path = "/api/v1/health", tag = "system", security(()), responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The caller: user, role and teams.
#[utoipa::path(get, path = "/api/v1/me", tag = "system", responses((status = 200, body = Actor), (status = 401, body = crate::problem::Problem)))]
pub async fn me(Auth(actor): Auth, _query: NoQuery) -> Json<Actor> {
    Json(actor)
}
