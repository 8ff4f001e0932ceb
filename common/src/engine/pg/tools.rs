//! PostgreSQL's client programs: finding `pg_dump` and `psql` of the right version, and starting
//! them on a stream with the connection and password in their environment, never their
//! command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::engine::conn::{ChildAuth, PgConn};
use crate::engine::process::{run_capture, ChildReader, ChildWriter};
use crate::error::{Error, Result};

/// A PostgreSQL version as major.minor (e.g. 15.18, or 9.6 style for very old servers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PgVersion {
    /// Major version (15 for 15.18).
    pub major: u32,
    /// Minor version (18 for 15.18).
    pub minor: u32,
}

impl std::fmt::Display for PgVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl PgVersion {
    /// From `server_version_num` (150018 -> 15.18; 90624 -> 9.6).
    pub fn from_num(num: u32) -> PgVersion {
        if num >= 100_000 {
            PgVersion {
                major: num / 10_000,
                minor: num % 10_000,
            }
        } else {
            PgVersion {
                major: num / 10_000,
                minor: (num / 100) % 100,
            }
        }
    }

    /// From a client's `--version` line: "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)".
    pub fn from_version_output(s: &str) -> Option<PgVersion> {
        let tok = s
            .split_whitespace()
            .find(|t| t.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
        let mut parts = tok.split(|c: char| !c.is_ascii_digit());
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
        Some(PgVersion { major, minor })
    }
}

/// A located client program and its version.
#[derive(Debug, Clone)]
pub struct PgTool {
    /// Full path of the program.
    pub path: PathBuf,
    /// Its version, from `--version`.
    pub version: PgVersion,
}

/// Finds a client program (`pg_dump`, `psql`) and checks it is not older than `min_major`.
///
/// With `bin_dir` only that directory is used. Otherwise PATH is searched first; when the program
/// found there is too old, the versioned directories that distribution packages install
/// (`/usr/lib/postgresql/N/bin`, `/usr/pgsql-N/bin`) are tried, newest first. A pg_dump older than
/// the server cannot dump it correctly, so that case is an error naming both versions.
pub fn find_tool(name: &str, bin_dir: Option<&Path>, min_major: Option<u32>) -> Result<PgTool> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = bin_dir {
        let p = dir.join(name);
        if !p.is_file() {
            return Err(Error::Usage(format!(
                "{name} not found in --pg-bin-dir {}",
                dir.display()
            )));
        }
        candidates.push(p);
    } else {
        // Debian's and Ubuntu's /usr/bin/psql and pg_dump are pg_wrapper, a Perl script that
        // picks a version on every start (30-60 ms each); the versioned programs it would pick
        // from are tried before it.
        let mut wrapper = None;
        if let Some(path) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&path) {
                let p = dir.join(name);
                if p.is_file() {
                    if is_pg_wrapper(&p) {
                        wrapper = Some(p);
                    } else {
                        candidates.push(p);
                    }
                    break;
                }
            }
        }
        let mut versioned: Vec<(u32, PathBuf)> = Vec::new();
        for (root, prefix) in [("/usr/lib/postgresql", ""), ("/usr", "pgsql-")] {
            if let Ok(entries) = std::fs::read_dir(root) {
                for e in entries.flatten() {
                    let fname = e.file_name().to_string_lossy().into_owned();
                    if let Some(v) = fname
                        .strip_prefix(prefix)
                        .and_then(|v| v.parse::<u32>().ok())
                    {
                        let p = e.path().join("bin").join(name);
                        if p.is_file() {
                            versioned.push((v, p));
                        }
                    }
                }
            }
        }
        versioned.sort_by_key(|v| std::cmp::Reverse(v.0));
        candidates.extend(versioned.into_iter().map(|(_, p)| p));
        candidates.extend(wrapper);
    }
    if candidates.is_empty() {
        return Err(Error::Usage(format!(
            "{name} not found on PATH: install the PostgreSQL client programs \
             (Debian/Ubuntu: apt-get install postgresql-client) or pass --pg-bin-dir"
        )));
    }
    let mut seen = Vec::new();
    for path in candidates {
        let mut cmd = Command::new(&path);
        cmd.arg("--version");
        let out = run_capture(cmd)?;
        let version = PgVersion::from_version_output(&out).ok_or_else(|| {
            Error::postgres(format!(
                "cannot read the version of {} from '{}'",
                path.display(),
                out.trim()
            ))
        })?;
        match min_major {
            Some(min) if version.major < min => {
                seen.push(format!("{version} ({})", path.display()))
            }
            _ => return Ok(PgTool { path, version }),
        }
    }
    Err(Error::postgres(format!(
        "{name} is older than the server: found {}, but the server runs PostgreSQL {}; \
         a {name} of version {} or newer is needed (install postgresql-client-{} or pass --pg-bin-dir)",
        seen.join(", "),
        min_major.unwrap_or(0),
        min_major.unwrap_or(0),
        min_major.unwrap_or(0),
    )))
}

/// Whether a program is postgresql-common's version-choosing wrapper (a link to `pg_wrapper`).
fn is_pg_wrapper(path: &Path) -> bool {
    std::fs::canonicalize(path)
        .ok()
        .is_some_and(|real| real.file_name().is_some_and(|n| n == "pg_wrapper"))
}

/// Options for a pg_dump run.
#[derive(Debug, Clone, Default)]
pub struct DumpOptions {
    /// Leave out ownership (`--no-owner`): for copies restored under other roles.
    pub no_owner: bool,
    /// Leave out GRANT/REVOKE (`--no-privileges`).
    pub no_privileges: bool,
    /// Dump under an exported snapshot, so other readers can see the same data.
    pub snapshot: Option<String>,
    /// More pg_dump arguments (`--section=...`, `--table=...`); never secrets.
    pub extra: Vec<String>,
}

/// Starts pg_dump in plain format with its output streamed to us. No secret is on its command
/// line: the connection comes from the environment and the password from an in-memory file.
pub fn spawn_dump(
    pg_dump: &PgTool,
    conn: &PgConn,
    opts: &DumpOptions,
) -> Result<(ChildReader, ChildAuth)> {
    let auth = ChildAuth::for_conn(conn)?;
    let mut cmd = Command::new(&pg_dump.path);
    cmd.args(["--format=plain", "--no-password"]);
    if opts.no_owner {
        cmd.arg("--no-owner");
    }
    if opts.no_privileges {
        cmd.arg("--no-privileges");
    }
    if let Some(s) = &opts.snapshot {
        cmd.arg(format!("--snapshot={s}"));
    }
    cmd.args(&opts.extra);
    auth.apply(&mut cmd);
    let reader = ChildReader::spawn(cmd)?;
    Ok((reader, auth))
}

/// Starts `pg_dumpall --globals-only` (roles with their passwords' hashes, tablespaces), its
/// output streamed to us.
pub fn spawn_dumpall_globals(tool: &PgTool, conn: &PgConn) -> Result<(ChildReader, ChildAuth)> {
    let auth = ChildAuth::for_conn(conn)?;
    let mut cmd = Command::new(&tool.path);
    cmd.args(["--globals-only", "--no-password"]);
    cmd.arg(format!("--database={}", conn.dbname));
    auth.apply(&mut cmd);
    let reader = ChildReader::spawn(cmd)?;
    Ok((reader, auth))
}

/// Starts psql to run a script from our stream. It stops at the first error (`ON_ERROR_STOP`)
/// and speaks tersely (no DETAIL or CONTEXT, which quote rows); it does not wrap the script in a
/// transaction: [`crate::engine::pipe`] writes `BEGIN` and, only when everything was checked,
/// `COMMIT`.
pub fn spawn_psql(psql: &PgTool, conn: &PgConn) -> Result<(ChildWriter, ChildAuth)> {
    let auth = ChildAuth::for_conn(conn)?;
    let mut cmd = Command::new(&psql.path);
    cmd.args([
        "-X",
        "-q",
        "--no-password",
        "-v",
        "ON_ERROR_STOP=1",
        "-v",
        "VERBOSITY=terse",
        "-v",
        "SHOW_CONTEXT=never",
        "-f",
        "-",
    ]);
    auth.apply(&mut cmd);
    let writer = ChildWriter::spawn(cmd)?;
    Ok((writer, auth))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_debian_wrapper_is_known_by_what_it_links_to() {
        let dir = tempfile::tempdir().unwrap();
        let common = dir.path().join("share/postgresql-common");
        std::fs::create_dir_all(&common).unwrap();
        std::fs::write(common.join("pg_wrapper"), "#!/usr/bin/perl\n").unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink("../share/postgresql-common/pg_wrapper", bin.join("psql"))
            .unwrap();
        std::fs::write(bin.join("pg_dump"), "#!/bin/sh\n").unwrap();
        assert!(is_pg_wrapper(&bin.join("psql")));
        assert!(!is_pg_wrapper(&bin.join("pg_dump")));
        assert!(!is_pg_wrapper(&bin.join("missing")));
    }

    #[test]
    fn versions() {
        assert_eq!(
            PgVersion::from_num(150018),
            PgVersion {
                major: 15,
                minor: 18
            }
        );
        assert_eq!(PgVersion::from_num(90624), PgVersion { major: 9, minor: 6 });
        assert_eq!(
            PgVersion::from_version_output("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"),
            Some(PgVersion {
                major: 15,
                minor: 18
            })
        );
        assert_eq!(
            PgVersion::from_version_output("psql (PostgreSQL) 18beta1"),
            Some(PgVersion {
                major: 18,
                minor: 0
            })
        );
    }
}
