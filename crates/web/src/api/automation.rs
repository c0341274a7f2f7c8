//! Automations: triggers and time rules, and trying them on existing tickets.

use crate::extract::{ApiJson, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tiski_automation::{
    DryRun, NewTimeRule, NewTrigger, TimeRulePatch, TimeRuleView, TriggerPatch, TriggerView,
};
use tiski_kernel::Page;

/// Makes a trigger. Admins only.
#[utoipa::path(post, path = "/api/v1/triggers", tag = "automation", request_body = NewTrigger,
    responses((status = 201, body = TriggerView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_trigger(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewTrigger>,
) -> ApiResult<Response> {
    let view = app.automation.create_trigger(&actor, json.body).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// Every trigger, in the order they run. Staff.
#[utoipa::path(get, path = "/api/v1/triggers", tag = "automation",
    responses((status = 200, body = Page<TriggerView>), (status = 403, body = Problem)))]
pub async fn list_triggers(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<Page<TriggerView>>> {
    Ok(Json(app.automation.list_triggers(&actor).await?))
}

/// One trigger. Staff.
#[utoipa::path(get, path = "/api/v1/triggers/{id}", tag = "automation", params(("id" = i64, Path)),
    responses((status = 200, body = TriggerView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_trigger(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
) -> ApiResult<Json<TriggerView>> {
    Ok(Json(app.automation.trigger(&actor, id).await?))
}

/// Changes a trigger. Admins only.
#[utoipa::path(patch, path = "/api/v1/triggers/{id}", tag = "automation", params(("id" = i64, Path)), request_body = TriggerPatch,
    responses((status = 200, body = TriggerView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_trigger(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
    json: ApiJson<TriggerPatch>,
) -> ApiResult<Json<TriggerView>> {
    Ok(Json(
        app.automation.update_trigger(&actor, id, json.body).await?,
    ))
}

/// Deletes a trigger. Admins only.
#[utoipa::path(delete, path = "/api/v1/triggers/{id}", tag = "automation", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_trigger(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
) -> ApiResult<StatusCode> {
    app.automation.delete_trigger(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tries a trigger on existing tickets without acting: how many its conditions hold for
/// now, and a few ids. Staff.
#[utoipa::path(post, path = "/api/v1/triggers/test", tag = "automation", request_body = NewTrigger,
    responses((status = 200, body = DryRun), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn test_trigger(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewTrigger>,
) -> ApiResult<Json<DryRun>> {
    Ok(Json(app.automation.test_trigger(&actor, json.body).await?))
}

/// Makes a time rule. Admins only.
#[utoipa::path(post, path = "/api/v1/time-rules", tag = "automation", request_body = NewTimeRule,
    responses((status = 201, body = TimeRuleView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_time_rule(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewTimeRule>,
) -> ApiResult<Response> {
    let view = app.automation.create_time_rule(&actor, json.body).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// Every time rule, in the order they run. Staff.
#[utoipa::path(get, path = "/api/v1/time-rules", tag = "automation",
    responses((status = 200, body = Page<TimeRuleView>), (status = 403, body = Problem)))]
pub async fn list_time_rules(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<Page<TimeRuleView>>> {
    Ok(Json(app.automation.list_time_rules(&actor).await?))
}

/// One time rule. Staff.
#[utoipa::path(get, path = "/api/v1/time-rules/{id}", tag = "automation", params(("id" = i64, Path)),
    responses((status = 200, body = TimeRuleView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_time_rule(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
) -> ApiResult<Json<TimeRuleView>> {
    Ok(Json(app.automation.time_rule(&actor, id).await?))
}

/// Changes a time rule. Admins only.
#[utoipa::path(patch, path = "/api/v1/time-rules/{id}", tag = "automation", params(("id" = i64, Path)), request_body = TimeRulePatch,
    responses((status = 200, body = TimeRuleView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_time_rule(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
    json: ApiJson<TimeRulePatch>,
) -> ApiResult<Json<TimeRuleView>> {
    Ok(Json(
        app.automation
            .update_time_rule(&actor, id, json.body)
            .await?,
    ))
}

/// Deletes a time rule. Admins only.
#[utoipa::path(delete, path = "/api/v1/time-rules/{id}", tag = "automation", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_time_rule(
    State(app): State<App>,
    Auth(actor): Auth,
    Id(id): Id,
    _query: NoQuery,
) -> ApiResult<StatusCode> {
    app.automation.delete_time_rule(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tries a time rule on existing tickets without acting: how many it would act on now.
/// Staff.
#[utoipa::path(post, path = "/api/v1/time-rules/test", tag = "automation", request_body = NewTimeRule,
    responses((status = 200, body = DryRun), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn test_time_rule(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewTimeRule>,
) -> ApiResult<Json<DryRun>> {
    Ok(Json(
        app.automation.test_time_rule(&actor, json.body).await?,
    ))
}
