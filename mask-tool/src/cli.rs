//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use common::cli::args::{LogArgs, OutputArgs, PasswordArgs, SaltArgs};

const AFTER_HELP: &str = "\
Rules file (TOML), e.g. masking.toml:
  salt_env = \"MASK_SALT\"      # secret for deterministic transforms (same input + salt = same output)
  strict = true               # every column of every table must be classed mask or keep
  [tables.\"public.users\"]
  email = { template = \"user_{id}@test.example.com\" }
  name  = { template = \"Test User {id}\" }
  phone = \"fake_phone\"
  keep  = [\"id\", \"created_at\"]
Identifiers are matched as PostgreSQL resolves them: unquoted names fold to lower case,
quoted names ('\"Users\"') keep their case.

Masking fails closed: a rule naming a table or column that is not there, a column nobody
classed (strict mode), or data that cannot be parsed inside a masked table is an error, and
nothing half-masked is left behind.

Exit codes:
  0 ok, 1 failure, 2 usage or rules error, 3 check failed (lint findings, leak found),
  6 refused (protected target)

Examples:
  pg_dump -d prod | mask-tool filter --rules masking.toml > masked.sql
  mask-tool filter --rules masking.toml prod.sql.gz -o masked.sql.gz
  mask-tool apply --rules masking.toml \\
    --db postgresql://app@staging-db/app_staging
  mask-tool lint --rules masking.toml --db postgresql://app@prod-db/app
  mask-tool leaks --rules masking.toml --from postgresql://app@prod-db/app \\
    --to postgresql://app@staging-db/app";

/// Fail-closed, deterministic masking of personal data in pg_dump streams and live copies.
#[derive(Debug, Parser)]
#[command(name = "mask-tool", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub log: LogArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Mask a plain SQL dump (pg_dump --format=plain): file or stdin in, masked dump out.
    /// `.gz` and `.zst` are read and written transparently.
    Filter(FilterArgs),
    /// Mask a restored copy in place (PostgreSQL or SQLite), in one transaction.
    Apply(ApplyArgs),
    /// Check rules against a database or a dump: unknown tables and columns, unclassified
    /// columns, and kept columns that look personal. Exit 3 when anything is found.
    Lint(LintArgs),
    /// Check a masked copy against its source: no original value of a masked column may
    /// appear in the copy (sampled). Exit 3 when one does.
    Leaks(LeaksArgs),
    /// Print a shell completion script on stdout (bash, zsh, fish, elvish, powershell), e.g.
    /// `mask-tool completions bash > /etc/bash_completion.d/mask-tool`.
    #[command(after_help = "Examples:
  mask-tool completions bash > /etc/bash_completion.d/mask-tool
  mask-tool completions zsh > /usr/local/share/zsh/site-functions/_mask-tool
  mask-tool completions fish > ~/.config/fish/completions/mask-tool.fish")]
    Completions(common::cli::args::CompletionsArgs),
    /// Print the man page on stdout, e.g. `mask-tool manpage > /usr/local/share/man/man1/mask-tool.1`.
    #[command(after_help = "Examples:
  mask-tool manpage > /usr/local/share/man/man1/mask-tool.1
  mask-tool manpage | man -l -")]
    Manpage,
}

impl Command {
    /// Whether the command was asked for a JSON report.
    pub fn json(&self) -> bool {
        match self {
            Command::Completions(_) | Command::Manpage => false,
            Command::Filter(a) => a.out.json,
            Command::Apply(a) => a.out.json,
            Command::Lint(a) => a.out.json,
            Command::Leaks(a) => a.out.json,
        }
    }
}

/// Arguments of `filter`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  pg_dump -d prod | mask-tool filter --rules masking.toml > masked.sql
  mask-tool filter --rules masking.toml prod.sql.gz -o masked.sql.gz --force
  mask-tool filter --rules masking.toml --jobs 4 prod.sql > masked.sql")]
pub struct FilterArgs {
    /// Masking rules (TOML).
    #[arg(long, value_name = "FILE")]
    pub rules: PathBuf,
    /// Input dump; `-` or nothing for stdin.
    pub input: Option<PathBuf>,
    /// Output file (written atomically; compressed when it ends in .gz or .zst); stdout if absent.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub salt: SaltArgs,
    /// Replace the output file if it exists (a weekly job writes the same file every time).
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Threads that mask rows: masked tables' rows are masked in batches side by side and
    /// written in the dump's order (the same output as one thread).
    #[arg(long, short = 'j', default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `apply`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mask-tool apply --rules masking.toml \\
    --db postgresql://app@staging-db/app_staging
  mask-tool apply --rules masking.toml --db /srv/green/database.db \\
    --config /etc/backup-tools/backup.toml")]
pub struct ApplyArgs {
    /// Masking rules (TOML).
    #[arg(long, value_name = "FILE")]
    pub rules: PathBuf,
    /// The copy to mask in place (never production).
    #[arg(long, value_name = "URL")]
    pub db: String,
    /// Environments file: a target that is an environment marked `protected` is refused
    /// [default: $BACKUP_TOOLS_CONFIG, else /etc/backup-tools/backup.toml if it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub salt: SaltArgs,
    /// Mask a target although it is marked protected (never do this to production).
    #[arg(long)]
    pub allow_protected_target: bool,
    /// Rows per batch (memory stays bounded by this).
    #[arg(long, default_value_t = 5000)]
    pub batch: usize,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `lint`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["db", "dump"])))]
#[command(after_help = "Examples:
  mask-tool lint --rules masking.toml --db postgresql://app@prod-db/app
  mask-tool lint --rules masking.toml prod.sql.gz --json")]
pub struct LintArgs {
    /// Masking rules (TOML).
    #[arg(long, value_name = "FILE")]
    pub rules: PathBuf,
    /// Database to check the rules against (schema and sampled values).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Plain dump to check the rules against.
    #[arg(value_name = "DUMP")]
    pub dump: Option<PathBuf>,
    /// Values sampled per kept column to look for personal data.
    #[arg(long, default_value_t = 200)]
    pub sample: usize,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `leaks`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mask-tool leaks --rules masking.toml --from postgresql://app@prod-db/app \\
    --to postgresql://app@staging-db/app_staging")]
pub struct LeaksArgs {
    /// Masking rules (TOML) that were applied.
    #[arg(long, value_name = "FILE")]
    pub rules: PathBuf,
    /// The original database.
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The masked copy.
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Original values sampled per masked column.
    #[arg(long, default_value_t = 1000)]
    pub sample: usize,
    /// Name of an environment variable holding the password of both databases (when they
    /// share one); --from-password-env and --to-password-env set each.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Name of an environment variable holding the original's password.
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
