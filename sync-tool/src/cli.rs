//! Command-line definitions.

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
Exit codes:
  diff: 0 the databases match, 1 they differ (or a failure), 2 usage error
  setup: 0 ready, 1 not ready (missing with --check, unreachable, not writable), 2 usage error

Examples:
  sync-tool diff --from sqlite:///home/ubuntu/TimeTracking-BLUE/server/database.db \\
                 --to   sqlite:///home/ubuntu/TimeTracking-GREEN/server/database.db
  sync-tool diff --from postgresql://app@prod-db/app --to postgresql://app@staging-db/app_staging --json
  sync-tool setup --to postgresql://postgres@localhost/gaestefotos_v2_staging --owner gaestefotos
  sync-tool setup --to postgresql://gaestefotos@localhost/gaestefotos_v2_staging --check";

/// Refresh staging from production (dump, mask, restore, verify, swap), create and check staging
/// databases, and show schema and migration drift between two databases.
#[derive(Debug, Parser)]
#[command(name = "sync-tool", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// More log output on stderr (-v debug, -vv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only warnings and errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare schemas (tables, columns, types, constraints, indexes, views, functions) and
    /// applied migrations of two PostgreSQL or two SQLite databases. Exit 1 when they differ.
    Diff(DiffArgs),
    /// Create the staging database if it is missing, then check it is reachable and writable.
    Setup(SetupArgs),
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
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
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `setup`.
#[derive(Debug, Args)]
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
    /// Name of an environment variable holding the password.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}
