//! The event reader: turns a plain-format dump into SQL text, COPY blocks
//! and INSERT statements without altering a byte.

use std::fmt;
use std::io::{BufRead, Write};

use super::copy::{row_problem, split_copy_fields};
use super::error::DumpError;
use super::insert::{insert_head, skip_insert_head};
use super::lexer::{Boundary, FirstWord, Lexer, Unfinished};
use super::name::{read_qualified_name, QualifiedName};
use super::scan::{is_space, Cursor};
use super::statement::{analyse_statement, valid_set, Statement};

/// Above this many buffered bytes, SQL text that needs no further
/// inspection (comments, most statements) is handed out before its end, so
/// a huge function body or view does not have to sit in memory whole.
const FLUSH_AT: usize = 1 << 20;

/// How much of the input's buffer [`scan_data_lines`] looks at per call.
const SCAN_WINDOW: usize = 1 << 20;

/// After a line this long has been served, the buffer is given back.
const SHRINK_ABOVE: usize = 8 << 20;

/// The comment lines pg_dump and pg_dumpall write once everything was
/// dumped.
const TRAILERS: [&[u8]; 2] = [
    b"-- PostgreSQL database dump complete",
    b"-- PostgreSQL database cluster dump complete",
];

/// One piece of a dump. Writing [`Event::bytes`] of every event in order
/// reproduces the input exactly.
///
/// All variants borrow from the reader, so an event has to be dropped before
/// the next one is requested.
pub enum Event<'a> {
    /// Bytes outside data (statements, comments, whitespace, psql
    /// meta-commands), to be written through verbatim. Statements that need
    /// no interpretation may be split over several events when they are
    /// very large.
    Sql(&'a [u8]),
    /// The `COPY ... FROM stdin;` line, verbatim up to and including its line
    /// feed, with the table and column names resolved. `columns` is empty
    /// when the statement has no column list (pg_dump writes none for tables
    /// without columns, whose rows are then empty lines).
    CopyStart {
        /// The statement line as it appears in the dump.
        raw: &'a [u8],
        /// The table being loaded.
        table: &'a QualifiedName,
        /// The column list, in row order.
        columns: &'a [String],
    },
    /// One data row in COPY TEXT format, verbatim, including its line feed.
    CopyRow(&'a [u8]),
    /// The end-of-data marker line `\.` with its line feed.
    CopyEnd(&'a [u8]),
    /// A whole INSERT statement, verbatim from `INSERT` through the
    /// terminating `;` (the line feed after it belongs to the next event).
    Insert {
        /// The statement as it appears in the dump.
        raw: &'a [u8],
        /// The target table.
        table: &'a QualifiedName,
        /// The explicit column list (`--column-inserts`), if any.
        columns: Option<&'a [String]>,
        /// Whether `standard_conforming_strings` was on where this statement
        /// appears; pass it to [`super::parse_insert_values_with`] so string
        /// literals are decoded and re-quoted the way the server reads them.
        standard_conforming_strings: bool,
    },
    /// A statement other than COPY FROM stdin and INSERT that puts data
    /// into tables (or may), or declares partitions or inheritance, verbatim
    /// from its first byte through the terminating `;`: UPDATE, MERGE,
    /// DELETE, WITH ..., SELECT ... INTO, CREATE TABLE ... AS, COPY ... FROM
    /// a file, ALTER TABLE ... ADD COLUMN ... DEFAULT, DO, CALL, CREATE
    /// TABLE ... PARTITION OF / INHERITS, ALTER TABLE ... ATTACH PARTITION.
    /// Also text that is not SQL at all (data rows outside their COPY
    /// block) and psql meta-commands other than the harmless ones, both as a
    /// write to an unknown table. Written through verbatim by readers that
    /// do not care; a masker decides from `statement` whether it may pass.
    Statement {
        /// The statement (or meta-command line) as it appears in the dump.
        raw: &'a [u8],
        /// What it does to table data.
        statement: &'a Statement,
    },
}

impl<'a> Event<'a> {
    /// The exact input bytes this event stands for.
    pub fn bytes(&self) -> &'a [u8] {
        match *self {
            Event::Sql(b) | Event::CopyRow(b) | Event::CopyEnd(b) => b,
            Event::CopyStart { raw, .. }
            | Event::Insert { raw, .. }
            | Event::Statement { raw, .. } => raw,
        }
    }
}

/// Shows kinds, lengths and table names only: rows and INSERT statements
/// carry personal data, and debug output tends to end up in logs.
impl fmt::Debug for Event<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Sql(b) => write!(f, "Sql({} bytes)", b.len()),
            Event::CopyStart {
                raw,
                table,
                columns,
            } => write!(
                f,
                "CopyStart({table}, {} columns, {} bytes)",
                columns.len(),
                raw.len()
            ),
            Event::CopyRow(b) => write!(f, "CopyRow({} bytes)", b.len()),
            Event::CopyEnd(b) => write!(f, "CopyEnd({} bytes)", b.len()),
            Event::Insert {
                raw,
                table,
                columns,
                ..
            } => write!(
                f,
                "Insert({table}, {} columns, {} bytes)",
                columns.map_or(0, <[String]>::len),
                raw.len()
            ),
            Event::Statement { raw, statement } => write!(
                f,
                "Statement({} writes, {} links, {} bytes)",
                statement.writes.len(),
                statement.links.len(),
                raw.len()
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sql,
    CopyData,
    Done,
    Failed,
}

/// What the next event is, decided before borrowing the bytes for it.
#[derive(Debug, Clone, Copy)]
enum Emit {
    Sql(usize),
    Insert(usize),
    Statement(usize),
    CopyStart(usize),
    AccRow(usize),
    AccEnd(usize),
    InputRow(usize),
    InputEnd(usize),
    Eof,
}

/// Reads a pg_dump plain-format (SQL script) dump as a sequence of
/// [`Event`]s.
///
/// COPY data rows are served straight out of the `BufRead`'s buffer: one
/// `memchr` for the line feed and a few byte checks per row, no copying and
/// no allocation, which is what lets tables nobody masks stream at memory
/// speed. A row that does not fit in that buffer (multi-megabyte values) is
/// gathered in an internal `Vec` that grows as needed. Everything outside
/// COPY data is run through a psql-compatible statement splitter, so
/// `COPY ... FROM stdin;` or `\.` inside a function body or a string is never
/// mistaken for data.
///
/// The reader fails closed: a truncated dump, a malformed data row or a
/// construct it does not understand well enough to delimit (such as COPY
/// with options, or a psql meta-command inside a statement) is an error,
/// never passed through. After an error, every further call returns an
/// error too.
///
/// Give it a large buffer for speed, e.g.
/// `BufReader::with_capacity(256 * 1024, file)`.
pub struct DumpReader<R> {
    input: R,
    /// Bytes of `input`'s buffer handed out by the previous event.
    lent_input: usize,
    /// Bytes at the front of `acc` handed out by the previous event.
    lent_acc: usize,
    /// Input read but not yet handed out: SQL text being split, or a data
    /// line that did not fit in the input's buffer.
    acc: Vec<u8>,
    lex: Lexer,
    mode: Mode,
    /// An INSERT or COPY statement waiting at the front of `acc` while the
    /// SQL text before it is handed out first.
    queued: Option<Emit>,
    copy_table: QualifiedName,
    copy_columns: Vec<String>,
    /// What the data rows of the current COPY block must look like.
    copy_expect: Expect,
    /// The analysis of the statement handed out as [`Event::Statement`].
    statement: Statement,
    insert_table: QualifiedName,
    insert_columns: Option<Vec<String>>,
    /// Text of the INSERT head `insert_table` and `insert_columns` were
    /// resolved from.
    insert_head_raw: Vec<u8>,
    /// Byte offset and line of the first byte not yet handed out.
    offset: u64,
    line: u64,
    /// Line where the current COPY block's statement started.
    copy_line: u64,
    /// Whether the last thing seen (other than comments and `\unrestrict`)
    /// was pg_dump's completion comment.
    trailer: bool,
}

impl<R: BufRead> DumpReader<R> {
    /// Starts reading a dump from `input`.
    pub fn new(input: R) -> Self {
        DumpReader {
            input,
            lent_input: 0,
            lent_acc: 0,
            acc: Vec::new(),
            lex: Lexer::new(),
            mode: Mode::Sql,
            queued: None,
            copy_table: QualifiedName::new(None, ""),
            copy_columns: Vec::new(),
            copy_expect: Expect::FirstRow,
            statement: Statement::default(),
            insert_table: QualifiedName::new(None, ""),
            insert_columns: None,
            insert_head_raw: Vec::new(),
            offset: 0,
            line: 1,
            copy_line: 0,
            trailer: false,
        }
    }

    /// Byte offset and (1-based) line number of the start of the next
    /// event, i.e. just past everything handed out so far.
    pub fn position(&self) -> (u64, u64) {
        (self.offset, self.line)
    }

    /// Whether the dump so far ends with pg_dump's completion trailer
    /// (`-- PostgreSQL database dump complete`), ignoring the comments, blank
    /// lines and `\unrestrict` command that may follow it. Meaningful once
    /// [`DumpReader::next_event`] has returned `Ok(None)`: a dump without it
    /// was cut short even if it happens to end between statements.
    pub fn saw_completion_trailer(&self) -> bool {
        self.trailer
    }

    /// Gives back the underlying reader, e.g. to check a decompressor's
    /// trailer once [`DumpReader::next_event`] has returned `Ok(None)`.
    /// Called earlier, input the reader had buffered but not yet handed out
    /// is lost.
    pub fn into_inner(mut self) -> R {
        self.release();
        self.input
    }

    /// The next event, borrowing the reader's buffers; `Ok(None)` at the
    /// clean end of the input.
    ///
    /// # Errors
    ///
    /// [`DumpError::Io`] when reading fails, [`DumpError::Truncated`] when
    /// the input ends inside a COPY block, string, dollar quote, comment or
    /// statement, [`DumpError::InvalidCopyRow`] for a data line the server
    /// would not read as one row, and [`DumpError::Syntax`] for constructs
    /// whose data this reader could not locate reliably. After an error the
    /// reader is unusable and keeps returning errors.
    pub fn next_event(&mut self) -> Result<Option<Event<'_>>, DumpError> {
        match self.mode {
            Mode::Done => return Ok(None),
            Mode::Failed => {
                return Err(DumpError::Syntax {
                    line: self.line,
                    offset: self.offset,
                    reason: "the dump reader already failed and cannot continue".into(),
                })
            }
            Mode::Sql | Mode::CopyData => {}
        }
        self.release();
        let emit = match self.decide() {
            Ok(e) => e,
            Err(e) => {
                self.mode = Mode::Failed;
                return Err(e);
            }
        };
        self.build(emit)
    }

    /// Inside a COPY block (right after [`Event::CopyStart`] or a
    /// [`Event::CopyRow`]), writes all remaining data rows of the block to
    /// `out` unchanged and returns how many there were; the next event is
    /// then [`Event::CopyEnd`]. Outside a COPY block it does nothing and
    /// returns 0.
    ///
    /// This is the fast lane for tables nobody rewrites: rows are still
    /// checked one by one, but whole buffers of them are written at once
    /// instead of one event per row, which matters for narrow rows.
    ///
    /// # Errors
    ///
    /// As for [`DumpReader::next_event`], plus [`DumpError::Write`] when
    /// `out` fails. Rows before a bad row have been written when the error
    /// is returned.
    pub fn copy_rows_to<W: Write + ?Sized>(&mut self, out: &mut W) -> Result<u64, DumpError> {
        self.copy_block(&mut Bulk(out))
    }

    /// Like [`DumpReader::copy_rows_to`], but hands the rows out one at a
    /// time with their fields already split: `row` gets each row (with its
    /// line terminator), its fields as [`crate::split_fields`] gives them
    /// (ranges of the row without its terminator) and whether the row is all
    /// ASCII. The rows are checked and split in the same pass over the
    /// input's buffer.
    ///
    /// # Errors
    ///
    /// As for [`DumpReader::copy_rows_to`]; an error from `row` stops the
    /// block and comes back as [`DumpError::Write`].
    pub fn copy_rows_split(&mut self, row: SplitRows<'_>) -> Result<u64, DumpError> {
        self.copy_block(&mut Split {
            spans: Vec::new(),
            row,
        })
    }

    /// The rows of the current COPY block (none when not in one) to `out`;
    /// a failure leaves the reader failed.
    fn copy_block(&mut self, out: &mut dyn RowsOut) -> Result<u64, DumpError> {
        if self.mode != Mode::CopyData || self.queued.is_some() {
            return Ok(0);
        }
        self.release();
        let copied = self.copy_block_inner(out);
        if copied.is_err() {
            self.mode = Mode::Failed;
        }
        copied
    }

    fn copy_block_inner(&mut self, out: &mut dyn RowsOut) -> Result<u64, DumpError> {
        let mut total = 0u64;
        loop {
            // All complete rows in the input's buffer, up to the end marker.
            let (len, rows, stop) = {
                let buf = self.input.fill_buf().map_err(|source| DumpError::Io {
                    line: self.line,
                    source,
                })?;
                out.rows(buf, &mut self.copy_expect)
            };
            self.input.consume(len);
            self.offset += len as u64;
            self.line += rows;
            total += rows;
            match stop {
                // The end marker is left for `next_event`.
                Some(RowsStop::End) => return Ok(total),
                Some(RowsStop::Bad(reason)) => return Err(self.bad_row(reason)),
                Some(RowsStop::Write(source)) => return Err(DumpError::Write { source }),
                None if len > 0 => continue,
                None => {}
            }
            // No complete line in the buffer: a line longer than the buffer,
            // or the end of the input. Let the one-line path handle it.
            let (n, from_input) = match self.copy_step()? {
                Emit::InputRow(n) => (n, true),
                Emit::AccRow(n) => (n, false),
                end => {
                    // The end marker (or something else to hand out next).
                    self.queued = Some(end);
                    return Ok(total);
                }
            };
            let line = if from_input {
                let buf = self.input.fill_buf().map_err(|source| DumpError::Io {
                    line: self.line,
                    source,
                })?;
                buf.get(..n).ok_or_else(|| DumpError::Io {
                    line: self.line,
                    source: std::io::Error::other("input buffer changed between reads"),
                })?
            } else {
                &self.acc[..n]
            };
            out.row(line)
                .map_err(|source| DumpError::Write { source })?;
            if from_input {
                self.input.consume(n);
            } else {
                self.acc.clear();
                // A long row's buffer is not kept for the rest of the run.
                if self.acc.capacity() > SHRINK_ABOVE {
                    self.acc = Vec::new();
                }
            }
            self.offset += n as u64;
            self.line += 1;
            total += 1;
        }
    }

    /// Drops what the previous event lent out.
    fn release(&mut self) {
        if self.lent_input > 0 {
            self.input.consume(self.lent_input);
            self.lent_input = 0;
        }
        if self.lent_acc > 0 {
            let n = self.lent_acc;
            self.acc.drain(..n);
            self.lex.shift(n);
            self.lent_acc = 0;
            if self.acc.is_empty() && self.acc.capacity() > SHRINK_ABOVE {
                self.acc = Vec::new();
            }
        }
    }

    fn decide(&mut self) -> Result<Emit, DumpError> {
        if let Some(q) = self.queued.take() {
            return Ok(q);
        }
        match self.mode {
            Mode::CopyData => self.copy_step(),
            _ => self.sql_step(),
        }
    }

    /// Turns a decision into the event, borrowing its bytes, and advances
    /// the position past them.
    fn build(&mut self, emit: Emit) -> Result<Option<Event<'_>>, DumpError> {
        let (len, newlines) = match emit {
            Emit::Eof => {
                self.mode = Mode::Done;
                return Ok(None);
            }
            Emit::InputRow(n) | Emit::InputEnd(n) => (n, 1),
            Emit::Sql(n)
            | Emit::Insert(n)
            | Emit::Statement(n)
            | Emit::CopyStart(n)
            | Emit::AccRow(n)
            | Emit::AccEnd(n) => {
                let newlines = memchr::memchr_iter(b'\n', &self.acc[..n]).count();
                (n, newlines)
            }
        };
        self.offset += len as u64;
        self.line += newlines as u64;
        let event = match emit {
            Emit::InputRow(n) | Emit::InputEnd(n) => {
                let line = self.line - 1;
                let buf = match self.input.fill_buf() {
                    Ok(buf) => buf,
                    Err(source) => {
                        self.mode = Mode::Failed;
                        return Err(DumpError::Io { line, source });
                    }
                };
                let Some(bytes) = buf.get(..n) else {
                    self.mode = Mode::Failed;
                    return Err(DumpError::Io {
                        line,
                        source: std::io::Error::other("input buffer changed between reads"),
                    });
                };
                self.lent_input = n;
                if matches!(emit, Emit::InputRow(_)) {
                    Event::CopyRow(bytes)
                } else {
                    Event::CopyEnd(bytes)
                }
            }
            Emit::Sql(n) => {
                self.lent_acc = n;
                Event::Sql(&self.acc[..n])
            }
            Emit::Insert(n) => {
                self.lent_acc = n;
                Event::Insert {
                    raw: &self.acc[..n],
                    table: &self.insert_table,
                    columns: self.insert_columns.as_deref(),
                    standard_conforming_strings: self.lex.std_strings,
                }
            }
            Emit::Statement(n) => {
                self.lent_acc = n;
                Event::Statement {
                    raw: &self.acc[..n],
                    statement: &self.statement,
                }
            }
            Emit::CopyStart(n) => {
                self.lent_acc = n;
                Event::CopyStart {
                    raw: &self.acc[..n],
                    table: &self.copy_table,
                    columns: &self.copy_columns,
                }
            }
            Emit::AccRow(n) => {
                self.lent_acc = n;
                Event::CopyRow(&self.acc[..n])
            }
            Emit::AccEnd(n) => {
                self.lent_acc = n;
                Event::CopyEnd(&self.acc[..n])
            }
            Emit::Eof => return Ok(None),
        };
        Ok(Some(event))
    }

    /// Line number of a position in `acc` (which starts at `self.line`).
    fn line_at(&self, at: usize) -> u64 {
        let at = at.min(self.acc.len());
        self.line + memchr::memchr_iter(b'\n', &self.acc[..at]).count() as u64
    }

    fn syntax(&self, at: usize, reason: impl Into<String>) -> DumpError {
        DumpError::Syntax {
            line: self.line_at(at),
            offset: self.offset + at as u64,
            reason: reason.into(),
        }
    }

    /// Reads the next data line of a COPY block.
    fn copy_step(&mut self) -> Result<Emit, DumpError> {
        let (len, kind) = {
            let buf = self.input.fill_buf().map_err(|e| DumpError::Io {
                line: self.line,
                source: e,
            })?;
            match memchr::memchr(b'\n', buf) {
                Some(i) => (
                    i + 1,
                    Some(data_line_kind(&buf[..=i], &mut self.copy_expect)),
                ),
                None => (buf.len(), None),
            }
        };
        if let Some(kind) = kind {
            let end = self.data_line_done(kind)?;
            return Ok(if end {
                Emit::InputEnd(len)
            } else {
                Emit::InputRow(len)
            });
        }
        // The line does not fit in what the input has buffered: gather it.
        loop {
            let (n, found) = {
                let buf = self.input.fill_buf().map_err(|e| DumpError::Io {
                    line: self.line,
                    source: e,
                })?;
                if buf.is_empty() {
                    break;
                }
                match memchr::memchr(b'\n', buf) {
                    Some(i) => {
                        self.acc.extend_from_slice(&buf[..=i]);
                        (i + 1, true)
                    }
                    None => {
                        self.acc.extend_from_slice(buf);
                        (buf.len(), false)
                    }
                }
            };
            self.input.consume(n);
            if found {
                let kind = data_line_kind(&self.acc, &mut self.copy_expect);
                let end = self.data_line_done(kind)?;
                let n = self.acc.len();
                return Ok(if end {
                    Emit::AccEnd(n)
                } else {
                    Emit::AccRow(n)
                });
            }
        }
        // End of input inside the block. psql accepts a final `\.` without
        // a line feed; anything else means the dump was cut short.
        if self.acc == b"\\." {
            self.data_line_done(Ok(true))?;
            return Ok(Emit::AccEnd(self.acc.len()));
        }
        Err(DumpError::Truncated {
            line: self.line_at(self.acc.len()),
            offset: self.offset + self.acc.len() as u64,
            context: format!(
                "inside the COPY data for table {} started at line {} (before \\.)",
                self.copy_table, self.copy_line
            ),
        })
    }

    /// Acts on the verdict for a data line: leaves COPY mode at the end
    /// marker, turns a bad row into an error naming the table.
    fn data_line_done(&mut self, kind: Result<bool, &'static str>) -> Result<bool, DumpError> {
        match kind {
            Ok(true) => {
                self.mode = Mode::Sql;
                self.lex.reset_gap();
                Ok(true)
            }
            Ok(false) => Ok(false),
            Err(reason) => Err(self.bad_row(reason)),
        }
    }

    /// The error for the data row starting at the current position.
    fn bad_row(&self, reason: &'static str) -> DumpError {
        DumpError::InvalidCopyRow {
            line: self.line,
            offset: self.offset,
            table: self.copy_table.to_string(),
            reason,
        }
    }

    /// Runs the statement splitter until there is something to hand out.
    fn sql_step(&mut self) -> Result<Emit, DumpError> {
        loop {
            let (n, boundary) = {
                let chunk = self.input.fill_buf().map_err(|e| DumpError::Io {
                    line: self.line,
                    source: e,
                })?;
                if chunk.is_empty() {
                    return self.sql_eof();
                }
                let (n, boundary) = self.lex.scan(chunk, self.acc.len());
                self.acc.extend_from_slice(&chunk[..n]);
                (n, boundary)
            };
            self.input.consume(n);
            match boundary {
                None => {
                    if self.acc.len() >= FLUSH_AT {
                        let k = self.lex.flushable(self.acc.len());
                        let mark = self.lex.mark().min(k);
                        // A statement that swallowed a data section is kept
                        // whole, to be reported when it ends.
                        let swallowed =
                            !self.lex.in_gap() && spans_data_section(&self.acc[mark..k]);
                        if k > 0 && !swallowed {
                            if !self.lex.in_gap() {
                                self.trailer = false;
                            }
                            return Ok(Emit::Sql(k));
                        }
                    }
                }
                Some(Boundary::GapComment { start, end }) => self.note_comment(start, end),
                Some(Boundary::Meta { start, end }) => {
                    if let Some(statement) = self.note_meta(start, end)? {
                        return Ok(self.emit_statement(start, end, statement));
                    }
                }
                Some(Boundary::StrayBackslash { at }) => {
                    return Err(self.syntax(
                        self.lex.mark(),
                        format!(
                            "backslash outside quotes inside a statement (line {}): \
                             psql meta-commands in the middle of a statement are not supported",
                            self.line_at(at)
                        ),
                    ))
                }
                Some(Boundary::Statement { start, end }) => return self.statement_end(start, end),
            }
        }
    }

    fn sql_eof(&mut self) -> Result<Emit, DumpError> {
        if let Some(what) = self.lex.unfinished() {
            let open_at = match what {
                Unfinished::Statement => self.lex.mark(),
                _ => self.lex.open_at(),
            };
            let context = match what {
                Unfinished::Statement => "in the middle of a statement (no terminating semicolon)",
                Unfinished::String => "inside a quoted string",
                Unfinished::QuotedIdentifier => "inside a quoted identifier",
                Unfinished::DollarQuote => "inside a dollar-quoted string",
                Unfinished::BlockComment => "inside a block comment",
            };
            return Err(DumpError::Truncated {
                line: self.line_at(self.acc.len()),
                offset: self.offset + self.acc.len() as u64,
                context: format!("{context} that started at line {}", self.line_at(open_at)),
            });
        }
        match self.lex.open_line() {
            Some((start, false)) => self.note_comment(start, self.acc.len()),
            Some((start, true)) => {
                let end = self.acc.len();
                if let Some(statement) = self.note_meta(start, end)? {
                    self.lex.reset_gap();
                    return Ok(self.emit_statement(start, end, statement));
                }
            }
            None => {}
        }
        self.lex.reset_gap();
        if self.acc.is_empty() {
            Ok(Emit::Eof)
        } else {
            Ok(Emit::Sql(self.acc.len()))
        }
    }

    /// A `--` comment between statements: is it pg_dump's trailer?
    fn note_comment(&mut self, start: usize, end: usize) {
        let text = trim_end(&self.acc[start..end]);
        if TRAILERS.contains(&text) {
            self.trailer = true;
        }
    }

    /// A psql meta-command line: refuse the ones that would read data this
    /// reader cannot see, track the ones that matter, and report the ones
    /// that could run anything (`\i`, `\!`, `\gexec`, and whatever else
    /// pg_dump never writes) as a write to an unknown table.
    fn note_meta(&mut self, start: usize, end: usize) -> Result<Option<Statement>, DumpError> {
        let text = &self.acc[start + 1..end];
        let name_len = text
            .iter()
            .position(|&b| is_space(b) || b == b'\\')
            .unwrap_or(text.len());
        let name = &text[..name_len];
        match name {
            b"." => return Err(self.syntax(
                start,
                "end-of-data marker \\. outside a COPY block (a COPY statement was not recognised)",
            )),
            b"copy" => {
                return Err(self.syntax(
                    start,
                    "psql \\copy is not supported in dumps: its data would not be recognised",
                ))
            }
            b"unrestrict" | b"restrict" => {}
            b"connect" | b"c" => {
                self.trailer = false;
                // A new session starts with the server default.
                self.lex.std_strings = true;
            }
            b"encoding" | b"set" | b"unset" | b"echo" | b"qecho" | b"warn" | b"pset"
            | b"timing" | b"conninfo" => self.trailer = false,
            _ => {
                self.trailer = false;
                return Ok(Some(Statement::unknown(
                    "psql meta-command that pg_dump never writes (it could read a file, run \
                     a program or repeat a query)",
                )));
            }
        }
        Ok(None)
    }

    /// Hands out `acc[start..end]` as an [`Event::Statement`] (after the
    /// text before it), or as plain SQL when it does nothing to table data.
    fn emit_statement(&mut self, start: usize, end: usize, statement: Statement) -> Emit {
        if statement.is_empty() {
            return Emit::Sql(end);
        }
        self.statement = statement;
        if start > 0 {
            self.queued = Some(Emit::Statement(end - start));
            Emit::Sql(start)
        } else {
            Emit::Statement(end)
        }
    }

    /// A complete statement at `acc[start..end]`: decide how to hand it out.
    fn statement_end(&mut self, start: usize, end: usize) -> Result<Emit, DumpError> {
        self.trailer = false;
        if spans_data_section(&self.acc[start..end]) {
            return Ok(self.emit_statement(
                start,
                end,
                Statement::unknown(
                    "statement that runs over a data section of the dump (a quote or dollar \
                     quote out of step: the dump was damaged or edited)",
                ),
            ));
        }
        match self.lex.first_word() {
            FirstWord::Copy => self.copy_statement(start, end),
            FirstWord::Insert => {
                if let Err(reason) = self.insert_statement(start, end) {
                    return Err(
                        self.syntax(start, format!("INSERT statement not understood: {reason}"))
                    );
                }
                if start > 0 {
                    self.queued = Some(Emit::Insert(end - start));
                    Ok(Emit::Sql(start))
                } else {
                    Ok(Emit::Insert(end))
                }
            }
            FirstWord::Set => {
                if !valid_set(&self.acc[start..end], self.lex.std_strings) {
                    return Ok(self.emit_statement(start, end, not_sql()));
                }
                if let Some(on) = standard_strings_setting(&self.acc[start..end]) {
                    self.lex.std_strings = on;
                }
                Ok(Emit::Sql(end))
            }
            FirstWord::Held => {
                let statement = analyse_statement(&self.acc[start..end], self.lex.std_strings);
                Ok(self.emit_statement(start, end, statement))
            }
            FirstWord::NotSql => Ok(self.emit_statement(start, end, not_sql())),
            FirstWord::Bare if self.lex.saw_literal_or_tab => {
                Ok(self.emit_statement(start, end, not_sql()))
            }
            FirstWord::Bare => Ok(Emit::Sql(end)),
            FirstWord::Unknown => {
                // Only an empty statement (a lone `;`) has no word at all.
                let mut cur = Cursor::new(&self.acc[start..end]);
                let empty = cur.skip_trivia().is_ok() && cur.eat(b';') && {
                    let _ = cur.skip_trivia();
                    cur.at_end()
                };
                if empty {
                    Ok(Emit::Sql(end))
                } else {
                    Ok(self.emit_statement(start, end, not_sql()))
                }
            }
            FirstWord::Create | FirstWord::Other => Ok(Emit::Sql(end)),
        }
    }

    /// Resolves the table and columns of the INSERT at `acc[start..end]`.
    /// pg_dump repeats the same head for every row of a table, so a head
    /// identical to the previous one reuses the names already resolved.
    fn insert_statement(&mut self, start: usize, end: usize) -> Result<(), &'static str> {
        let stmt = &self.acc[start..end];
        let mut cur = Cursor::new(stmt);
        skip_insert_head(&mut cur)?;
        let head = &stmt[..cur.pos];
        if !self.insert_head_raw.is_empty() && head == self.insert_head_raw.as_slice() {
            return Ok(());
        }
        let (table, columns) = insert_head(&mut Cursor::new(stmt))?;
        self.insert_head_raw.clear();
        self.insert_head_raw.extend_from_slice(head);
        self.insert_table = table;
        self.insert_columns = columns;
        Ok(())
    }

    /// A COPY statement ended at `acc[start..end]`. For `FROM stdin`, read
    /// the rest of its line, then data follows.
    fn copy_statement(&mut self, start: usize, end: usize) -> Result<Emit, DumpError> {
        let parsed = parse_copy_from_stdin(&self.acc[start..end]);
        let (table, columns) = match parsed {
            Ok(Some(found)) => found,
            Ok(None) => {
                let statement = analyse_statement(&self.acc[start..end], self.lex.std_strings);
                return Ok(self.emit_statement(start, end, statement));
            }
            Err(reason) => {
                return Err(self.syntax(start, format!("COPY statement not understood: {reason}")))
            }
        };
        self.copy_expect = match columns.len() {
            0 => Expect::FirstRow,
            n => Expect::Fields(n),
        };
        self.copy_table = table;
        self.copy_columns = columns;
        self.copy_line = self.line_at(start);
        // Data starts on the next line; the rest of this one must be empty.
        loop {
            let (n, found) = {
                let chunk = self.input.fill_buf().map_err(|e| DumpError::Io {
                    line: self.line,
                    source: e,
                })?;
                if chunk.is_empty() {
                    return Err(DumpError::Truncated {
                        line: self.line_at(self.acc.len()),
                        offset: self.offset + self.acc.len() as u64,
                        context: format!(
                            "inside the COPY data for table {} started at line {} (before \\.)",
                            self.copy_table, self.copy_line
                        ),
                    });
                }
                match memchr::memchr(b'\n', chunk) {
                    Some(i) => {
                        self.acc.extend_from_slice(&chunk[..=i]);
                        (i + 1, true)
                    }
                    None => {
                        self.acc.extend_from_slice(chunk);
                        (chunk.len(), false)
                    }
                }
            };
            self.input.consume(n);
            if found {
                break;
            }
        }
        let rest = trim_start(&self.acc[end..]);
        if !(rest == b"\n" || rest == b"\r\n" || rest.starts_with(b"--")) {
            return Err(self.syntax(
                start,
                format!(
                    "unexpected text after the COPY statement for table {} on the same line",
                    self.copy_table
                ),
            ));
        }
        self.mode = Mode::CopyData;
        let len = self.acc.len() - start;
        if start > 0 {
            self.queued = Some(Emit::CopyStart(len));
            Ok(Emit::Sql(start))
        } else {
            Ok(Emit::CopyStart(len))
        }
    }
}

/// What the data rows of a COPY block must look like: the server reads a
/// row with the wrong number of fields as an error, and for this reader a
/// row that does not fit its block is the sign of data running on past a
/// missing end marker (see [`data_line_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// This many fields (the COPY statement's column list).
    Fields(usize),
    /// Empty lines only: a table without columns.
    Empty,
    /// No column list: the first row says which of the two.
    FirstRow,
}

/// Why a row that does not fit its block is refused.
const WRONG_FIELD_COUNT: &str = "the row does not have one field per column of the COPY \
    statement (is the end-of-data marker \\. missing before it?)";
const COPY_IN_DATA: &str = "a COPY statement inside the data: the end-of-data marker \\. \
    of the block is missing before it";

/// Scans the complete data lines at the start of `buf`: returns how many
/// bytes and rows of ordinary rows precede the first line that is not one,
/// and what that line is (`Ok(())` for the end marker, an error for a bad
/// row, `None` if every complete line was an ordinary row).
///
/// At most [`SCAN_WINDOW`] bytes are looked at per call (beyond that only
/// the one line that does not fit), so that a reader whose buffer is the
/// whole dump does not search far past the end of the COPY block.
fn scan_data_lines(
    buf: &[u8],
    expect: &mut Expect,
) -> (usize, u64, Option<Result<(), &'static str>>) {
    let window = &buf[..buf.len().min(SCAN_WINDOW)];
    let last = match memchr::memrchr(b'\n', window) {
        Some(last) => last,
        None => match memchr::memchr(b'\n', buf) {
            // One line longer than the window.
            Some(nl) => {
                return match data_line_kind(&buf[..=nl], expect) {
                    Ok(false) => (nl + 1, 1, None),
                    Ok(true) => (0, 0, Some(Ok(()))),
                    Err(reason) => (0, 0, Some(Err(reason))),
                }
            }
            None => return (0, 0, None),
        },
    };
    let region = &buf[..=last];
    let Expect::Fields(n) = *expect else {
        return scan_lines_one_by_one(region, expect);
    };
    // A line with one field per column that neither starts nor ends with a
    // backslash (nor starts with `C`, as in `COPY`) is an ordinary row;
    // every other line gets the full check of `data_line_kind`. Line feeds
    // and tabs are found in one pass, 64 bytes at a time: a bit per byte
    // for each, so that a line's tabs are counted from the bits below its
    // line feed.
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as just detected.
        return unsafe { scan_rows_avx2(region, n - 1, expect) };
    }
    scan_rows_with(region, n - 1, expect, |block| {
        super::blocks::block_masks(block, ROW_BYTES)
    })
}

/// [`scan_rows_with`] compiled for AVX2, with its block masks.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn scan_rows_avx2(
    region: &[u8],
    want_tabs: usize,
    expect: &mut Expect,
) -> (usize, u64, Option<Result<(), &'static str>>) {
    scan_rows_with(region, want_tabs, expect, |block| {
        // SAFETY: this function only runs where AVX2 is present.
        unsafe { super::blocks::avx2_block_masks(block, ROW_BYTES) }
    })
}

/// The rows of `region` (complete lines) with `want_tabs` tabs each, with
/// `masks` giving the [line feeds, tabs] masks of 64 bytes.
#[inline(always)]
fn scan_rows_with(
    region: &[u8],
    want_tabs: usize,
    expect: &mut Expect,
    masks: impl Fn(&[u8; 64]) -> ([u64; 2], u64),
) -> (usize, u64, Option<Result<(), &'static str>>) {
    let mut line_start = 0usize;
    let mut rows = 0u64;
    // Tabs of the current line in the blocks before this one.
    let mut tabs = 0usize;
    let mut base = 0usize;
    while base < region.len() {
        let ([mut feeds, mut tab_bits], _) = match region[base..].first_chunk::<64>() {
            Some(block) => masks(block),
            None => {
                let mut padded = [0u8; 64];
                padded[..region.len() - base].copy_from_slice(&region[base..]);
                masks(&padded)
            }
        };
        while feeds != 0 {
            let bit = feeds.trailing_zeros();
            let below = (1u64 << bit) - 1;
            let line_tabs = tabs + (tab_bits & below).count_ones() as usize;
            let nl = base + bit as usize;
            let line = &region[line_start..nl];
            let first = line.first().copied();
            let ordinary = first != Some(b'\\')
                && first != Some(b'C')
                && line.last() != Some(&b'\\')
                && line_tabs == want_tabs;
            if !ordinary {
                match data_line_kind(&region[line_start..=nl], expect) {
                    Ok(false) => {}
                    Ok(true) => return (line_start, rows, Some(Ok(()))),
                    Err(reason) => return (line_start, rows, Some(Err(reason))),
                }
            }
            rows += 1;
            line_start = nl + 1;
            tabs = 0;
            // The line feed's own bit is never a tab.
            tab_bits &= !below;
            feeds &= feeds - 1;
        }
        tabs += tab_bits.count_ones() as usize;
        base += 64;
    }
    (line_start, rows, None)
}

/// A field of a COPY row as [`DumpReader::copy_rows_split`] hands it out:
/// the byte range of the still escaped field within the row, and whether a
/// backslash is in it (a field without one is its own decoded value, and is
/// never `\N`).
pub type FieldSpan = (usize, usize, bool);

/// The receiver of [`DumpReader::copy_rows_split`]'s rows: the row (with its
/// line terminator), its fields, and whether it is all ASCII.
pub type SplitRows<'a> = &'a mut dyn FnMut(&[u8], &[FieldSpan], bool) -> std::io::Result<()>;

/// Why the rows of a buffer were handed out only up to a point.
enum RowsStop {
    /// At the end marker (left for `next_event`).
    End,
    /// At a row that is refused.
    Bad(&'static str),
    /// The rows' receiver failed.
    Write(std::io::Error),
}

impl From<Result<(), &'static str>> for RowsStop {
    /// A scan's verdict: the end marker, or a refused row.
    fn from(stop: Result<(), &'static str>) -> Self {
        match stop {
            Ok(()) => RowsStop::End,
            Err(reason) => RowsStop::Bad(reason),
        }
    }
}

/// Where [`DumpReader::copy_block`] hands a COPY block's rows.
trait RowsOut {
    /// The complete rows at the start of `buf`, checked and handed out: the
    /// bytes taken, their rows, and why it stopped early.
    fn rows(&mut self, buf: &[u8], expect: &mut Expect) -> (usize, u64, Option<RowsStop>);

    /// One row (with its line feed) checked elsewhere.
    fn row(&mut self, line: &[u8]) -> std::io::Result<()>;
}

/// Rows written in bulk, as the stretches of the buffer they are.
struct Bulk<'a, W: Write + ?Sized>(&'a mut W);

impl<W: Write + ?Sized> RowsOut for Bulk<'_, W> {
    fn rows(&mut self, buf: &[u8], expect: &mut Expect) -> (usize, u64, Option<RowsStop>) {
        let (pos, rows, stop) = scan_data_lines(buf, expect);
        if let Err(e) = self.0.write_all(&buf[..pos]) {
            return (0, 0, Some(RowsStop::Write(e)));
        }
        (pos, rows, stop.map(RowsStop::from))
    }

    fn row(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.0.write_all(line)
    }
}

/// Rows handed out one at a time with their fields split.
struct Split<'a> {
    spans: Vec<FieldSpan>,
    row: SplitRows<'a>,
}

impl RowsOut for Split<'_> {
    fn rows(&mut self, buf: &[u8], expect: &mut Expect) -> (usize, u64, Option<RowsStop>) {
        split_data_lines(buf, expect, &mut self.spans, self.row)
    }

    fn row(&mut self, line: &[u8]) -> std::io::Result<()> {
        split_one(line, &mut self.spans, self.row)
    }
}

/// Splits one checked row on its own and hands it to `row`.
fn split_one(line: &[u8], spans: &mut Vec<FieldSpan>, row: SplitRows<'_>) -> std::io::Result<()> {
    spans.clear();
    let (content, _) = super::copy::split_line_terminator(line);
    let shape = super::fields::split_fields(content, spans);
    row(line, spans, shape.ascii)
}

/// [`scan_data_lines`] that also splits the rows into their fields and
/// hands each to `row`: the rows handed out, their count, and why it
/// stopped early.
fn split_data_lines(
    buf: &[u8],
    expect: &mut Expect,
    spans: &mut Vec<FieldSpan>,
    row: SplitRows<'_>,
) -> (usize, u64, Option<RowsStop>) {
    let window = &buf[..buf.len().min(SCAN_WINDOW)];
    let Some(last) = memchr::memrchr(b'\n', window) else {
        // No line in the window: the one-line path.
        return (0, 0, None);
    };
    let region = &buf[..=last];
    let Expect::Fields(n) = *expect else {
        // Blocks whose shape the first row decides: each line checked, then
        // split on its own.
        let (pos, rows, stop) = scan_lines_one_by_one(region, expect);
        let mut start = 0;
        for (handed, nl) in memchr::memchr_iter(b'\n', &region[..pos]).enumerate() {
            if let Err(e) = split_one(&region[start..=nl], spans, row) {
                return (start, handed as u64, Some(RowsStop::Write(e)));
            }
            start = nl + 1;
        }
        return (pos, rows, stop.map(RowsStop::from));
    };
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as just detected.
        return unsafe { split_rows_avx2(region, n, expect, spans, row) };
    }
    split_rows_with(region, n, expect, spans, row, |block| {
        super::blocks::block_masks(block, SPLIT_BYTES)
    })
}

/// The bytes whose block masks the fused scan and split reads.
const SPLIT_BYTES: [u8; 3] = [b'\n', b'\t', b'\\'];

/// [`split_rows_with`] compiled for AVX2, with its block masks.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn split_rows_avx2(
    region: &[u8],
    fields: usize,
    expect: &mut Expect,
    spans: &mut Vec<FieldSpan>,
    row: SplitRows<'_>,
) -> (usize, u64, Option<RowsStop>) {
    split_rows_with(region, fields, expect, spans, row, |block| {
        // SAFETY: this function only runs where AVX2 is present.
        unsafe { super::blocks::avx2_block_masks(block, SPLIT_BYTES) }
    })
}

/// The rows of `region` (complete lines), each with `fields` fields,
/// checked as [`scan_rows_with`] checks them and split as
/// [`crate::split_fields`] splits them, in one pass: `masks` gives the
/// [line feeds, tabs, backslashes] and non-ASCII masks of 64 bytes.
///
/// A backslash escapes the byte after it, which is then no separator (and
/// a backslash escaped so escapes nothing). Escapes never reach past a line
/// feed: a line ending in a backslash, whose escape would fall on the line
/// feed, is no ordinary row, and like every line that is not (a line
/// starting with a backslash or `C`, ending in a backslash or carriage
/// return, or with another field count) gets the full check and is split on
/// its own.
#[inline(always)]
fn split_rows_with(
    region: &[u8],
    fields: usize,
    expect: &mut Expect,
    spans: &mut Vec<FieldSpan>,
    row: SplitRows<'_>,
    masks: impl Fn(&[u8; 64]) -> ([u64; 3], u64),
) -> (usize, u64, Option<RowsStop>) {
    let mut line_start = 0usize;
    let mut rows = 0u64;
    // The field being read: where it starts, whether it holds a backslash.
    let mut field_start = 0usize;
    let mut field_bs = false;
    // Whether the row so far has a byte from 0x80.
    let mut high = false;
    // Whether the first byte of the next block is escaped by a backslash
    // ending this one.
    let mut carry = false;
    spans.clear();
    let mut base = 0usize;
    while base < region.len() {
        let ([mut feeds, tabs, bs], hi) = match region[base..].first_chunk::<64>() {
            Some(block) => masks(block),
            None => {
                let mut padded = [0u8; 64];
                padded[..region.len() - base].copy_from_slice(&region[base..]);
                masks(&padded)
            }
        };
        // Inside a long field (text, JSON, tokens): nothing but the high bytes to note.
        if feeds | tabs | bs == 0 && !carry {
            high |= hi != 0;
            base += 64;
            continue;
        }
        let mut tabs = tabs;
        if bs != 0 || carry {
            tabs &= !super::fields::escaped_bytes(bs, &mut carry);
        }
        let mut bs_left = bs;
        let mut hi_left = hi;
        loop {
            // The fields ending in this block before the next line feed (or
            // the block's end).
            let (limit, at_feed) = if feeds != 0 {
                let bit = feeds.trailing_zeros();
                ((1u64 << bit) - 1, Some(bit))
            } else {
                (u64::MAX, None)
            };
            let mut row_tabs = tabs & limit;
            while row_tabs != 0 {
                let k = row_tabs.trailing_zeros();
                let below = (1u64 << k) - 1;
                field_bs |= bs_left & below != 0;
                bs_left &= !below;
                let end = base + k as usize;
                spans.push((field_start - line_start, end - line_start, field_bs));
                field_start = end + 1;
                field_bs = false;
                row_tabs &= row_tabs - 1;
            }
            field_bs |= bs_left & limit != 0;
            bs_left &= !limit;
            high |= hi_left & limit != 0;
            hi_left &= !limit;
            let Some(bit) = at_feed else {
                break;
            };
            let nl = base + bit as usize;
            let line = &region[line_start..=nl];
            let content = &line[..line.len() - 1];
            let first = content.first().copied();
            let last = content.last().copied();
            let ordinary = first != Some(b'\\')
                && first != Some(b'C')
                && last != Some(b'\\')
                && last != Some(b'\r')
                && spans.len() + 1 == fields;
            let handed = if ordinary {
                spans.push((field_start - line_start, content.len(), field_bs));
                row(line, spans, !high)
            } else {
                match data_line_kind(line, expect) {
                    Ok(false) => split_one(line, spans, row),
                    Ok(true) => return (line_start, rows, Some(RowsStop::End)),
                    Err(reason) => return (line_start, rows, Some(RowsStop::Bad(reason))),
                }
            };
            if let Err(e) = handed {
                return (line_start, rows, Some(RowsStop::Write(e)));
            }
            rows += 1;
            line_start = nl + 1;
            field_start = nl + 1;
            field_bs = false;
            high = false;
            spans.clear();
            // This row's bits are spent, the line feed's with them.
            let spent = limit | (1u64 << bit);
            tabs &= !spent;
            bs_left &= !spent;
            hi_left &= !spent;
            feeds &= feeds - 1;
        }
        base += 64;
    }
    (line_start, rows, None)
}

/// The bytes whose block masks the COPY row scan reads: line feeds and tabs.
const ROW_BYTES: [u8; 2] = [b'\n', b'\t'];

/// [`scan_data_lines`] for blocks whose shape the first row decides, or
/// without columns: every line gets the full check.
fn scan_lines_one_by_one(
    region: &[u8],
    expect: &mut Expect,
) -> (usize, u64, Option<Result<(), &'static str>>) {
    let mut pos = 0;
    let mut rows = 0u64;
    for nl in memchr::memchr_iter(b'\n', region) {
        match data_line_kind(&region[pos..=nl], expect) {
            Ok(false) => {
                rows += 1;
                pos = nl + 1;
            }
            Ok(true) => return (pos, rows, Some(Ok(()))),
            Err(reason) => return (pos, rows, Some(Err(reason))),
        }
    }
    (pos, rows, None)
}

/// Whether a data line (with or without its line feed) is the end marker;
/// an error for lines the server would read differently from a line-based
/// reader, and for lines that show the block ran on past a missing `\.`.
///
/// psql ends COPY data only at a line `\.`; anything before it is data,
/// even a line that looks like SQL. So a dump whose end marker got lost
/// feeds the next statements, comments and the next table's rows into the
/// block. This is refused, failing closed, by three rules: every row must
/// have the block's field count (one per column of the COPY statement; for
/// a COPY without column list, the first row's count, or empty lines for a
/// table without columns), a line that is a COPY statement as pg_dump
/// writes it (`COPY ... FROM stdin;`) is never data, and a dump that ends
/// inside COPY data is truncated. Only a table with one text column can
/// take SQL-looking lines as rows; its block still ends at the next COPY
/// statement with an error.
#[inline]
fn data_line_kind(line: &[u8], expect: &mut Expect) -> Result<bool, &'static str> {
    let content = line.strip_suffix(b"\n").unwrap_or(line);
    let first = content.first().copied();
    let last = content.last().copied();
    if first == Some(b'\\') || last == Some(b'\\') {
        if content == b"\\." || content == b"\\.\r" {
            return Ok(true);
        }
        if let Some(reason) = row_problem(content) {
            return Err(reason);
        }
    }
    if first == Some(b'C') && is_copy_statement(content) {
        return Err(COPY_IN_DATA);
    }
    let content = content.strip_suffix(b"\r").unwrap_or(content);
    match *expect {
        Expect::Fields(n) => {
            // Raw tabs separate fields; only a tab escaped by a backslash
            // (never written by pg_dump) does not, so count exactly when
            // the quick count disagrees.
            if count_tabs(content) + 1 != n && split_copy_fields(content).count() != n {
                return Err(WRONG_FIELD_COUNT);
            }
        }
        Expect::Empty => {
            if !content.is_empty() {
                return Err(WRONG_FIELD_COUNT);
            }
        }
        Expect::FirstRow => {
            *expect = if content.is_empty() {
                Expect::Empty
            } else {
                Expect::Fields(split_copy_fields(content).count())
            };
        }
    }
    Ok(false)
}

/// Number of tab bytes.
#[inline]
fn count_tabs(s: &[u8]) -> usize {
    memchr::memchr_iter(b'\t', s).count()
}

/// `COPY ... FROM stdin;` as pg_dump writes it.
fn is_copy_statement(content: &[u8]) -> bool {
    let content = content.strip_suffix(b"\r").unwrap_or(content);
    content.starts_with(b"COPY ") && content.ends_with(b" FROM stdin;")
}

/// Whether statement text holds pg_dump's header of a data section
/// (`-- Data for Name: ...; Type: TABLE DATA; ...`): then a string or
/// dollar quote has swallowed the dump's data as text, which psql would send
/// to the server as part of one statement.
fn spans_data_section(stmt: &[u8]) -> bool {
    memchr::memmem::find(stmt, b"\n-- Data for Name: ").is_some()
}

/// The analysis of text that is not an SQL statement.
fn not_sql() -> Statement {
    Statement::unknown("text that is not an SQL statement (data rows outside their COPY block?)")
}

fn trim_end(s: &[u8]) -> &[u8] {
    let n = s.iter().rev().take_while(|&&b| is_space(b)).count();
    &s[..s.len() - n]
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t' || b == b'\r')
        .count();
    &s[n..]
}

/// Understands `COPY name [(columns)] FROM stdin;`. `Ok(None)` for COPY
/// forms that carry no inline data (`TO stdout`, `FROM 'file'`); an error
/// for inline data in a format other than pg_dump's plain text.
fn parse_copy_from_stdin(
    stmt: &[u8],
) -> Result<Option<(QualifiedName, Vec<String>)>, &'static str> {
    let mut cur = Cursor::new(stmt);
    cur.skip_trivia()?;
    if !cur.keyword("copy") {
        return Err("expected COPY");
    }
    cur.skip_trivia()?;
    if cur.peek() == Some(b'(') {
        // COPY (query) TO ...: output, not input.
        return Ok(None);
    }
    let table = read_qualified_name(&mut cur)?;
    cur.skip_trivia()?;
    let columns = if cur.peek() == Some(b'(') {
        let c = cur.column_list()?;
        cur.skip_trivia()?;
        c
    } else {
        Vec::new()
    };
    if cur.keyword("to") {
        return Ok(None);
    }
    if !cur.keyword("from") {
        return Err("expected FROM or TO after the table name");
    }
    cur.skip_trivia()?;
    if !cur.keyword("stdin") {
        // A file or program on the server side: no data in the dump.
        return Ok(None);
    }
    cur.skip_trivia()?;
    if cur.eat(b';') {
        cur.skip_trivia()?;
        if cur.at_end() {
            return Ok(Some((table, columns)));
        }
    }
    Err("COPY FROM stdin with options is not supported (only pg_dump's text format is)")
}

/// `SET [SESSION|LOCAL] standard_conforming_strings {=|TO} value;` ->
/// the new setting.
pub(crate) fn standard_strings_setting(stmt: &[u8]) -> Option<bool> {
    let mut cur = Cursor::new(stmt);
    cur.skip_trivia().ok()?;
    if !cur.keyword("set") {
        return None;
    }
    cur.skip_trivia().ok()?;
    if cur.keyword("session") || cur.keyword("local") {
        cur.skip_trivia().ok()?;
    }
    if !cur.keyword("standard_conforming_strings") {
        return None;
    }
    cur.skip_trivia().ok()?;
    if !(cur.eat(b'=') || cur.keyword("to")) {
        return None;
    }
    cur.skip_trivia().ok()?;
    cur.eat(b'\'');
    let value = cur.peek_word()?.to_ascii_lowercase();
    match value.as_slice() {
        b"on" | b"true" | b"yes" | b"default" => Some(true),
        b"off" | b"false" | b"no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The obvious line-by-line version of `scan_data_lines`.
    fn naive(buf: &[u8]) -> (usize, u64, Option<Result<(), &'static str>>) {
        naive_with(buf, Expect::FirstRow)
    }

    fn naive_with(
        buf: &[u8],
        mut expect: Expect,
    ) -> (usize, u64, Option<Result<(), &'static str>>) {
        let mut pos = 0;
        let mut rows = 0;
        while let Some(k) = memchr::memchr(b'\n', &buf[pos..]) {
            match data_line_kind(&buf[pos..=pos + k], &mut expect) {
                Ok(false) => {
                    rows += 1;
                    pos += k + 1;
                }
                Ok(true) => return (pos, rows, Some(Ok(()))),
                Err(reason) => return (pos, rows, Some(Err(reason))),
            }
        }
        (pos, rows, None)
    }

    #[test]
    fn bulk_scan_examples() {
        for buf in [
            &b""[..],
            b"abc",
            b"1\n2\n",
            b"1\n2\n\\.\n3\n",
            b"\\.\n",
            b"\\N\t1\n2\t\\N\n\\\\\n\\\n",
            b"a\\\\\nb\\\n",
            b"x\n\\.x\n",
            b"x\r\n\\.\r\n",
            b"tail\\",
        ] {
            assert_eq!(
                scan_data_lines(buf, &mut Expect::FirstRow),
                naive(buf),
                "{buf:?}"
            );
        }
        // Lines longer than the window, and many lines past it.
        let mut long = vec![b'x'; SCAN_WINDOW + 10];
        long.extend_from_slice(b"\n1\n\\.\n");
        assert_eq!(
            scan_data_lines(&long, &mut Expect::FirstRow),
            (SCAN_WINDOW + 11, 1, None)
        );
        let many = b"12345\n".repeat(SCAN_WINDOW / 3);
        let (pos, rows, stop) = scan_data_lines(&many, &mut Expect::FirstRow);
        assert!(pos <= SCAN_WINDOW && pos % 6 == 0 && rows == pos as u64 / 6 && stop.is_none());
    }

    /// What [`split_data_lines`] hands out and returns, against the plain way: the rows
    /// [`scan_data_lines`] accepts, each split by [`crate::split_fields`].
    fn check_split(buf: &[u8], expect: Expect) -> Result<(), TestCaseError> {
        let mut e = expect;
        let mut got = Vec::new();
        let mut spans = Vec::new();
        let (pos, rows, stop) =
            split_data_lines(buf, &mut e, &mut spans, &mut |line, spans, ascii| {
                got.push((line.to_vec(), spans.to_vec(), ascii));
                Ok(())
            });
        let mut e2 = expect;
        let (want_pos, want_rows, want_stop) = scan_data_lines(buf, &mut e2);
        prop_assert_eq!((pos, rows), (want_pos, want_rows));
        let stop = stop.map(|s| match s {
            RowsStop::End => Ok(()),
            RowsStop::Bad(r) => Err(r),
            RowsStop::Write(_) => Err("write"),
        });
        prop_assert_eq!(stop, want_stop);
        prop_assert_eq!(e, e2);
        let mut want = Vec::new();
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', &buf[..pos]) {
            let line = &buf[start..=nl];
            let mut spans = Vec::new();
            let (content, _) = crate::split_line_terminator(line);
            let ascii = crate::split_fields(content, &mut spans).ascii;
            want.push((line.to_vec(), spans, ascii));
            start = nl + 1;
        }
        prop_assert_eq!(&got, &want);
        // The portable block masks split the same.
        if let Expect::Fields(n) = expect {
            if let Some(last) = memchr::memrchr(b'\n', buf) {
                let mut e3 = expect;
                let mut plain = Vec::new();
                let r = split_rows_with(
                    &buf[..=last],
                    n,
                    &mut e3,
                    &mut spans,
                    &mut |line, spans, ascii| {
                        plain.push((line.to_vec(), spans.to_vec(), ascii));
                        Ok(())
                    },
                    |block| crate::plain_block_masks(block, SPLIT_BYTES),
                );
                prop_assert_eq!((r.0, r.1), (pos, rows));
                prop_assert_eq!(&plain, &got);
            }
        }
        Ok(())
    }

    #[test]
    fn split_scan_examples() {
        for buf in [
            &b""[..],
            b"1\n2\n",
            b"1\t2\n\\.\n3\n",
            b"\\N\t1\n2\t\\N\n\\\\\t\\\n",
            b"a\\\t\tb\n\xc3\xa9\tx\n",
            b"x\tb\r\n\\.\r\n",
            b"Cx\ty\n",
        ] {
            for width in 1..4 {
                check_split(buf, Expect::Fields(width)).unwrap();
            }
            check_split(buf, Expect::FirstRow).unwrap();
        }
        // A receiver that fails stops at the row it refused.
        let mut n = 0;
        let (pos, rows, stop) = split_data_lines(
            b"a\tb\nc\td\ne\tf\n",
            &mut Expect::Fields(2),
            &mut Vec::new(),
            &mut |_, _, _| {
                n += 1;
                if n == 2 {
                    Err(std::io::Error::other("full"))
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!((pos, rows), (4, 1));
        assert!(matches!(stop, Some(RowsStop::Write(_))));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Rows whose fields hold escapes, escaped tabs, non-ASCII bytes and odd line starts
        /// and ends, crossing the 64-byte blocks at every offset: checked and split in one
        /// pass exactly as checked, then split.
        #[test]
        fn split_scan_matches_scan_then_split(rows in proptest::collection::vec(
            (proptest::collection::vec(proptest::collection::vec(proptest::sample::select(&[
                "x", "x", "x", "xxxxxxxxxxxxxxxx", "\\", "\\\\", "\\N", "\\\t", "\u{e9}", "\\n", "\t",
                // Longer than a block: blocks with nothing but text in them.
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\u{e9}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            ][..]), 0..12), 1..6), proptest::sample::select(&[
                "", "", "", "\\", "\r", "C", "\\.",
            ][..])), 0..30), width in 0usize..6) {
            let mut buf = String::new();
            for (fields, odd) in &rows {
                let line: Vec<String> = fields.iter().map(|f| f.concat()).collect();
                let line = line.join("\t");
                match *odd {
                    "\\" | "\r" => { buf.push_str(&line); buf.push_str(odd); }
                    _ => { buf.push_str(odd); buf.push_str(&line); }
                }
                buf.push('\n');
            }
            let expect = match width {
                0 => Expect::FirstRow,
                n => Expect::Fields(n),
            };
            check_split(buf.as_bytes(), expect)?;
        }
    }

    proptest! {
        #[test]
        fn bulk_scan_matches_line_by_line(parts in proptest::collection::vec(proptest::sample::select(&[
            "\\", "\n", ".", "x", "\t", "\r", "N", "\\.\n", "\\\\", "C", "COPY t FROM stdin;\n", "COPY ", " FROM stdin;",
        ][..]), 0..60), width in 0usize..5) {
            let buf = parts.concat();
            let expect = match width {
                0 => Expect::FirstRow,
                n => Expect::Fields(n),
            };
            let mut e = expect;
            prop_assert_eq!(scan_data_lines(buf.as_bytes(), &mut e), naive_with(buf.as_bytes(), expect));
        }

        /// Rows of realistic lengths, so that lines and their tabs cross the 64-byte blocks of
        /// the bulk scan at every offset.
        #[test]
        fn bulk_scan_matches_line_by_line_across_blocks(rows in proptest::collection::vec(
            (proptest::collection::vec(0usize..90, 1..6), proptest::sample::select(&[
                "", "", "", "\\", "\r", "C", "\\.",
            ][..])), 0..40), width in 1usize..6) {
            let mut buf = String::new();
            for (fields, odd) in &rows {
                let line: Vec<String> = fields.iter().map(|&len| "x".repeat(len)).collect();
                let line = line.join("\t");
                match *odd {
                    "\\" | "\r" => { buf.push_str(&line); buf.push_str(odd); }
                    _ => { buf.push_str(odd); buf.push_str(&line); }
                }
                buf.push('\n');
            }
            let expect = Expect::Fields(width);
            let mut e = expect;
            prop_assert_eq!(scan_data_lines(buf.as_bytes(), &mut e), naive_with(buf.as_bytes(), expect));
        }
    }
}
