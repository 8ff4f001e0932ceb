//! Retention applied to a backup folder: which backups of a name to delete, decided by the pure
//! policy in [`crate::store::retention`], with the newest kept ones checked against their
//! checksums before anything is deleted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::Result;
use crate::store::archive::{self, BackupEntry, ScanIssue};
use crate::store::retention::{self, Action, Candidate, Decision, RetentionPolicy};

/// The result of applying retention to one backup name.
#[derive(Debug, Clone, Serialize)]
pub struct PruneReport {
    /// Backup name.
    pub name: String,
    /// The source these backups come from (a name shared by two sources gives two reports).
    pub source: String,
    /// Whether anything was really deleted.
    pub dry_run: bool,
    /// One decision per backup, newest first, with reasons.
    pub decisions: Vec<Decision>,
    /// Files deleted (empty on a dry run).
    pub deleted: Vec<PathBuf>,
    /// Manifests that could not be read (never deleted).
    pub issues: Vec<ScanIssue>,
}

/// Applies retention to every backup name in `dir` (or only `name`), taking each name's lock.
pub fn prune(
    dir: &Path,
    name: Option<&str>,
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
    dry_run: bool,
    lock_wait: Duration,
) -> Result<Vec<PruneReport>> {
    let names: Vec<String> = match name {
        Some(n) => vec![n.to_string()],
        None => {
            let (entries, _) = archive::scan(dir, None)?;
            let mut v: Vec<String> = entries.into_iter().map(|e| e.manifest.name).collect();
            v.sort();
            v.dedup();
            v
        }
    };
    let mut reports = Vec::new();
    for n in names {
        archive::validate_name(&n)?;
        let _lock = crate::store::lock::acquire(dir, &n, lock_wait, "prune")?;
        reports.extend(prune_locked(dir, &n, None, policy, now, dry_run)?);
    }
    Ok(reports)
}

/// Retention for one name, each source of that name on its own (backups of two databases that
/// happen to share a name never count for each other); `source` limits it to one source. The
/// caller holds the name's lock.
pub(crate) fn prune_locked(
    dir: &Path,
    name: &str,
    source: Option<&str>,
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Vec<PruneReport>> {
    let (entries, issues) = archive::scan(dir, Some(name))?;
    let mut groups: BTreeMap<String, Vec<BackupEntry>> = BTreeMap::new();
    for e in entries {
        let id = e.manifest.source_identity();
        if source.is_none_or(|s| s == id) {
            groups.entry(id).or_default().push(e);
        }
    }
    if groups.len() > 1 {
        tracing::warn!(
            "backups named '{name}' in {} come from {} different sources; each keeps its own retention",
            dir.display(),
            groups.len()
        );
    }
    let mut reports = Vec::new();
    let mut issues = Some(issues);
    for (id, group) in groups {
        reports.push(prune_group(
            name,
            &id,
            group,
            issues.take().unwrap_or_default(),
            policy,
            now,
            dry_run,
        )?);
    }
    Ok(reports)
}

/// Retention for the backups of one source.
///
/// A backup counts as good when its file is present with the manifest's size. Before anything is
/// deleted, the newest `min-keep` kept backups are checked against their sha256: a corrupt one
/// is marked bad and the plan is made again, so the guarantee "at least min-keep verified backups
/// remain" rests on checksums, not on file sizes.
fn prune_group(
    name: &str,
    source: &str,
    entries: Vec<BackupEntry>,
    issues: Vec<ScanIssue>,
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<PruneReport> {
    let by_id: BTreeMap<String, &BackupEntry> = entries
        .iter()
        .map(|e| (e.manifest.file.clone(), e))
        .collect();
    let mut bad: BTreeMap<String, bool> = entries
        .iter()
        .map(|e| (e.manifest.file.clone(), !e.is_good()))
        .collect();
    let mut checked: BTreeMap<String, bool> = BTreeMap::new();
    let decisions = loop {
        let candidates: Vec<Candidate> = entries
            .iter()
            .map(|e| Candidate {
                id: e.manifest.file.clone(),
                time: e.manifest.started_at,
                good: !bad.get(&e.manifest.file).copied().unwrap_or(true),
            })
            .collect();
        let decisions = retention::plan(&candidates, policy, now);
        let removes_any = decisions.iter().any(|d| d.action == Action::Remove);
        if !removes_any {
            break decisions;
        }
        let mut changed = false;
        let mut verified_kept = 0u32;
        for d in decisions.iter().filter(|d| d.action == Action::Keep) {
            if verified_kept >= policy.min_keep() {
                break;
            }
            if bad.get(&d.id).copied().unwrap_or(true) {
                continue;
            }
            let Some(entry) = by_id.get(&d.id) else {
                continue;
            };
            let ok = *checked.entry(d.id.clone()).or_insert_with(|| {
                matches!(crate::store::folder::sha256(&entry.path), Ok((size, sha)) if size == entry.manifest.size && sha == entry.manifest.sha256)
            });
            if ok {
                verified_kept += 1;
            } else {
                tracing::warn!(
                    "{} does not match its manifest's sha256; not counting it as good",
                    entry.path.display()
                );
                bad.insert(d.id.clone(), true);
                changed = true;
            }
        }
        if !changed {
            break decisions;
        }
    };
    // A pinned backup (`--keep-for`) stays until its time has come, whatever the policy says.
    let decisions: Vec<Decision> = decisions
        .into_iter()
        .map(|mut d| {
            if let Some(e) = by_id.get(&d.id) {
                if let Some(until) = e.manifest.keep_until.filter(|u| *u > now) {
                    let tags = if e.manifest.tags.is_empty() {
                        String::new()
                    } else {
                        format!(", tagged {}", e.manifest.tags.join(", "))
                    };
                    let why = format!("pinned until {}{tags}", until.format("%Y-%m-%dT%H:%M:%SZ"));
                    if d.action == Action::Remove {
                        d.action = Action::Keep;
                        d.reasons = vec![why];
                    } else {
                        d.reasons.push(why);
                    }
                }
            }
            d
        })
        .collect();
    let mut deleted = Vec::new();
    if !dry_run {
        for d in decisions.iter().filter(|d| d.action == Action::Remove) {
            if let Some(entry) = by_id.get(&d.id) {
                crate::error::stop_point(&format!(
                    "{} backup(s) of '{name}' deleted before the stop, the others kept",
                    deleted.len()
                ))?;
                archive::delete_backup(entry)?;
                crate::testpoint::reach("prune.deleted-one");
                tracing::info!("pruned {} ({})", entry.path.display(), d.reasons.join("; "));
                deleted.push(entry.path.clone());
            }
        }
    }
    Ok(PruneReport {
        name: name.to_string(),
        source: entries
            .first()
            .map(|e| e.manifest.source.clone())
            .unwrap_or_else(|| source.to_string()),
        dry_run,
        decisions,
        deleted,
        issues,
    })
}
