//! The test harness of tiski: a real tiski on a real database, served on a loopback port,
//! with a clock the test controls.
//!
//! [`fresh_location`] makes a fresh database on either engine: a SQLite file in a temporary
//! directory, or, when `TISKI_TEST_DATABASE_URL` is set, a fresh schema in that PostgreSQL
//! database. [`TestApp::spawn`] opens one, starts the workers and the HTTP server on port 0,
//! and creates an admin with a token; [`TestApp::serve`] serves another node on a database.
//! The app runs on a [`FakeClock`] that follows the wall clock until a test moves it with
//! [`TestApp::advance`], so time-based work (auto-close, retries, session expiry) is tested
//! without sleeping through it.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tiski_app::App;
use tiski_domain::Role;
use tiski_kernel::{Actor, FakeClock, SecretKey, Settings};
use tiski_staff::NewAgent;
use tiski_store::Location;
use tokio::sync::watch;

/// A running tiski for one test.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// The admin's API token.
    pub admin: String,
    /// The application, for setting up state directly.
    pub app: App,
    /// Where the data lives (to open a second node on it).
    pub location: Location,
    /// The clock the app reads time from.
    pub clock: Arc<FakeClock>,
    http: reqwest::Client,
    stop: watch::Sender<bool>,
    server: Option<tokio::task::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Settings that make workers quick, for tests.
pub fn fast_settings() -> Settings {
    Settings {
        retry_base: Duration::from_millis(200),
        retry_max: Duration::from_secs(2),
        retry_attempts: 4,
        webhook_timeout: Duration::from_secs(5),
        worker_interval: Duration::from_millis(100),
        auto_close_interval: Duration::from_millis(200),
        // The peers of the tests (relays, IMAP servers, webhook receivers) are on loopback.
        allow_private_network: true,
        ..Settings::default()
    }
}

/// A fresh place for data: a temporary SQLite file, or a new schema in the test PostgreSQL.
pub fn fresh_location() -> (Location, Option<tempfile::TempDir>) {
    match std::env::var("TISKI_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!(
                "t_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or(0)
            );
            let mut client = postgres::Client::connect(&url, postgres::NoTls)
                .expect("connect to TISKI_TEST_DATABASE_URL");
            client
                .batch_execute(&format!("CREATE SCHEMA {schema}"))
                .expect("create a test schema");
            let separator = if url.contains('?') { '&' } else { '?' };
            let url = format!("{url}{separator}options=-c%20search_path%3D{schema}");
            (Location::Postgres { url, pool_size: 8 }, None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            (Location::sqlite(dir.path().join("tiski.db")), Some(dir))
        }
    }
}

/// Runs `work` on a blocking thread (the PostgreSQL client is synchronous).
fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(work)
        .join()
        .expect("the helper thread finished")
}

impl TestApp {
    /// A tiski with quick workers on a fresh database.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(fast_settings()).await
    }

    /// A tiski with these settings on a fresh database.
    pub async fn spawn_with(settings: Settings) -> TestApp {
        let (location, dir) = blocking(fresh_location);
        let mut test = Self::serve(location, settings).await;
        test._dir = dir;
        let admin = test
            .app
            .staff
            .create_agent_as_system(NewAgent {
                email: "admin@example.com".into(),
                name: "Ada Admin".into(),
                role: Role::Admin,
                team_ids: vec![],
                languages: vec!["en".into()],
                password: None,
            })
            .await
            .expect("create the admin");
        test.admin = test
            .app
            .staff
            .create_token(&admin.email, "test")
            .await
            .expect("an admin token");
        test
    }

    /// Another node serving the same database (meaningful on PostgreSQL).
    pub async fn serve(location: Location, settings: Settings) -> TestApp {
        let store = tiski_app::open_store(location.clone())
            .await
            .expect("open the store");
        let clock = Arc::new(FakeClock::running());
        let app = App::new(store, settings, clock.clone(), SecretKey::generate());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let (stop, shutdown) = watch::channel(false);
        let workers = app.start_workers(shutdown.clone());
        let router = tiski_web::router(app.clone(), shutdown.clone());
        let limits = tiski_web::ListenLimits::from_settings(app.settings());
        let server = tokio::spawn(async move {
            let _ = tiski_web::serve(listener, router, shutdown, limits).await;
            for worker in workers {
                let _ = worker.await;
            }
        });
        let _ = rustls::crypto::ring::default_provider().install_default();
        TestApp {
            url,
            admin: String::new(),
            app,
            location,
            clock,
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("an HTTP client"),
            stop,
            server: Some(server),
            _dir: None,
        }
    }

    /// Stops the server and its workers, waiting for them.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        self.app.kernel.store().close().await;
    }

    /// Moves the app's clock forward (and wakes nothing: workers see it on their next look).
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Creates a team directly.
    pub async fn team(&self, name: &str) -> i64 {
        self.app
            .staff
            .create_team_as_system(name)
            .await
            .expect("create a team")
            .id
    }

    /// Creates a staff user in `team_ids` and returns their id and API token.
    pub async fn user(&self, role: Role, team_ids: &[i64]) -> (i64, String) {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let user = self
            .app
            .staff
            .create_agent_as_system(NewAgent {
                email: format!("{}{n}@example.com", role.as_str()),
                name: format!("{} {n}", role.as_str()),
                role,
                team_ids: team_ids.to_vec(),
                languages: vec![],
                password: None,
            })
            .await
            .expect("create a user");
        let token = self
            .app
            .staff
            .create_token(&user.email, "test")
            .await
            .expect("a token");
        (user.id, token)
    }

    /// The system actor, for direct calls.
    pub fn system(&self) -> Actor {
        Actor::system()
    }

    /// A request with the token, if any.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let builder = self.http.request(method, format!("{}{path}", self.url));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// Sends a request with an optional JSON body and returns the status and the JSON answer
    /// (`Value::Null` for an empty or non-JSON body).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut builder = self.request(method, path, Some(token));
        if let Some(body) = body {
            builder = builder.json(&body);
        }
        let response = builder.send().await.expect("the server answers");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// GET with a token.
    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, token, None).await
    }

    /// POST JSON with a token.
    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, token, Some(body)).await
    }

    /// PATCH JSON with a token.
    pub async fn patch(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    /// Adds a mailbox without a relay as the desk's default (`desk@tiski.test`), so agents'
    /// public replies on tickets without a mailbox have a channel (a reply no channel can
    /// deliver is refused with 422 `unreachable_requester`); returns its id.
    pub async fn default_mailbox(&self) -> i64 {
        let (status, mailbox) = self
            .post(
                "/api/v1/mailboxes",
                &self.admin,
                serde_json::json!({"address": "desk@tiski.test", "name": "Desk", "auto_ack": false, "default": true}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "creating the default mailbox: {mailbox}"
        );
        mailbox["id"].as_i64().expect("a mailbox id")
    }

    /// Creates a ticket through the API as `token` and returns its JSON, asserting 201.
    pub async fn ticket(&self, token: &str, body: Value) -> Value {
        let (status, ticket) = self.post("/api/v1/tickets", token, body).await;
        assert_eq!(status, StatusCode::CREATED, "creating a ticket: {ticket}");
        ticket
    }
}

/// Checks that an answer is a problem with this status and, when given, this field.
#[track_caller]
pub fn assert_problem(answer: &(StatusCode, Value), status: StatusCode, field: Option<&str>) {
    assert_eq!(answer.0, status, "unexpected answer: {}", answer.1);
    assert_eq!(
        answer.1["status"],
        status.as_u16(),
        "not a problem document: {}",
        answer.1
    );
    assert!(
        answer.1["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "a problem without detail: {}",
        answer.1
    );
    if let Some(field) = field {
        assert_eq!(answer.1["field"], field, "wrong field in {}", answer.1);
    }
}
