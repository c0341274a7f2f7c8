//! Command-line interface: every subcommand, its flags and their environment variables. The
//! flags of the settings come from the one settings table (`tiski_kernel::settings`), so the
//! command line, the environment, the README and `tiski config show` cannot disagree.

mod customer;
mod import;
mod settings_flags;

pub use settings_flags::{DatabaseArgs, ServeArgs};

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::BufRead;
use tiski_app::App;
use tiski_domain::Role;
use tiski_kernel::{Actor, AppError, SecretKey, Settings, Store, SystemClock};
use tiski_staff::NewAgent;

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
    /// Show the settings.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Export or erase a customer's data (GDPR).
    #[command(subcommand)]
    Customer(customer::CustomerCommand),
    /// Import data from files (the product catalog from CSV).
    #[command(subcommand)]
    Import(import::ImportCommand),
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print the effective settings (from flags, the environment and the defaults), secrets
    /// hidden, and where each came from.
    Show(ServeArgs),
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
    /// List the API tokens, newest first: id, user, label, issued (never the tokens).
    List(DatabaseArgs),
    /// Revoke an API token by id: requests with it answer 401 and its streams end.
    Revoke(TokenRevokeArgs),
}

#[derive(Debug, Args)]
struct TokenRevokeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The token's id, as `tiski token list` shows it.
    id: i64,
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

/// Opens the store the settings name, naming the flag and variable at fault on failure.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let source = if settings.database_url.expose().is_some() {
        "--database-url / TISKI_DATABASE_URL"
    } else {
        "--data-dir / TISKI_DATA_DIR"
    };
    tiski_app::open_store(tiski_app::location(settings))
        .await
        .with_context(|| format!("cannot open the database given by {source}"))
}

/// Opens the store and builds the application on the wall clock.
pub async fn open_app(settings: Settings) -> anyhow::Result<App> {
    open_app_on(settings, std::sync::Arc::new(SystemClock)).await
}

/// Opens the application on `clock` (the demo's, which it sets to the past as it goes).
pub async fn open_app_on(
    settings: Settings,
    clock: std::sync::Arc<dyn tiski_domain::Clock>,
) -> anyhow::Result<App> {
    let store = open_store(&settings).await?;
    let key = SecretKey::resolve(&settings).map_err(|e| anyhow::anyhow!(e))?;
    Ok(App::new(store, settings, clock, key))
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => crate::serve::run(args).await,
        Command::Migrate(database) => {
            crate::serve::init_logs(tiski_kernel::settings::LogFormat::Human);
            let store = open_store(&database.settings()?).await?;
            store.close().await;
            eprintln!("The database is up to date.");
            Ok(())
        }
        Command::User(UserCommand::Create(args)) => create_user(args).await,
        Command::Token(TokenCommand::Create(args)) => {
            let app = open_app(args.database.settings()?).await?;
            let token = app
                .staff
                .create_token(&args.email, &args.label)
                .await
                .map_err(describe);
            app.kernel.store().close().await;
            println!("{}", token?);
            Ok(())
        }
        Command::Token(TokenCommand::List(database)) => list_tokens(database).await,
        Command::Token(TokenCommand::Revoke(args)) => {
            let app = open_app(args.database.settings()?).await?;
            let result = app
                .staff
                .revoke_api_token(&Actor::system(), args.id)
                .await
                .map_err(describe);
            app.kernel.store().close().await;
            result?;
            eprintln!("Revoked API token {}.", args.id);
            Ok(())
        }
        Command::Demo(args) => crate::demo::run(args).await,
        Command::Bench(args) => {
            tiski_bench::run_and_print(args).await?;
            Ok(())
        }
        Command::Config(ConfigCommand::Show(args)) => {
            print!("{}", args.show()?);
            Ok(())
        }
        Command::Customer(command) => customer::run(command).await,
        Command::Import(command) => import::run(command).await,
    }
}

/// Turns a use-case error into a message that names the flag at fault.
pub fn describe(error: AppError) -> anyhow::Error {
    match &error {
        AppError::Invalid { field, message }
        | AppError::Conflict {
            field: Some(field),
            message,
            ..
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
    let settings = args.database.settings()?;
    let flags = args.database.as_flags(&settings);
    let app = open_app(settings).await?;
    let result = create_user_in(&app, args, password).await;
    app.kernel.store().close().await;
    let user = result?;
    eprintln!(
        "Created {} {} <{}> (id {}).",
        user.role, user.name, user.email, user.id
    );
    eprintln!(
        "Issue an API token with: tiski token create {flags} --email {}",
        user.email
    );
    Ok(())
}

async fn create_user_in(
    app: &App,
    args: UserCreateArgs,
    password: Option<String>,
) -> anyhow::Result<tiski_staff::AgentView> {
    let mut team_ids = Vec::new();
    for name in &args.teams {
        let (team, created) = app
            .staff
            .find_or_create_team_as_system(name)
            .await
            .map_err(|e| anyhow::anyhow!("--team {name:?}: {e}"))?;
        if created {
            eprintln!("Created team {:?} (id {}).", team.name, team.id);
        }
        team_ids.push(team.id);
    }
    app.staff
        .create_agent_as_system(NewAgent {
            email: args.email,
            name: args.name,
            role: args.role.into(),
            team_ids,
            languages: args.languages,
            password,
        })
        .await
        .map_err(describe)
}

/// The hint printed by `serve` when there is no admin yet.
pub fn no_admin_hint(flags: &str) -> String {
    format!(
        "No admin exists yet. Create one (the password is read from standard input):\n\n  \
         echo 'a-long-password' | tiski user create {flags} --email you@example.com --name 'Your Name' --role admin --password-stdin\n  \
         tiski token create {flags} --email you@example.com\n",
    )
}

/// Prints every API token, a page at a time, as tab-separated lines.
async fn list_tokens(database: DatabaseArgs) -> anyhow::Result<()> {
    let app = open_app(database.settings()?).await?;
    let mut cursor = None;
    let result = loop {
        let page = match app
            .staff
            .list_api_tokens(&Actor::system(), Some(200), cursor)
            .await
        {
            Ok(page) => page,
            Err(error) => break Err(describe(error)),
        };
        for token in &page.items {
            println!(
                "{}\t{}\t{}\t{}",
                token.id,
                one_line(&token.user_name),
                one_line(&token.label),
                tiski_kernel::time::format(token.created_at)
            );
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break Ok(()),
        }
    };
    app.kernel.store().close().await;
    result
}

/// Text with control characters (tabs, line ends) shown as spaces, one field of a line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
