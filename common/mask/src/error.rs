//! The error type of the masking engine.

use std::fmt;
use std::io;

use dump::DumpError;

/// Where in a dump a problem was found, for messages.
///
/// Transforms also run outside dumps (live copies, SQLite functions); their
/// errors carry [`Position::Unknown`] and the message simply says nothing
/// about a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Position {
    /// Not in a dump, or not known.
    #[default]
    Unknown,
    /// A row or statement of a dump.
    Dump {
        /// 1-based line where the row or statement starts.
        line: u64,
        /// Byte offset where the row or statement starts.
        offset: u64,
    },
}

/// Renders as `" at line L (byte O) of the dump"`, or nothing at all, so it
/// can be put straight after a name in a message.
impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Unknown => Ok(()),
            Position::Dump { line, offset } => {
                write!(f, " at line {line} (byte {offset}) of the dump")
            }
        }
    }
}

/// Everything that can stop a masking run.
///
/// The engine fails closed: any of these means the output written so far
/// must be discarded, because it may be incomplete or, worse, hold data the
/// rules meant to mask. Messages name the rules file, the table, the column
/// and the place in the dump; they never quote a row value (these messages
/// end up in logs and CI output).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MaskError {
    /// The rules file is not valid TOML or not a valid set of rules.
    #[error("rules file {file}{}: {reason}", line_suffix(*.line))]
    Rules {
        /// Name of the rules file.
        file: String,
        /// 1-based line in the rules file, when known.
        line: Option<usize>,
        /// What is wrong, naming the table and column concerned.
        reason: String,
    },
    /// The salt is missing or unusable.
    #[error("{reason}")]
    Salt {
        /// What is wrong and how to fix it (names the variable).
        reason: String,
    },
    /// The rules use keyed transforms but the context has no salt.
    #[error(
        "rules file {file}: {column} uses a keyed transform, which needs a secret salt: set \
         the environment variable {var}, or choose a random per-run salt explicitly"
    )]
    SaltRequired {
        /// Name of the rules file.
        file: String,
        /// First column (`table.column`) whose transform needs the salt.
        column: String,
        /// The environment variable the rules name.
        var: String,
    },
    /// Strict mode: a table in the dump has no rules.
    #[error(
        "rules file {file}: table {table}{at} has no rules; in strict mode every table in the \
         dump must be listed (add [tables.'{table}'] and class each column mask or keep)"
    )]
    UnclassifiedTable {
        /// Name of the rules file.
        file: String,
        /// The table, as SQL spells it.
        table: String,
        /// Where its data starts.
        at: Position,
    },
    /// Strict mode: a column in the dump is neither masked nor kept.
    #[error(
        "rules file {file}: column {table}.{column} is not classed mask or keep; add it to \
         the rules{}",
        found(*.at)
    )]
    UnclassifiedColumn {
        /// Name of the rules file.
        file: String,
        /// The table, as SQL spells it.
        table: String,
        /// The column, as SQL spells it.
        column: String,
        /// Where the table's data starts.
        at: Position,
    },
    /// A column named in the rules is not in the dump's column list.
    #[error(
        "rules file {file}: column {table}.{column} is in the rules but not in the table's \
         column list{at} (dropped or renamed? update the rules; generated columns carry no data and need no rule)"
    )]
    UnknownColumn {
        /// Name of the rules file.
        file: String,
        /// The table, as SQL spells it.
        table: String,
        /// The column, as SQL spells it.
        column: String,
        /// Where the table's data starts.
        at: Position,
    },
    /// A template refers to a column the table does not have.
    #[error(
        "rules file {file}: the template for {table}.{column} refers to column {referenced}, \
         which is not in the table's column list{at}"
    )]
    UnknownTemplateColumn {
        /// Name of the rules file.
        file: String,
        /// The table, as SQL spells it.
        table: String,
        /// The masked column whose template has the reference.
        column: String,
        /// The missing column.
        referenced: String,
        /// Where the table's data starts.
        at: Position,
    },
    /// Tables with rules that never appeared in the dump.
    #[error(
        "rules file {file}: no data for {} in the dump (misspelt, wrong case, or dumped \
         without it?); the output must be discarded",
        .tables.join(", ")
    )]
    TablesNotInDump {
        /// Name of the rules file.
        file: String,
        /// The tables, as SQL spells them.
        tables: Vec<String>,
    },
    /// An INSERT without column list for a table with rules.
    #[error(
        "INSERT into {table}{at} has no column list, so its values cannot be matched to the \
         rules of {file}; dump with --column-inserts, or in COPY format (the default)"
    )]
    InsertWithoutColumns {
        /// Name of the rules file.
        file: String,
        /// The table, as SQL spells it.
        table: String,
        /// Where the statement starts.
        at: Position,
    },
    /// A data row does not fit the table's column list.
    #[error("table {table}{at}: {reason}")]
    Row {
        /// The table, as SQL spells it.
        table: String,
        /// Where the row starts.
        at: Position,
        /// What is wrong (never the row's content).
        reason: String,
    },
    /// A value of a masked column could not be masked.
    #[error("cannot mask {table}.{column}{at} (its rule is in {file}): {reason}")]
    Value {
        /// Name of the rules file.
        file: String,
        /// The table, as SQL spells it.
        table: String,
        /// The column, as SQL spells it.
        column: String,
        /// Where the row starts.
        at: Position,
        /// What is wrong (never the value).
        reason: String,
    },
    /// A transform applied outside a dump (live copy, SQL function) failed.
    #[error("cannot apply {transform}: {reason}")]
    Transform {
        /// The transform's name in rules files.
        transform: &'static str,
        /// What is wrong (never the value).
        reason: String,
    },
    /// The dump does not end with pg_dump's completion trailer.
    #[error(
        "the dump ends{at} without pg_dump's \"dump complete\" trailer: it was cut short; the \
         output must be discarded"
    )]
    Incomplete {
        /// Where the input ended.
        at: Position,
    },
    /// Strict mode: the dump carries large objects, which cannot be masked.
    #[error(
        "the dump contains large object data{at}, which cannot be masked; dump with \
         --no-large-objects (--no-blobs before PostgreSQL 16), or turn strict mode off"
    )]
    LargeObjects {
        /// Where the statement starts.
        at: Position,
    },
    /// A statement that puts data into a table the rules mask (or, in
    /// strict mode, any table), in a form the masker cannot rewrite value
    /// by value: UPDATE, MERGE, DELETE, WITH ..., INSERT ... SELECT, INSERT
    /// with values in ON CONFLICT, SELECT ... INTO, CREATE TABLE ... AS,
    /// COPY ... FROM a file, ALTER TABLE ... ADD COLUMN ... DEFAULT.
    #[error(
        "{how} into table {table}{at} cannot be masked value by value, so it is refused (the \
         rules of {file} {why}); dump the data with pg_dump, which writes it as COPY rows or \
         INSERT ... VALUES statements"
    )]
    StatementRefused {
        /// Name of the rules file.
        file: String,
        /// What the statement is (`UPDATE`, `MERGE`, ...).
        how: String,
        /// The table, as SQL spells it.
        table: String,
        /// Where the statement starts.
        at: Position,
        /// Why the table is guarded: "mask its columns", "are strict".
        why: &'static str,
    },
    /// A statement that may write into any table and cannot be looked into
    /// (a DO block, CALL, a psql meta-command such as `\i`, text that is not
    /// SQL), in a run whose rules mask something.
    #[error(
        "{how}{at} may put data into masked tables and cannot be checked, so it is refused; \
         the output must be discarded"
    )]
    UncheckedStatement {
        /// What the statement is.
        how: String,
        /// Where it starts.
        at: Position,
    },
    /// A table name without schema that could mean a table the rules mask.
    #[error(
        "table {table}{at} is named without its schema, and the rules of {file} cover \
         {candidates}: which one it means depends on the search_path, so it is refused \
         (pg_dump always writes schema-qualified names)"
    )]
    AmbiguousName {
        /// Name of the rules file.
        file: String,
        /// The name as the dump gives it.
        table: String,
        /// The qualified tables it could mean.
        candidates: String,
        /// Where it appears.
        at: Position,
    },
    /// A partition or inheritance relation declared after the child's data
    /// had already passed with other rules.
    #[error(
        "table {child}{at} is declared a partition or child of {parent} after its data was \
         already written without {parent}'s rules; the output must be discarded"
    )]
    LateRelation {
        /// The child table, as SQL spells it.
        child: String,
        /// The parent table, as SQL spells it.
        parent: String,
        /// Where the relation is declared.
        at: Position,
    },
    /// Reading or understanding the dump failed.
    #[error(transparent)]
    Dump(#[from] DumpError),
    /// Writing the masked dump failed.
    #[error("writing the masked dump failed")]
    Write(#[source] io::Error),
}

fn found(at: Position) -> String {
    match at {
        Position::Unknown => String::new(),
        at => format!(" (found{at})"),
    }
}

fn line_suffix(line: Option<usize>) -> String {
    match line {
        Some(l) => format!(" line {l}"),
        None => String::new(),
    }
}

impl MaskError {
    /// Whether the rules (or their fit to the schema) are at fault, rather than the data or the
    /// output: rules problems are configuration errors, the rest are failures of the run.
    pub fn is_rules_error(&self) -> bool {
        matches!(
            self,
            MaskError::Rules { .. }
                | MaskError::Salt { .. }
                | MaskError::SaltRequired { .. }
                | MaskError::UnclassifiedTable { .. }
                | MaskError::UnclassifiedColumn { .. }
                | MaskError::UnknownColumn { .. }
                | MaskError::UnknownTemplateColumn { .. }
                | MaskError::TablesNotInDump { .. }
        )
    }
}
