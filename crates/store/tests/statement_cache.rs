//! The PostgreSQL statement cache is bounded: run through the store, hundreds of distinct
//! statements on one connection leave at most 256 prepared on the server, and statements
//! whose preparation was evicted still run. Needs `TISKI_TEST_DATABASE_URL`.

use tiski_store::{Location, Store, StoreError, params};

/// The bound the store keeps per connection.
const CAPACITY: i64 = 256;

#[tokio::test]
async fn distinct_statements_stay_within_the_cache_bound() {
    let url = match std::env::var("TISKI_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            eprintln!("skipped: TISKI_TEST_DATABASE_URL is not set");
            return;
        }
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let schema = format!("s_stmt_{}_{nanos}", std::process::id());
    let setup_url = url.clone();
    let create = format!("CREATE SCHEMA {schema}");
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&setup_url, postgres::NoTls).unwrap();
        client.batch_execute(&create).unwrap();
    })
    .join()
    .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    // One connection, so every statement lands in the same cache.
    let store = Store::open(Location::Postgres { url, pool_size: 1 })
        .await
        .unwrap();

    let (most, first_again) = store
        .read(|conn| {
            let mut most = 0;
            for n in 0..300_i64 {
                let sum: i64 =
                    conn.query_scalar(&format!("SELECT {n}::BIGINT + $1::BIGINT"), params![1_i64])?;
                assert_eq!(sum, n + 1);
                if n % 25 == 0 || n >= 250 {
                    let prepared: i64 =
                        conn.query_scalar("SELECT COUNT(*) FROM pg_prepared_statements", &[])?;
                    most = most.max(prepared);
                }
            }
            // The first statement was evicted long ago; it is prepared again and runs.
            let first_again: i64 =
                conn.query_scalar("SELECT 0::BIGINT + $1::BIGINT", params![7_i64])?;
            Ok::<_, StoreError>((most, first_again))
        })
        .await
        .unwrap();
    assert!(
        most <= CAPACITY,
        "{most} statements were prepared on one connection"
    );
    assert_eq!(most, CAPACITY, "the cache filled up to its bound");
    assert_eq!(first_again, 7);

    // Writes on the same connection still work after all that eviction.
    let teams: i64 = store
        .write(|tx| {
            tx.conn().execute(
                "INSERT INTO teams (name, name_key, created_at) VALUES ('A', 'a', 1)",
                &[],
            )?;
            tx.conn().query_scalar("SELECT COUNT(*) FROM teams", &[])
        })
        .await
        .unwrap();
    assert_eq!(teams, 1);
    store.close().await;
}
