//! Where a backup folder is: a local directory, or an object-store location written as
//! `s3://bucket/prefix` wherever a folder or a backup file is named (`--dir`, `dir =`,
//! `restore s3://bucket/prefix/NAME.sql.gz`).
//!
//! A remote folder keeps the layout of a local one: `<prefix>/<file>` and
//! `<prefix>/<file>.manifest.json`, the manifest written last (the commit point), the lock an
//! object created only if absent under `<prefix>/.locks/`. Connections are made once per
//! location and process, from the environment (see the `remote` crate), never from a command
//! line; nothing here logs a key.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use remote::{Location, Options, Store};

use crate::error::{Error, IoContext, Result};

/// True when `path` names an object-store location (`s3://…`) rather than a local path.
pub fn is_remote(path: &Path) -> bool {
    path.to_str().is_some_and(Location::is_remote)
}

/// The store of the remote folder `dir` (`s3://bucket/prefix`), connected once per process.
pub fn store(dir: &Path) -> Result<Store> {
    static STORES: OnceLock<Mutex<HashMap<String, Store>>> = OnceLock::new();
    let text = dir
        .to_str()
        .ok_or_else(|| Error::Usage(format!("{} is not valid UTF-8", dir.display())))?
        .trim_end_matches('/');
    let cache = STORES.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(s) = cache.lock().ok().and_then(|c| c.get(text).cloned()) {
        return Ok(s);
    }
    let location = Location::parse(text)?;
    let store = Store::connect(&location, &options())?;
    if let Ok(mut c) = cache.lock() {
        c.insert(text.to_string(), store.clone());
    }
    Ok(store)
}

/// Time limits for object storage: each request bounded, a stop (SIGINT, SIGTERM) honoured
/// within 100 ms. `BACKUP_TOOLS_S3_TIMEOUT` (seconds) overrides the per-request limit.
fn options() -> Options {
    let mut o = Options {
        stop: Some(crate::interrupt::requested),
        ..Options::default()
    };
    if let Some(secs) = std::env::var("BACKUP_TOOLS_S3_TIMEOUT")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|s| *s > 0)
    {
        o.timeout = Duration::from_secs(secs);
        o.connect_timeout = o.connect_timeout.min(o.timeout);
    }
    o
}

/// Splits a remote backup file `s3://bucket/prefix/NAME` into its folder and object name.
pub fn split(file: &Path) -> Result<(PathBuf, String)> {
    let text = file.to_string_lossy();
    match text.rsplit_once('/') {
        Some((dir, name)) if !name.is_empty() && dir.len() > "s3://".len() => {
            Ok((PathBuf::from(dir), name.to_string()))
        }
        _ => Err(Error::Usage(format!(
            "{text} does not name an object: write s3://bucket/prefix/FILE"
        ))),
    }
}

/// The object `name` in the remote folder `dir`, for messages (`s3://bucket/prefix/name`).
pub fn url(dir: &Path, name: &str) -> PathBuf {
    PathBuf::from(format!(
        "{}/{name}",
        dir.to_string_lossy().trim_end_matches('/')
    ))
}

/// Opens the stored bytes of a backup file, local or remote, for reading in order.
pub fn open(file: &Path) -> Result<Box<dyn Read + Send>> {
    if is_remote(file) {
        let (dir, name) = split(file)?;
        Ok(Box::new(store(&dir)?.get(&name)?))
    } else {
        let f =
            std::fs::File::open(file).ctx(|| format!("cannot open backup {}", file.display()))?;
        Ok(Box::new(f))
    }
}

/// Size and sha256 of the stored bytes of a backup file, local or remote, read whole (a stop
/// ends the reading).
pub fn sha256(file: &Path) -> Result<(u64, String)> {
    let mut hashing = super::codec::HashingReader::new(open(file)?);
    let mut buf = vec![0u8; crate::fs::STREAM_BUF];
    loop {
        crate::interrupt::check().ctx(|| format!("cannot read backup {}", file.display()))?;
        match hashing.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(Error::io(
                    format!("cannot read backup {}", file.display()),
                    e,
                ))
            }
        }
    }
    let (_, size, sha) = hashing.finish();
    Ok((size, sha))
}

/// The stored size of a backup file, or `None` when it is not there.
pub fn size(file: &Path) -> Result<Option<u64>> {
    if is_remote(file) {
        let (dir, name) = split(file)?;
        Ok(store(&dir)?.head(&name)?.map(|i| i.size))
    } else {
        match std::fs::metadata(file) {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(format!("cannot read {}", file.display()), e)),
        }
    }
}

/// Reads a small object or file whole (a manifest), `None` when it does not exist.
pub fn read_small(file: &Path) -> Result<Option<Vec<u8>>> {
    if is_remote(file) {
        let (dir, name) = split(file)?;
        match store(&dir)?.get_bytes(&name) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e.into()),
        }
    } else {
        match std::fs::read(file) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(format!("cannot read {}", file.display()), e)),
        }
    }
}

/// The object names in a remote folder with their sizes (markers and locks left out).
pub fn list(dir: &Path) -> Result<Vec<(String, u64)>> {
    Ok(store(dir)?
        .list("")?
        .into_iter()
        .filter(|o| !o.name.contains('/'))
        .map(|o| (o.name, o.size))
        .collect())
}

/// Removes a remote object; a missing one is fine.
pub fn delete(file: &Path) -> Result<()> {
    let (dir, name) = split(file)?;
    Ok(store(&dir)?.delete(&name)?)
}

/// Checks that a remote folder can be listed (the bucket exists, the credentials work):
/// the remote counterpart of creating a missing local folder.
pub fn check_reachable(dir: &Path) -> Result<()> {
    store(dir)?.list(".locks/")?;
    Ok(())
}

/// Aborts multipart uploads left by killed or failed runs under `dir`; returns their names.
pub fn abort_stale_uploads(dir: &Path) -> Result<Vec<PathBuf>> {
    let names = store(dir)?.abort_stale_uploads(remote::upload::STALE_UPLOAD_AGE)?;
    Ok(names.iter().map(|n| url(dir, n)).collect())
}

/// A held lock on a remote folder's backup name; removed when dropped.
#[derive(Debug)]
pub struct RemoteLock {
    _lock: remote::ObjectLock,
}

/// How old a remote lock must be before another host takes it over: a backup or a prune that
/// has run for a day is gone (a killed run on this host is recognised at once).
const LOCK_MAX_AGE: Duration = Duration::from_secs(24 * 3600);

/// Takes the lock object `.locks/<name>.lock` in `dir`, waiting up to `wait` for a live holder.
pub fn lock(dir: &Path, name: &str, wait: Duration, purpose: &str) -> Result<RemoteLock> {
    let store = store(dir)?;
    let object = format!(".locks/{name}.lock");
    let deadline = std::time::Instant::now() + wait;
    loop {
        match store.try_lock(&object, purpose, LOCK_MAX_AGE)? {
            Ok(l) => return Ok(RemoteLock { _lock: l }),
            Err(remote::Held(who)) => {
                if std::time::Instant::now() >= deadline {
                    return Err(Error::Locked(format!(
                        "another run holds the lock for backup '{name}' in {}: {who}{}",
                        dir.display(),
                        if wait.is_zero() {
                            " (use --wait to wait for it)".to_string()
                        } else {
                            format!(" (waited {}s)", wait.as_secs())
                        }
                    )));
                }
            }
        }
        crate::interrupt::check()
            .ctx(|| format!("cannot lock backup '{name}' in {}", dir.display()))?;
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_paths_are_told_apart_and_split() {
        assert!(is_remote(Path::new("s3://bucket/prefix")));
        assert!(!is_remote(Path::new("/backups/s3:/x")));
        let (dir, name) = split(Path::new("s3://b/p/q/prod_1.sql.gz")).expect("split");
        assert_eq!(dir, PathBuf::from("s3://b/p/q"));
        assert_eq!(name, "prod_1.sql.gz");
        assert!(split(Path::new("s3://b")).is_err());
        assert_eq!(
            url(Path::new("s3://b/p/"), "f"),
            PathBuf::from("s3://b/p/f")
        );
        // Path::join keeps the text: a remote folder joined with a file name is its URL.
        assert_eq!(Path::new("s3://b/p").join("f"), PathBuf::from("s3://b/p/f"));
    }
}
