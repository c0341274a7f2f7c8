//! The data directory and the SQLite files tiski creates are its owner's only: another local
//! user cannot read the customers' conversations.

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_and_database_files_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    };
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data").join("nested");
    let db = data.join("tiski.db");
    let store = tiski_store::Store::open(tiski_store::Location::sqlite(&db))
        .await
        .unwrap();
    store
        .write(|tx| {
            tx.conn().execute(
                "INSERT INTO settings (key, value) VALUES ('probe', 'x')",
                &[],
            )?;
            Ok::<_, tiski_store::StoreError>(())
        })
        .await
        .unwrap();
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(mode(&temp.path().join("data")), 0o700, "its created parent");
    assert_eq!(mode(&db), 0o600, "the database");
    for suffix in ["-wal", "-shm"] {
        let sidecar = data.join(format!("tiski.db{suffix}"));
        assert_eq!(mode(&sidecar), 0o600, "{}", sidecar.display());
    }
    store.close().await;
}
