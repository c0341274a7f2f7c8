//! Running the real `tiski` binary from tests: database flags, a free port, an admin token,
//! and a server that is killed when dropped (also when a test fails half-way).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tiski_store::Location;

/// A fixed key, so every start of the binary (and PostgreSQL runs) reads stored secrets alike.
pub const SECRET_KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/// The flags that point the binary at the test's database.
pub fn database_flags(location: &Location) -> Vec<String> {
    match location {
        Location::Sqlite { path, .. } => vec![
            "--data-dir".into(),
            path.parent()
                .expect("a data directory")
                .display()
                .to_string(),
        ],
        Location::Postgres { url, .. } => vec!["--database-url".into(), url.clone()],
    }
}

/// The binary with `args`, untouched by the environment's tiski settings.
pub fn tiski(args: &[String]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tiski"));
    command
        .args(args)
        .env_remove("TISKI_DATABASE_URL")
        .env_remove("TISKI_DATA_DIR")
        .env_remove("TISKI_SMTP_LISTEN")
        .env("TISKI_SECRET_KEY", SECRET_KEY);
    command
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind a port")
        .local_addr()
        .expect("an address")
        .port()
}

/// Creates an admin `email` with the binary and returns a new API token of theirs.
pub fn admin_token(flags: &[String], email: &str) -> String {
    let mut create: Vec<String> = [
        "user", "create", "--email", email, "--name", "Admin", "--role", "admin",
    ]
    .map(String::from)
    .to_vec();
    create.extend_from_slice(flags);
    assert!(
        tiski(&create)
            .status()
            .expect("run tiski user create")
            .success()
    );
    let mut token: Vec<String> = ["token", "create", "--email", email]
        .map(String::from)
        .to_vec();
    token.extend_from_slice(flags);
    let output = tiski(&token).output().expect("run tiski token create");
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .expect("a token")
        .trim()
        .to_string()
}

/// A `tiski serve` that is killed when dropped.
pub struct Server(pub Child);

impl Server {
    /// SIGKILL and reap.
    pub fn kill_9(&mut self) {
        self.0.kill().expect("kill -9 the server");
        self.0.wait().expect("reap the server");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts `tiski serve` on `port` (and the SMTP listener on `smtp_port`) and waits until it
/// answers.
pub async fn start(flags: &[String], port: u16, smtp_port: Option<u16>) -> Server {
    let mut args = vec![
        "serve".to_string(),
        "--listen".into(),
        format!("127.0.0.1:{port}"),
    ];
    if let Some(smtp_port) = smtp_port {
        args.extend([
            "--smtp-listen".to_string(),
            format!("127.0.0.1:{smtp_port}"),
        ]);
    }
    args.extend_from_slice(flags);
    let child = tiski(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start tiski serve");
    let server = Server(child);
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("an HTTP client");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let http = client
            .get(format!("http://127.0.0.1:{port}/api/v1/health"))
            .send()
            .await
            .is_ok();
        let smtp = match smtp_port {
            Some(smtp_port) => tokio::net::TcpStream::connect(("127.0.0.1", smtp_port))
                .await
                .is_ok(),
            None => true,
        };
        if http && smtp {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("tiski serve did not come up on port {port}");
}
