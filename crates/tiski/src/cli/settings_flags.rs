//! The settings table as command-line flags: each setting of a scope becomes a flag with its
//! environment variable, default and help text, all read from the table.

use clap::parser::ValueSource;
use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};
use std::collections::BTreeMap;
use tiski_kernel::Settings;
use tiski_kernel::settings::{SETTINGS, Scope, SettingDef};

/// The values given for the settings of one scope, and where each came from.
#[derive(Debug, Clone, Default)]
pub struct Given {
    values: BTreeMap<&'static str, (String, &'static str)>,
}

impl Given {
    fn add_args(cmd: Command, scopes: &[Scope]) -> Command {
        SETTINGS
            .iter()
            .filter(|def| scopes.contains(&def.scope))
            .fold(cmd, |cmd, def| match def.flag {
                Some(flag) => {
                    let mut arg = Arg::new(def.key)
                        .long(flag)
                        .env(def.env)
                        .value_name(def.value_name)
                        .help(def.doc);
                    if !def.default.is_empty() {
                        arg = arg.default_value(def.default);
                    }
                    if def.value_name == "BOOL" {
                        // `--allow-private-network` alone means true.
                        arg = arg.num_args(0..=1).default_missing_value("true");
                    }
                    cmd.arg(arg)
                }
                None => cmd,
            })
    }

    fn read(matches: &ArgMatches, scopes: &[Scope]) -> Given {
        let mut values = BTreeMap::new();
        for def in SETTINGS
            .iter()
            .filter(|d| scopes.contains(&d.scope) && d.flag.is_some())
        {
            let Ok(Some(value)) = matches.try_get_one::<String>(def.key) else {
                continue;
            };
            let source = match matches.value_source(def.key) {
                Some(ValueSource::CommandLine) => "flag",
                Some(ValueSource::EnvVariable) => "environment",
                _ => "default",
            };
            values.insert(def.key, (value.clone(), source));
        }
        Given { values }
    }

    /// The value of a setting: given here, else its environment variable (settings this
    /// command has no flag for), else its default.
    fn value(&self, def: &SettingDef) -> Option<(String, &'static str)> {
        self.values
            .get(def.key)
            .cloned()
            .or_else(|| std::env::var(def.env).ok().map(|v| (v, "environment")))
    }

    fn settings(&self) -> anyhow::Result<Settings> {
        Settings::load(&|def| self.value(def).map(|(v, _)| v)).map_err(|e| anyhow::anyhow!(e))
    }
}

/// Defines a flag set over some scopes of the settings table.
macro_rules! flag_set {
    ($(#[$doc:meta])* $name:ident, [$($scope:ident),+]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default)]
        pub struct $name(Given);

        impl $name {
            const SCOPES: &'static [Scope] = &[$(Scope::$scope),+];

            /// The effective settings: flags, environment, defaults.
            pub fn settings(&self) -> anyhow::Result<Settings> {
                self.0.settings()
            }
        }

        impl Args for $name {
            fn augment_args(cmd: Command) -> Command {
                Given::add_args(cmd, Self::SCOPES)
            }
            fn augment_args_for_update(cmd: Command) -> Command {
                Given::add_args(cmd, Self::SCOPES)
            }
        }

        impl FromArgMatches for $name {
            fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
                Ok($name(Given::read(matches, Self::SCOPES)))
            }
            fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
                *self = Self::from_arg_matches(matches)?;
                Ok(())
            }
        }
    };
}

flag_set! {
    /// The flags of every command that opens the data: where it lives.
    DatabaseArgs, [Database]
}

flag_set! {
    /// The flags of `tiski serve` (and `config show`): every setting.
    ServeArgs, [Database, Server]
}

impl DatabaseArgs {
    /// How to repeat these database flags in a hint.
    pub fn as_flags(&self, settings: &Settings) -> String {
        database_flags(settings)
    }
}

impl ServeArgs {
    /// How to repeat the database flags in a hint.
    pub fn as_flags(&self, settings: &Settings) -> String {
        database_flags(settings)
    }

    /// The effective settings as text: one line each, where it came from, secrets hidden.
    pub fn show(&self) -> anyhow::Result<String> {
        let settings = self.settings()?;
        let width = SETTINGS.iter().map(|d| d.key.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (def, value) in settings.effective() {
            let source = self.0.value(def).map(|(_, s)| s).unwrap_or("default");
            out.push_str(&format!(
                "{:width$} = {value}  ({source}: {})\n",
                def.key,
                def.source()
            ));
        }
        Ok(out)
    }
}

fn database_flags(settings: &Settings) -> String {
    match settings.database_url.expose() {
        Some(_) => "--database-url \"$TISKI_DATABASE_URL\"".into(),
        None => format!(
            "--data-dir {}",
            shell_quote(&settings.data_dir.display().to_string())
        ),
    }
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
