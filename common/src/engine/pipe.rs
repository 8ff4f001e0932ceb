//! The one pipeline that feeds psql, and the rule it keeps: nothing commits unless the tool
//! says so, after the whole stream was read and checked.
//!
//! ```text
//! source (pg_dump stdout | a decoded, hash-checked backup) -> [masker] -> transaction filter -> psql
//!                                                              \-> tee (a kept masked dump)
//! ```
//!
//! psql runs without `--single-transaction`: the pipeline writes `BEGIN;` itself, then the stream
//! (pg_dump's own `BEGIN`/`COMMIT` around large objects left out by
//! [`dump::for_single_transaction`], so the transaction cannot end early), and `COMMIT;` only when
//! every stage succeeded: the source ended cleanly (pg_dump exited 0, or the backup's sha256
//! matched at its end), the masker accepted every row, the dump ended with pg_dump's completion
//! line, and the tee was written. On any failure psql is killed before it reads further; if the
//! tool itself dies (`kill -9`, OOM), psql dies with it (parent-death signal), and even a psql
//! that survived would only see its input end without `COMMIT`. Either way the server rolls the
//! transaction back: a load is whole or absent.
//!
//! Failures are reported by their cause: psql's own error when psql stopped reading, pg_dump's
//! when it exited with an error, the masker's when it refused the data (pg_dump killed for it is
//! not the cause), "interrupted" after Ctrl-C or SIGTERM.

use std::io::{self, BufRead, Read, Write};

use mask::{MaskError, MaskReport, Masker};

use crate::engine::conn::PgConn;
use crate::engine::pg::{spawn_psql, PgTool};
use crate::engine::process::{ChildReader, ChildWriter};
use crate::error::{Error, Result};

/// Where the SQL comes from.
pub enum Source<'a> {
    /// A running pg_dump: its exit status is part of the verdict.
    Dump(ChildReader),
    /// Any other stream (a decoded backup whose reader fails at its end when the checksum does
    /// not match).
    Reader(Box<dyn Read + Send + 'a>),
}

/// What to load, and how.
pub struct Load<'a> {
    /// The SQL stream.
    pub source: Source<'a>,
    /// Masks the stream on its way (its own thread).
    pub masker: Option<&'a mut Masker>,
    /// Also receives the masked stream, as it leaves the masker (a kept masked dump). Only used
    /// with a masker.
    pub tee: Option<&'a mut (dyn Write + Send)>,
    /// Statements run first, inside the same transaction (emptying a database being replaced).
    pub preamble: &'a str,
    /// What the target is, for messages ("table public.users of <db>").
    pub what: String,
    /// Shows the bytes loaded on a terminal.
    pub progress: Option<crate::progress::Bar>,
    /// The stream is one part of a parallel backup, checked by its own checksum: it does not
    /// end with pg_dump's completion line (only the whole file does).
    pub part: bool,
    /// What else to leave out (ownership, for `restore --no-owner`).
    pub script: dump::ScriptOptions,
}

/// What a committed load did.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Bytes of SQL that reached psql.
    pub bytes: u64,
    /// The masker's report, when there was one.
    pub masked: Option<MaskReport>,
}

/// Loads `load` into `target` with psql, in one transaction that only this function commits.
pub fn load_into_psql(psql: &PgTool, target: &PgConn, load: Load<'_>) -> Result<Loaded> {
    let (child, _auth) = spawn_psql(psql, target)?;
    let mut sink = Sink {
        child,
        failed: false,
        streamed: 0,
        armed: false,
        progress: None,
    };
    let Load {
        source,
        masker,
        tee,
        preamble,
        what,
        progress,
        part,
        script,
    } = load;
    sink.progress = progress;
    let begin = format!("BEGIN;\n{preamble}");
    if let Err(e) = sink.write_all(begin.as_bytes()) {
        return Err(psql_failure(&mut sink, e, &what));
    }
    sink.armed = true;
    let (mut producer, input): (Option<ChildReader>, Box<dyn Read + Send + '_>) = match source {
        Source::Dump(mut child) => {
            let stdout = child.take_stdout();
            (Some(child), Box::new(stdout))
        }
        Source::Reader(r) => (None, r),
    };
    let (filtered, masked) = match masker {
        None => (
            dump::for_single_transaction_with(
                crate::fs::StreamReader::new(input),
                &mut sink,
                script,
            ),
            None,
        ),
        Some(masker) => {
            let (pipe_in, pipe_out) =
                io::pipe().map_err(|e| Error::io("cannot create a pipe", e))?;
            std::thread::scope(|scope| {
                let masking = scope.spawn(move || {
                    let mut out = MaskedOut {
                        pipe: pipe_out,
                        tee,
                    };
                    let r = masker
                        .run(crate::fs::StreamReader::new(input), &mut out)
                        .map_err(Box::new);
                    // Closing the pipe tells the filter the stream ended.
                    drop(out);
                    r
                });
                let filtered = dump::for_single_transaction_with(
                    crate::fs::StreamReader::new(pipe_in),
                    &mut sink,
                    script,
                );
                let masked = masking.join().unwrap_or_else(|_| {
                    Err(Box::new(MaskError::Write(io::Error::other(
                        "the masker panicked",
                    ))))
                });
                (filtered, Some(masked))
            })
        }
    };
    // The verdict, cause first.
    let write_failed = sink.failed
        || matches!(&filtered, Err(dump::DumpError::Write { .. }))
            && !crate::interrupt::requested();
    if write_failed {
        if let Some(p) = producer.as_mut() {
            p.kill();
        }
        let e = match filtered {
            Err(dump::DumpError::Write { source }) => source,
            _ => io::Error::from(io::ErrorKind::BrokenPipe),
        };
        return Err(psql_failure(&mut sink, e, &what));
    }
    if crate::interrupt::requested() {
        sink.abort();
        if let Some(p) = producer.as_mut() {
            p.kill();
        }
        return Err(Error::interrupted(format!("{what} was rolled back")));
    }
    let masked = match masked {
        Some(Err(e)) => {
            sink.abort();
            if let Some(p) = producer.as_mut() {
                // When the input ended early, pg_dump has closed its output and is exiting: its
                // own error is the cause. Otherwise the masker refused the data and pg_dump is
                // stopped for it.
                let input_ended = matches!(
                    *e,
                    MaskError::Incomplete { .. }
                        | MaskError::TablesNotInDump { .. }
                        | MaskError::Dump(dump::DumpError::Truncated { .. })
                );
                if input_ended {
                    p.finish()?;
                } else {
                    p.kill();
                }
            }
            return Err(match *e {
                MaskError::Write(w) => {
                    Error::io(format!("cannot pass the masked stream on for {what}"), w)
                }
                other => Error::from(other),
            });
        }
        Some(Ok(report)) => Some(report),
        None => None,
    };
    if let Some(p) = producer.as_mut() {
        if let Err(e) = p.finish() {
            sink.abort();
            return Err(e.into());
        }
    }
    let filtered = match filtered {
        Ok(f) => f,
        Err(e) => {
            sink.abort();
            return Err(match e {
                dump::DumpError::Io { source, .. } => Error::Verify(format!(
                    "cannot read the stream for {what}: {}; nothing was committed",
                    crate::error::chain(&source)
                )),
                other => Error::Dump(other),
            });
        }
    };
    if !filtered.complete && !part {
        sink.abort();
        return Err(Error::Verify(format!(
            "the dump for {what} does not end with pg_dump's completion line (cut short); nothing was committed"
        )));
    }
    // Everything was read and checked: now, and only now, commit.
    crate::testpoint::reach("pipe.before-commit");
    if let Err(e) = crate::error::stop_point("nothing was committed") {
        sink.abort();
        return Err(e);
    }
    if let Err(e) = sink.write_all(b"\nCOMMIT;\n") {
        return Err(psql_failure(&mut sink, e, &what));
    }
    sink.child.finish()?;
    Ok(Loaded {
        bytes: filtered.bytes,
        masked,
    })
}

/// psql stopped reading or failed: its own message is the cause.
fn psql_failure(sink: &mut Sink, e: io::Error, what: &str) -> Error {
    match sink.child.finish() {
        Err(p) => Error::Process(p),
        Ok(()) => Error::io(format!("psql stopped reading the load of {what}"), e),
    }
}

/// psql's stdin, interruptible, remembering that a write failed.
struct Sink {
    child: ChildWriter,
    failed: bool,
    /// Bytes of the stream (after `BEGIN` and the preamble) written so far.
    streamed: u64,
    /// Whether `BEGIN` and the preamble are written and the stream counts.
    armed: bool,
    /// The terminal's progress bar, if any.
    progress: Option<crate::progress::Bar>,
}

impl Sink {
    /// Kills psql before it can read further: its transaction is rolled back.
    fn abort(&mut self) {
        self.child.kill();
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::interrupt::check()?;
        let n = self.child.write(buf).inspect_err(|_| self.failed = true)?;
        if !self.armed {
            return Ok(n);
        }
        if self.streamed == 0 && n > 0 {
            // psql has part of the stream: the fault suite stops here to kill the tool mid-load.
            crate::testpoint::reach("pipe.loading");
        }
        self.streamed += n as u64;
        if let Some(b) = &self.progress {
            b.inc(n as u64);
        }
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.child.flush()
    }
}

/// The masker's output: the pipe to the filter, and the tee.
struct MaskedOut<'t> {
    pipe: io::PipeWriter,
    tee: Option<&'t mut (dyn Write + Send)>,
}

impl Write for MaskedOut<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::interrupt::check()?;
        self.pipe.write_all(buf)?;
        if let Some(t) = self.tee.as_mut() {
            t.write_all(buf).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot write the kept dump: {e}"))
            })?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.pipe.flush()?;
        if let Some(t) = self.tee.as_mut() {
            t.flush()?;
        }
        Ok(())
    }
}

/// A reader that checks the interrupt flag, so a stage blocked on nothing else ends promptly.
pub struct Interruptible<R>(pub R);

impl<R: Read> Read for Interruptible<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        crate::interrupt::check()?;
        self.0.read(buf)
    }
}

impl<R: BufRead> BufRead for Interruptible<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        crate::interrupt::check()?;
        self.0.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.0.consume(n)
    }
}
