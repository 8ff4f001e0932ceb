//! File primitives every layer uses: names, fsync, private modes.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{IoContext, Result};

mod stream;

pub use stream::StreamReader;

/// Buffer size of every stream stage (reading a child, a file or a pipe; decoding): large enough
/// that system calls and handoffs cost nothing next to the work per byte, small enough that a
/// handful of stages stay within a few megabytes.
pub const STREAM_BUF: usize = 256 * 1024;

/// Standard output as a file of its own (a duplicate of descriptor 1), unbuffered: for stages
/// that buffer their output themselves, without `std::io::Stdout`'s line buffering (which looks
/// for line feeds in, and copies, every chunk written).
pub fn stdout_file() -> Result<File> {
    use std::os::fd::AsFd;
    let fd = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .ctx(|| "cannot use standard output".to_string())?;
    Ok(File::from(fd))
}

/// `path` with `ext` appended to its file name (`db.sqlite` + `.bak` = `db.sqlite.bak`).
pub fn append_ext(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

/// The folder a file lives in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether this process can create a file in `dir` (tried with a private probe file, removed).
pub fn writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".backup-tools-probe-{}", std::process::id()));
    let ok = create_private(&probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

/// fsyncs a file by path.
pub fn fsync_file(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .ctx(|| format!("cannot fsync {}", path.display()))
}

/// fsyncs a folder, making renames and creations in it durable.
pub fn fsync_dir(dir: &Path) -> Result<()> {
    let d = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(d)
        .and_then(|f| f.sync_all())
        .ctx(|| format!("cannot fsync folder {}", d.display()))
}

/// Sets a file's permission bits.
pub fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .ctx(|| format!("cannot set mode {mode:o} on {}", path.display()))
}

/// The permission bits of a file, if it exists.
pub fn mode_of(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777)
}

/// Creates a new file for data, exclusively, mode 0600.
pub fn create_private(path: &Path) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .ctx(|| format!("cannot create {}", path.display()))
}
