//! The environments file (`backup.toml`): one file for every tool.
//!
//! ```toml
//! [env.prod]
//! db = "postgresql://girok_user@prod-db:5434/girok_user"
//! password_env = "PROD_DB_PASSWORD"
//! protected = true
//! dir = "/backups/postgresql"
//! schedule = "0 * * * *"
//! retention = { keep_hourly = 24, keep_daily = 7, keep_weekly = 4, keep_monthly = 6, min_keep = 3 }
//!
//! [sync.staging]
//! from = "prod"
//! to = "staging"
//! rules = "masking.toml"
//! schedule = "0 3 * * 0"
//! ```
//!
//! Unknown keys are errors (a typo such as `retension` must not silently disable retention), and
//! relative paths are taken relative to the file's own folder, so cron's working directory does
//! not matter.

pub mod schedule;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::schedule::Schedule;
use crate::engine::conn::DbUrl;
use crate::error::{Error, Result};
use crate::store::codec::Codec;
use crate::store::retention::RetentionPolicy;

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Named environments (databases).
    #[serde(default)]
    pub env: BTreeMap<String, EnvConfig>,
    /// Named sync jobs (staging refreshes).
    #[serde(default)]
    pub sync: BTreeMap<String, SyncConfig>,
    /// Where cron output goes (used by `backup-tool crontab`); default `/var/log/backup-tool.log`.
    #[serde(default)]
    pub log_file: Option<PathBuf>,
    /// A node_exporter textfile updated after every backup (last success/failure, duration,
    /// size, rows, per name).
    #[serde(default)]
    pub metrics_file: Option<PathBuf>,
    /// A shell command run after every successful backup (outcome in BACKUP_TOOL_* variables).
    #[serde(default)]
    pub on_success: Option<String>,
    /// A shell command run after every failed backup.
    #[serde(default)]
    pub on_failure: Option<String>,
    /// The file this was read from (set by [`Config::load`]).
    #[serde(skip)]
    pub path: PathBuf,
}

/// One environment: a database and, optionally, how it is backed up.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvConfig {
    /// Connection string (no password in it, preferably).
    pub db: String,
    /// Name of an environment variable holding the password.
    #[serde(default)]
    pub password_env: Option<String>,
    /// Only these tables (pg_dump patterns).
    #[serde(default)]
    pub tables: Vec<String>,
    /// Tables left out (pg_dump patterns).
    #[serde(default)]
    pub exclude_tables: Vec<String>,
    /// Tables whose rows are left out (pg_dump patterns).
    #[serde(default)]
    pub exclude_table_data: Vec<String>,
    /// Also save the server's roles and tablespaces with every backup (`--globals`).
    #[serde(default)]
    pub globals: bool,
    /// Database sessions reading tables at once (`--jobs`, PostgreSQL); 1 or unset: pg_dump alone.
    #[serde(default)]
    pub jobs: u16,
    /// A protected environment is never a restore, sync or masking target without an explicit override.
    #[serde(default)]
    pub protected: bool,
    /// Backup folder (or `s3://bucket/prefix`); an environment without one is not backed up
    /// by `run`.
    #[serde(default)]
    pub dir: Option<PathBuf>,
    /// age recipients (public keys) every backup is encrypted to (`--encrypt-to`).
    #[serde(default)]
    pub encrypt_to: Vec<String>,
    /// A file listing age recipients, one per line (`--recipients-file`).
    #[serde(default)]
    pub recipients_file: Option<PathBuf>,
    /// Folders (local or `s3://`) that receive a copy of every backup (`backup-tool copy`),
    /// each pruned by the same retention on its own listing.
    #[serde(default)]
    pub mirror: Vec<PathBuf>,
    /// Backup name (default: the environment's name).
    #[serde(default)]
    pub name: Option<String>,
    /// Compression (default gzip:6).
    #[serde(default)]
    pub compress: Option<String>,
    /// Crontab schedule of the backup.
    #[serde(default)]
    pub schedule: Option<String>,
    /// Retention applied after each successful backup.
    #[serde(default)]
    pub retention: Option<RetentionPolicy>,
    /// Folder of pg_dump/psql to use.
    #[serde(default)]
    pub pg_bin_dir: Option<PathBuf>,
}

/// One sync job.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    /// Source environment name.
    pub from: String,
    /// Target environment name.
    pub to: String,
    /// Masking rules file.
    pub rules: PathBuf,
    /// Crontab schedule.
    #[serde(default)]
    pub schedule: Option<String>,
}

impl Config {
    /// Reads and checks a config file: TOML syntax, unknown keys, URLs, compression, schedules,
    /// and references between sync jobs and environments. Errors name the file and the key.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::ConfigRead {
            what: "config file",
            path: path.to_path_buf(),
            source,
        })?;
        let mut cfg: Config = toml::from_str(&text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        cfg.path = path.to_path_buf();
        if let Some(m) = &cfg.metrics_file {
            if m.is_relative() {
                cfg.metrics_file = Some(
                    path.parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default()
                        .join(m),
                );
            }
        }
        let base = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let cfg_err = |message: String| Error::Config {
            path: path.to_path_buf(),
            message,
        };
        for (name, env) in cfg.env.iter_mut() {
            let url = DbUrl::parse(&env.db).map_err(|e| cfg_err(format!("env.{name}.db: {e}")))?;
            // An SQLite path is relative to the config file's folder, like every other path in
            // it, so cron's working directory does not matter.
            if let DbUrl::Sqlite(p) = &url {
                if p.is_relative() {
                    // Written back as a URL: a plain path parses as SQLite only when it looks
                    // like a database file (`.db`, `.sqlite`...), `sqlite://rel/app` may not.
                    env.db = format!("sqlite://{}", base.join(p).display());
                }
            }
            if let Some(c) = &env.compress {
                c.parse::<Codec>()
                    .map_err(|e| cfg_err(format!("env.{name}.compress: {e}")))?;
            }
            if let Some(s) = &env.schedule {
                Schedule::parse(s).map_err(|e| cfg_err(format!("env.{name}.schedule: {e}")))?;
            }
            if let Some(r) = &env.retention {
                r.validate()
                    .map_err(|e| cfg_err(format!("env.{name}.retention: {e}")))?;
            }
            for m in env.mirror.iter_mut() {
                if m.is_relative() && !crate::store::folder::is_remote(m) {
                    *m = base.join(&*m);
                }
            }
            if let Some(d) = &env.recipients_file {
                if d.is_relative() {
                    env.recipients_file = Some(base.join(d));
                }
            }
            if let Some(d) = &env.dir {
                if d.is_relative() && !crate::store::folder::is_remote(d) {
                    env.dir = Some(base.join(d));
                }
            }
            if let Some(d) = &env.pg_bin_dir {
                if d.is_relative() {
                    env.pg_bin_dir = Some(base.join(d));
                }
            }
            if let Some(n) = &env.name {
                crate::store::archive::validate_name(n)
                    .map_err(|e| cfg_err(format!("env.{name}.name: {e}")))?;
            }
            if env.jobs > 64 {
                return Err(cfg_err(format!(
                    "env.{name}.jobs: {} is more than 64 sessions",
                    env.jobs
                )));
            }
            if env.schedule.is_some() && env.dir.is_none() {
                return Err(cfg_err(format!(
                    "env.{name} has a schedule but no dir: where should its backups go?"
                )));
            }
        }
        for (name, sync) in cfg.sync.iter_mut() {
            for (key, env) in [("from", &sync.from), ("to", &sync.to)] {
                if !cfg.env.contains_key(env) {
                    return Err(cfg_err(format!(
                        "sync.{name}.{key} names environment '{env}', which is not defined (defined: {})",
                        cfg.env.keys().cloned().collect::<Vec<_>>().join(", ")
                    )));
                }
            }
            if let Some(s) = &sync.schedule {
                Schedule::parse(s).map_err(|e| cfg_err(format!("sync.{name}.schedule: {e}")))?;
            }
            if sync.rules.is_relative() {
                sync.rules = base.join(&sync.rules);
            }
        }
        Ok(cfg)
    }

    /// The environment of that name, or a usage error listing the defined ones.
    pub fn env(&self, name: &str) -> Result<&EnvConfig> {
        self.env.get(name).ok_or_else(|| {
            Error::Usage(format!(
                "{}: no environment '{name}' (defined: {})",
                self.path.display(),
                self.env.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        })
    }
}

impl EnvConfig {
    /// pg_dump's selection arguments for this environment's backups.
    pub fn selection(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(self.tables.iter().map(|t| format!("--table={t}")));
        out.extend(
            self.exclude_tables
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

    /// The backup name for environment `key`.
    pub fn backup_name(&self, key: &str) -> String {
        self.name.clone().unwrap_or_else(|| key.to_string())
    }

    /// The compression to use (default gzip level 6).
    pub fn codec(&self) -> Result<Codec> {
        match &self.compress {
            Some(c) => c.parse::<Codec>().map_err(|e| Error::Usage(e.to_string())),
            None => Ok(Codec::Gzip { level: 6 }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Config> {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("backup.toml");
        std::fs::write(&p, text).expect("write");
        Config::load(&p)
    }

    #[test]
    fn the_shipped_example_loads() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/backup.example.toml");
        let cfg = Config::load(&path).expect("examples/backup.example.toml loads");
        assert!(cfg.env("prod").expect("prod").protected);
        let tt = cfg.env("timetracking").expect("timetracking");
        assert!(
            matches!(DbUrl::parse(&tt.db), Ok(DbUrl::Sqlite(p)) if p.is_absolute()),
            "an SQLite path is taken relative to the config's folder: {}",
            tt.db
        );
    }

    #[test]
    fn relative_sqlite_urls_and_remote_folders_survive_loading() {
        let cfg = load(
            "[env.a]\ndb = \"sqlite://data/app\"\ndir = \"s3://acme-backups/app\"\n\
             mirror = [\"s3://other/app\", \"usb\"]\n",
        )
        .expect("loads");
        let a = cfg.env("a").expect("a");
        match DbUrl::parse(&a.db) {
            Ok(DbUrl::Sqlite(p)) => assert!(
                p.is_absolute() && p.ends_with("data/app"),
                "{}",
                p.display()
            ),
            other => panic!(
                "{} no longer parses as SQLite: {:?}",
                a.db,
                other.map(|u| u.redacted())
            ),
        }
        assert_eq!(a.dir.as_deref(), Some(Path::new("s3://acme-backups/app")));
        assert_eq!(a.mirror[0], PathBuf::from("s3://other/app"));
        assert!(a.mirror[1].is_absolute());
    }

    #[test]
    fn design_example_loads() {
        let cfg = load(
            r#"
[env.prod]
db = "postgresql://girok_user@prod-db:5434/girok_user"
password_env = "PROD_DB_PASSWORD"
protected = true
dir = "/backups/postgresql"
schedule = "0 * * * *"
retention = { keep_hourly = 24, keep_daily = 7, keep_weekly = 4, keep_monthly = 6, min_keep = 3 }

[env.staging]
db = "postgresql://staging_girok_user@staging-db:5433/staging_girok_user"

[sync.staging]
from = "prod"
to = "staging"
rules = "masking.toml"
schedule = "0 3 * * 0"
"#,
        )
        .expect("loads");
        let prod = cfg.env("prod").expect("prod");
        assert!(prod.protected);
        assert_eq!(prod.retention.as_ref().and_then(|r| r.min_keep), Some(3));
        assert!(cfg.sync["staging"].rules.is_absolute());
    }

    #[test]
    fn typos_and_bad_values_are_named() {
        let e = load("[env.a]\ndb = \"x.db\"\nretension = { keep_last = 1 }\n").expect_err("typo");
        assert!(e.to_string().contains("retension"), "{e}");
        let e = load("[env.a]\ndb = \"x.db\"\ndir = \"/b\"\nschedule = \"0 25 * * *\"\n")
            .expect_err("hour");
        assert!(e.to_string().contains("env.a.schedule"), "{e}");
        assert!(e.to_string().contains("hour"), "{e}");
        let e = load("[env.a]\ndb = \"x.db\"\ncompress = \"lz4\"\n").expect_err("codec");
        assert!(e.to_string().contains("env.a.compress"), "{e}");
        let e = load(
            "[env.a]\ndb = \"x.db\"\n[sync.s]\nfrom = \"a\"\nto = \"b\"\nrules = \"r.toml\"\n",
        )
        .expect_err("unknown env");
        assert!(e.to_string().contains("'b'"), "{e}");
        assert_eq!(e.exit_code(), 2);
    }
}
