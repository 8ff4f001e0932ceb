//! Refreshing a staging database from production: masked, verified, swapped in whole.
//!
//! PostgreSQL: `pg_dump` of the source streams through the masker into `psql`, which loads a new
//! database `<target>__incoming` on the target server. Production data never touches the disk
//! unmasked. The new copy is verified (row counts equal to what was streamed, schema fingerprint
//! equal to the source's, sequences ahead of their columns, no original value of a masked column
//! in it), and only then swapped in by renames. Anything failing before the swap drops the
//! half-built database and leaves staging exactly as it was.
//!
//! SQLite (blue/green): the source is snapshotted with the online backup API next to the target,
//! masked in place, checked, and renamed over the target, keeping the previous file as `.bak`.

use std::collections::BTreeMap;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::backup::{BackupWriter, ManifestSource};
use crate::codec::Codec;
use crate::error::{Error, Result};
use crate::mask::{MaskContext, Masker, Rules};
use crate::mask_live::{self, Finding, FindingKind, LeakReport};
use crate::pg::{self, quote_ident, DumpOptions, PgAdmin};
use crate::url::{DbUrl, Engine, PgConn};

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
    /// Masking rules.
    pub rules: Rules,
    /// Makes a masking context (the masker and the leak check each need one).
    pub context: Box<dyn Fn() -> Result<MaskContext> + Send + Sync>,
    /// Also write the masked stream as a normal backup into this folder.
    pub keep_dump: Option<PathBuf>,
    /// How many masked backups to keep in that folder (older ones are pruned, never below one).
    pub keep_dumps: u32,
    /// Keep the previous staging database (as `<target>__previous`) for `rollback`.
    pub keep_previous: bool,
    /// Columns (`schema.table.column`) accepted unmasked although lint flags them.
    pub allow_unmasked: Vec<String>,
    /// Whether the target is marked protected in the config.
    pub target_protected: bool,
    /// Explicit override for a protected target.
    pub allow_protected: bool,
    /// pg_dump/psql folder.
    pub pg_bin_dir: Option<PathBuf>,
    /// Original values sampled per masked column for the leak check.
    pub leak_sample: usize,
    /// Tables copied in parallel (PostgreSQL); 1 streams one dump.
    pub jobs: usize,
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

struct Phases {
    start: Instant,
    list: Vec<(String, f64)>,
}

impl Phases {
    fn new() -> Phases {
        Phases {
            start: Instant::now(),
            list: Vec::new(),
        }
    }
    fn done(&mut self, name: &str) {
        let secs = self.start.elapsed().as_secs_f64();
        tracing::info!("{name}: done in {secs:.1}s");
        self.list
            .push((name.to_string(), (secs * 100.0).round() / 100.0));
        self.start = Instant::now();
    }
}

/// Refuses a refresh whose rules leave something personal unmasked, unless accepted by name.
fn check_lint(findings: Vec<Finding>, allow: &[String]) -> Result<()> {
    let blocking: Vec<Finding> = findings
        .into_iter()
        .filter(|f| {
            let key = match &f.column {
                Some(c) => format!("{}.{}", f.table, c),
                None => f.table.clone(),
            };
            let acceptable = matches!(
                f.kind,
                FindingKind::LooksPersonal | FindingKind::UnclassifiedTable
            );
            !(acceptable && allow.iter().any(|a| a == &key))
        })
        .collect();
    if blocking.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = blocking
        .iter()
        .take(12)
        .map(|f| {
            format!(
                "  {:?} {}{}: {}",
                f.kind,
                f.table,
                f.column
                    .as_ref()
                    .map(|c| format!(".{c}"))
                    .unwrap_or_default(),
                f.detail
            )
        })
        .collect();
    Err(Error::Refused(format!(
        "the masking rules do not cover the source safely ({} finding(s)); fix the rules, or accept a column knowingly with --allow-unmasked TABLE.COLUMN:\n{}",
        blocking.len(),
        lines.join("\n")
    )))
}

/// Refreshes the target from the source.
pub fn run(req: &SyncRequest) -> Result<SyncReport> {
    if req.target_protected && !req.allow_protected {
        return Err(Error::Refused(format!(
            "{} is marked protected; refusing to overwrite it (pass --allow-protected-target if you really mean it)",
            req.to.redacted()
        )));
    }
    match (&req.from, &req.to) {
        (DbUrl::Postgres(f), DbUrl::Postgres(t)) => {
            let src = PgConn::resolve(f, req.from_password_env.as_deref())?;
            let dst = PgConn::resolve(t, req.to_password_env.as_deref())?;
            run_pg(req, &src, &dst)
        }
        (DbUrl::Sqlite(f), DbUrl::Sqlite(t)) => run_sqlite(req, f, t),
        _ => Err(Error::Usage(format!(
            "source and target must be the same engine; got {} and {}",
            req.from.engine(),
            req.to.engine()
        ))),
    }
}

/// Drops the incoming database unless disarmed: whatever fails before the swap, staging stays as
/// it was and nothing half-built is left behind.
struct IncomingGuard<'a> {
    maint: &'a PgAdmin,
    name: String,
    armed: bool,
}

impl Drop for IncomingGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            if let Err(e) = self.maint.drop_database(&self.name) {
                tracing::warn!(
                    "could not drop the half-built database '{}': {e}",
                    self.name
                );
            }
        }
    }
}

fn run_pg(req: &SyncRequest, src: &PgConn, dst: &PgConn) -> Result<SyncReport> {
    let mut phases = Phases::new();
    let mut report = SyncReport {
        source: src.redacted(),
        target: dst.redacted(),
        ..SyncReport::default()
    };
    let src_admin = PgAdmin::connect(src)?;
    let maint = crate::restore::connect_maintenance(dst)?;
    if src_admin.system_identifier()? == maint.system_identifier()? && src.dbname == dst.dbname {
        return Err(Error::Refused(format!(
            "the target {} is the source itself (same server and database); refusing",
            dst.redacted()
        )));
    }
    let server = src_admin.server_version()?;
    let pg_dump = pg::find_tool("pg_dump", req.pg_bin_dir.as_deref(), Some(server.major))?;
    let psql = pg::find_tool("psql", req.pg_bin_dir.as_deref(), None)?;
    let tables = crate::schema::pg_tables(&src_admin)?;
    let findings = mask_live::lint(&req.rules, &tables, &mut |t, c| {
        mask_live::pg_sample(&src_admin, t, c, 200)
    })?;
    check_lint(findings, &req.allow_unmasked)?;
    let incoming = format!("{}__incoming", dst.dbname);
    if maint.database_exists(&incoming)? {
        tracing::warn!("dropping '{incoming}', left over from an interrupted refresh");
        maint.drop_database(&incoming)?;
    }
    let owner = if maint.database_exists(&dst.dbname)? {
        maint
            .query_text(&format!(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = {}",
                pg::quote_literal(&dst.dbname)
            ))?
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
    } else {
        None
    };
    maint.create_database(&incoming, owner.as_deref())?;
    let mut guard = IncomingGuard {
        maint: &maint,
        name: incoming.clone(),
        armed: true,
    };
    phases.done("preflight");

    let incoming_conn = dst.with_dbname(&incoming);
    let streamed = if req.jobs > 1 {
        if req.keep_dump.is_some() {
            return Err(Error::Usage(
                "--keep-dump writes one stream: use it with --jobs 1".into(),
            ));
        }
        let c = crate::sync_parallel::copy_parallel(
            req,
            src,
            &src_admin,
            &pg_dump,
            &psql,
            &incoming_conn,
        )?;
        report.bytes = c.bytes;
        report.masked_values = c.masked_values;
        c.rows
    } else {
        copy_stream(req, src, &pg_dump, &psql, &incoming_conn, &mut report)?
    };
    report.tables = streamed.len();
    report.rows = streamed.values().sum();
    phases.done("copy");

    let copy_admin = PgAdmin::connect(&incoming_conn)?;
    verify_copy(&src_admin, &copy_admin, &streamed)?;
    let leak_ctx = (req.context)()?;
    let leaks = mask_live::leak_check_pg(
        &src_admin,
        &copy_admin,
        &req.rules,
        &leak_ctx,
        req.leak_sample,
    )?;
    report.masked_columns = leaks.columns;
    if !leaks.leaks.is_empty() {
        return Err(Error::Verify(format!(
            "leak check failed: original values of {} masked column(s) appear in the copy ({}); staging was not changed",
            leaks.leaks.len(),
            leaks.leaks.iter().map(|l| format!("{}.{}", l.table, l.column)).collect::<Vec<_>>().join(", ")
        )));
    }
    report.leaks = Some(leaks);
    drop(copy_admin);
    phases.done("verify");

    report.previous = swap_in(&maint, &dst.dbname, &incoming, req.keep_previous)?;
    guard.armed = false;
    phases.done("swap");
    report.phases = phases.list;
    Ok(report)
}

/// Writes to psql and, with --keep-dump, to a backup file at the same time.
struct Tee<'a> {
    psql: &'a mut crate::process::ChildWriter,
    backup: Option<&'a mut BackupWriter>,
}

impl Write for Tee<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::interrupt::check()?;
        self.psql.write_all(buf)?;
        if let Some(b) = self.backup.as_mut() {
            b.write_all(buf)?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.psql.flush()
    }
}

/// One pg_dump stream through the masker into psql (one transaction). Returns rows per table.
fn copy_stream(
    req: &SyncRequest,
    src: &PgConn,
    pg_dump: &pg::PgTool,
    psql: &pg::PgTool,
    incoming: &PgConn,
    report: &mut SyncReport,
) -> Result<BTreeMap<String, u64>> {
    let opts = DumpOptions {
        no_owner: true,
        no_privileges: true,
        ..DumpOptions::default()
    };
    let name = format!(
        "{}_masked",
        crate::url::sanitize_name(&incoming.dbname.replace("__incoming", ""))
    );
    let mut backup = match &req.keep_dump {
        Some(dir) => {
            crate::archive::ensure_dir(dir)?;
            Some((
                crate::lock::acquire(dir, &name, std::time::Duration::ZERO, "sync")?,
                BackupWriter::create(
                    dir,
                    &name,
                    crate::archive::Content::PlainSql,
                    Codec::Gzip { level: 6 },
                    2,
                )?,
            ))
        }
        None => None,
    };
    let (mut dump, _a1) = pg::spawn_dump(pg_dump, src, &opts)?;
    let (mut load, _a2) = pg::spawn_psql(psql, incoming, true)?;
    let mut masker = Masker::new(&req.rules, (req.context)()?)?;
    let result = {
        let mut tee = Tee {
            psql: &mut load,
            backup: backup.as_mut().map(|(_, w)| w),
        };
        masker.run(BufReader::with_capacity(256 * 1024, &mut dump), &mut tee)
    };
    let mask_report = match result {
        Ok(r) => r,
        Err(crate::mask::MaskError::Write(w)) if !crate::interrupt::requested() => {
            // psql stopped reading: its own error says why. It never saw the end of its input,
            // so nothing was committed.
            dump.kill();
            load.finish()?;
            return Err(Error::io(
                format!("psql stopped reading the copy into {}", incoming.redacted()),
                w,
            ));
        }
        Err(e) => {
            // Never let psql reach the end of its input: that would COMMIT.
            load.kill();
            let dump_status = dump.finish();
            if crate::interrupt::requested() {
                return Err(Error::Refused(
                    "interrupted; staging was not changed".into(),
                ));
            }
            dump_status?;
            return Err(Error::from(e));
        }
    };
    if let Err(e) = dump.finish() {
        load.kill();
        return Err(e.into());
    }
    load.finish()?;
    report.bytes = mask_report.bytes_in;
    report.masked_values = mask_report.tables.values().map(|t| t.masked_values).sum();
    if let Some((_lock, writer)) = backup {
        let tables = mask_report
            .tables
            .iter()
            .map(|(k, v)| (k.to_string(), v.rows))
            .collect::<BTreeMap<_, _>>();
        let (path, _) = writer.commit(ManifestSource {
            engine: Engine::Postgresql,
            source: format!("{} (masked)", src.redacted()),
            server_version: String::new(),
            dump_tool: format!("pg_dump {} | mask-tool", pg_dump.version),
            tables: Some(tables),
        })?;
        report.kept_dump = Some(path);
    }
    // The lock above is released by now; retention takes it again.
    prune_kept(req, &name)?;
    Ok(mask_report
        .tables
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.rows))
        .collect())
}

/// Keeps the newest `keep_dumps` masked backups of this refresh, as `backup-tool prune` would.
fn prune_kept(req: &SyncRequest, name: &str) -> Result<()> {
    if let Some(dir) = &req.keep_dump {
        let policy = crate::retention::RetentionPolicy {
            keep_last: Some(req.keep_dumps.max(1)),
            min_keep: Some(1),
            ..Default::default()
        };
        crate::backup::prune(
            dir,
            Some(name),
            &policy,
            chrono::Utc::now(),
            false,
            std::time::Duration::from_secs(30),
        )?;
    }
    Ok(())
}

/// The checks before a swap: row counts equal to what was streamed, schema fingerprint equal to
/// the source's, and every sequence at or beyond the largest value of the column it feeds.
pub fn verify_copy(
    source: &PgAdmin,
    copy: &PgAdmin,
    streamed: &BTreeMap<String, u64>,
) -> Result<()> {
    let counts = copy.row_counts()?;
    let mut problems = Vec::new();
    for (table, rows) in streamed {
        let got = counts.get(table).copied().unwrap_or(0);
        if got != *rows {
            problems.push(format!("{table}: {rows} rows streamed, {got} in the copy"));
        }
    }
    let (a, b) = (
        crate::drift::pg_snapshot(source)?,
        crate::drift::pg_snapshot(copy)?,
    );
    let changes = crate::drift::compare(&a, &b);
    if !changes.is_empty() {
        let first: Vec<String> = changes.iter().take(5).map(|c| format!("{c:?}")).collect();
        problems.push(format!(
            "schema fingerprint differs from the source's ({} difference(s), first: {})",
            changes.len(),
            first.join("; ")
        ));
    }
    let seqs = copy.query_text(
        "SELECT format('%I.%I', sn.nspname, s.relname), format('%I.%I', tn.nspname, t.relname), quote_ident(a.attname) \
         FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' \
         JOIN pg_namespace sn ON sn.oid = s.relnamespace \
         JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid \
         WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a','i')",
    )?;
    for r in seqs {
        if let [seq, table, col] = r.as_slice() {
            let ok = copy.query_text(&format!(
                "SELECT (SELECT coalesce(max({col})::numeric, 0) FROM {table}) <= \
                        (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {seq})"
            ))?;
            if ok.first().and_then(|r| r.first()).map(String::as_str) != Some("t") {
                problems.push(format!(
                    "sequence {seq} is behind the values in {table}.{col}"
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Verify(format!(
            "the new copy failed verification; staging was not changed:\n  {}",
            problems.join("\n  ")
        )))
    }
}

/// Puts `incoming` in place of `target`: connections to the old database are blocked and ended,
/// then two renames. The old database is dropped, or kept as `<target>__previous`.
pub fn swap_in(
    maint: &PgAdmin,
    target: &str,
    incoming: &str,
    keep_previous: bool,
) -> Result<Option<String>> {
    let previous = format!("{target}__previous");
    let exists = maint.database_exists(target)?;
    if exists {
        if maint.database_exists(&previous)? {
            maint.drop_database(&previous)?;
        }
        rename_blocking(maint, target, &previous)?;
    }
    if let Err(e) = maint.execute(&format!(
        "ALTER DATABASE {} RENAME TO {}",
        quote_ident(incoming),
        quote_ident(target)
    )) {
        if exists {
            let _ = maint.execute(&format!(
                "ALTER DATABASE {} RENAME TO {}",
                quote_ident(&previous),
                quote_ident(target)
            ));
            let _ = maint.execute(&format!(
                "ALTER DATABASE {} WITH ALLOW_CONNECTIONS true",
                quote_ident(target)
            ));
        }
        return Err(e);
    }
    if !exists {
        return Ok(None);
    }
    if keep_previous {
        Ok(Some(previous))
    } else {
        maint.drop_database(&previous)?;
        Ok(None)
    }
}

/// Renames a database that may have sessions: new connections are refused first, existing ones
/// ended, and the rename retried briefly while they go away. On failure connections are allowed
/// again.
fn rename_blocking(maint: &PgAdmin, from: &str, to: &str) -> Result<()> {
    maint.execute(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS false",
        quote_ident(from)
    ))?;
    let mut last = None;
    for _ in 0..25 {
        maint.terminate_sessions(from)?;
        match maint.execute(&format!(
            "ALTER DATABASE {} RENAME TO {}",
            quote_ident(from),
            quote_ident(to)
        )) {
            Ok(()) => {
                maint.execute(&format!(
                    "ALTER DATABASE {} WITH ALLOW_CONNECTIONS true",
                    quote_ident(to)
                ))?;
                return Ok(());
            }
            Err(e) => {
                last = Some(e);
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
        }
    }
    let _ = maint.execute(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS true",
        quote_ident(from)
    ));
    Err(last.unwrap_or_else(|| Error::Postgres(format!("cannot rename database '{from}'"))))
}

/// Puts the previous staging database back (kept by `--keep-previous`); the refreshed one is dropped.
pub fn rollback_pg(dst: &PgConn) -> Result<String> {
    let maint = crate::restore::connect_maintenance(dst)?;
    let previous = format!("{}__previous", dst.dbname);
    if !maint.database_exists(&previous)? {
        return Err(Error::Usage(format!(
            "there is no '{previous}' to roll back to (refresh with --keep-previous to keep one)"
        )));
    }
    let discarded = format!("{}__rolled_back", dst.dbname);
    if maint.database_exists(&discarded)? {
        maint.drop_database(&discarded)?;
    }
    if maint.database_exists(&dst.dbname)? {
        rename_blocking(&maint, &dst.dbname, &discarded)?;
    }
    rename_blocking(&maint, &previous, &dst.dbname)?;
    maint.drop_database(&discarded)?;
    Ok(dst.dbname.clone())
}

fn run_sqlite(req: &SyncRequest, from: &Path, to: &Path) -> Result<SyncReport> {
    let mut phases = Phases::new();
    let mut report = SyncReport {
        source: format!("sqlite://{}", from.display()),
        target: format!("sqlite://{}", to.display()),
        ..SyncReport::default()
    };
    let src = crate::sqlite::open_existing(from)?;
    if let (Ok(a), Ok(b)) = (std::fs::canonicalize(from), std::fs::canonicalize(to)) {
        if a == b {
            return Err(Error::Refused(format!(
                "the target {} is the source itself; refusing",
                to.display()
            )));
        }
    }
    let tables = crate::schema::sqlite_tables(&src, from)?;
    let findings = mask_live::lint(&req.rules, &tables, &mut |t, c| {
        mask_live::sqlite_sample(&src, t, c, 200)
    })?;
    check_lint(findings, &req.allow_unmasked)?;
    drop(src);
    let dir = match to.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fname = to
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    let incoming = IncomingFile(dir.join(format!(
        ".{fname}.incoming-{}{}",
        std::process::id(),
        crate::archive::PARTIAL
    )));
    phases.done("preflight");
    crate::sqlite::snapshot(from, &incoming.0)?;
    let source_counts = crate::sqlite::row_counts(&incoming.0)?;
    phases.done("copy");
    let ctx = std::sync::Arc::new((req.context)()?);
    let applied = mask_live::apply_sqlite(&incoming.0, &req.rules, std::sync::Arc::clone(&ctx))?;
    report.masked_values = applied.tables.values().map(|s| s.values).sum();
    phases.done("mask");
    crate::sqlite::integrity_check(&incoming.0)?;
    let counts = crate::sqlite::row_counts(&incoming.0)?;
    if counts != source_counts {
        return Err(Error::Verify(
            "row counts changed while masking; the target was not changed".into(),
        ));
    }
    let (a, b) = (
        crate::drift::sqlite_snapshot(from)?,
        crate::drift::sqlite_snapshot(&incoming.0)?,
    );
    if !crate::drift::compare(&a, &b).is_empty() {
        return Err(Error::Verify(
            "the masked copy's schema differs from the source's; the target was not changed".into(),
        ));
    }
    let leaks = mask_live::leak_check_sqlite(from, &incoming.0, &req.rules, &ctx, req.leak_sample)?;
    report.masked_columns = leaks.columns;
    if !leaks.leaks.is_empty() {
        return Err(Error::Verify(format!(
            "leak check failed for {} column(s); the target was not changed",
            leaks.leaks.len()
        )));
    }
    report.leaks = Some(leaks);
    report.tables = counts.len();
    report.rows = counts.values().sum();
    if let Some(kd) = &req.keep_dump {
        crate::archive::ensure_dir(kd)?;
        let name = format!(
            "{}_masked",
            crate::url::sanitize_name(&fname.replace('.', "_"))
        );
        let _lock = crate::lock::acquire(kd, &name, std::time::Duration::ZERO, "sync")?;
        let mut w = BackupWriter::create(
            kd,
            &name,
            crate::archive::Content::Sqlite3,
            Codec::Gzip { level: 6 },
            2,
        )?;
        let mut f = std::fs::File::open(&incoming.0)
            .map_err(|e| Error::io(format!("cannot read {}", incoming.0.display()), e))?;
        io::copy(&mut f, &mut w)
            .map_err(|e| Error::io(format!("cannot write backup {}", w.path().display()), e))?;
        let (path, _) = w.commit(ManifestSource {
            engine: Engine::Sqlite,
            source: format!("sqlite://{} (masked)", from.display()),
            server_version: crate::sqlite::library_version(),
            dump_tool: "sqlite online backup | mask-tool".into(),
            tables: Some(counts.clone()),
        })?;
        report.kept_dump = Some(path);
        drop(_lock);
        prune_kept(req, &name)?;
    }
    phases.done("verify");
    let bak = crate::sqlite::swap_into_place(&incoming.0, to)?;
    report.previous = bak.map(|p| p.display().to_string());
    phases.done("swap");
    report.phases = phases.list;
    Ok(report)
}

/// The SQLite copy being built, removed however the run ends (a no-op after the swap moved it).
struct IncomingFile(PathBuf);

impl Drop for IncomingFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        for ext in ["-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(crate::sqlite::append_ext(&self.0, ext));
        }
    }
}
