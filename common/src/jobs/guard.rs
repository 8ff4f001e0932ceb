//! The one check that keeps production out of reach of every command that writes.
//!
//! "Same database" is decided by what the database is, never by how its URL is spelled:
//! for PostgreSQL the server's `system_identifier` (equal on a server and its physical
//! replicas, whatever host name, address or port leads there) and the database name the
//! server reports; for SQLite the file's device and inode (the same file through a symlink, a
//! hard link or `..` in the path). A target is refused (exit 6) when it is the source of the
//! run, or when it is an environment marked `protected`, unless the operator says so
//! explicitly.
//!
//! A protected environment that cannot be reached from here is compared by the addresses its
//! host names resolve to, its port and database name, so `localhost` and `127.0.0.1` still
//! match.

use std::net::{IpAddr, ToSocketAddrs};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::engine::conn::{DbUrl, PgConn};
use crate::engine::pg::PgAdmin;
use crate::error::{Error, Result};

/// Seconds the guard waits for a protected environment's server (it is often not reachable
/// from the staging side at all).
const GUARD_CONNECT_TIMEOUT: u64 = 5;

/// What a database is, as the server or the file system says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// A PostgreSQL database.
    Postgres {
        /// `pg_control_system().system_identifier` of the cluster.
        system: String,
        /// `current_database()`.
        database: String,
    },
    /// A PostgreSQL database that could not be reached: where its URL leads.
    Unreached {
        /// Every address the hosts resolve to, with the port.
        addresses: Vec<(IpAddr, u16)>,
        /// Socket folders, for Unix-socket connections.
        sockets: Vec<(PathBuf, u16)>,
        /// The database name.
        database: String,
    },
    /// An SQLite file.
    Sqlite {
        /// Device of the file.
        dev: u64,
        /// Inode of the file.
        ino: u64,
    },
    /// An SQLite file that does not exist yet.
    NewFile(PathBuf),
}

impl Identity {
    /// The source a backup's manifest records (`source_id`), which retention groups by:
    /// `pg:<system identifier>/<database>`, or for SQLite `sqlite:<canonical path>` of `path`.
    /// The SQLite form is the path, not the inode the guard compares: a blue/green swap renames
    /// a new file over the database, and its backups stay one source.
    pub fn source_id(&self, path: Option<&Path>) -> String {
        match (self, path) {
            (Identity::Postgres { system, database }, _) => format!("pg:{system}/{database}"),
            (Identity::Unreached { database, .. }, _) => format!("pg:unreached/{database}"),
            (_, Some(p)) => {
                let canonical = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
                format!("sqlite:{}", canonical.display())
            }
            (Identity::NewFile(p), None) => format!("sqlite:{}", p.display()),
            (Identity::Sqlite { dev, ino }, None) => format!("sqlite:dev{dev}/ino{ino}"),
        }
    }

    /// Whether two identities name the same database. An unreached server matches a reached one
    /// only through the reached one's own address, which [`identify`] records as well.
    pub fn same_as(&self, other: &Identity) -> bool {
        match (self, other) {
            (
                Identity::Unreached {
                    addresses: a,
                    sockets: sa,
                    database: da,
                },
                Identity::Unreached {
                    addresses: b,
                    sockets: sb,
                    database: db,
                },
            ) => da == db && (a.iter().any(|x| b.contains(x)) || sa.iter().any(|x| sb.contains(x))),
            (Identity::NewFile(a), Identity::NewFile(b)) => a == b,
            (a, b) => a == b,
        }
    }
}

/// A target as the guard sees it: what it is, and where its URL leads.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL, redacted, for messages.
    pub shown: String,
    /// What the server or the file system says it is.
    pub identity: Identity,
    /// Where the URL leads, for comparison with environments that cannot be reached.
    pub route: Option<Identity>,
}

/// Finds out what `url` is. PostgreSQL targets are connected to (with `password_env`); a server
/// that cannot be reached is an error, since a target must be reachable to be written.
pub fn identify(url: &DbUrl, password_env: Option<&str>) -> Result<Target> {
    match url {
        DbUrl::Postgres(u) => {
            let conn = PgConn::resolve(u, password_env)?;
            let identity = server_identity(&conn)?;
            Ok(Target {
                shown: conn.redacted(),
                identity,
                route: Some(route(&conn)),
            })
        }
        DbUrl::Sqlite(p) => Ok(Target {
            shown: url.redacted(),
            identity: file_identity(p),
            route: None,
        }),
    }
}

/// The server's own word on which database a connection reaches. A database that does not
/// exist yet is identified through the server's maintenance database.
fn server_identity(conn: &PgConn) -> Result<Identity> {
    let (admin, database) = match PgAdmin::connect(conn) {
        Ok(a) => (a, conn.dbname.clone()),
        Err(first) => {
            let maint = PgAdmin::connect_maintenance(conn).map_err(|_| first)?;
            (maint, conn.dbname.clone())
        }
    };
    Ok(Identity::Postgres {
        system: admin.system_identifier()?,
        database,
    })
}

/// Where a connection's hosts lead: resolved addresses and socket folders.
fn route(conn: &PgConn) -> Identity {
    let mut addresses = Vec::new();
    let mut sockets = Vec::new();
    for (i, h) in conn.hosts.iter().enumerate() {
        let port = conn
            .ports
            .get(i)
            .or(conn.ports.first())
            .copied()
            .unwrap_or(5432);
        if h.starts_with('/') {
            let dir = std::fs::canonicalize(h).unwrap_or_else(|_| PathBuf::from(h));
            sockets.push((dir, port));
        } else if let Ok(addrs) = (h.as_str(), port).to_socket_addrs() {
            for a in addrs {
                if !addresses.contains(&(a.ip(), port)) {
                    addresses.push((a.ip(), port));
                }
            }
        }
    }
    Identity::Unreached {
        addresses,
        sockets,
        database: conn.dbname.clone(),
    }
}

/// The file's device and inode, or its canonical path when it does not exist yet.
pub fn file_identity(p: &Path) -> Identity {
    match std::fs::metadata(p) {
        Ok(m) => Identity::Sqlite {
            dev: m.dev(),
            ino: m.ino(),
        },
        Err(_) => {
            let parent = crate::fs::parent_dir(p);
            let dir = std::fs::canonicalize(&parent).unwrap_or(parent);
            Identity::NewFile(dir.join(p.file_name().unwrap_or_default()))
        }
    }
}

/// An environment of a config file marked `protected`.
#[derive(Debug, Clone)]
pub struct Protected {
    /// Its name in the config.
    pub name: String,
    /// The config file it comes from.
    pub config: PathBuf,
    /// Its URL.
    pub db: DbUrl,
    /// Its password variable.
    pub password_env: Option<String>,
}

/// The protected environments of a config file.
pub fn protected_of(cfg: &Config) -> Vec<Protected> {
    cfg.env
        .iter()
        .filter(|(_, e)| e.protected)
        .filter_map(|(name, e)| {
            Some(Protected {
                name: name.clone(),
                config: cfg.path.clone(),
                db: DbUrl::parse(&e.db).ok()?,
                password_env: e.password_env.clone(),
            })
        })
        .collect()
}

/// The environment variable naming the config file the guard reads when no `--config` is given.
pub const CONFIG_ENV: &str = "BACKUP_TOOLS_CONFIG";

/// The system-wide config file the guard reads when neither `--config` nor
/// [`CONFIG_ENV`] names one.
pub const SYSTEM_CONFIG: &str = "/etc/backup-tools/backup.toml";

/// The protected environments that apply to a run: those of the config given with `--config`,
/// else of the file named by `$BACKUP_TOOLS_CONFIG`, else of `/etc/backup-tools/backup.toml`
/// when it exists. So protection holds when an operator forgets `--config`.
pub fn protected_envs(explicit: Option<&Config>) -> Result<Vec<Protected>> {
    if let Some(cfg) = explicit {
        return Ok(protected_of(cfg));
    }
    let path = match std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => {
            let p = PathBuf::from(SYSTEM_CONFIG);
            if !p.is_file() {
                return Ok(Vec::new());
            }
            p
        }
    };
    Ok(protected_of(&Config::load(&path)?))
}

/// What a writing command is about to do, for the guard.
pub struct Intent<'a> {
    /// The verb, for messages ("restore into", "mask in place", "refresh").
    pub action: &'a str,
    /// The database being written.
    pub target: &'a Target,
    /// The database being read, when the command copies one into the other.
    pub source: Option<&'a Target>,
    /// Protected environments the target must not be.
    pub protected: &'a [Protected],
    /// The operator's explicit override of `protected` (never of "target is the source").
    pub allow_protected: bool,
}

/// Refuses the write when the target is the source, or a protected environment (unless
/// overridden). Exit code 6.
pub fn check(intent: &Intent<'_>) -> Result<()> {
    let t = intent.target;
    if let Some(s) = intent.source {
        if s.identity.same_as(&t.identity) {
            return Err(Error::Refused(format!(
                "refusing to {} {}: it is the source itself (the same database, however the URL is spelled)",
                intent.action, t.shown
            )));
        }
    }
    if intent.allow_protected {
        return Ok(());
    }
    for p in intent.protected {
        if matches_protected(t, p) {
            return Err(Error::Refused(format!(
                "refusing to {} {}: it is environment '{}' of {}, which is marked protected (pass --allow-protected-target if you really mean it)",
                intent.action,
                t.shown,
                p.name,
                p.config.display()
            )));
        }
    }
    Ok(())
}

/// Whether `target` is the protected environment `p`.
fn matches_protected(target: &Target, p: &Protected) -> bool {
    match (&p.db, &target.identity) {
        (DbUrl::Sqlite(path), _) => file_identity(path).same_as(&target.identity),
        (DbUrl::Postgres(u), Identity::Postgres { .. }) => {
            let Ok(conn) = PgConn::resolve(u, p.password_env.as_deref()) else {
                return false;
            };
            if target
                .route
                .as_ref()
                .is_some_and(|r| route(&conn).same_as(r))
            {
                return true;
            }
            // Another address may still lead to the same server (a second interface, a proxy):
            // ask it, briefly.
            let mut quick = conn.clone();
            quick
                .params
                .insert("connect_timeout".into(), GUARD_CONNECT_TIMEOUT.to_string());
            match server_identity(&quick) {
                Ok(id) => id.same_as(&target.identity),
                Err(e) => {
                    tracing::debug!(
                        "protected environment '{}' is not reachable from here ({}); compared by address only",
                        p.name,
                        e.describe()
                    );
                    false
                }
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_by_address_not_spelling() {
        let conn = |s: &str| PgConn::from_url_str(s, None).expect("url");
        let a = route(&conn("postgresql://u@localhost:5432/app"));
        let b = route(&conn("postgresql://u@127.0.0.1:5432/app"));
        assert!(a.same_as(&b), "{a:?} vs {b:?}");
        let c = route(&conn("postgresql://u@127.0.0.1:5433/app"));
        assert!(!a.same_as(&c));
        let d = route(&conn("postgresql://u@127.0.0.1:5432/other"));
        assert!(!b.same_as(&d));
    }

    #[test]
    fn files_match_through_links() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("app.db");
        std::fs::write(&f, b"x").expect("write");
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(&f, &link).expect("symlink");
        let hard = dir.path().join("hard.db");
        std::fs::hard_link(&f, &hard).expect("hard link");
        let dotted = dir.path().join("sub/../app.db");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        for other in [&link, &hard, &dotted] {
            assert!(
                file_identity(&f).same_as(&file_identity(other)),
                "{other:?}"
            );
        }
        let g = dir.path().join("other.db");
        std::fs::write(&g, b"y").expect("write");
        assert!(!file_identity(&f).same_as(&file_identity(&g)));
    }
}
