//! Masking live copies in place, linting rules against a database or a dump, and checking a
//! masked copy for leaked originals.
//!
//! The transforms are the ones the stream masker uses ([`crate::mask`]); this module only moves
//! rows between a database and them. PostgreSQL copies are masked in one transaction, reading
//! through a cursor in batches (memory is bounded by the batch) and writing each batch with one
//! UPDATE. SQLite copies are masked by the same transforms registered as an SQL function, one
//! UPDATE per table, in one transaction.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::dump::{DumpReader, Event, QualifiedName};
use crate::error::{Error, Result};
use crate::mask::{MaskContext, MaskError, Rules, TableMasker};
use crate::pg::{quote_ident, PgAdmin};
use crate::schema::TableInfo;

fn mask_err(e: MaskError) -> Error {
    if e.is_rules_error() {
        Error::Config {
            path: std::path::PathBuf::from("masking rules"),
            message: e.to_string(),
        }
    } else {
        Error::Data(e.to_string())
    }
}

/// Errors of the masking engine keep their own text; rules problems are configuration errors.
impl From<MaskError> for Error {
    fn from(e: MaskError) -> Self {
        mask_err(e)
    }
}

/// What a live masking run changed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApplyReport {
    /// Rows read and values changed, per table.
    pub tables: BTreeMap<String, ApplyStats>,
}

/// Counts for one table.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ApplyStats {
    /// Rows read.
    pub rows: u64,
    /// Values changed.
    pub values: u64,
}

/// The columns a masker sees for a table: generated columns hold no data of their own and are
/// left out, exactly as pg_dump leaves them out of COPY.
fn data_columns(t: &TableInfo) -> Vec<String> {
    t.columns
        .iter()
        .filter(|c| !c.generated)
        .map(|c| c.name.clone())
        .collect()
}

/// Fails when the rules name a table the database does not have (fail closed: a renamed table
/// must not be silently left unmasked).
fn check_rule_tables(rules: &Rules, tables: &[TableInfo], what: &str) -> Result<()> {
    let names: std::collections::BTreeSet<&QualifiedName> =
        tables.iter().map(|t| &t.name).collect();
    for tr in rules.tables() {
        if !names.contains(tr.name()) {
            return Err(Error::Config {
                path: rules.file().into(),
                message: format!("rules name table {}, which {what} does not have", tr.name()),
            });
        }
    }
    Ok(())
}

/// Masks a PostgreSQL copy in place, all tables in one transaction.
pub fn apply_pg(
    admin: &PgAdmin,
    rules: &Rules,
    ctx: &MaskContext,
    batch: usize,
) -> Result<ApplyReport> {
    let tables = crate::schema::pg_tables(admin)?;
    check_rule_tables(
        rules,
        &tables,
        &format!("database '{}'", admin.conn().dbname),
    )?;
    let mut plans = Vec::new();
    for t in &tables {
        if let Some(tm) = rules.resolve(&t.name, &data_columns(t))? {
            if !tm.is_identity() {
                plans.push((t, tm));
            }
        }
    }
    let mut report = ApplyReport::default();
    admin.execute("BEGIN")?;
    let result = (|| -> Result<()> {
        for (t, tm) in &plans {
            let stats = apply_pg_table(admin, t, tm, ctx, batch.max(1))?;
            report.tables.insert(t.name.to_string(), stats);
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            admin.execute("COMMIT")?;
            Ok(report)
        }
        Err(e) => {
            let _ = admin.execute("ROLLBACK");
            Err(e)
        }
    }
}

fn apply_pg_table(
    admin: &PgAdmin,
    t: &TableInfo,
    tm: &TableMasker,
    ctx: &MaskContext,
    batch: usize,
) -> Result<ApplyStats> {
    let cols = data_columns(t);
    let needed: Vec<usize> = tm.needed_columns().collect();
    let masked: Vec<(usize, String)> = tm
        .masked_columns()
        .map(|(i, n, _)| (i, n.to_string()))
        .collect();
    let table_sql = format!(
        "{}.{}",
        quote_ident(t.name.schema.as_deref().unwrap_or("public")),
        quote_ident(&t.name.name)
    );
    let select: Vec<String> = needed
        .iter()
        .map(|&i| format!("{}::text", quote_ident(&cols[i])))
        .collect();
    admin.execute(&format!(
        "DECLARE mask_cursor NO SCROLL CURSOR FOR SELECT ctid::text, {} FROM {table_sql}",
        select.join(", ")
    ))?;
    let types: BTreeMap<&str, &str> = t
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.data_type.as_str()))
        .collect();
    let set: Vec<String> = masked
        .iter()
        .enumerate()
        .map(|(k, (_, name))| {
            format!(
                "{} = v.c{k}::{}",
                quote_ident(name),
                types.get(name.as_str()).copied().unwrap_or("text")
            )
        })
        .collect();
    let unnest: Vec<String> = (0..masked.len())
        .map(|k| format!("${}::text[]", k + 2))
        .collect();
    let cnames: Vec<String> = (0..masked.len()).map(|k| format!("c{k}")).collect();
    let update = format!(
        "UPDATE {table_sql} AS x SET {} FROM unnest($1::text[]::tid[], {}) AS v(row_id, {}) \
         WHERE x.ctid = v.row_id AND x.ctid = ANY($1::text[]::tid[])",
        set.join(", "),
        unnest.join(", "),
        cnames.join(", ")
    );
    let mut stats = ApplyStats::default();
    let mut row: Vec<Option<String>> = vec![None; cols.len()];
    loop {
        let rows = admin.query_values(&format!("FETCH {batch} FROM mask_cursor"))?;
        if rows.is_empty() {
            break;
        }
        let mut ids: Vec<String> = Vec::with_capacity(rows.len());
        let mut values: Vec<Vec<Option<String>>> =
            vec![Vec::with_capacity(rows.len()); masked.len()];
        for r in rows {
            let mut it = r.into_iter();
            let id = it.next().flatten().unwrap_or_default();
            for slot in row.iter_mut() {
                *slot = None;
            }
            for (&i, v) in needed.iter().zip(it) {
                row[i] = v;
            }
            stats.values += tm.mask_row(&mut row, ctx)? as u64;
            for (k, (i, _)) in masked.iter().enumerate() {
                values[k].push(row[*i].take());
            }
            ids.push(id);
            stats.rows += 1;
        }
        let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![&ids];
        for v in &values {
            params.push(v);
        }
        admin.execute_params(&update, &params)?;
    }
    admin.execute("CLOSE mask_cursor")?;
    Ok(stats)
}

/// Masks an SQLite copy in place: the transforms are registered as the SQL function
/// `mask_value(plan, position, needed columns...)`, and each masked table gets one UPDATE, all in
/// one transaction.
pub fn apply_sqlite(path: &Path, rules: &Rules, ctx: Arc<MaskContext>) -> Result<ApplyReport> {
    use rusqlite::functions::FunctionFlags;
    let err = |e: rusqlite::Error| Error::Sqlite(format!("cannot mask {}: {e}", path.display()));
    if !path.is_file() {
        return Err(Error::Sqlite(format!(
            "SQLite database {} does not exist",
            path.display()
        )));
    }
    let conn = rusqlite::Connection::open(path).map_err(err)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(err)?;
    let tables = crate::schema::sqlite_tables(&conn, path)?;
    check_rule_tables(rules, &tables, &path.display().to_string())?;
    let mut plans: Vec<(TableInfo, TableMasker)> = Vec::new();
    for t in &tables {
        if let Some(tm) = rules.resolve(&t.name, &data_columns(t))? {
            if !tm.is_identity() {
                plans.push((t.clone(), tm));
            }
        }
    }
    let maskers: Arc<Vec<TableMasker>> = Arc::new(plans.iter().map(|(_, tm)| tm.clone()).collect());
    let fn_maskers = Arc::clone(&maskers);
    let fn_ctx = Arc::clone(&ctx);
    // Values the function really changed (NULLs and values that mask to themselves do not count).
    let changed = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let fn_changed = Arc::clone(&changed);
    conn.create_scalar_function("mask_value", -1, FunctionFlags::SQLITE_UTF8, move |f| {
        let plan: usize = f.get::<i64>(0)?.try_into().unwrap_or(usize::MAX);
        let pos: usize = f.get::<i64>(1)?.try_into().unwrap_or(usize::MAX);
        let tm = fn_maskers
            .get(plan)
            .ok_or_else(|| rusqlite::Error::UserFunctionError("unknown masking plan".into()))?;
        let mut row: Vec<Option<String>> = vec![None; tm.columns().len()];
        for (k, i) in tm.needed_columns().enumerate() {
            let v = f.get_raw(k + 2);
            row[i] = match v {
                rusqlite::types::ValueRef::Null => None,
                rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
                rusqlite::types::ValueRef::Real(x) => Some(x.to_string()),
                rusqlite::types::ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                rusqlite::types::ValueRef::Blob(_) => {
                    return Err(rusqlite::Error::UserFunctionError(
                        format!(
                            "column {} holds a BLOB, which masking cannot read",
                            tm.columns()[i]
                        )
                        .into(),
                    ))
                }
            };
        }
        let before = row.get(pos).cloned().flatten();
        tm.mask_row(&mut row, &fn_ctx)
            .map_err(|e| rusqlite::Error::UserFunctionError(e.to_string().into()))?;
        let after = row.get_mut(pos).and_then(Option::take);
        if after != before {
            fn_changed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(after)
    })
    .map_err(err)?;
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut report = ApplyReport::default();
    conn.execute_batch("BEGIN IMMEDIATE").map_err(err)?;
    let result = (|| -> Result<()> {
        for (plan, (t, tm)) in plans.iter().enumerate() {
            let cols = tm.columns();
            let args: Vec<String> = tm.needed_columns().map(|i| q(&cols[i])).collect();
            let set: Vec<String> = tm
                .masked_columns()
                .map(|(i, name, _)| {
                    format!("{} = mask_value({plan}, {i}, {})", q(name), args.join(", "))
                })
                .collect();
            let changed_before = changed.load(std::sync::atomic::Ordering::Relaxed);
            let rows = conn
                .execute(
                    &format!("UPDATE {} SET {}", q(&t.name.name), set.join(", ")),
                    [],
                )
                .map_err(err)?;
            report.tables.insert(
                t.name.to_string(),
                ApplyStats {
                    rows: rows as u64,
                    values: changed.load(std::sync::atomic::Ordering::Relaxed) - changed_before,
                },
            );
        }
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT").map_err(err)?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(report)
}

/// One problem `lint` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of problem.
    pub kind: FindingKind,
    /// The table.
    pub table: String,
    /// The column, if the finding is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Why, in words (never a data value).
    pub detail: String,
}

/// Kinds of lint findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The rules name a table that is not there.
    UnknownTable,
    /// The rules name a column that is not there.
    UnknownColumn,
    /// A table has no rules at all.
    UnclassifiedTable,
    /// A column of a ruled table is neither masked nor kept.
    UnclassifiedColumn,
    /// A column that is kept (or passes unmasked) looks personal by its name or its values.
    LooksPersonal,
}

/// Checks rules against a schema and sampled values. `sample(table, column)` returns some
/// non-NULL values of a column, for the value heuristics.
pub fn lint(
    rules: &Rules,
    tables: &[TableInfo],
    sample: &mut dyn FnMut(&TableInfo, &str) -> Result<Vec<String>>,
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let by_name = crate::schema::by_name(tables);
    for tr in rules.tables() {
        let Some(t) = by_name.get(tr.name()) else {
            out.push(Finding {
                kind: FindingKind::UnknownTable,
                table: tr.name().to_string(),
                column: None,
                detail: "the rules name this table, but it does not exist (renamed or dropped?)"
                    .into(),
            });
            continue;
        };
        let cols = data_columns(t);
        for c in tr.columns() {
            if !cols.iter().any(|x| x == c) {
                out.push(Finding {
                    kind: FindingKind::UnknownColumn,
                    table: t.name.to_string(),
                    column: Some(c.to_string()),
                    detail: "the rules name this column, but the table does not have it".into(),
                });
            }
        }
    }
    for t in tables {
        let cols = data_columns(t);
        let tr = rules.table(&t.name);
        if tr.is_none() {
            out.push(Finding {
                kind: FindingKind::UnclassifiedTable,
                table: t.name.to_string(),
                column: None,
                detail: if rules.strict() {
                    "no rules for this table: strict masking refuses it".into()
                } else {
                    "no rules for this table: its data passes unmasked".into()
                },
            });
        }
        for c in &cols {
            let classed_masked = tr
                .and_then(|r| r.transform(c))
                .is_some_and(|t| !matches!(t, crate::mask::Transform::Keep));
            if classed_masked {
                continue;
            }
            let kept = tr.is_some_and(|r| r.kept().any(|k| k == c));
            if tr.is_some() && !kept {
                out.push(Finding {
                    kind: FindingKind::UnclassifiedColumn,
                    table: t.name.to_string(),
                    column: Some(c.clone()),
                    detail: "neither masked nor kept: add it to the rules".into(),
                });
            }
            let data_type = t
                .columns
                .iter()
                .find(|x| &x.name == c)
                .map(|x| x.data_type.as_str())
                .unwrap_or("");
            let name_hint = crate::mask::column_looks_personal(c)
                .filter(|why| !holds_no_text(data_type) || why.contains("birth"));
            if let Some(why) = name_hint {
                out.push(Finding {
                    kind: FindingKind::LooksPersonal,
                    table: t.name.to_string(),
                    column: Some(c.clone()),
                    detail: format!("not masked, but {why}"),
                });
                continue;
            }
            // Only text can hold an address or a token; numbers and timestamps only produce noise.
            let text_like = t
                .columns
                .iter()
                .find(|x| &x.name == c)
                .is_none_or(|x| is_text_like(&x.data_type));
            if !text_like {
                continue;
            }
            let values = sample(t, c)?;
            let mut reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
            for v in &values {
                if let Some(why) = crate::mask::value_looks_personal(v) {
                    *reasons.entry(why).or_default() += 1;
                }
            }
            if let Some((why, n)) = reasons.into_iter().max_by_key(|(_, n)| *n) {
                // One odd value in a sample is noise; a tenth of the sample is a pattern.
                if n * 10 >= values.len().max(1) && n >= 2 {
                    out.push(Finding {
                        kind: FindingKind::LooksPersonal,
                        table: t.name.to_string(),
                        column: Some(c.clone()),
                        detail: format!(
                            "not masked, but {n} of {} sampled values: {why}",
                            values.len()
                        ),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| (a.kind, &a.table, &a.column).cmp(&(b.kind, &b.table, &b.column)));
    Ok(out)
}

/// Types whose values are never an address, a name or a token (`email_verified` is a
/// timestamp, `is_email_public` a flag): name hints about them are noise. Dates stay suspect,
/// since a date of birth is personal.
fn holds_no_text(data_type: &str) -> bool {
    let t = data_type.to_ascii_lowercase();
    t == "boolean"
        || t == "bool"
        || t.starts_with("timestamp")
        || t.starts_with("time ")
        || t == "time"
        || t == "datetime"
        || t == "interval"
}

/// Whether a column type can hold free text (PostgreSQL names, or SQLite declared types by
/// SQLite's affinity rules: CHAR, CLOB, TEXT, or no type at all).
fn is_text_like(data_type: &str) -> bool {
    let t = data_type.to_ascii_lowercase();
    t.is_empty()
        || t.contains("char")
        || t.contains("text")
        || t.contains("clob")
        || t.starts_with("json")
        || t == "name"
}

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
        .map_err(|e| Error::Sqlite(format!("cannot sample {}.{column}: {e}", t.name)))?;
    let values = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
        .map_err(|e| Error::Sqlite(format!("cannot sample {}.{column}: {e}", t.name)))?;
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
    let derr = |e: crate::dump::DumpError| Error::Usage(format!("cannot read the dump: {e}"));
    while let Some(ev) = reader.next_event().map_err(derr)? {
        match ev {
            Event::CopyStart { table, columns, .. } => {
                tables.push(TableInfo {
                    name: table.clone(),
                    columns: columns
                        .iter()
                        .map(|c| crate::schema::ColumnInfo {
                            name: c.clone(),
                            data_type: "text".into(),
                            nullable: true,
                            generated: false,
                        })
                        .collect(),
                    primary_key: Vec::new(),
                });
                current = Some((table.clone(), columns.to_vec(), 0));
            }
            Event::CopyRow(row) => {
                if let Some((table, columns, seen)) = current.as_mut() {
                    if *seen < n {
                        *seen += 1;
                        let line = crate::dump::split_line_terminator(row).0;
                        for (c, raw) in columns.iter().zip(crate::dump::split_copy_fields(line)) {
                            if let Ok(Some(v)) = crate::dump::decode_copy_field_str(raw) {
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
    let tables = crate::schema::pg_tables(source)?;
    let copy_tables = crate::schema::pg_tables(copy)?;
    let copy_names = crate::schema::by_name(&copy_tables);
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
                crate::pg::quote_literal(&table_sql)
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
    let src = crate::sqlite::open_existing(source)?;
    let dst = crate::sqlite::open_existing(copy)?;
    let err =
        |p: &Path, e: rusqlite::Error| Error::Sqlite(format!("leak check on {}: {e}", p.display()));
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut report = LeakReport::default();
    for t in crate::schema::sqlite_tables(&src, source)? {
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
                serde_json::to_string(&originals[k]).map_err(|e| Error::Sqlite(e.to_string()))?;
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
