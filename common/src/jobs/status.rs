//! Whether the newest good backup of a name is recent enough, for monitoring.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::Result;
use crate::store::archive;

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
    /// Whether the check passes.
    pub ok: bool,
}

/// Finds the newest good backup of `name` and compares it with `threshold`.
pub fn status(
    dir: &Path,
    name: &str,
    threshold: DateTime<Utc>,
    rule: String,
    now: DateTime<Utc>,
) -> Result<StatusReport> {
    let (entries, _) = archive::scan(dir, Some(name))?;
    let newest = entries.iter().rev().find(|e| e.is_good());
    let ok = newest.is_some_and(|e| e.manifest.started_at >= threshold);
    Ok(StatusReport {
        name: name.to_string(),
        newest: newest.map(|e| e.manifest.file.clone()),
        newest_at: newest.map(|e| e.manifest.started_at),
        age_seconds: newest.map(|e| (now - e.manifest.started_at).num_seconds()),
        threshold,
        rule,
        ok,
    })
}
