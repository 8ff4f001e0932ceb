//! Child processes (pg_dump, psql): one way to run them, so that none is left unchecked.
//!
//! A child's stderr is drained on its own thread (a chatty child can never block on a full pipe),
//! its exit status is always checked, and a failure carries the tail of what it printed. Stdout is
//! streamed ([`ChildReader`]) or stdin is fed ([`ChildWriter`]); neither buffers a whole dump.

use std::io::{self, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// How much of a child's stderr is kept for the error message (the tail is what explains a failure).
const STDERR_KEEP: usize = 16 * 1024;

/// A child process that failed: which program, how it ended, and what it said.
#[derive(Debug, thiserror::Error)]
#[error("{program} {}{}", describe_status(.status), describe_stderr(.stderr))]
pub struct ProcessError {
    /// The program's name (not its arguments, which are ours and never secret, but noisy).
    pub program: String,
    /// How it ended; `None` when it could not be started or waited for.
    pub status: Option<ExitStatus>,
    /// The tail of its stderr, or the reason it could not be started.
    pub stderr: String,
}

fn describe_status(status: &Option<ExitStatus>) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status {
        None => "could not be run".into(),
        Some(s) => match (s.code(), s.signal()) {
            (Some(c), _) => format!("exited with status {c}"),
            (None, Some(sig)) => format!("was killed by signal {sig}"),
            _ => "ended abnormally".into(),
        },
    }
}

fn describe_stderr(stderr: &str) -> String {
    let t = stderr.trim();
    if t.is_empty() {
        String::new()
    } else {
        format!(": {t}")
    }
}

/// Collects the tail of a child's stderr on a thread, and optionally forwards each line to logs.
struct StderrDrain {
    buf: Arc<Mutex<Vec<u8>>>,
    thread: Option<JoinHandle<()>>,
}

impl StderrDrain {
    fn start(mut pipe: impl Read + Send + 'static, program: String) -> Self {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buf);
        let thread = std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => {
                        for line in String::from_utf8_lossy(&chunk[..n]).lines() {
                            if !line.trim().is_empty() {
                                tracing::debug!(target: "child", "{program}: {line}");
                            }
                        }
                        if let Ok(mut b) = sink.lock() {
                            b.extend_from_slice(&chunk[..n]);
                            if b.len() > 2 * STDERR_KEEP {
                                let cut = b.len() - STDERR_KEEP;
                                b.drain(..cut);
                            }
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
        });
        StderrDrain {
            buf,
            thread: Some(thread),
        }
    }

    fn finish(&mut self) -> String {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let b = self.buf.lock().map(|b| b.clone()).unwrap_or_default();
        let start = b.len().saturating_sub(STDERR_KEEP);
        String::from_utf8_lossy(&b[start..]).into_owned()
    }
}

fn program_name(cmd: &Command) -> String {
    std::path::Path::new(cmd.get_program())
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| cmd.get_program().to_string_lossy().into_owned())
}

fn spawn_error(program: &str, e: io::Error) -> ProcessError {
    let stderr = if e.kind() == io::ErrorKind::NotFound {
        format!("not found ({e}); install it or point --pg-bin-dir at its directory")
    } else {
        e.to_string()
    };
    ProcessError {
        program: program.to_string(),
        status: None,
        stderr,
    }
}

/// Streams a child's stdout; [`ChildReader::finish`] waits for it and turns any failure into an error.
pub struct ChildReader {
    program: String,
    child: Child,
    stdout: Option<ChildStdout>,
    stderr: StderrDrain,
    done: bool,
}

impl ChildReader {
    /// Spawns `cmd` with stdout piped to us and stderr drained; stdin is closed.
    pub fn spawn(mut cmd: Command) -> Result<ChildReader, ProcessError> {
        let program = program_name(&cmd);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| spawn_error(&program, e))?;
        crate::interrupt::register_child(child.id());
        let stdout = child.stdout.take();
        let stderr = match child.stderr.take() {
            Some(s) => StderrDrain::start(s, program.clone()),
            None => StderrDrain::start(io::empty(), program.clone()),
        };
        Ok(ChildReader {
            program,
            child,
            stdout,
            stderr,
            done: false,
        })
    }

    /// The child's process id (tests use it to kill the child mid-stream).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the child; a non-zero exit or a signal becomes a [`ProcessError`] carrying stderr.
    /// Safe to call twice: the second call reports success.
    pub fn finish(&mut self) -> Result<(), ProcessError> {
        if self.done {
            return Ok(());
        }
        self.done = true;
        // Drop our end of stdout first so a child still writing gets EPIPE instead of blocking.
        self.stdout = None;
        let status = self.child.wait();
        crate::interrupt::unregister_child(self.child.id());
        let stderr = self.stderr.finish();
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(ProcessError {
                program: self.program.clone(),
                status: Some(s),
                stderr,
            }),
            Err(e) => Err(ProcessError {
                program: self.program.clone(),
                status: None,
                stderr: format!("cannot wait for it: {e}"),
            }),
        }
    }

    /// Stops the child (used when the consumer failed and the rest of the output is unwanted).
    pub fn kill(&mut self) {
        if !self.done {
            let _ = self.child.kill();
            let _ = self.finish();
        }
    }
}

impl Read for ChildReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.stdout.as_mut() {
            Some(s) => s.read(buf),
            None => Ok(0),
        }
    }
}

impl Drop for ChildReader {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Feeds a child's stdin; [`ChildWriter::finish`] closes it, waits, and checks the exit status.
/// The child's stdout is drained and discarded (psql prints command tags there).
pub struct ChildWriter {
    program: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stderr: StderrDrain,
    stdout: StderrDrain,
    done: bool,
}

impl ChildWriter {
    /// Spawns `cmd` with stdin piped from us.
    pub fn spawn(mut cmd: Command) -> Result<ChildWriter, ProcessError> {
        let program = program_name(&cmd);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| spawn_error(&program, e))?;
        crate::interrupt::register_child(child.id());
        let stdin = child.stdin.take();
        let stderr = match child.stderr.take() {
            Some(s) => StderrDrain::start(s, program.clone()),
            None => StderrDrain::start(io::empty(), program.clone()),
        };
        let stdout = match child.stdout.take() {
            Some(s) => StderrDrain::start(s, program.clone()),
            None => StderrDrain::start(io::empty(), program.clone()),
        };
        Ok(ChildWriter {
            program,
            child,
            stdin,
            stderr,
            stdout,
            done: false,
        })
    }

    /// Closes stdin, waits, and reports a non-zero exit with the child's stderr.
    pub fn finish(&mut self) -> Result<(), ProcessError> {
        if self.done {
            return Ok(());
        }
        self.done = true;
        self.stdin = None;
        let status = self.child.wait();
        crate::interrupt::unregister_child(self.child.id());
        let stderr = self.stderr.finish();
        let _ = self.stdout.finish();
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(ProcessError {
                program: self.program.clone(),
                status: Some(s),
                stderr,
            }),
            Err(e) => Err(ProcessError {
                program: self.program.clone(),
                status: None,
                stderr: format!("cannot wait for it: {e}"),
            }),
        }
    }

    /// Stops the child without letting it finish its input (used to abort a restore).
    pub fn kill(&mut self) {
        if !self.done {
            self.stdin = None;
            let _ = self.child.kill();
            let _ = self.finish();
        }
    }
}

impl Write for ChildWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.stdin.as_mut() {
            Some(s) => s.write(buf),
            None => Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "input already closed",
            )),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self.stdin.as_mut() {
            Some(s) => s.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for ChildWriter {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs a command to completion and returns its stdout as text; non-zero exit is an error.
pub fn run_capture(mut cmd: Command) -> Result<String, ProcessError> {
    let program = program_name(&cmd);
    cmd.stdin(Stdio::null());
    let out = cmd.output().map_err(|e| spawn_error(&program, e))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(ProcessError {
            program,
            status: Some(out.status),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_streams_and_checks_status() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "printf hello; echo oops >&2; exit 3"]);
        let mut r = ChildReader::spawn(cmd).expect("spawns");
        let mut s = String::new();
        r.read_to_string(&mut s).expect("reads");
        assert_eq!(s, "hello");
        let e = r.finish().expect_err("exit 3 is a failure");
        assert_eq!(e.status.and_then(|s| s.code()), Some(3));
        assert!(e.to_string().contains("oops"), "{e}");
        assert!(r.finish().is_ok(), "second finish is harmless");
    }

    #[test]
    fn reader_survives_a_flood_of_stderr() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "head -c 1000000 /dev/zero >&2; printf done"]);
        let mut r = ChildReader::spawn(cmd).expect("spawns");
        let mut s = String::new();
        r.read_to_string(&mut s).expect("reads");
        assert_eq!(s, "done");
        r.finish().expect("exit 0");
    }

    #[test]
    fn missing_program_is_named() {
        let e = ChildReader::spawn(Command::new("/nonexistent/pg_dump"))
            .err()
            .expect("cannot spawn");
        assert!(e.to_string().starts_with("pg_dump could not be run"), "{e}");
    }

    #[test]
    fn writer_reports_child_failure() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "cat >/dev/null; echo 'ERROR: boom' >&2; exit 1"]);
        let mut w = ChildWriter::spawn(cmd).expect("spawns");
        w.write_all(b"some input").expect("writes");
        let e = w.finish().expect_err("fails");
        assert!(e.to_string().contains("ERROR: boom"), "{e}");
    }
}
