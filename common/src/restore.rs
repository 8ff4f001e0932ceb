//! Restoring a backup: checked first, applied whole or not at all.
//!
//! The file's sha256 is checked against its manifest before anything is written. A PostgreSQL
//! restore runs in one transaction with ON_ERROR_STOP, so a failure leaves the target as it was;
//! replacing a non-empty database drops its schemas inside that same transaction. An SQLite
//! restore writes a new file beside the target, checks it, and renames it into place, keeping the
//! previous file as `.bak`.

use std::collections::BTreeMap;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::archive::{self, Content, Manifest};
use crate::codec::{self, Codec};
use crate::error::{Error, IoContext, Result};
use crate::pg::{self, PgAdmin};
use crate::url::{DbUrl, PgConn};
use crate::verify::RestoreTarget;

/// What to restore where.
#[derive(Debug, Clone)]
pub struct RestoreRequest {
    /// The backup file (its manifest must stand beside it).
    pub file: PathBuf,
    /// Target database.
    pub target: DbUrl,
    /// Variable holding the target's password.
    pub password_env: Option<String>,
    /// Create the target database if it does not exist.
    pub create: bool,
    /// Allow replacing the contents of a non-empty target (after confirmation).
    pub force: bool,
    /// pg_dump/psql folder.
    pub pg_bin_dir: Option<PathBuf>,
    /// Mask the data on the way in with these rules (a masked copy from a production backup).
    pub mask: Option<MaskSpec>,
}

/// Masking applied during a restore.
#[derive(Debug, Clone)]
pub struct MaskSpec {
    /// The rules.
    pub rules: crate::mask::Rules,
    /// Use a random salt instead of the rules' salt_env.
    pub random_salt: bool,
}

impl MaskSpec {
    /// The masking context: the salt from the rules' variable, or a random one when asked.
    pub fn context(&self) -> Result<crate::mask::MaskContext> {
        use crate::mask::{MaskContext, Salt};
        if self.random_salt {
            return Ok(MaskContext::new(Salt::random()));
        }
        if self.rules.needs_salt() {
            return Ok(MaskContext::new(Salt::from_env(&self.rules)?));
        }
        Ok(MaskContext::without_salt())
    }
}

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreOutcome {
    /// The target, redacted.
    pub target: String,
    /// Whether the target database was created.
    pub created: bool,
    /// Whether existing contents were replaced.
    pub replaced: bool,
    /// For SQLite: where the previous file was kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<PathBuf>,
    /// Bytes of SQL or database restored.
    pub bytes: u64,
}

/// Checks a backup file against its manifest (size and sha256), reading it once.
pub fn check_checksum(file: &Path) -> Result<Manifest> {
    let manifest = archive::manifest_for(file)?;
    let (size, sha) =
        codec::sha256_file(file).ctx(|| format!("cannot read backup {}", file.display()))?;
    if size != manifest.size {
        return Err(Error::Verify(format!(
            "{}: size is {size} bytes, the manifest says {}; refusing to restore",
            file.display(),
            manifest.size
        )));
    }
    if sha != manifest.sha256 {
        return Err(Error::Verify(format!(
            "{}: sha256 does not match its manifest; refusing to restore a corrupt backup",
            file.display()
        )));
    }
    Ok(manifest)
}

fn open_decoded(file: &Path, manifest: &Manifest) -> Result<Box<dyn io::Read>> {
    let codec: Codec = manifest.codec.parse().map_err(|e| {
        Error::Verify(format!(
            "{}: manifest has an unknown codec: {e}",
            file.display()
        ))
    })?;
    let f = std::fs::File::open(file).ctx(|| format!("cannot open backup {}", file.display()))?;
    codec::decoder(codec, BufReader::with_capacity(256 * 1024, f))
        .ctx(|| format!("cannot decode backup {}", file.display()))
}

/// Restores a backup. `confirm` is asked (with the database name or file path) before the
/// contents of a non-empty target are replaced; it returns whether the operator agreed.
pub fn restore(
    req: &RestoreRequest,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<RestoreOutcome> {
    let manifest = check_checksum(&req.file)?;
    match (&req.target, manifest.content) {
        (DbUrl::Postgres(u), Content::PlainSql) => {
            let conn = PgConn::resolve(u, req.password_env.as_deref())?;
            restore_pg(req, &manifest, &conn, confirm)
        }
        (DbUrl::Sqlite(p), Content::Sqlite3) => restore_sqlite(req, &manifest, p, confirm),
        (t, c) => Err(Error::Usage(format!(
            "{} holds {} data and cannot be restored into {} ({})",
            req.file.display(),
            match c {
                Content::PlainSql => "PostgreSQL",
                Content::Sqlite3 => "SQLite",
            },
            t.redacted(),
            t.engine()
        ))),
    }
}

/// Connects to a maintenance database of the server (`postgres`, else `template1`).
pub fn connect_maintenance(conn: &PgConn) -> Result<PgAdmin> {
    match PgAdmin::connect(&conn.with_dbname("postgres")) {
        Ok(a) => Ok(a),
        Err(first) => PgAdmin::connect(&conn.with_dbname("template1")).map_err(|_| first),
    }
}

fn restore_pg(
    req: &RestoreRequest,
    manifest: &Manifest,
    conn: &PgConn,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<RestoreOutcome> {
    let psql = pg::find_tool("psql", req.pg_bin_dir.as_deref(), None)?;
    let maint = connect_maintenance(conn)?;
    let mut created = false;
    let mut preamble = String::new();
    if !maint.database_exists(&conn.dbname)? {
        if !req.create {
            return Err(Error::Usage(format!(
                "database '{}' does not exist on {}; pass --create to create it",
                conn.dbname,
                conn.with_dbname("postgres").server_key()
            )));
        }
        maint.create_database(&conn.dbname, None)?;
        created = true;
    } else {
        let admin = PgAdmin::connect(conn)?;
        let objects = admin.user_object_count()?;
        if objects > 0 {
            if !req.force {
                return Err(Error::Refused(format!(
                    "database '{}' is not empty ({objects} tables, views, sequences or functions); \
                     pass --force to replace its contents",
                    conn.dbname
                )));
            }
            if !confirm(&conn.dbname)? {
                return Err(Error::Refused(format!(
                    "restore into '{}' not confirmed; nothing was changed",
                    conn.dbname
                )));
            }
            preamble = admin.clean_preamble()?;
        }
    }
    let result = pipe_into_psql(
        &req.file,
        manifest,
        &psql,
        conn,
        &preamble,
        req.mask.as_ref(),
    );
    match result {
        Ok(bytes) => Ok(RestoreOutcome {
            target: conn.redacted(),
            created,
            replaced: !preamble.is_empty(),
            previous: None,
            bytes,
        }),
        Err(e) => {
            if created {
                if let Err(drop_err) = maint.drop_database(&conn.dbname) {
                    tracing::warn!(
                        "could not drop the half-restored database '{}': {drop_err}",
                        conn.dbname
                    );
                }
            }
            Err(e)
        }
    }
}

/// Streams the decoded backup into psql (one transaction). On a decode error psql is killed,
/// never allowed to reach the end of its input, because reaching it would COMMIT. The stream goes
/// through [`crate::dump::for_single_transaction`], so pg_dump's own BEGIN/COMMIT around large
/// objects cannot end the transaction early, and a dump without its completion line is never
/// committed.
fn pipe_into_psql(
    file: &Path,
    manifest: &Manifest,
    psql: &pg::PgTool,
    conn: &PgConn,
    preamble: &str,
    mask: Option<&MaskSpec>,
) -> Result<u64> {
    let decoded = open_decoded(file, manifest)?;
    let mut masker = match mask {
        Some(spec) => Some(crate::mask::Masker::new(&spec.rules, spec.context()?)?),
        None => None,
    };
    let (mut child, _auth) = pg::spawn_psql(psql, conn, true)?;
    if !preamble.is_empty() {
        if let Err(e) = child.write_all(preamble.as_bytes()) {
            let status = child.finish();
            status?;
            return Err(Error::io(
                format!("cannot write to psql for {}", conn.redacted()),
                e,
            ));
        }
    }
    let (result, masked) = match masker.as_mut() {
        None => (
            crate::dump::for_single_transaction(
                BufReader::with_capacity(256 * 1024, decoded),
                Interruptible(&mut child),
            ),
            Ok(()),
        ),
        Some(masker) => {
            // The masker reads the backup here; a second thread feeds its output to psql.
            let (reader, writer) = io::pipe().map_err(|e| Error::io("cannot create a pipe", e))?;
            let feeder = std::thread::spawn(move || {
                let r = crate::dump::for_single_transaction(
                    BufReader::with_capacity(256 * 1024, reader),
                    Interruptible(&mut child),
                );
                (child, r)
            });
            let masked = masker.run(BufReader::with_capacity(256 * 1024, decoded), writer);
            let (returned, r) = feeder
                .join()
                .map_err(|_| Error::Data("the restore thread panicked".into()))?;
            child = returned;
            (r, masked.map(|_| ()))
        }
    };
    // The masker's verdict comes first: psql must never commit what the masker refused.
    if let Err(e) = masked {
        child.kill();
        return Err(Error::from(e));
    }
    match result {
        Ok(r) if r.complete => {
            child.finish()?;
            Ok(r.bytes)
        }
        Ok(_) => {
            child.kill();
            Err(Error::Verify(format!(
                "{}: the dump does not end with pg_dump's completion line; the restore was rolled back",
                file.display()
            )))
        }
        Err(crate::dump::DumpError::Write { source }) => {
            if crate::interrupt::requested() {
                child.kill();
                return Err(Error::Refused(
                    "interrupted; the restore was rolled back".into(),
                ));
            }
            // psql stopped reading: it hit an error; its own message says which.
            let status = child.finish();
            status?;
            Err(Error::io(
                format!("psql stopped reading the restore of {}", conn.redacted()),
                source,
            ))
        }
        Err(e) => {
            child.kill();
            Err(Error::Verify(format!(
                "{}: cannot read the backup stream: {e}; the restore was rolled back",
                file.display()
            )))
        }
    }
}

/// A writer that fails once a stop was requested, so stream loops end through their error path.
struct Interruptible<W>(W);

impl<W: Write> Write for Interruptible<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::interrupt::check()?;
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

fn sqlite_is_empty(path: &Path) -> Result<bool> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size == 0 {
        return Ok(true);
    }
    Ok(crate::sqlite::row_counts(path)?.is_empty())
}

struct TempPath(PathBuf);

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn restore_sqlite(
    req: &RestoreRequest,
    manifest: &Manifest,
    target: &Path,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<RestoreOutcome> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "folder {} of the target {} does not exist",
            dir.display(),
            target.display()
        )));
    }
    let exists = target.exists();
    let mut replaced = false;
    if exists && !sqlite_is_empty(target)? {
        if !req.force {
            return Err(Error::Refused(format!(
                "{} is not empty; pass --force to replace it (the previous file is kept as .bak)",
                target.display()
            )));
        }
        let shown = target.display().to_string();
        if !confirm(&shown)? {
            return Err(Error::Refused(format!(
                "restore into {shown} not confirmed; nothing was changed"
            )));
        }
        replaced = true;
    }
    let fname = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    let tmp = TempPath(dir.join(format!(
        ".{fname}.restore-{}{}",
        std::process::id(),
        archive::PARTIAL
    )));
    let bytes = {
        let mut decoded = open_decoded(&req.file, manifest)?;
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp.0)
            .ctx(|| format!("cannot create {}", tmp.0.display()))?;
        let n = io::copy(&mut decoded, &mut out).map_err(|e| {
            Error::Verify(format!(
                "{}: cannot decode the backup stream: {e}",
                req.file.display()
            ))
        })?;
        out.flush()
            .ctx(|| format!("cannot write {}", tmp.0.display()))?;
        n
    };
    crate::sqlite::integrity_check(&tmp.0)?;
    if let Some(spec) = &req.mask {
        crate::mask_live::apply_sqlite(&tmp.0, &spec.rules, std::sync::Arc::new(spec.context()?))?;
    }
    let previous = crate::sqlite::swap_into_place(&tmp.0, target)?;
    Ok(RestoreOutcome {
        target: format!("sqlite://{}", target.display()),
        created: !exists,
        replaced,
        previous,
        bytes,
    })
}

/// Restores into a scratch target for `verify --restore-test` and returns its row counts. A
/// database created here is dropped again; an existing one must be empty.
pub fn restore_scratch(
    file: &Path,
    manifest: &Manifest,
    target: &RestoreTarget,
) -> Result<BTreeMap<String, u64>> {
    match (&target.url, manifest.content) {
        (DbUrl::Postgres(u), Content::PlainSql) => {
            let conn = PgConn::resolve(u, None)?;
            let psql = pg::find_tool("psql", target.pg_bin_dir.as_deref(), None)?;
            let maint = connect_maintenance(&conn)?;
            let created = if maint.database_exists(&conn.dbname)? {
                let admin = PgAdmin::connect(&conn)?;
                if admin.user_object_count()? > 0 {
                    return Err(Error::Refused(format!(
                        "scratch database '{}' is not empty; give a new or empty database for --restore-test",
                        conn.dbname
                    )));
                }
                false
            } else {
                maint.create_database(&conn.dbname, None)?;
                true
            };
            let result = pipe_into_psql(file, manifest, &psql, &conn, "", None)
                .and_then(|_| PgAdmin::connect(&conn)?.row_counts());
            if created {
                if let Err(e) = maint.drop_database(&conn.dbname) {
                    tracing::warn!("could not drop scratch database '{}': {e}", conn.dbname);
                }
            }
            result
        }
        (DbUrl::Sqlite(p), Content::Sqlite3) => {
            if p.exists() {
                return Err(Error::Refused(format!(
                    "scratch file {} exists; give a path that does not exist for --restore-test",
                    p.display()
                )));
            }
            let tmp = TempPath(p.clone());
            {
                let mut decoded = open_decoded(file, manifest)?;
                let mut out = std::fs::File::create(&tmp.0)
                    .ctx(|| format!("cannot create {}", tmp.0.display()))?;
                io::copy(&mut decoded, &mut out)
                    .ctx(|| format!("cannot restore into {}", tmp.0.display()))?;
            }
            crate::sqlite::integrity_check(&tmp.0)?;
            crate::sqlite::row_counts(&tmp.0)
        }
        (t, _) => Err(Error::Usage(format!(
            "--restore-test target {} is a different engine than the backup",
            t.redacted()
        ))),
    }
}
