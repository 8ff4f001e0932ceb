//! Storage: backup files committed atomically, each with a manifest written last.
//!
//! A backup is written to `NAME.partial` in the target folder, fsynced, renamed to its final name,
//! and the folder is fsynced; only then is `<file>.manifest.json` written the same way. A file
//! without a valid manifest is not a backup: `list`, `verify`, `prune`, `restore` and `status` all
//! start from the manifests, so a killed or failed run can never be mistaken for a good one.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::engine::conn::Engine;
use crate::error::{Error, IoContext, Result};

/// Suffix of a file still being written.
pub const PARTIAL: &str = ".partial";
/// Suffix of a manifest, appended to the backup's file name.
pub const MANIFEST: &str = ".manifest.json";
/// Suffix of a backup encrypted with age, after the codec's (`.sql.gz.age`).
pub const SEALED: &str = ".age";
/// Version of the manifest format written by this build.
pub const MANIFEST_VERSION: u32 = 1;

/// What a backup file contains once decompressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Content {
    /// A plain SQL script from pg_dump (restorable with `psql`).
    PlainSql,
    /// An SQLite database file.
    Sqlite3,
}

impl Content {
    /// File extension before the codec's (`.sql`, `.sqlite3`).
    pub fn extension(self) -> &'static str {
        match self {
            Content::PlainSql => ".sql",
            Content::Sqlite3 => ".sqlite3",
        }
    }
}

/// The record of one complete backup, stored as `<file>.manifest.json` beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Manifest format version.
    pub manifest_version: u32,
    /// Name of the program that wrote the backup.
    pub tool: String,
    /// Its version.
    pub tool_version: String,
    /// Backup name (groups backups for listing and retention).
    pub name: String,
    /// File name of the backup, in the same folder as the manifest.
    pub file: String,
    /// Source engine.
    pub engine: Engine,
    /// Source connection, redacted (never a password).
    pub source: String,
    /// Source server or library version.
    pub server_version: String,
    /// The program that produced the stream, with its version ("pg_dump 15.18").
    pub dump_tool: String,
    /// What the decompressed stream is.
    pub content: Content,
    /// Compression, as given to `--compress` ("gzip:6", "zstd:3", "none").
    pub codec: String,
    /// Size of the backup file in bytes (as stored: encrypted, when it is).
    pub size: u64,
    /// sha256 of the backup file as stored, lowercase hex.
    pub sha256: String,
    /// Bytes of the stream before compression.
    pub uncompressed_size: u64,
    /// When the dump started (the backup's time for retention and status).
    pub started_at: DateTime<Utc>,
    /// When the backup was committed.
    pub finished_at: DateTime<Utc>,
    /// Rows per table, where counting was cheap (counted from the stream or the snapshot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<BTreeMap<String, u64>>,
    /// What the source is, whatever its URL's spelling: `pg:<system identifier>/<database>` or
    /// `sqlite:<canonical path>`. Retention groups backups by it, never by name alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// Labels given with `--tag` (`pre-migration`), shown by `list`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Retention never removes this backup before this time (`--keep-for 48h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_until: Option<DateTime<Utc>>,
    /// What pg_dump was told to leave out or take only (`--exclude-table`, `--table`...), as
    /// given: a backup of part of a database says so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selection: Vec<String>,
    /// Where each part of a parallel backup (`--jobs`) lies in the file, in file order: the
    /// file is these compressed members one after the other (gzip members or zstd frames), and
    /// decoding them in order gives the plain dump. Empty for a backup written as one stream.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
    /// The age recipients (public keys) the file is encrypted to; empty when it is not. An
    /// encrypted file is `<codec stream>` sealed with age: `age -d -i KEY FILE | gunzip`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<String>,
}

/// One compressed member of a parallel backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// What the member holds.
    pub kind: MemberKind,
    /// The table whose rows it holds (`table-data` members).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Offset of its first byte in the file.
    pub offset: u64,
    /// Its length in the file (compressed).
    pub length: u64,
    /// sha256 of its bytes in the file, lowercase hex.
    pub sha256: String,
    /// Bytes once decoded.
    pub uncompressed: u64,
    /// Rows in it (`table-data` members).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
}

/// What a member of a parallel backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemberKind {
    /// pg_dump's pre-data section: the schema before the data.
    PreData,
    /// One `COPY ... FROM stdin` block of one table (a big table has several).
    TableData,
    /// The rest of pg_dump's data section: sequence values, large objects.
    Data,
    /// pg_dump's post-data section: indexes, constraints, triggers.
    PostData,
    /// psql meta-commands around the table data (`\restrict`), no SQL.
    Meta,
}

/// The final file name for a backup taken at `time`: `<name>_<YYYYMMDDTHHMMSSZ><content><codec>`.
pub fn backup_file_name(
    name: &str,
    time: DateTime<Utc>,
    content: Content,
    codec_ext: &str,
) -> String {
    format!(
        "{name}_{}{}{}",
        time.format("%Y%m%dT%H%M%SZ"),
        content.extension(),
        codec_ext
    )
}

/// Checks a backup name: it becomes part of file names, so only `[A-Za-z0-9._-]`, not starting with `.`.
pub fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "invalid backup name '{name}': use letters, digits, '.', '_' and '-', not starting with '.'"
        )))
    }
}

/// Makes sure the backup folder exists (created 0700 if missing); a remote folder must be
/// reachable (its bucket exists, the credentials are accepted).
pub fn ensure_dir(dir: &Path) -> Result<()> {
    if super::folder::is_remote(dir) {
        return super::folder::check_reachable(dir);
    }
    if !dir.is_dir() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .ctx(|| format!("cannot create backup folder {}", dir.display()))?;
    }
    Ok(())
}

use std::os::unix::fs::DirBuilderExt;

/// A file being written under `<final>.partial`; it becomes visible under its final name only
/// through [`PartialFile::commit`]. Dropped uncommitted, it removes itself.
pub struct PartialFile {
    partial: PathBuf,
    target: PathBuf,
    file: Option<File>,
}

impl PartialFile {
    /// Creates `<target>.partial` exclusively, mode 0600.
    pub fn create(target: &Path) -> Result<PartialFile> {
        let partial = crate::fs::append_ext(target, PARTIAL);
        if target.exists() {
            return Err(Error::Usage(format!(
                "{} already exists; refusing to overwrite it",
                target.display()
            )));
        }
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&partial)
            .ctx(|| format!("cannot create {}", partial.display()))?;
        Ok(PartialFile {
            partial,
            target: target.to_path_buf(),
            file: Some(file),
        })
    }

    /// Like [`PartialFile::create`], for a target that may exist and is replaced by the commit
    /// (an output file written again). A `.partial` left by a killed earlier run is removed.
    pub fn create_replacing(target: &Path) -> Result<PartialFile> {
        let partial = crate::fs::append_ext(target, PARTIAL);
        match std::fs::remove_file(&partial) {
            Ok(()) => tracing::info!("removed {}, left by an interrupted run", partial.display()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(format!("cannot remove {}", partial.display()), e)),
        }
        let file = crate::fs::create_private(&partial)?;
        Ok(PartialFile {
            partial,
            target: target.to_path_buf(),
            file: Some(file),
        })
    }

    /// The path being written.
    pub fn partial_path(&self) -> &Path {
        &self.partial
    }

    /// fsyncs the data, renames it to its final name, and fsyncs the folder.
    pub fn commit(mut self) -> Result<PathBuf> {
        let file = self
            .file
            .take()
            .ok_or_else(|| Error::Usage("partial file already committed".into()))?;
        file.sync_all()
            .ctx(|| format!("cannot fsync {}", self.partial.display()))?;
        drop(file);
        std::fs::rename(&self.partial, &self.target).ctx(|| {
            format!(
                "cannot rename {} to {}",
                self.partial.display(),
                self.target.display()
            )
        })?;
        if let Some(dir) = self.target.parent() {
            crate::fs::fsync_dir(dir)?;
        }
        Ok(self.target.clone())
    }
}

impl Write for PartialFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.file.as_mut() {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// Writes a manifest beside its backup file, atomically and 0600. This is the commit point.
pub fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<PathBuf> {
    let path = dir.join(format!("{}{MANIFEST}", manifest.file));
    let mut json = serde_json::to_vec_pretty(manifest)
        .map_err(|e| Error::io("cannot encode manifest", io::Error::other(e)))?;
    if super::folder::is_remote(dir) {
        json.push(b'\n');
        let (d, name) = super::folder::split(&path)?;
        super::folder::store(&d)?.put_bytes(&name, &json)?;
        return Ok(path);
    }
    let mut pf = PartialFile::create(&path)?;
    pf.write_all(&json)
        .and_then(|_| pf.write_all(b"\n"))
        .ctx(|| format!("cannot write {}", path.display()))?;
    pf.commit()
}

/// One backup found in a folder, from its manifest.
#[derive(Debug, Clone)]
pub struct BackupEntry {
    /// The manifest as read.
    pub manifest: Manifest,
    /// The backup file's path.
    pub path: PathBuf,
    /// The manifest's path.
    pub manifest_path: PathBuf,
    /// Why this backup is not usable, found by cheap checks (file missing, size differs).
    pub problem: Option<String>,
}

impl BackupEntry {
    /// Whether the cheap checks passed (the sha256 is checked by `verify`).
    pub fn is_good(&self) -> bool {
        self.problem.is_none()
    }
}

/// A manifest that could not be used, reported by [`scan`] instead of silently skipped.
#[derive(Debug, Clone, Serialize)]
pub struct ScanIssue {
    /// The manifest file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub problem: String,
}

/// Reads every manifest in `dir` (optionally only those of backup `name`), oldest first by the
/// manifest's start time. Files without a manifest are not backups and are not returned.
pub fn scan(dir: &Path, name: Option<&str>) -> Result<(Vec<BackupEntry>, Vec<ScanIssue>)> {
    let mut entries = Vec::new();
    let mut issues = Vec::new();
    if super::folder::is_remote(dir) {
        scan_remote(dir, name, &mut entries, &mut issues)?;
        sort_entries(&mut entries);
        return Ok((entries, issues));
    }
    let rd =
        std::fs::read_dir(dir).ctx(|| format!("cannot read backup folder {}", dir.display()))?;
    for e in rd {
        let e = e.ctx(|| format!("cannot read backup folder {}", dir.display()))?;
        let fname = e.file_name().to_string_lossy().into_owned();
        let Some(file) = fname.strip_suffix(MANIFEST) else {
            continue;
        };
        if !of_name(file, name) {
            continue;
        }
        let manifest_path = e.path();
        let manifest: Manifest = match std::fs::read(&manifest_path)
            .map_err(|e| e.to_string())
            .and_then(|b| {
                serde_json::from_slice(&b).map_err(|e| format!("not a valid manifest: {e}"))
            }) {
            Ok(m) => m,
            Err(problem) => {
                issues.push(ScanIssue {
                    path: manifest_path,
                    problem,
                });
                continue;
            }
        };
        if manifest.file != file || manifest.file.contains('/') || manifest.file.starts_with('.') {
            issues.push(ScanIssue {
                path: manifest_path,
                problem: format!(
                    "manifest names file '{}', which is not the file it stands beside",
                    manifest.file
                ),
            });
            continue;
        }
        if name.is_some_and(|n| n != manifest.name) {
            continue;
        }
        let path = dir.join(&manifest.file);
        let problem = match std::fs::metadata(&path) {
            Err(_) => Some("backup file is missing".to_string()),
            Ok(m) if m.len() != manifest.size => Some(format!(
                "file size {} differs from the manifest's {}",
                m.len(),
                manifest.size
            )),
            Ok(_) => None,
        };
        entries.push(BackupEntry {
            manifest,
            path,
            manifest_path,
            problem,
        });
    }
    sort_entries(&mut entries);
    Ok((entries, issues))
}

/// Whether a backup file name can belong to backup `name` (`<name>_<timestamp>…`, so not
/// `<name>_eu_<timestamp>…` of backup `<name>_eu`): with a
/// name, only its own manifests are read, so another name's broken manifest is not reported.
fn of_name(file: &str, name: Option<&str>) -> bool {
    name.is_none_or(|n| {
        file.strip_prefix(n)
            .and_then(|r| r.strip_prefix('_'))
            .is_some_and(looks_like_timestamp)
    })
}

/// Oldest first by the manifest's start time.
fn sort_entries(entries: &mut [BackupEntry]) {
    entries.sort_by(|a, b| {
        a.manifest
            .started_at
            .cmp(&b.manifest.started_at)
            .then_with(|| a.manifest.file.cmp(&b.manifest.file))
    });
}

/// [`scan`] of a remote folder: one listing, then each manifest read.
fn scan_remote(
    dir: &Path,
    name: Option<&str>,
    entries: &mut Vec<BackupEntry>,
    issues: &mut Vec<ScanIssue>,
) -> Result<()> {
    let objects: BTreeMap<String, u64> = super::folder::list(dir)?.into_iter().collect();
    for (oname, _) in objects.iter() {
        let Some(file) = oname.strip_suffix(MANIFEST) else {
            continue;
        };
        if !of_name(file, name) {
            continue;
        }
        let manifest_path = super::folder::url(dir, oname);
        let manifest: Manifest = match super::folder::read_small(&manifest_path)
            .map_err(|e| e.describe())
            .and_then(|b| b.ok_or_else(|| "removed while listing".to_string()))
            .and_then(|b| {
                serde_json::from_slice(&b).map_err(|e| format!("not a valid manifest: {e}"))
            }) {
            Ok(m) => m,
            Err(problem) => {
                issues.push(ScanIssue {
                    path: manifest_path,
                    problem,
                });
                continue;
            }
        };
        if manifest.file != file || manifest.file.contains('/') || manifest.file.starts_with('.') {
            issues.push(ScanIssue {
                path: manifest_path,
                problem: format!(
                    "manifest names file '{}', which is not the file it stands beside",
                    manifest.file
                ),
            });
            continue;
        }
        if name.is_some_and(|n| n != manifest.name) {
            continue;
        }
        let problem = match objects.get(&manifest.file) {
            None => Some("backup file is missing".to_string()),
            Some(&len) if len != manifest.size => Some(format!(
                "file size {len} differs from the manifest's {}",
                manifest.size
            )),
            Some(_) => None,
        };
        entries.push(BackupEntry {
            path: super::folder::url(dir, &manifest.file),
            manifest,
            manifest_path,
            problem,
        });
    }
    Ok(())
}

/// The manifest path of a backup file (`<file>.manifest.json`).
pub fn manifest_path(file: &Path) -> PathBuf {
    crate::fs::append_ext(file, MANIFEST)
}

/// A manifest made up for a file without one (a dump of the old scripts, `prod_20240821.sql.gz`),
/// from what the file itself says: its compression and content from its first bytes, its size
/// and sha256 as it is now (so only its decoding, not its history, can be checked).
pub fn legacy_manifest(file: &Path) -> Result<Manifest> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let n = File::open(file)
        .and_then(|mut f| f.read(&mut head))
        .ctx(|| format!("cannot open backup {}", file.display()))?;
    let codec = crate::store::codec::Codec::sniff(&head[..n]);
    let mut decoded = crate::store::codec::decoder(
        codec,
        io::BufReader::new(
            File::open(file).ctx(|| format!("cannot open backup {}", file.display()))?,
        ),
    )
    .ctx(|| format!("cannot decode backup {}", file.display()))?;
    let mut first = [0u8; 16];
    let got = decoded
        .read(&mut first)
        .ctx(|| format!("cannot decode backup {}", file.display()))?;
    let content = if first[..got].starts_with(b"SQLite format 3") {
        Content::Sqlite3
    } else {
        Content::PlainSql
    };
    let (size, sha256) = crate::store::codec::sha256_file(file)
        .ctx(|| format!("cannot read backup {}", file.display()))?;
    let fname = file
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let time = std::fs::metadata(file)
        .and_then(|m| m.modified())
        .map(DateTime::<Utc>::from)
        .unwrap_or_else(|_| Utc::now());
    Ok(Manifest {
        manifest_version: MANIFEST_VERSION,
        tool: "unknown (no manifest)".into(),
        tool_version: String::new(),
        name: fname.split('_').next().unwrap_or("legacy").to_string(),
        file: fname,
        engine: match content {
            Content::PlainSql => Engine::Postgresql,
            Content::Sqlite3 => Engine::Sqlite,
        },
        source: "unknown".into(),
        server_version: String::new(),
        dump_tool: String::new(),
        content,
        codec: codec.to_string(),
        size,
        sha256,
        uncompressed_size: 0,
        started_at: time,
        finished_at: time,
        tables: None,
        source_id: None,
        tags: Vec::new(),
        keep_until: None,
        selection: Vec::new(),
        members: Vec::new(),
        recipients: Vec::new(),
    })
}

/// Reads the manifest that belongs to a backup file given by path.
pub fn manifest_for(file: &Path) -> Result<Manifest> {
    // A file that is not there is that, before it is a file without a manifest.
    if super::folder::size(file)?.is_none() {
        return Err(Error::io(
            format!("cannot open backup {}", file.display()),
            std::io::Error::from_raw_os_error(libc::ENOENT),
        ));
    }
    let mpath = crate::fs::append_ext(file, MANIFEST);
    let bytes = super::folder::read_small(&mpath)?.ok_or_else(|| {
        Error::Verify(format!(
            "{} has no manifest ({} is missing): it is not a complete backup of this tool \
             (a dump of other scripts restores with --unverified)",
            file.display(),
            mpath.display()
        ))
    })?;
    let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
        Error::verify_failed(format!("{} is not a valid manifest", mpath.display()), e)
    })?;
    let fname = file.file_name().map(|f| f.to_string_lossy().into_owned());
    if fname.as_deref() != Some(m.file.as_str()) {
        return Err(Error::Verify(format!(
            "{} names file '{}', not {}",
            mpath.display(),
            m.file,
            file.display()
        )));
    }
    Ok(m)
}

/// Removes leftovers of killed runs of backup `name`, only ever files of our own naming:
/// - `<name>_<timestamp>….partial`: a backup being written;
/// - `<name>_<timestamp>.<content><codec>` without its manifest: a backup killed between its
///   rename and its manifest (not a backup: it was never listed);
/// - `.<name>.snapshot-<pid>.partial` (SQLite snapshots) and `.<name>.verify-<pid>.partial`
///   (verify's scratch copies) of processes that are gone, with their SQLite journals.
///
/// Call only while holding that name's lock. Returns what was removed.
pub fn clean_stale_partials(dir: &Path, name: &str) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    if super::folder::is_remote(dir) {
        // Uploads of killed runs never completed: abort them (their parts cost storage).
        removed.extend(super::folder::abort_stale_uploads(dir)?);
        // Completed but never given a manifest: not a backup, never listed.
        let objects: BTreeMap<String, u64> = super::folder::list(dir)?.into_iter().collect();
        for oname in objects.keys() {
            let ours = oname
                .strip_prefix(name)
                .and_then(|r| r.strip_prefix('_'))
                .filter(|r| looks_like_timestamp(r))
                .is_some_and(|r| is_backup_file_suffix(&r[16..]))
                && !objects.contains_key(&format!("{oname}{MANIFEST}"));
            if ours {
                let url = super::folder::url(dir, oname);
                super::folder::delete(&url)?;
                removed.push(url);
            }
        }
        return Ok(removed);
    }
    let rd =
        std::fs::read_dir(dir).ctx(|| format!("cannot read backup folder {}", dir.display()))?;
    for e in rd.flatten() {
        let fname = e.file_name().to_string_lossy().into_owned();
        let stamped = fname
            .strip_prefix(name)
            .and_then(|r| r.strip_prefix('_'))
            .filter(|r| looks_like_timestamp(r));
        let ours = match stamped {
            Some(_) if fname.ends_with(PARTIAL) => true,
            Some(rest) => {
                is_backup_file_suffix(&rest[16..])
                    && !dir.join(format!("{fname}{MANIFEST}")).exists()
            }
            None => scratch_of_dead_process(&fname, name),
        };
        if ours {
            std::fs::remove_file(e.path())
                .ctx(|| format!("cannot remove stale {}", e.path().display()))?;
            removed.push(e.path());
        }
    }
    Ok(removed)
}

/// Removes only the scratch copies of backup `name` left in `dir` by processes that are gone
/// (`.<name>.snapshot-<pid>.partial` and their journals): for folders that are not backup
/// folders, such as the one holding an SQLite database whose backups are encrypted.
pub fn clean_dead_scratch(dir: &Path, name: &str) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Ok(removed);
    };
    for e in rd.flatten() {
        let fname = e.file_name().to_string_lossy().into_owned();
        if scratch_of_dead_process(&fname, name) {
            std::fs::remove_file(e.path())
                .ctx(|| format!("cannot remove stale {}", e.path().display()))?;
            tracing::info!(
                "removed leftover of an interrupted run: {}",
                e.path().display()
            );
            removed.push(e.path());
        }
    }
    Ok(removed)
}

/// Whether `rest` (after `<name>_<timestamp>`) is what a backup file name ends with: an optional
/// `-N` of a second backup in the same second, a content extension and a codec extension.
fn is_backup_file_suffix(rest: &str) -> bool {
    let rest = match rest.strip_prefix('-') {
        Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => rest,
    };
    [".sql", ".sqlite3"].iter().any(|content| {
        rest.strip_prefix(content)
            .map(|codec| codec.strip_suffix(SEALED).unwrap_or(codec))
            .is_some_and(|codec| ["", ".gz", ".zst"].contains(&codec))
    })
}

/// `.<name>.snapshot-<pid>.partial` or `.<name>.verify-<pid>.partial` (and their journals) of a
/// process that no longer runs.
fn scratch_of_dead_process(fname: &str, name: &str) -> bool {
    let Some(rest) = fname.strip_prefix(&format!(".{name}.")) else {
        return false;
    };
    let rest = ["-journal", "-wal", "-shm"]
        .iter()
        .find_map(|j| rest.strip_suffix(j))
        .unwrap_or(rest);
    let Some(rest) = rest.strip_suffix(PARTIAL) else {
        return false;
    };
    let pid = ["snapshot-", "verify-"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .and_then(|p| p.parse::<i32>().ok());
    match pid {
        // SAFETY: signal 0 only asks whether the process exists.
        Some(p) => p > 0 && unsafe { libc::kill(p, 0) } != 0,
        None => false,
    }
}

/// True when `s` starts with our file-name timestamp, `YYYYMMDDTHHMMSSZ`.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 16
        && b[..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'T'
        && b[9..15].iter().all(u8::is_ascii_digit)
        && b[15] == b'Z'
}

/// Deletes a backup and its manifest: the manifest first, so an interrupted delete leaves a
/// file without a manifest (ignored), never a manifest without its file... which `scan` reports.
pub fn delete_backup(entry: &BackupEntry) -> Result<()> {
    if super::folder::is_remote(&entry.path) {
        super::folder::delete(&entry.manifest_path)?;
        return super::folder::delete(&entry.path);
    }
    std::fs::remove_file(&entry.manifest_path)
        .ctx(|| format!("cannot remove {}", entry.manifest_path.display()))?;
    match std::fs::remove_file(&entry.path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(Error::io(
                format!("cannot remove {}", entry.path.display()),
                e,
            ))
        }
    }
    if let Some(dir) = entry.path.parent() {
        crate::fs::fsync_dir(dir)?;
    }
    Ok(())
}

impl Manifest {
    /// The identity retention groups this backup by: [`Manifest::source_id`], or for manifests
    /// written before it existed, the engine and the redacted source.
    pub fn source_identity(&self) -> String {
        match &self.source_id {
            Some(id) => id.clone(),
            None => format!("{}:{}", self.engine, self.source),
        }
    }

    /// "PostgreSQL 15.18" or "SQLite 3.46.0", for summaries.
    pub fn content_label(&self) -> String {
        match self.engine {
            Engine::Postgresql => format!("PostgreSQL {}", self.server_version),
            Engine::Sqlite => format!("SQLite {}", self.server_version),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_timestamps() {
        let t = DateTime::parse_from_rfc3339("2026-11-22T03:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("valid");
        assert_eq!(
            backup_file_name("prod", t, Content::PlainSql, ".gz"),
            "prod_20261122T030000Z.sql.gz"
        );
        assert!(looks_like_timestamp("20261122T030000Z.sql.gz.partial"));
        assert!(!looks_like_timestamp("eu_20261122T030000Z.sql.gz.partial"));
        assert!(validate_name("girok_user").is_ok());
        assert!(validate_name("../x").is_err());
        assert!(validate_name(".hidden").is_err());
    }

    #[test]
    fn partial_file_is_removed_unless_committed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("a.sql.gz");
        {
            let mut pf = PartialFile::create(&target).expect("create");
            pf.write_all(b"x").expect("write");
            assert!(pf.partial_path().exists());
        }
        assert!(!crate::fs::append_ext(&target, PARTIAL).exists());
        assert!(!target.exists());
        let mut pf = PartialFile::create(&target).expect("create");
        pf.write_all(b"x").expect("write");
        pf.commit().expect("commit");
        assert!(target.exists());
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_broken_manifest_of_another_name_is_not_this_names_problem() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path()
                .join("other_20261122T030000Z.sql.gz.manifest.json"),
            b"{",
        )
        .expect("write");
        std::fs::write(
            dir.path()
                .join("prod_eu_20261122T030000Z.sql.gz.manifest.json"),
            b"{",
        )
        .expect("write");
        let (entries, issues) = scan(dir.path(), Some("prod")).expect("scan");
        assert!(entries.is_empty() && issues.is_empty(), "{issues:?}");
        let (_, issues) = scan(dir.path(), None).expect("scan");
        assert_eq!(
            issues.len(),
            2,
            "every name: the broken manifests are reported"
        );
        let (_, issues) = scan(dir.path(), Some("other")).expect("scan");
        assert_eq!(issues.len(), 1, "its own name: reported");
    }

    #[test]
    fn stale_partials_of_other_names_are_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        for f in [
            "prod_20261122T030000Z.sql.gz.partial",
            "prod_eu_20261122T030000Z.sql.gz.partial",
            "prod_20261122T030000Z.sql.gz",
            "prod_20261122T030000Z.sql.gz.manifest.json",
            // Killed between the rename and the manifest: never listed, removed.
            "prod_20261123T030000Z.sql.gz",
            // Not of our naming: never touched.
            "prod_20261124T030000Z.sql.gz.old",
            "prod_notes.txt",
        ] {
            std::fs::write(dir.path().join(f), b"x").expect("write");
        }
        let removed = clean_stale_partials(dir.path(), "prod").expect("clean");
        assert_eq!(removed.len(), 2, "{removed:?}");
        for kept in [
            "prod_eu_20261122T030000Z.sql.gz.partial",
            "prod_20261122T030000Z.sql.gz",
            "prod_20261124T030000Z.sql.gz.old",
            "prod_notes.txt",
        ] {
            assert!(dir.path().join(kept).exists(), "{kept}");
        }
        assert!(!dir.path().join("prod_20261123T030000Z.sql.gz").exists());
    }
}
