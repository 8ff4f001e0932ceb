//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use common::cli::args::{IdentityArgs, LogArgs, OutputArgs, PgArgs, SaltArgs};

const AFTER_HELP: &str = "\
Connection strings:
  postgresql://user@host:5432/db?sslmode=require   (PG* variables and ~/.pgpass are honoured)
  sqlite:///abs/path/database.db, sqlite://rel/path.db, or a path ending in .db/.sqlite/.sqlite3
  Never put a password on the command line: use PGPASSWORD, ~/.pgpass, or --password-env NAME.

Exit codes:
  0 ok, 1 failure, 2 usage or configuration error, 3 verification failed,
  4 no recent enough backup (status), 5 another run holds the lock, 6 refused by a safety rule

Examples:
  backup-tool backup --db postgresql://app@db/app --dir /backups/postgresql \\
    --keep-daily 7 --keep-weekly 4
  backup-tool list --dir /backups/postgresql
  backup-tool verify --dir /backups/postgresql
  backup-tool restore /backups/postgresql/app_20261122T030000Z.sql.gz \\
    --db postgresql://app@db/app_restored --create
  backup-tool status --dir /backups/postgresql --name app --max-age 26h";

/// Complete-or-absent backups of PostgreSQL and SQLite: dump, compress, checksum, store atomically
/// with a manifest; list, verify, prune by retention policy, restore.
#[derive(Debug, Parser)]
#[command(name = "backup-tool", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub log: LogArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Dump a database into DIR as <name>_<UTC time>.sql.gz (or .sqlite3.gz) with a manifest,
    /// then apply retention if any retention flag is given.
    Backup(BackupArgs),
    /// List the complete backups in DIR (only files with a valid manifest count).
    List(ListArgs),
    /// Check backups: size and sha256 against the manifest, a full decode, pg_dump's completion
    /// line or SQLite's integrity_check; optionally restore into a scratch database.
    Verify(VerifyArgs),
    /// Delete backups that the retention policy no longer keeps (never below --min-keep).
    Prune(PruneArgs),
    /// Restore a backup into a database, whole or not at all.
    Restore(RestoreArgs),
    /// Copy the backups of one folder into another (local or s3://), checked against their
    /// manifests on the way, manifests last; backups already there are skipped.
    Copy(CopyArgs),
    /// Exit non-zero (4) when the newest good backup is older than allowed, for monitoring.
    Status(StatusArgs),
    /// Back up and prune every environment of a config file (or one with --env), for cron.
    Run(RunArgs),
    /// Print crontab lines for every scheduled backup and sync of a config file.
    Crontab(CrontabArgs),
    /// Write a systemd .service and .timer for every scheduled backup and sync of a config file.
    Systemd(SystemdArgs),
    /// Check everything the scheduled jobs of a config file need: connections, client program
    /// versions, folders (writable, free space, locks), variables and the masking salt. Exit 3
    /// on any problem.
    Doctor(DoctorArgs),
    /// Print a shell completion script on stdout (bash, zsh, fish, elvish, powershell), e.g.
    /// `backup-tool completions bash > /etc/bash_completion.d/backup-tool`.
    #[command(after_help = "Examples:
  backup-tool completions bash > /etc/bash_completion.d/backup-tool
  backup-tool completions zsh > /usr/local/share/zsh/site-functions/_backup-tool
  backup-tool completions fish > ~/.config/fish/completions/backup-tool.fish")]
    Completions(common::cli::args::CompletionsArgs),
    /// Print the man page on stdout, e.g. `backup-tool manpage > /usr/local/share/man/man1/backup-tool.1`.
    #[command(after_help = "Examples:
  backup-tool manpage > /usr/local/share/man/man1/backup-tool.1
  backup-tool manpage | man -l -")]
    Manpage,
}

impl Command {
    /// Whether the command was asked for a JSON report.
    pub fn json(&self) -> bool {
        match self {
            Command::Completions(_) | Command::Manpage => false,
            Command::Backup(a) => a.out.json,
            Command::List(a) => a.out.json,
            Command::Verify(a) => a.out.json,
            Command::Prune(a) => a.out.json,
            Command::Restore(a) => a.out.json,
            Command::Copy(a) => a.out.json,
            Command::Status(a) => a.out.json,
            Command::Run(a) => a.out.json,
            Command::Crontab(a) => a.out.json,
            Command::Systemd(a) => a.output.json,
            Command::Doctor(a) => a.out.json,
        }
    }
}

/// Retention flags, shared by `backup` and `prune`.
#[derive(Debug, Clone, Args, Default)]
pub struct RetentionArgs {
    /// Keep every backup younger than N days.
    #[arg(long, value_name = "N")]
    pub keep_days: Option<u32>,
    /// Keep the N newest backups.
    #[arg(long, value_name = "N")]
    pub keep_last: Option<u32>,
    /// Keep the newest backup of each of the last N hours that have one (UTC).
    #[arg(long, value_name = "N")]
    pub keep_hourly: Option<u32>,
    /// Keep the newest backup of each of the last N days that have one (UTC).
    #[arg(long, value_name = "N")]
    pub keep_daily: Option<u32>,
    /// Keep the newest backup of each of the last N ISO weeks that have one.
    #[arg(long, value_name = "N")]
    pub keep_weekly: Option<u32>,
    /// Keep the newest backup of each of the last N months that have one.
    #[arg(long, value_name = "N")]
    pub keep_monthly: Option<u32>,
    /// Never keep fewer than N good backups, whatever the other rules say (at least 1)
    /// [default: 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub min_keep: Option<u32>,
}

impl RetentionArgs {
    /// The policy these flags describe.
    pub fn policy(&self) -> common::store::retention::RetentionPolicy {
        common::store::retention::RetentionPolicy {
            keep_days: self.keep_days,
            keep_last: self.keep_last,
            keep_hourly: self.keep_hourly,
            keep_daily: self.keep_daily,
            keep_weekly: self.keep_weekly,
            keep_monthly: self.keep_monthly,
            min_keep: self.min_keep,
        }
    }
}

/// Arguments of `backup`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  backup-tool backup --db postgresql://app@db:5432/app \\
    --dir /backups/postgresql --keep-daily 7 --keep-weekly 4
  backup-tool backup --db /srv/app/database.db --dir /backups/sqlite \\
    --compress zstd:3
  backup-tool backup --db postgresql://app@db/app --dir /backups \\
    --tag pre-migration --keep-for 48h
  AWS_REGION=eu-west-1 backup-tool backup --db postgresql://app@db/app \\
    --dir s3://acme-backups/app --encrypt-to age1u6znedsl72jrr3negxpq...")]
pub struct BackupArgs {
    /// Database to back up (postgresql://... or an SQLite path).
    #[arg(long, value_name = "URL")]
    pub db: String,
    /// Folder for the backups (created if missing), or s3://bucket/prefix: endpoint, region and
    /// keys from AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or
    /// AWS_PROFILE and ~/.aws (AWS_ALLOW_HTTP=true for a plain-http endpoint).
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// Encrypt the backup to this age recipient (age1... or an SSH public key), after
    /// compression: the file is ....age and `age -d -i KEY FILE | gunzip` reads it. Repeatable.
    #[arg(long, value_name = "RECIPIENT")]
    pub encrypt_to: Vec<String>,
    /// Encrypt to every recipient listed in this file (one per line, # comments). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub recipients_file: Vec<PathBuf>,
    /// Also copy the backup into this folder (or s3://...), verified on the way, with the same
    /// retention applied there. Repeatable.
    #[arg(long, value_name = "DIR")]
    pub mirror: Vec<PathBuf>,
    /// Backup name, the file name prefix [default: the database name or SQLite file stem].
    #[arg(long)]
    pub name: Option<String>,
    /// Compression: gzip[:1-9], zstd[:1-19] or none.
    #[arg(long, default_value = "gzip:6", value_name = "CODEC")]
    pub compress: String,
    #[command(flatten)]
    pub pg: PgArgs,
    /// Compression threads [default: one per core].
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,
    /// Wait this long for another run of the same backup to finish (e.g. 10m) [default: fail at once].
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<String>,
    /// Also save the server's roles and tablespaces (pg_dumpall --globals-only) beside the
    /// backup, as backup NAME.globals with its own manifest: a new server can then be rebuilt
    /// from the folder alone (restore --globals).
    #[arg(long)]
    pub globals: bool,
    /// Read the tables with N database sessions at once, under one snapshot (PostgreSQL). The
    /// file stays one plain SQL dump (`gunzip < f | psql` restores it); `restore --jobs` loads
    /// it in parallel too.
    #[arg(long, short = 'j', default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// A label for this backup, shown by `list` (repeatable), e.g. pre-migration.
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Retention never removes this backup before this much time has passed, e.g. 48h.
    #[arg(long, value_name = "DURATION")]
    pub keep_for: Option<String>,
    /// Only these tables (pg_dump pattern, repeatable); recorded in the manifest.
    #[arg(long, value_name = "PATTERN")]
    pub table: Vec<String>,
    /// Leave these tables out (pg_dump pattern, repeatable); recorded in the manifest.
    #[arg(long, value_name = "PATTERN")]
    pub exclude_table: Vec<String>,
    /// Keep these tables' definitions but leave out their rows (pg_dump pattern, repeatable).
    #[arg(long, value_name = "PATTERN")]
    pub exclude_table_data: Vec<String>,
    /// Update this node_exporter textfile with the outcome (last success and failure, duration,
    /// size, rows), keeping other names' series.
    #[arg(long, value_name = "PATH")]
    pub metrics_file: Option<PathBuf>,
    /// Run this shell command after a successful backup (outcome in BACKUP_TOOL_* variables).
    #[arg(long, value_name = "CMD")]
    pub on_success: Option<String>,
    /// Run this shell command after a failed backup, e.g. a healthchecks ping.
    #[arg(long, value_name = "CMD")]
    pub on_failure: Option<String>,
    #[command(flatten)]
    pub retention: RetentionArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

impl BackupArgs {
    /// The pg_dump selection arguments these flags make.
    pub fn selection(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(self.table.iter().map(|t| format!("--table={t}")));
        out.extend(
            self.exclude_table
                .iter()
                .map(|t| format!("--exclude-table={t}")),
        );
        out.extend(
            self.exclude_table_data
                .iter()
                .map(|t| format!("--exclude-table-data={t}")),
        );
        out
    }
}

/// Arguments of `list`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  backup-tool list --dir /backups/postgresql
  backup-tool list --dir /backups/postgresql --name app --json")]
pub struct ListArgs {
    /// Backup folder.
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// Only backups of this name.
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `verify`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["file", "dir"])))]
#[command(after_help = "Examples:
  backup-tool verify --dir /backups/postgresql
  backup-tool verify /backups/postgresql/app_20261122T030000Z.sql.gz \\
    --restore-test postgresql://postgres@localhost/restore_check
  backup-tool verify s3://acme-backups/app/app_20261122T030000Z.sql.gz.age \\
    --identity ~/.config/backup-tool/key.txt")]
pub struct VerifyArgs {
    /// One backup file to verify (a path or s3://bucket/prefix/FILE).
    pub file: Option<PathBuf>,
    /// Verify every backup in this folder (or s3://bucket/prefix).
    #[arg(long, value_name = "DIR", conflicts_with = "file")]
    pub dir: Option<PathBuf>,
    /// With --dir: only backups of this name.
    #[arg(long, requires = "dir")]
    pub name: Option<String>,
    /// Also restore into this scratch database (created and dropped, or an empty one) and compare
    /// row counts with the manifest.
    #[arg(long, value_name = "URL")]
    pub restore_test: Option<String>,
    #[command(flatten)]
    pub pg: PgArgs,
    #[command(flatten)]
    pub identity: IdentityArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `copy`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  backup-tool copy --from /backups/postgresql --to s3://acme-backups/postgresql
  backup-tool copy --from s3://acme-backups/app --to /mnt/usb/app --name app
  backup-tool prune --dir s3://acme-backups/postgresql --keep-daily 30")]
pub struct CopyArgs {
    /// The folder (or s3://bucket/prefix) to copy from.
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    /// The folder (or s3://bucket/prefix) to copy into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub to: PathBuf,
    /// Only backups of this name.
    #[arg(long)]
    pub name: Option<String>,
    /// Wait this long for another run holding a name's lock at the destination (e.g. 10m).
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `prune`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  backup-tool prune --dir /backups/postgresql --keep-days 30 --dry-run
  backup-tool prune --dir /backups/postgresql --name app --keep-daily 7 \\
    --keep-weekly 4 --min-keep 3")]
pub struct PruneArgs {
    /// Backup folder.
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// Only backups of this name [default: every name in DIR, each on its own].
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub retention: RetentionArgs,
    /// Print every decision with its reason and delete nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Wait this long for a running backup of the same name (e.g. 10m).
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `restore`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["file", "latest", "at"])))]
#[command(after_help = "Examples:
  backup-tool restore /backups/app_20261122T030000Z.sql.gz \\
    --db postgresql://app@localhost/app_restored --create
  backup-tool restore --dir /backups/postgresql --name app --latest \\
    --db postgresql://app@localhost/app --force
  backup-tool restore --dir /backups/postgresql --name app \\
    --at \"2026-11-22 03:00\" --db postgresql://app@localhost/app_at_3 --create
  backup-tool restore /backups/app_20261122T030000Z.sql.gz \\
    --db postgresql://dev@localhost/app_dev --create --mask masking.toml
  backup-tool restore s3://acme-backups/app/app_20261122T030000Z.sql.gz.age \\
    --identity key.txt --db postgresql://app@localhost/app_restored --create")]
pub struct RestoreArgs {
    /// The backup file or s3://bucket/prefix/FILE (its .manifest.json must stand beside it),
    /// or --dir/--name with --latest or --at.
    pub file: Option<PathBuf>,
    /// Backup folder to choose from (with --name and --latest or --at).
    #[arg(long, value_name = "DIR", requires = "name", conflicts_with = "file")]
    pub dir: Option<PathBuf>,
    /// Backup name to choose from in --dir.
    #[arg(long, requires = "dir")]
    pub name: Option<String>,
    /// The newest good backup of --name in --dir.
    #[arg(long, requires = "dir", conflicts_with = "at")]
    pub latest: bool,
    /// Load a parallel backup (taken with backup --jobs) with N sessions: schema, then the
    /// tables' rows at once, then indexes and keys table by table, foreign keys last. The copy
    /// is built beside the target and put in place only when complete.
    #[arg(long, short = 'j', default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Leave out ownership (ALTER ... OWNER TO): the objects belong to the role restoring them.
    #[arg(long)]
    pub no_owner: bool,
    /// Restore as this role (SET ROLE; the connecting user must be a member): the objects
    /// belong to it. Implies --no-owner.
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// Restore only this table, named exactly as it is (public.orders, "Sales"."Order Lines",
    /// or orders for that table in any schema; repeatable), with its indexes, constraints,
    /// triggers and owned sequences. The backup is restored into a scratch
    /// database beside the target first; with --force, tables of the same name are replaced.
    #[arg(long, value_name = "TABLE")]
    pub table: Vec<String>,
    /// Restore only this schema, named exactly as it is (repeatable), as --table does.
    #[arg(long, value_name = "SCHEMA")]
    pub schema: Vec<String>,
    /// The newest good backup of --name in --dir taken at or before TIME (2026-11-22T03:00:00Z,
    /// 2026-11-22 03:00, 2026-11-22).
    #[arg(long, value_name = "TIME", requires = "dir")]
    pub at: Option<String>,
    /// First apply the roles and tablespaces saved with the backup (backup --globals); roles that
    /// exist are brought up to date, never the one this restore runs as.
    #[arg(long)]
    pub globals: bool,
    /// Restore a dump that has no manifest (from the old scripts): nothing can be checked but
    /// that it decodes and ends with pg_dump's completion line.
    #[arg(long)]
    pub unverified: bool,
    /// Target database.
    #[arg(
        long,
        value_name = "URL",
        required_unless_present = "env",
        conflicts_with = "env"
    )]
    pub db: Option<String>,
    /// Target environment of --config (its db and password_env).
    #[arg(long, value_name = "NAME", requires = "config")]
    pub env: Option<String>,
    /// Create the target database if it does not exist.
    #[arg(long)]
    pub create: bool,
    /// Replace the contents of a non-empty target (asks for the database name to be typed).
    #[arg(long)]
    pub force: bool,
    /// Answer yes to every confirmation (replacing a non-empty target with --force), for
    /// scripts.
    #[arg(long)]
    pub yes: bool,
    /// Environments file whose protected environments are refused as targets
    /// [default: $BACKUP_TOOLS_CONFIG, else /etc/backup-tools/backup.toml if it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Restore into a target although it is marked protected (a disaster recovery of
    /// production itself).
    #[arg(long)]
    pub allow_protected_target: bool,
    /// Mask the data on the way in with these rules (see mask-tool); the salt comes from the
    /// rules' salt_env.
    #[arg(long, value_name = "RULES")]
    pub mask: Option<PathBuf>,
    #[command(flatten)]
    pub salt: SaltArgs,
    #[command(flatten)]
    pub pg: PgArgs,
    #[command(flatten)]
    pub identity: IdentityArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `status`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  backup-tool status --dir /backups/postgresql --name app --max-age 26h
  backup-tool status --config /etc/backup-tools/backup.toml --json")]
pub struct StatusArgs {
    /// Backup folder (with --name and --max-age).
    #[arg(long, value_name = "DIR", required_unless_present = "config")]
    pub dir: Option<PathBuf>,
    /// Backup name.
    #[arg(long, requires = "dir")]
    pub name: Option<String>,
    /// Oldest acceptable age of the newest good backup, e.g. 26h, 90m, 8d. With --config and no
    /// --max-age, each environment's schedule decides: two missed runs are an alarm.
    #[arg(long, value_name = "DURATION")]
    pub max_age: Option<String>,
    /// Check every scheduled environment of this config file.
    #[arg(long, value_name = "FILE", conflicts_with = "dir")]
    pub config: Option<PathBuf>,
    /// With --config: only this environment.
    #[arg(long, requires = "config")]
    pub env: Option<String>,
    /// Skip the sha256 check of the newest backup (only its age and size are judged).
    #[arg(long)]
    pub no_checksum: bool,
    /// Print the result in Prometheus' text format (for a textfile collector or a scrape).
    #[arg(long, conflicts_with = "json")]
    pub prometheus: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `run`.
#[derive(Debug, Args)]
#[command(
    after_help = "The config file is described in the README (section \"Config file, cron and systemd\"); a full example
is examples/backup.example.toml.

Examples:
  backup-tool run --config /etc/backup-tools/backup.toml
  backup-tool run --config /etc/backup-tools/backup.toml --env prod \\
    --wait 10m"
)]
pub struct RunArgs {
    /// The environments file ([env.NAME] with db, dir, schedule, retention; see
    /// examples/backup.example.toml).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Only this environment [default: every environment that has a dir].
    #[arg(long)]
    pub env: Option<String>,
    /// Update this node_exporter textfile with the outcome [default: the config's metrics_file] (last success and failure, duration,
    /// size, rows), keeping other names' series.
    #[arg(long, value_name = "PATH")]
    pub metrics_file: Option<PathBuf>,
    /// Run this shell command after a successful backup (outcome in BACKUP_TOOL_* variables).
    #[arg(long, value_name = "CMD")]
    pub on_success: Option<String>,
    /// Run this shell command after a failed backup, e.g. a healthchecks ping.
    #[arg(long, value_name = "CMD")]
    pub on_failure: Option<String>,
    /// Wait this long for a previous run still holding a lock (e.g. 10m).
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `crontab`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  backup-tool crontab --config /etc/backup-tools/backup.toml | crontab -
  backup-tool crontab --config backup.toml \\
    --env-file /etc/backup-tools/secrets.env")]
pub struct CrontabArgs {
    /// The environments file.
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// The file the jobs read their variables from (password_env, MASK_SALT), created 0600 with
    /// empty values when missing [default: backup-tools.env beside the config].
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Arguments of `systemd`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  backup-tool systemd --config /etc/backup-tools/backup.toml \\
    --out /etc/systemd/system
  systemctl daemon-reload && systemctl enable \\
    --now backup-tools-backup-prod.timer")]
pub struct SystemdArgs {
    /// The environments file.
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Folder to write the units into (e.g. /etc/systemd/system).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The EnvironmentFile= of the units (password_env, MASK_SALT), created 0600 with empty
    /// values when missing [default: backup-tools.env beside the config].
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
    /// Run the services as this user.
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `doctor`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  backup-tool doctor --config /etc/backup-tools/backup.toml
  backup-tool doctor --config backup.toml --json")]
pub struct DoctorArgs {
    /// The environments file.
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// The environment file scheduled jobs read [default: backup-tools.env beside the config].
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
    /// Folder holding pg_dump and psql, instead of PATH.
    #[arg(long, value_name = "DIR")]
    pub pg_bin_dir: Option<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
}
