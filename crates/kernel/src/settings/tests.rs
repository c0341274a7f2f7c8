//! The settings table: defaults parse, errors name their source, secrets stay hidden, and the
//! README's table is the table.

use super::*;

#[test]
fn every_default_parses_and_the_table_is_well_formed() {
    let settings = Settings::default();
    assert_eq!(settings.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(
        settings.auto_close_after(),
        Duration::from_secs(4 * 24 * 3600)
    );
    assert_eq!(settings.retry_base, Duration::from_secs(10));
    let mut envs = std::collections::HashSet::new();
    for def in SETTINGS {
        assert!(def.env.starts_with("TISKI_"), "{}", def.key);
        assert!(envs.insert(def.env), "{} twice", def.env);
        assert!(
            def.doc.ends_with('.') || def.doc.ends_with(')'),
            "{}: {}",
            def.key,
            def.doc
        );
        if let Some(flag) = def.flag {
            assert_eq!(flag.replace('-', "_"), def.key, "{}", def.key);
        }
        assert!(
            !def.secret || def.flag.is_none(),
            "a secret has no flag: {}",
            def.key
        );
    }
}

#[test]
fn bad_values_name_the_flag_and_the_variable() {
    let error =
        Settings::load(&|def| (def.key == "listen").then(|| "nowhere".to_string())).unwrap_err();
    assert_eq!(error.origin, "--listen / TISKI_LISTEN");
    assert!(error.message.contains("nowhere"), "{error}");
    let error =
        Settings::load(&|def| (def.key == "auto_close_days").then(|| "0".to_string())).unwrap_err();
    assert!(error.to_string().contains("1 to 365"), "{error}");
    let error =
        Settings::load(&|def| (def.key == "retry_base").then(|| "soon".to_string())).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("--retry-base / TISKI_RETRY_BASE"),
        "{error}"
    );
    let error = Settings::load(&|def| (def.key == "database_url").then(|| "mysql://x".to_string()))
        .unwrap_err();
    assert!(error.to_string().contains("postgres://"), "{error}");
    let settings =
        Settings::load(&|def| (def.key == "retry_base").then(|| "200ms".to_string())).unwrap();
    assert_eq!(settings.retry_base, Duration::from_millis(200));
}

#[test]
fn secrets_and_passwords_are_never_shown() {
    let settings = Settings::load(&|def| match def.key {
        "secret_key" => Some("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=".into()),
        "database_url" => Some("postgres://tiski:hunter2@db.example/tiski".into()),
        _ => None,
    })
    .unwrap();
    let shown = format!("{:?} {:?}", settings.effective(), settings);
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(!shown.contains("c2VjcmV0"), "{shown}");
    assert!(
        shown.contains("postgres://tiski:***@db.example/tiski"),
        "{shown}"
    );
    assert!(shown.contains("(set, hidden)"), "{shown}");
}

#[test]
fn the_readme_lists_every_setting() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md at the repository root");
    let table = markdown_table();
    assert!(
        readme.contains(&table),
        "README.md's settings table is out of date; it should contain:\n\n{table}"
    );
}

#[test]
fn request_limits_follow_the_size_limits() {
    let settings = Settings::default();
    assert!(settings.max_message_request_bytes() > settings.max_attachments_bytes * 4 / 3);
    assert!(settings.max_raw_email_request_bytes() > settings.max_email_bytes);
}

#[test]
fn links_start_at_the_public_url_or_the_listen_address() {
    let with = |key: &'static str, value: &'static str| {
        Settings::load(&move |def| (def.key == key).then(|| value.to_string()))
    };
    assert_eq!(Settings::default().public_base(), "http://localhost:8080");
    assert_eq!(
        Settings::default().notification_digest_delay,
        Duration::from_secs(15 * 60)
    );
    assert_eq!(
        with("listen", "0.0.0.0:9000").unwrap().public_base(),
        "http://localhost:9000"
    );
    assert_eq!(
        with("listen", "192.0.2.7:80").unwrap().public_base(),
        "http://192.0.2.7:80"
    );
    assert_eq!(
        with("public_url", "https://desk.example.com/")
            .unwrap()
            .public_base(),
        "https://desk.example.com"
    );
    assert_eq!(
        with("public_url", "https://example.com/tiski")
            .unwrap()
            .public_base(),
        "https://example.com/tiski"
    );
    for bad in [
        "desk.example.com",
        "ftp://x",
        "https://",
        "https://a b",
        "https://x/?q=1",
        "javascript:alert(1)",
        "https://x\"><script>",
    ] {
        let error = with("public_url", bad).unwrap_err();
        assert_eq!(error.origin, "--public-url / TISKI_PUBLIC_URL", "{bad}");
    }
}
