//! SQLite: consistent snapshots through the online backup API, checks, and restore by swap.
//!
//! A snapshot is taken with SQLite's backup API, which copies a consistent state even while
//! another process writes (WAL mode included), instead of `cp database.db`, which can copy a
//! half-written file. Restores never write into the live file: the new content is written next
//! to it, checked, and renamed over it, with the previous file kept as `.bak`.

pub mod catalog;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, IoContext, Result};

fn sqlite_err(path: &Path, what: &str, e: rusqlite::Error) -> Error {
    Error::sqlite(format!("{what} {}", path.display()), e)
}

/// Opens an existing database read-only; a missing file is an error (never created by accident).
pub fn open_existing(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::sqlite_msg(format!(
            "SQLite database {} does not exist",
            path.display()
        )));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sqlite_err(path, "cannot open SQLite database", e))?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(|e| sqlite_err(path, "cannot configure", e))?;
    // Reading the schema proves it is a database at all, not some other file.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| sqlite_err(path, "not a readable SQLite database:", e))?;
    Ok(conn)
}

/// The SQLite library version, for manifests.
pub fn library_version() -> String {
    rusqlite::version().to_string()
}

/// Copies a consistent snapshot of `src` into a new file `dest` with the online backup API.
///
/// The copy is done in one step under a read transaction: in WAL mode writers go on undisturbed;
/// in rollback mode they wait for the copy (the busy timeout is 30 s). The snapshot is switched to
/// rollback-journal mode so it is one self-contained file.
pub fn snapshot(src: &Path, dest: &Path) -> Result<()> {
    let source = open_existing(src)?;
    if !dest.exists() {
        // Production data: private from the first byte.
        crate::fs::create_private(dest)?;
    }
    let mut target =
        Connection::open(dest).map_err(|e| sqlite_err(dest, "cannot create snapshot file", e))?;
    {
        let backup = rusqlite::backup::Backup::new(&source, &mut target)
            .map_err(|e| sqlite_err(src, "cannot start online backup of", e))?;
        loop {
            match backup.step(-1) {
                Ok(rusqlite::backup::StepResult::Done) => break,
                Ok(rusqlite::backup::StepResult::More) => continue,
                Ok(rusqlite::backup::StepResult::Busy)
                | Ok(rusqlite::backup::StepResult::Locked) => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Ok(_) => continue,
                Err(e) => return Err(sqlite_err(src, "online backup failed for", e)),
            }
        }
    }
    target
        .pragma_update(None, "journal_mode", "DELETE")
        .map_err(|e| sqlite_err(dest, "cannot set journal mode on", e))?;
    drop(target);
    Ok(())
}

/// Runs `PRAGMA integrity_check`; anything but "ok" is a verification failure naming the file.
pub fn integrity_check(path: &Path) -> Result<()> {
    // A file that is not a database at all fails the check like a damaged one.
    let conn = open_existing(path).map_err(|e| Error::Verify(e.describe()))?;
    let mut stmt = conn
        .prepare("PRAGMA integrity_check")
        .map_err(|e| sqlite_err(path, "cannot check", e))?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| {
            Error::verify_failed(format!("integrity check of {} failed", path.display()), e)
        })?;
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(())
    } else {
        Err(Error::Verify(format!(
            "integrity check of {} failed: {} problem(s), first: {}",
            path.display(),
            rows.len(),
            rows.first().map(String::as_str).unwrap_or("?")
        )))
    }
}

/// Row counts of every user table, keyed by table name.
pub fn row_counts(path: &Path) -> Result<BTreeMap<String, u64>> {
    let conn = open_existing(path)?;
    let mut stmt = conn
        .prepare(
            // Full-text tables count their rows like any table; their shadow tables are the
            // module's storage, whose row counts change when the index is rebuilt or merged.
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .map_err(|e| sqlite_err(path, "cannot list tables of", e))?;
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| sqlite_err(path, "cannot list tables of", e))?;
    let mut out = BTreeMap::new();
    for name in names {
        let q = format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\""));
        let n: i64 = conn
            .query_row(&q, [], |r| r.get(0))
            .map_err(|e| sqlite_err(path, &format!("cannot count rows of table {name} in"), e))?;
        out.insert(name, n.max(0) as u64);
    }
    Ok(out)
}

/// Puts a checked database file in place of `target`, keeping the previous file as
/// `<target>.bak`. `new_file` must be in the same directory as `target` (the rename is atomic).
///
/// Before the swap the target's WAL is checkpointed and truncated, so no stale WAL frames can be
/// applied to the new file; a target whose WAL cannot be emptied (a writer is busy) is refused.
/// The previous content is copied to `.bak` with the backup API, so processes that still have the
/// old file open are not disturbed. Returns the path of the `.bak` file, if there was a target.
pub fn swap_into_place(new_file: &Path, target: &Path) -> Result<Option<PathBuf>> {
    let mut bak = None;
    let target_mode = crate::fs::mode_of(target).map(|m| m & 0o666);
    if target.exists() {
        let bak_path = crate::fs::append_ext(target, ".bak");
        {
            let conn =
                Connection::open(target).map_err(|e| sqlite_err(target, "cannot open", e))?;
            conn.busy_timeout(Duration::from_secs(30))
                .map_err(|e| sqlite_err(target, "cannot configure", e))?;
            let (busy, _, _): (i64, i64, i64) = conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .map_err(|e| sqlite_err(target, "cannot checkpoint", e))?;
            if busy != 0 {
                return Err(Error::sqlite_msg(format!(
                    "{} is busy (a writer holds its WAL); stop the writers and retry",
                    target.display()
                )));
            }
            let tmp_bak = scratch_path(target, "bak");
            remove_with_journals(&tmp_bak);
            // The copy is created private; it gets the target's own mode once complete.
            crate::fs::create_private(&tmp_bak)?;
            conn.backup(rusqlite::MAIN_DB, &tmp_bak, None)
                .map_err(|e| sqlite_err(target, "cannot copy the previous database to .bak:", e))?;
            crate::fs::fsync_file(&tmp_bak)?;
            std::fs::rename(&tmp_bak, &bak_path).ctx(|| {
                format!(
                    "cannot rename {} to {}",
                    tmp_bak.display(),
                    bak_path.display()
                )
            })?;
        }
        bak = Some(bak_path);
    }
    // The new file holds the same kind of data as the one it replaces: it keeps that file's mode,
    // never a wider one, and a new target is private.
    crate::fs::set_mode(new_file, target_mode.unwrap_or(0o600))?;
    crate::fs::fsync_file(new_file)?;
    std::fs::rename(new_file, target).ctx(|| {
        format!(
            "cannot rename {} to {}",
            new_file.display(),
            target.display()
        )
    })?;
    // The old WAL and shared-memory files belong to the old file; new openers must not see them.
    for ext in ["-wal", "-shm"] {
        let p = crate::fs::append_ext(target, ext);
        if let Ok(meta) = std::fs::metadata(&p) {
            if ext == "-shm" || meta.len() == 0 {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
    if let Some(dir) = target.parent() {
        crate::fs::fsync_dir(dir)?;
    }
    Ok(bak)
}

/// A database file being built beside `target` (`.<name>.<purpose>.partial`, mode 0600),
/// removed with its journals however the run ends, unless [`Scratch::keep`] hands it on. Only
/// one run per target builds at a time (the caller holds the target's lock), so a file of that
/// name is always a leftover of a killed run.
pub struct Scratch {
    path: Option<PathBuf>,
}

impl Scratch {
    /// Creates the (empty, 0600) scratch file for `target`.
    pub fn create(target: &Path, purpose: &str) -> Result<Scratch> {
        let path = scratch_path(target, purpose);
        remove_with_journals(&path);
        crate::fs::create_private(&path)?;
        Ok(Scratch { path: Some(path) })
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    /// Stops removing the file (it was renamed into place).
    pub fn keep(mut self) -> PathBuf {
        self.path.take().unwrap_or_default()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            remove_with_journals(&p);
        }
    }
}

/// `.<file name>.<purpose>.partial` beside `target`.
pub fn scratch_path(target: &Path, purpose: &str) -> PathBuf {
    let fname = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    crate::fs::parent_dir(target).join(format!(".{fname}.{purpose}.partial"))
}

/// Removes a database file and its journal, WAL and shared-memory files, if present.
pub fn remove_with_journals(path: &Path) {
    let _ = std::fs::remove_file(path);
    for ext in ["-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(crate::fs::append_ext(path, ext));
    }
}

/// Removes what killed runs left beside `target`: scratch files of ours (any purpose, and the
/// `.<name>.restore-<pid>.partial` / `.<name>.incoming-<pid>.partial` of older versions), with
/// their journals. Call only while holding the target's lock. Returns what was removed.
pub fn clean_leftovers(target: &Path) -> Vec<PathBuf> {
    let Some(fname) = target.file_name().map(|f| f.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let dir = crate::fs::parent_dir(target);
    let prefix = format!(".{fname}.");
    let mut removed = Vec::new();
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return removed;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let base = ["-journal", "-wal", "-shm"]
            .iter()
            .find_map(|j| rest.strip_suffix(j))
            .unwrap_or(rest);
        let ours = base.ends_with(".partial")
            && base.split('.').next().is_some_and(|p| {
                ["restore", "incoming", "masked", "bak", "verify"]
                    .iter()
                    .any(|k| p == *k || p.strip_prefix(k).is_some_and(|r| r.starts_with('-')))
            });
        if ours && std::fs::remove_file(e.path()).is_ok() {
            removed.push(e.path());
        }
    }
    removed
}

/// Creates a new, empty database file (its folder must exist).
pub fn create_empty(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )
    .map_err(|e| sqlite_err(path, "cannot create", e))?;
    // An empty file is only a database once something is written; the user_version does it.
    conn.pragma_update(None, "user_version", 0)
        .map_err(|e| sqlite_err(path, "cannot initialise", e))?;
    Ok(())
}

/// Checks that a database can take a write lock (and so can be refreshed).
pub fn check_writable(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| sqlite_err(path, "cannot open for writing", e))?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|e| sqlite_err(path, "cannot configure", e))?;
    conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
        .map_err(|e| sqlite_err(path, "cannot take a write lock on", e))
}
