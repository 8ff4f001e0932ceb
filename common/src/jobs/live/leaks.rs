//! Checking a masked copy against its source: no original value of a masked column may survive.
//!
//! What counts as a leak, so that an unmasked or half-masked copy is always caught and a
//! properly masked one never raises a false alarm:
//! - **in its own row**: the copy's row with the same primary key still holds the original
//!   value of a masked column (the transform changes that value, so it cannot be there by
//!   chance; a value that masks to itself, NULL and `''` are not originals);
//! - **in derived data of its row**: another text-like column of that row (a kept column, a
//!   `tsvector` maintained by a trigger, a generated column, JSON, an array) contains it;
//! - **anywhere it was not put**: a materialized view, or, for a table without a key, the same
//!   column anywhere, contains it. Only distinctive originals are looked for this way: values of
//!   columns masked by transforms whose outputs cannot coincide with real values (templates,
//!   hashes, fake e-mail addresses...). `fake_name` and its kin give real-looking names, which
//!   may well be someone else's real name elsewhere: that is no leak, and is never reported.
//!
//! Samples are of the source's rows; counts are of sampled originals found (never more than were
//! checked). Values never leave this module: the report holds counts and names only.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use dump::QualifiedName;
use mask::{FakeKind, MaskContext, Rules, TableMasker, Transform};

use super::columns::{data_columns, is_text_like};
use crate::engine::pg::catalog::regclass_text;
use crate::engine::pg::{quote_ident, PgAdmin};
use crate::engine::schema::TableInfo;
use crate::error::{Error, Result};

/// Originals shorter than this are not looked for outside their own row: too many real values
/// contain them by chance.
const DISTINCTIVE_LEN: usize = 6;

/// Most distinctive originals looked for in materialized views, over all tables.
const VIEW_PROBES: usize = 2000;

/// A masked column whose original values were found in the copy.
#[derive(Debug, Clone, Serialize)]
pub struct Leak {
    /// Table of the masked column.
    pub table: String,
    /// The masked column.
    pub column: String,
    /// Where its originals were found: the column itself, or another column or view
    /// (`public.users.search_vector`, `public.customer_contact.email`).
    pub found_in: String,
    /// Sampled originals found there.
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
    /// Where originals were found.
    pub leaks: Vec<Leak>,
}

/// Refuses a sample size of 0, which would switch the check off silently.
pub fn check_sample(sample: usize) -> Result<()> {
    if sample == 0 {
        return Err(Error::Usage(
            "the leak sample must be at least 1 (0 would check nothing)".into(),
        ));
    }
    Ok(())
}

/// Whether a transform's outputs may coincide with someone's real value (so finding an original
/// outside its own row proves nothing).
fn may_coincide(t: &Transform) -> bool {
    matches!(
        t,
        Transform::Fake(FakeKind::Name | FakeKind::FirstName | FakeKind::LastName)
    )
}

/// One sampled row of a masked table: its key values and, per masked column, the original when
/// masking changes it.
struct Sampled {
    key: Vec<String>,
    originals: Vec<Option<String>>,
}

/// What is known about one masked table's sample.
struct TableSample<'a> {
    table: &'a TableInfo,
    masked: Vec<(String, bool)>,
    rows: Vec<Sampled>,
}

/// Masks each sampled row and keeps the originals masking changes (not NULL, not `''`).
fn originals_of(
    tm: &TableMasker,
    needed: &[usize],
    key_len: usize,
    rows: Vec<Vec<Option<String>>>,
    ctx: &MaskContext,
) -> Result<Vec<Sampled>> {
    let masked: Vec<usize> = tm.masked_columns().map(|(i, _, _)| i).collect();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut it = r.into_iter();
        let key: Vec<String> = (&mut it)
            .take(key_len)
            .map(Option::unwrap_or_default)
            .collect();
        let mut row: Vec<Option<String>> = vec![None; tm.columns().len()];
        for (&i, v) in needed.iter().zip(it) {
            row[i] = v;
        }
        let before = row.clone();
        tm.mask_row(&mut row, ctx)?;
        let originals = masked
            .iter()
            .map(|&i| match &before[i] {
                Some(orig) if !orig.is_empty() && row[i].as_deref() != Some(orig.as_str()) => {
                    Some(orig.clone())
                }
                _ => None,
            })
            .collect();
        out.push(Sampled { key, originals });
    }
    Ok(out)
}

/// Pushes a leak when `found > 0`.
fn note(
    report: &mut LeakReport,
    table: &QualifiedName,
    column: &str,
    found_in: String,
    found: i64,
    checked: usize,
) {
    if found > 0 {
        report.leaks.push(Leak {
            table: table.to_string(),
            column: column.to_string(),
            found_in,
            found: (found.max(0) as usize).min(checked),
            checked,
        });
    }
}

/// The leak check between two PostgreSQL databases.
pub fn leak_check_pg(
    source: &PgAdmin,
    copy: &PgAdmin,
    rules: &Rules,
    ctx: &MaskContext,
    sample: usize,
) -> Result<LeakReport> {
    sample_pg(source, rules, ctx, sample)?.check(copy)
}

/// The source's side of the leak check: sampled rows of every masked table, each with the
/// originals masking changes. It needs nothing of the copy, so it can be taken while the copy
/// loads; [`PgSample::check`] then looks for those originals in the copy.
pub struct PgSample {
    tables: Vec<TableInfo>,
    sampled: Vec<SampledTable>,
}

/// One masked table's sample, before the copy is there to check it against.
struct SampledTable {
    /// Its index in [`PgSample::tables`].
    table: usize,
    masked: Vec<(String, bool)>,
    rows: Vec<Sampled>,
}

/// Samples the source for the leak check (see [`PgSample`]).
pub fn sample_pg(
    source: &PgAdmin,
    rules: &Rules,
    ctx: &MaskContext,
    sample: usize,
) -> Result<PgSample> {
    check_sample(sample)?;
    let tables = source.tables()?;
    let parents = source.parents()?;
    let mut sampled = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        let ruled = super::apply::ruling_table(rules, &t.name, &parents);
        let Some(tm) = rules.resolve(ruled, &data_columns(t))? else {
            continue;
        };
        if tm.is_identity() {
            continue;
        }
        let cols = tm.columns().to_vec();
        let needed: Vec<usize> = tm.needed_columns().collect();
        let key = &t.primary_key;
        let mut select: Vec<String> = key
            .iter()
            .map(|k| format!("{}::text", quote_ident(k)))
            .collect();
        select.extend(
            needed
                .iter()
                .map(|&i| format!("{}::text", quote_ident(&cols[i]))),
        );
        let table_sql = regclass_text(&t.name);
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
            format!("ONLY {table_sql} TABLESAMPLE SYSTEM ({pct:.4})")
        } else {
            format!("ONLY {table_sql}")
        };
        let rows = source.query_values(&format!(
            "SELECT {} FROM {from} ORDER BY random() LIMIT {sample}",
            select.join(", ")
        ))?;
        let masked: Vec<(String, bool)> = tm
            .masked_columns()
            .map(|(_, n, tr)| (n.to_string(), may_coincide(tr)))
            .collect();
        let rows = originals_of(&tm, &needed, key.len(), rows, ctx)?;
        sampled.push(SampledTable {
            table: ti,
            masked,
            rows,
        });
    }
    Ok(PgSample { tables, sampled })
}

impl PgSample {
    /// Looks for the sampled originals in the copy: each sampled row by its key, derived
    /// columns, tables without a key, and the views over the sampled tables.
    pub fn check(self, copy: &PgAdmin) -> Result<LeakReport> {
        let copy_tables = copy.tables()?;
        let copy_names = crate::engine::schema::by_name(&copy_tables);
        let mut report = LeakReport::default();
        let mut samples: Vec<TableSample<'_>> = Vec::new();
        for SampledTable {
            table,
            masked,
            rows,
        } in self.sampled
        {
            let t = &self.tables[table];
            if !copy_names.contains_key(&t.name) {
                continue;
            }
            report.columns += masked.len();
            let s = TableSample {
                table: t,
                masked,
                rows,
            };
            check_table_pg(copy, &s, &mut report)?;
            samples.push(s);
        }
        check_views_pg(copy, &samples, &mut report)?;
        Ok(report)
    }
}

/// Own-row, derived-column and (without a key) whole-column checks of one table.
fn check_table_pg(copy: &PgAdmin, s: &TableSample<'_>, report: &mut LeakReport) -> Result<()> {
    let t = s.table;
    if t.primary_key.is_empty() {
        return check_keyless_pg(copy, s, report);
    }
    let masked_names: Vec<&str> = s.masked.iter().map(|(n, _)| n.as_str()).collect();
    let derived: Vec<&str> = t
        .columns
        .iter()
        .filter(|c| is_text_like(&c.data_type) || c.data_type == "tsvector")
        .map(|c| c.name.as_str())
        .filter(|n| !masked_names.contains(n))
        .collect();
    // Every masked column of the table in one pass over the sampled rows, each found by its key.
    let probes = |k: usize| s.rows.iter().filter(|r| r.originals[k].is_some()).count();
    let distinctive = |k: usize| {
        s.rows.iter().any(|r| {
            r.originals[k]
                .as_deref()
                .is_some_and(|o| o.chars().count() >= DISTINCTIVE_LEN)
        })
    };
    let mut checks = Vec::new();
    // For each count, in order: the masked column it checks and where it looks.
    let mut reads: Vec<(usize, String)> = Vec::new();
    for (k, (column, _)) in s.masked.iter().enumerate() {
        if probes(k) == 0 {
            continue;
        }
        report.values += probes(k);
        checks.push(format!(
            "count(*) FILTER (WHERE x.{}::text = p.o{k})",
            quote_ident(column)
        ));
        reads.push((k, format!("{}.{}", t.name, dump::quote_identifier(column))));
        if !derived.is_empty() && distinctive(k) {
            for d in &derived {
                checks.push(format!(
                    "count(*) FILTER (WHERE length(p.o{k}) >= {DISTINCTIVE_LEN} AND strpos(x.{}::text, p.o{k}) > 0)",
                    quote_ident(d)
                ));
                reads.push((k, format!("{}.{}", t.name, dump::quote_identifier(d))));
            }
        }
    }
    if checks.is_empty() {
        return Ok(());
    }
    let key = &t.primary_key;
    let mut arrays: Vec<Vec<Option<String>>> = Vec::new();
    for i in 0..key.len() {
        arrays.push(s.rows.iter().map(|r| Some(r.key[i].clone())).collect());
    }
    for k in 0..s.masked.len() {
        arrays.push(s.rows.iter().map(|r| r.originals[k].clone()).collect());
    }
    let unnest: Vec<String> = (0..arrays.len())
        .map(|i| format!("${}::text[]", i + 1))
        .collect();
    let names: Vec<String> = (0..key.len())
        .map(|i| format!("k{i}"))
        .chain((0..s.masked.len()).map(|k| format!("o{k}")))
        .collect();
    // The key compared in its own type, so that its index finds each row; as text where the
    // type is not known.
    let join = |typed: bool| -> String {
        let parts: Vec<String> = key
            .iter()
            .enumerate()
            .map(|(i, kc)| {
                let ty = t
                    .columns
                    .iter()
                    .find(|c| &c.name == kc)
                    .map(|c| &c.data_type);
                match ty {
                    Some(ty) if typed => format!("x.{} = p.k{i}::{ty}", quote_ident(kc)),
                    _ => format!("x.{}::text = p.k{i}", quote_ident(kc)),
                }
            })
            .collect();
        parts.join(" AND ")
    };
    let sql = |typed: bool| {
        format!(
            "SELECT {} FROM unnest({}) AS p({}) JOIN ONLY {} x ON {}",
            checks.join(", "),
            unnest.join(", "),
            names.join(", "),
            regclass_text(&t.name),
            join(typed)
        )
    };
    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = arrays
        .iter()
        .map(|a| a as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect();
    // A key whose text does not read back as its type (which a key should not have) is
    // compared as text instead.
    let found = match copy.query_counts(&sql(true), &params) {
        Ok(found) => found,
        Err(Error::Postgres { .. }) => copy.query_counts(&sql(false), &params)?,
        Err(e) => return Err(e),
    };
    for ((k, found_in), n) in reads.into_iter().zip(found) {
        note(report, &t.name, &s.masked[k].0, found_in, n, probes(k));
    }
    Ok(())
}

/// A table without a key: each distinctive original looked for anywhere in its column.
fn check_keyless_pg(copy: &PgAdmin, s: &TableSample<'_>, report: &mut LeakReport) -> Result<()> {
    let t = s.table;
    let table_sql = regclass_text(&t.name);
    for (k, (column, coincide)) in s.masked.iter().enumerate() {
        let originals: Vec<&str> = s
            .rows
            .iter()
            .filter_map(|r| r.originals[k].as_deref())
            .collect();
        if originals.is_empty() {
            continue;
        }
        report.values += originals.len();
        if *coincide {
            continue;
        }
        let vals: Vec<String> = originals
            .iter()
            .filter(|o| o.chars().count() >= DISTINCTIVE_LEN)
            .map(|o| o.to_string())
            .collect();
        if vals.is_empty() {
            continue;
        }
        let found = copy.query_counts(
            &format!(
                "SELECT count(*) FROM unnest($1::text[]) AS o(v) \
                 WHERE EXISTS (SELECT 1 FROM ONLY {table_sql} x WHERE x.{}::text = o.v)",
                quote_ident(column)
            ),
            &[&vals],
        )?;
        note(
            report,
            &t.name,
            column,
            format!("{}.{}", t.name, dump::quote_identifier(column)),
            found.first().copied().unwrap_or(0),
            vals.len(),
        );
    }
    Ok(())
}

/// Distinctive originals of every table, looked for in every text-like column of every
/// materialized view of the copy.
fn check_views_pg(
    copy: &PgAdmin,
    samples: &[TableSample<'_>],
    report: &mut LeakReport,
) -> Result<()> {
    let views = copy.query_text(
        "SELECT format('%I.%I', n.nspname, c.relname), quote_ident(a.attname) FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         JOIN pg_type ty ON ty.oid = a.atttypid \
         WHERE c.relkind = 'm' AND c.relispopulated \
           AND (ty.typcategory IN ('S', 'U', 'A') OR ty.typname IN ('tsvector', 'json', 'jsonb'))",
    )?;
    if views.is_empty() {
        return Ok(());
    }
    for s in samples {
        for (k, (column, coincide)) in s.masked.iter().enumerate() {
            if *coincide {
                continue;
            }
            let vals: Vec<String> = s
                .rows
                .iter()
                .filter_map(|r| r.originals[k].clone())
                .filter(|o| o.chars().count() >= DISTINCTIVE_LEN)
                .take(VIEW_PROBES)
                .collect();
            if vals.is_empty() {
                continue;
            }
            for v in &views {
                let [view, col] = v.as_slice() else { continue };
                let found = copy.query_counts(
                    &format!(
                        "SELECT count(*) FROM unnest($1::text[]) AS o(v) \
                         WHERE EXISTS (SELECT 1 FROM {view} x WHERE strpos(x.{col}::text, o.v) > 0)"
                    ),
                    &[&vals],
                )?;
                note(
                    report,
                    &s.table.name,
                    column,
                    format!("{view}.{col}"),
                    found.first().copied().unwrap_or(0),
                    vals.len(),
                );
            }
        }
    }
    Ok(())
}

/// The leak check for SQLite files: like [`leak_check_pg`] (rows found by primary key, else by
/// rowid; full-text tables are checked like any table with text columns).
pub fn leak_check_sqlite(
    source: &Path,
    copy: &Path,
    rules: &Rules,
    ctx: &MaskContext,
    sample: usize,
) -> Result<LeakReport> {
    check_sample(sample)?;
    let src = crate::engine::sqlite::open_existing(source)?;
    let dst = crate::engine::sqlite::open_existing(copy)?;
    let err =
        |p: &Path, e: rusqlite::Error| Error::sqlite(format!("leak check on {}", p.display()), e);
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut report = LeakReport::default();
    let copy_tables = crate::engine::sqlite::catalog::tables(&dst, copy)?;
    let copy_names = crate::engine::schema::by_name(&copy_tables);
    for t in crate::engine::sqlite::catalog::tables(&src, source)? {
        let Some(tm) = rules.resolve(&t.name, &data_columns(&t))? else {
            continue;
        };
        if tm.is_identity() || !copy_names.contains_key(&t.name) {
            continue;
        }
        let cols = tm.columns().to_vec();
        let needed: Vec<usize> = tm.needed_columns().collect();
        // The primary key, else the rowid (a table WITHOUT ROWID always has a primary key).
        let key: Vec<String> = if t.primary_key.is_empty() {
            vec!["rowid".to_string()]
        } else {
            t.primary_key.clone()
        };
        let key_sql: Vec<String> = key
            .iter()
            .map(|k| {
                if k == "rowid" {
                    "CAST(rowid AS TEXT)".to_string()
                } else {
                    format!("CAST({} AS TEXT)", q(k))
                }
            })
            .collect();
        let mut select = key_sql.clone();
        select.extend(
            needed
                .iter()
                .map(|&i| format!("CAST({} AS TEXT)", q(&cols[i]))),
        );
        let sql = format!(
            "SELECT {} FROM {} ORDER BY random() LIMIT {sample}",
            select.join(", "),
            q(&t.name.name)
        );
        let width = select.len();
        let mut stmt = src.prepare(&sql).map_err(|e| err(source, e))?;
        let rows: Vec<Vec<Option<String>>> = stmt
            .query_map([], |r| {
                (0..width).map(|k| r.get::<_, Option<String>>(k)).collect()
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| err(source, e))?;
        let masked: Vec<String> = tm.masked_columns().map(|(_, n, _)| n.to_string()).collect();
        report.columns += masked.len();
        let sampled = originals_of(&tm, &needed, key.len(), rows, ctx)?;
        let derived: Vec<&str> = t
            .columns
            .iter()
            .filter(|c| is_text_like(&c.data_type))
            .map(|c| c.name.as_str())
            .filter(|n| !masked.iter().any(|m| m == n))
            .collect();
        let cond: Vec<String> = key
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let col = if k == "rowid" {
                    "x.rowid".to_string()
                } else {
                    format!("x.{}", q(k))
                };
                format!("CAST({col} AS TEXT) = json_extract(p.value, '$[{i}]')")
            })
            .collect();
        for (k, column) in masked.iter().enumerate() {
            let probes: Vec<serde_json::Value> = sampled
                .iter()
                .filter_map(|r| {
                    r.originals[k].as_ref().map(|o| {
                        let mut v: Vec<serde_json::Value> = r
                            .key
                            .iter()
                            .map(|x| serde_json::Value::from(x.as_str()))
                            .collect();
                        v.push(serde_json::Value::from(o.as_str()));
                        serde_json::Value::Array(v)
                    })
                })
                .collect();
            if probes.is_empty() {
                continue;
            }
            report.values += probes.len();
            let list = serde_json::Value::Array(probes.clone()).to_string();
            let orig = format!("json_extract(p.value, '$[{}]')", key.len());
            let mut checks = vec![format!("sum(CAST(x.{} AS TEXT) = {orig})", q(column))];
            for d in &derived {
                checks.push(format!(
                    "sum(length({orig}) >= {DISTINCTIVE_LEN} AND instr(CAST(x.{} AS TEXT), {orig}) > 0)",
                    q(d)
                ));
            }
            let sql = format!(
                "SELECT {} FROM json_each(?1) AS p JOIN {} AS x ON {}",
                checks.join(", "),
                q(&t.name.name),
                cond.join(" AND ")
            );
            let found: Vec<i64> = dst
                .query_row(&sql, [list], |r| {
                    (0..checks.len())
                        .map(|i| r.get::<_, Option<i64>>(i).map(Option::unwrap_or_default))
                        .collect()
                })
                .map_err(|e| err(copy, e))?;
            note(
                &mut report,
                &t.name,
                column,
                format!("{}.{}", t.name, dump::quote_identifier(column)),
                found.first().copied().unwrap_or(0),
                probes.len(),
            );
            for (d, n) in derived.iter().zip(found.iter().skip(1)) {
                note(
                    &mut report,
                    &t.name,
                    column,
                    format!("{}.{}", t.name, dump::quote_identifier(d)),
                    *n,
                    probes.len(),
                );
            }
        }
    }
    Ok(report)
}

/// Groups a report's leaks by masked column, for messages: `table.column` -> places.
pub fn by_column(report: &LeakReport) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in &report.leaks {
        out.entry(format!("{}.{}", l.table, dump::quote_identifier(&l.column)))
            .or_default()
            .push(format!("{} ({} of {})", l.found_in, l.found, l.checked));
    }
    out
}
