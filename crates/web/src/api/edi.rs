//! EDI: trading partners, interchanges received (kept raw, with their state and reason)
//! and the acknowledgements queued for the partner.

use super::created;
use crate::extract::{ApiJson, ApiQuery, Auth, Id, NoQuery, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tiski_commerce::{
    EdiPaging, EdiSource, EdiSyntax, InterchangeView, NewPartner, PartnerView, ReceiveOutcome,
};
use tiski_kernel::{ErrorCode, Page, Settings, Stored};

/// The routes of this module, merged into `/api/v1`; uploads take bodies up to the EDI size
/// limit (and a little more, so the application's own check answers with its message).
pub(crate) fn routes(settings: &Settings) -> Router<App> {
    Router::new()
        .route("/edi/partners", get(list_partners).post(create_partner))
        .route(
            "/edi",
            post(receive).layer(axum::extract::DefaultBodyLimit::max(
                settings.max_edi_bytes + 64 * 1024,
            )),
        )
        .route("/edi/interchanges", get(list_interchanges))
        .route("/edi/interchanges/{id}", get(get_interchange))
}

/// Adds a trading partner: its sender id and qualifier as in ISA06/ISA05 or UNB 0004/0007,
/// the customer its orders are for and its part numbers mapped to our SKUs. Admins only.
#[utoipa::path(post, path = "/api/v1/edi/partners", tag = "edi", request_body = NewPartner,
    responses((status = 201, body = PartnerView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_partner(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    json: ApiJson<NewPartner>,
) -> ApiResult<Response> {
    let partner = app.commerce.create_edi_partner(&actor, json.body).await?;
    Ok(created(Stored::Fresh(partner)))
}

/// Trading partners, newest first.
#[utoipa::path(get, path = "/api/v1/edi/partners", tag = "edi", params(EdiPaging),
    responses((status = 200, body = Page<PartnerView>), (status = 403, body = Problem)))]
pub async fn list_partners(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(paging): ApiQuery<EdiPaging>,
) -> ApiResult<Json<Page<PartnerView>>> {
    Ok(Json(app.commerce.list_edi_partners(&actor, paging).await?))
}

/// The syntax a content type names.
fn syntax(headers: &HeaderMap) -> Result<EdiSyntax, Problem> {
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    match mime.as_deref() {
        Some("application/edi-x12") => Ok(EdiSyntax::X12),
        Some("application/edifact") => Ok(EdiSyntax::Edifact),
        _ => Err(Problem::of(
            ErrorCode::UnsupportedMediaType,
            "Send the interchange as application/edi-x12 or application/edifact.",
        )
        .at("Content-Type")),
    }
}

/// The refusal of an interchange: 422 problem+json naming the segment at fault in `field`,
/// with the interchange as kept (`interchange_id`, `interchange` with its acknowledgements).
fn refused(view: InterchangeView) -> Response {
    let body = serde_json::json!({
        "type": "/problems/edi_refused",
        "title": "Unprocessable Entity",
        "status": 422,
        "detail": view.reason.clone().unwrap_or_else(|| "The interchange was refused.".into()),
        "code": ErrorCode::EdiRefused.as_str(),
        "field": view.reason_path.clone().unwrap_or_else(|| "body".into()),
        "interchange_id": view.id,
        "interchange": view,
    });
    let mut response = (StatusCode::UNPROCESSABLE_ENTITY, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

/// Receives one interchange (X12 as `application/edi-x12`, EDIFACT as
/// `application/edifact`): 201 with the orders made and the acknowledgements queued; or 422
/// (`edi_refused`) naming the segment at fault in `field` (`ST[2]/PO1[3]/02`: element 2 of the
/// third PO1 of the second transaction set; `IEA/01`, `UNB/02` …), the interchange kept raw
/// with its reason and, when its header was readable, a rejecting acknowledgement queued.
/// Needs `edi.receive` and `order.write`.
#[utoipa::path(post, path = "/api/v1/edi", tag = "edi",
    request_body(content = String, content_type = "application/edi-x12"),
    responses((status = 201, body = ReceiveOutcome), (status = 403, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn receive(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let syntax = syntax(&headers)?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::of(ErrorCode::BodyTooLarge, "The interchange is too large.").at("body")
        } else {
            Problem::of(ErrorCode::UnreadableBody, rejection.body_text()).at("body")
        }
    })?;
    if body.is_empty() {
        return Err(
            Problem::of(ErrorCode::InvalidField, "The body must be an interchange.").at("body"),
        );
    }
    let outcome = app
        .commerce
        .receive_edi(&actor, syntax, &body, EdiSource::Api, None)
        .await?;
    if outcome.interchange.state == "rejected" {
        return Ok(refused(outcome.interchange));
    }
    Ok((StatusCode::CREATED, Json(outcome)).into_response())
}

/// Received interchanges, newest first (admins: all; others: those they sent), without raw
/// text.
#[utoipa::path(get, path = "/api/v1/edi/interchanges", tag = "edi", params(EdiPaging),
    responses((status = 200, body = Page<InterchangeView>), (status = 403, body = Problem)))]
pub async fn list_interchanges(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(paging): ApiQuery<EdiPaging>,
) -> ApiResult<Json<Page<InterchangeView>>> {
    Ok(Json(
        app.commerce.list_edi_interchanges(&actor, paging).await?,
    ))
}

/// One interchange with its raw text, state, reason and the acknowledgements queued.
#[utoipa::path(get, path = "/api/v1/edi/interchanges/{id}", tag = "edi", params(("id" = i64, Path)),
    responses((status = 200, body = InterchangeView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_interchange(
    State(app): State<App>,
    Auth(actor): Auth,
    _query: NoQuery,
    Id(id): Id,
) -> ApiResult<Json<InterchangeView>> {
    Ok(Json(app.commerce.get_edi_interchange(&actor, id).await?))
}
