//! `backup-tool doctor`: everything a scheduled run needs, checked now, before 03:00 finds out.
//!
//! For every environment of a config file: the database answers (PostgreSQL: connection,
//! server version, a pg_dump and psql at least as new; SQLite: the file opens), the backup
//! folder exists or can be created, is writable, not readable by others, has free space, and
//! its lock is not held by a stuck run; the variables the jobs need (password variables, the
//! masking salt) are set here and in the environment file scheduled jobs read; the masking salt
//! is long enough. Every check says what it found; any problem makes the exit code 3.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use crate::config::Config;
use crate::engine::conn::{DbUrl, PgConn};
use crate::engine::pg::{self, PgAdmin};
use crate::error::Result;

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// What was checked ("prod: database", "prod: folder /backups").
    pub what: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found.
    pub detail: String,
}

/// All checks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DoctorReport {
    /// Every check, in order.
    pub checks: Vec<Check>,
}

impl DoctorReport {
    /// Whether every check passed.
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }

    fn push(&mut self, what: impl Into<String>, ok: bool, detail: impl Into<String>) {
        self.checks.push(Check {
            what: what.into(),
            ok,
            detail: detail.into(),
        });
    }
}

/// Runs every check of `cfg`; `env_file` is the environment file scheduled jobs read.
pub fn doctor(
    cfg: &Config,
    env_file: Option<&Path>,
    pg_bin_dir: Option<&Path>,
) -> Result<DoctorReport> {
    let mut r = DoctorReport::default();
    // Scheduled jobs see the environment file's values; a run by hand sees this shell's. The
    // shorter of the two is what is checked, and where it is short is said.
    let file_vars = env_file.and_then(read_env_file);
    let lookup = |v: &str| -> (String, String) {
        let shell = std::env::var(v).unwrap_or_default();
        match (&file_vars, env_file) {
            (Some(vars), Some(f)) => {
                let file = vars.get(v).cloned().unwrap_or_default();
                if file.len() < shell.len() {
                    (file, format!("in {}", f.display()))
                } else if shell.len() < file.len() {
                    (shell, "in this shell".to_string())
                } else {
                    (file, format!("in this shell and in {}", f.display()))
                }
            }
            _ => (shell, "in this shell".to_string()),
        }
    };
    for (key, env) in &cfg.env {
        let url = match DbUrl::parse(&env.db) {
            Ok(u) => u,
            Err(e) => {
                r.push(format!("{key}: database"), false, e.describe());
                continue;
            }
        };
        if let Some(v) = &env.password_env {
            let (value, place) = lookup(v);
            let set = !value.is_empty();
            r.push(
                format!("{key}: password variable"),
                set,
                if set {
                    format!("${v} is set {place}")
                } else {
                    format!("${v} is not set {place}")
                },
            );
        }
        match &url {
            DbUrl::Postgres(u) => check_pg(&mut r, key, u, env.password_env.as_deref(), pg_bin_dir),
            DbUrl::Sqlite(p) => match crate::engine::sqlite::open_existing(p) {
                Ok(_) => r.push(
                    format!("{key}: database"),
                    true,
                    format!("{} opens", p.display()),
                ),
                Err(e) => r.push(format!("{key}: database"), false, e.describe()),
            },
        }
        if let Some(dir) = &env.dir {
            check_folder(&mut r, key, dir, &env.backup_name(key));
        }
    }
    for (key, sync) in &cfg.sync {
        match crate::jobs::masking::load_rules(&sync.rules) {
            Ok(rules) => {
                if rules.needs_salt() {
                    let var = rules.salt_env();
                    let (value, place) = lookup(var);
                    let len = value.len();
                    let ok = len >= mask::MIN_SALT_LEN;
                    r.push(
                        format!("sync {key}: masking salt"),
                        ok,
                        if ok {
                            format!("${var} is set {place} ({len} bytes)")
                        } else if len == 0 {
                            format!("${var} is not set {place}")
                        } else {
                            format!(
                                "${var} {place} is shorter than {} bytes",
                                mask::MIN_SALT_LEN
                            )
                        },
                    );
                }
            }
            Err(e) => r.push(format!("sync {key}: rules"), false, e.describe()),
        }
    }
    if let Some(f) = env_file {
        match std::fs::metadata(f) {
            Ok(m) => {
                let private = m.permissions().mode() & 0o077 == 0;
                r.push(
                    "environment file",
                    private,
                    if private {
                        format!("{} exists, 0600", f.display())
                    } else {
                        format!("{} can be read by others; chmod 600 it", f.display())
                    },
                );
            }
            Err(_) => r.push(
                "environment file",
                false,
                format!(
                    "{} does not exist (backup-tool crontab or systemd creates it)",
                    f.display()
                ),
            ),
        }
    }
    Ok(r)
}

/// The `NAME=value` lines of an environment file as `sh` reads them (comments, `export`, and
/// one level of quotes); `None` when it cannot be read.
fn read_env_file(path: &Path) -> Option<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut out = std::collections::BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = v.trim();
        let unquoted = if v.len() >= 2
            && ((v.starts_with('\'') && v.ends_with('\''))
                || (v.starts_with('"') && v.ends_with('"')))
        {
            &v[1..v.len() - 1]
        } else {
            v
        };
        out.insert(k.trim().to_string(), unquoted.replace("'\\''", "'"));
    }
    Some(out)
}

fn check_pg(
    r: &mut DoctorReport,
    key: &str,
    u: &crate::engine::conn::PgUrl,
    password_env: Option<&str>,
    pg_bin_dir: Option<&Path>,
) {
    let conn = match PgConn::resolve(u, password_env) {
        Ok(c) => c,
        Err(e) => {
            r.push(format!("{key}: database"), false, e.describe());
            return;
        }
    };
    let admin = match PgAdmin::connect(&conn) {
        Ok(a) => a,
        Err(e) => {
            r.push(format!("{key}: database"), false, e.describe());
            return;
        }
    };
    let version = match admin.server_version() {
        Ok(v) => v,
        Err(e) => {
            r.push(format!("{key}: database"), false, e.describe());
            return;
        }
    };
    r.push(
        format!("{key}: database"),
        true,
        format!("{} answers: PostgreSQL {version}", conn.redacted()),
    );
    // pg_dump must be as new as the server; psql as new as that pg_dump, since the plain
    // dumps it restores may use its newer commands (\restrict since 17.6 and 16.10).
    for tool in ["pg_dump", "psql"] {
        let min = Some(version.major);
        match pg::find_tool(tool, pg_bin_dir, min) {
            Ok(t) => r.push(
                format!("{key}: {tool}"),
                true,
                format!("{} {} ({})", tool, t.version, t.path.display()),
            ),
            Err(e) => r.push(format!("{key}: {tool}"), false, e.describe()),
        }
    }
}

fn check_folder(r: &mut DoctorReport, key: &str, dir: &Path, name: &str) {
    let what = format!("{key}: folder {}", dir.display());
    if crate::store::folder::is_remote(dir) {
        // Credentials, endpoint and bucket: one listing; then a write, as a backup would.
        let probe = dir.join(format!(".doctor-{}", std::process::id()));
        let checked = crate::store::folder::check_reachable(dir).and_then(|_| {
            let (d, n) = crate::store::folder::split(&probe)?;
            crate::store::folder::store(&d)?.put_bytes(&n, b"doctor\n")?;
            crate::store::folder::delete(&probe)
        });
        match checked {
            Ok(()) => r.push(what, true, "reachable, can be listed and written"),
            Err(e) => {
                r.push(what, false, e.describe());
                return;
            }
        }
        check_lock(r, key, dir, name);
        return;
    }
    if !dir.exists() {
        // The folder is created with its missing parents: the nearest existing one must be
        // writable.
        let mut parent = crate::fs::parent_dir(dir);
        while !parent.exists() {
            match parent.parent() {
                Some(p) if !p.as_os_str().is_empty() => parent = p.to_path_buf(),
                _ => break,
            }
        }
        let ok = parent.exists() && crate::fs::writable(&parent);
        r.push(
            what,
            ok,
            if ok {
                "does not exist yet; will be created (0700)".to_string()
            } else {
                format!("does not exist, and {} cannot be written", parent.display())
            },
        );
        return;
    }
    if !crate::fs::writable(dir) {
        r.push(what, false, "cannot be written by this user");
        return;
    }
    let mode = crate::fs::mode_of(dir).unwrap_or(0);
    let free = rustix::fs::statvfs(dir)
        .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
        .unwrap_or(0);
    let mut notes = vec![format!(
        "writable, {} free",
        crate::progress::human_bytes(free)
    )];
    let mut ok = true;
    if mode & 0o007 != 0 {
        notes.push(format!(
            "mode {mode:o}: others may list backups (0700 is safer)"
        ));
    }
    if free < 1 << 30 {
        ok = false;
        notes.push("less than 1 GB free".into());
    }
    r.push(what, ok, notes.join("; "));
    check_lock(r, key, dir, name);
}

/// Whether the lock of backup `name` in `dir` is free (taken and released at once).
fn check_lock(r: &mut DoctorReport, key: &str, dir: &Path, name: &str) {
    match crate::store::lock::acquire(dir, name, Duration::ZERO, "doctor") {
        Ok(_) => r.push(format!("{key}: lock"), true, format!("'{name}' is free")),
        Err(e) => r.push(format!("{key}: lock"), false, e.describe()),
    }
}
