//! One run per backup name and folder at a time.
//!
//! Two overlapping runs of the same backup (a slow hourly dump still running when cron starts the
//! next one) would race on retention and double the load on production. The lock is an advisory
//! `flock` on `<dir>/.<name>.lock`, released by the kernel when the process ends in any way, so a
//! killed run never leaves a stale lock; the file records who holds it, for the message the second
//! run prints. A remote folder's lock is an object created only if absent ([`super::folder::lock`]).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, IoContext, Result};

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct BackupLock {
    _held: Held,
    path: PathBuf,
}

/// What holds the lock: the flocked file, or the lock object of a remote folder. Held for
/// its drop, which releases it.
#[derive(Debug)]
#[allow(dead_code)]
enum Held {
    File(File),
    Remote(super::folder::RemoteLock),
}

impl BackupLock {
    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Takes the lock for backup `name` in `dir`, waiting up to `wait` for another holder to finish.
/// `purpose` is recorded for the message another run would print ("backup", "prune").
///
/// In a remote folder (`s3://…`) the lock is the object `.locks/<name>.lock`, created only if
/// absent; see [`super::folder::lock`].
pub fn acquire(dir: &Path, name: &str, wait: Duration, purpose: &str) -> Result<BackupLock> {
    if super::folder::is_remote(dir) {
        let held = super::folder::lock(dir, name, wait, purpose)?;
        return Ok(BackupLock {
            _held: Held::Remote(held),
            path: super::folder::url(dir, &format!(".locks/{name}.lock")),
        });
    }
    let path = dir.join(format!(".{name}.lock"));
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .ctx(|| format!("cannot open lock file {}", path.display()))?;
    let deadline = Instant::now() + wait;
    loop {
        // SAFETY: flock on a file descriptor we own; no memory is involved.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc == 0 {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
            return Err(Error::io(format!("cannot lock {}", path.display()), err));
        }
        if Instant::now() >= deadline {
            let mut holder = String::new();
            let _ = file.seek(SeekFrom::Start(0));
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            return Err(Error::Locked(format!(
                "another run holds the lock for backup '{name}' in {}: {}{}",
                dir.display(),
                if holder.is_empty() {
                    "holder unknown"
                } else {
                    holder
                },
                if wait.is_zero() {
                    " (use --wait to wait for it)".to_string()
                } else {
                    format!(" (waited {}s)", wait.as_secs())
                }
            )));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let host = hostname();
    let info = format!(
        "pid {} on {host}, {purpose} started {}\n",
        std::process::id(),
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
    file.set_len(0)
        .and_then(|_| file.seek(SeekFrom::Start(0)))
        .and_then(|_| file.write_all(info.as_bytes()))
        .ctx(|| format!("cannot write lock file {}", path.display()))?;
    Ok(BackupLock {
        _held: Held::File(file),
        path,
    })
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "this host".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_with_the_first_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = acquire(dir.path(), "prod", Duration::ZERO, "backup").expect("first");
        let e = acquire(dir.path(), "prod", Duration::from_millis(300), "prune").expect_err("held");
        let msg = e.to_string();
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        assert!(msg.contains("backup started"), "{msg}");
        assert_eq!(e.exit_code(), 5);
        // Another name in the same folder is independent.
        let other = acquire(dir.path(), "staging", Duration::ZERO, "backup").expect("other name");
        drop(first);
        acquire(dir.path(), "prod", Duration::ZERO, "backup").expect("free again");
        drop(other);
    }
}
