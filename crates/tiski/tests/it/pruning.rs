//! Tables that only grew are pruned on the kernel clock: idempotency keys past their
//! lifetime, finished outbox rows and their delivery attempts past their retention, and
//! expired sessions; pending deliveries and live sessions stay.

use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;
use tiski_store::{Value, params};
use tiski_testkit::{TestApp, fast_settings};

const HOUR: Duration = Duration::from_secs(3600);

async fn count(test: &TestApp, sql: &'static str) -> i64 {
    test.app
        .kernel
        .store()
        .read(move |conn| conn.query_scalar::<i64>(sql, &[]))
        .await
        .unwrap()
}

async fn write(test: &TestApp, sql: &'static str, values: Vec<Value>) -> i64 {
    test.app
        .kernel
        .store()
        .write(move |tx| tx.conn().query_scalar::<i64>(sql, &values))
        .await
        .unwrap()
}

#[tokio::test]
async fn what_is_past_its_time_is_pruned_on_the_kernel_clock() {
    let test = TestApp::spawn_with(tiski_kernel::Settings {
        idempotency_key_lifetime: HOUR,
        outbox_retention: 2 * HOUR,
        prune_interval: 100 * HOUR,
        ..fast_settings()
    })
    .await;
    let response = test
        .request(Method::POST, "/api/v1/tickets", Some(&test.admin))
        .header("Idempotency-Key", "prune-me")
        .json(&json!({"subject": "Kept", "requester": {"email": "p@example.com"}, "message": {"body": "x"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let now = test.app.kernel.now();
    let outbox = "INSERT INTO outbox (kind, webhook_id, event_id, payload, status, attempts, next_attempt_at, created_at, delivered_at) \
                  VALUES ('prune-test', NULL, $1, '{}', $2, 1, $3, $3, $4) RETURNING id";
    let attempt = "INSERT INTO delivery_attempts (outbox_id, attempted_at, status_code, error, duration_ms) \
                   VALUES ($1, $2, 200, NULL, 1) RETURNING id";
    for (event, status, delivered, attempts) in [
        (1_i64, "delivered", Some(now), 2),
        (2, "failed", None, 1),
        (3, "pending", None, 1),
    ] {
        let id = write(
            &test,
            outbox,
            params![event, status, now, delivered].to_vec(),
        )
        .await;
        for _ in 0..attempts {
            write(&test, attempt, params![id, now].to_vec()).await;
        }
    }
    let admin = test
        .app
        .staff
        .authenticate_token(&test.admin)
        .await
        .unwrap()
        .id;
    let session = "INSERT INTO sessions (token_hash, user_id, csrf_token, user_agent, created_at, last_seen_at, expires_at) \
                   VALUES ($1, $2, 'csrf', 'test', $3, $3, $4) RETURNING id";
    for (digest, expires) in [
        ("prune-soon", now + 1_800_000_000),
        ("prune-later", now + 48 * 3_600_000_000),
    ] {
        write(
            &test,
            session,
            params![digest, admin, now, expires].to_vec(),
        )
        .await;
    }
    let keys = "SELECT COUNT(*) FROM idempotency_keys";
    let rows = "SELECT COUNT(*) FROM outbox WHERE kind = 'prune-test'";
    let tries = "SELECT COUNT(*) FROM delivery_attempts a JOIN outbox o ON o.id = a.outbox_id WHERE o.kind = 'prune-test'";
    let sessions = "SELECT COUNT(*) FROM sessions WHERE token_hash LIKE 'prune-%'";
    let counts = async |test: &TestApp| {
        (
            count(test, keys).await,
            count(test, rows).await,
            count(test, tries).await,
            count(test, sessions).await,
        )
    };

    // Nothing is due yet.
    test.app.prune().await.unwrap();
    assert_eq!(counts(&test).await, (1, 3, 4, 2));

    // Past the key's lifetime and the first session's expiry.
    test.advance(HOUR + HOUR / 2);
    let pruned = test.app.prune().await.unwrap();
    assert_eq!(
        (pruned.idempotency_keys, pruned.sessions),
        (1, 1),
        "{pruned:?}"
    );
    assert_eq!(counts(&test).await, (0, 3, 4, 1));

    // Past the outbox retention: delivered and failed rows go with their attempts.
    test.advance(HOUR);
    let pruned = test.app.prune().await.unwrap();
    assert_eq!(
        (pruned.outbox, pruned.delivery_attempts),
        (2, 3),
        "{pruned:?}"
    );
    assert_eq!(counts(&test).await, (0, 1, 1, 1));
    assert_eq!(test.app.prune().await.unwrap().total(), 0);
    test.stop().await;
}
