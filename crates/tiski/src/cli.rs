//! Command-line interface: every subcommand, its flags and their environment variables.

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use tiski_app::{App, AppConfig, NewAgent};
use tiski_domain::Role;
use tiski_store::{Location, Store};

/// tiski: the customer-service desk. One binary; SQLite in ./tiski-data by default.
#[derive(Debug, Parser)]
#[command(
    name = "tiski",
    version,
    about = "tiski, the customer-service desk: one binary, SQLite in ./tiski-data by default, PostgreSQL with --database-url."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server: the API, the workers, the metrics.
    Serve(ServeArgs),
    /// Apply database migrations and exit (serve does this on start too).
    Migrate(DatabaseArgs),
    /// Manage staff users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Fill a fresh data directory with a believable service organisation.
    Demo(crate::demo::DemoArgs),
    /// Load-test a running server over HTTP (loopback only, bounded in count and time).
    Bench(tiski_bench::BenchArgs),
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Directory for the embedded SQLite database (and later attachments).
    #[arg(
        long,
        env = "TISKI_DATA_DIR",
        default_value = "./tiski-data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,
    /// Use PostgreSQL instead of SQLite: postgres://user@host/db (add ?options=-c%20search_path%3Dschema for a schema).
    #[arg(long, env = "TISKI_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// PostgreSQL connections to pool.
    #[arg(
        long,
        env = "TISKI_DATABASE_POOL",
        default_value_t = 16,
        value_name = "N"
    )]
    pub database_pool: usize,
}

impl DatabaseArgs {
    /// The key that encrypts stored IMAP/SMTP passwords: `TISKI_SECRET_KEY` (base64 of 32
    /// bytes; give every node of a PostgreSQL installation the same one), else the file
    /// `secret.key` in the data directory, created on first use.
    pub fn secret_key(&self) -> anyhow::Result<tiski_app::SecretKey> {
        if let Ok(text) = std::env::var("TISKI_SECRET_KEY") {
            return tiski_app::SecretKey::from_base64(&text)
                .map_err(|e| anyhow::anyhow!("TISKI_SECRET_KEY: {e}"));
        }
        let path = self.data_dir.join("secret.key");
        match std::fs::read_to_string(&path) {
            Ok(text) => tiski_app::SecretKey::from_base64(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = tiski_app::SecretKey::generate();
                std::fs::create_dir_all(&self.data_dir).with_context(|| {
                    format!(
                        "--data-dir / TISKI_DATA_DIR: cannot create {}",
                        self.data_dir.display()
                    )
                })?;
                write_private(&path, &key.to_base64())
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok(key)
            }
            Err(error) => Err(anyhow::anyhow!("cannot read {}: {error}", path.display())),
        }
    }

    /// The application settings every command shares.
    pub fn app_config(&self) -> anyhow::Result<AppConfig> {
        Ok(AppConfig {
            secret_key: self.secret_key()?,
            ..AppConfig::default()
        })
    }

    /// Opens the store, naming the flag and variable at fault on failure.
    pub async fn open(&self) -> anyhow::Result<Store> {
        let location = match &self.database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Location::Postgres {
                    url: url.clone(),
                    pool_size: self.database_pool.max(1),
                }
            }
            Some(_) => bail!(
                "--database-url / TISKI_DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)"
            ),
            None => Location::Sqlite(self.data_dir.join("tiski.db")),
        };
        let source = if self.database_url.is_some() {
            "--database-url / TISKI_DATABASE_URL"
        } else {
            "--data-dir / TISKI_DATA_DIR"
        };
        Store::open(location)
            .await
            .with_context(|| format!("cannot open the database given by {source}"))
    }

    /// How to repeat these database flags in a hint.
    pub(crate) fn as_flags(&self) -> String {
        match &self.database_url {
            Some(_) => "--database-url \"$TISKI_DATABASE_URL\"".into(),
            None => format!(
                "--data-dir {}",
                shell_quote(&self.data_dir.display().to_string())
            ),
        }
    }
}

/// Writes a file only its owner can read.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

fn shell_quote(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Parses `--listen`, naming both places the value may have come from.
fn parse_listen(text: &str) -> Result<SocketAddr, String> {
    text.parse().map_err(|_| {
        format!("{text:?} is not an address and port such as 127.0.0.1:8080 (set by --listen or TISKI_LISTEN)")
    })
}

/// How logs are written.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    /// Readable lines.
    Human,
    /// One JSON object per line.
    Json,
}

/// Flags of `tiski serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on.
    #[arg(
        long,
        env = "TISKI_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR",
        value_parser = parse_listen
    )]
    pub listen: SocketAddr,
    /// Log format.
    #[arg(long, env = "TISKI_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
    /// Also accept mail over SMTP on this address (for an MTA to relay to, or as the MX), e.g.
    /// 127.0.0.1:2525. Only mailbox addresses are accepted as recipients.
    #[arg(long, env = "TISKI_SMTP_LISTEN", value_name = "ADDR")]
    pub smtp_listen: Option<SocketAddr>,
    /// Days a solved ticket stays solved before it is closed automatically.
    #[arg(long, env = "TISKI_AUTO_CLOSE_DAYS", default_value_t = 4, value_name = "DAYS",
          value_parser = clap::value_parser!(u32).range(1..=365))]
    pub auto_close_days: u32,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a staff user (the first should be an admin).
    Create(UserCreateArgs),
}

#[derive(Debug, Args)]
struct UserCreateArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Sign-in email.
    #[arg(long)]
    email: String,
    /// Display name.
    #[arg(long)]
    name: String,
    /// Role.
    #[arg(long, value_enum)]
    role: RoleArg,
    /// A team to join, by name (created if missing); repeat for more.
    #[arg(long = "team", value_name = "TEAM")]
    teams: Vec<String>,
    /// A language the user speaks (BCP 47, such as fi or en-GB); repeat for more.
    #[arg(long = "language", value_name = "TAG")]
    languages: Vec<String>,
    /// Read the password (at least 10 characters) from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Supervisor,
    Agent,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Admin => Role::Admin,
            RoleArg::Supervisor => Role::Supervisor,
            RoleArg::Agent => Role::Agent,
        }
    }
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Issue an API token for a user; prints the token alone on standard output, once.
    Create(TokenCreateArgs),
}

#[derive(Debug, Args)]
struct TokenCreateArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The user's email.
    #[arg(long)]
    email: String,
    /// What the token is for.
    #[arg(long, default_value = "cli")]
    label: String,
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => crate::serve::run(args).await,
        Command::Migrate(database) => {
            crate::serve::init_logs(LogFormat::Human);
            let store = database.open().await?;
            store.close().await;
            eprintln!("The database is up to date.");
            Ok(())
        }
        Command::User(UserCommand::Create(args)) => create_user(args).await,
        Command::Token(TokenCommand::Create(args)) => {
            let store = args.database.open().await?;
            let app = App::new(store.clone(), args.database.app_config()?);
            let token = app
                .create_token(&args.email, &args.label)
                .await
                .map_err(describe)?;
            store.close().await;
            println!("{token}");
            Ok(())
        }
        Command::Demo(args) => crate::demo::run(args).await,
        Command::Bench(args) => {
            tiski_bench::run_and_print(args).await?;
            Ok(())
        }
    }
}

/// Turns a use-case error into a message that names the flag at fault.
pub fn describe(error: tiski_app::AppError) -> anyhow::Error {
    match &error {
        tiski_app::AppError::Invalid { field, message }
        | tiski_app::AppError::Conflict {
            field: Some(field),
            message,
        } => {
            anyhow::anyhow!("--{}: {message}", field.replace('_', "-"))
        }
        _ => anyhow::anyhow!("{error}"),
    }
}

async fn create_user(args: UserCreateArgs) -> anyhow::Result<()> {
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            bail!("--password-stdin: standard input had no password on its first line");
        }
        Some(line)
    } else {
        None
    };
    let store = args.database.open().await?;
    let app = App::new(store.clone(), args.database.app_config()?);
    let mut team_ids = Vec::new();
    for name in &args.teams {
        let (team, created) = app
            .find_or_create_team_as_system(name)
            .await
            .map_err(|e| anyhow::anyhow!("--team {name:?}: {e}"))?;
        if created {
            eprintln!("Created team {:?} (id {}).", team.name, team.id);
        }
        team_ids.push(team.id);
    }
    let user = app
        .create_agent_as_system(NewAgent {
            email: args.email,
            name: args.name,
            role: args.role.into(),
            team_ids,
            languages: args.languages,
            password,
        })
        .await
        .map_err(describe)?;
    store.close().await;
    eprintln!(
        "Created {} {} <{}> (id {}).",
        user.role, user.name, user.email, user.id
    );
    eprintln!(
        "Issue an API token with: tiski token create {} --email {}",
        args.database.as_flags(),
        user.email
    );
    Ok(())
}

/// The hint printed by `serve` when there is no admin yet.
pub fn no_admin_hint(database: &DatabaseArgs) -> String {
    format!(
        "No admin exists yet. Create one (the password is read from standard input):\n\n  \
         echo 'a-long-password' | tiski user create {} --email you@example.com --name 'Your Name' --role admin --password-stdin\n  \
         tiski token create {} --email you@example.com\n",
        database.as_flags(),
        database.as_flags()
    )
}
