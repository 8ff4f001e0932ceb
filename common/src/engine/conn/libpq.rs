//! A PostgreSQL connection resolved the way libpq resolves one: the URL (or keyword/value
//! string) first, then the service it names (`service=`, `PGSERVICE`), then the PG*
//! environment variables, then the password file, then the built-in defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::time::Duration;

use super::passfile;
use super::url::{DbUrl, PgUrl, Secret, IGNORED_PARAMS, PARAM_ENV};
use crate::error::{Error, Result};

/// How long a whole connection may take (TCP, TLS, authentication) when the connection string
/// and `PGCONNECT_TIMEOUT` say nothing, for the tool's own connections and its children.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

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
    /// The passphrase of an encrypted client key, never printed.
    sslpassword: Option<Secret>,
}

impl PgConn {
    /// Applies libpq's defaults (PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE, PGPASSWORD,
    /// the pgpass file) to a parsed URL. `password_env` names a variable that holds the password,
    /// as a config file's `password_env` does; it wins over PGPASSWORD but not over a URL password.
    pub fn resolve(url: &PgUrl, password_env: Option<&str>) -> Result<PgConn> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        // The service's keywords fill what the URL leaves out, before the environment does.
        let service_name = url.service.clone().or_else(|| env("PGSERVICE"));
        let service: BTreeMap<String, String> = match &service_name {
            Some(name) => super::service::lookup(name)?.0,
            None => BTreeMap::new(),
        };
        let sv = |k: &str| service.get(k).filter(|v| !v.is_empty()).cloned();
        let hosts: Vec<String> = if url.hosts.iter().any(|h| !h.is_empty()) {
            url.hosts.clone()
        } else if let Some(h) = sv("host") {
            h.split(',').map(str::to_string).collect()
        } else if let Some(h) = env("PGHOST") {
            h.split(',').map(str::to_string).collect()
        } else if let Some(h) = url
            .params
            .get("hostaddr")
            .cloned()
            .or_else(|| sv("hostaddr"))
            .or_else(|| env("PGHOSTADDR"))
        {
            // Only an address: it is the name too (libpq checks certificates against it then).
            h.split(',').map(str::to_string).collect()
        } else {
            vec![default_socket_dir()]
        };
        let port_strings: Vec<String> = if url.ports.iter().any(|p| !p.is_empty()) {
            url.ports.clone()
        } else if let Some(p) = sv("port") {
            p.split(',').map(str::to_string).collect()
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
            .or_else(|| sv("user"))
            .or_else(|| env("PGUSER"))
            .unwrap_or_else(os_user_name);
        let dbname = url
            .dbname
            .clone()
            .or_else(|| sv("dbname"))
            .or_else(|| env("PGDATABASE"))
            .unwrap_or_else(|| user.clone());
        let mut params = url.params.clone();
        for (key, var) in PARAM_ENV {
            if !params.contains_key(*key) {
                if let Some(v) = sv(key).or_else(|| env(var)) {
                    params.insert((*key).to_string(), v);
                }
            }
        }
        params.retain(|k, _| !IGNORED_PARAMS.contains(&k.as_str()));
        if let Some(addrs) = params.get("hostaddr") {
            for a in addrs.split(',') {
                if a.trim().parse::<std::net::IpAddr>().is_err() {
                    return Err(Error::Usage(format!(
                        "hostaddr '{a}' is not a numeric IP address (the name goes in host)"
                    )));
                }
            }
        }
        let mut conn = PgConn {
            hosts,
            ports,
            user,
            dbname,
            password: None,
            password_source: None,
            params,
            sslpassword: url
                .sslpassword
                .clone()
                .or_else(|| sv("sslpassword").map(Secret::new)),
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
        } else if let Some(v) = sv("password") {
            conn.password = Some(Secret::new(v));
            conn.password_source = Some(format!(
                "service \"{}\"",
                service_name.as_deref().unwrap_or_default()
            ));
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

    /// The passphrase of the client key, if one was given.
    pub fn sslpassword(&self) -> Option<&Secret> {
        self.sslpassword.as_ref()
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
            service: None,
            sslpassword: None,
            params: self.params.clone(),
        };
        url.redacted()
    }

    /// Finds a password in the pgpass file (PGPASSFILE or ~/.pgpass), as libpq would.
    fn lookup_pgpass(&self) -> Option<(Secret, PathBuf)> {
        let host = self.hosts.first()?;
        let port = self.ports.first()?.to_string();
        passfile::lookup(host, &port, &self.dbname, &self.user)
    }
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
    fn prisma_schema_parameter_is_accepted() {
        let u = pg("postgresql://dev:dev_password@localhost:5432/dev_girok_user?schema=public");
        assert_eq!(u.params.get("schema").map(String::as_str), Some("public"));
        let c = PgConn::resolve(&u, None).expect("resolves");
        assert!(!c.params.contains_key("schema"));
    }
}
