//! The `ui` scenario: the agent workspace's two busiest pages, rendered for a signed-in agent.
//!
//! Setup signs in once through the sign-in form (GET `/login` for the form's CSRF cookie and
//! field, POST `/login`, keep the session cookie from `Set-Cookie`), and finds or prepares a
//! ticket with [`TICKET_MESSAGES`] messages through the API. The measured requests are then
//! GET `/inbox?view=all` and GET `/tickets/{id}`, half each. With `--ui-ticket-view VIEW` the
//! ticket is opened the way the inbox links it (`/tickets/{id}?view=VIEW&sort=-updated_at`),
//! so the page also looks up the next ticket of that view. Redirects are not followed, so a
//! lost session shows up as errors (303 to `/login`) instead of as fast pages.

mod session;
#[cfg(test)]
mod tests;
mod ticket;

use anyhow::{Context, bail};
use reqwest::StatusCode;
use reqwest::header;

use crate::op::truncate;
use crate::setup::expect_status;
use crate::{BenchArgs, MAX_ERROR_BODY};
use session::{session_client, sign_in};
use ticket::{ensure_ticket, message_marker};

/// Tag of the ticket the scenario opens, so later runs find it instead of making another.
pub(crate) const TICKET_TAG: &str = "bench-ui";
/// Messages the measured ticket has (its first one included).
pub(crate) const TICKET_MESSAGES: usize = 100;

/// What the workers of the `ui` scenario request, with the session cookie.
pub(crate) struct UiTarget {
    /// Sends the session cookie and follows no redirects.
    pub client: reqwest::Client,
    /// The inbox page: all open tickets the agent sees.
    pub inbox_url: String,
    /// The page of the ticket with [`TICKET_MESSAGES`] messages.
    pub ticket_url: String,
}

/// Signs in as `--ui-email` (the token's user when absent) with `password`, makes sure the
/// team has a ticket with [`TICKET_MESSAGES`] messages, and checks that both pages render for
/// the session.
pub(crate) async fn prepare(
    api: &reqwest::Client,
    base: &str,
    team_id: i64,
    args: &BenchArgs,
    password: &str,
) -> anyhow::Result<UiTarget> {
    let email = match args.ui_email.as_deref() {
        Some(email) => email.trim().to_owned(),
        None => {
            let url = format!("{base}/api/v1/me");
            let resp = api
                .get(&url)
                .send()
                .await
                .with_context(|| format!("GET {url}: is the server running?"))?;
            let me = expect_status(resp, StatusCode::OK, "finding the token's user").await?;
            me["email"]
                .as_str()
                .with_context(|| format!("finding the token's user: no \"email\" in {me}"))?
                .to_owned()
        }
    };
    let ticket_id = ensure_ticket(api, base, team_id).await?;
    let session = sign_in(base, &email, password).await?;
    let client = session_client(&session, args.concurrency)?;
    let ticket_url = match &args.ui_ticket_view {
        Some(view) => format!("{base}/tickets/{ticket_id}?view={view}&sort=-updated_at"),
        None => format!("{base}/tickets/{ticket_id}"),
    };
    let target = UiTarget {
        client,
        inbox_url: format!("{base}/inbox?view=all"),
        ticket_url,
    };

    // Both pages must render for this session before anything is measured.
    let inbox = page(&target.client, &target.inbox_url, "the inbox").await?;
    let rows = count_ticket_rows(&inbox);
    if rows == 0 {
        bail!(
            "the inbox of {email} shows no tickets: does this user see team {team_id}? (an admin sees every team)"
        );
    }
    let ticket = page(&target.client, &target.ticket_url, "the ticket page").await?;
    let last = message_marker(TICKET_MESSAGES);
    if !ticket.contains(&message_marker(1)) || !ticket.contains(&last) {
        bail!(
            "the page of ticket {ticket_id} does not show all its {TICKET_MESSAGES} messages (looked for {last:?})"
        );
    }
    tracing::info!(
        %email,
        ticket_url = %target.ticket_url,
        inbox_rows = rows,
        inbox_bytes = inbox.len(),
        ticket_bytes = ticket.len(),
        "signed in; the inbox and the ticket page render"
    );
    Ok(target)
}

/// GETs a page for the session and returns its HTML, failing unless the answer is 200.
async fn page(client: &reqwest::Client, url: &str, what: &str) -> anyhow::Result<String> {
    let resp = client
        .get(url)
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    let status = resp.status();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = resp
        .text()
        .await
        .with_context(|| format!("GET {url}: reading the response"))?;
    if status != StatusCode::OK {
        let detail = match location {
            Some(to) => format!("redirected to {to} (the session was not accepted)"),
            None => truncate(&body, MAX_ERROR_BODY),
        };
        bail!("{what}: expected 200 OK, got {status}: {detail}");
    }
    Ok(body)
}

/// Number of ticket rows in an inbox page.
fn count_ticket_rows(html: &str) -> usize {
    html.matches("data-testid=\"ticket-row-").count()
}

/// Parses `--ui-ticket-view`: an inbox view name (`all`, `mine`, `saved-3`, …).
pub(crate) fn parse_view(text: &str) -> Result<String, String> {
    let ok = !text.is_empty()
        && text.len() <= 40
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(text.to_owned())
    } else {
        Err("an inbox view: all, mine, unassigned, pending, solved or saved-ID".to_owned())
    }
}
