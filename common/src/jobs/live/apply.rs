//! Masking a live copy in place.
//!
//! PostgreSQL copies are masked in one transaction, reading through a cursor in batches (memory
//! is bounded by the batch) and writing each batch with one UPDATE. SQLite copies are masked by
//! the same transforms registered as an SQL function, one UPDATE per table, in one transaction.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use mask::{MaskContext, Rules, TableMasker};

use super::columns::{check_rule_tables, data_columns};
use crate::engine::pg::{quote_ident, PgAdmin};
use crate::engine::schema::TableInfo;
use crate::error::{Error, Result};

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

/// Masks a PostgreSQL copy in place, all tables in one transaction.
pub fn apply_pg(
    admin: &PgAdmin,
    rules: &Rules,
    ctx: &MaskContext,
    batch: usize,
) -> Result<ApplyReport> {
    let tables = admin.tables()?;
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
    let err = |e: rusqlite::Error| Error::sqlite(format!("cannot mask {}", path.display()), e);
    if !path.is_file() {
        return Err(Error::sqlite_msg(format!(
            "SQLite database {} does not exist",
            path.display()
        )));
    }
    let conn = rusqlite::Connection::open(path).map_err(err)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(err)?;
    let tables = crate::engine::sqlite::catalog::tables(&conn, path)?;
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
