//! Routing: agents' presence, skills and agents' skills, queues, and the supervisors' board.

use crate::extract::{ApiJson, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tiski_routing::{
    AgentSkillsInput, AgentSkillsView, Board, NewQueue, NewSkill, OfferOutcome, OfferView,
    PresenceInput, PresenceView, QueuePatch, QueueView, SkillView,
};

/// An agent's presence: status, since when, load, and the routing state per channel. Agents
/// read their own; supervisors their teams' members'; admins anyone's.
#[utoipa::path(get, path = "/api/v1/agents/{id}/presence", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = PresenceView), (status = 404, body = Problem)))]
pub async fn presence(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<PresenceView>> {
    Ok(Json(app.routing.presence(&actor, id).await?))
}

/// Sets an agent's presence status: an agent their own, a supervisor their teams' members',
/// an admin anyone's.
#[utoipa::path(put, path = "/api/v1/agents/{id}/presence", tag = "routing", params(("id" = i64, Path)),
    request_body = PresenceInput,
    responses((status = 200, body = PresenceView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_presence(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<PresenceInput>,
) -> ApiResult<Json<PresenceView>> {
    Ok(Json(
        app.routing
            .set_presence(&actor, id, json.body.status)
            .await?,
    ))
}

/// Every skill.
#[utoipa::path(get, path = "/api/v1/skills", tag = "routing",
    responses((status = 200, body = Vec<SkillView>)))]
pub async fn skills(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<Vec<SkillView>>> {
    Ok(Json(app.routing.skills(&actor).await?))
}

/// Creates a skill. Admins only; a licence never relaxes.
#[utoipa::path(post, path = "/api/v1/skills", tag = "routing", request_body = NewSkill,
    responses((status = 201, body = SkillView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_skill(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewSkill>,
) -> ApiResult<Response> {
    let skill = app.routing.create_skill(&actor, json.body).await?;
    Ok((StatusCode::CREATED, Json(skill)).into_response())
}

/// Replaces an agent's skills, with proficiency and, for licences, the last valid day.
/// Admins only.
#[utoipa::path(put, path = "/api/v1/agents/{id}/skills", tag = "routing", params(("id" = i64, Path)),
    request_body = AgentSkillsInput,
    responses((status = 200, body = AgentSkillsView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_agent_skills(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<AgentSkillsInput>,
) -> ApiResult<Json<AgentSkillsView>> {
    Ok(Json(
        app.routing.set_agent_skills(&actor, id, json.body).await?,
    ))
}

/// Every queue, with how many items wait in it.
#[utoipa::path(get, path = "/api/v1/queues", tag = "routing",
    responses((status = 200, body = Vec<QueueView>)))]
pub async fn queues(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<Vec<QueueView>>> {
    Ok(Json(app.routing.queues(&actor).await?))
}

/// One queue.
#[utoipa::path(get, path = "/api/v1/queues/{id}", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = QueueView), (status = 404, body = Problem)))]
pub async fn queue(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<QueueView>> {
    Ok(Json(app.routing.queue(&actor, id).await?))
}

/// Creates a queue. Admins only.
#[utoipa::path(post, path = "/api/v1/queues", tag = "routing", request_body = NewQueue,
    responses((status = 201, body = QueueView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_queue(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewQueue>,
) -> ApiResult<Response> {
    let queue = app.routing.create_queue(&actor, json.body).await?;
    Ok((StatusCode::CREATED, Json(queue)).into_response())
}

/// Changes a queue. Admins only.
#[utoipa::path(patch, path = "/api/v1/queues/{id}", tag = "routing", params(("id" = i64, Path)),
    request_body = QueuePatch,
    responses((status = 200, body = QueueView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_queue(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<QueuePatch>,
) -> ApiResult<Json<QueueView>> {
    Ok(Json(app.routing.update_queue(&actor, id, json.body).await?))
}

/// The supervisors' board: their teams' agents (an admin's: everyone) with status, load and
/// work, and every queue with its waiting count and oldest wait. Supervisors and admins.
#[utoipa::path(get, path = "/api/v1/routing/board", tag = "routing",
    responses((status = 200, body = Board), (status = 403, body = Problem)))]
pub async fn board(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<Board>> {
    Ok(Json(app.routing.board(&actor).await?))
}

/// The offers awaiting the caller's answer (work pushed to them on a channel with an offer
/// timeout: a call, a chat), oldest first.
#[utoipa::path(get, path = "/api/v1/routing/offers", tag = "routing",
    responses((status = 200, body = Vec<OfferView>), (status = 403, body = Problem)))]
pub async fn offers(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
) -> ApiResult<Json<Vec<OfferView>>> {
    Ok(Json(app.routing.offers(&actor).await?))
}

/// Accepts an offer made to the caller (`id` is the work item's): the ticket is assigned to
/// them. 404 when it is not theirs, or no longer open (answered, lapsed).
#[utoipa::path(post, path = "/api/v1/routing/offers/{id}/accept", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = OfferOutcome), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn accept_offer(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<OfferOutcome>> {
    Ok(Json(app.routing.accept_offer(&actor, id).await?))
}

/// Declines an offer made to the caller: the work goes to the next agent keeping its place,
/// and the caller is "not responding" (nothing more is pushed to them) until they or a
/// supervisor set their presence status again.
#[utoipa::path(post, path = "/api/v1/routing/offers/{id}/decline", tag = "routing", params(("id" = i64, Path)),
    responses((status = 200, body = OfferOutcome), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn decline_offer(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<OfferOutcome>> {
    Ok(Json(app.routing.decline_offer(&actor, id).await?))
}
