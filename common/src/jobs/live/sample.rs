//! Samples of column values, from a database or a dump, for lint and the leak check.

use std::collections::BTreeMap;
use std::io::BufRead;

use dump::{DumpReader, Event, QualifiedName};

use crate::engine::pg::{quote_ident, PgAdmin};
use crate::engine::schema::TableInfo;
use crate::error::{Error, Result};

/// Samples up to `n` non-NULL text values of a PostgreSQL column.
pub fn pg_sample(admin: &PgAdmin, t: &TableInfo, column: &str, n: usize) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT {c}::text FROM {s}.{t} WHERE {c} IS NOT NULL LIMIT {n}",
        c = quote_ident(column),
        s = quote_ident(t.name.schema.as_deref().unwrap_or("public")),
        t = quote_ident(&t.name.name)
    );
    Ok(admin
        .query_values(&sql)?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect())
}

/// Samples up to `n` non-NULL values of an SQLite column, as text.
pub fn sqlite_sample(
    conn: &rusqlite::Connection,
    t: &TableInfo,
    column: &str,
    n: usize,
) -> Result<Vec<String>> {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let sql = format!(
        "SELECT CAST({c} AS TEXT) FROM {t} WHERE {c} IS NOT NULL AND typeof({c}) <> 'blob' LIMIT {n}",
        c = q(column),
        t = q(&t.name.name)
    );
    let mut stmt = conn
        .prepare(&sql)
        .map_err(|e| Error::sqlite(format!("cannot sample {}.{column}", t.name), e))?;
    let values = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
        .map_err(|e| Error::sqlite(format!("cannot sample {}.{column}", t.name), e))?;
    Ok(values)
}

/// Sampled values of a dump, by table and column.
pub type DumpSamples = BTreeMap<(QualifiedName, String), Vec<String>>;

/// Reads tables, columns and up to `n` sampled rows per table from a plain dump, for `lint DUMP`.
pub fn dump_tables<R: BufRead>(input: R, n: usize) -> Result<(Vec<TableInfo>, DumpSamples)> {
    let mut reader = DumpReader::new(input);
    let mut tables: Vec<TableInfo> = Vec::new();
    let mut samples: BTreeMap<(QualifiedName, String), Vec<String>> = BTreeMap::new();
    let mut current: Option<(QualifiedName, Vec<String>, usize)> = None;
    let derr = |e: dump::DumpError| Error::bad_input("cannot read the dump", e);
    while let Some(ev) = reader.next_event().map_err(derr)? {
        match ev {
            Event::CopyStart { table, columns, .. } => {
                tables.push(TableInfo {
                    name: table.clone(),
                    columns: columns
                        .iter()
                        .map(|c| crate::engine::schema::ColumnInfo {
                            name: c.clone(),
                            data_type: "text".into(),
                            nullable: true,
                            generated: false,
                            foreign_key: false,
                        })
                        .collect(),
                    primary_key: Vec::new(),
                    full_text: false,
                });
                current = Some((table.clone(), columns.to_vec(), 0));
            }
            Event::CopyRow(row) => {
                if let Some((table, columns, seen)) = current.as_mut() {
                    if *seen < n {
                        *seen += 1;
                        let line = dump::split_line_terminator(row).0;
                        for (c, raw) in columns.iter().zip(dump::split_copy_fields(line)) {
                            if let Ok(Some(v)) = dump::decode_copy_field_str(raw) {
                                samples
                                    .entry((table.clone(), c.clone()))
                                    .or_default()
                                    .push(v.into_owned());
                            }
                        }
                    } else {
                        let _ = reader.copy_rows_to(&mut std::io::sink());
                    }
                }
            }
            Event::CopyEnd(_) => current = None,
            _ => {}
        }
    }
    Ok((tables, samples))
}
