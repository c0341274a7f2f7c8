//! Setup before anything is measured: the HTTP client, finding or creating the team, and
//! seeding open tickets for the list scenarios.

use std::time::Duration;

use anyhow::{Context, bail};
use rand::SeedableRng;
use rand::rngs::StdRng;
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::op::{Target, ticket_payload, truncate};
use crate::{MAX_ERROR_BODY, REQUEST_TIMEOUT};

/// The `list` scenario makes sure the team has at least this many open tickets...
const MIN_OPEN_TICKETS: usize = 50;
/// ...by creating (and opening) this many when it has fewer.
const SEED_TICKETS: usize = 60;
/// Name of the team used when `--team-id` is not given.
const BENCH_TEAM: &str = "Bench";

pub(crate) fn build_client(token: &str, concurrency: u32) -> anyhow::Result<reqwest::Client> {
    // reqwest is built without a default rustls provider; installing fails harmlessly if one
    // is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut auth = HeaderValue::from_str(&format!("Bearer {}", token.trim()))
        .context("the token contains characters that cannot be sent in an HTTP header")?;
    auth.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(header::AUTHORIZATION, auth);
    reqwest::Client::builder()
        .default_headers(headers)
        // Never route loopback traffic through an HTTP(S)_PROXY from the environment.
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(concurrency as usize)
        .user_agent(concat!("tiski-bench/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("building the HTTP client")
}

/// Reads a setup response, failing with a helpful message unless its status is `expected`.
pub(crate) async fn expect_status(
    resp: reqwest::Response,
    expected: reqwest::StatusCode,
    what: &str,
) -> anyhow::Result<Value> {
    let status = resp.status();
    let body = resp
        .text()
        .await
        .with_context(|| format!("{what}: reading the response"))?;
    if status != expected {
        let hint = match status.as_u16() {
            401 => " (is --token / TISKI_TOKEN valid?)",
            403 => " (does the token's user have permission? an admin token is simplest)",
            _ => "",
        };
        bail!(
            "{what}: expected {expected}, got {status}{hint}: {}",
            truncate(&body, MAX_ERROR_BODY)
        );
    }
    serde_json::from_str(&body)
        .with_context(|| format!("{what}: response is not JSON: {}", truncate(&body, 200)))
}

pub(crate) async fn find_or_create_team(
    client: &reqwest::Client,
    base: &str,
) -> anyhow::Result<i64> {
    let url = format!("{base}/api/v1/teams");
    let resp = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("GET {url}: is the server running?"))?;
    let teams = expect_status(resp, reqwest::StatusCode::OK, "listing teams").await?;
    let existing = teams["items"].as_array().and_then(|items| {
        items
            .iter()
            .find(|t| t["name"].as_str() == Some(BENCH_TEAM))
            .and_then(|t| t["id"].as_i64())
    });
    if let Some(id) = existing {
        tracing::info!(team_id = id, "using existing team {BENCH_TEAM:?}");
        return Ok(id);
    }
    let resp = client
        .post(&url)
        .json(&json!({ "name": BENCH_TEAM }))
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    let team = expect_status(resp, reqwest::StatusCode::CREATED, "creating team").await?;
    let id = team["id"]
        .as_i64()
        .with_context(|| format!("creating team: no integer \"id\" in {team}"))?;
    tracing::info!(team_id = id, "created team {BENCH_TEAM:?}");
    Ok(id)
}

/// Makes sure the team has enough open tickets for the list scenario to be meaningful.
pub(crate) async fn ensure_open_tickets(target: &Target) -> anyhow::Result<()> {
    let resp = target
        .client
        .get(&target.list_url)
        .send()
        .await
        .with_context(|| format!("GET {}: is the server running?", target.list_url))?;
    let page = expect_status(resp, reqwest::StatusCode::OK, "listing open tickets").await?;
    let open = page["items"]
        .as_array()
        .map(Vec::len)
        .with_context(|| format!("listing open tickets: no \"items\" array in {page}"))?;
    if open >= MIN_OPEN_TICKETS {
        return Ok(());
    }
    tracing::info!(
        open,
        creating = SEED_TICKETS,
        "seeding open tickets for the list scenario"
    );
    let mut rng = StdRng::from_os_rng();
    for seq in 0..SEED_TICKETS as u64 {
        let resp = target
            .client
            .post(&target.create_url)
            .json(&ticket_payload(&mut rng, target.team_id, seq))
            .send()
            .await
            .with_context(|| format!("POST {}", target.create_url))?;
        let ticket =
            expect_status(resp, reqwest::StatusCode::CREATED, "creating a seed ticket").await?;
        let id = ticket["id"]
            .as_i64()
            .with_context(|| format!("creating a seed ticket: no integer \"id\" in {ticket}"))?;
        let url = format!("{}/{id}", target.create_url);
        let resp = target
            .client
            .patch(&url)
            .json(&json!({ "status": "open" }))
            .send()
            .await
            .with_context(|| format!("PATCH {url}"))?;
        expect_status(resp, reqwest::StatusCode::OK, "opening a seed ticket").await?;
    }
    Ok(())
}
