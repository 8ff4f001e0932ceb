//! Connection strings: parsing, redaction, and how credentials reach a server.
//!
//! Accepted forms, as in the design:
//! - `postgresql://user[:password]@host[:port][,host2[:port2]]/db?sslmode=...` (libpq URI; `postgres://`
//!   too), with the PG* environment variables and `~/.pgpass` filling what the URL leaves out;
//! - `sqlite:///abs/path.db`, `sqlite://rel/path.db`, or a plain path ending in `.db`, `.sqlite`,
//!   `.sqlite3`.
//!
//! A password never leaves this module in clear except through [`Secret::expose`], which is called
//! only to write a 0600 passfile for a child process or to hand it to the driver. Every URL that is
//! printed goes through [`DbUrl::redacted`].

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, IoContext, Result};

/// A password or other secret; its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The clear value, for the few places that must hand it on (driver config, passfile).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Which database engine a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// A PostgreSQL server, reached through libpq-compatible settings.
    Postgresql,
    /// An SQLite database file.
    Sqlite,
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Postgresql => "postgresql",
            Engine::Sqlite => "sqlite",
        })
    }
}

/// A parsed connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// A PostgreSQL connection.
    Postgres(PgUrl),
    /// An SQLite database file.
    Sqlite(PathBuf),
}

/// The parts of a PostgreSQL URL, as written (environment defaults are applied by [`PgConn::resolve`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PgUrl {
    /// User name, if the URL has one.
    pub user: Option<String>,
    /// Password, if the URL carries one (discouraged, but common in `DATABASE_URL`s).
    pub password: Option<Secret>,
    /// Hosts (names, addresses, or socket directories), in order.
    pub hosts: Vec<String>,
    /// Ports matching `hosts` (empty entries mean the default).
    pub ports: Vec<String>,
    /// Database name.
    pub dbname: Option<String>,
    /// Query parameters other than the ones folded into the fields above.
    pub params: BTreeMap<String, String>,
}

impl DbUrl {
    /// Parses a connection string; errors say what form was expected and never echo a password.
    pub fn parse(s: &str) -> Result<DbUrl> {
        let s = s.trim();
        if let Some(rest) = s
            .strip_prefix("postgresql://")
            .or_else(|| s.strip_prefix("postgres://"))
        {
            return parse_pg(rest).map(DbUrl::Postgres);
        }
        if let Some(rest) = s.strip_prefix("sqlite://") {
            if rest.is_empty() {
                return Err(Error::Usage(
                    "sqlite URL has no path: use sqlite:///abs/path.db or sqlite://rel/path.db"
                        .into(),
                ));
            }
            return Ok(DbUrl::Sqlite(PathBuf::from(percent_decode(rest)?)));
        }
        if let Some(rest) = s.strip_prefix("sqlite:") {
            if !rest.is_empty() {
                return Ok(DbUrl::Sqlite(PathBuf::from(percent_decode(rest)?)));
            }
        }
        let lower = s.to_ascii_lowercase();
        if [".db", ".sqlite", ".sqlite3"]
            .iter()
            .any(|ext| lower.ends_with(ext))
            && !s.contains("://")
        {
            return Ok(DbUrl::Sqlite(PathBuf::from(s)));
        }
        Err(Error::Usage(format!(
            "not a database URL: '{}' (expected postgresql://user@host:port/db, sqlite:///path.db, \
             or a path ending in .db, .sqlite or .sqlite3)",
            redact_unparsed(s)
        )))
    }

    /// The engine this URL points at.
    pub fn engine(&self) -> Engine {
        match self {
            DbUrl::Postgres(_) => Engine::Postgresql,
            DbUrl::Sqlite(_) => Engine::Sqlite,
        }
    }

    /// The URL with any password replaced by `***`: the only form that is ever printed or stored.
    pub fn redacted(&self) -> String {
        match self {
            DbUrl::Postgres(u) => u.redacted(),
            DbUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        }
    }

    /// A short name for backups of this database: the database name, or the SQLite file stem.
    pub fn default_backup_name(&self) -> String {
        let raw = match self {
            DbUrl::Postgres(u) => u
                .dbname
                .clone()
                .or_else(|| std::env::var("PGDATABASE").ok())
                .or_else(|| u.user.clone())
                .unwrap_or_else(|| "postgres".into()),
            DbUrl::Sqlite(p) => p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "sqlite".into()),
        };
        sanitize_name(&raw)
    }
}

/// Replaces characters that do not belong in a backup file name with `-`.
pub fn sanitize_name(raw: &str) -> String {
    let s: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        "backup".into()
    } else {
        s
    }
}

impl fmt::Display for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Best-effort redaction of a string that failed to parse, so even an error cannot leak a password.
fn redact_unparsed(s: &str) -> String {
    if let Some(scheme_end) = s.find("://") {
        let after = &s[scheme_end + 3..];
        if let Some(at) = after.rfind('@') {
            let userinfo = &after[..at];
            let user = userinfo.split(':').next().unwrap_or("");
            return format!("{}://{}:***@{}", &s[..scheme_end], user, &after[at + 1..]);
        }
    }
    s.to_string()
}

fn parse_pg(rest: &str) -> Result<PgUrl> {
    let bad = |why: &str| {
        Error::Usage(format!(
            "invalid PostgreSQL URL '{}': {why}",
            redact_unparsed(&format!("postgresql://{rest}"))
        ))
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (before_query, None),
    };
    let mut url = PgUrl::default();
    let hostspec = match authority.rsplit_once('@') {
        Some((userinfo, hostspec)) => {
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                url.user = Some(percent_decode(user)?);
            }
            if let Some(p) = password {
                url.password = Some(Secret::new(percent_decode(p)?));
            }
            hostspec
        }
        None => authority,
    };
    if !hostspec.is_empty() {
        for part in hostspec.split(',') {
            let (host, port) = if let Some(stripped) = part.strip_prefix('[') {
                let (h, after) = stripped
                    .split_once(']')
                    .ok_or_else(|| bad("unclosed '[' in IPv6 host"))?;
                (
                    h.to_string(),
                    after.strip_prefix(':').unwrap_or("").to_string(),
                )
            } else {
                match part.rsplit_once(':') {
                    Some((h, p)) => (percent_decode(h)?, p.to_string()),
                    None => (percent_decode(part)?, String::new()),
                }
            };
            if !port.is_empty() && port.parse::<u16>().is_err() {
                return Err(bad(&format!(
                    "port '{port}' is not a number from 1 to 65535"
                )));
            }
            url.hosts.push(host);
            url.ports.push(port);
        }
    }
    if let Some(p) = path {
        if !p.is_empty() {
            url.dbname = Some(percent_decode(p)?);
        }
    }
    if let Some(q) = query {
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| bad(&format!("parameter '{pair}' has no '='")))?;
            let k = percent_decode(k)?;
            let v = percent_decode(v)?;
            match k.as_str() {
                "host" => url.hosts = v.split(',').map(str::to_string).collect(),
                "port" => url.ports = v.split(',').map(str::to_string).collect(),
                "user" => url.user = Some(v),
                "password" => url.password = Some(Secret::new(v)),
                "dbname" => url.dbname = Some(v),
                _ => {
                    url.params.insert(k, v);
                }
            }
        }
    }
    for key in url.params.keys() {
        if !PARAM_ENV.iter().any(|(k, _)| k == key) && !IGNORED_PARAMS.contains(&key.as_str()) {
            return Err(bad(&format!(
                "unsupported connection parameter '{key}' (supported: {})",
                PARAM_ENV
                    .iter()
                    .map(|(k, _)| *k)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(url)
}

/// Query parameters passed on to libpq children as environment variables.
const PARAM_ENV: &[(&str, &str)] = &[
    ("sslmode", "PGSSLMODE"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ("application_name", "PGAPPNAME"),
    ("options", "PGOPTIONS"),
    ("target_session_attrs", "PGTARGETSESSIONATTRS"),
];

/// Parameters that application frameworks add to `DATABASE_URL` and that mean nothing to libpq
/// (Prisma's `schema`, `connection_limit`, ...). They are accepted and ignored, so the URL from an
/// application's `.env` works as it is.
const IGNORED_PARAMS: &[&str] = &[
    "schema",
    "connection_limit",
    "pool_timeout",
    "pgbouncer",
    "statement_cache_size",
    "socket_timeout",
];

fn percent_decode(s: &str) -> Result<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| Error::Usage("invalid percent-encoding in URL".into()))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Error::Usage("URL is not valid UTF-8 after decoding".into()))
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl PgUrl {
    /// The URL as a string with the password shown as `***`.
    pub fn redacted(&self) -> String {
        let mut s = String::from("postgresql://");
        if let Some(u) = &self.user {
            s.push_str(&percent_encode(u));
            if self.password.is_some() {
                s.push_str(":***");
            }
            s.push('@');
        }
        let hosts: Vec<String> = self
            .hosts
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = if h.contains(':') {
                    format!("[{h}]")
                } else {
                    percent_encode(h)
                };
                match self.ports.get(i).filter(|p| !p.is_empty()) {
                    Some(p) => format!("{h}:{p}"),
                    None => h,
                }
            })
            .collect();
        s.push_str(&hosts.join(","));
        if let Some(db) = &self.dbname {
            s.push('/');
            s.push_str(&percent_encode(db));
        }
        if !self.params.is_empty() {
            s.push('?');
            let q: Vec<String> = self
                .params
                .iter()
                .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
                .collect();
            s.push_str(&q.join("&"));
        }
        s
    }
}

/// A PostgreSQL connection with every default applied: what the driver and the children use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgConn {
    /// Hosts or socket directories, in order (never empty).
    pub hosts: Vec<String>,
    /// Ports matching `hosts`.
    pub ports: Vec<u16>,
    /// Login role.
    pub user: String,
    /// Database name.
    pub dbname: String,
    /// Password, when one is known to us (URL, named variable, PGPASSWORD, or a pgpass file).
    password: Option<Secret>,
    /// Where the password came from, for messages ("from the URL", "from $PROD_DB_PASSWORD").
    password_source: Option<String>,
    /// Extra libpq parameters (sslmode, ...).
    pub params: BTreeMap<String, String>,
}

impl PgConn {
    /// Applies libpq's defaults (PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE, PGPASSWORD,
    /// the pgpass file) to a parsed URL. `password_env` names a variable that holds the password,
    /// as a config file's `password_env` does; it wins over PGPASSWORD but not over a URL password.
    pub fn resolve(url: &PgUrl, password_env: Option<&str>) -> Result<PgConn> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let hosts: Vec<String> = if url.hosts.iter().any(|h| !h.is_empty()) {
            url.hosts.clone()
        } else if let Some(h) = env("PGHOST") {
            h.split(',').map(str::to_string).collect()
        } else {
            vec![default_socket_dir()]
        };
        let port_strings: Vec<String> = if url.ports.iter().any(|p| !p.is_empty()) {
            url.ports.clone()
        } else if let Some(p) = env("PGPORT") {
            p.split(',').map(str::to_string).collect()
        } else {
            Vec::new()
        };
        let mut ports = Vec::with_capacity(hosts.len());
        for i in 0..hosts.len() {
            let p = port_strings
                .get(i)
                .or(port_strings.first())
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse::<u16>().map_err(|_| {
                        Error::Usage(format!("port '{p}' is not a number from 1 to 65535"))
                    })
                })
                .transpose()?
                .unwrap_or(5432);
            ports.push(p);
        }
        let user = url
            .user
            .clone()
            .or_else(|| env("PGUSER"))
            .unwrap_or_else(os_user_name);
        let dbname = url
            .dbname
            .clone()
            .or_else(|| env("PGDATABASE"))
            .unwrap_or_else(|| user.clone());
        let mut params = url.params.clone();
        for (key, var) in PARAM_ENV {
            if !params.contains_key(*key) {
                if let Some(v) = env(var) {
                    params.insert((*key).to_string(), v);
                }
            }
        }
        params.retain(|k, _| !IGNORED_PARAMS.contains(&k.as_str()));
        let mut conn = PgConn {
            hosts,
            ports,
            user,
            dbname,
            password: None,
            password_source: None,
            params,
        };
        if let Some(p) = &url.password {
            conn.password = Some(p.clone());
            conn.password_source = Some("the URL".into());
        } else if let Some(var) = password_env {
            let v = std::env::var(var).map_err(|_| {
                Error::Usage(format!(
                    "password_env names ${var}, but that variable is not set"
                ))
            })?;
            conn.password = Some(Secret::new(v));
            conn.password_source = Some(format!("${var}"));
        } else if let Some(v) = env("PGPASSWORD") {
            conn.password = Some(Secret::new(v));
            conn.password_source = Some("$PGPASSWORD".into());
        } else if let Some((pw, file)) = conn.lookup_pgpass() {
            conn.password = Some(pw);
            conn.password_source = Some(file.display().to_string());
        }
        Ok(conn)
    }

    /// Parses a URL string and resolves it in one step; errors if it is not PostgreSQL.
    pub fn from_url_str(s: &str, password_env: Option<&str>) -> Result<PgConn> {
        match DbUrl::parse(s)? {
            DbUrl::Postgres(u) => PgConn::resolve(&u, password_env),
            DbUrl::Sqlite(p) => Err(Error::Usage(format!(
                "expected a PostgreSQL URL, got an SQLite path {}",
                p.display()
            ))),
        }
    }

    /// The same connection with another database name (e.g. `postgres` for admin statements).
    pub fn with_dbname(&self, dbname: &str) -> PgConn {
        PgConn {
            dbname: dbname.to_string(),
            ..self.clone()
        }
    }

    /// The password, if one is known.
    pub fn password(&self) -> Option<&Secret> {
        self.password.as_ref()
    }

    /// Where the password came from, for messages such as "password authentication failed
    /// (password from $PROD_DB_PASSWORD)".
    pub fn password_source(&self) -> Option<&str> {
        self.password_source.as_deref()
    }

    /// A printable form, e.g. `postgresql://app@db:5432/app?sslmode=require`, with no password.
    pub fn redacted(&self) -> String {
        let url = PgUrl {
            user: Some(self.user.clone()),
            // Show that a password is part of the URL only when it came from the URL.
            password: (self.password_source.as_deref() == Some("the URL")).then(|| Secret::new("")),
            hosts: self.hosts.clone(),
            ports: self.ports.iter().map(|p| p.to_string()).collect(),
            dbname: Some(self.dbname.clone()),
            params: self.params.clone(),
        };
        url.redacted()
    }

    /// A key that tells two connections to the same server apart from connections to another:
    /// hosts and ports (the server's `system_identifier` is the stronger check; see `pg`).
    pub fn server_key(&self) -> String {
        self.hosts
            .iter()
            .zip(&self.ports)
            .map(|(h, p)| format!("{h}:{p}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Environment for a libpq child (pg_dump, psql). Nothing secret goes on its command line: the
    /// password, when we hold one, is written to a 0600 temporary passfile named by PGPASSFILE,
    /// which lives as long as the returned [`ChildAuth`].
    pub fn child_auth(&self) -> Result<ChildAuth> {
        let mut env = vec![
            ("PGHOST".to_string(), self.hosts.join(",")),
            (
                "PGPORT".to_string(),
                self.ports
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            ("PGUSER".to_string(), self.user.clone()),
            ("PGDATABASE".to_string(), self.dbname.clone()),
        ];
        for (key, var) in PARAM_ENV {
            if let Some(v) = self.params.get(*key) {
                env.push(((*var).to_string(), v.clone()));
            }
        }
        let mut passfile = None;
        if let Some(pw) = &self.password {
            let mut f = tempfile::Builder::new()
                .prefix(".pgpass-")
                .tempfile()
                .ctx(|| "cannot create a temporary passfile".to_string())?;
            // tempfile creates files 0600 on Unix; set it again so the guarantee does not rest on a default.
            set_mode_0600(f.path())?;
            let mut line = String::from("*:*:*:*:");
            for c in pw.expose().chars() {
                if c == ':' || c == '\\' {
                    line.push('\\');
                }
                line.push(c);
            }
            line.push('\n');
            f.write_all(line.as_bytes())
                .and_then(|_| f.flush())
                .ctx(|| "cannot write the temporary passfile".to_string())?;
            env.push(("PGPASSFILE".to_string(), f.path().display().to_string()));
            passfile = Some(f);
        }
        Ok(ChildAuth {
            env,
            remove: if self.password.is_some() {
                vec!["PGPASSWORD".to_string()]
            } else {
                Vec::new()
            },
            _passfile: passfile,
        })
    }

    /// The driver configuration for admin statements over tokio-postgres.
    pub fn driver_config(&self) -> tokio_postgres::Config {
        let mut cfg = tokio_postgres::Config::new();
        for h in &self.hosts {
            if h.starts_with('/') {
                cfg.host_path(h);
            } else {
                cfg.host(h);
            }
        }
        for p in &self.ports {
            cfg.port(*p);
        }
        cfg.user(&self.user);
        cfg.dbname(&self.dbname);
        // The program's own name, so operators can tell our sessions apart in pg_stat_activity.
        let program = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .filter(|s| ["backup-tool", "sync-tool", "mask-tool"].contains(&s.as_str()))
            .unwrap_or_else(|| "backup-tools".into());
        cfg.application_name(&program);
        if let Some(pw) = &self.password {
            cfg.password(pw.expose());
        }
        if let Some(t) = self
            .params
            .get("connect_timeout")
            .and_then(|t| t.parse::<u64>().ok())
        {
            cfg.connect_timeout(std::time::Duration::from_secs(t.max(2)));
        } else {
            cfg.connect_timeout(std::time::Duration::from_secs(15));
        }
        cfg
    }

    /// Finds a password in the pgpass file (PGPASSFILE or ~/.pgpass), as libpq would.
    fn lookup_pgpass(&self) -> Option<(Secret, PathBuf)> {
        let path = std::env::var_os("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass")))?;
        let text = std::fs::read_to_string(&path).ok()?;
        let host = self.hosts.first()?;
        let host = if host.starts_with('/') {
            "localhost"
        } else {
            host.as_str()
        };
        let port = self.ports.first()?.to_string();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields = split_pgpass_line(line);
            if fields.len() < 5 {
                continue;
            }
            let matches = |pat: &str, v: &str| pat == "*" || pat == v;
            if matches(&fields[0], host)
                && matches(&fields[1], &port)
                && matches(&fields[2], &self.dbname)
                && matches(&fields[3], &self.user)
            {
                return Some((Secret::new(fields[4].clone()), path));
            }
        }
        None
    }
}

fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    if let Some(last) = fields.last_mut() {
                        last.push(n);
                    }
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

fn default_socket_dir() -> String {
    for d in ["/var/run/postgresql", "/tmp"] {
        if Path::new(d).is_dir() {
            return d.to_string();
        }
    }
    "localhost".to_string()
}

fn os_user_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "postgres".into())
}

/// Sets a file's mode to 0600 (owner read/write only).
pub fn set_mode_0600(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .ctx(|| format!("cannot set mode 0600 on {}", path.display()))
}

/// Environment for a libpq child process, and the temporary passfile it points at.
pub struct ChildAuth {
    /// Variables to set on the child.
    pub env: Vec<(String, String)>,
    /// Variables to remove from the child's inherited environment.
    pub remove: Vec<String>,
    _passfile: Option<tempfile::NamedTempFile>,
}

impl ChildAuth {
    /// Applies the environment to a command about to be spawned.
    pub fn apply(&self, cmd: &mut std::process::Command) {
        for k in &self.remove {
            cmd.env_remove(k);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(s: &str) -> PgUrl {
        match DbUrl::parse(s) {
            Ok(DbUrl::Postgres(u)) => u,
            other => panic!("expected a PostgreSQL URL from {s}, got {other:?}"),
        }
    }

    #[test]
    fn parses_full_url_and_redacts_password() {
        let u = pg("postgresql://girok_user:pr%40d:pw@prod-db:5434/girok_user?sslmode=require");
        assert_eq!(u.user.as_deref(), Some("girok_user"));
        assert_eq!(u.password.as_ref().map(|p| p.expose()), Some("pr@d:pw"));
        assert_eq!(u.hosts, vec!["prod-db"]);
        assert_eq!(u.ports, vec!["5434"]);
        assert_eq!(u.dbname.as_deref(), Some("girok_user"));
        let r = u.redacted();
        assert_eq!(
            r,
            "postgresql://girok_user:***@prod-db:5434/girok_user?sslmode=require"
        );
        assert!(!format!("{u:?}").contains("pr@d"));
    }

    #[test]
    fn prisma_schema_parameter_is_accepted() {
        let u = pg("postgresql://dev:dev_password@localhost:5432/dev_girok_user?schema=public");
        assert_eq!(u.params.get("schema").map(String::as_str), Some("public"));
        let c = PgConn::resolve(&u, None).expect("resolves");
        assert!(!c.params.contains_key("schema"));
    }

    #[test]
    fn unknown_parameter_is_an_error_without_the_password() {
        let e = DbUrl::parse("postgresql://u:hunter2@h/db?bogus=1").expect_err("must fail");
        let msg = e.to_string();
        assert!(msg.contains("bogus"), "{msg}");
        assert!(!msg.contains("hunter2"), "{msg}");
    }

    #[test]
    fn multi_host_and_ipv6() {
        let u = pg("postgres://a@[::1]:5433,h2/db");
        assert_eq!(u.hosts, vec!["::1", "h2"]);
        assert_eq!(u.ports, vec!["5433", ""]);
        assert_eq!(u.redacted(), "postgresql://a@[::1]:5433,h2/db");
    }

    #[test]
    fn bad_port_is_a_usage_error() {
        let e = DbUrl::parse("postgresql://u@h:99999/db").expect_err("must fail");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn sqlite_forms() {
        assert_eq!(
            DbUrl::parse("sqlite:///abs/path.db").ok(),
            Some(DbUrl::Sqlite(PathBuf::from("/abs/path.db")))
        );
        assert_eq!(
            DbUrl::parse("sqlite://rel/path.db").ok(),
            Some(DbUrl::Sqlite(PathBuf::from("rel/path.db")))
        );
        assert_eq!(
            DbUrl::parse("server/database.sqlite3").ok(),
            Some(DbUrl::Sqlite(PathBuf::from("server/database.sqlite3")))
        );
        assert!(DbUrl::parse("mysql://x/y").is_err());
        assert!(DbUrl::parse("notes.txt").is_err());
    }

    #[test]
    fn unparsable_url_error_hides_password() {
        let e = DbUrl::parse("postgresql://u:topsecret@h:xx/db").expect_err("must fail");
        assert!(!e.to_string().contains("topsecret"), "{e}");
    }

    #[test]
    fn passfile_escapes_and_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let u = pg("postgresql://u:a%3Ab%5Cc@127.0.0.1:5432/db");
        let c = PgConn::resolve(&u, None).expect("resolves");
        let auth = c.child_auth().expect("auth");
        let file = auth
            .env
            .iter()
            .find(|(k, _)| k == "PGPASSFILE")
            .map(|(_, v)| v.clone())
            .expect("passfile set");
        let meta = std::fs::metadata(&file).expect("exists");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        let text = std::fs::read_to_string(&file).expect("readable");
        assert_eq!(text, "*:*:*:*:a\\:b\\\\c\n");
        assert!(auth.env.iter().all(|(_, v)| !v.contains("a:b")));
        drop(auth);
        assert!(
            !Path::new(&file).exists(),
            "passfile removed when the child is done"
        );
    }

    #[test]
    fn pgpass_line_splitting() {
        let f = split_pgpass_line("h:5432:db:u:p\\:w:x");
        assert_eq!(f, vec!["h", "5432", "db", "u", "p:w:x"]);
    }
}
