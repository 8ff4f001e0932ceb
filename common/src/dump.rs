//! Interim reader of pg_dump's plain format (row counting only).

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

/// A schema-qualified table name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QualifiedName {
    /// Schema.
    pub schema: Option<String>,
    /// Table.
    pub name: String,
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => write!(f, "{}", self.name),
        }
    }
}

/// Errors.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    /// I/O.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// Malformed.
    #[error("line {line}: {message}")]
    Malformed {
        /// Line.
        line: u64,
        /// What.
        message: String,
    },
}

/// Row counts.
#[derive(Debug, Clone, Default)]
pub struct RowCounts {
    /// Per table.
    pub tables: BTreeMap<QualifiedName, u64>,
    /// Trailer seen.
    pub trailer: bool,
}

/// Counts rows.
pub fn count_rows<R: BufRead, W: Write>(mut input: R, mut sink: W) -> Result<RowCounts, DumpError> {
    let mut out = RowCounts::default();
    let mut line = Vec::new();
    let mut current: Option<QualifiedName> = None;
    let mut n = 0u64;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        n += 1;
        sink.write_all(&line)?;
        if let Some(t) = &current {
            if line == b"\\.\n" {
                current = None;
            } else {
                *out.tables.entry(t.clone()).or_insert(0) += 1;
            }
            continue;
        }
        if line.starts_with(b"COPY ") && line.ends_with(b" FROM stdin;\n") {
            let s = String::from_utf8_lossy(&line[5..]);
            let name = s.split([' ', '(']).next().unwrap_or("").to_string();
            let (schema, table) = match name.split_once('.') {
                Some((a, b)) => (Some(a.to_string()), b.to_string()),
                None => (None, name),
            };
            let q = QualifiedName {
                schema,
                name: table,
            };
            out.tables.entry(q.clone()).or_insert(0);
            current = Some(q);
        } else if !line.starts_with(b"--")
            && !line.starts_with(b"\\")
            && !line.trim_ascii().is_empty()
        {
            out.trailer = false;
        } else if line.starts_with(b"-- PostgreSQL database dump complete") {
            out.trailer = true;
        }
    }
    if current.is_some() {
        return Err(DumpError::Malformed {
            line: n,
            message: "input ended inside a COPY block".into(),
        });
    }
    Ok(out)
}
