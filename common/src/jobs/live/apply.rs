//! Masking a live copy in place.
//!
//! Both engines mask in one transaction and leave no original value in the database's files:
//! PostgreSQL tables are rewritten (see [`apply_pg`]), SQLite files are rewritten by `VACUUM`
//! after the masking UPDATEs (see [`apply_sqlite`]). Application triggers do not fire, so kept
//! columns stay as they were, as with `mask-tool filter`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use mask::{MaskContext, Rules, TableMasker};

use dump::QualifiedName;

use super::columns::{check_rule_tables, data_columns};
use crate::engine::pg::catalog::regclass_text;
use crate::engine::pg::{quote_ident, PgAdmin};
use crate::engine::schema::TableInfo;
use crate::engine::sqlite::catalog::FtsContent;
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

/// Masks a PostgreSQL copy in place, all tables in one transaction, rewriting each masked table
/// instead of updating it.
///
/// For every table with masked columns (a rule on a partitioned or inheritance parent covers all
/// its descendants): its rows are copied out (`COPY ... TO STDOUT`, on a second session), masked
/// on the way, and copied into a temporary table. Then, in the transaction: foreign keys touching
/// those tables are dropped, their user triggers disabled, their indexes set aside (see
/// [`set_indexes_aside`]), the tables truncated (which gives each new files: no dead tuple with
/// an original value remains in them, unlike after an UPDATE), reloaded from the temporary
/// tables, the indexes built again in one pass each, the foreign keys added back (which checks
/// them) and the triggers enabled again, exactly as they were. Materialized views are refreshed from the masked
/// data. Nothing is visible before the commit; a failure rolls everything back.
///
/// What remains elsewhere: the server's WAL (and any WAL archive) still holds the original rows
/// until it is recycled, as it holds any data ever written.
pub fn apply_pg(
    admin: &PgAdmin,
    rules: &Rules,
    ctx: &MaskContext,
    _batch: usize,
) -> Result<ApplyReport> {
    let tables = admin.tables()?;
    let parents = admin.parents()?;
    check_rule_tables_with(
        rules,
        &tables,
        &parents,
        &format!("database '{}'", admin.conn().dbname),
    )?;
    let mut plans: Vec<(&TableInfo, TableMasker)> = Vec::new();
    for t in &tables {
        let ruled = ruling_table(rules, &t.name, &parents);
        if let Some(tm) = rules.resolve(ruled, &data_columns(t))? {
            if !tm.is_identity() {
                plans.push((t, tm));
            }
        }
    }
    let mut report = ApplyReport::default();
    if plans.is_empty() {
        return Ok(report);
    }
    // Planner statistics hold sampled values of every analysed column; they are rewritten after
    // the commit, which needs rights on the catalog. Without them nothing is changed.
    check_statistics_rights(admin)?;
    // The reader copies rows out in its own autocommit session, so that it holds no lock the
    // rewrite will need.
    let reader = PgAdmin::connect(admin.conn())?;
    admin.execute("BEGIN")?;
    let result = (|| -> Result<()> {
        let names: Vec<QualifiedName> = plans.iter().map(|(t, _)| t.name.clone()).collect();
        let list: Vec<String> = names.iter().map(regclass_text).collect();
        // No writer may change the tables between their copy and their rewrite.
        admin.execute(&format!("LOCK TABLE {} IN SHARE MODE", list.join(", ")))?;
        for (k, (t, tm)) in plans.iter().enumerate() {
            let stats = copy_masked(admin, &reader, t, tm, ctx, k)?;
            report.tables.insert(t.name.to_string(), stats);
        }
        let fks = admin.foreign_keys_touching(&names)?;
        for (table, name, _) in &fks {
            admin.execute(&format!(
                "ALTER TABLE {table} DROP CONSTRAINT {}",
                quote_ident(name)
            ))?;
        }
        let mut triggers = Vec::new();
        for (t, _) in &plans {
            for (name, state) in admin.enabled_user_triggers(&t.name)? {
                admin.execute(&format!(
                    "ALTER TABLE {} DISABLE TRIGGER {}",
                    regclass_text(&t.name),
                    quote_ident(&name)
                ))?;
                triggers.push((t.name.clone(), name, state));
            }
        }
        // Indexes are built again from the masked rows at the end, in one pass each, instead of
        // taking every row one at a time during the reload.
        let mut rebuilds = Vec::new();
        for (t, _) in &plans {
            rebuilds.extend(set_indexes_aside(admin, &t.name)?);
        }
        admin.execute(&format!("TRUNCATE ONLY {}", list.join(", ")))?;
        crate::testpoint::reach("apply.indexes-aside");
        for (k, (t, _)) in plans.iter().enumerate() {
            let cols: Vec<String> = data_columns(t).iter().map(|c| quote_ident(c)).collect();
            admin.execute(&format!(
                "INSERT INTO {} ({cols}) OVERRIDING SYSTEM VALUE SELECT {cols} FROM pg_temp.{}",
                regclass_text(&t.name),
                temp_name(k),
                cols = cols.join(", ")
            ))?;
        }
        for rebuild in &rebuilds {
            admin.execute(rebuild)?;
        }
        for (table, name, def) in &fks {
            admin.execute(&format!(
                "ALTER TABLE {table} ADD CONSTRAINT {} {def}",
                quote_ident(name)
            ))?;
        }
        for (table, name, state) in &triggers {
            let how = match state.as_str() {
                "R" => "ENABLE REPLICA",
                "A" => "ENABLE ALWAYS",
                _ => "ENABLE",
            };
            admin.execute(&format!(
                "ALTER TABLE {} {how} TRIGGER {}",
                regclass_text(table),
                quote_ident(name)
            ))?;
        }
        let matviews = admin.populated_matviews()?;
        for mv in &matviews {
            admin.execute(&format!("REFRESH MATERIALIZED VIEW {mv}"))?;
        }
        // Fresh statistics from the masked rows replace the ones sampled from the originals:
        // the rewritten tables', their parents' (which sample their descendants' rows) and the
        // refreshed views'.
        let mut analysed: Vec<String> = list.clone();
        for name in &names {
            let mut t = name;
            while let Some(p) = parents.get(t) {
                analysed.push(regclass_text(p));
                t = p;
            }
        }
        analysed.extend(matviews.iter().cloned());
        analysed.sort();
        analysed.dedup();
        for l in &analysed {
            admin.execute(&format!("ANALYZE {l}"))?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            crate::testpoint::reach("apply.before-commit");
            if let Err(e) = admin.execute("COMMIT") {
                let _ = admin.execute_cleanup("ROLLBACK");
                return Err(e);
            }
            rewrite_statistics(admin)?;
            Ok(report)
        }
        Err(e) => {
            let _ = admin.execute_cleanup("ROLLBACK");
            Err(e)
        }
    }
}

/// Drops the indexes of `table` (and the primary key, unique and exclusion constraints they back)
/// that can be built again exactly as they were, and returns the statements that build them.
///
/// Left in place, and so maintained row by row during the reload: indexes something depends on
/// (a foreign key not dropped, an attached partition index, a view relying on a primary key),
/// indexes of an extension, clustered or replica-identity indexes, indexes with a comment, a
/// tablespace of their own or a statistics target, invalid ones, and a constraint whose index
/// was renamed. What belongs to a constraint (its index, the triggers of a deferrable one) goes
/// and comes back with it. Each drop runs in a savepoint: one the server refuses stays as it is.
fn set_indexes_aside(admin: &PgAdmin, table: &QualifiedName) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT CASE WHEN c.oid IS NOT NULL \
                  THEN format('ALTER TABLE %s DROP CONSTRAINT %I', i.indrelid::regclass, c.conname) \
                  ELSE format('DROP INDEX %s', i.indexrelid::regclass) END, \
                CASE WHEN c.oid IS NOT NULL \
                  THEN format('ALTER TABLE %s ADD CONSTRAINT %I %s', i.indrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) \
                  ELSE pg_get_indexdef(i.indexrelid) END \
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
         LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid \
              AND c.contype IN ('p', 'u', 'x') \
         WHERE i.indrelid = {}::regclass \
           AND i.indisvalid AND i.indisready AND i.indislive \
           AND NOT i.indisclustered AND NOT i.indisreplident AND ic.reltablespace = 0 \
           AND (c.oid IS NULL OR c.conname = ic.relname) \
           AND obj_description(i.indexrelid, 'pg_class') IS NULL \
           AND (c.oid IS NULL OR obj_description(c.oid, 'pg_constraint') IS NULL) \
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refclassid = 'pg_class'::regclass \
                           AND d.refobjid = i.indexrelid) \
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE c.oid IS NOT NULL \
                           AND d.refclassid = 'pg_constraint'::regclass AND d.refobjid = c.oid \
                           AND d.deptype <> 'i') \
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
                           AND d.objid = i.indexrelid AND d.deptype = 'e') \
           AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indexrelid \
                           AND a.attstattarget >= 0) \
           AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid \
                           OR h.inhparent = i.indexrelid) \
         ORDER BY ic.relname",
        crate::engine::pg::quote_literal(&regclass_text(table))
    );
    let mut rebuilds = Vec::new();
    for row in admin.query_text(&sql)? {
        let Ok([drop, build]) = <[String; 2]>::try_from(row) else {
            continue;
        };
        admin.execute("SAVEPOINT backup_tools_index")?;
        match admin.execute(&drop) {
            Ok(()) => {
                admin.execute("RELEASE SAVEPOINT backup_tools_index")?;
                rebuilds.push(build);
            }
            Err(e) => {
                tracing::debug!(
                    "an index of {table} stays during the reload: {}",
                    e.describe()
                );
                admin.execute("ROLLBACK TO SAVEPOINT backup_tools_index")?;
                admin.execute("RELEASE SAVEPOINT backup_tools_index")?;
            }
        }
    }
    Ok(rebuilds)
}

/// The catalogs whose rows hold sampled column values: per-column statistics (most common
/// values, histogram bounds) and extended statistics (multi-column MCV lists).
const STATISTICS_CATALOGS: [&str; 2] = [
    "pg_catalog.pg_statistic",
    "pg_catalog.pg_statistic_ext_data",
];

/// Refuses, before anything changes, a role that could not rewrite the statistics catalogs: a
/// superuser, a member of the database's owner, or (PostgreSQL 17 and later) a role with the
/// MAINTAIN privilege on them may.
fn check_statistics_rights(admin: &PgAdmin) -> Result<()> {
    let maintain = if admin.server_version()?.major >= 17 {
        STATISTICS_CATALOGS
            .iter()
            .map(|c| format!("has_table_privilege('{c}', 'MAINTAIN')"))
            .collect::<Vec<_>>()
            .join(" AND ")
    } else {
        "false".to_string()
    };
    let sql = format!(
        "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) \
            OR pg_has_role(current_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'USAGE') \
            OR ({maintain})"
    );
    let ok = admin
        .query_text(&sql)?
        .first()
        .and_then(|r| r.first())
        .map(|v| v == "t");
    if ok == Some(true) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "apply rewrites the planner statistics of database '{}' (pg_statistic keeps sampled values \
         of the masked columns), which needs a superuser, the database's owner or the MAINTAIN \
         privilege on pg_statistic and pg_statistic_ext_data; nothing was changed",
        admin.conn().dbname
    )))
}

/// Rewrites the statistics catalogs into new files (`VACUUM FULL`), so the rows replaced by the
/// fresh statistics — which hold values sampled from the originals — leave no bytes behind.
///
/// `VACUUM FULL` copies a replaced row into the new file while any snapshot could still see it.
/// What could hold one is waited for first ([`wait_for_older_snapshots`]), but no view lists
/// every holder for certain, so the rewrite is also checked: `VACUUM FULL` sets the catalog's
/// `relfrozenxid` to the horizon it kept rows for, and the rewrite counts only once that
/// horizon is past every transaction of the apply; until then it is waited for and done again.
fn rewrite_statistics(admin: &PgAdmin) -> Result<()> {
    // The snapshot's xmax is past every transaction id the apply's commit used.
    let after = admin
        .query_text("SELECT (txid_snapshot_xmax(txid_current_snapshot()) % 4294967296)::text")?
        .first()
        .and_then(|r| r.first().cloned())
        .unwrap_or_default();
    if after.is_empty() || !after.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Verify(format!(
            "the masked data is committed, but the server of database '{}' gave no transaction \
             horizon, so the rewrite of its statistics could not be checked",
            admin.conn().dbname
        )));
    }
    let deadline = std::time::Instant::now() + snapshot_wait();
    for catalog in STATISTICS_CATALOGS {
        loop {
            wait_for_older_snapshots(admin, catalog, &after, deadline)?;
            admin.execute(&format!("VACUUM FULL {catalog}"))?;
            let past = admin
                .query_text(&format!(
                    "SELECT age(relfrozenxid) <= age('{after}'::xid) FROM pg_class \
                     WHERE oid = '{catalog}'::regclass"
                ))?
                .first()
                .and_then(|r| r.first().cloned());
            if past.as_deref() == Some("t") {
                break;
            }
            tracing::debug!(
                "{catalog} was rewritten under a snapshot older than the apply; rewriting it again"
            );
            if std::time::Instant::now() >= deadline {
                return Err(Error::Verify(format!(
                    "the masked data is committed, but {catalog} of database '{}' was rewritten \
                     while a snapshot or transaction older than the apply was still open, and may \
                     still hold sampled originals in old rows; run VACUUM FULL {catalog} as a \
                     superuser once no transaction older than the apply is left",
                    admin.conn().dbname
                )));
            }
            crate::error::stop_point(
                "the masked data is committed; the statistics were not rewritten",
            )?;
            // Each round rewrites the catalog: not more often than this.
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
    Ok(())
}

/// How long the statistics rewrite waits for other sessions' snapshots to end
/// (`BACKUP_TOOLS_SNAPSHOT_WAIT`, in seconds, changes it).
fn snapshot_wait() -> std::time::Duration {
    let secs = std::env::var("BACKUP_TOOLS_SNAPSHOT_WAIT")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .unwrap_or(60.0);
    std::time::Duration::from_secs_f64(secs)
}

/// Waits until nothing that holds back the catalog's horizon is older than `after` (a
/// transaction id past the apply's), as `VACUUM FULL` keeps the old statistics rows (sampled
/// originals) that it could still see: snapshots of sessions in the database and of processes
/// in none (WAL senders with standby feedback); transactions still running anywhere on the
/// server, since every snapshot taken meanwhile, the rewrite's own included, counts them as
/// running (sessions and prepared transactions); and replication slots. Autovacuum workers
/// of the database (an ANALYZE started before the rewrite) are asked to stop; they start again
/// later. What is still there at `deadline` is an error that names it.
fn wait_for_older_snapshots(
    admin: &PgAdmin,
    catalog: &str,
    after: &str,
    deadline: std::time::Instant,
) -> Result<()> {
    let older = |col: &str| format!("({col} IS NOT NULL AND age({col}) > age('{after}'::xid))");
    let sql = format!(
        "SELECT 'session ' || pid || coalesce(' (database ' || quote_literal(datname) || ')', ''), \
                CASE WHEN datname = current_database() THEN backend_type END, pid::text \
         FROM pg_stat_activity \
         WHERE pid <> pg_backend_pid() \
           AND (((datname = current_database() OR datid IS NULL) AND {}) OR {}) \
         UNION ALL \
         SELECT 'prepared transaction ' || quote_literal(gid) || ' (database ' || quote_literal(database) || ')', \
                NULL, NULL FROM pg_prepared_xacts WHERE {} \
         UNION ALL \
         SELECT 'replication slot ' || quote_literal(slot_name), NULL, NULL FROM pg_replication_slots \
         WHERE {} OR {}",
        older("backend_xmin"),
        older("backend_xid"),
        older("transaction"),
        older("xmin"),
        older("catalog_xmin"),
    );
    loop {
        let holders = admin.query_text(&sql)?;
        if holders.is_empty() {
            return Ok(());
        }
        for h in &holders {
            if let [_, kind, pid] = h.as_slice() {
                if kind == "autovacuum worker" && !pid.is_empty() {
                    // Refused without the right to signal it: then it is waited for.
                    let _ = admin.query_text(&format!("SELECT pg_cancel_backend({pid})"));
                }
            }
        }
        if std::time::Instant::now() >= deadline {
            let names: Vec<&str> = holders
                .iter()
                .filter_map(|h| h.first().map(String::as_str))
                .collect();
            return Err(Error::Verify(format!(
                "the masked data is committed, but {catalog} of database '{}' was not rewritten: \
                 its old rows (sampled originals) are still visible to older snapshots or \
                 transactions, held by {}; run VACUUM FULL {catalog} as a superuser once they \
                 have ended",
                admin.conn().dbname,
                names.join(", ")
            )));
        }
        crate::error::stop_point(
            "the masked data is committed; the statistics were not rewritten",
        )?;
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The table whose rules apply to `table`: its own, else its nearest ancestor's that has rules.
pub(crate) fn ruling_table<'a>(
    rules: &Rules,
    table: &'a QualifiedName,
    parents: &'a BTreeMap<QualifiedName, QualifiedName>,
) -> &'a QualifiedName {
    let mut t = table;
    loop {
        if rules.table(t).is_some() {
            return t;
        }
        match parents.get(t) {
            Some(p) => t = p,
            None => return table,
        }
    }
}

/// Like [`check_rule_tables`], with parents (partitioned tables, inheritance parents) counted as
/// tables a rule may name.
fn check_rule_tables_with(
    rules: &Rules,
    tables: &[TableInfo],
    parents: &BTreeMap<QualifiedName, QualifiedName>,
    what: &str,
) -> Result<()> {
    let mut known: Vec<TableInfo> = tables.to_vec();
    for p in parents.values() {
        if !known.iter().any(|t| &t.name == p) {
            known.push(TableInfo {
                name: p.clone(),
                columns: Vec::new(),
                primary_key: Vec::new(),
                full_text: false,
            });
        }
    }
    check_rule_tables(rules, &known, what)
}

fn temp_name(k: usize) -> String {
    format!("backup_tools_masked_{k}")
}

/// Copies one table's rows, masked, into a new temporary table `temp_name(k)` of `admin`'s
/// transaction: `COPY TO` on `reader`, the masking on a thread, `COPY FROM` on `admin`.
fn copy_masked(
    admin: &PgAdmin,
    reader: &PgAdmin,
    t: &TableInfo,
    tm: &TableMasker,
    ctx: &MaskContext,
    k: usize,
) -> Result<ApplyStats> {
    let cols: Vec<String> = data_columns(t).iter().map(|c| quote_ident(c)).collect();
    let cols = cols.join(", ");
    let table = regclass_text(&t.name);
    let temp = temp_name(k);
    admin.execute(&format!(
        "CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT {cols} FROM ONLY {table} WITH NO DATA"
    ))?;
    let (mut raw_in, mut raw_out) =
        std::io::pipe().map_err(|e| Error::io("cannot create a pipe", e))?;
    let (mut masked_in, mut masked_out) =
        std::io::pipe().map_err(|e| Error::io("cannot create a pipe", e))?;
    let out_sql = format!("COPY (SELECT {cols} FROM ONLY {table}) TO STDOUT");
    let in_sql = format!("COPY pg_temp.{temp} FROM STDIN");
    std::thread::scope(|scope| {
        let copying_out = scope.spawn(move || {
            let r = reader.copy_out(&out_sql, &mut raw_out);
            drop(raw_out);
            r
        });
        let masking = scope.spawn(move || {
            let r = mask_copy_rows(
                crate::fs::StreamReader::new(&mut raw_in),
                &mut masked_out,
                tm,
                ctx,
            );
            drop(masked_out);
            drop(raw_in);
            r
        });
        let copied_in = admin.copy_in(&in_sql, &mut masked_in);
        drop(masked_in);
        let masked = masking
            .join()
            .unwrap_or_else(|_| Err(Error::Data("the masking thread panicked".into())));
        let out = copying_out
            .join()
            .unwrap_or_else(|_| Err(Error::Data("the copy thread panicked".into())));
        // The cause first: the source, then the masker, then the load.
        out?;
        let stats = masked?;
        let rows = copied_in?;
        if rows != stats.rows {
            return Err(Error::Data(format!(
                "{}: {} rows masked but {rows} loaded",
                t.name, stats.rows
            )));
        }
        Ok(stats)
    })
}

/// Masks COPY TEXT rows, one per line, from `input` into `out`. Unmasked columns are passed on
/// byte for byte.
fn mask_copy_rows(
    mut input: impl std::io::BufRead,
    out: &mut impl std::io::Write,
    tm: &TableMasker,
    ctx: &MaskContext,
) -> Result<ApplyStats> {
    let ncols = tm.columns().len();
    let needed: Vec<usize> = tm.needed_columns().collect();
    let mut masked = vec![false; ncols];
    for (i, _, _) in tm.masked_columns() {
        masked[i] = true;
    }
    let write_err = |e| {
        Error::io(
            format!("cannot pass on the masked rows of {}", tm.table()),
            e,
        )
    };
    let mut stats = ApplyStats::default();
    let mut line = Vec::new();
    let mut row: Vec<Option<String>> = vec![None; ncols];
    let mut buf = Vec::new();
    loop {
        line.clear();
        let n = input
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(format!("cannot read the rows of {}", tm.table()), e))?;
        if n == 0 {
            break;
        }
        let fields: Vec<&[u8]> = dump::split_copy_fields(&line).collect();
        if fields.len() != ncols {
            return Err(Error::Data(format!(
                "{}: a row has {} values, the table {ncols} columns",
                tm.table(),
                fields.len()
            )));
        }
        for slot in row.iter_mut() {
            *slot = None;
        }
        for &i in &needed {
            row[i] = dump::decode_copy_field_str(fields[i])?.map(|v| v.into_owned());
        }
        stats.values += tm.mask_row(&mut row, ctx)? as u64;
        stats.rows += 1;
        buf.clear();
        for (i, raw) in fields.iter().enumerate() {
            if i > 0 {
                buf.push(b'\t');
            }
            if masked[i] {
                dump::encode_copy_field(row[i].as_deref().map(str::as_bytes), &mut buf);
            } else {
                buf.extend_from_slice(raw);
            }
        }
        buf.push(b'\n');
        out.write_all(&buf).map_err(write_err)?;
    }
    out.flush().map_err(write_err)?;
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
                // As PostgreSQL writes bytea in text: `\x` and hex (what a rule sees in a dump).
                rusqlite::types::ValueRef::Blob(b) => Some(format!("\\x{}", hex::encode(b))),
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
    let fts = crate::engine::sqlite::catalog::fts_tables(&conn, path)?;
    for f in &fts {
        if f.content == FtsContent::None {
            return Err(Error::Refused(format!(
                "{}: full-text table {} keeps no content (content=''): its index holds the terms \
                 and cannot be masked value by value; drop it from the copy or rebuild it",
                path.display(),
                f.name
            )));
        }
    }
    let mut report = ApplyReport::default();
    // Deleted and overwritten content is zeroed on the spot, not left in free space.
    conn.execute_batch("PRAGMA secure_delete = ON")
        .map_err(err)?;
    conn.execute_batch("BEGIN IMMEDIATE").map_err(err)?;
    let result = (|| -> Result<()> {
        // The application's triggers must not rewrite kept columns (or touch other tables)
        // while the masking UPDATEs run: they are dropped and created again, in the
        // transaction.
        let mut triggers = Vec::new();
        for (t, _) in &plans {
            for (name, sql) in
                crate::engine::sqlite::catalog::triggers_on(&conn, &t.name.name).map_err(err)?
            {
                conn.execute_batch(&format!("DROP TRIGGER {}", q(&name)))
                    .map_err(err)?;
                triggers.push(sql);
            }
        }
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
        for sql in &triggers {
            conn.execute_batch(sql).map_err(err)?;
        }
        // Full-text indexes: rebuilt from masked external content, and merged so that no
        // segment keeps a term of an original value.
        for f in &fts {
            let cmd = match f.content {
                FtsContent::External(_) => "rebuild",
                _ => "optimize",
            };
            conn.execute_batch(&format!(
                "INSERT INTO {t}({t}) VALUES ('{cmd}')",
                t = q(&f.name)
            ))
            .map_err(err)?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            crate::testpoint::reach("apply.before-commit");
            if let Err(e) = crate::error::stop_point("nothing was masked") {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
            conn.execute_batch("COMMIT").map_err(err)?
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    // Rewrite the whole file: free pages and slack space kept nothing of the originals, and the
    // write-ahead log, if any, is emptied.
    conn.execute_batch("VACUUM").map_err(err)?;
    let wal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .map_err(err)?;
    if wal.eq_ignore_ascii_case("wal") {
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .map_err(err)?;
    }
    Ok(report)
}
