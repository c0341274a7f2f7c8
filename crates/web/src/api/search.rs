//! Search: one ranked, permission-filtered search over tickets and customers
//! (`/api/v1/search`), and the same over tickets as `GET /api/v1/tickets?q=`.

use crate::extract::{ApiQuery, Auth, State as App};
use crate::problem::ApiResult;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tiski_knowledge::query::RawFilters;
use tiski_knowledge::{SearchRequest, SearchResults, SearchType};

/// Results of one kind when the request names no limit.
const DEFAULT_LIMIT: i64 = 20;

/// The parameters of a search.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words to find, in any of the languages tiski analyses (at most 500 characters;
    /// everything but letters and digits only separates words).
    pub q: String,
    /// `ticket`, `customer` or `article`; every kind the caller may read when absent.
    #[serde(rename = "type")]
    #[param(value_type = Option<String>)]
    pub kind: Option<SearchType>,
    /// Most hits of each kind, 1 to 100 (20 when absent).
    pub limit: Option<i64>,
    /// Only tickets of these statuses (comma-separated).
    pub status: Option<String>,
    /// Only tickets of this team.
    pub team_id: Option<i64>,
    /// Only tickets and articles of this language (`fi` also finds `fi-FI`); articles in
    /// another language answer through their translation in it.
    pub language: Option<String>,
    /// Only tickets that came through this channel.
    pub channel: Option<String>,
    /// Only tickets created at or after this time (RFC 3339).
    pub created_from: Option<String>,
    /// Only tickets created before this time (RFC 3339).
    pub created_before: Option<String>,
    /// `relevance` (default) or `date` (most recently changed ticket first).
    pub sort: Option<String>,
}

impl SearchParams {
    pub(crate) fn request(self) -> SearchRequest {
        SearchRequest {
            q: self.q,
            kind: self.kind,
            limit: self.limit.unwrap_or(DEFAULT_LIMIT),
            filters: RawFilters {
                status: self.status,
                team_id: self.team_id,
                language: self.language,
                channel: self.channel,
                created_from: self.created_from,
                created_before: self.created_before,
                sort: self.sort,
            },
        }
    }
}

/// Searches tickets (subjects, messages, notes), customers and knowledge-base articles the
/// caller may see, ranked (or tickets by date), each hit with an HTML snippet whose matches
/// are in `<mark>`. `"…"` in `q` is a phrase, a trailing `*` a prefix.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 400, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn search(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> ApiResult<Json<SearchResults>> {
    Ok(Json(app.knowledge.search(&actor, params.request()).await?))
}
