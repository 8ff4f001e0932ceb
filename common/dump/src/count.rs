//! Row counting while a dump streams through (used by backups to record
//! what a dump contains without a second pass).

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use super::error::DumpError;
use super::insert::count_insert_rows;
use super::name::QualifiedName;
use super::reader::{DumpReader, Event};

/// What [`count_rows`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowCounts {
    /// Rows per table, from COPY blocks and INSERT statements. Tables whose
    /// COPY block is empty are present with 0.
    pub tables: BTreeMap<QualifiedName, u64>,
    /// Whether the dump ended with pg_dump's completion trailer. A dump
    /// without it was cut short, even if it happens to end between
    /// statements.
    pub complete: bool,
    /// Total bytes passed through.
    pub bytes: u64,
}

impl RowCounts {
    /// Rows over all tables.
    pub fn total(&self) -> u64 {
        self.tables.values().sum()
    }
}

/// Copies a plain-format dump from `input` to `sink` unchanged while
/// counting the rows of every table, and checks for pg_dump's completion
/// trailer.
///
/// Fails (after having written everything up to the problem) on anything
/// [`DumpReader`] rejects, such as a truncated dump, and on INSERT
/// statements whose rows cannot be counted.
///
/// # Errors
///
/// Whatever [`DumpReader::next_event`] reports, [`DumpError::Write`] when
/// `sink` fails, and a [`DumpError::Syntax`] naming the line of an INSERT
/// statement that cannot be parsed.
pub fn count_rows<R: BufRead, W: Write>(input: R, mut sink: W) -> Result<RowCounts, DumpError> {
    let mut reader = DumpReader::new(input);
    let mut tables: BTreeMap<QualifiedName, u64> = BTreeMap::new();
    let mut copy_rows = 0u64;
    let mut copy_table: Option<QualifiedName> = None;
    let write_err = |source| DumpError::Write { source };
    loop {
        let (offset, line) = reader.position();
        let Some(event) = reader.next_event()? else {
            break;
        };
        sink.write_all(event.bytes()).map_err(write_err)?;
        match event {
            Event::CopyRow(_) => copy_rows += 1,
            Event::Sql(_) | Event::Statement { .. } => {}
            Event::CopyStart { table, .. } => {
                copy_table = Some(table.clone());
                copy_rows = reader.copy_rows_to(&mut sink)?;
            }
            Event::CopyEnd(_) => {
                if let Some(table) = copy_table.take() {
                    *tables.entry(table).or_insert(0) += copy_rows;
                }
            }
            Event::Insert {
                raw,
                table,
                standard_conforming_strings,
                ..
            } => {
                let rows = count_insert_rows(raw, standard_conforming_strings)
                    .map_err(|e| e.located(line, offset))?;
                match tables.get_mut(table) {
                    Some(n) => *n += rows,
                    None => {
                        tables.insert(table.clone(), rows);
                    }
                }
            }
        }
    }
    sink.flush().map_err(write_err)?;
    Ok(RowCounts {
        tables,
        complete: reader.saw_completion_trailer(),
        bytes: reader.position().0,
    })
}
