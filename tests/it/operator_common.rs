//! Helpers of the operator suite (issue 11): checks that collect every failure of a test before
//! failing it, JSON and manifest readers, a real terminal (tmux) to watch progress bars in, and
//! the scans for secrets and Rust debug output.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use tests::{run, tool, Output};

/// Failed expectations of one test, reported together at its end (one run shows every defect
/// of a bullet, not only the first).
#[derive(Default)]
pub struct Checks {
    failed: Vec<String>,
}

impl Checks {
    /// A new, empty list.
    pub fn new() -> Checks {
        Checks::default()
    }

    /// Records `what` as failed unless `ok`.
    pub fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.failed.push(what());
        }
    }

    /// Records a failure when `text` holds `needle`.
    pub fn absent(&mut self, what: &str, text: &str, needle: &str) {
        if !needle.is_empty() && text.contains(needle) {
            self.failed.push(format!(
                "{what}: contains the secret {needle:?}:\n{}",
                tail(text)
            ));
        }
    }

    /// Records a failure when `text` shows Rust debug formatting or an OS error twice.
    pub fn clean(&mut self, what: &str, text: &str) {
        if let Some(p) = debug_struct(text) {
            self.failed.push(format!(
                "{what}: Rust debug output ({p:?}) in:\n{}",
                tail(text)
            ));
        }
        if let Some(line) = os_error_twice(text) {
            self.failed
                .push(format!("{what}: an OS error is printed twice: {line:?}"));
        }
    }

    /// [`Checks::clean`] on stdout and stderr, each on its own.
    pub fn clean_out(&mut self, what: &str, out: &Output) {
        self.clean(&format!("{what} (stdout)"), &out.stdout);
        self.clean(&format!("{what} (stderr)"), &out.stderr);
    }

    /// Whether nothing failed so far.
    pub fn ok(&self) -> bool {
        self.failed.is_empty()
    }

    /// Panics with every recorded failure.
    pub fn finish(self) {
        if !self.failed.is_empty() {
            panic!(
                "{} expectation(s) failed:\n- {}",
                self.failed.len(),
                self.failed.join("\n- ")
            );
        }
    }
}

/// A line that carries the same OS error twice (`No such file or directory (os error 2): No
/// such file or directory`), or an error line printed twice in a row of output.
pub fn os_error_twice(text: &str) -> Option<String> {
    const OS: [&str; 10] = [
        "No such file or directory",
        "Permission denied",
        "Connection refused",
        "Not a directory",
        "Is a directory",
        "File exists",
        "No space left on device",
        "Too many levels of symbolic links",
        "File name too long",
        "Directory not empty",
    ];
    let mut seen: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.matches("(os error").count() > 1 || OS.iter().any(|m| line.matches(m).count() > 1) {
            return Some(line.to_string());
        }
        let l = line.trim();
        if l.starts_with("error:") {
            if seen.contains(&l) {
                return Some(format!("printed twice: {l}"));
            }
            seen.push(l);
        }
    }
    None
}

/// The last part of a long text, for messages.
pub fn tail(s: &str) -> String {
    let s = s.trim_end();
    if s.len() <= 1500 {
        return s.to_string();
    }
    let mut i = s.len() - 1500;
    while !s.is_char_boundary(i) {
        i += 1;
    }
    format!("...{}", &s[i..])
}

/// A pattern of Rust's `{:?}` formatting found in `text`, if any.
pub fn debug_struct(text: &str) -> Option<&'static str> {
    [
        "Os {",
        "kind: ",
        "Custom {",
        "Error {",
        "{ code:",
        "code: Some(",
        "message: \"",
        "Some(\"",
        "{ ... }",
        "Kind(",
    ]
    .into_iter()
    .find(|p| text.contains(p))
    .or_else(|| nested_variant(text).then_some("Variant(Variant(..))"))
}

/// `Word(Word` as Rust prints nested enums with `{:?}` (`Other(OtherError(UnsupportedCertVersion))`).
fn nested_variant(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_uppercase() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_alphanumeric() {
                j += 1;
            }
            if j > i + 1
                && j + 1 < b.len()
                && b[j] == b'('
                && b[j + 1].is_ascii_uppercase()
                && b[i + 1].is_ascii_lowercase()
            {
                return true;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    false
}

/// The whole output of a run, for scans.
pub fn all(out: &Output) -> String {
    format!("{}\n{}", out.stdout, out.stderr)
}

/// Parses stdout as one JSON value, or explains why not.
pub fn json(out: &Output) -> Result<serde_json::Value, String> {
    serde_json::from_str(out.stdout.trim()).map_err(|e| {
        format!(
            "stdout is not one JSON value ({e}); exit {}:\nstdout: {}\nstderr: {}",
            out.code,
            tail(&out.stdout),
            tail(&out.stderr)
        )
    })
}

/// The manifest beside a backup file.
pub fn manifest(file: &Path) -> serde_json::Value {
    let p = format!("{}.manifest.json", file.display());
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}")))
        .unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Rewrites fields of a manifest (to move a backup back in time).
pub fn edit_manifest(file: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let p = format!("{}.manifest.json", file.display());
    let mut m = manifest(file);
    f(&mut m);
    std::fs::write(&p, serde_json::to_string_pretty(&m).expect("json")).expect("write manifest");
}

/// The decompressed text of a `.sql.gz` backup, read with `gzip -dc` (not our codec).
pub fn gunzip(file: &Path) -> String {
    let out = Command::new("gzip")
        .arg("-dc")
        .arg(file)
        .output()
        .expect("run gzip");
    assert!(
        out.status.success(),
        "gzip -dc {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A `backup-tool backup` of `url` into `dir`; returns the file (panics on failure).
pub fn backup(url: &str, dir: &Path, extra: &[&str]) -> PathBuf {
    let mut c = tool("backup-tool");
    c.args(["backup", "--db", url, "--dir"])
        .arg(dir)
        .args(extra);
    let out = run(c);
    assert_eq!(out.code, 0, "backup of {url} failed:\n{}", out.stderr);
    PathBuf::from(out.stdout.trim())
}

/// The workspace root (where README.md and examples/ are).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

/// An empty folder to be HOME (no ~/.pgpass, ~/.pg_service.conf or ~/.postgresql of root's).
pub fn empty_home() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("op-home-")
        .tempdir()
        .expect("home")
}

/// Writes `text` to `path` with `mode`.
pub fn write_mode(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// A tool command with no password anywhere in its environment, and HOME set to `home`.
pub fn bare(name: &str, home: &Path) -> Command {
    let mut c = tool(name);
    c.env_remove("PGPASSWORD")
        .env_remove("PGPASSFILE")
        .env_remove("PGSERVICE")
        .env_remove("PGSERVICEFILE")
        .env_remove("PGSYSCONFDIR")
        .env_remove("PGSSLMODE")
        .env_remove("PGSSLROOTCERT")
        .env_remove("PGSSLCERT")
        .env_remove("PGSSLKEY")
        .env("HOME", home);
    c
}

/// The environment of a process, as `KEY=value` strings.
pub fn environ(pid: i32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/environ"))
        .map(|b| {
            b.split(|c| *c == 0)
                .filter(|s| !s.is_empty())
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect()
        })
        .unwrap_or_default()
}

static TERMS: AtomicU32 = AtomicU32::new(0);

/// A real terminal: a private tmux server running one command in a 200x50 pane that stays
/// after the command ends.
pub struct Term {
    sock: String,
    _conf: tempfile::NamedTempFile,
}

impl Term {
    /// Starts `shell_command` (run by sh; prefix it with `exec` so the pane's process is the
    /// tool) in a new pane.
    pub fn start(shell_command: &str) -> Term {
        let sock = format!(
            "optest-{}-{}",
            std::process::id(),
            TERMS.fetch_add(1, Ordering::SeqCst)
        );
        let conf = tempfile::NamedTempFile::new().expect("tmux conf");
        std::fs::write(
            conf.path(),
            "set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\n",
        )
        .expect("write tmux conf");
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&sock)
            .arg("-f")
            .arg(conf.path())
            .args(["new-session", "-d", "-s", "op", "-x", "200", "-y", "50"])
            .arg(shell_command)
            .env_remove("TMUX")
            .output()
            .expect("run tmux (apt-get install tmux)");
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Term { sock, _conf: conf }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.sock)
            .args(args)
            .output()
            .expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// What the pane shows now (wrapped lines joined); with `escapes`, colour and attribute
    /// sequences included.
    pub fn screen(&self, escapes: bool) -> String {
        if escapes {
            self.tmux(&["capture-pane", "-p", "-J", "-e", "-t", "op"])
        } else {
            self.tmux(&["capture-pane", "-p", "-J", "-t", "op"])
        }
    }

    /// The pid of the pane's process.
    pub fn pid(&self) -> i32 {
        self.tmux(&["display-message", "-p", "-t", "op", "#{pane_pid}"])
            .trim()
            .parse()
            .unwrap_or(0)
    }

    /// Whether the pane's command has ended.
    pub fn dead(&self) -> bool {
        self.tmux(&["display-message", "-p", "-t", "op", "#{pane_dead}"])
            .trim()
            == "1"
    }

    /// Polls the screen until `f` accepts it (up to `limit`); returns the last screen.
    pub fn wait_for(
        &self,
        limit: std::time::Duration,
        mut f: impl FnMut(&str) -> bool,
    ) -> (bool, String) {
        let mut last = String::new();
        let ok = tests::poll_until(limit, || {
            last = self.screen(false);
            f(&last)
        });
        (ok, last)
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let pid = self.pid();
        if pid > 0 && !self.dead() {
            for k in tests::descendants(pid) {
                // SAFETY: a process of the pane this test started.
                unsafe {
                    libc::kill(k, libc::SIGKILL);
                }
            }
            // SAFETY: the pane's own process, started by this test.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.sock)
            .arg("kill-server")
            .output();
        // The server is gone; its socket file stays unless removed.
        let base = std::env::var_os("TMUX_TMPDIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/tmp"));
        // SAFETY: getuid has no preconditions.
        let uid = unsafe { libc::getuid() };
        let _ = std::fs::remove_file(base.join(format!("tmux-{uid}")).join(&self.sock));
    }
}

/// Quotes a word for sh.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
