//! The two-factor policy: which roles must sign in with a second factor.

use crate::extract::{ApiJson, Auth, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use tiski_staff::{TwoFactorPolicy, TwoFactorPolicyInput};

/// The roles that must sign in with a second factor: those the workspace requires and those
/// the server setting forces. Admins only.
#[utoipa::path(get, path = "/api/v1/two-factor/policy", tag = "agents",
    responses((status = 200, body = TwoFactorPolicy), (status = 403, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<TwoFactorPolicy>> {
    Ok(Json(app.staff.two_factor_policy(&actor).await?))
}

/// Sets the roles the workspace requires to sign in with a second factor (the roles the
/// server setting forces stay required). Admins only.
#[utoipa::path(put, path = "/api/v1/two-factor/policy", tag = "agents", request_body = TwoFactorPolicyInput,
    responses((status = 200, body = TwoFactorPolicy), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<TwoFactorPolicyInput>,
) -> ApiResult<Json<TwoFactorPolicy>> {
    Ok(Json(
        app.staff.set_two_factor_roles(&actor, json.body).await?,
    ))
}
