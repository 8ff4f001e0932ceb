//! Connection strings as operators write them: parsing and redaction.
//!
//! Accepted forms, as in the design:
//! - `postgresql://user[:password]@host[:port][,host2[:port2]]/db?sslmode=...` (libpq URI; `postgres://`
//!   too);
//! - `sqlite:///abs/path.db`, `sqlite://rel/path.db`, or a plain path ending in `.db`, `.sqlite`,
//!   `.sqlite3`.
//!
//! Every URL that is printed goes through [`DbUrl::redacted`]; a password parsed here is a
//! [`Secret`], whose `Debug` and `Display` never show it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::error::{Error, Result};

/// A password or other secret; its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        crate::secrets::remember(&value);
        Secret(value)
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
    /// A service of the connection service file to take defaults from (`service=`).
    pub service: Option<String>,
    /// The passphrase of an encrypted client key (`sslpassword=`), never printed.
    pub sslpassword: Option<Secret>,
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
        if looks_like_keywords(s) {
            return parse_keywords(s).map(DbUrl::Postgres);
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

    /// What an operator types to confirm replacing this database: its name (the URL's, else
    /// PGDATABASE, else the user), or the SQLite file's path.
    pub fn confirmation_name(&self) -> String {
        match self {
            DbUrl::Postgres(u) => u
                .dbname
                .clone()
                .or_else(|| std::env::var("PGDATABASE").ok().filter(|v| !v.is_empty()))
                .or_else(|| u.user.clone())
                .or_else(|| std::env::var("PGUSER").ok())
                .unwrap_or_else(|| "postgres".into()),
            DbUrl::Sqlite(p) => p.display().to_string(),
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
            let shown = match userinfo.split_once(':') {
                Some((user, _)) => format!("{user}:***"),
                None => userinfo.to_string(),
            };
            return format!("{}://{shown}@{}", &s[..scheme_end], &after[at + 1..]);
        }
    }
    s.to_string()
}

/// Whether a string is a libpq keyword/value connection string (`host=db dbname=app`).
fn looks_like_keywords(s: &str) -> bool {
    !s.contains("://")
        && s.split_whitespace().next().is_some_and(|w| {
            w.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
        })
}

/// Parses `keyword=value ...` (values may be single-quoted, with `\'` and `\\` escapes).
fn parse_keywords(s: &str) -> Result<PgUrl> {
    let bad = |why: String| Error::Usage(format!("invalid connection string: {why}"));
    let mut url = PgUrl::default();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(bad(format!("missing \"=\" after \"{key}\"")));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            value.push(n);
                        }
                    }
                    '\'' => {
                        closed = true;
                        break;
                    }
                    c => value.push(c),
                }
            }
            if !closed {
                return Err(bad(format!("unterminated quoted value of \"{key}\"")));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                if c == '\\' {
                    chars.next();
                    if let Some(n) = chars.next() {
                        value.push(n);
                    }
                    continue;
                }
                value.push(c);
                chars.next();
            }
        }
        match key.as_str() {
            "host" => url.hosts = value.split(',').map(str::to_string).collect(),
            "port" => url.ports = value.split(',').map(str::to_string).collect(),
            "user" => url.user = Some(value),
            "password" => url.password = Some(Secret::new(value)),
            "dbname" => url.dbname = Some(value),
            "service" => url.service = Some(value),
            "sslpassword" => url.sslpassword = Some(Secret::new(value)),
            k if PARAM_ENV.iter().any(|(p, _)| *p == k) || IGNORED_PARAMS.contains(&k) => {
                url.params.insert(key, value);
            }
            other => {
                return Err(bad(format!(
                    "unsupported keyword \"{other}\" (supported: host, port, dbname, user, password, service, sslpassword, {})",
                    PARAM_ENV.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
                )))
            }
        }
    }
    Ok(url)
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
                "service" => url.service = Some(v),
                "sslpassword" => url.sslpassword = Some(Secret::new(v)),
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
pub(crate) const PARAM_ENV: &[(&str, &str)] = &[
    // The address to connect to; `host` stays the name certificates are checked against.
    ("hostaddr", "PGHOSTADDR"),
    ("sslmode", "PGSSLMODE"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ("sslcrl", "PGSSLCRL"),
    ("sslcompression", "PGSSLCOMPRESSION"),
    ("gssencmode", "PGGSSENCMODE"),
    ("application_name", "PGAPPNAME"),
    ("options", "PGOPTIONS"),
    ("target_session_attrs", "PGTARGETSESSIONATTRS"),
];

/// Parameters that application frameworks add to `DATABASE_URL` and that mean nothing to libpq
/// (Prisma's `schema`, `connection_limit`, ...). They are accepted and ignored, so the URL from an
/// application's `.env` works as it is.
pub(crate) const IGNORED_PARAMS: &[&str] = &[
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
    fn keyword_value_strings() {
        let u = pg(
            "host=db.example port=5433 dbname='my app' user=app sslmode=require password='p w\\'x'",
        );
        assert_eq!(u.hosts, vec!["db.example"]);
        assert_eq!(u.ports, vec!["5433"]);
        assert_eq!(u.dbname.as_deref(), Some("my app"));
        assert_eq!(u.password.as_ref().map(|p| p.expose()), Some("p w'x"));
        assert_eq!(u.params.get("sslmode").map(String::as_str), Some("require"));
        assert!(!u.redacted().contains("p w"), "{}", u.redacted());
        let s = pg("service=prod");
        assert_eq!(s.service.as_deref(), Some("prod"));
        assert!(DbUrl::parse("host=x bogus=1").is_err());
        let e = DbUrl::parse("host=x password=hunter2 bogus=1").expect_err("bad");
        assert!(!e.to_string().contains("hunter2"), "{e}");
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
}
