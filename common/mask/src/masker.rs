//! The stream masker: a plain pg_dump in, the same dump with the chosen
//! columns masked out.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, Write};

use serde::Serialize;

use super::context::MaskContext;
use super::error::{MaskError, Position};
use super::lineage::Lineage;
use super::outcome::Outcome;
use super::rules::{Rules, TableRules};
use super::table::{SliceRefs, TableMasker};
use super::transform::Refs;
use super::transform::Transform;
use dump::split_fields;
use std::borrow::Cow;

use dump::{
    decode_copy_field, encode_copy_field, parse_insert_values_with, split_line_terminator,
    DumpError, DumpReader, Event, NewValue, QualifiedName, SqlValue, Statement,
};

/// Output buffer size: large enough that masked rows are written in big
/// chunks, small enough not to matter for memory. The buffer is written
/// out once it holds this much or more, so that a caller's own buffer of
/// up to this size passes the chunks on without copying them again.
const OUT_BUF: usize = 256 * 1024;

/// Chunks at least this large are written through rather than copied into the buffer.
const DIRECT_WRITE: usize = 64 * 1024;

/// How a table's data was stored in the dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataMode {
    /// `COPY ... FROM stdin` blocks (pg_dump's default).
    Copy,
    /// INSERT statements (`--inserts`, `--column-inserts`).
    Insert,
}

/// What the masker did with a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// At least one column was masked.
    Masked,
    /// Every column is kept: copied as it is.
    Kept,
    /// Not in the rules (strict mode off): copied as it is.
    Unlisted,
}

/// Per-table numbers of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableStats {
    /// Data rows seen.
    pub rows: u64,
    /// Values that were replaced (NULLs and empty strings left alone are
    /// not counted).
    pub masked_values: u64,
    /// COPY or INSERT.
    pub mode: DataMode,
    /// Masked, kept or unlisted.
    pub treatment: Treatment,
}

/// What a run did: per table, rows and masked values; in total, bytes read
/// and written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MaskReport {
    /// Every table whose data appeared in the dump.
    #[serde(serialize_with = "tables_by_sql_name")]
    pub tables: BTreeMap<QualifiedName, TableStats>,
    /// Bytes of dump read.
    pub bytes_in: u64,
    /// Bytes of masked dump written.
    pub bytes_out: u64,
    /// Whether the dump ended with pg_dump's completion trailer. Always true
    /// in a successful run unless [`Masker::allow_incomplete`] was set.
    pub complete: bool,
    /// What the masker learned about partitions and inheritance: each
    /// child table and its direct parents, as the dump declared them (or
    /// [`Masker::with_parents`] gave them). A child's rows are masked with
    /// its parents' rules; pass this to [`Masker::with_parents`] when
    /// masking dumps of single tables that do not declare it themselves.
    #[serde(serialize_with = "parents_by_sql_name")]
    pub inherits: BTreeMap<QualifiedName, Vec<QualifiedName>>,
}

fn parents_by_sql_name<S: serde::Serializer>(
    parents: &BTreeMap<QualifiedName, Vec<QualifiedName>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(parents.iter().map(|(k, v)| (k.to_string(), v)))
}

fn tables_by_sql_name<S: serde::Serializer>(
    tables: &BTreeMap<QualifiedName, TableStats>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(tables.iter().map(|(k, v)| (k.to_string(), v)))
}

/// Masks plain-format pg_dump streams according to [`Rules`].
///
/// Everything that is not a masked value is written through byte for byte:
/// DDL, comments, tables without rules (strict mode off) and tables whose
/// columns are all kept go through the dump reader's bulk lane, masked
/// tables are rewritten row by row with only the masked fields (and the
/// fields their templates read) decoded.
///
/// A run fails closed. It stops with an error, and **the caller must
/// discard everything written so far**, when the dump is truncated or
/// malformed, a table or column is not classed (strict mode), a rule names
/// a column or table that is not in the dump, a value cannot be masked, or
/// an INSERT of a table with rules has no column list. Nothing that could
/// not be masked is ever passed through.
#[derive(Debug)]
pub struct Masker {
    rules: Rules,
    pub(crate) ctx: MaskContext,
    allow_incomplete: bool,
    /// Relations known before the dump is read ([`Masker::with_parents`]).
    seed: Lineage,
}

impl Masker {
    /// A masker for `rules`, with the salt and random source in `ctx`.
    ///
    /// # Errors
    ///
    /// [`MaskError::SaltRequired`] when the rules use keyed transforms and
    /// `ctx` has no salt: better to refuse before reading a byte than to
    /// fail (or worse, hash without a secret) halfway through a dump.
    pub fn new(rules: &Rules, ctx: MaskContext) -> Result<Self, MaskError> {
        if ctx.salt().is_none() {
            if let Some(column) = rules.first_keyed_column() {
                return Err(MaskError::SaltRequired {
                    file: rules.file().to_owned(),
                    column,
                    var: rules.salt_env().to_owned(),
                });
            }
        }
        Ok(Masker {
            rules: rules.clone(),
            ctx,
            allow_incomplete: false,
            seed: Lineage::default(),
        })
    }

    /// Accepts dumps that end cleanly between statements but lack pg_dump's
    /// completion trailer (hand-made or filtered dumps). Off by default,
    /// because that is also exactly what a dump cut short between two
    /// statements looks like.
    pub fn allow_incomplete(mut self, allow: bool) -> Self {
        self.allow_incomplete = allow;
        self
    }

    /// Tells the masker which tables are partitions or inheriting children
    /// of which parents (child, parent), before it reads a dump that does
    /// not declare them itself: a data-only dump, or one table of a
    /// parallel copy. Relations the dump declares are learned anyway; a
    /// previous run's [`MaskReport::inherits`] is the right input, as is
    /// `pg_inherits` from the catalog.
    pub fn with_parents(
        mut self,
        relations: impl IntoIterator<Item = (QualifiedName, QualifiedName)>,
    ) -> Self {
        for (child, parent) in relations {
            self.seed.link(&child, &parent);
        }
        self
    }

    /// Streams a plain pg_dump from `input` to `output`, masking per the
    /// rules. Memory stays bounded: rows are handled one at a time (or a
    /// buffer at a time for untouched tables), never a table at once.
    ///
    /// Give it a large input buffer for speed, e.g.
    /// `BufReader::with_capacity(256 * 1024, file)`; output is buffered
    /// internally.
    ///
    /// # Errors
    ///
    /// Any [`MaskError`]; the output written until then must be discarded.
    pub fn run<R: BufRead, W: Write>(
        &mut self,
        input: R,
        output: W,
    ) -> Result<MaskReport, MaskError> {
        let mut out = Output::new(output);
        self.run_into(input, &mut out)
    }

    /// The work of [`Masker::run`], into either kind of [`Sink`].
    pub(crate) fn run_into<R: BufRead, S: Sink>(
        &self,
        input: R,
        out: &mut S,
    ) -> Result<MaskReport, MaskError> {
        let mut reader = DumpReader::new(input);
        let mut st = RunState {
            rules: &self.rules,
            lineage: self.seed.clone(),
            report: MaskReport::default(),
        };
        let mut block: Option<Block> = None;
        let mut copy: Option<CopyState> = None;
        let mut inserts: Option<InsertTable> = None;
        let mut scratch = String::new();
        // Tables whose data section pg_dump announced; with --inserts an
        // empty table has nothing but this header.
        let mut announced: BTreeSet<QualifiedName> = BTreeSet::new();
        loop {
            let (offset, line) = reader.position();
            let at = Position::Dump { line, offset };
            let Some(event) = reader.next_event().map_err(dump_error)? else {
                break;
            };
            let mut bulk = false;
            match event {
                Event::Sql(bytes) => {
                    if self.rules.strict() && memchr::memmem::find(bytes, b"lowrite(").is_some() {
                        return Err(MaskError::LargeObjects { at });
                    }
                    for table in data_headers(bytes) {
                        if self.rules.strict() && st.effective(&table, at)?.is_none() {
                            return Err(MaskError::UnclassifiedTable {
                                file: self.rules.file().to_owned(),
                                table: table.to_string(),
                                at,
                            });
                        }
                        announced.insert(table);
                    }
                    out.write_all(bytes).map_err(MaskError::Write)?;
                }
                Event::Statement { raw, statement } => {
                    if self.rules.strict() && memchr::memmem::find(raw, b"lowrite(").is_some() {
                        return Err(MaskError::LargeObjects { at });
                    }
                    st.check_statement(statement, at)?;
                    out.write_all(raw).map_err(MaskError::Write)?;
                }
                Event::CopyStart {
                    raw,
                    table,
                    columns,
                } => {
                    let resolved = st.resolve(table, columns, at)?;
                    out.write_all(raw).map_err(MaskError::Write)?;
                    let treatment = treatment_of(resolved.as_ref());
                    copy = match resolved {
                        Some(tm) if !tm.is_identity() => Some(CopyState::new(tm)),
                        _ => None,
                    };
                    if let Some(state) = &copy {
                        out.copy_begins(table, state);
                    }
                    bulk = true;
                    block = Some(Block {
                        table: table.clone(),
                        stats: TableStats {
                            rows: 0,
                            masked_values: 0,
                            mode: DataMode::Copy,
                            treatment,
                        },
                    });
                }
                Event::CopyRow(row) => {
                    if let Some(b) = block.as_mut() {
                        b.stats.rows += 1;
                    }
                    match copy.as_mut() {
                        Some(state) => out.masked_row(state, row, &self.ctx, at)?,
                        None => out.write_all(row).map_err(MaskError::Write)?,
                    }
                }
                Event::CopyEnd(bytes) => {
                    out.write_all(bytes).map_err(MaskError::Write)?;
                    if let Some(mut b) = block.take() {
                        if let Some(state) = copy.take() {
                            b.stats.masked_values = state.masked_values;
                        }
                        merge(&mut st.report, b.table, b.stats);
                    }
                }
                Event::Insert {
                    raw,
                    table,
                    columns,
                    standard_conforming_strings,
                } => {
                    // Statements without a column list are judged one by one:
                    // `DEFAULT VALUES` must not vouch for the next statement.
                    let fresh = columns.is_none()
                        || inserts
                            .as_ref()
                            .is_none_or(|c| c.table != *table || c.columns.as_deref() != columns);
                    if fresh {
                        let resolved = match columns {
                            Some(cols) => st.resolve(table, cols, at)?,
                            // `DEFAULT VALUES` (tables without columns) carries
                            // no data, so there is nothing to match.
                            None if is_default_values(raw, standard_conforming_strings) => {
                                st.resolve(table, &[], at)?
                            }
                            None if st.effective(table, at)?.is_some() => {
                                return Err(MaskError::InsertWithoutColumns {
                                    file: self.rules.file().to_owned(),
                                    table: table.to_string(),
                                    at,
                                })
                            }
                            None => st.resolve(table, &[], at)?,
                        };
                        inserts = Some(InsertTable {
                            table: table.clone(),
                            columns: columns.map(<[String]>::to_vec),
                            masker: resolved,
                        });
                    }
                    let Some(state) = inserts.as_ref() else {
                        continue;
                    };
                    let stats = mask_insert(
                        (state.masker.as_ref(), self.rules.strict()),
                        (raw, standard_conforming_strings),
                        &self.ctx,
                        at,
                        &mut scratch,
                        out,
                    )?;
                    merge(
                        &mut st.report,
                        table.clone(),
                        TableStats {
                            rows: stats.0,
                            masked_values: stats.1,
                            mode: DataMode::Insert,
                            treatment: treatment_of(state.masker.as_ref()),
                        },
                    );
                }
            }
            if bulk {
                // Rows of kept tables go out as they are; a masked table's in bulk to a sink
                // that masks them elsewhere, else split by the reader and masked here.
                let (offset, line) = reader.position();
                let rows = match copy.as_mut() {
                    None => reader.copy_rows_to(&mut *out).map_err(dump_error)?,
                    Some(state) => {
                        let at = Position::Dump { line, offset };
                        let elsewhere = match out.bulk_rows(state, &self.ctx, at) {
                            Some(mut rows) => {
                                let copied = reader.copy_rows_to(&mut rows);
                                drop(rows);
                                Some(copied.map_err(dump_error)?)
                            }
                            None => None,
                        };
                        match elsewhere {
                            Some(n) => n,
                            None => {
                                // Rows split as the reader checks them, masked here one by one.
                                let mut at = at;
                                let mut failed = None;
                                let copied =
                                    reader.copy_rows_split(&mut |row, spans, ascii| match out
                                        .masked_split_row(state, (row, spans, ascii), &self.ctx, at)
                                    {
                                        Ok(()) => {
                                            if let Position::Dump { line, offset } = &mut at {
                                                *line += 1;
                                                *offset += row.len() as u64;
                                            }
                                            Ok(())
                                        }
                                        Err(e) => {
                                            failed = Some(e);
                                            Err(io::Error::other("masking stopped"))
                                        }
                                    });
                                // A row that failed to mask stopped the block: its error is the one.
                                copied
                                    .map_err(|e| failed.take().unwrap_or_else(|| dump_error(e)))?
                            }
                        }
                    }
                };
                if let Some(b) = block.as_mut() {
                    b.stats.rows += rows;
                }
            }
        }
        let counted = out.finish()?;
        let (offset, line) = reader.position();
        let mut report = std::mem::take(&mut st.report);
        for (table, n) in counted {
            if let Some(stats) = report.tables.get_mut(&table) {
                stats.masked_values += n;
            }
        }
        report.bytes_in = offset;
        report.bytes_out = out.bytes();
        report.complete = reader.saw_completion_trailer();
        if !report.complete && !self.allow_incomplete {
            return Err(MaskError::Incomplete {
                at: Position::Dump { line, offset },
            });
        }
        for table in announced {
            let treatment = match st.effective(&table, Position::Unknown)? {
                None => Treatment::Unlisted,
                Some(t) if !t.masks_anything() => Treatment::Kept,
                Some(_) => Treatment::Masked,
            };
            report.tables.entry(table).or_insert(TableStats {
                rows: 0,
                masked_values: 0,
                mode: DataMode::Insert,
                treatment,
            });
        }
        // A rule on a parent is in use when its own data, or a descendant's,
        // is in the dump, or when it is partitioned (no rows of its own).
        let lineage = &st.lineage;
        let missing: BTreeSet<String> = self
            .rules
            .tables()
            .map(TableRules::name)
            .filter(|t| {
                !report.tables.contains_key(t)
                    && !lineage.is_partitioned(t)
                    && !report.tables.keys().any(|d| lineage.descends_from(d, t))
            })
            .map(ToString::to_string)
            .collect();
        if !missing.is_empty() {
            return Err(MaskError::TablesNotInDump {
                file: self.rules.file().to_owned(),
                tables: missing.into_iter().collect(),
            });
        }
        report.inherits = lineage.parents().clone();
        Ok(report)
    }
}

/// What a run has learned so far.
struct RunState<'r> {
    rules: &'r Rules,
    lineage: Lineage,
    report: MaskReport,
}

impl RunState<'_> {
    /// The rules that apply to `table` (its own merged with its parents').
    /// A name without schema that could mean a table with rules is an error.
    fn effective(
        &mut self,
        table: &QualifiedName,
        at: Position,
    ) -> Result<Option<&TableRules>, MaskError> {
        if table.schema.is_none() {
            let candidates: BTreeSet<String> = self
                .lineage
                .known_as(self.rules, &table.name)
                .map(ToString::to_string)
                .collect();
            if !candidates.is_empty() {
                return Err(MaskError::AmbiguousName {
                    file: self.rules.file().to_owned(),
                    table: table.to_string(),
                    candidates: candidates.into_iter().collect::<Vec<_>>().join(", "),
                    at,
                });
            }
        }
        self.lineage.effective(self.rules, table, at)
    }

    /// [`Rules::resolve`] with the effective rules of `table`.
    fn resolve(
        &mut self,
        table: &QualifiedName,
        columns: &[String],
        at: Position,
    ) -> Result<Option<TableMasker>, MaskError> {
        let rules = self.rules;
        let effective = self.effective(table, at)?.cloned();
        rules.resolve_rules(table, effective.as_ref(), columns, at)
    }

    /// Learns the relations a statement declares, and refuses it if it puts
    /// data into a guarded table in a way that cannot be masked.
    fn check_statement(&mut self, statement: &Statement, at: Position) -> Result<(), MaskError> {
        for link in &statement.links {
            // Both ends must say which table they are where rules reach them:
            // a parent named without schema that could be a masked table is
            // refused (by `effective`), and so is a child named without
            // schema of a parent with rules, whose rows would otherwise be
            // looked up under another name and pass unmasked.
            let parent = self.effective(&link.parent, at)?.is_some();
            if parent && link.child.schema.is_none() {
                return Err(MaskError::AmbiguousName {
                    file: self.rules.file().to_owned(),
                    table: link.child.to_string(),
                    candidates: format!("the partitions and children of {}", link.parent),
                    at,
                });
            }
            let before = self.effective(&link.child, at)?.cloned();
            if !self.lineage.link(&link.child, &link.parent) {
                continue;
            }
            let after = self.effective(&link.child, at)?.cloned();
            let seen = self
                .report
                .tables
                .keys()
                .any(|t| self.lineage.descends_from(t, &link.child));
            if seen && after.is_some() && after != before {
                return Err(MaskError::LateRelation {
                    child: link.child.to_string(),
                    parent: link.parent.to_string(),
                    at,
                });
            }
        }
        if let Some(t) = &statement.partitioned {
            self.lineage.partitioned(t);
        }
        for write in &statement.writes {
            let Some(table) = &write.table else {
                if self.rules.guards_anything() {
                    return Err(MaskError::UncheckedStatement {
                        how: write.how.to_owned(),
                        at,
                    });
                }
                continue;
            };
            if table.schema.as_deref() == Some("pg_catalog") {
                continue;
            }
            let strict = self.rules.strict();
            let why = match self.effective(table, at)? {
                // Strict: rows reach tables as COPY rows or INSERT ... VALUES
                // only; a column added or converted may keep its values.
                r if strict => {
                    let kept = |cols: &Vec<String>| {
                        cols.iter()
                            .all(|c| r.is_some_and(|r| r.transform(c) == Some(&Transform::Keep)))
                    };
                    let column_change = write.how.starts_with("ALTER TABLE");
                    (!(column_change && write.columns.as_ref().is_some_and(kept))).then_some(
                        "are strict: only COPY rows and INSERT ... VALUES may put data into a table",
                    )
                }
                None => None,
                Some(r) => match &write.columns {
                    None => r.masks_anything().then_some("mask its columns"),
                    Some(cols) => cols
                        .iter()
                        .any(|c| r.transform(c).is_some_and(|t| *t != Transform::Keep))
                        .then_some("mask that column"),
                },
            };
            if let Some(why) = why {
                return Err(MaskError::StatementRefused {
                    file: self.rules.file().to_owned(),
                    how: write.how.to_owned(),
                    table: table.to_string(),
                    at,
                    why,
                });
            }
        }
        Ok(())
    }
}

/// The tables named by pg_dump's data section headers in `sql`:
/// `-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: x`.
/// Names there are raw (unquoted, case kept). A header that does not parse
/// is ignored: at worst a rules table with no rows is then reported as
/// missing from the dump, which fails closed.
fn data_headers(sql: &[u8]) -> Vec<QualifiedName> {
    const HEAD: &[u8] = b"-- Data for Name: ";
    const TYPE: &str = "; Type: TABLE DATA; Schema: ";
    let mut found = Vec::new();
    for at in memchr::memmem::find_iter(sql, HEAD) {
        let rest = &sql[at + HEAD.len()..];
        let line = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        let Some((name, after)) = line.split_once(TYPE) else {
            continue;
        };
        let schema = after.split("; Owner: ").next().unwrap_or(after);
        let schema = schema.split("; Tablespace: ").next().unwrap_or(schema);
        found.push(QualifiedName::new(Some(schema.trim_end()), name));
    }
    found
}

/// Reader errors, with write failures of the bulk lane reported as such.
fn dump_error(e: DumpError) -> MaskError {
    match e {
        DumpError::Write { source } => MaskError::Write(source),
        other => MaskError::Dump(other),
    }
}

fn treatment_of(masker: Option<&TableMasker>) -> Treatment {
    match masker {
        None => Treatment::Unlisted,
        Some(m) if m.is_identity() => Treatment::Kept,
        Some(_) => Treatment::Masked,
    }
}

fn merge(report: &mut MaskReport, table: QualifiedName, stats: TableStats) {
    report
        .tables
        .entry(table)
        .and_modify(|s| {
            s.rows += stats.rows;
            s.masked_values += stats.masked_values;
        })
        .or_insert(stats);
}

/// The masked dump on its way out: a buffer that masked rows are built in
/// directly (no row is copied twice), and the count of bytes written.
///
/// Like a `BufWriter`, it writes what it holds when dropped, and writes
/// chunks of [`DIRECT_WRITE`] bytes or more straight through (after what
/// it holds).
pub(crate) struct Output<W: Write> {
    inner: W,
    pub(crate) buf: Vec<u8>,
    /// Bytes handed to `inner`.
    bytes: u64,
}

impl<W: Write> Output<W> {
    pub(crate) fn new(inner: W) -> Self {
        Output {
            inner,
            buf: Vec::with_capacity(2 * OUT_BUF),
            bytes: 0,
        }
    }

    /// Writes the buffer out once it holds [`OUT_BUF`] bytes or more.
    pub(crate) fn flush_full(&mut self) -> io::Result<()> {
        if self.buf.len() >= OUT_BUF {
            self.flush_buf()?;
        }
        Ok(())
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.buf)?;
        self.bytes += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        // Large chunks (the reader's buffers of rows that pass through) go out as they are,
        // after what is buffered: copying them costs more than one more write.
        if data.len() >= DIRECT_WRITE {
            if !self.buf.is_empty() {
                self.flush_buf()?;
            }
            self.inner.write_all(data)?;
            self.bytes += data.len() as u64;
            return Ok(());
        }
        self.buf.extend_from_slice(data);
        self.flush_full()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_buf()?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Output<W> {
    fn drop(&mut self) {
        // As a BufWriter does: what was written so far goes out (a failed
        // run's output is discarded by the caller either way), and an error
        // here has nowhere to go.
        if !std::thread::panicking() {
            let _ = self.flush_buf();
        }
    }
}

/// Where a run writes the masked dump, in the dump's order: rows of masked tables are masked on
/// the spot ([`Output`]) or on other threads (the parallel module's lanes).
pub(crate) trait Sink: Write {
    /// A masked table's COPY block starts (`state` is how its rows are masked).
    fn copy_begins(&mut self, table: &QualifiedName, state: &CopyState);

    /// One row of the block: masked and written in its place.
    ///
    /// # Errors
    ///
    /// The row's own error (when masked here), or a write error.
    fn masked_row(
        &mut self,
        state: &mut CopyState,
        row: &[u8],
        ctx: &MaskContext,
        at: Position,
    ) -> Result<(), MaskError>;

    /// Writes everything out. Returns the masked values counted here (per table) rather than in
    /// the run's [`CopyState`]s.
    ///
    /// # Errors
    ///
    /// The first error of a row masked elsewhere, or a write error.
    fn finish(&mut self) -> Result<Vec<(QualifiedName, u64)>, MaskError>;

    /// Bytes written so far.
    fn bytes(&self) -> u64;

    /// A writer that takes a masked table's rows in bulk (whole rows per write, the first at
    /// `at`) and masks them elsewhere; `None` when this sink masks rows on the spot, where the
    /// reader's split rows go to [`Sink::masked_split_row`].
    fn bulk_rows<'s>(
        &'s mut self,
        state: &'s mut CopyState,
        ctx: &'s MaskContext,
        at: Position,
    ) -> Option<Box<dyn Write + 's>>;

    /// One row of a masked table with its fields split (see
    /// [`dump::DumpReader::copy_rows_split`]): masked and written in its place.
    ///
    /// # Errors
    ///
    /// The row's own error, or a write error.
    fn masked_split_row(
        &mut self,
        state: &mut CopyState,
        (line, _, _): (&[u8], &[dump::FieldSpan], bool),
        ctx: &MaskContext,
        at: Position,
    ) -> Result<(), MaskError> {
        self.masked_row(state, line, ctx, at)
    }
}

impl<W: Write> Sink for Output<W> {
    fn copy_begins(&mut self, _table: &QualifiedName, _state: &CopyState) {}

    fn masked_row(
        &mut self,
        state: &mut CopyState,
        row: &[u8],
        ctx: &MaskContext,
        at: Position,
    ) -> Result<(), MaskError> {
        state.mask_row(row, ctx, at, &mut self.buf)?;
        self.flush_full().map_err(MaskError::Write)
    }

    fn finish(&mut self) -> Result<Vec<(QualifiedName, u64)>, MaskError> {
        self.flush().map_err(MaskError::Write)?;
        Ok(Vec::new())
    }

    fn bytes(&self) -> u64 {
        self.bytes
    }

    fn bulk_rows<'s>(
        &'s mut self,
        _state: &'s mut CopyState,
        _ctx: &'s MaskContext,
        _at: Position,
    ) -> Option<Box<dyn Write + 's>> {
        None
    }

    fn masked_split_row(
        &mut self,
        state: &mut CopyState,
        (line, spans, ascii): (&[u8], &[dump::FieldSpan], bool),
        ctx: &MaskContext,
        at: Position,
    ) -> Result<(), MaskError> {
        state.mask_split_row(line, spans, ascii, ctx, at, &mut self.buf)?;
        self.flush_full().map_err(MaskError::Write)
    }
}

/// The COPY block currently being read.
struct Block {
    table: QualifiedName,
    stats: TableStats,
}

/// The table of the INSERT statements currently being read (pg_dump writes
/// all statements of a table together, so one entry suffices).
struct InsertTable {
    table: QualifiedName,
    columns: Option<Vec<String>>,
    masker: Option<TableMasker>,
}

/// A decoded field of the current row.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// Not needed for masking, not decoded.
    Skip,
    Null,
    /// Byte range in the arena.
    Text(usize, usize),
}

/// Template access to the decoded fields of a COPY row.
struct ArenaRefs<'a> {
    refs: &'a [usize],
    slots: &'a [Slot],
    arena: &'a str,
}

impl Refs for ArenaRefs<'_> {
    fn get(&self, slot: usize, _name: &str) -> Option<Option<&str>> {
        match self.slots.get(*self.refs.get(slot)?)? {
            Slot::Skip => None,
            Slot::Null => Some(None),
            Slot::Text(s, e) => Some(self.arena.get(*s..*e)),
        }
    }
}

/// Buffers reused for every row of a masked COPY block, so that masking a
/// row allocates nothing once they have grown to the widest row.
pub(crate) struct CopyState {
    pub(crate) masker: TableMasker,
    /// The row positions that templates read, in row order (they are
    /// decoded before any column is masked; the slots of the others stay
    /// [`Slot::Skip`]).
    referenced: Vec<usize>,
    /// Per plan: when the transform's output needs no COPY escape, so it
    /// is copied as it is.
    plain_output: Vec<Plain>,
    /// The fields of the row: byte range, and whether it holds a
    /// backslash (and so needs decoding).
    spans: Vec<(usize, usize, bool)>,
    slots: Vec<Slot>,
    arena: String,
    scratch: String,
    pub(crate) masked_values: u64,
}

impl CopyState {
    pub(crate) fn new(masker: TableMasker) -> Self {
        let n = masker.columns.len();
        let mut referenced = vec![false; n];
        for plan in &masker.plans {
            for &r in &plan.refs {
                referenced[r] = true;
            }
        }
        let referenced = (0..n).filter(|&i| referenced[i]).collect();
        let plain_output = masker
            .plans
            .iter()
            .map(|p| Plain::of(&p.transform))
            .collect();
        CopyState {
            masker,
            referenced,
            plain_output,
            spans: Vec::with_capacity(n),
            slots: vec![Slot::Skip; n],
            arena: String::new(),
            scratch: String::new(),
            masked_values: 0,
        }
    }

    /// Masks one data row (with its line terminator) and appends it to
    /// `row`: masked, or as it is when nothing in it changed. On an error
    /// `row` is left as it was.
    ///
    /// The row is built from the unchanged stretches of the line and the
    /// new values, and a column's value is decoded borrowed from the line
    /// (COPY fields without escapes, the common case) unless a template
    /// reads it.
    pub(crate) fn mask_row(
        &mut self,
        line: &[u8],
        ctx: &MaskContext,
        at: Position,
        row: &mut Vec<u8>,
    ) -> Result<(), MaskError> {
        // The spans buffer is lent out for the row and given back, so that it keeps its size.
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        let ascii = split_fields(split_line_terminator(line).0, &mut spans).ascii;
        let result = self.mask_split_row(line, &spans, ascii, ctx, at, row);
        self.spans = spans;
        result
    }

    /// [`CopyState::mask_row`] of a row whose fields are split already (as
    /// [`split_fields`] splits them; `ascii`: the row is all ASCII).
    pub(crate) fn mask_split_row(
        &mut self,
        line: &[u8],
        spans: &[dump::FieldSpan],
        ascii: bool,
        ctx: &MaskContext,
        at: Position,
        row: &mut Vec<u8>,
    ) -> Result<(), MaskError> {
        let start = row.len();
        let result = self.mask_split_into(line, spans, ascii, ctx, at, row);
        if result.is_err() {
            row.truncate(start);
        }
        result
    }

    fn mask_split_into(
        &mut self,
        line: &[u8],
        spans: &[dump::FieldSpan],
        ascii: bool,
        ctx: &MaskContext,
        at: Position,
        row: &mut Vec<u8>,
    ) -> Result<(), MaskError> {
        let CopyState {
            masker,
            referenced,
            plain_output,
            spans: _,
            slots,
            arena,
            scratch,
            masked_values,
        } = self;
        let (content, terminator) = split_line_terminator(line);
        let n = masker.columns.len();
        if spans.len() != n {
            return Err(masker.width_error(at, spans.len(), "fields", "COPY column list"));
        }
        let not_text = |i: usize| {
            masker.value_error(
                i,
                at,
                "the field is not valid COPY text in UTF-8".to_owned(),
            )
        };
        arena.clear();
        for &i in referenced.iter() {
            let (s, e, escaped) = spans[i];
            slots[i] = match decode_field(&content[s..e], escaped, ascii) {
                Ok(None) => Slot::Null,
                Ok(Some(v)) => {
                    let start = arena.len();
                    arena.push_str(&v);
                    Slot::Text(start, arena.len())
                }
                Err(_) => return Err(not_text(i)),
            };
        }
        // Bytes of `line` up to here are already in `row` (or unchanged).
        let mut copied = 0;
        let mut changed = false;
        // The plans are in row order.
        for (k, plan) in masker.plans.iter().enumerate() {
            let i = plan.column;
            let (s, e, escaped) = spans[i];
            let raw = &content[s..e];
            let decoded;
            let value = match slots[i] {
                Slot::Text(a, b) => Some(&arena[a..b]),
                Slot::Null => None,
                Slot::Skip => {
                    decoded = decode_field(raw, escaped, ascii).map_err(|_| not_text(i))?;
                    decoded.as_deref()
                }
            };
            let refs = ArenaRefs {
                refs: &plan.refs,
                slots,
                arena,
            };
            scratch.clear();
            let outcome = masker.apply(k, value, &refs, ctx, scratch, at)?;
            if outcome == Outcome::Unchanged {
                continue;
            }
            row.extend_from_slice(&line[copied..s]);
            match outcome {
                Outcome::Null => row.extend_from_slice(b"\\N"),
                _ if plain_output[k] == Plain::Always => {
                    debug_assert!(!needs_copy_escape(scratch.as_bytes()));
                    row.extend_from_slice(scratch.as_bytes());
                }
                _ if plain_output[k] == Plain::WhenUnescaped && !escaped => {
                    debug_assert!(memchr::memchr(b'\\', scratch.as_bytes()).is_none());
                    row.extend_from_slice(scratch.as_bytes());
                }
                _ => push_copy_field(scratch.as_bytes(), row),
            }
            copied = e;
            changed = true;
            *masked_values += 1;
        }
        if !changed {
            row.extend_from_slice(line);
            return Ok(());
        }
        row.extend_from_slice(&content[copied..]);
        row.extend_from_slice(terminator);
        Ok(())
    }
}

/// When a transform's output is a COPY field as it is, with no escaping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plain {
    /// Always ([`output_is_plain`]).
    Always,
    /// When the field it was given held no backslash: the output is made
    /// of stretches of the value and of text that needs no escape (the
    /// fakes of `fake_phone` and `scrub`, and `json` rules of such
    /// transforms). A byte of 0x08 to 0x0d that the field held as it is
    /// stays as it is, as in the columns that are kept.
    WhenUnescaped,
    /// The output is escaped where it needs it.
    Never,
}

impl Plain {
    fn of(t: &Transform) -> Plain {
        if output_is_plain(t) {
            Plain::Always
        } else if plain_from_plain(t) {
            Plain::WhenUnescaped
        } else {
            Plain::Never
        }
    }
}

/// Whether what `t` writes for a value without a backslash or a control
/// character needs no COPY escape: see [`Plain::WhenUnescaped`]. Inside a JSON
/// document from such a field no string holds an escape, so a rule's new
/// value is quoted without one when the rule's transform writes plain text,
/// or keeps the value, or nulls it, or sets a constant without a quote,
/// backslash or control character (not a `json` rule of its own, whose
/// document's quotes would be escaped).
fn plain_from_plain(t: &Transform) -> bool {
    match t {
        Transform::Fake(_) | Transform::Scrub => true,
        Transform::Json(rules) => rules.paths.iter().all(|(_, t)| match t {
            Transform::Keep | Transform::Null => true,
            Transform::Set { value, .. } => {
                !value.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\')
            }
            // A document inside a string: its own quotes would be escaped.
            Transform::Json(_) => false,
            t => plain_from_plain(t),
        }),
        t => output_is_plain(t),
    }
}

/// Whether every text `t` writes is ASCII letters, digits, spaces and `.@`: the
/// hex of `hash` (without a template) and `random_hash`, and the fakes made
/// from the word lists. Such text is a COPY field as it is.
fn output_is_plain(t: &Transform) -> bool {
    use super::transform::FakeKind;
    match t {
        Transform::Hash { template, .. } => template.is_none(),
        Transform::RandomHash { .. } => true,
        Transform::Fake(kind) => !matches!(kind, FakeKind::Phone),
        _ => false,
    }
}

/// Appends `value` as a COPY TEXT field: what [`encode_copy_field`]
/// writes, with values that need no escape (nearly all: fakes, hashes,
/// scrubbed text) told apart first by a branch-free pass that the compiler
/// vectorises, and then copied whole.
fn push_copy_field(value: &[u8], row: &mut Vec<u8>) {
    if needs_copy_escape(value) {
        encode_copy_field(Some(value), row);
    } else {
        row.extend_from_slice(value);
    }
}

/// Whether `value` holds a byte that [`encode_copy_field`] escapes
/// (backslash, 0x08 to 0x0d). One reduction over the whole value, without
/// an early exit, in a function of its own: that is the form the compiler
/// vectorises (inlined into a larger loop it stays byte by byte).
#[inline(never)]
fn needs_copy_escape(value: &[u8]) -> bool {
    value.iter().fold(false, |any, &b| {
        any | (b.wrapping_sub(0x08) < 6) | (b == b'\\')
    })
}

/// A COPY field that is not text: it ends in a lone backslash, or its
/// decoded bytes are not UTF-8.
struct NotText;

/// Decodes one still-escaped COPY field as text (`None` for NULL).
///
/// Every masked value passes through here, free text of kilobytes among
/// them, so the UTF-8 check is the vectorised one of `simdutf8` (the same
/// verdict as `std::str::from_utf8`, several times faster on long ASCII).
fn decode_text(raw: &[u8]) -> Result<Option<Cow<'_, str>>, NotText> {
    match decode_copy_field(raw).map_err(|_| NotText)? {
        None => Ok(None),
        Some(Cow::Borrowed(bytes)) => simdutf8::basic::from_utf8(bytes)
            .map(|s| Some(Cow::Borrowed(s)))
            .map_err(|_| NotText),
        Some(Cow::Owned(bytes)) => String::from_utf8(bytes)
            .map(|s| Some(Cow::Owned(s)))
            .map_err(|_| NotText),
    }
}

/// [`decode_text`] of a field whose [`split_fields`] verdicts are known:
/// `escaped` whether the field holds a backslash, `ascii` whether its row
/// is all ASCII. A field without a backslash is neither NULL nor escaped,
/// and is its own value; in an ASCII row it is valid UTF-8 as it is (most
/// values are short, where even a fast UTF-8 check costs more than the
/// row-wide ASCII test that came with the split).
#[inline]
fn decode_field(raw: &[u8], escaped: bool, ascii: bool) -> Result<Option<Cow<'_, str>>, NotText> {
    if escaped {
        return decode_text(raw);
    }
    if ascii {
        debug_assert!(raw.is_ascii());
        // SAFETY: the row `raw` is a part of is all ASCII (`split_fields`
        // said so, tested against `is_ascii`), and ASCII is valid UTF-8.
        return Ok(Some(Cow::Borrowed(unsafe {
            std::str::from_utf8_unchecked(raw)
        })));
    }
    simdutf8::basic::from_utf8(raw)
        .map(|s| Some(Cow::Borrowed(s)))
        .map_err(|_| NotText)
}

/// Whether an INSERT is `INSERT INTO t DEFAULT VALUES`: rows without
/// values.
fn is_default_values(raw: &[u8], standard_conforming_strings: bool) -> bool {
    parse_insert_values_with(raw, standard_conforming_strings)
        .is_ok_and(|stmt| stmt.rows.iter().all(Vec::is_empty))
}

/// The text a template or transform sees for an INSERT value.
fn insert_text<'v>(v: &'v SqlValue<'_>) -> Result<Option<&'v str>, &'static str> {
    match v {
        SqlValue::Null => Ok(None),
        SqlValue::Number(n) => Ok(Some(n)),
        SqlValue::Bool(true) => Ok(Some("true")),
        SqlValue::Bool(false) => Ok(Some("false")),
        SqlValue::String(bytes) => std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|_| "the string is not valid UTF-8"),
        SqlValue::Other(_) => Err(
            "the value is an expression (a cast, function call or special literal), not a \
             plain literal, so it cannot be masked reliably",
        ),
    }
}

/// Writes one INSERT statement, masked if `masker` masks anything, and
/// returns its row count and the number of masked values. An INSERT that
/// is not plain VALUES rows, or whose ON CONFLICT/RETURNING clause has
/// values of its own, is refused for a masked table, and in strict mode for
/// any table.
fn mask_insert<W: Write>(
    (masker, strict): (Option<&TableMasker>, bool),
    (raw, standard_conforming_strings): (&[u8], bool),
    ctx: &MaskContext,
    at: Position,
    scratch: &mut String,
    out: &mut W,
) -> Result<(u64, u64), MaskError> {
    let (offset, line) = match at {
        Position::Dump { line, offset } => (offset, line),
        Position::Unknown => (0, 0),
    };
    let refused = |how: String, why: &'static str| {
        let m = masker?;
        Some(MaskError::StatementRefused {
            file: m.file.clone(),
            how,
            table: m.table_sql.clone(),
            at,
            why,
        })
    };
    let why = if strict {
        "are strict: only COPY rows and INSERT ... VALUES may put data into a table"
    } else {
        "mask its columns"
    };
    // Who is guarded: a masked table, or in strict mode every table (an
    // unlisted one never gets here in strict mode).
    let guarded = strict || masker.is_some_and(|m| !m.is_identity());
    let stmt = match parse_insert_values_with(raw, standard_conforming_strings) {
        Ok(stmt) => stmt,
        // INSERT ... SELECT and other forms: fine for a table whose data
        // passes as it is, refused for a guarded one.
        Err(e) if guarded => {
            let located = e.located(line, offset);
            let how = format!("INSERT that is not plain VALUES rows ({located})");
            return Err(refused(how, why).unwrap_or(MaskError::Dump(located)));
        }
        Err(_) => {
            out.write_all(raw).map_err(MaskError::Write)?;
            return Ok((0, 0));
        }
    };
    if guarded && stmt.trailing_literals() {
        let how = "INSERT ... ON CONFLICT/RETURNING with values of its own".to_owned();
        if let Some(e) = refused(how, why) {
            return Err(e);
        }
    }
    let rows = stmt.row_count() as u64;
    let Some(masker) = masker.filter(|m| !m.is_identity()) else {
        out.write_all(raw).map_err(MaskError::Write)?;
        return Ok((rows, 0));
    };
    let n = masker.columns.len();
    let per_row = masker.plans.len();
    let mut new_values: Vec<Option<NewValue>> = Vec::with_capacity(stmt.rows.len() * per_row);
    let mut view: Vec<Option<&str>> = vec![None; n];
    let mut masked = 0u64;
    for values in &stmt.rows {
        if values.len() != n {
            return Err(masker.width_error(at, values.len(), "values", "column list"));
        }
        for (i, v) in values.iter().enumerate() {
            view[i] = if masker.needed[i] {
                insert_text(&v.value).map_err(|why| masker.value_error(i, at, why.to_owned()))?
            } else {
                None
            };
        }
        for (k, plan) in masker.plans.iter().enumerate() {
            scratch.clear();
            let refs = SliceRefs {
                refs: &plan.refs,
                row: &view,
            };
            let new = match masker.apply(k, view[plan.column], &refs, ctx, scratch, at)? {
                Outcome::Unchanged => None,
                Outcome::Null => Some(NewValue::Null),
                // Always a quoted literal, whatever the original was: a
                // number written into a text column must not be bare.
                Outcome::Text => Some(NewValue::Text(scratch.clone())),
            };
            masked += u64::from(new.is_some());
            new_values.push(new);
        }
    }
    let mut buf = Vec::with_capacity(raw.len() + raw.len() / 4);
    stmt.write_with(&mut buf, |r, c, _| {
        let k = masker.plan_of.get(c).copied().flatten()?;
        new_values.get_mut(r * per_row + k)?.take()
    });
    out.write_all(&buf).map_err(MaskError::Write)?;
    Ok((rows, masked))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn plain_outputs_need_no_escape(value in any::<String>()) {
            use crate::transform::{apply_transform, FakeKind};
            let ctx = MaskContext::new(crate::Salt::from_secret(b"plain-output-salt-0123").unwrap());
            let all = [
                Transform::Hash { length: 64, template: None },
                Transform::Hash { length: 7, template: None },
                Transform::RandomHash { length: 64, nulls: true },
                Transform::Fake(FakeKind::Email),
                Transform::Fake(FakeKind::Name),
                Transform::Fake(FakeKind::FirstName),
                Transform::Fake(FakeKind::LastName),
            ];
            for t in &all {
                prop_assert!(output_is_plain(t));
                let out = apply_transform(t, Some(&value), &|_| None, &ctx).unwrap();
                prop_assert!(!needs_copy_escape(out.unwrap_or_default().as_bytes()));
            }
            prop_assert!(!output_is_plain(&Transform::Fake(FakeKind::Phone)));
            prop_assert!(!output_is_plain(&Transform::Scrub));
        }

        #[test]
        fn plain_from_plain_outputs_need_no_escape(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("anna@corp.example".to_owned()),
                    Just("+49 170 1234567".to_owned()),
                    Just("(030) 123-4567".to_owned()),
                    Just("\u{b}\u{c}\r\u{8}".to_owned()),
                    "[^\\\\\t\n]{0,12}",
                ],
                0..8,
            ),
        ) {
            use crate::json::JsonPath;
            use crate::transform::{apply_transform, FakeKind};
            let ctx = MaskContext::new(crate::Salt::from_secret(b"plain-output-salt-0123").unwrap());
            // A COPY field without a backslash, tab or line feed, as text and as a JSON
            // document whose strings hold the same words (those a JSON string can hold raw).
            let text = words.concat();
            let json_word = |w: &String| -> String {
                w.chars().filter(|&c| c >= ' ' && c != '"').collect()
            };
            let doc = format!(
                "{{\"from\": \"{}\", \"n\": [{}], \"note\": \"{}\", \"keep\": \"{}\"}}",
                words.first().map(json_word).unwrap_or_default(),
                words.iter().map(|w| format!("\"{}\"", json_word(w))).collect::<Vec<_>>().join(", "),
                json_word(&text),
                json_word(&text),
            );
            let json = Transform::Json(crate::json::JsonRules {
                paths: vec![
                    (JsonPath::parse("from").unwrap(), Transform::Fake(FakeKind::Phone)),
                    (JsonPath::parse("n[*]").unwrap(), Transform::Fake(FakeKind::Email)),
                    (JsonPath::parse("note").unwrap(), Transform::Scrub),
                    (JsonPath::parse("x").unwrap(), Transform::Set { value: "plain".into(), nulls: false }),
                    (JsonPath::parse("y").unwrap(), Transform::Null),
                ],
            });
            for (t, value) in [
                (&Transform::Fake(FakeKind::Phone), &text),
                (&Transform::Scrub, &text),
                (&json, &doc),
            ] {
                prop_assert_eq!(Plain::of(t), Plain::WhenUnescaped);
                let out = apply_transform(t, Some(value), &|_| None, &ctx).unwrap().unwrap_or_default();
                // Nothing a COPY field escapes, except the raw bytes the value held itself.
                for b in out.bytes().filter(|&b| b.wrapping_sub(0x08) < 6 || b == b'\\') {
                    prop_assert!(b != b'\\' && b != b'\t' && b != b'\n', "{:?} -> {:?}", value, out);
                    prop_assert!(value.as_bytes().contains(&b), "{:?} -> {:?}", value, out);
                }
            }
            // Rules that may write a quote or a backslash are escaped.
            let quoted = Transform::Json(crate::json::JsonRules {
                paths: vec![(JsonPath::parse("x").unwrap(), Transform::Set { value: "a\"b".into(), nulls: false })],
            });
            prop_assert_eq!(Plain::of(&quoted), Plain::Never);
            let partial = Transform::Partial { first: 1, last: 1, fill: '*' };
            prop_assert_eq!(Plain::of(&partial), Plain::Never);
            let nested = Transform::Json(crate::json::JsonRules {
                paths: vec![(JsonPath::parse("doc").unwrap(), json.clone())],
            });
            prop_assert_eq!(Plain::of(&nested), Plain::Never);
        }

        #[test]
        fn fields_are_decoded_as_decode_text_does(
            row in proptest::collection::vec(
                prop_oneof![
                    Just(b'\t'), Just(b'\\'), Just(b'N'), Just(b'3'), Just(b'a'), Just(0xc3),
                    Just(0xa9), any::<u8>(),
                ],
                0..150,
            ),
        ) {
            let row: Vec<u8> = row.into_iter().filter(|&b| b != b'\n' && b != b'\r').collect();
            let mut spans = Vec::new();
            let ascii = split_fields(&row, &mut spans).ascii;
            prop_assert_eq!(ascii, row.is_ascii());
            for (s, e, escaped) in spans {
                let raw = &row[s..e];
                let fast = decode_field(raw, escaped, ascii).map_err(|_| ());
                let plain = decode_text(raw).map_err(|_| ());
                prop_assert_eq!(fast, plain);
            }
        }

        #[test]
        fn copy_fields_are_encoded_as_the_codec_does(
            value in proptest::collection::vec(
                prop_oneof![Just(b'\\'), 0x07u8..0x0f, Just(b'a'), any::<u8>()],
                0..100,
            ),
        ) {
            let (mut fast, mut codec) = (b"x".to_vec(), b"x".to_vec());
            push_copy_field(&value, &mut fast);
            encode_copy_field(Some(&value), &mut codec);
            prop_assert_eq!(fast, codec);
        }
    }
}
