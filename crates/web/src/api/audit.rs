//! The access log: who read which customer's data, searched and exported by admins.

use crate::extract::{ApiQuery, Auth, State as App};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use tiski_kernel::{Actor, AppError, Page};
use tiski_ticketing::access::{AccessEntry, AccessFilter, AccessQuery};

/// Searches the access log, newest first (admins).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AccessFilter),
    responses((status = 200, body = Page<AccessEntry>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn search(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(filter): ApiQuery<AccessFilter>,
) -> ApiResult<Json<Page<AccessEntry>>> {
    if filter.format.is_some() {
        return Err(AppError::invalid("format", "format belongs to /audit/export.").into());
    }
    Ok(Json(app.ticketing.search_access(&actor, &filter).await?))
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

/// Exports the access log matching the filter as CSV or JSON, newest first, streamed page by
/// page (admins).
#[utoipa::path(get, path = "/api/v1/audit/export", tag = "audit", params(AccessFilter),
    responses((status = 200, description = "text/csv or application/json"), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn export(
    State(app): State<App>,
    Auth(actor): Auth,
    ApiQuery(filter): ApiQuery<AccessFilter>,
) -> ApiResult<Response> {
    Ok(export_response(app, actor, &filter).await?)
}

/// The export of the access log matching `filter` as a streamed download (the API's and the
/// admin page's).
pub(crate) async fn export_response(
    app: App,
    actor: Actor,
    filter: &AccessFilter,
) -> Result<Response, AppError> {
    let format = match filter.format.as_deref() {
        Some("csv") => Format::Csv,
        Some("json") | None => Format::Json,
        Some(_) => return Err(AppError::invalid("format", "The format is csv or json.")),
    };
    if filter.limit.is_some() || filter.cursor.is_some() {
        return Err(AppError::invalid(
            "limit",
            "An export has no pages; leave out limit and cursor.",
        ));
    }
    let query = filter.query()?;
    // The first page is read before answering, so a refusal is a problem, not a cut stream.
    let (first, next) = app
        .ticketing
        .export_access_page(&actor, query.clone(), i64::MAX)
        .await?;
    let state = Export {
        app,
        actor,
        query,
        pending: Some((first, next)),
        started: false,
        format,
    };
    let body = Body::from_stream(stream::unfold(state, Export::chunk));
    let (content_type, name) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "access-log.csv"),
        Format::Json => ("application/json", "access-log.json"),
    };
    Ok((
        [
            (CONTENT_TYPE, content_type.to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Where a streamed export is.
struct Export {
    app: App,
    actor: Actor,
    query: AccessQuery,
    /// The page read but not yet sent, and the `before` of the one after it.
    pending: Option<(Vec<AccessEntry>, Option<i64>)>,
    started: bool,
    format: Format,
}

impl Export {
    /// The next chunk of the body: the header, then one page at a time, then the end.
    async fn chunk(mut self) -> Option<(Result<Vec<u8>, AppError>, Export)> {
        let (items, next) = self.pending.take()?;
        let mut out = Vec::new();
        if !self.started {
            out.extend_from_slice(match self.format {
                Format::Csv => b"id,at,actor_id,action,customer_id,ticket_id,client,surface\n",
                Format::Json => b"[",
            });
        }
        for entry in &items {
            match self.format {
                Format::Csv => csv_row(&mut out, entry),
                Format::Json => {
                    if self.started {
                        out.push(b',');
                    }
                    out.extend(serde_json::to_vec(entry).unwrap_or_default());
                }
            }
            self.started = true;
        }
        self.started = true;
        match next {
            Some(before) => {
                match self
                    .app
                    .ticketing
                    .export_access_page(&self.actor, self.query.clone(), before)
                    .await
                {
                    Ok(page) => self.pending = Some(page),
                    Err(error) => return Some((Err(error), self)),
                }
            }
            None => {
                if self.format == Format::Json {
                    out.push(b']');
                }
            }
        }
        Some((Ok(out), self))
    }
}

/// One CSV line (RFC 4180 quoting; a text cell that a spreadsheet would run as a formula is
/// prefixed with `'`).
fn csv_row(out: &mut Vec<u8>, entry: &AccessEntry) {
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let cells = [
        entry.id.to_string(),
        entry.at.clone(),
        entry.actor_id.to_string(),
        csv_text(&entry.action),
        number(entry.customer_id),
        number(entry.ticket_id),
        csv_text(entry.client.as_deref().unwrap_or("")),
        csv_text(&entry.surface),
    ];
    out.extend_from_slice(cells.join(",").as_bytes());
    out.push(b'\n');
}

fn csv_text(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_text("plain"), "plain");
        assert_eq!(csv_text("a,b"), "\"a,b\"");
        assert_eq!(csv_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_text("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(csv_text("line\nbreak"), "\"line\nbreak\"");
    }
}
