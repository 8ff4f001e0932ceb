//! Restoring a backup: applied whole or not at all.
//!
//! The stored file is read once: decoded, and its size and sha256 checked against the manifest
//! as it passes ([`CheckedBackup`]). A PostgreSQL restore is one transaction that only commits
//! after the whole stream was read and checked ([`crate::engine::pipe`]); replacing a non-empty
//! database drops its schemas inside that same transaction, so a failure, or the tool killed at
//! any moment, leaves the target as it was. An SQLite restore writes a new file beside the
//! target, checks it, and renames it into place, keeping the previous file as `.bak`.

use std::collections::BTreeMap;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::conn::{DbUrl, PgConn};
use crate::engine::pg::{self, PgAdmin};
use crate::engine::pipe::{self, Load, Source};
use crate::error::{Error, IoContext, Result};
use crate::jobs::guard::{self, Intent};
use crate::jobs::parallel_restore::Session;
use crate::store::archive::{self, Content, Manifest};
use crate::store::reader::CheckedBackup;

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
    pub mask: Option<crate::jobs::masking::MaskSpec>,
    /// Apply the roles and tablespaces saved with the backup (`backup --globals`) first.
    pub globals: bool,
    /// Restore a file without a manifest (a dump of the old scripts): its checksum cannot be
    /// checked against anything, and the outcome says so.
    pub unverified: bool,
    /// Environments the target must not be (see [`crate::jobs::guard`]).
    pub protected: Vec<crate::jobs::guard::Protected>,
    /// Sessions loading a parallel backup (`backup --jobs`) at once; 1 loads with one psql.
    pub jobs: usize,
    /// Leave out ownership (`ALTER ... OWNER TO`): the objects belong to the restoring role.
    pub no_owner: bool,
    /// Restore as this role (`SET ROLE`): the objects belong to it (implies `no_owner`).
    pub role: Option<String>,
    /// Restore only these tables (pg_dump `--table` patterns), with what belongs to them.
    pub tables: Vec<String>,
    /// Restore only these schemas (pg_dump `--schema` patterns).
    pub schemas: Vec<String>,
    /// The operator's explicit override of `protected`.
    pub allow_protected: bool,
}

/// The backup of `name` in `dir` to restore: the newest good one, or with `at` the newest not
/// newer than `at`.
pub fn choose_backup(
    dir: &Path,
    name: &str,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<PathBuf> {
    let (entries, _) = archive::scan(dir, Some(name))?;
    entries
        .iter()
        .rev()
        .filter(|e| e.is_good())
        .find(|e| at.is_none_or(|t| e.manifest.started_at <= t))
        .map(|e| e.path.clone())
        .ok_or_else(|| {
            Error::Usage(match at {
                Some(t) => format!(
                    "no good backup of '{name}' in {} taken at or before {}",
                    dir.display(),
                    t.format("%Y-%m-%dT%H:%M:%SZ")
                ),
                None => format!("no good backup of '{name}' in {}", dir.display()),
            })
        })
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
    /// Whether the backup had no manifest to check it against (`--unverified`).
    pub unverified: bool,
}

/// Reads a backup's manifest and checks the file's size against it (the sha256 is checked while
/// the file is read for the restore itself).
pub fn manifest_checked(file: &Path) -> Result<Manifest> {
    // A file that is not there is that, before it is a file without a manifest.
    let size = crate::store::folder::size(file)?.ok_or_else(|| {
        Error::io(
            format!("cannot open backup {}", file.display()),
            std::io::Error::from_raw_os_error(libc::ENOENT),
        )
    })?;
    let manifest = archive::manifest_for(file)?;
    if size != manifest.size {
        return Err(Error::Verify(format!(
            "{}: size is {size} bytes, the manifest says {}; refusing to restore",
            file.display(),
            manifest.size
        )));
    }
    Ok(manifest)
}

/// Restores a backup. `confirm` is asked (with the database name or file path) before the
/// contents of a non-empty target are replaced; it returns whether the operator agreed.
pub fn restore(
    req: &RestoreRequest,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<RestoreOutcome> {
    if crate::store::folder::size(&req.file)?.is_none() {
        return Err(Error::io(
            format!("cannot open backup {}", req.file.display()),
            std::io::Error::from_raw_os_error(libc::ENOENT),
        ));
    }
    let remote = crate::store::folder::is_remote(&req.file);
    let manifest = if req.unverified && !remote && !archive::manifest_path(&req.file).exists() {
        tracing::warn!(
            "{} has no manifest: restoring it unverified (no checksum to compare with)",
            req.file.display()
        );
        archive::legacy_manifest(&req.file)?
    } else {
        manifest_checked(&req.file)?
    };
    let target = guard::identify(&req.target, req.password_env.as_deref())?;
    guard::check(&Intent {
        action: "restore into",
        target: &target,
        source: None,
        protected: &req.protected,
        allow_protected: req.allow_protected,
    })?;
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

fn restore_pg(
    req: &RestoreRequest,
    manifest: &Manifest,
    conn: &PgConn,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<RestoreOutcome> {
    let psql = pg::find_tool("psql", req.pg_bin_dir.as_deref(), None)?;
    let remote = crate::store::folder::is_remote(&req.file);
    let parallel = req.jobs > 1 && !manifest.members.is_empty() && !remote;
    if req.jobs > 1 && manifest.members.is_empty() {
        tracing::warn!(
            "{} was written as one stream (a backup without --jobs, or encrypted): restoring it \
             with one session",
            req.file.display()
        );
    } else if req.jobs > 1 && remote {
        tracing::warn!(
            "{} is read from object storage as one stream: restoring it with one session",
            req.file.display()
        );
    }
    if parallel && req.mask.is_some() {
        return Err(Error::Usage(
            "--jobs cannot be combined with --mask (a masked restore runs on one session)".into(),
        ));
    }
    let maint = PgAdmin::connect_maintenance(conn)?;
    if req.globals {
        apply_globals(&req.file, manifest, &maint)?;
    }
    let session = session_for(req, &maint)?;
    if !req.tables.is_empty() || !req.schemas.is_empty() {
        return restore_selected(req, manifest, conn, &psql, &maint, &session, confirm);
    }
    if !maint.database_exists(&conn.dbname)? {
        if !req.create {
            return Err(Error::Usage(format!(
                "database '{}' does not exist on {}; pass --create to create it",
                conn.dbname,
                conn.with_dbname("postgres").redacted()
            )));
        }
        let bytes = build_beside(
            req, manifest, &psql, &maint, conn, &session, parallel, false,
        )?;
        return Ok(RestoreOutcome {
            target: conn.redacted(),
            created: true,
            replaced: false,
            previous: None,
            bytes,
            unverified: req.unverified,
        });
    }
    let admin = PgAdmin::connect(conn)?;
    let objects = admin.user_object_count()?;
    let mut preamble = String::new();
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
    }
    if parallel {
        // Several sessions cannot share one transaction: the new content is built as a new
        // database beside the target (empty or not) and swapped in once complete and checked.
        drop(admin);
        let bytes = build_beside(req, manifest, &psql, &maint, conn, &session, true, true)?;
        return Ok(RestoreOutcome {
            target: conn.redacted(),
            created: false,
            replaced: objects > 0,
            previous: None,
            bytes,
            unverified: req.unverified,
        });
    }
    if objects > 0 {
        // Emptying the database is part of the restore's own transaction: it only takes effect
        // if the whole new content commits.
        preamble = admin.clean_preamble()?;
    }
    drop(admin);
    let replaced = !preamble.is_empty();
    let bytes = pipe_into_psql(
        &req.file,
        manifest,
        &psql,
        conn,
        &format!("{}{preamble}", session.preamble),
        req.mask.as_ref(),
        session.script,
    )?;
    Ok(RestoreOutcome {
        target: conn.redacted(),
        created: false,
        replaced,
        previous: None,
        bytes,
        unverified: req.unverified,
    })
}

/// The restoring sessions, from `--role` and `--no-owner`; a role that does not exist or that
/// the connecting user cannot become is refused before anything changes.
fn session_for(req: &RestoreRequest, maint: &PgAdmin) -> Result<Session> {
    let mut preamble = String::new();
    if let Some(role) = &req.role {
        let rows = maint.query_text(&format!(
            "SELECT pg_has_role(current_user, oid, 'MEMBER')::text FROM pg_roles WHERE rolname = {}",
            pg::quote_literal(role)
        ))?;
        match rows.first().and_then(|r| r.first()).map(String::as_str) {
            None => return Err(Error::Usage(format!("--role: role '{role}' does not exist on the target server"))),
            Some("true") => {}
            Some(_) => {
                return Err(Error::Usage(format!(
                    "--role: the connecting user is not a member of role '{role}' and cannot restore as it"
                )))
            }
        }
        preamble = format!("SET ROLE {};\n", pg::quote_ident(role));
    }
    Ok(Session {
        preamble,
        script: dump::ScriptOptions {
            no_owner: req.no_owner || req.role.is_some(),
        },
    })
}

/// Restores only some tables or schemas (`--table`, `--schema`): the whole backup is restored
/// into a scratch database beside the target (dropped afterwards, however the run ends), and
/// pg_dump takes the selected objects from it, with their indexes, constraints, triggers and
/// owned sequences, into the target in one transaction. With `--force` the selected objects
/// that exist in the target are dropped first, in that same transaction.
#[allow(clippy::too_many_arguments)]
fn restore_selected(
    req: &RestoreRequest,
    manifest: &Manifest,
    conn: &PgConn,
    psql: &pg::PgTool,
    maint: &PgAdmin,
    session: &Session,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<RestoreOutcome> {
    if req.mask.is_some() {
        return Err(Error::Usage(
            "--table and --schema cannot be combined with --mask".into(),
        ));
    }
    let mut created = false;
    if !maint.database_exists(&conn.dbname)? {
        if !req.create {
            return Err(Error::Usage(format!(
                "database '{}' does not exist on {}; pass --create to create it",
                conn.dbname,
                conn.with_dbname("postgres").redacted()
            )));
        }
        maint.create_database(&conn.dbname, None)?;
        created = true;
    } else if PgAdmin::connect(conn)?.user_object_count()? > 0 {
        if !req.force {
            return Err(Error::Refused(format!(
                "database '{}' is not empty; pass --force to restore the selected objects into it \
                 (existing ones of the same names are replaced)",
                conn.dbname
            )));
        }
        if !confirm(&conn.dbname)? {
            return Err(Error::Refused(format!(
                "restore into '{}' not confirmed; nothing was changed",
                conn.dbname
            )));
        }
    }
    let result = (|| -> Result<u64> {
        let scratch = pg::derived_name(&conn.dbname, "__selecting");
        if maint.database_exists(&scratch)? {
            maint.drop_database(&scratch)?;
        }
        maint.create_database(&scratch, None)?;
        let scratch_conn = conn.with_dbname(&scratch);
        let loaded = (|| -> Result<u64> {
            if req.jobs > 1 && !manifest.members.is_empty() {
                crate::jobs::parallel_restore::load_parallel(
                    &req.file,
                    manifest,
                    psql,
                    &scratch_conn,
                    req.jobs,
                    &Session {
                        preamble: String::new(),
                        script: dump::ScriptOptions::default(),
                    },
                )?;
            } else {
                pipe_into_psql(
                    &req.file,
                    manifest,
                    psql,
                    &scratch_conn,
                    "",
                    None,
                    dump::ScriptOptions::default(),
                )?;
            }
            let server = PgAdmin::connect(&scratch_conn)?.server_version()?;
            let pg_dump = pg::find_tool("pg_dump", req.pg_bin_dir.as_deref(), Some(server.major))?;
            let mut extra: Vec<String> = Vec::new();
            for t in &req.tables {
                extra.push(format!("--table={}", exact_table_pattern(t)?));
            }
            for s in &req.schemas {
                let parts = exact_parts(s)?;
                if parts.len() != 1 {
                    return Err(Error::Usage(format!(
                        "--schema {s:?}: a schema name has no dot (quote it if it does)"
                    )));
                }
                extra.push(format!("--schema={}", exact_pattern(&parts[0])));
            }
            if req.force {
                extra.extend(["--clean".to_string(), "--if-exists".to_string()]);
            }
            let opts = pg::DumpOptions {
                extra,
                ..pg::DumpOptions::default()
            };
            let (dump, _auth) = pg::spawn_dump(&pg_dump, &scratch_conn, &opts)?;
            let loaded = pipe::load_into_psql(
                psql,
                conn,
                Load {
                    source: Source::Dump(dump),
                    masker: None,
                    tee: None,
                    preamble: &session.preamble,
                    what: format!("the selected objects into {}", conn.redacted()),
                    progress: Some(crate::progress::Bar::bytes(
                        "restore the selected objects",
                        None,
                    )),
                    part: false,
                    script: session.script,
                },
            )?;
            Ok(loaded.bytes)
        })();
        if let Err(e) = maint.drop_database(&scratch) {
            tracing::warn!(
                "could not drop the scratch database '{scratch}': {}",
                e.describe()
            );
        }
        loaded
    })();
    match result {
        Ok(bytes) => Ok(RestoreOutcome {
            target: conn.redacted(),
            created,
            replaced: !created && req.force,
            previous: None,
            bytes,
            unverified: req.unverified,
        }),
        Err(e) => {
            if created {
                let _ = maint.drop_database(&conn.dbname);
            }
            Err(e)
        }
    }
}

/// The parts of a name as the operator wrote it, as pg_restore takes names: exact, case kept;
/// `schema.table` splits at the dot, and double quotes keep a dot or a quote inside a part
/// (`"my.schema"."Order ""Items"""`).
fn exact_parts(text: &str) -> Result<Vec<String>> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(p) = parts.last_mut() {
                    p.push('"');
                }
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(String::new()),
            c => {
                if let Some(p) = parts.last_mut() {
                    p.push(c);
                }
            }
        }
    }
    if quoted || parts.iter().any(String::is_empty) || parts.len() > 2 {
        return Err(Error::Usage(format!(
            "{text:?} is not a name: write table, schema.table, or quote a part holding a dot"
        )));
    }
    Ok(parts)
}

/// A pg_dump pattern matching exactly this one name (quoted, so nothing in it is special).
fn exact_pattern(part: &str) -> String {
    format!("\"{}\"", part.replace('"', "\"\""))
}

/// The pg_dump pattern for `--table`: `schema.table` exactly, or a table of that name in any
/// schema (as pg_restore --table).
fn exact_table_pattern(text: &str) -> Result<String> {
    let parts = exact_parts(text)?;
    match parts.as_slice() {
        [t] => Ok(format!("*.{}", exact_pattern(t))),
        [s, t] => Ok(format!("{}.{}", exact_pattern(s), exact_pattern(t))),
        _ => Err(Error::Usage(format!("{text:?} is not a table name"))),
    }
}

/// Builds the restored database beside the target as `<db>__restoring` (the serial load or, with
/// `parallel`, the parallel one), then puts it in place: renamed to the target's name, or with
/// `replace` swapped with the existing target (both renames in one transaction), which keeps its
/// owner, settings and grants. A failure, or the tool killed at any moment, never leaves a
/// half-restored database under the target's name; a failed build is dropped.
#[allow(clippy::too_many_arguments)]
fn build_beside(
    req: &RestoreRequest,
    manifest: &Manifest,
    psql: &pg::PgTool,
    maint: &PgAdmin,
    conn: &PgConn,
    session: &Session,
    parallel: bool,
    replace: bool,
) -> Result<u64> {
    let incoming = pg::derived_name(&conn.dbname, "__restoring");
    if maint.database_exists(&incoming)? {
        tracing::warn!("dropping '{incoming}', left over from an interrupted restore");
        maint.drop_database(&incoming)?;
    }
    maint.create_database(&incoming, None)?;
    let built = (|| -> Result<u64> {
        if replace {
            copy_database_settings(maint, &conn.dbname, &incoming)?;
        }
        let into = conn.with_dbname(&incoming);
        let bytes = if parallel {
            crate::jobs::parallel_restore::load_parallel(
                &req.file, manifest, psql, &into, req.jobs, session,
            )?
        } else {
            pipe_into_psql(
                &req.file,
                manifest,
                psql,
                &into,
                &session.preamble,
                req.mask.as_ref(),
                session.script,
            )?
        };
        crate::testpoint::reach("restore.before-rename");
        crate::error::stop_point(&format!("database '{}' was left as it was", conn.dbname))?;
        if replace {
            crate::jobs::sync::swap::swap_in(maint, &conn.dbname, &incoming, false)?;
        } else {
            maint.rename_database(&incoming, &conn.dbname)?;
        }
        Ok(bytes)
    })();
    if built.is_err() && maint.database_exists(&incoming).unwrap_or(true) {
        if let Err(drop_err) = maint.drop_database(&incoming) {
            tracing::warn!(
                "could not drop the unfinished database '{incoming}': {}",
                drop_err.describe()
            );
        }
    }
    built
}

/// Gives `to` the owner, settings (`ALTER DATABASE ... SET`) and grants of `from`.
fn copy_database_settings(maint: &PgAdmin, from: &str, to: &str) -> Result<()> {
    let q = pg::quote_ident(to);
    let owner = maint.query_text(&format!(
        "SELECT quote_ident(pg_get_userbyid(datdba)) FROM pg_database WHERE datname = {}",
        pg::quote_literal(from)
    ))?;
    if let Some(o) = owner.first().and_then(|r| r.first()) {
        maint.execute(&format!("ALTER DATABASE {q} OWNER TO {o}"))?;
    }
    let settings = maint.query_text(&format!(
        "SELECT split_part(s, '=', 1), substr(s, strpos(s, '=') + 1) FROM pg_db_role_setting r \
         JOIN pg_database d ON d.oid = r.setdatabase, unnest(r.setconfig) s \
         WHERE d.datname = {} AND r.setrole = 0",
        pg::quote_literal(from)
    ))?;
    for row in settings {
        if let [name, value] = row.as_slice() {
            maint.execute(&format!(
                "ALTER DATABASE {q} SET {} = {}",
                pg::quote_ident(name),
                pg::quote_literal(value)
            ))?;
        }
    }
    let acl = maint.query_text(&format!(
        "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END, \
                a.privilege_type \
         FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = {}",
        pg::quote_literal(from)
    ))?;
    let has_acl = !maint
        .query_text(&format!(
            "SELECT 1 FROM pg_database WHERE datname = {} AND datacl IS NOT NULL",
            pg::quote_literal(from)
        ))?
        .is_empty();
    if has_acl {
        maint.execute(&format!("REVOKE ALL ON DATABASE {q} FROM PUBLIC"))?;
        for row in acl {
            if let [grantee, privilege] = row.as_slice() {
                maint.execute(&format!("GRANT {privilege} ON DATABASE {q} TO {grantee}"))?;
            }
        }
    }
    Ok(())
}

/// The globals backup taken with `backup` (`<name>.globals`) nearest in time to `manifest`'s.
fn globals_for(file: &Path, manifest: &Manifest) -> Result<(PathBuf, Manifest)> {
    let dir = crate::fs::parent_dir(file);
    let gname = crate::jobs::backup::globals_name(&manifest.name);
    let (entries, _) = archive::scan(&dir, Some(&gname))?;
    entries
        .into_iter()
        .filter(|e| e.is_good())
        .min_by_key(|e| (e.manifest.started_at - manifest.started_at).num_seconds().abs())
        .map(|e| (e.path, e.manifest))
        .ok_or_else(|| {
            Error::Usage(format!(
                "no globals backup ({gname}) beside {}: take backups with --globals to keep roles and tablespaces",
                file.display()
            ))
        })
}

/// Applies a globals backup to the server, statement by statement: roles and tablespaces that
/// exist already are kept (their attributes are brought up to date), and the role this session
/// runs as is never altered (a restored password must not lock the operator out).
fn apply_globals(file: &Path, manifest: &Manifest, maint: &PgAdmin) -> Result<()> {
    let (gfile, gmanifest) = globals_for(file, manifest)?;
    tracing::info!("applying roles and tablespaces from {}", gfile.display());
    let mut text = String::new();
    {
        use std::io::Read;
        let mut backup = CheckedBackup::open(&gfile, &gmanifest)?;
        backup
            .read_to_string(&mut text)
            .map_err(|e| Error::verify_failed(gfile.display().to_string(), e))?;
    }
    let me = maint
        .query_text("SELECT current_user")?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .unwrap_or_default();
    let mut reader = dump::DumpReader::new(text.as_bytes());
    let mut applied = 0usize;
    while let Some(ev) = reader.next_event()? {
        let raw = String::from_utf8_lossy(ev.bytes()).into_owned();
        let stmt: String = raw
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .collect::<Vec<_>>()
            .join("\n");
        let stmt = stmt.trim();
        if stmt.is_empty() || stmt.starts_with('\\') {
            continue;
        }
        let words: Vec<&str> = stmt.split_whitespace().collect();
        let kind = words
            .iter()
            .take(2)
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
            .to_uppercase();
        let object = words
            .get(2)
            .map(|w| {
                w.trim_end_matches(';')
                    .trim_matches('"')
                    .replace("\"\"", "\"")
            })
            .unwrap_or_default();
        if kind == "CREATE ROLE" && maint.role_exists(&object)? {
            continue;
        }
        if kind == "CREATE TABLESPACE" && maint.tablespace_exists(&object)? {
            continue;
        }
        if kind == "ALTER ROLE" && object == me {
            tracing::warn!("not altering role {me}, which this restore runs as");
            continue;
        }
        maint.execute(stmt).map_err(|e| Error::Postgres {
            context: format!("cannot apply {kind} {object} from {}", gfile.display()),
            source: match e {
                Error::Postgres { source, .. } => source,
                _ => None,
            },
        })?;
        applied += 1;
    }
    tracing::info!("{applied} global statement(s) applied");
    Ok(())
}

/// Streams the decoded, checked backup through the optional masker into psql, in one
/// transaction that commits only when the stream ended cleanly (checksum, completion line).
fn pipe_into_psql(
    file: &Path,
    manifest: &Manifest,
    psql: &pg::PgTool,
    conn: &PgConn,
    preamble: &str,
    mask: Option<&crate::jobs::masking::MaskSpec>,
    script: dump::ScriptOptions,
) -> Result<u64> {
    let backup = CheckedBackup::open(file, manifest)?;
    let mut masker = match mask {
        Some(spec) => Some(mask::Masker::new(&spec.rules, spec.context()?)?),
        None => None,
    };
    let loaded = pipe::load_into_psql(
        psql,
        conn,
        Load {
            source: Source::Reader(Box::new(backup)),
            masker: masker.as_mut(),
            tee: None,
            preamble,
            what: format!("the restore into {}", conn.redacted()),
            progress: Some(crate::progress::Bar::bytes(
                &format!("restore {}", manifest.file),
                (manifest.uncompressed_size > 0).then_some(manifest.uncompressed_size),
            )),
            part: false,
            script,
        },
    );
    match loaded {
        Ok(l) => Ok(l.bytes),
        // psql may stumble on damaged data (a bad COPY row) before the damage shows as a
        // checksum or decoding error: whichever came first, a backup that does not match its
        // manifest is reported as that, so the operator learns the backup is bad, not the SQL.
        Err(e)
            if !matches!(e, Error::Verify(_) | Error::Interrupted { .. }) && e.exit_code() != 3 =>
        {
            match crate::store::folder::sha256(file) {
                Ok((size, sha)) if size != manifest.size || sha != manifest.sha256 => {
                    Err(Error::Verify(format!(
                    "{} does not match its manifest (corrupt or replaced); nothing was committed",
                    file.display()
                )))
                }
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

fn sqlite_is_empty(path: &Path) -> Result<bool> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size == 0 {
        return Ok(true);
    }
    Ok(crate::engine::sqlite::row_counts(path)?.is_empty())
}

fn restore_sqlite(
    req: &RestoreRequest,
    manifest: &Manifest,
    target: &Path,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<RestoreOutcome> {
    let dir = crate::fs::parent_dir(target);
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "folder {} of the target {} does not exist",
            dir.display(),
            target.display()
        )));
    }
    let fname = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    let _lock = crate::store::lock::acquire(&dir, &fname, std::time::Duration::ZERO, "restore")?;
    for p in crate::engine::sqlite::clean_leftovers(target) {
        tracing::info!("removed {}, left by an interrupted run", p.display());
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
    let tmp = crate::engine::sqlite::Scratch::create(target, "restore")?;
    let bytes = {
        let mut decoded = CheckedBackup::open(&req.file, manifest)?;
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .open(tmp.path())
            .ctx(|| format!("cannot open {}", tmp.path().display()))?;
        decoded.copy_to(&mut out, &tmp.path().display().to_string())?
    };
    crate::engine::sqlite::integrity_check(tmp.path())?;
    if let Some(spec) = &req.mask {
        crate::jobs::live::apply_sqlite(
            tmp.path(),
            &spec.rules,
            std::sync::Arc::new(spec.context()?),
        )?;
    }
    crate::testpoint::reach("restore.sqlite.before-swap");
    crate::error::stop_point(&format!("{} was left as it was", target.display()))?;
    let previous = crate::engine::sqlite::swap_into_place(tmp.path(), target)?;
    tmp.keep();
    Ok(RestoreOutcome {
        target: format!("sqlite://{}", target.display()),
        created: !exists,
        replaced,
        previous,
        bytes,
        unverified: req.unverified,
    })
}

/// Where `verify --restore-test` restores to.
#[derive(Debug, Clone)]
pub struct RestoreTarget {
    /// The scratch database (created if missing, must be empty if present; dropped afterwards
    /// if it was created).
    pub url: DbUrl,
    /// pg_dump/psql folder.
    pub pg_bin_dir: Option<PathBuf>,
    /// Variable holding the scratch server's password (`--password-env`).
    pub password_env: Option<String>,
}

/// The comment on a scratch database `verify --restore-test` created, by which the next run
/// knows one a killed run left behind.
const SCRATCH_COMMENT: &str = "scratch database of backup-tool verify --restore-test; safe to drop";

/// Restores into a scratch target for `verify --restore-test` and returns its row counts. A
/// database created here is dropped again; an existing one must be empty.
pub fn restore_scratch(
    file: &Path,
    manifest: &Manifest,
    target: &RestoreTarget,
) -> Result<BTreeMap<String, u64>> {
    match (&target.url, manifest.content) {
        (DbUrl::Postgres(u), Content::PlainSql) => {
            let conn = PgConn::resolve(u, target.password_env.as_deref())?;
            let psql = pg::find_tool("psql", target.pg_bin_dir.as_deref(), None)?;
            let maint = PgAdmin::connect_maintenance(&conn)?;
            let leftover = maint.database_exists(&conn.dbname)?
                && maint.database_comment(&conn.dbname)?.as_deref() == Some(SCRATCH_COMMENT);
            if leftover {
                // Created by a run that was killed before it could drop it: ours, not the
                // operator's, and it may hold the backup's data.
                tracing::warn!(
                    "dropping scratch database '{}', left by an interrupted --restore-test",
                    conn.dbname
                );
                maint.drop_database(&conn.dbname)?;
            }
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
                let marked = maint.execute(&format!(
                    "COMMENT ON DATABASE {} IS {}",
                    pg::quote_ident(&conn.dbname),
                    pg::quote_literal(SCRATCH_COMMENT)
                ));
                if let Err(e) = marked {
                    let _ = maint.drop_database(&conn.dbname);
                    return Err(e);
                }
                true
            };
            let result = pipe_into_psql(
                file,
                manifest,
                &psql,
                &conn,
                "",
                None,
                dump::ScriptOptions::default(),
            )
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
            // The copy is built as a private scratch file beside the given path, never under
            // it: one a killed run leaves is removed by the next one.
            let dir = crate::fs::parent_dir(p);
            let fname = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| "db".into());
            let _lock =
                crate::store::lock::acquire(&dir, &fname, std::time::Duration::ZERO, "verify")?;
            for l in crate::engine::sqlite::clean_leftovers(p) {
                tracing::warn!(
                    "removed {}, left by an interrupted --restore-test",
                    l.display()
                );
            }
            let tmp = crate::engine::sqlite::Scratch::create(p, "verify")?;
            {
                let mut decoded = CheckedBackup::open(file, manifest)?;
                let mut out = std::fs::OpenOptions::new()
                    .write(true)
                    .open(tmp.path())
                    .ctx(|| format!("cannot open {}", tmp.path().display()))?;
                decoded.copy_to(&mut out, &tmp.path().display().to_string())?;
            }
            crate::engine::sqlite::integrity_check(tmp.path())?;
            crate::engine::sqlite::row_counts(tmp.path())
        }
        (t, _) => Err(Error::Usage(format!(
            "--restore-test target {} is a different engine than the backup",
            t.redacted()
        ))),
    }
}
