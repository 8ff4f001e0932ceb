//! A second copy of a backup set (3-2-1): `backup-tool copy --from DIR --to DIR` and the
//! `mirror = [...]` folders of a config's environment.
//!
//! Each backup is copied as stored (compressed, encrypted if it was), its size and sha256
//! checked against its manifest on the way, and its manifest written last at the destination:
//! the same commit rule as a backup, so a copy killed or failed midway leaves nothing listed
//! there. Backups the destination already holds (same file, same sha256) are skipped. The
//! destination is a folder of its own: its retention and `verify` run on its own listing.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::archive::{self, BackupEntry};
use crate::store::codec::HashingReader;
use crate::store::target::Target;

/// What a copy run did.
#[derive(Debug, Clone, Serialize, Default)]
pub struct CopyReport {
    /// Backups copied, as their destination paths or URLs.
    pub copied: Vec<PathBuf>,
    /// Backups the destination already had.
    pub present: Vec<PathBuf>,
    /// Backups not copied because they do not match their manifest at the source.
    pub skipped_bad: Vec<PathBuf>,
    /// Bytes copied.
    pub bytes: u64,
}

/// Copies every good backup in `from` (only those of `name`, if given) that `to` lacks, each
/// name under its lock at the destination.
pub fn copy_folder(
    from: &Path,
    to: &Path,
    name: Option<&str>,
    lock_wait: Duration,
) -> Result<CopyReport> {
    archive::ensure_dir(to)?;
    let (entries, _) = archive::scan(from, name)?;
    let mut report = CopyReport::default();
    let mut names: Vec<&str> = entries.iter().map(|e| e.manifest.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for n in names {
        let _lock = crate::store::lock::acquire(to, n, lock_wait, "copy")?;
        archive::clean_stale_partials(to, n)?;
        for e in entries.iter().filter(|e| e.manifest.name == n) {
            match copy_locked(e, to, &mut report) {
                // A damaged backup is reported and left behind; the others are still copied.
                Err(Error::Verify(why)) => {
                    tracing::warn!("{why}");
                    report.skipped_bad.push(e.path.clone());
                }
                other => other?,
            }
        }
    }
    Ok(report)
}

/// Copies one backup to `to` (taking its name's lock there).
pub fn copy_one(entry: &BackupEntry, to: &Path, lock_wait: Duration) -> Result<CopyReport> {
    archive::ensure_dir(to)?;
    let _lock = crate::store::lock::acquire(to, &entry.manifest.name, lock_wait, "copy")?;
    archive::clean_stale_partials(to, &entry.manifest.name)?;
    let mut report = CopyReport::default();
    copy_locked(entry, to, &mut report)?;
    Ok(report)
}

fn copy_locked(entry: &BackupEntry, to: &Path, report: &mut CopyReport) -> Result<()> {
    let m = &entry.manifest;
    let dest = to.join(&m.file);
    if !entry.is_good() {
        tracing::warn!(
            "not copying {}: {}",
            entry.path.display(),
            entry.problem.as_deref().unwrap_or("not good")
        );
        report.skipped_bad.push(entry.path.clone());
        return Ok(());
    }
    if let Ok(existing) = archive::manifest_for(&dest) {
        if existing.sha256 == m.sha256 && existing.size == m.size {
            report.present.push(dest);
            return Ok(());
        }
        return Err(Error::Refused(format!(
            "{} already exists with other content; not overwriting it",
            dest.display()
        )));
    }
    let mut target = Target::create(&dest)?;
    let mut src = HashingReader::new(crate::fs::StreamReader::new(crate::store::folder::open(
        &entry.path,
    )?));
    let mut buf = vec![0u8; crate::fs::STREAM_BUF];
    loop {
        crate::interrupt::check()
            .map_err(|e| Error::io(format!("cannot copy to {}", dest.display()), e))?;
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(Error::io(
                    format!("cannot read {}", entry.path.display()),
                    e,
                ))
            }
        };
        io::Write::write_all(&mut target, &buf[..n])
            .map_err(|e| Error::io(format!("cannot write {}", dest.display()), e))?;
    }
    let (_, size, sha) = src.finish();
    if size != m.size || sha != m.sha256 {
        // The target is dropped uncommitted: nothing appears at the destination.
        return Err(Error::Verify(format!(
            "{} changed while it was copied or does not match its manifest; nothing was written to {}",
            entry.path.display(),
            to.display()
        )));
    }
    crate::error::stop_point("the copy was not made")?;
    let path = target.commit()?;
    if let Err(e) = archive::write_manifest(to, m) {
        crate::store::target::remove_stored(&path);
        return Err(e);
    }
    tracing::info!("copied {} to {}", entry.path.display(), path.display());
    report.bytes += size;
    report.copied.push(path);
    Ok(())
}
