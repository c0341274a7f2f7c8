//! One contract, two engines: the same story runs on SQLite and, when
//! `TISKI_TEST_DATABASE_URL` is set, on a fresh PostgreSQL schema.

use tiski_store::{Location, NewEvent, Store, StoreError, params};

/// Opens a fresh store; the temporary directory lives as long as the returned guard.
async fn fresh() -> (Store, Option<tempfile::TempDir>) {
    match std::env::var("TISKI_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("s_{}_{}", std::process::id(), rand_suffix());
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
            (
                Store::open(Location::Postgres { url, pool_size: 8 })
                    .await
                    .unwrap(),
                None,
            )
        }
        _ => {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(Location::sqlite(dir.path().join("t.db")))
                .await
                .unwrap();
            (store, Some(dir))
        }
    }
}

fn rand_suffix() -> String {
    // A counter as well as the time: two tests of this process may ask in the same instant.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{nanos}_{n}")
}

fn event(kind: &str) -> NewEvent {
    NewEvent {
        at: 1_764_000_000_000_000,
        actor_kind: "system".into(),
        actor_id: None,
        ticket_id: None,
        kind: kind.into(),
        version: 2,
        payload: "{}".into(),
    }
}

/// A write that inserts a team and appends an event, failing afterwards when asked.
async fn insert_team(store: &Store, name: String, fail: bool) -> Result<i64, StoreError> {
    store
        .write(move |tx| {
            let id: i64 = tx.conn().query_scalar(
                "INSERT INTO teams (name, name_key, created_at) VALUES ($1, $2, $3) RETURNING id",
                params![name.as_str(), name.to_lowercase(), 1_i64],
            )?;
            tx.append_event(event("team.created"));
            if fail {
                return Err(StoreError::NotFound("asked to fail".into()));
            }
            Ok(id)
        })
        .await
}

async fn count(store: &Store, sql: &'static str) -> i64 {
    store
        .read(move |conn| conn.query_scalar::<i64>(sql, &[]))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_commit_or_roll_back_alone() {
    let (store, _dir) = fresh().await;
    let mut handles = Vec::new();
    for n in 0..200 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            (
                n,
                insert_team(&store, format!("Team {n}"), n % 3 == 0).await,
            )
        }));
    }
    let mut succeeded = 0;
    for handle in handles {
        let (n, result) = handle.await.unwrap();
        assert_eq!(result.is_ok(), n % 3 != 0, "write {n}: {result:?}");
        succeeded += i64::from(result.is_ok());
    }
    assert_eq!(count(&store, "SELECT COUNT(*) FROM teams").await, succeeded);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM events").await,
        succeeded,
        "a failed write leaves no event"
    );
    assert_eq!(
        *store.event_watch().borrow(),
        count(&store, "SELECT MAX(id) FROM events").await
    );
    store.close().await;
}

#[tokio::test]
async fn unique_violation_is_a_conflict_and_a_panic_is_contained() {
    let (store, _dir) = fresh().await;
    insert_team(&store, "Billing".into(), false).await.unwrap();
    let duplicate = insert_team(&store, "billing".into(), false).await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict { .. })),
        "{duplicate:?}"
    );

    let panicked: Result<(), StoreError> = store
        .write(|tx| {
            tx.conn().execute(
                "INSERT INTO teams (name, name_key, created_at) VALUES ('P', 'p', 1)",
                &[],
            )?;
            panic!("a bug in a command");
        })
        .await;
    assert!(
        matches!(panicked, Err(StoreError::Panicked(_))),
        "{panicked:?}"
    );
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM teams").await,
        1,
        "the panicking write was rolled back"
    );
    insert_team(&store, "Orders".into(), false)
        .await
        .expect("the store still works");
    store.close().await;
}

#[tokio::test]
async fn events_get_increasing_ids_in_commit_order() {
    let (store, _dir) = fresh().await;
    let mut handles = Vec::new();
    for n in 0..50 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            insert_team(&store, format!("T{n}"), false).await
        }));
    }
    for handle in handles {
        handle.await.unwrap().unwrap();
    }
    let ids = store
        .read(|conn| {
            conn.query("SELECT id FROM events ORDER BY id", &[])?
                .iter()
                .map(|row| row.get::<i64>(0))
                .collect::<Result<Vec<_>, StoreError>>()
        })
        .await
        .unwrap();
    assert_eq!(ids.len(), 50);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    store.close().await;
}
