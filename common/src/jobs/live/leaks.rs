//! Checking a masked copy against its source: no original value of a masked column may appear
//! in the copy.

use std::path::Path;

use serde::Serialize;

use mask::{MaskContext, Rules, TableMasker};

use super::columns::data_columns;
use crate::engine::pg::{quote_ident, PgAdmin};
use crate::error::{Error, Result};

/// A masked column whose original values were found in the copy.
#[derive(Debug, Clone, Serialize)]
pub struct Leak {
    /// Table.
    pub table: String,
    /// Column.
    pub column: String,
    /// Sampled originals (ones that masking changes) found in the copy.
    pub found: usize,
    /// Sampled originals checked.
    pub checked: usize,
}

/// The leak check's result.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LeakReport {
    /// Masked columns checked.
    pub columns: usize,
    /// Original values checked in all.
    pub values: usize,
    /// Columns where originals were found.
    pub leaks: Vec<Leak>,
}

/// For sampled rows (values of the needed columns, in order), the original values that masking
/// changes, per masked column. A value that masks to itself (already a test address) is not a
/// leak when found in the copy, so it is left out.
fn changed_originals(
    tm: &TableMasker,
    needed: &[usize],
    rows: Vec<Vec<Option<String>>>,
    ctx: &MaskContext,
) -> Result<Vec<Vec<String>>> {
    let masked: Vec<usize> = tm.masked_columns().map(|(i, _, _)| i).collect();
    let mut originals: Vec<Vec<String>> = vec![Vec::new(); masked.len()];
    for r in rows {
        let mut row: Vec<Option<String>> = vec![None; tm.columns().len()];
        for (&i, v) in needed.iter().zip(r) {
            row[i] = v;
        }
        let before = row.clone();
        tm.mask_row(&mut row, ctx)?;
        for (k, &i) in masked.iter().enumerate() {
            if let Some(orig) = &before[i] {
                if row[i].as_deref() != Some(orig.as_str()) {
                    originals[k].push(orig.clone());
                }
            }
        }
    }
    Ok(originals)
}

/// Checks that no sampled original value of a masked column appears in the same column of the
/// copy. Only originals that masking changes are checked (a value that masks to itself, such as
/// an address that is already a test address, is not a leak). Values never leave this function:
/// the report holds counts only.
pub fn leak_check_pg(
    source: &PgAdmin,
    copy: &PgAdmin,
    rules: &Rules,
    ctx: &MaskContext,
    sample: usize,
) -> Result<LeakReport> {
    let tables = source.tables()?;
    let copy_tables = copy.tables()?;
    let copy_names = crate::engine::schema::by_name(&copy_tables);
    let mut report = LeakReport::default();
    for t in &tables {
        let Some(tm) = rules.resolve(&t.name, &data_columns(t))? else {
            continue;
        };
        if tm.is_identity() {
            continue;
        }
        if !copy_names.contains_key(&t.name) {
            continue;
        }
        let cols = tm.columns().to_vec();
        let needed: Vec<usize> = tm.needed_columns().collect();
        let select: Vec<String> = needed
            .iter()
            .map(|&i| format!("{}::text", quote_ident(&cols[i])))
            .collect();
        let table_sql = format!(
            "{}.{}",
            quote_ident(t.name.schema.as_deref().unwrap_or("public")),
            quote_ident(&t.name.name)
        );
        // Large tables are sampled by pages (cheap); small ones by rows.
        let estimate: f64 = source
            .query_text(&format!(
                "SELECT reltuples FROM pg_class WHERE oid = {}::regclass",
                crate::engine::pg::quote_literal(&table_sql)
            ))?
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        let from = if estimate > (sample as f64) * 20.0 {
            let pct = ((sample as f64) * 20.0 * 100.0 / estimate).clamp(0.01, 100.0);
            format!("{table_sql} TABLESAMPLE SYSTEM ({pct:.4})")
        } else {
            table_sql.clone()
        };
        let rows = source.query_values(&format!(
            "SELECT {} FROM {from} ORDER BY random() LIMIT {sample}",
            select.join(", ")
        ))?;
        let masked: Vec<(usize, String)> = tm
            .masked_columns()
            .map(|(i, n, _)| (i, n.to_string()))
            .collect();
        let originals = changed_originals(&tm, &needed, rows, ctx)?;
        // One scan of the copy per table, counting matches for every masked column at once.
        report.columns += masked.len();
        let checked: Vec<usize> = (0..masked.len())
            .filter(|&k| !originals[k].is_empty())
            .collect();
        if checked.is_empty() {
            continue;
        }
        let counts: Vec<String> = checked
            .iter()
            .enumerate()
            .map(|(p, &k)| {
                format!(
                    "count(*) FILTER (WHERE {}::text = ANY(${}::text[]))",
                    quote_ident(&masked[k].1),
                    p + 1
                )
            })
            .collect();
        let sql = format!("SELECT {} FROM {table_sql}", counts.join(", "));
        let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = checked
            .iter()
            .map(|&k| &originals[k] as &(dyn tokio_postgres::types::ToSql + Sync))
            .collect();
        let found = copy.query_counts(&sql, &params)?;
        for (&k, n) in checked.iter().zip(found) {
            report.values += originals[k].len();
            if n > 0 {
                report.leaks.push(Leak {
                    table: t.name.to_string(),
                    column: masked[k].1.clone(),
                    found: n as usize,
                    checked: originals[k].len(),
                });
            }
        }
    }
    Ok(report)
}

/// The leak check for SQLite files: like [`leak_check_pg`].
pub fn leak_check_sqlite(
    source: &Path,
    copy: &Path,
    rules: &Rules,
    ctx: &MaskContext,
    sample: usize,
) -> Result<LeakReport> {
    let src = crate::engine::sqlite::open_existing(source)?;
    let dst = crate::engine::sqlite::open_existing(copy)?;
    let err =
        |p: &Path, e: rusqlite::Error| Error::sqlite(format!("leak check on {}", p.display()), e);
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut report = LeakReport::default();
    for t in crate::engine::sqlite::catalog::tables(&src, source)? {
        let Some(tm) = rules.resolve(&t.name, &data_columns(&t))? else {
            continue;
        };
        if tm.is_identity() {
            continue;
        }
        let cols = tm.columns().to_vec();
        let needed: Vec<usize> = tm.needed_columns().collect();
        let select: Vec<String> = needed
            .iter()
            .map(|&i| format!("CAST({} AS TEXT)", q(&cols[i])))
            .collect();
        let sql = format!(
            "SELECT {} FROM {} ORDER BY random() LIMIT {sample}",
            select.join(", "),
            q(&t.name.name)
        );
        let mut stmt = src.prepare(&sql).map_err(|e| err(source, e))?;
        let rows: Vec<Vec<Option<String>>> = stmt
            .query_map([], |r| {
                (0..needed.len())
                    .map(|k| r.get::<_, Option<String>>(k))
                    .collect()
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| err(source, e))?;
        let masked: Vec<(usize, String)> = tm
            .masked_columns()
            .map(|(i, n, _)| (i, n.to_string()))
            .collect();
        let originals = changed_originals(&tm, &needed, rows, ctx)?;
        for (k, (_, name)) in masked.iter().enumerate() {
            report.columns += 1;
            if originals[k].is_empty() {
                continue;
            }
            report.values += originals[k].len();
            let list =
                serde_json::to_string(&originals[k]).map_err(|e| Error::Data(format!("cannot encode sampled values: {e}")))?;
            let found: i64 = dst
                .query_row(
                    &format!(
                        "SELECT count(*) FROM {} WHERE CAST({} AS TEXT) IN (SELECT value FROM json_each(?1))",
                        q(&t.name.name),
                        q(name)
                    ),
                    [list],
                    |r| r.get(0),
                )
                .map_err(|e| err(copy, e))?;
            if found > 0 {
                report.leaks.push(Leak {
                    table: t.name.to_string(),
                    column: name.clone(),
                    found: found as usize,
                    checked: originals[k].len(),
                });
            }
        }
    }
    Ok(report)
}
