//! PostgreSQL: the client programs (pg_dump, psql) and the admin connection (tokio-postgres).
//!
//! The byte stream goes through the client programs, which know every object type of every
//! server version; the small admin statements (versions, row counts, create/rename/drop database)
//! go through the driver, because they need answers, not a stream.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::dump::QualifiedName;
use crate::error::{Error, Result};
use crate::process::{run_capture, ChildReader, ChildWriter};
use crate::url::{ChildAuth, PgConn};

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
        if let Some(path) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&path) {
                let p = dir.join(name);
                if p.is_file() {
                    candidates.push(p);
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
            Error::Postgres(format!(
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
    Err(Error::Postgres(format!(
        "{name} is older than the server: found {}, but the server runs PostgreSQL {}; \
         a {name} of version {} or newer is needed (install postgresql-client-{} or pass --pg-bin-dir)",
        seen.join(", "),
        min_major.unwrap_or(0),
        min_major.unwrap_or(0),
        min_major.unwrap_or(0),
    )))
}

/// A blocking admin connection over tokio-postgres, on a private single-threaded runtime.
pub struct PgAdmin {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
    conn: PgConn,
}

impl PgAdmin {
    /// Connects; the error names the redacted URL, says why, and where the password came from.
    pub fn connect(conn: &PgConn) -> Result<PgAdmin> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io("cannot start the async runtime", e))?;
        let mut cfg = conn.driver_config();
        let client = match crate::tls::choose(conn)? {
            crate::tls::TlsChoice::Off => {
                cfg.ssl_mode(tokio_postgres::config::SslMode::Disable);
                let (client, connection) = rt
                    .block_on(cfg.connect(tokio_postgres::NoTls))
                    .map_err(|e| connect_error(conn, &e))?;
                rt.spawn(async move {
                    let _ = connection.await;
                });
                client
            }
            crate::tls::TlsChoice::On(tls, mode) => {
                cfg.ssl_mode(mode);
                let (client, connection) = rt
                    .block_on(cfg.connect(tls))
                    .map_err(|e| connect_error(conn, &e))?;
                rt.spawn(async move {
                    let _ = connection.await;
                });
                client
            }
        };
        Ok(PgAdmin {
            rt,
            client,
            conn: conn.clone(),
        })
    }

    /// The connection this admin session uses.
    pub fn conn(&self) -> &PgConn {
        &self.conn
    }

    fn query(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<tokio_postgres::Row>> {
        self.rt
            .block_on(self.client.query(sql, params))
            .map_err(|e| query_error(&self.conn, &e))
    }

    /// Runs a query through the simple protocol and returns every value as text (NULL as
    /// `None`): for catalog queries and samples, whatever the column types.
    pub fn query_values(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        let msgs = self
            .rt
            .block_on(self.client.simple_query(sql))
            .map_err(|e| query_error(&self.conn, &e))?;
        let mut out = Vec::new();
        for m in msgs {
            if let tokio_postgres::SimpleQueryMessage::Row(r) = m {
                out.push((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect());
            }
        }
        Ok(out)
    }

    /// Like [`PgAdmin::query_values`], with NULL as an empty string.
    pub fn query_text(&self, sql: &str) -> Result<Vec<Vec<String>>> {
        Ok(self
            .query_values(sql)?
            .into_iter()
            .map(|r| r.into_iter().map(Option::unwrap_or_default).collect())
            .collect())
    }

    /// Runs one statement with parameters (extended protocol), returning rows affected.
    pub fn execute_params(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<u64> {
        self.rt
            .block_on(self.client.execute(sql, params))
            .map_err(|e| query_error(&self.conn, &e))
    }

    /// Runs a one-row query of counts (`SELECT count(*) FILTER (...), ...`) with parameters.
    pub fn query_counts(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<i64>> {
        let rows = self.query(sql, params)?;
        Ok(rows
            .first()
            .map(|r| (0..r.len()).map(|i| r.get::<_, i64>(i)).collect())
            .unwrap_or_default())
    }

    /// Runs statements that return nothing (DDL, admin commands).
    pub fn execute(&self, sql: &str) -> Result<()> {
        self.rt
            .block_on(self.client.batch_execute(sql))
            .map_err(|e| query_error(&self.conn, &e))
    }

    /// The server's version.
    pub fn server_version(&self) -> Result<PgVersion> {
        let rows = self.query("SELECT current_setting('server_version_num')::int4", &[])?;
        let num: i32 = rows
            .first()
            .map(|r| r.get(0))
            .ok_or_else(|| Error::Postgres("server did not report its version".into()))?;
        Ok(PgVersion::from_num(num.max(0) as u32))
    }

    /// The cluster's `system_identifier`: equal on two connections means the same server
    /// (or a physical replica of it), whatever the host names say.
    pub fn system_identifier(&self) -> Result<String> {
        let rows = self.query(
            "SELECT system_identifier::text FROM pg_control_system()",
            &[],
        )?;
        rows.first()
            .map(|r| r.get::<_, String>(0))
            .ok_or_else(|| Error::Postgres("no system identifier".into()))
    }

    /// Whether a database of that exact name exists.
    pub fn database_exists(&self, name: &str) -> Result<bool> {
        let rows = self.query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])?;
        Ok(!rows.is_empty())
    }

    /// Creates a database (name quoted, so any name works).
    pub fn create_database(&self, name: &str, owner: Option<&str>) -> Result<()> {
        let mut sql = format!("CREATE DATABASE {}", quote_ident(name));
        if let Some(o) = owner {
            sql.push_str(&format!(" OWNER {}", quote_ident(o)));
        }
        self.execute(&sql)
    }

    /// Drops a database if it exists, ending other sessions on it first.
    pub fn drop_database(&self, name: &str) -> Result<()> {
        self.terminate_sessions(name)?;
        self.execute(&format!("DROP DATABASE IF EXISTS {}", quote_ident(name)))
    }

    /// Ends every other session connected to a database (before a rename or drop).
    pub fn terminate_sessions(&self, name: &str) -> Result<()> {
        self.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&name],
        )?;
        Ok(())
    }

    /// Number of user tables, views, sequences and functions: zero means the database is empty
    /// and a restore into it cannot destroy anything.
    pub fn user_object_count(&self) -> Result<i64> {
        let rows = self.query(
            "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' \
                       AND n.nspname NOT LIKE 'pg\\_temp%' AND c.relkind IN ('r','p','v','m','S','f')) \
                  + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
                     WHERE n.nspname NOT IN ('pg_catalog','information_schema'))",
            &[],
        )?;
        Ok(rows.first().map(|r| r.get::<_, i64>(0)).unwrap_or(0))
    }

    /// Exact row counts of every user table (leaf tables: partitions are counted one by one, the
    /// way pg_dump writes their data).
    pub fn row_counts(&self) -> Result<BTreeMap<String, u64>> {
        let rows = self.query(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
                               AND d.objid = c.oid AND d.deptype = 'e') \
             ORDER BY 1, 2",
            &[],
        )?;
        let mut out = BTreeMap::new();
        for r in rows {
            let schema: String = r.get(0);
            let name: String = r.get(1);
            let q = format!(
                "SELECT count(*) FROM {}.{}",
                quote_ident(&schema),
                quote_ident(&name)
            );
            let c = self.query(&q, &[])?;
            let n: i64 = c.first().map(|r| r.get(0)).unwrap_or(0);
            let key = QualifiedName {
                schema: Some(schema),
                name,
            }
            .to_string();
            out.insert(key, n.max(0) as u64);
        }
        Ok(out)
    }

    /// The statements that empty a database before a forced restore, run inside the restore's own
    /// transaction so a failed restore undoes them too: drop every user schema with its contents,
    /// then recreate `public` as a new database has it.
    pub fn clean_preamble(&self) -> Result<String> {
        let rows = self.query(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog','information_schema') \
             AND nspname NOT LIKE 'pg\\_%' ORDER BY 1",
            &[],
        )?;
        let mut sql = String::new();
        for r in rows {
            let n: String = r.get(0);
            sql.push_str(&format!(
                "DROP SCHEMA IF EXISTS {} CASCADE;\n",
                quote_ident(&n)
            ));
        }
        if self.server_version()?.major >= 15 {
            sql.push_str("CREATE SCHEMA public AUTHORIZATION pg_database_owner;\n");
        } else {
            sql.push_str("CREATE SCHEMA public;\nGRANT ALL ON SCHEMA public TO PUBLIC;\n");
        }
        sql.push_str("COMMENT ON SCHEMA public IS 'standard public schema';\n");
        Ok(sql)
    }
}

fn connect_error(conn: &PgConn, e: &tokio_postgres::Error) -> Error {
    let reason = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(inner) = src {
                s = format!("{s}: {inner}");
                src = inner.source();
            }
            s
        }
    };
    let hint = match conn.password_source() {
        Some(src) if reason.contains("password") => format!(" (password from {src})"),
        None if reason.contains("password") => {
            " (no password given: set it in the URL, PGPASSWORD, password_env or ~/.pgpass)".into()
        }
        _ => String::new(),
    };
    Error::Postgres(format!(
        "cannot connect to {}: {reason}{hint}",
        conn.redacted()
    ))
}

fn query_error(conn: &PgConn, e: &tokio_postgres::Error) -> Error {
    let reason = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    };
    Error::Postgres(format!("{}: {reason}", conn.redacted()))
}

/// Quotes an identifier for SQL, doubling embedded double quotes.
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Quotes a string literal for SQL (standard_conforming_strings on: quotes doubled).
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
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
/// line: the connection comes from the environment and the password from a 0600 passfile.
pub fn spawn_dump(
    pg_dump: &PgTool,
    conn: &PgConn,
    opts: &DumpOptions,
) -> Result<(ChildReader, ChildAuth)> {
    let auth = conn.child_auth()?;
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

/// Starts psql to run a script from our stream: stops at the first error, and with
/// `single_transaction` an error rolls everything back.
pub fn spawn_psql(
    psql: &PgTool,
    conn: &PgConn,
    single_transaction: bool,
) -> Result<(ChildWriter, ChildAuth)> {
    let auth = conn.child_auth()?;
    let mut cmd = Command::new(&psql.path);
    cmd.args(["-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1"]);
    if single_transaction {
        cmd.arg("--single-transaction");
    }
    cmd.args(["-f", "-"]);
    auth.apply(&mut cmd);
    let writer = ChildWriter::spawn(cmd)?;
    Ok((writer, auth))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
