//! How a libpq child (pg_dump, psql, pg_dumpall) gets its connection and its password.
//!
//! Nothing secret goes on a command line. The connection goes through the PG* environment
//! variables; the password, when we hold one, through a password file that exists only in
//! memory: an anonymous `memfd` of this process (mode 0600, closed on exec), which the child
//! opens by the path `/proc/<our pid>/fd/<n>` named in `PGPASSFILE`. It has no name on any disk
//! and vanishes with this process, however it ends (`kill -9` included), so no password file can
//! be left behind.

use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};

use super::libpq::{PgConn, DEFAULT_CONNECT_TIMEOUT};
use super::passfile;
use super::url::PARAM_ENV;
use crate::error::{IoContext, Result};

/// Environment for a libpq child process, and the in-memory password file it points at.
pub struct ChildAuth {
    /// Variables to set on the child.
    pub env: Vec<(String, String)>,
    /// Variables to remove from the child's inherited environment.
    pub remove: Vec<String>,
    /// The password file; the child reads it through `/proc`, so it must outlive the child.
    _passfile: Option<OwnedFd>,
    /// The in-memory service file holding the client key's passphrase, if any.
    _servicefile: Option<OwnedFd>,
}

impl ChildAuth {
    /// The environment for a child connecting as `conn`.
    pub fn for_conn(conn: &PgConn) -> Result<ChildAuth> {
        let mut env = vec![
            ("PGHOST".to_string(), conn.hosts.join(",")),
            (
                "PGPORT".to_string(),
                conn.ports
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            ("PGUSER".to_string(), conn.user.clone()),
            ("PGDATABASE".to_string(), conn.dbname.clone()),
        ];
        for (key, var) in PARAM_ENV {
            if let Some(v) = conn.params.get(*key) {
                env.push(((*var).to_string(), v.clone()));
            }
        }
        // libpq waits for ever on a server that accepts and never answers; give children the
        // same bound the tool's own connections have.
        if !conn.params.contains_key("connect_timeout") {
            env.push((
                "PGCONNECT_TIMEOUT".to_string(),
                DEFAULT_CONNECT_TIMEOUT.as_secs().to_string(),
            ));
        }
        // A service file entry or a password file of the operator's must not override what was
        // resolved here: the child gets exactly this connection.
        let mut remove = vec!["PGSERVICE".to_string(), "PGPASSWORD".to_string()];
        let mut passfile = None;
        if let Some(pw) = conn.password() {
            let fd = memory_file(passfile::line_for_any(pw.expose()).as_bytes())?;
            env.push((
                "PGPASSFILE".to_string(),
                format!("/proc/{}/fd/{}", std::process::id(), fd.as_raw_fd()),
            ));
            passfile = Some(fd);
        } else {
            remove.push("PGPASSFILE".to_string());
            if let Some(f) = std::env::var_os("PGPASSFILE") {
                // Keep the operator's own file when we found no password in it either.
                env.push(("PGPASSFILE".to_string(), f.to_string_lossy().into_owned()));
            }
        }
        // A client key's passphrase has no environment variable: it reaches the child through
        // a service file that, like the password file, exists only in memory.
        let mut servicefile = None;
        if let Some(pw) = conn.sslpassword() {
            let text = format!("[backup-tools]\nsslpassword={}\n", pw.expose());
            let fd = memory_file(text.as_bytes())?;
            env.push((
                "PGSERVICEFILE".to_string(),
                format!("/proc/{}/fd/{}", std::process::id(), fd.as_raw_fd()),
            ));
            env.push(("PGSERVICE".to_string(), "backup-tools".to_string()));
            remove.retain(|v| v != "PGSERVICE");
            servicefile = Some(fd);
        }
        Ok(ChildAuth {
            env,
            remove,
            _passfile: passfile,
            _servicefile: servicefile,
        })
    }

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

/// An anonymous in-memory file holding `bytes`, mode 0600, closed on exec.
fn memory_file(bytes: &[u8]) -> Result<OwnedFd> {
    use rustix::fs::{fchmod, memfd_create, MemfdFlags, Mode};
    let fd = memfd_create("pgpass", MemfdFlags::CLOEXEC)
        .map_err(std::io::Error::from)
        .ctx(|| "cannot create an in-memory password file".to_string())?;
    fchmod(&fd, Mode::RUSR | Mode::WUSR)
        .map_err(std::io::Error::from)
        .ctx(|| "cannot set mode 0600 on the in-memory password file".to_string())?;
    let mut file = std::fs::File::from(fd);
    file.write_all(bytes)
        .and_then(|_| file.flush())
        .ctx(|| "cannot write the in-memory password file".to_string())?;
    Ok(OwnedFd::from(file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::conn::{DbUrl, PgUrl};
    use std::os::unix::fs::PermissionsExt;

    fn pg(s: &str) -> PgUrl {
        match DbUrl::parse(s) {
            Ok(DbUrl::Postgres(u)) => u,
            other => panic!("expected a PostgreSQL URL from {s}, got {other:?}"),
        }
    }

    #[test]
    fn password_file_is_private_in_memory_and_gone_with_us() {
        let u = pg("postgresql://u:a%3Ab%5Cc@127.0.0.1:5432/db");
        let c = PgConn::resolve(&u, None).expect("resolves");
        let auth = ChildAuth::for_conn(&c).expect("auth");
        let file = auth
            .env
            .iter()
            .find(|(k, _)| k == "PGPASSFILE")
            .map(|(_, v)| v.clone())
            .expect("passfile set");
        assert!(
            file.starts_with(&format!("/proc/{}/fd/", std::process::id())),
            "{file}"
        );
        let meta = std::fs::metadata(&file).expect("exists");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        let ino = std::os::unix::fs::MetadataExt::ino(&meta);
        let target = std::fs::read_link(&file).expect("a link to the memfd");
        assert!(
            target.to_string_lossy().starts_with("/memfd:"),
            "{target:?}"
        );
        let text = std::fs::read_to_string(&file).expect("readable");
        assert_eq!(text, "*:*:*:*:a\\:b\\\\c\n");
        assert!(auth.env.iter().all(|(_, v)| !v.contains("a:b")));
        drop(auth);
        // The descriptor number may be taken again at once by another test's file.
        let gone = std::fs::metadata(&file)
            .map(|m| std::os::unix::fs::MetadataExt::ino(&m) != ino)
            .unwrap_or(true);
        assert!(gone, "closed with the auth");
    }
}
