//! Errors of the engine, and the exit codes they map to.
//!
//! Rules every variant follows:
//! - name the object (a file, a table, a database as a redacted URL), never the data (a row
//!   value, a password);
//! - keep the cause as a `#[source]` and do not repeat it in the message: the binaries print the
//!   whole chain (`{:#}`), and [`chain`] renders it for reports;
//! - one place, [`Error::exit`], decides the documented exit code of every failure.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;

use dump::DumpError;
use mask::MaskError;

/// The documented exit codes, the same for the three tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done.
    Ok,
    /// 1: the work failed (dump, restore, connection, disk, data).
    Failure,
    /// 2: wrong usage, configuration or rules.
    Usage,
    /// 3: a check failed (verification, lint findings, a leak).
    CheckFailed,
    /// 4: `status` found no recent enough backup.
    Stale,
    /// 5: another run holds the lock.
    Locked,
    /// 6: a safety rule refused (protected target, unconfirmed replace).
    Refused,
    /// 128 + N: stopped by signal N (130 for Ctrl-C, 143 for SIGTERM), cleaned up.
    Signal(i32),
}

impl Exit {
    /// The process exit status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::CheckFailed => 3,
            Exit::Stale => 4,
            Exit::Locked => 5,
            Exit::Refused => 6,
            Exit::Signal(sig) => u8::try_from(128 + sig.clamp(1, 127)).unwrap_or(130),
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e.code())
    }
}

/// What went wrong, typed so that the binaries can choose an exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or an input value is wrong.
    #[error("{0}")]
    Usage(String),
    /// An input named on the command line or in a config (a certificate, a key, a recipients
    /// file) cannot be used; `context` names it, the cause says why.
    #[error("{context}")]
    BadInput {
        /// What was being read, naming the object ("cannot read root certificate file /x").
        context: String,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A configuration file is malformed.
    #[error("{}: {message}", path.display())]
    Config {
        /// The file that was read.
        path: PathBuf,
        /// What is wrong, with the key or line where possible.
        message: String,
    },
    /// A configuration or rules file cannot be read.
    #[error("cannot read {what} {}", path.display())]
    ConfigRead {
        /// What the file is ("rules file", "config file").
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A file operation failed; `context` says which operation on which path.
    #[error("{context}")]
    Io {
        /// The operation and the path, e.g. "cannot open backup /backups/x.sql.gz".
        context: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A child process (pg_dump, psql) failed.
    #[error(transparent)]
    Process(#[from] ProcessError),
    /// A PostgreSQL server or client problem (connection, query, version mismatch).
    #[error("{context}")]
    Postgres {
        /// What was being done, naming the database (redacted).
        context: String,
        /// What the server or the connection said, without row data.
        #[source]
        source: Option<ServerError>,
    },
    /// An SQLite problem, naming the database file.
    #[error("{context}")]
    Sqlite {
        /// What was being done, naming the file.
        context: String,
        /// What SQLite said.
        #[source]
        source: Option<Box<rusqlite::Error>>,
    },
    /// The masking engine stopped: its rules do not fit, or data cannot be masked safely.
    #[error(transparent)]
    Mask(Box<MaskError>),
    /// A dump stream is malformed or was cut short.
    #[error(transparent)]
    Dump(#[from] DumpError),
    /// Object storage (`s3://`) failed: the action, the object's URL, the status; no secret.
    #[error(transparent)]
    Remote(#[from] remote::RemoteError),
    /// Encryption or decryption (age) failed: a recipient, an identity, or altered ciphertext.
    #[error(transparent)]
    Seal(#[from] seal::SealError),
    /// A backup or copy failed verification: checksum, size, truncated stream, integrity check.
    #[error("{0}")]
    Verify(String),
    /// Verification failed on an error of the reading or decoding itself; `context` names the
    /// backup.
    #[error("{context}")]
    VerifyFailed {
        /// What was being checked, naming the backup.
        context: String,
        /// What failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Another run holds the lock for this backup name.
    #[error("{0}")]
    Locked(String),
    /// Data that cannot be processed safely (the run stops, nothing half-done is kept).
    #[error("{0}")]
    Data(String),
    /// The operator declined, or a safety rule refused the operation without an explicit override.
    #[error("{0}")]
    Refused(String),
    /// A signal stopped the run; everything it started was undone.
    #[error("interrupted by signal {signal}; {undone}")]
    Interrupted {
        /// The signal number (2 for SIGINT, 15 for SIGTERM).
        signal: i32,
        /// What was left as it was ("the restore was rolled back").
        undone: String,
    },
}

impl From<MaskError> for Error {
    fn from(e: MaskError) -> Self {
        Error::Mask(Box::new(e))
    }
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds an [`Error::Io`] with a context that names the operation and the object.
    pub fn io(context: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// An input that cannot be used (exit 2), `context` naming it, keeping the cause.
    pub fn bad_input(
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::BadInput {
            context: context.into(),
            source: source.into(),
        }
    }

    /// A verification that failed on an error (exit 3), `context` naming the backup, keeping
    /// the cause.
    pub fn verify_failed(
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::VerifyFailed {
            context: context.into(),
            source: source.into(),
        }
    }

    /// A PostgreSQL problem found by us (no server message behind it).
    pub fn postgres(context: impl Into<String>) -> Self {
        Error::Postgres {
            context: context.into(),
            source: None,
        }
    }

    /// An SQLite error, with what was being done.
    pub fn sqlite(context: impl Into<String>, source: rusqlite::Error) -> Self {
        Error::Sqlite {
            context: context.into(),
            source: Some(Box::new(source)),
        }
    }

    /// An SQLite problem found by us.
    pub fn sqlite_msg(context: impl Into<String>) -> Self {
        Error::Sqlite {
            context: context.into(),
            source: None,
        }
    }

    /// The run was stopped by a signal; `undone` says what stays as it was.
    pub fn interrupted(undone: impl Into<String>) -> Self {
        Error::Interrupted {
            signal: crate::interrupt::signal().unwrap_or(libc::SIGINT),
            undone: undone.into(),
        }
    }

    /// The documented exit code for this error.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Usage(_)
            | Error::BadInput { .. }
            | Error::Config { .. }
            | Error::ConfigRead { .. } => Exit::Usage,
            Error::Mask(e) if e.is_rules_error() => Exit::Usage,
            Error::Verify(_) | Error::VerifyFailed { .. } => Exit::CheckFailed,
            Error::Seal(e) if e.is_corrupt() => Exit::CheckFailed,
            Error::Seal(e) if !matches!(e, seal::SealError::Io { .. }) => Exit::Usage,
            Error::Remote(
                remote::RemoteError::Config { .. }
                | remote::RemoteError::InvalidLocation { .. }
                | remote::RemoteError::InvalidName { .. },
            ) => Exit::Usage,
            Error::Remote(e) if e.is_interrupted() => {
                Exit::Signal(crate::interrupt::signal().unwrap_or(libc::SIGINT))
            }
            Error::Locked(_) => Exit::Locked,
            Error::Refused(_) => Exit::Refused,
            Error::Interrupted { signal, .. } => Exit::Signal(*signal),
            _ => Exit::Failure,
        }
    }

    /// The exit status as a number (see [`Error::exit`]).
    pub fn exit_code(&self) -> u8 {
        self.exit().code()
    }

    /// The message with its causes, `a: b: c`, as the binaries print it.
    pub fn describe(&self) -> String {
        chain(self)
    }
}

/// Renders an error and its sources as one line, `outer: inner: innermost`, skipping a cause
/// whose text the outer message already ends with.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        if !text.is_empty() && !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        src = s.source();
    }
    out
}

/// Adds "what was being done to which object" to an `io::Result`.
pub trait IoContext<T> {
    /// Wraps the error as [`Error::Io`] with a lazily built context.
    fn ctx<F: FnOnce() -> String>(self, f: F) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn ctx<F: FnOnce() -> String>(self, f: F) -> Result<T> {
        self.map_err(|e| Error::io(f(), e))
    }
}

/// What a PostgreSQL server (or the connection to it) said, with row data removed: the SQLSTATE
/// when there is one, and the primary message with quoted values blanked (see
/// [`crate::engine::pg::sanitize_message`]). Never DETAIL, CONTEXT or the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    /// The SQLSTATE code (`42P01`), when the server sent one.
    pub code: Option<String>,
    /// The message, safe to print.
    pub message: String,
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(c) = &self.code {
            write!(f, " (SQLSTATE {c})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServerError {}

/// A child process that failed: which program, how it ended, and what it said (its stderr,
/// filtered of row data before it gets here).
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

/// Fails with [`Error::Interrupted`] when a stop was requested: called before each step that
/// makes a run's work visible (a commit, a swap, a rename, a manifest), so a stop that arrives
/// late still leaves everything as it was. `undone` says what stays as it was.
pub fn stop_point(undone: &str) -> Result<()> {
    if crate::interrupt::requested() {
        Err(Error::interrupted(undone))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_print_their_cause_once() {
        let e = Error::io(
            "cannot open backup /b/x.sql.gz",
            io::Error::from(io::ErrorKind::NotFound),
        );
        assert_eq!(
            e.describe(),
            "cannot open backup /b/x.sql.gz: entity not found"
        );
        let e = Error::ConfigRead {
            what: "rules file",
            path: PathBuf::from("x.toml"),
            source: io::Error::from_raw_os_error(libc::ENOENT),
        };
        let text = e.describe();
        assert_eq!(text.matches("x.toml").count(), 1, "{text}");
        assert!(text.contains("No such file or directory"), "{text}");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn exit_codes() {
        assert_eq!(Error::Verify("x".into()).exit_code(), 3);
        assert_eq!(Error::Refused("x".into()).exit_code(), 6);
        assert_eq!(
            Error::Interrupted {
                signal: 15,
                undone: String::new()
            }
            .exit_code(),
            143
        );
        assert_eq!(Exit::Signal(2).code(), 130);
    }
}
