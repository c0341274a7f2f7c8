//! Extractors that turn bad requests into problems naming the field at fault.

use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use tiski_kernel::ErrorCode;
use tiski_kernel::{Actor, Idempotency};

/// The application state handlers get.
pub type State = tiski_app::App;

/// A JSON body, parsed strictly; errors name the JSON path at fault.
pub struct ApiJson<T> {
    /// The parsed body.
    pub body: T,
    /// The `Idempotency-Key` header with a digest of this request, when the client sent one.
    pub idempotency: Option<Idempotency>,
}

/// The field a serde message names (`missing field `x``, `duplicate field `x``), joined to the
/// path where it was missed.
fn named_field(path: &str, message: &str) -> Option<String> {
    let name = ["missing field `", "duplicate field `"]
        .iter()
        .find_map(|prefix| message.split_once(prefix))
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(name, _)| name.to_string())?;
    Some(if path == "." || path.is_empty() {
        name
    } else {
        format!("{path}.{name}")
    })
}

fn json_problem(error: serde_path_to_error::Error<serde_json::Error>, bytes: &[u8]) -> Problem {
    let path = error.path().to_string();
    let inner = error.into_inner();
    let message = inner.to_string();
    let field = named_field(&path, &message).or((path != ".").then_some(path));
    // serde_json reports some type errors (a number where an enum is expected) as syntax
    // errors; the body is malformed only if it is not JSON at all.
    let is_json = serde_json::from_slice::<serde_json::Value>(bytes).is_ok();
    let problem = if !is_json && (inner.is_syntax() || inner.is_eof()) {
        Problem::of(
            ErrorCode::MalformedJson,
            format!("The body is not valid JSON: {message}."),
        )
    } else {
        Problem::of(
            ErrorCode::InvalidField,
            format!("The body does not fit: {message}."),
        )
    };
    match field {
        Some(field) => problem.at(dotted(&field)),
        None => problem,
    }
}

/// serde_path_to_error writes `a.b[2]`; we name fields `a.b/2` like the validation errors do.
fn dotted(path: &str) -> String {
    path.replace('[', "/").replace(']', "")
}

impl<T: DeserializeOwned + Send> FromRequest<State> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &State) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let mime = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !is_json {
            return Err(Problem::of(
                ErrorCode::UnsupportedMediaType,
                "Send the body as application/json.",
            )
            .at("Content-Type"));
        }
        let key = request
            .headers()
            .get("idempotency-key")
            .map(|v| v.to_str().map(str::to_string));
        let target = format!("{} {}", request.method(), request.uri().path());
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    Problem::of(ErrorCode::BodyTooLarge, "The body is too large.").at("body")
                } else {
                    Problem::of(ErrorCode::UnreadableBody, rejection.body_text()).at("body")
                }
            })?;
        let deserializer = &mut serde_json::Deserializer::from_slice(&bytes);
        let body = serde_path_to_error::deserialize(&mut *deserializer)
            .map_err(|error| json_problem(error, &bytes))?;
        deserializer.end().map_err(|_| {
            Problem::of(
                ErrorCode::MalformedJson,
                "The body has more after its JSON value; send exactly one JSON value.",
            )
            .at("body")
        })?;
        let idempotency = match key {
            None => None,
            Some(Err(_)) => {
                return Err(Problem::of(
                    ErrorCode::InvalidField,
                    "The Idempotency-Key header must be visible ASCII.",
                )
                .at("Idempotency-Key"));
            }
            Some(Ok(key)) => {
                let mut digest = Sha256::new();
                digest.update(target.as_bytes());
                digest.update([0]);
                digest.update(&bytes);
                let digest = tiski_kernel::crypto::hex(&digest.finalize());
                Some(Idempotency::new(&key, digest).map_err(Problem::from)?)
            }
        };
        Ok(ApiJson { body, idempotency })
    }
}

/// Query parameters, parsed strictly; errors name the parameter at fault.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or("")).map(ApiQuery)
    }
}

/// Parses a query string strictly, as [`ApiQuery`] does; errors name the parameter at fault.
pub(crate) fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, Problem> {
    check_query_size(query)?;
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        let path = named_field(&path, &message).unwrap_or(path);
        let problem = Problem::of(
            ErrorCode::InvalidQuery,
            format!("The query string does not fit: {message}."),
        );
        if path == "." {
            problem
        } else {
            problem.at(dotted(&path))
        }
    })
}

/// The most parameters a query string may have, and the most items in one comma-separated
/// list: far above what any list filter needs, far below what would strain a statement.
pub const MAX_QUERY_ITEMS: usize = 64;

/// Refuses a query string with more than [`MAX_QUERY_ITEMS`] parameters, or a parameter
/// whose list has more items, naming the parameter.
fn check_query_size(query: &str) -> Result<(), Problem> {
    let mut count = 0;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        count += 1;
        let items = value.split(',').count();
        if count > MAX_QUERY_ITEMS || items > MAX_QUERY_ITEMS {
            return Err(Problem::of(
                ErrorCode::InvalidQuery,
                format!(
                    "The query string has too many values; give at most {MAX_QUERY_ITEMS} parameters and {MAX_QUERY_ITEMS} items per list."
                ),
            )
            .at(name.into_owned()));
        }
    }
    Ok(())
}

/// A route that takes no query parameters: any query is refused, naming the first parameter.
pub struct NoQuery;

impl<S: Send + Sync> FromRequestParts<S> for NoQuery {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.uri.query().filter(|q| !q.is_empty()) {
            None => Ok(NoQuery),
            Some(query) => {
                let name = form_urlencoded::parse(query.as_bytes())
                    .next()
                    .map(|(name, _)| name.into_owned())
                    .unwrap_or_default();
                Err(Problem::of(
                    ErrorCode::InvalidQuery,
                    format!("This address takes no query parameters; {name:?} is not one."),
                )
                .at(name))
            }
        }
    }
}

/// Reads the numeric path parameter `name`; anything but a positive integer is a problem
/// naming it.
async fn path_id<S: Send + Sync>(parts: &mut Parts, state: &S, name: &str) -> Result<i64, Problem> {
    let params = axum::extract::RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| Problem::of(ErrorCode::InvalidPath, "The path could not be read."))?;
    let value = params
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string());
    value
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|v| *v > 0)
        .ok_or_else(|| {
            Problem::of(
                ErrorCode::InvalidPath,
                format!("The {name} in the path must be a positive integer."),
            )
            .at(name)
        })
}

/// The `{id}` path parameter.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state, "id").await.map(Id)
    }
}

/// The `{user_id}` path parameter.
pub struct UserId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for UserId {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state, "user_id").await.map(UserId)
    }
}

/// The `{message_id}` path parameter.
pub struct MessageId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for MessageId {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state, "message_id").await.map(MessageId)
    }
}

/// The authenticated staff user of an API request (`Authorization: Bearer <token>`).
pub struct Auth(pub Actor);

/// The token of `Authorization: Bearer <token>`.
fn bearer(parts: &Parts) -> Result<String, Problem> {
    let header = parts.headers.get(header::AUTHORIZATION).ok_or_else(|| {
        Problem::of(
            ErrorCode::Unauthorized,
            "Send an API token as Authorization: Bearer <token>.",
        )
        .at("Authorization")
    })?;
    header
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|v| v.trim().to_string())
        .ok_or_else(|| {
            Problem::of(
                ErrorCode::Unauthorized,
                "The Authorization header must be Bearer <token>.",
            )
            .at("Authorization")
        })
}

impl FromRequestParts<State> for Auth {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        let actor = state
            .staff
            .authenticate_token(&token)
            .await
            .map_err(|e| Problem::from(e).at("Authorization"))?;
        Ok(Auth(actor))
    }
}

/// Where a request comes from, as far as the server may believe: the client's address (the
/// socket's peer, or what a trusted proxy names in the configured header) and whether the
/// public reached us over HTTPS (the `public_scheme` setting, or `X-Forwarded-Proto` from a
/// trusted proxy). Headers from anyone else are ignored, so they cannot be forged.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The client's address (`unknown` when the server runs without connection info).
    pub client: String,
    /// Whether the request reached the public side over HTTPS.
    pub https: bool,
}

impl Origin {
    /// The origin of a request with these headers and extensions under `settings`.
    pub fn of(
        settings: &tiski_kernel::Settings,
        headers: &axum::http::HeaderMap,
        extensions: &axum::http::Extensions,
    ) -> Origin {
        use tiski_kernel::settings::PublicScheme;
        let peer = extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let trusted = peer.is_some_and(|ip| settings.trusted_proxies.trusts(ip));
        let forwarded = trusted
            .then_some(settings.trusted_proxy_header.0.as_deref())
            .flatten()
            .and_then(|name| forwarded_client(headers, name, settings));
        let client = forwarded
            .or(peer)
            .map(|ip| ip.to_string())
            .unwrap_or_else(|| "unknown".into());
        let https = match settings.public_scheme {
            PublicScheme::Https => true,
            PublicScheme::Http => false,
            PublicScheme::Auto => {
                trusted
                    && headers
                        .get("x-forwarded-proto")
                        .and_then(|v| v.to_str().ok())
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
            }
        };
        Origin { client, https }
    }
}

/// The client a trusted proxy names in header `name`: in a list (`X-Forwarded-For: a, b`), the
/// rightmost address that is not itself a trusted proxy (the ones left of it were sent by the
/// client and prove nothing).
fn forwarded_client(
    headers: &axum::http::HeaderMap,
    name: &str,
    settings: &tiski_kernel::Settings,
) -> Option<std::net::IpAddr> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    values
        .iter()
        .rev()
        .map(|v| v.parse::<std::net::IpAddr>().ok())
        .find(|ip| ip.is_none_or(|ip| !settings.trusted_proxies.trusts(ip)))
        .flatten()
}

impl FromRequestParts<State> for Origin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        Ok(Origin::of(
            state.settings(),
            &parts.headers,
            &parts.extensions,
        ))
    }
}

/// The authenticated user of an API request together with the token it came with, for the
/// event stream, which re-checks the token while it runs.
pub struct AuthToken(pub Actor, pub tiski_staff::Credential);

impl FromRequestParts<State> for AuthToken {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        let (actor, credential) = state
            .staff
            .authenticate_token_credential(&token)
            .await
            .map_err(|e| Problem::from(e).at("Authorization"))?;
        Ok(AuthToken(actor, credential))
    }
}
