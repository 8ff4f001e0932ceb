//! Taking a backup, pruning old ones, and judging whether the newest is recent enough.
//!
//! `source -> dump stream -> codec (compress + sha256) -> storage (atomic file + manifest)`.
//! The stream is never held in memory: pg_dump's stdout is read in fixed-size chunks, row counts
//! are taken on the way through, compression runs on worker threads, and the compressed bytes are
//! hashed as they are written.

use std::collections::BTreeMap;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::archive::{self, BackupEntry, Content, Manifest, PartialFile, ScanIssue};
use crate::codec::{Codec, Encoder, HashingWriter};
use crate::error::{Error, IoContext, Result};
use crate::pg::{self, DumpOptions, PgAdmin};
use crate::retention::{self, Action, Candidate, Decision, RetentionPolicy};
use crate::url::{DbUrl, Engine, PgConn};

/// Everything a backup run needs to know.
#[derive(Debug, Clone)]
pub struct BackupRequest {
    /// The database to back up.
    pub source: DbUrl,
    /// Variable holding the source's password (from a config's `password_env`).
    pub password_env: Option<String>,
    /// Backup folder.
    pub dir: PathBuf,
    /// Backup name (default: database name or file stem).
    pub name: Option<String>,
    /// Compression.
    pub codec: Codec,
    /// Folder of pg_dump, instead of PATH.
    pub pg_bin_dir: Option<PathBuf>,
    /// Compression threads (0: one per core).
    pub threads: usize,
    /// How long to wait for another run holding the lock.
    pub lock_wait: Duration,
    /// Retention to apply after a successful backup.
    pub retention: Option<RetentionPolicy>,
}

/// What a successful backup run did.
#[derive(Debug, Clone, Serialize)]
pub struct BackupOutcome {
    /// The committed backup file.
    pub path: PathBuf,
    /// Its manifest, as written.
    pub manifest: Manifest,
    /// Leftovers of killed runs that were removed.
    pub cleaned: Vec<PathBuf>,
    /// Retention run after the backup, if a policy was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prune: Option<PruneReport>,
}

/// Writer adapter counting bytes, and logging progress every few seconds for long dumps.
struct Progress<W> {
    inner: W,
    bytes: u64,
    started: Instant,
    last_log: Instant,
    label: String,
}

impl<W: Write> Write for Progress<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::interrupt::check()?;
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        if self.last_log.elapsed() >= Duration::from_secs(10) {
            self.last_log = Instant::now();
            let secs = self.started.elapsed().as_secs_f64().max(0.001);
            tracing::info!(
                "{}: {:.1} MB dumped ({:.1} MB/s)",
                self.label,
                self.bytes as f64 / 1e6,
                self.bytes as f64 / 1e6 / secs
            );
        }
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Threads for compression: the request's number, or one per core.
fn threads(req: usize) -> usize {
    if req > 0 {
        req
    } else {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    }
}

/// What the manifest says about where a backup came from.
#[derive(Debug, Clone)]
pub struct ManifestSource {
    /// Source engine.
    pub engine: Engine,
    /// Source, redacted.
    pub source: String,
    /// Server or library version.
    pub server_version: String,
    /// Program and version that produced the stream.
    pub dump_tool: String,
    /// Rows per table, if counted.
    pub tables: Option<BTreeMap<String, u64>>,
}

/// A backup being written: compressed, hashed and counted on the way to a `.partial` file, and
/// committed with its manifest. Dropped without [`BackupWriter::commit`], it leaves nothing.
pub struct BackupWriter {
    dir: PathBuf,
    name: String,
    file_name: String,
    target: PathBuf,
    content: Content,
    codec: Codec,
    started_at: DateTime<Utc>,
    sink: Progress<Encoder<HashingWriter<PartialFile>>>,
}

impl BackupWriter {
    /// Starts `<dir>/<name>_<now>...partial`. The caller holds the name's lock.
    pub fn create(
        dir: &Path,
        name: &str,
        content: Content,
        codec: Codec,
        threads: usize,
    ) -> Result<BackupWriter> {
        let started_at = Utc::now();
        let stamp = started_at.format("%Y%m%dT%H%M%SZ").to_string();
        let mut file_name = archive::backup_file_name(name, started_at, content, codec.extension());
        let mut n = 1;
        while dir.join(&file_name).exists() {
            n += 1;
            file_name = archive::backup_file_name(name, started_at, content, codec.extension())
                .replacen(&stamp, &format!("{stamp}-{n}"), 1);
        }
        let target = dir.join(&file_name);
        let partial = PartialFile::create(&target)?;
        let encoder = Encoder::new(codec, HashingWriter::new(partial), threads)
            .ctx(|| format!("cannot start compression for {}", target.display()))?;
        Ok(BackupWriter {
            dir: dir.to_path_buf(),
            name: name.to_string(),
            file_name: file_name.clone(),
            target,
            content,
            codec,
            started_at,
            sink: Progress {
                inner: encoder,
                bytes: 0,
                started: Instant::now(),
                last_log: Instant::now(),
                label: file_name,
            },
        })
    }

    /// The final path of the backup.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// Finishes compression, commits the file, then writes its manifest (the commit point).
    pub fn commit(self, source: ManifestSource) -> Result<(PathBuf, Manifest)> {
        let write_err =
            |e: io::Error| Error::io(format!("cannot write backup {}", self.target.display()), e);
        let uncompressed_size = self.sink.bytes;
        let hashing = self.sink.inner.finish().map_err(write_err)?;
        let (partial, size, sha256) = hashing.finish();
        let path = partial.commit()?;
        let manifest = Manifest {
            manifest_version: archive::MANIFEST_VERSION,
            tool: "backup-tool".into(),
            tool_version: crate::TOOL_VERSION.into(),
            name: self.name,
            file: self.file_name,
            engine: source.engine,
            source: source.source,
            server_version: source.server_version,
            dump_tool: source.dump_tool,
            content: self.content,
            codec: self.codec.to_string(),
            size,
            sha256,
            uncompressed_size,
            started_at: self.started_at,
            finished_at: Utc::now(),
            tables: source.tables,
        };
        if let Err(e) = archive::write_manifest(&self.dir, &manifest) {
            // Without its manifest the file is not a backup; do not leave it looking like one.
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        Ok((path, manifest))
    }
}

impl Write for BackupWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.sink.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }
}

/// Takes one backup, commits it with its manifest, then applies retention if asked.
pub fn run_backup(req: &BackupRequest) -> Result<BackupOutcome> {
    let name = match &req.name {
        Some(n) => n.clone(),
        None => req.source.default_backup_name(),
    };
    archive::validate_name(&name)?;
    // Check the source before touching the folder: a wrong URL or password fails fast and clean.
    let prepared = match &req.source {
        DbUrl::Postgres(u) => {
            let conn = PgConn::resolve(u, req.password_env.as_deref())?;
            let admin = PgAdmin::connect(&conn)?;
            let server = admin.server_version()?;
            let pg_dump = pg::find_tool("pg_dump", req.pg_bin_dir.as_deref(), Some(server.major))?;
            drop(admin);
            Prepared::Postgres {
                conn,
                server,
                pg_dump,
            }
        }
        DbUrl::Sqlite(p) => {
            crate::sqlite::open_existing(p)?;
            Prepared::Sqlite { path: p.clone() }
        }
    };
    archive::ensure_dir(&req.dir)?;
    let _lock = crate::lock::acquire(&req.dir, &name, req.lock_wait, "backup")?;
    let cleaned = archive::clean_stale_partials(&req.dir, &name)?;
    for c in &cleaned {
        tracing::info!("removed leftover of an interrupted run: {}", c.display());
    }
    let content = match prepared {
        Prepared::Postgres { .. } => Content::PlainSql,
        Prepared::Sqlite { .. } => Content::Sqlite3,
    };
    let mut sink = BackupWriter::create(&req.dir, &name, content, req.codec, threads(req.threads))?;
    let target = sink.path().to_path_buf();
    let write_err =
        |e: io::Error| Error::io(format!("cannot write backup {}", target.display()), e);

    let (server_version, dump_tool, tables) = match &prepared {
        Prepared::Postgres {
            conn,
            server,
            pg_dump,
        } => {
            let (mut child, _auth) = pg::spawn_dump(pg_dump, conn, &DumpOptions::default())?;
            let counted = crate::dump::count_rows(
                BufReader::with_capacity(256 * 1024, &mut child),
                &mut sink,
            );
            if let Err(crate::dump::DumpError::Write { source }) = counted {
                // Our side failed (disk full, file too large): stop pg_dump, report the write.
                child.kill();
                return Err(write_err(source));
            }
            // The child's exit status decides next: a pg_dump that failed midway may still
            // have produced a well-formed prefix.
            let status = child.finish();
            status?;
            let counts = counted.map_err(|e| {
                Error::Postgres(format!(
                    "pg_dump output of {} is not a complete dump: {e}",
                    conn.redacted()
                ))
            })?;
            if !counts.complete {
                return Err(Error::Postgres(format!(
                    "pg_dump output of {} ended without its completion line; the dump is incomplete",
                    conn.redacted()
                )));
            }
            let tables = counts
                .tables
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<BTreeMap<_, _>>();
            (
                server.to_string(),
                format!("pg_dump {}", pg_dump.version),
                Some(tables),
            )
        }
        Prepared::Sqlite { path } => {
            let snap = SnapshotFile(req.dir.join(format!(
                ".{name}.snapshot-{}{}",
                std::process::id(),
                archive::PARTIAL
            )));
            crate::sqlite::snapshot(path, &snap.0)?;
            crate::sqlite::integrity_check(&snap.0)?;
            let tables = crate::sqlite::row_counts(&snap.0)?;
            let mut f = std::fs::File::open(&snap.0)
                .ctx(|| format!("cannot read snapshot {}", snap.0.display()))?;
            io::copy(&mut f, &mut sink).map_err(write_err)?;
            (
                crate::sqlite::library_version(),
                format!("sqlite {} online backup", crate::sqlite::library_version()),
                Some(tables),
            )
        }
    };
    let (path, manifest) = sink.commit(ManifestSource {
        engine: req.source.engine(),
        source: req.source.redacted(),
        server_version,
        dump_tool,
        tables,
    })?;
    let prune = match &req.retention {
        Some(policy) if !policy.is_empty() => {
            Some(prune_locked(&req.dir, &name, policy, Utc::now(), false)?)
        }
        _ => None,
    };
    Ok(BackupOutcome {
        path,
        manifest,
        cleaned,
        prune,
    })
}

enum Prepared {
    Postgres {
        conn: PgConn,
        server: pg::PgVersion,
        pg_dump: pg::PgTool,
    },
    Sqlite {
        path: PathBuf,
    },
}

/// The uncompressed SQLite snapshot, removed however the run ends.
struct SnapshotFile(PathBuf);

impl Drop for SnapshotFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        for ext in ["-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(crate::sqlite::append_ext(&self.0, ext));
        }
    }
}

/// The result of applying retention to one backup name.
#[derive(Debug, Clone, Serialize)]
pub struct PruneReport {
    /// Backup name.
    pub name: String,
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
        let _lock = crate::lock::acquire(dir, &n, lock_wait, "prune")?;
        reports.push(prune_locked(dir, &n, policy, now, dry_run)?);
    }
    Ok(reports)
}

/// Retention for one name; the caller holds its lock.
///
/// A backup counts as good when its file is present with the manifest's size. Before anything is
/// deleted, the newest `min-keep` kept backups are checked against their sha256: a corrupt one
/// is marked bad and the plan is made again, so the guarantee "at least min-keep verified backups
/// remain" rests on checksums, not on file sizes.
fn prune_locked(
    dir: &Path,
    name: &str,
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<PruneReport> {
    let (entries, issues) = archive::scan(dir, Some(name))?;
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
                matches!(crate::codec::sha256_file(&entry.path), Ok((size, sha)) if size == entry.manifest.size && sha == entry.manifest.sha256)
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
    let mut deleted = Vec::new();
    if !dry_run {
        for d in decisions.iter().filter(|d| d.action == Action::Remove) {
            if let Some(entry) = by_id.get(&d.id) {
                archive::delete_backup(entry)?;
                tracing::info!("pruned {} ({})", entry.path.display(), d.reasons.join("; "));
                deleted.push(entry.path.clone());
            }
        }
    }
    Ok(PruneReport {
        name: name.to_string(),
        dry_run,
        decisions,
        deleted,
        issues,
    })
}

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
