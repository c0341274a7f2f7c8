//! The knowledge base: articles, their versions and translations, and their search
//! (`/api/v1/kb/…`, pinned by issue 11).

use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tiski_knowledge::kb::{
    ArticleList, ArticlePatch, ArticleView, KbResults, NewArticle, VersionList,
};

/// The parameters of the article list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only articles in this language.
    pub language: Option<String>,
    /// Most articles, 1 to 200 (50 when absent).
    pub limit: Option<i64>,
}

/// The parameters of a knowledge-base search.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KbSearchParams {
    /// The words to find (at most 500 characters).
    pub q: String,
    /// Only articles in this language, analysed in it.
    pub language: Option<String>,
    /// Most hits, 1 to 100 (10 when absent).
    pub limit: Option<i64>,
}

/// Writes an article (version 1). Supervisors and admins.
#[utoipa::path(post, path = "/api/v1/kb/articles", tag = "kb", request_body = NewArticle,
    responses((status = 201, body = ArticleView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewArticle>,
) -> ApiResult<Response> {
    let view = app.knowledge.create_article(&actor, json.body).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// Lists articles, newest first.
#[utoipa::path(get, path = "/api/v1/kb/articles", tag = "kb", params(ListParams),
    responses((status = 200, body = ArticleList), (status = 422, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<Json<ArticleList>> {
    let limit = params.limit.unwrap_or(50);
    Ok(Json(
        app.knowledge
            .articles(&actor, params.language, limit)
            .await?,
    ))
}

/// Gets an article, its body rendered sanitised in `html`.
#[utoipa::path(get, path = "/api/v1/kb/articles/{id}", tag = "kb", params(("id" = i64, Path)),
    responses((status = 200, body = ArticleView), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<ArticleView>> {
    Ok(Json(app.knowledge.article(&actor, id).await?))
}

/// Changes an article: a new version. Supervisors and admins.
#[utoipa::path(patch, path = "/api/v1/kb/articles/{id}", tag = "kb", params(("id" = i64, Path)), request_body = ArticlePatch,
    responses((status = 200, body = ArticleView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
    json: ApiJson<ArticlePatch>,
) -> ApiResult<Json<ArticleView>> {
    Ok(Json(
        app.knowledge.update_article(&actor, id, json.body).await?,
    ))
}

/// Deletes an article with its versions. Supervisors and admins.
#[utoipa::path(delete, path = "/api/v1/kb/articles/{id}", tag = "kb", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    app.knowledge.delete_article(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An article's versions, newest first.
#[utoipa::path(get, path = "/api/v1/kb/articles/{id}/versions", tag = "kb", params(("id" = i64, Path)),
    responses((status = 200, body = VersionList), (status = 404, body = Problem)))]
pub async fn versions(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<VersionList>> {
    Ok(Json(app.knowledge.versions(&actor, id).await?))
}

/// The article's translations (the other articles of its group).
#[utoipa::path(get, path = "/api/v1/kb/articles/{id}/translations", tag = "kb", params(("id" = i64, Path)),
    responses((status = 200, body = ArticleList), (status = 404, body = Problem)))]
pub async fn translations(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<ArticleList>> {
    Ok(Json(app.knowledge.translations(&actor, id).await?))
}

/// Searches the articles' sections: `{"items":[{"article_id","title","section","snippet","score"}]}`,
/// no items when nothing answers the query well.
#[utoipa::path(get, path = "/api/v1/kb/search", tag = "kb", params(KbSearchParams),
    responses((status = 200, body = KbResults), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn search(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(params): ApiQuery<KbSearchParams>,
) -> ApiResult<Json<KbResults>> {
    let limit = params.limit.unwrap_or(10);
    Ok(Json(
        app.knowledge
            .search_articles(&actor, params.q, params.language, limit)
            .await?,
    ))
}
