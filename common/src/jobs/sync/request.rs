//! What a refresh is asked to do, and what it reports.

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use crate::engine::conn::DbUrl;
use crate::error::{Error, Result};
use crate::jobs::guard::Protected;
use crate::jobs::live::lint::name_parts;
use crate::jobs::live::{Finding, FindingKind, LeakReport};
use crate::jobs::masking::MaskSpec;

/// Everything a refresh needs.
pub struct SyncRequest {
    /// Source (production).
    pub from: DbUrl,
    /// Variable holding the source's password.
    pub from_password_env: Option<String>,
    /// Target (staging).
    pub to: DbUrl,
    /// Variable holding the target's password.
    pub to_password_env: Option<String>,
    /// Masking rules and where the salt comes from.
    pub mask: MaskSpec,
    /// Also write the masked stream as a normal backup into this folder.
    pub keep_dump: Option<PathBuf>,
    /// How many masked backups to keep in that folder (older ones are pruned, never below one).
    pub keep_dumps: u32,
    /// Keep the previous staging database (as `<target>__previous`) for `rollback`.
    pub keep_previous: bool,
    /// Columns (`schema.table.column`) accepted unmasked although lint flags them.
    pub allow_unmasked: Vec<String>,
    /// Environments the target must not be (see [`crate::jobs::guard`]).
    pub protected: Vec<Protected>,
    /// Explicit override for a protected target.
    pub allow_protected: bool,
    /// pg_dump/psql folder.
    pub pg_bin_dir: Option<PathBuf>,
    /// Original values sampled per masked column for the leak check.
    pub leak_sample: usize,
    /// Tables copied in parallel (PostgreSQL); 1 streams one dump.
    pub jobs: usize,
}

impl SyncRequest {
    /// The target's database name (PostgreSQL) or file stem (SQLite), for names derived from it.
    pub fn target_dbname(&self) -> String {
        self.to.default_backup_name()
    }
}

/// What a refresh did, phase by phase.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Source, redacted.
    pub source: String,
    /// Target, redacted.
    pub target: String,
    /// Seconds per phase, in order.
    pub phases: Vec<(String, f64)>,
    /// Tables copied.
    pub tables: usize,
    /// Rows copied.
    pub rows: u64,
    /// Columns masked.
    pub masked_columns: usize,
    /// Values masked.
    pub masked_values: u64,
    /// Bytes of SQL streamed.
    pub bytes: u64,
    /// Where the previous staging database or file was kept, if it was.
    pub previous: Option<String>,
    /// The masked backup written with --keep-dump.
    pub kept_dump: Option<PathBuf>,
    /// The leak check's result.
    pub leaks: Option<LeakReport>,
}

pub(crate) struct Phases {
    start: Instant,
    pub(crate) list: Vec<(String, f64)>,
}

impl Phases {
    pub(crate) fn new() -> Phases {
        Phases {
            start: Instant::now(),
            list: Vec::new(),
        }
    }
    pub(crate) fn done(&mut self, name: &str) {
        let secs = self.start.elapsed().as_secs_f64();
        tracing::info!("{name}: done in {secs:.1}s");
        self.list
            .push((name.to_string(), (secs * 100.0).round() / 100.0));
        self.start = Instant::now();
    }
}

/// Refuses a refresh whose rules leave something personal unmasked, unless accepted by name.
pub(crate) fn check_lint(
    findings: Vec<Finding>,
    allow: &[String],
    case_insensitive: bool,
) -> Result<()> {
    let fold = |parts: Vec<String>| -> Vec<String> {
        if case_insensitive {
            parts.into_iter().map(|p| p.to_lowercase()).collect()
        } else {
            parts
        }
    };
    let allowed: Vec<Vec<String>> = allow.iter().map(|a| fold(name_parts(a))).collect();
    let blocking: Vec<Finding> = findings
        .into_iter()
        .filter(|f| {
            // Only a column that looks personal can be accepted knowingly: a table or column the
            // rules do not class would be refused by the masker anyway.
            if f.kind != FindingKind::LooksPersonal {
                return true;
            }
            let key = fold(name_parts(&f.object()));
            !allowed.contains(&key)
        })
        .collect();
    if blocking.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = blocking
        .iter()
        .take(12)
        .map(|f| format!("  {} {}: {}", f.kind, f.object(), f.detail))
        .collect();
    Err(Error::Refused(format!(
        "the masking rules do not cover the source safely ({} finding(s)); fix the rules, or accept a column knowingly with --allow-unmasked SCHEMA.TABLE.COLUMN (as printed here):\n{}",
        blocking.len(),
        lines.join("\n")
    )))
}
