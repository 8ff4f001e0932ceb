//! Whether the newest good backup of a name is recent enough, for monitoring.
//!
//! "Good" is decided by content, not by the file's size: unless told to skip it, the newest
//! candidate's sha256 is checked against its manifest, so a newest backup that was damaged after
//! it was written fails the check instead of passing it. A backup dated in the future (a wrong
//! clock here or where it was written) cannot vouch for anything and is reported.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::Result;
use crate::store::archive;

/// Clock skew tolerated before a backup counts as dated in the future.
const SKEW: chrono::Duration = chrono::Duration::minutes(5);

/// How recent the newest good backup of a name is.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    /// Backup name.
    pub name: String,
    /// The newest good backup's file, if any.
    pub newest: Option<String>,
    /// Its start time.
    pub newest_at: Option<DateTime<Utc>>,
    /// Its age in seconds at `now`.
    pub age_seconds: Option<i64>,
    /// The oldest start time that still passes.
    pub threshold: DateTime<Utc>,
    /// How the threshold was set ("--max-age 26h", "schedule 0 * * * *: two missed runs").
    pub rule: String,
    /// Whether the newest backup's sha256 was checked (and matched).
    pub checksum_checked: bool,
    /// The newest backup's content does not match its manifest (exit 3 rather than 4).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub damaged: bool,
    /// What is wrong besides age: a checksum that does not match, a date in the future.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Whether the check passes.
    pub ok: bool,
    /// When the newest good backup was committed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newest_finished_at: Option<DateTime<Utc>>,
    /// Its size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newest_size: Option<u64>,
    /// Rows in it, when counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newest_rows: Option<u64>,
}

impl StatusReport {
    /// Whether the check failed because of the backup's content (exit 3) rather than its age.
    pub fn content_failed(&self) -> bool {
        !self.ok && self.damaged
    }
}

/// Finds the newest good backup of `name` and compares it with `threshold`; with `checksum`, the
/// newest backup's sha256 is verified first.
pub fn status(
    dir: &Path,
    name: &str,
    threshold: DateTime<Utc>,
    rule: String,
    now: DateTime<Utc>,
    checksum: bool,
) -> Result<StatusReport> {
    let (entries, _) = archive::scan(dir, Some(name))?;
    let newest = entries.iter().rev().find(|e| e.is_good());
    let mut problem = None;
    let mut checksum_checked = false;
    let mut damaged = false;
    if let Some(e) = newest {
        if e.manifest.started_at > now + SKEW {
            problem = Some(format!(
                "the newest backup {} is dated {}, in the future (clock skew?)",
                e.manifest.file,
                e.manifest.started_at.format("%Y-%m-%dT%H:%M:%SZ")
            ));
        } else if checksum {
            checksum_checked = true;
            match crate::store::folder::sha256(&e.path) {
                Ok((size, sha)) if size == e.manifest.size && sha == e.manifest.sha256 => {}
                Ok(_) => {
                    damaged = true;
                    problem = Some(format!(
                        "the newest backup {} does not match its manifest's sha256 (damaged or replaced)",
                        e.manifest.file
                    ))
                }
                Err(err) => {
                    damaged = true;
                    problem = Some(format!(
                        "the newest backup {} cannot be read to check its sha256: {}",
                        e.manifest.file,
                        err.describe()
                    ))
                }
            }
        }
    }
    let ok = problem.is_none() && newest.is_some_and(|e| e.manifest.started_at >= threshold);
    Ok(StatusReport {
        name: name.to_string(),
        newest: newest.map(|e| e.manifest.file.clone()),
        newest_at: newest.map(|e| e.manifest.started_at),
        age_seconds: newest.map(|e| (now - e.manifest.started_at).num_seconds()),
        threshold,
        rule,
        checksum_checked,
        damaged,
        problem,
        ok,
        newest_finished_at: newest.map(|e| e.manifest.finished_at),
        newest_size: newest.map(|e| e.manifest.size),
        newest_rows: newest.and_then(|e| e.manifest.tables.as_ref().map(|t| t.values().sum())),
    })
}

/// The backups in `dir` (only those of `name`, if given), oldest first, and the manifests that
/// could not be read (`list`).
pub fn list(
    dir: &Path,
    name: Option<&str>,
) -> Result<(
    Vec<crate::store::archive::BackupEntry>,
    Vec<crate::store::archive::ScanIssue>,
)> {
    crate::store::archive::scan(dir, name)
}
