//! Taking a backup.
//!
//! `source -> dump stream -> codec (compress + sha256) -> storage (atomic file + manifest)`.
//! The stream is never held in memory: pg_dump's stdout is read in fixed-size chunks, row counts
//! are taken on the way through, compression runs on worker threads, and the compressed bytes are
//! hashed as they are written.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use serde::Serialize;

use crate::engine::conn::{DbUrl, Engine, PgConn};
use crate::engine::pg::{self, DumpOptions, PgAdmin};
use crate::error::{Error, IoContext, Result};
use crate::jobs::prune::{prune_locked, PruneReport};
use crate::store::archive::{self, Content, Manifest};
use crate::store::codec::Codec;
use crate::store::retention::RetentionPolicy;
use crate::store::writer::{BackupWriter, ManifestSource};

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
    /// Labels for the manifest (`--tag`).
    pub tags: Vec<String>,
    /// Pin the backup against retention for this long (`--keep-for`).
    pub keep_for: Option<chrono::Duration>,
    /// pg_dump's table selection: `--table=…`, `--exclude-table=…`, `--exclude-table-data=…`.
    pub selection: Vec<String>,
    /// Also save the server's roles and tablespaces (`pg_dumpall --globals-only`) as backup
    /// `<name>.globals` beside it.
    pub globals: bool,
    /// Sessions reading table data in parallel (PostgreSQL); 1 runs pg_dump alone.
    pub jobs: usize,
    /// age recipients (public keys: `age1…`, `ssh-ed25519 …`) to encrypt the backup to; empty
    /// stores it unencrypted.
    pub encrypt_to: Vec<String>,
    /// Folders (local or `s3://`) that receive a copy of every backup, each with the same
    /// retention applied to its own listing (`mirror = [...]`).
    pub mirrors: Vec<PathBuf>,
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
    /// The roles and tablespaces saved beside it (`--globals`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub globals: Option<PathBuf>,
    /// The copies made in the mirror folders.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mirrored: Vec<PathBuf>,
}

/// The backup name under which a name's globals are kept: `<name>.globals`.
pub fn globals_name(name: &str) -> String {
    format!("{name}.globals")
}

/// The backup name when none is given: the database the connection resolves to (through a
/// service file or PGDATABASE too), or the SQLite file's stem.
pub fn default_name(req: &BackupRequest) -> String {
    match &req.source {
        DbUrl::Postgres(u) => PgConn::resolve(u, req.password_env.as_deref())
            .map(|c| crate::engine::conn::url::sanitize_name(&c.dbname))
            .unwrap_or_else(|_| req.source.default_backup_name()),
        DbUrl::Sqlite(_) => req.source.default_backup_name(),
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

/// Takes one backup, commits it with its manifest, then applies retention if asked.
pub fn run_backup(req: &BackupRequest) -> Result<BackupOutcome> {
    let recipients = crate::store::target::recipients(&req.encrypt_to, &[])?;
    // Check the source before touching the folder: a wrong URL or password fails fast and clean.
    let prepared = match &req.source {
        DbUrl::Postgres(u) => {
            let conn = PgConn::resolve(u, req.password_env.as_deref())?;
            let admin = PgAdmin::connect(&conn)?;
            let server = admin.server_version()?;
            let pg_dump = pg::find_tool("pg_dump", req.pg_bin_dir.as_deref(), Some(server.major))?;
            let source_id = crate::jobs::guard::Identity::Postgres {
                system: admin.system_identifier()?,
                database: conn.dbname.clone(),
            }
            .source_id(None);
            drop(admin);
            (
                Prepared::Postgres {
                    conn,
                    server,
                    pg_dump,
                },
                source_id,
            )
        }
        DbUrl::Sqlite(_) if req.jobs > 1 => {
            return Err(Error::Usage(
                "--jobs reads a PostgreSQL database's tables in parallel; an SQLite snapshot is one file copy".into(),
            ));
        }
        DbUrl::Sqlite(p) => {
            if !req.selection.is_empty() {
                return Err(Error::Usage(
                    "--table, --exclude-table and --exclude-table-data are for PostgreSQL; an SQLite snapshot is the whole file".into(),
                ));
            }
            crate::engine::sqlite::open_existing(p)?;
            (
                Prepared::Sqlite { path: p.clone() },
                crate::jobs::guard::file_identity(p).source_id(Some(p)),
            )
        }
    };
    let (prepared, source_id) = prepared;
    let name = match &req.name {
        Some(n) => n.clone(),
        None => default_name(req),
    };
    archive::validate_name(&name)?;
    let source_text = match &prepared {
        // What the connection resolved to (a service name or PGDATABASE become the server and
        // database they stand for).
        Prepared::Postgres { conn, .. } => conn.redacted(),
        Prepared::Sqlite { .. } => req.source.redacted(),
    };
    archive::ensure_dir(&req.dir)?;
    let _lock = crate::store::lock::acquire(&req.dir, &name, req.lock_wait, "backup")?;
    let cleaned = archive::clean_stale_partials(&req.dir, &name)?;
    for c in &cleaned {
        tracing::info!("removed leftover of an interrupted run: {}", c.display());
    }
    warn_name_clash(&req.dir, &name, &source_id)?;
    let content = match prepared {
        Prepared::Postgres { .. } => Content::PlainSql,
        Prepared::Sqlite { .. } => Content::Sqlite3,
    };
    if req.jobs > 1 && !req.selection.is_empty() {
        return Err(Error::Usage(
            "--jobs cannot be combined with --table, --exclude-table or --exclude-table-data"
                .into(),
        ));
    }
    let started = Utc::now();
    if let (
        Prepared::Postgres {
            conn,
            server,
            pg_dump,
        },
        true,
    ) = (&prepared, req.jobs > 1)
    {
        let mut writer = crate::store::writer::MemberWriter::create(
            &req.dir,
            &name,
            content,
            req.codec,
            &recipients,
        )?;
        let dumped = crate::jobs::parallel_backup::dump_parallel(
            conn,
            pg_dump,
            server,
            req.jobs,
            threads(req.threads),
            &mut writer,
        )?;
        let committed = writer.commit(ManifestSource {
            engine: req.source.engine(),
            source: source_text.clone(),
            server_version: server.to_string(),
            dump_tool: format!(
                "pg_dump {} and {} parallel sessions",
                pg_dump.version, req.jobs
            ),
            tables: Some(dumped.tables),
            source_id: Some(source_id.clone()),
            tags: req.tags.clone(),
            keep_until: req.keep_for.map(|d| started + d),
            selection: Vec::new(),
        })?;
        return finish_backup(req, &name, &prepared, &source_id, committed, cleaned);
    }
    let mut sink = BackupWriter::create(
        &req.dir,
        &name,
        content,
        req.codec,
        threads(req.threads),
        &recipients,
    )?;
    let target = sink.path().to_path_buf();
    let write_err =
        |e: io::Error| Error::io(format!("cannot write backup {}", target.display()), e);

    let (server_version, dump_tool, tables) = match &prepared {
        Prepared::Postgres {
            conn,
            server,
            pg_dump,
        } => {
            let opts = DumpOptions {
                extra: req.selection.clone(),
                ..DumpOptions::default()
            };
            let (mut child, _auth) = pg::spawn_dump(pg_dump, conn, &opts)?;
            let counted = dump::count_rows(crate::fs::StreamReader::new(&mut child), &mut sink);
            if let Err(dump::DumpError::Write { source }) = counted {
                // Our side failed (disk full, file too large): stop pg_dump, report the write.
                child.kill();
                return Err(write_err(source));
            }
            // The child's exit status decides next: a pg_dump that failed midway may still
            // have produced a well-formed prefix.
            let status = child.finish();
            status?;
            let counts = counted.map_err(|e| {
                Error::postgres(format!(
                    "pg_dump output of {} is not a complete dump: {e}",
                    conn.redacted()
                ))
            })?;
            if !counts.complete {
                return Err(Error::postgres(format!(
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
            // The snapshot is a plain copy of the database: beside the backups in a local
            // folder of unencrypted backups (same disk, same permissions); beside the database
            // itself when the backups are encrypted or remote, so that the plaintext never lands
            // anywhere it was not already. Removed however the run ends; a killed run's copy by
            // the next run of the name.
            let remote = crate::store::folder::is_remote(&req.dir);
            let scratch_dir = if remote || !recipients.is_empty() {
                let d = crate::fs::parent_dir(path);
                archive::clean_dead_scratch(&d, &name)?;
                if crate::fs::writable(&d) {
                    d
                } else {
                    let fallback = if remote {
                        std::env::temp_dir()
                    } else {
                        req.dir.clone()
                    };
                    tracing::warn!(
                        "cannot write beside {}; its snapshot (plaintext, 0600) is made in {} \
                         while it is encrypted",
                        path.display(),
                        fallback.display()
                    );
                    fallback
                }
            } else {
                req.dir.clone()
            };
            let snap = SnapshotFile(scratch_dir.join(format!(
                ".{name}.snapshot-{}{}",
                std::process::id(),
                archive::PARTIAL
            )));
            crate::engine::sqlite::snapshot(path, &snap.0)?;
            crate::engine::sqlite::integrity_check(&snap.0)?;
            let tables = crate::engine::sqlite::row_counts(&snap.0)?;
            let mut f = std::fs::File::open(&snap.0)
                .ctx(|| format!("cannot read snapshot {}", snap.0.display()))?;
            io::copy(&mut f, &mut sink).map_err(write_err)?;
            (
                crate::engine::sqlite::library_version(),
                format!(
                    "sqlite {} online backup",
                    crate::engine::sqlite::library_version()
                ),
                Some(tables),
            )
        }
    };
    let committed = sink.commit(ManifestSource {
        engine: req.source.engine(),
        source: source_text.clone(),
        server_version,
        dump_tool,
        tables,
        source_id: Some(source_id.clone()),
        tags: req.tags.clone(),
        keep_until: req.keep_for.map(|d| started + d),
        selection: req.selection.clone(),
    })?;
    finish_backup(req, &name, &prepared, &source_id, committed, cleaned)
}

/// After the commit: the globals beside the backup, if asked, then retention.
fn finish_backup(
    req: &BackupRequest,
    name: &str,
    prepared: &Prepared,
    source_id: &str,
    (path, manifest): (PathBuf, Manifest),
    cleaned: Vec<PathBuf>,
) -> Result<BackupOutcome> {
    let name = name.to_string();
    let source_id = source_id.to_string();
    let globals = match (prepared, req.globals) {
        (Prepared::Postgres { conn, server, .. }, true) => {
            Some(backup_globals(req, &name, conn, server, &source_id)?)
        }
        (Prepared::Sqlite { .. }, true) => {
            return Err(Error::Usage(
                "--globals saves a PostgreSQL server's roles and tablespaces; SQLite has none"
                    .into(),
            ))
        }
        _ => None,
    };
    let prune = match &req.retention {
        Some(policy) if !policy.is_empty() => {
            if globals.is_some() {
                let g = globals_name(&name);
                let _lock = crate::store::lock::acquire(&req.dir, &g, req.lock_wait, "prune")?;
                prune_locked(&req.dir, &g, Some(&source_id), policy, Utc::now(), false)?;
            }
            prune_locked(&req.dir, &name, Some(&source_id), policy, Utc::now(), false)?
                .into_iter()
                .next()
        }
        _ => None,
    };
    let mirrored = mirror(req, &name, &source_id, &path, &manifest, globals.as_deref())?;
    Ok(BackupOutcome {
        path,
        manifest,
        cleaned,
        prune,
        globals,
        mirrored,
    })
}

/// Copies the new backup (and its globals) to every mirror folder, then applies the retention
/// there. A mirror that fails fails the run, naming the backup that was kept in the main folder.
fn mirror(
    req: &BackupRequest,
    name: &str,
    source_id: &str,
    path: &Path,
    manifest: &Manifest,
    globals: Option<&Path>,
) -> Result<Vec<PathBuf>> {
    let mut copies = Vec::new();
    let mut made: Vec<(PathBuf, Manifest)> = vec![(path.to_path_buf(), manifest.clone())];
    if let Some(g) = globals {
        made.push((g.to_path_buf(), archive::manifest_for(g)?));
    }
    for to in &req.mirrors {
        let result = (|| -> Result<Vec<PathBuf>> {
            let mut out = Vec::new();
            for (p, m) in &made {
                let entry = archive::BackupEntry {
                    manifest: m.clone(),
                    path: p.clone(),
                    manifest_path: archive::manifest_path(p),
                    problem: None,
                };
                let r = crate::jobs::copy::copy_one(&entry, to, req.lock_wait)?;
                out.extend(r.copied.into_iter().chain(r.present));
                if let Some(policy) = req.retention.as_ref().filter(|p| !p.is_empty()) {
                    let _lock = crate::store::lock::acquire(to, &m.name, req.lock_wait, "prune")?;
                    prune_locked(to, &m.name, Some(source_id), policy, Utc::now(), false)?;
                }
            }
            Ok(out)
        })();
        match result {
            Ok(c) => copies.extend(c),
            Err(e) => {
                tracing::error!(
                    "backup {} of '{name}' was written, but its copy to mirror {} failed",
                    path.display(),
                    to.display()
                );
                return Err(e);
            }
        }
    }
    Ok(copies)
}

/// Saves the server's roles and tablespaces (`pg_dumpall --globals-only`) as backup
/// `<name>.globals`, with its own manifest, under its own lock.
fn backup_globals(
    req: &BackupRequest,
    name: &str,
    conn: &PgConn,
    server: &pg::PgVersion,
    source_id: &str,
) -> Result<PathBuf> {
    let gname = globals_name(name);
    let _lock = crate::store::lock::acquire(&req.dir, &gname, req.lock_wait, "backup")?;
    archive::clean_stale_partials(&req.dir, &gname)?;
    let tool = pg::find_tool("pg_dumpall", req.pg_bin_dir.as_deref(), Some(server.major))?;
    let mut sink = BackupWriter::create(
        &req.dir,
        &gname,
        Content::PlainSql,
        req.codec,
        threads(req.threads),
        &crate::store::target::recipients(&req.encrypt_to, &[])?,
    )?;
    let target = sink.path().to_path_buf();
    let (mut child, _auth) = pg::spawn_dumpall_globals(&tool, conn)?;
    let copied = io::copy(&mut child, &mut sink);
    if let Err(e) = copied {
        child.kill();
        return Err(Error::io(
            format!("cannot write backup {}", target.display()),
            e,
        ));
    }
    child.finish()?;
    let (path, _) = sink.commit(ManifestSource {
        engine: Engine::Postgresql,
        source: conn.redacted(),
        server_version: server.to_string(),
        dump_tool: format!("pg_dumpall {} --globals-only", tool.version),
        tables: None,
        source_id: Some(source_id.to_string()),
        tags: req.tags.clone(),
        // Pinned with the backup it belongs to: a restore needs both.
        keep_until: req.keep_for.map(|d| Utc::now() + d),
        selection: Vec::new(),
    })?;
    Ok(path)
}

/// Says so when backups of another source already carry this name in the folder: retention keeps
/// each source's backups apart, but the operator should give them different names.
fn warn_name_clash(dir: &Path, name: &str, source_id: &str) -> Result<()> {
    let (entries, _) = archive::scan(dir, Some(name))?;
    let others: std::collections::BTreeSet<String> = entries
        .iter()
        .map(|e| e.manifest.source_identity())
        .filter(|id| id != source_id)
        .collect();
    if !others.is_empty() {
        tracing::warn!(
            "backups named '{name}' in {} also come from {} other source(s); retention keeps each \
             source's backups apart, but give each source its own --name",
            dir.display(),
            others.len()
        );
    }
    Ok(())
}

#[allow(clippy::large_enum_variant)] // one value per run
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
            let _ = std::fs::remove_file(crate::fs::append_ext(&self.0, ext));
        }
    }
}
