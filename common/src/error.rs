//! Errors of the engine, and the exit codes they map to.
//!
//! Rules every variant follows: name the object (a file, a table, a database as a redacted URL),
//! never the data (a row value, a password). The binaries add context with `anyhow` and print the
//! whole chain.

use std::path::PathBuf;

/// What went wrong, typed so that the binaries can choose an exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or an input value is wrong (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// A configuration or rules file is malformed (exit code 2).
    #[error("{path}: {message}")]
    Config {
        /// The file that was read.
        path: PathBuf,
        /// What is wrong, with the key or line where possible.
        message: String,
    },
    /// A file operation failed; `context` says which operation on which path.
    #[error("{context}: {source}")]
    Io {
        /// The operation and the path, e.g. "cannot open backup /backups/x.sql.gz".
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A child process (pg_dump, psql) failed.
    #[error(transparent)]
    Process(#[from] crate::process::ProcessError),
    /// A PostgreSQL server or client problem (connection, query, version mismatch).
    #[error("{0}")]
    Postgres(String),
    /// An SQLite problem, naming the database file.
    #[error("{0}")]
    Sqlite(String),
    /// A backup failed verification: checksum, size, truncated stream, failed integrity check (exit code 3).
    #[error("{0}")]
    Verify(String),
    /// Another run holds the lock for this backup name (exit code 5).
    #[error("{0}")]
    Locked(String),
    /// The newest good backup is older than allowed, or there is none (exit code 4).
    #[error("{0}")]
    Stale(String),
    /// Data that cannot be processed safely: a truncated or malformed dump, a value a masking
    /// rule cannot handle (exit code 1; the run stops, nothing half-done is kept).
    #[error("{0}")]
    Data(String),
    /// The operator declined, or a safety rule refused the operation without an explicit override (exit code 6).
    #[error("{0}")]
    Refused(String),
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds an [`Error::Io`] with a context that names the operation and the object.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The documented process exit code for this error.
    ///
    /// 0 ok, 1 failure, 2 usage or configuration error, 3 verification failed,
    /// 4 no recent enough backup, 5 locked by another run, 6 refused by a safety rule.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::Config { .. } => 2,
            Error::Verify(_) => 3,
            Error::Stale(_) => 4,
            Error::Locked(_) => 5,
            Error::Refused(_) => 6,
            _ => 1,
        }
    }
}

/// Adds "what was being done to which object" to an `io::Result`.
pub trait IoContext<T> {
    /// Wraps the error as [`Error::Io`] with a lazily built context.
    fn ctx<F: FnOnce() -> String>(self, f: F) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn ctx<F: FnOnce() -> String>(self, f: F) -> Result<T> {
        self.map_err(|e| Error::io(f(), e))
    }
}
