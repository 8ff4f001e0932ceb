//! Command-line definitions.

use clap::{Args, Parser, Subcommand};
use common::cli::args::{LogArgs, OutputArgs, PasswordArgs, SaltArgs};

const AFTER_HELP: &str = "\
Refresh (run): pre-flight (target is not the source and not protected; rules cover every column),
then pg_dump | mask | psql into <target>__incoming, verify (row counts, schema fingerprint,
sequences, leak check), then swap it in by renames. Anything failing before the swap leaves
staging exactly as it was. Production data never touches the disk unmasked.

Exit codes:
  run, verify, rollback: 0 ok, 1 failure, 2 usage or rules error, 3 verification failed,
    6 refused by a safety rule (protected target, target is the source, rules incomplete)
  diff: 0 the databases match, 3 they differ, 1 failure (cannot connect, cannot read), 2 usage error
  setup: 0 ready, 1 not ready (missing with --check, unreachable, not writable), 2 usage error

Examples:
  MASK_SALT=... sync-tool run \\
    --from postgresql://girok_user@prod-db:5434/girok_user \\
    --to postgresql://staging_girok_user@staging-db:5433/staging_girok_user \\
    --rules masking.toml
  sync-tool run --config backup.toml --from prod --to staging \\
    --keep-previous --jobs 2
  sync-tool rollback \\
    --to postgresql://staging_girok_user@staging-db:5433/staging_girok_user
  sync-tool diff \\
    --from sqlite:///home/ubuntu/TimeTracking-BLUE/server/database.db \\
    --to sqlite:///home/ubuntu/TimeTracking-GREEN/server/database.db
  sync-tool diff --from postgresql://app@prod-db/app \\
    --to postgresql://app@staging-db/app_staging --json
  sync-tool setup \\
    --to postgresql://postgres@localhost/gaestefotos_v2_staging \\
    --owner gaestefotos
  sync-tool setup \\
    --to postgresql://gaestefotos@localhost/gaestefotos_v2_staging --check";

/// Refresh staging from production (dump, mask, restore, verify, swap), create and check staging
/// databases, and show schema and migration drift between two databases.
#[derive(Debug, Parser)]
#[command(name = "sync-tool", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub log: LogArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare schemas (tables, columns, types, constraints, indexes, views, functions) and
    /// applied migrations of two PostgreSQL or two SQLite databases. Exit 3 when they differ.
    Diff(DiffArgs),
    /// Create the staging database if it is missing, then check it is reachable and writable.
    Setup(SetupArgs),
    /// Refresh the target from the source: dump, mask, restore into a fresh database, verify,
    /// swap in, clean up.
    Run(RunArgs),
    /// The pre-swap checks on demand: row counts, schema fingerprint, sequences, leak check.
    Verify(VerifyArgs),
    /// Put back the staging database kept by the last `run --keep-previous`.
    Rollback(RollbackArgs),
    /// Print a shell completion script on stdout (bash, zsh, fish, elvish, powershell), e.g.
    /// `sync-tool completions bash > /etc/bash_completion.d/sync-tool`.
    #[command(after_help = "Examples:
  sync-tool completions bash > /etc/bash_completion.d/sync-tool
  sync-tool completions zsh > /usr/local/share/zsh/site-functions/_sync-tool
  sync-tool completions fish > ~/.config/fish/completions/sync-tool.fish")]
    Completions(common::cli::args::CompletionsArgs),
    /// Print the man page on stdout, e.g. `sync-tool manpage > /usr/local/share/man/man1/sync-tool.1`.
    #[command(after_help = "Examples:
  sync-tool manpage > /usr/local/share/man/man1/sync-tool.1
  sync-tool manpage | man -l -")]
    Manpage,
}

impl Command {
    /// Whether the command was asked for a JSON report.
    pub fn json(&self) -> bool {
        match self {
            Command::Completions(_) | Command::Manpage => false,
            Command::Diff(a) => a.out.json,
            Command::Setup(a) => a.out.json,
            Command::Run(a) => a.out.json,
            Command::Verify(a) => a.out.json,
            Command::Rollback(a) => a.out.json,
        }
    }
}

/// Arguments of `run`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  MASK_SALT=... sync-tool run --from postgresql://app@prod-db/app \\
    --to postgresql://app@staging-db/app_staging --rules masking.toml
  sync-tool run --config backup.toml --from prod --to staging \\
    --keep-previous --jobs 2 --yes")]
pub struct RunArgs {
    /// Source database URL (production), or with --config an environment name.
    #[arg(long, value_name = "URL|ENV")]
    pub from: String,
    /// Target database URL (staging), or with --config an environment name.
    #[arg(long, value_name = "URL|ENV")]
    pub to: String,
    /// Masking rules [default with --config: the rules of the [sync] entry for these environments].
    #[arg(long, value_name = "FILE")]
    pub rules: Option<std::path::PathBuf>,
    /// Environments file: --from and --to name environments in it (passwords from password_env,
    /// `protected` honoured).
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Tables copied in parallel (PostgreSQL).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub jobs: usize,
    /// Also keep the masked dump in this folder as a normal backup (manifest, retention).
    #[arg(long, value_name = "DIR")]
    pub keep_dump: Option<std::path::PathBuf>,
    /// With --keep-dump: how many masked dumps to keep there (older ones are pruned).
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub keep_dumps: u32,
    /// Keep the replaced staging database as <target>__previous, for `rollback`.
    #[arg(long)]
    pub keep_previous: bool,
    /// Accept a column that lint flags as personal but unmasked, e.g. public.users.nickname (repeatable).
    #[arg(long, value_name = "TABLE.COLUMN")]
    pub allow_unmasked: Vec<String>,
    /// Overwrite a target marked protected in the config.
    #[arg(long)]
    pub allow_protected_target: bool,
    #[command(flatten)]
    pub salt: SaltArgs,
    /// Original values sampled per masked column for the leak check.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub leak_sample: usize,
    /// Folder holding pg_dump and psql, instead of PATH.
    #[arg(long, value_name = "DIR")]
    pub pg_bin_dir: Option<std::path::PathBuf>,
    /// Replace the target without asking (needed when there is no terminal to ask on: cron).
    #[arg(long)]
    pub yes: bool,
    /// Write the outcome to this Prometheus textfile (node_exporter's textfile collector)
    /// [default: the config's metrics_file].
    #[arg(long, value_name = "PATH")]
    pub metrics_file: Option<std::path::PathBuf>,
    /// A shell command run after a successful refresh (outcome in BACKUP_TOOL_* variables)
    /// [default: the config's on_success].
    #[arg(long, value_name = "CMD")]
    pub on_success: Option<String>,
    /// A shell command run after a failed refresh [default: the config's on_failure].
    #[arg(long, value_name = "CMD")]
    pub on_failure: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `verify`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  sync-tool verify --from postgresql://app@prod-db/app \\
    --to postgresql://app@staging-db/app_staging --rules masking.toml")]
pub struct VerifyArgs {
    /// Source database.
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The copy.
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Masking rules, for the leak check.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<std::path::PathBuf>,
    /// Original values sampled per masked column.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub leak_sample: usize,
    /// Name of an environment variable holding the password of both databases (when they
    /// share one); --from-password-env and --to-password-env set each.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Name of an environment variable holding the source's password.
    #[arg(long, value_name = "VAR")]
    pub from_password_env: Option<String>,
    /// Name of an environment variable holding the copy's password.
    #[arg(long, value_name = "VAR")]
    pub to_password_env: Option<String>,
    #[command(flatten)]
    pub salt: SaltArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `rollback`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  sync-tool rollback --to postgresql://app@staging-db/app_staging")]
pub struct RollbackArgs {
    /// The staging database to roll back.
    #[arg(long, value_name = "URL")]
    pub to: String,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Environments file whose protected environments are refused [default: $BACKUP_TOOLS_CONFIG,
    /// else /etc/backup-tools/backup.toml if it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Roll back a target although it is marked protected.
    #[arg(long)]
    pub allow_protected_target: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  sync-tool diff --from /srv/blue/database.db --to /srv/green/database.db
  sync-tool diff --from postgresql://app@prod-db/app \\
    --to postgresql://app@staging-db/app_staging --json")]
pub struct DiffArgs {
    /// First database (e.g. production or BLUE).
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// Second database (e.g. staging or GREEN).
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Migrations table to compare [default: _prisma_migrations, migrations, schema_migrations or knex_migrations, whichever exists].
    #[arg(long, value_name = "TABLE")]
    pub migrations_table: Option<String>,
    /// Name of an environment variable holding the password of both databases (when they
    /// share one); --from-password-env and --to-password-env set each.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Name of an environment variable holding the first database's password.
    #[arg(long, value_name = "VAR")]
    pub from_password_env: Option<String>,
    /// Name of an environment variable holding the second database's password.
    #[arg(long, value_name = "VAR")]
    pub to_password_env: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `setup`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  sync-tool setup --to postgresql://postgres@localhost/app_staging --owner app
  sync-tool setup --to postgresql://app@localhost/app_staging --check")]
pub struct SetupArgs {
    /// The staging database (PostgreSQL URL or SQLite path).
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Role that owns a newly created PostgreSQL database.
    #[arg(long, value_name = "ROLE")]
    pub owner: Option<String>,
    /// Only check; create nothing.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Environments file whose protected environments are refused [default: $BACKUP_TOOLS_CONFIG,
    /// else /etc/backup-tools/backup.toml if it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Set up a target although it is marked protected.
    #[arg(long)]
    pub allow_protected_target: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}
