//! Child processes (pg_dump, psql): one way to run them, so that none is left unchecked.
//!
//! A child's stderr is drained on its own thread (a chatty child can never block on a full pipe),
//! its exit status is always checked, and a failure carries the tail of what it printed. Stdout is
//! streamed ([`ChildReader`]) or stdin is fed ([`ChildWriter`]); neither buffers a whole dump.

use std::io::{self, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::engine::sanitize;

pub use crate::error::ProcessError;

/// How much of a child's stderr is kept for the error message (the tail is what explains a failure).
const STDERR_KEEP: usize = 16 * 1024;

/// Longest stderr line kept whole; a longer one (a row in a message) is cut.
const LINE_MAX: usize = 4096;

/// What a drain does with the lines it reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Drain {
    /// stderr: each line filtered of row data ([`sanitize::stderr_line`]), logged at debug level
    /// and kept (the tail) for the error message.
    Stderr,
    /// psql's stdout (command tags, `setval` results): read and thrown away.
    Discard,
}

/// Reads a child's output on its own thread, so the child can never block on a full pipe.
struct OutputDrain {
    buf: Arc<Mutex<String>>,
    thread: Option<JoinHandle<()>>,
}

impl OutputDrain {
    fn start(mut pipe: impl Read + Send + 'static, program: String, mode: Drain) -> Self {
        let buf = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&buf);
        let thread = std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            let mut line: Vec<u8> = Vec::new();
            let keep = |raw: &[u8]| {
                let text = String::from_utf8_lossy(&raw[..raw.len().min(LINE_MAX)]);
                let Some(safe) = sanitize::stderr_line(text.trim_end_matches('\r')) else {
                    return;
                };
                if safe.trim().is_empty() {
                    return;
                }
                tracing::debug!(target: "child", "{program}: {safe}");
                if let Ok(mut b) = sink.lock() {
                    b.push_str(&safe);
                    b.push('\n');
                    if b.len() > 2 * STDERR_KEEP {
                        let mut cut = b.len() - STDERR_KEEP;
                        while !b.is_char_boundary(cut) {
                            cut += 1;
                        }
                        b.drain(..cut);
                    }
                }
            };
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => {
                        if mode == Drain::Discard {
                            continue;
                        }
                        for part in chunk[..n].split_inclusive(|b| *b == b'\n') {
                            if part.last() == Some(&b'\n') {
                                if line.is_empty() {
                                    keep(&part[..part.len() - 1]);
                                } else {
                                    line.extend_from_slice(&part[..part.len() - 1]);
                                    keep(&line);
                                    line.clear();
                                }
                            } else if line.len() < 2 * LINE_MAX {
                                line.extend_from_slice(part);
                            }
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
            if !line.is_empty() {
                keep(&line);
            }
        });
        OutputDrain {
            buf,
            thread: Some(thread),
        }
    }

    fn finish(&mut self) -> String {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.buf.lock().map(|b| b.clone()).unwrap_or_default()
    }
}

fn program_name(cmd: &Command) -> String {
    std::path::Path::new(cmd.get_program())
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| cmd.get_program().to_string_lossy().into_owned())
}

/// Makes the child die with this process: the kernel sends it SIGKILL when the thread that
/// started it ends (a crash, `kill -9`, OOM), so no pg_dump keeps reading production and no psql
/// keeps a transaction open after we are gone. A child must therefore be finished by the thread
/// that started it, or by one that outlives it.
fn die_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let parent = rustix::process::getpid();
    // SAFETY: the closure runs between fork and exec and only makes async-signal-safe system
    // calls (prctl, getppid, _exit); it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))
                .map_err(io::Error::from)?;
            // The parent may have died between fork and prctl; then nobody would send the signal.
            if rustix::process::getppid() != Some(parent) {
                libc::_exit(137);
            }
            Ok(())
        });
    }
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
    stderr: OutputDrain,
    done: bool,
}

impl ChildReader {
    /// Spawns `cmd` with stdout piped to us and stderr drained; stdin is closed.
    pub fn spawn(mut cmd: Command) -> Result<ChildReader, ProcessError> {
        let program = program_name(&cmd);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        die_with_parent(&mut cmd);
        let mut child = cmd.spawn().map_err(|e| spawn_error(&program, e))?;
        crate::interrupt::register_child(child.id());
        let stdout = child.stdout.take();
        let stderr = match child.stderr.take() {
            Some(s) => OutputDrain::start(s, program.clone(), Drain::Stderr),
            None => OutputDrain::start(io::empty(), program.clone(), Drain::Stderr),
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

    /// Takes the child's stdout, to be read on another thread; the child is still finished (or
    /// killed) through this reader.
    pub fn take_stdout(&mut self) -> Box<dyn Read + Send> {
        match self.stdout.take() {
            Some(s) => Box::new(s),
            None => Box::new(io::empty()),
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
    stderr: OutputDrain,
    stdout: OutputDrain,
    done: bool,
}

impl ChildWriter {
    /// Spawns `cmd` with stdin piped from us.
    pub fn spawn(mut cmd: Command) -> Result<ChildWriter, ProcessError> {
        let program = program_name(&cmd);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        die_with_parent(&mut cmd);
        let mut child = cmd.spawn().map_err(|e| spawn_error(&program, e))?;
        crate::interrupt::register_child(child.id());
        let stdin = child.stdin.take();
        let stderr = match child.stderr.take() {
            Some(s) => OutputDrain::start(s, program.clone(), Drain::Stderr),
            None => OutputDrain::start(io::empty(), program.clone(), Drain::Stderr),
        };
        let stdout = match child.stdout.take() {
            Some(s) => OutputDrain::start(s, program.clone(), Drain::Discard),
            None => OutputDrain::start(io::empty(), program.clone(), Drain::Discard),
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
    die_with_parent(&mut cmd);
    let out = cmd.output().map_err(|e| spawn_error(&program, e))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(ProcessError {
            program,
            status: Some(out.status),
            stderr: String::from_utf8_lossy(&out.stderr)
                .lines()
                .filter_map(sanitize::stderr_line)
                .collect::<Vec<_>>()
                .join("\n"),
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
