//! The single error type of the dump reader and its codecs.

use std::io;

/// Everything that can go wrong while reading a plain-format dump or decoding
/// its data.
///
/// Messages name the place (line, byte offset, table) and the kind of problem,
/// never the row data itself: dumps hold personal data and these errors end up
/// in logs. Every variant is fatal for the stream that produced it; a masker
/// must stop rather than pass bytes through that it could not understand.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DumpError {
    /// Reading the dump failed.
    #[error("line {line}: reading the dump failed")]
    Io {
        /// Line the reader had reached.
        line: u64,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// Writing the passed-through copy of the dump failed.
    #[error("writing the dump copy failed")]
    Write {
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The input ended where a dump cannot end: inside a COPY block, a quoted
    /// string, a dollar quote, a comment or a statement. This is what a dump
    /// cut short by a full disk or a killed pg_dump looks like.
    #[error("line {line}: dump is truncated: input ended {context}")]
    Truncated {
        /// Line at which the input ended.
        line: u64,
        /// Byte offset at which the input ended.
        offset: u64,
        /// What was still open, and where it started.
        context: String,
    },
    /// A COPY data line that is not valid COPY text format.
    #[error("line {line}: invalid COPY data for table {table}: {reason}")]
    InvalidCopyRow {
        /// Line of the offending row.
        line: u64,
        /// Byte offset of the start of the offending row.
        offset: u64,
        /// The table being loaded, as SQL would spell it.
        table: String,
        /// What is wrong with the row.
        reason: &'static str,
    },
    /// Text outside data that this reader refuses to interpret, such as an
    /// unsupported COPY variant or a malformed INSERT.
    #[error("line {line}: {reason}")]
    Syntax {
        /// Line where the offending statement or command starts.
        line: u64,
        /// Byte offset where the offending statement or command starts.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// A single COPY field that cannot be decoded (no position: the caller
    /// knows which row it came from, see [`DumpError::located`]).
    #[error("invalid COPY field: {reason}")]
    InvalidCopyField {
        /// What is wrong with the field.
        reason: &'static str,
    },
    /// A table or column name that is not a valid SQL identifier list.
    #[error("invalid name {input:?}: {reason}")]
    InvalidName {
        /// The text that was given (a name, never row data).
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An INSERT statement whose VALUES part could not be parsed.
    #[error("invalid INSERT statement (at byte {offset} of the statement): {reason}")]
    InvalidInsert {
        /// Byte offset inside the statement text.
        offset: usize,
        /// What is wrong.
        reason: String,
    },
}

impl DumpError {
    /// Attaches a dump position to an error raised by one of the
    /// position-less helpers ([`super::decode_copy_field`],
    /// [`super::parse_insert_values`], ...), so that the message a user sees
    /// says where in the dump the problem is. `offset` is the byte offset of
    /// the row or statement the helper was given. Errors that already carry a
    /// position are returned unchanged.
    pub fn located(self, line: u64, offset: u64) -> DumpError {
        match self {
            DumpError::InvalidInsert {
                offset: inner,
                reason,
            } => DumpError::Syntax {
                line,
                offset: offset + inner as u64,
                reason: format!("invalid INSERT statement: {reason}"),
            },
            DumpError::InvalidCopyField { reason } => DumpError::Syntax {
                line,
                offset,
                reason: format!("invalid COPY field: {reason}"),
            },
            other => other,
        }
    }
}
