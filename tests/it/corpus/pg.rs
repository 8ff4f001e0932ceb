//! PostgreSQL entries through filter, apply, sync (serial and `--jobs 2`) and
//! backup + `restore --mask`, each result scanned byte by byte and checked for use.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tests::{cluster, run, staging_cluster, tool, Cluster, Output, PASSWORD};

use super::model::{
    col_label, sql_ident, sql_table, ByKey, Engine, Entry, TableCols, Transform, SALT,
};

/// Per table: each whole-value masked column's values by row key.
type Whole = BTreeMap<String, Vec<(String, ByKey)>>;
use super::needles::{self, Needles};
use super::Report;

// ---------------------------------------------------------------------------------------------
// Talking to a cluster without panicking (a broken result must not hide the other checks).
// ---------------------------------------------------------------------------------------------

fn client(c: &Cluster, program: &str) -> Command {
    let mut cmd = Command::new(c.bindir.join(program));
    cmd.env("PGHOST", "127.0.0.1")
        .env("PGPORT", c.port.to_string())
        .env("PGUSER", "postgres")
        .env("PGPASSWORD", PASSWORD)
        .env_remove("PGDATABASE")
        .stdin(Stdio::null());
    cmd
}

/// Runs SQL; unaligned, tuples only; the first error stops it.
pub fn try_q(c: &Cluster, db: &str, sql: &str) -> Result<String, String> {
    let mut cmd = client(c, "psql");
    cmd.args([
        "-X",
        "-q",
        "-A",
        "-t",
        "-v",
        "ON_ERROR_STOP=1",
        "-d",
        db,
        "-c",
        sql,
    ]);
    let out = cmd.output().map_err(|e| format!("cannot run psql: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Runs a script file, output to `out` when given.
fn try_file(c: &Cluster, db: &str, file: &Path, out: Option<&Path>) -> Result<(), String> {
    let mut cmd = client(c, "psql");
    cmd.args([
        "-X",
        "-q",
        "-A",
        "-t",
        "-v",
        "ON_ERROR_STOP=1",
        "-d",
        db,
        "-f",
    ])
    .arg(file);
    if let Some(o) = out {
        cmd.arg("-o").arg(o);
    } else {
        cmd.stdout(Stdio::null());
    }
    let r = cmd.output().map_err(|e| format!("cannot run psql: {e}"))?;
    if r.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&r.stderr).trim().to_string())
    }
}

/// SQL that must work (on the source): panics otherwise.
fn q(c: &Cluster, db: &str, sql: &str) -> String {
    try_q(c, db, sql).unwrap_or_else(|e| panic!("SQL on {db} failed: {e}\n{sql}"))
}

fn pg_dump(c: &Cluster, db: &str, file: &Path, extra: &[&str]) -> Result<(), String> {
    let mut cmd = client(c, "pg_dump");
    cmd.args(extra).args(["-d", db, "-f"]).arg(file);
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run pg_dump: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

fn exit(o: &Output) -> String {
    let err: String = o
        .stderr
        .lines()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .join(" | ");
    format!("exit {}: {err}", o.code)
}

// ---------------------------------------------------------------------------------------------
// The source's catalog.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct PgCol {
    name: String,
    ty: String,
    generated: bool,
    seq: bool,
}

#[derive(Debug, Clone)]
struct PgTable {
    schema: String,
    name: String,
    kind: String,
    cols: Vec<PgCol>,
    pk: Vec<String>,
}

impl PgTable {
    fn sql(&self) -> String {
        sql_table(&self.schema, &self.name)
    }

    fn only(&self) -> String {
        if self.kind == "m" {
            self.sql()
        } else {
            format!("ONLY {}", self.sql())
        }
    }

    fn data_cols(&self) -> Vec<&PgCol> {
        self.cols.iter().filter(|c| !c.generated).collect()
    }
}

struct Catalog {
    tables: Vec<PgTable>,
    /// (name, SQL) of a join count per foreign key.
    fk_joins: Vec<(String, String)>,
    /// One query giving `name:last_value:is_called` per sequence.
    seq_query: Option<String>,
}

fn strs(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn catalog(c: &Cluster, db: &str) -> Catalog {
    let text = q(
        c,
        db,
        "SELECT coalesce(json_agg(t ORDER BY t.schema, t.name), '[]') FROM (
           SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
             (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                      'generated', a.attgenerated <> '',
                      'seq', a.attidentity <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%')
                      ORDER BY a.attnum)
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS cols,
             (SELECT json_agg(a.attname ORDER BY k.i) FROM pg_index x
                CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, i)
                JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
               WHERE x.indrelid = c.oid AND x.indisprimary) AS pk
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%') t",
    );
    let v: serde_json::Value = serde_json::from_str(&text).expect("catalog JSON");
    let mut tables = Vec::new();
    for t in v.as_array().expect("tables") {
        let cols = t["cols"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|c| PgCol {
                        name: c["name"].as_str().unwrap_or_default().to_string(),
                        ty: c["type"].as_str().unwrap_or_default().to_string(),
                        generated: c["generated"].as_bool().unwrap_or(false),
                        seq: c["seq"].as_bool().unwrap_or(false),
                    })
                    .collect()
            })
            .unwrap_or_default();
        tables.push(PgTable {
            schema: t["schema"].as_str().unwrap_or_default().to_string(),
            name: t["name"].as_str().unwrap_or_default().to_string(),
            kind: t["kind"].as_str().unwrap_or_default().to_string(),
            cols,
            pk: strs(&t["pk"]),
        });
    }
    let fks = q(
        c,
        db,
        "SELECT coalesce(json_agg(json_build_object('name', f.conname, 'child', f.conrelid::regclass::text,
                 'parent', f.confrelid::regclass::text,
                 'ccols', (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(f.conkey) WITH ORDINALITY AS k(n, i)
                            JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.n),
                 'pcols', (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(f.confkey) WITH ORDINALITY AS k(n, i)
                            JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.n))
                 ORDER BY f.conrelid::regclass::text, f.conname), '[]')
           FROM pg_constraint f WHERE f.contype = 'f' AND f.conparentid = 0",
    );
    let fks: serde_json::Value = serde_json::from_str(&fks).expect("fk JSON");
    let mut fk_joins = Vec::new();
    for f in fks.as_array().expect("fks") {
        let (child, parent) = (
            f["child"].as_str().unwrap_or_default(),
            f["parent"].as_str().unwrap_or_default(),
        );
        let on: Vec<String> = strs(&f["ccols"])
            .iter()
            .zip(strs(&f["pcols"]))
            .map(|(a, b)| format!("c.{} = p.{}", sql_ident(a), sql_ident(&b)))
            .collect();
        fk_joins.push((
            format!("{child}.{}", f["name"].as_str().unwrap_or_default()),
            format!(
                "SELECT count(*) FROM {child} c JOIN {parent} p ON {}",
                on.join(" AND ")
            ),
        ));
    }
    let seqs: Vec<String> = q(
        c,
        db,
        "SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences ORDER BY 1",
    )
    .lines()
    .filter(|l| !l.is_empty())
    .map(str::to_string)
    .collect();
    let seq_query = (!seqs.is_empty()).then(|| {
        seqs.iter()
            .map(|s| format!("SELECT '{s}:' || last_value || ':' || is_called FROM {s}"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ")
    });
    Catalog {
        tables,
        fk_joins,
        seq_query,
    }
}

// ---------------------------------------------------------------------------------------------
// What a result must equal.
// ---------------------------------------------------------------------------------------------

/// Per table: `count:md5` over the rows of `cols` (as row text, sorted), one query.
fn checksums(
    c: &Cluster,
    db: &str,
    parts: &[TableCols],
) -> Result<BTreeMap<String, String>, String> {
    if parts.is_empty() {
        return Ok(BTreeMap::new());
    }
    let sql = parts
        .iter()
        .map(|(name, from, cols)| {
            format!(
                "SELECT {lit} || '|' || (SELECT count(*) || ':' || coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '-') \
                 FROM (SELECT ROW({cols})::text AS r FROM {from}) q)",
                lit = literal(name),
                cols = cols.iter().map(|c| sql_ident(c)).collect::<Vec<_>>().join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let text = try_q(c, db, &sql)?;
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('|'))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect())
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn row_counts(c: &Cluster, db: &str, cat: &Catalog) -> Result<BTreeMap<String, String>, String> {
    let sql = cat
        .tables
        .iter()
        .map(|t| {
            format!(
                "SELECT {} || '|' || count(*) FROM {}",
                literal(&t.sql()),
                t.only()
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let text = try_q(c, db, &sql)?;
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('|'))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect())
}

fn fk_counts(c: &Cluster, db: &str, cat: &Catalog) -> BTreeMap<String, String> {
    cat.fk_joins
        .iter()
        .map(|(name, sql)| {
            (
                name.clone(),
                try_q(c, db, sql).unwrap_or_else(|e| format!("error: {e}")),
            )
        })
        .collect()
}

fn sequences(c: &Cluster, db: &str, cat: &Catalog) -> Result<Vec<String>, String> {
    match &cat.seq_query {
        None => Ok(Vec::new()),
        Some(sql) => Ok(try_q(c, db, sql)?.lines().map(str::to_string).collect()),
    }
}

/// Inserts, and rolls back, a row with a default key into every table whose key comes from a
/// sequence or an identity: the first row is taken out and put back without its key (triggers
/// and foreign-key checks off for the transaction), so only the generated key can collide.
fn default_key_inserts(c: &Cluster, db: &str, cat: &Catalog) -> Vec<String> {
    let mut failures = Vec::new();
    // nextval is not rolled back: the sequences are put back as they were afterwards.
    let before = sequences(c, db, cat).unwrap_or_default();
    for t in cat.tables.iter().filter(|t| t.kind == "r") {
        let keyed: Vec<&PgCol> = t
            .cols
            .iter()
            .filter(|col| col.seq && t.pk.contains(&col.name))
            .collect();
        if keyed.is_empty() {
            continue;
        }
        let cols: Vec<String> = t
            .data_cols()
            .into_iter()
            .filter(|col| !keyed.iter().any(|k| k.name == col.name))
            .map(|col| sql_ident(&col.name))
            .collect();
        let sql = format!(
            "BEGIN; SET LOCAL session_replication_role = replica;
             CREATE TEMP TABLE corpus_probe ON COMMIT DROP AS SELECT ctid AS corpus_ctid, * FROM ONLY {t} LIMIT 1;
             DELETE FROM ONLY {t} WHERE ctid = (SELECT corpus_ctid FROM corpus_probe);
             INSERT INTO {t} ({cols}) SELECT {cols} FROM corpus_probe;
             ROLLBACK;",
            t = t.sql(),
            cols = cols.join(", ")
        );
        if let Err(e) = try_q(c, db, &sql) {
            failures.push(format!("{}: {}", t.sql(), e.lines().next().unwrap_or("")));
        }
    }
    for s in before {
        let mut parts = s.rsplitn(3, ':');
        let (Some(called), Some(last), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if let Err(e) = try_q(
            c,
            db,
            &format!("SELECT setval({}, {last}, {called})", literal(name)),
        ) {
            failures.push(format!("cannot put {name} back: {e}"));
        }
    }
    failures
}

// ---------------------------------------------------------------------------------------------
// Originals.
// ---------------------------------------------------------------------------------------------

struct Source<'a> {
    c: &'a Cluster,
    db: String,
    entry: Entry,
    cat: Catalog,
    tmp: tempfile::TempDir,
    /// The plain dump of the source (input of filter and of every plain copy).
    dump: PathBuf,
}

impl Source<'_> {
    fn table(&self, schema: &str, name: &str) -> Option<&PgTable> {
        self.cat
            .tables
            .iter()
            .find(|t| t.schema == schema && t.name == name)
    }

    /// (checksum name, FROM, columns) for the kept columns of every ruled table.
    fn kept_parts(&self) -> Vec<TableCols> {
        let mut out = Vec::new();
        for r in &self.entry.rules.tables {
            if let Some(t) = self.table(&r.schema, &r.table) {
                if !r.keep.is_empty() {
                    out.push((t.sql(), t.only(), r.keep.clone()));
                }
            }
        }
        out
    }

    /// The same over every column a deterministic run must give alike (all but random ones).
    fn deterministic_parts(&self) -> Vec<TableCols> {
        let mut out = Vec::new();
        for t in self.cat.tables.iter().filter(|t| t.kind == "r") {
            let rule = self.entry.rules.table(&t.schema, &t.name);
            let cols: Vec<String> = t
                .cols
                .iter()
                .filter(|c| {
                    !rule
                        .and_then(|r| r.transform(&c.name))
                        .is_some_and(Transform::is_random)
                })
                .map(|c| c.name.clone())
                .collect();
            out.push((t.sql(), t.only(), cols));
        }
        out
    }

    /// Per ruled table with a primary key: pk text -> the text of each whole-value masked column.
    fn whole_values(&self, c: &Cluster, db: &str) -> Result<Whole, String> {
        let mut out = BTreeMap::new();
        for r in &self.entry.rules.tables {
            let Some(t) = self.table(&r.schema, &r.table) else {
                continue;
            };
            let cols: Vec<&str> = r
                .masked
                .iter()
                .filter(|(_, _, tr)| matches!(tr, Transform::Whole { .. }))
                .map(|(c, _, _)| c.as_str())
                .collect();
            if t.pk.is_empty() || cols.is_empty() {
                continue;
            }
            let pk =
                t.pk.iter()
                    .map(|k| sql_ident(k))
                    .collect::<Vec<_>>()
                    .join(", ");
            let sel = cols
                .iter()
                .map(|c| format!("{}::text", sql_ident(c)))
                .collect::<Vec<_>>()
                .join(", ");
            let text = try_q(
                c,
                db,
                &format!(
                    "SELECT coalesce(json_agg(json_build_array(ROW({pk})::text, {sel})), '[]') FROM {}",
                    t.only()
                ),
            )?;
            let rows: Vec<Vec<serde_json::Value>> =
                serde_json::from_str(&text).map_err(|e| format!("rows of {}: {e}", t.sql()))?;
            let mut per_col: Vec<(String, ByKey)> = cols
                .iter()
                .map(|c| (c.to_string(), BTreeMap::new()))
                .collect();
            for row in rows {
                let key = row[0].as_str().unwrap_or_default().to_string();
                for (i, (_, m)) in per_col.iter_mut().enumerate() {
                    m.insert(key.clone(), row[i + 1].as_str().map(str::to_string));
                }
            }
            out.insert(t.sql(), per_col);
        }
        Ok(out)
    }
}

fn label(schema: &str, table: &str, col: &str) -> String {
    col_label(&(schema.to_string(), table.to_string(), col.to_string()))
}

/// Originals of every masked column and of the data derived from them, read from the source.
fn originals(src: &Source) -> Needles {
    let mut n = Needles::default();
    for r in &src.entry.rules.tables {
        let Some(t) = src.table(&r.schema, &r.table) else {
            panic!(
                "{}: rules name {} which the source does not have",
                src.entry.name, r.key
            );
        };
        if r.masked.is_empty() {
            continue;
        }
        let sel = r
            .masked
            .iter()
            .map(|(c, _, _)| format!("{}::text", sql_ident(c)))
            .collect::<Vec<_>>()
            .join(", ");
        let text = q(
            src.c,
            &src.db,
            &format!(
                "SELECT coalesce(json_agg(json_build_array({sel})), '[]') FROM {}",
                t.only()
            ),
        );
        let rows: Vec<Vec<serde_json::Value>> = serde_json::from_str(&text).expect("rows");
        for (i, (col, _, tr)) in r.masked.iter().enumerate() {
            let owner = label(&r.schema, &r.table, col);
            let ty = t
                .cols
                .iter()
                .find(|c| &c.name == col)
                .map(|c| c.ty.as_str())
                .unwrap_or("");
            for row in &rows {
                let Some(v) = row[i].as_str() else { continue };
                add_original(&mut n, &owner, v, tr);
                if ty == "tsvector" {
                    // Lexemes that are whole e-mail addresses (the rest are single words).
                    for lex in v.split(' ').filter_map(|l| l.split('\'').nth(1)) {
                        if lex.contains('@') && lex.contains('.') {
                            n.add(&format!("derived {owner} (lexemes)"), lex);
                        }
                    }
                }
            }
        }
    }
    for d in &src.entry.labels.derived {
        let Some(t) = src.table(&d.0, &d.1) else {
            panic!(
                "{}: derived_pii names {} which the source does not have",
                src.entry.name,
                col_label(d)
            );
        };
        let owner = format!("derived {}", col_label(d));
        for v in q(
            src.c,
            &src.db,
            &format!(
                "SELECT DISTINCT replace({c}::text, E'\\n', ' ') FROM {} WHERE {c} IS NOT NULL",
                t.sql(),
                c = sql_ident(&d.2)
            ),
        )
        .lines()
        {
            n.add(&owner, v);
        }
    }
    n
}

/// Adds what a masked value promises to hide.
pub fn add_original(n: &mut Needles, owner: &str, v: &str, tr: &Transform) {
    match tr {
        Transform::Whole { .. } => {
            // A value already in its masked form (00-000 under partial) is what masked copies
            // hold anyway.
            match tr.partial() {
                Some((first, ch)) if needles::partial_fixed_point(v, first, ch) => {
                    *n.excluded
                        .entry("already in its masked form (partial)".into())
                        .or_default() += 1;
                }
                _ => n.add(owner, v),
            }
        }
        Transform::Scrub => {
            n.scrub_leftovers.push_str(&needles::scrub_leftover(v));
            n.scrub_leftovers.push('\n');
            for e in needles::emails_in(v) {
                n.add(owner, &e);
            }
            for p in needles::phones_in(v) {
                n.add(owner, &p);
            }
        }
        Transform::Json(paths) => {
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(v) else {
                return;
            };
            for (path, ptr) in paths {
                for at in needles::json_at(&doc, path) {
                    let mut strings = Vec::new();
                    needles::json_strings(at, &mut strings);
                    for s in strings {
                        add_original(n, owner, &s, ptr);
                    }
                }
            }
        }
    }
}

/// Whole values and their words produced by the word-list fakes in a masked copy: an original
/// equal to one of them may appear in any masked copy by design.
fn fake_outputs(src: &Source, c: &Cluster, db: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for r in &src.entry.rules.tables {
        let Some(t) = src.table(&r.schema, &r.table) else {
            continue;
        };
        for (col, _, tr) in &r.masked {
            let mut add = |v: &str| {
                out.insert(v.to_string());
                for w in v.split_whitespace() {
                    out.insert(w.to_string());
                }
            };
            match tr {
                Transform::Whole { .. } if tr.is_fake() => {
                    for v in try_q(
                        c,
                        db,
                        &format!("SELECT DISTINCT {}::text FROM {}", sql_ident(col), t.only()),
                    )
                    .unwrap_or_default()
                    .lines()
                    {
                        add(v);
                    }
                }
                Transform::Json(paths) if paths.iter().any(|(_, p)| p.is_fake()) => {
                    for v in try_q(
                        c,
                        db,
                        &format!(
                            "SELECT {}::text FROM {} WHERE {0} IS NOT NULL",
                            sql_ident(col),
                            t.only()
                        ),
                    )
                    .unwrap_or_default()
                    .lines()
                    {
                        let Ok(doc) = serde_json::from_str::<serde_json::Value>(v) else {
                            continue;
                        };
                        for (path, _) in paths.iter().filter(|(_, p)| p.is_fake()) {
                            for at in needles::json_at(&doc, path) {
                                let mut s = Vec::new();
                                needles::json_strings(at, &mut s);
                                s.iter().for_each(|x| add(x));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// One result: scanned and checked.
// ---------------------------------------------------------------------------------------------

struct Expected {
    rows: BTreeMap<String, String>,
    fks: BTreeMap<String, String>,
    seqs: Vec<String>,
    kept: BTreeMap<String, String>,
    whole: Whole,
    constants: Vec<String>,
}

fn db_dir(c: &Cluster, db: &str) -> Result<PathBuf, String> {
    let oid = try_q(
        c,
        "postgres",
        &format!(
            "SELECT oid FROM pg_database WHERE datname = {}",
            literal(db)
        ),
    )?;
    if oid.is_empty() {
        return Err(format!("database {db} does not exist"));
    }
    Ok(c.root.join("data").join("base").join(oid.trim()))
}

/// Scans a result: its pg_dump and its relation files; returns (dump found, files found).
fn scan_result(
    src: &Source,
    n: &Needles,
    c: &Cluster,
    db: &str,
    path: &str,
    report: &mut Report,
) -> usize {
    let dump = src.tmp.path().join(format!("scan-{path}.sql"));
    let mut total = 0;
    match pg_dump(c, db, &dump, &[]) {
        Ok(()) => {
            let found = needles::scan(n, std::slice::from_ref(&dump));
            total += found.len();
            for line in needles::describe(n, &found) {
                report.fail(format!("{path}: pg_dump of the result: {line}"));
            }
            let _ = std::fs::remove_file(&dump);
        }
        Err(e) => report.fail(format!("{path}: pg_dump of the result failed: {e}")),
    }
    if let Err(e) = try_q(c, "postgres", "CHECKPOINT") {
        report.fail(format!("{path}: CHECKPOINT: {e}"));
    }
    match db_dir(c, db) {
        Ok(dir) => {
            let found = needles::scan(n, std::slice::from_ref(&dir));
            total += found.len();
            let rels = relations_of(c, db, &needles::files_holding(&found, &[dir]));
            for line in needles::describe(n, &found) {
                report.fail(format!(
                    "{path}: relation files of the result (in {rels}): {line}"
                ));
            }
        }
        Err(e) => report.fail(format!("{path}: {e}")),
    }
    total
}

/// The relations (tables, indexes, catalogs) whose files these are.
fn relations_of(c: &Cluster, db: &str, files: &[PathBuf]) -> String {
    let mut names = BTreeSet::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let node: String = name.chars().take_while(char::is_ascii_digit).collect();
        let fork = name
            .split_once('_')
            .map(|(_, f)| format!(" ({f})"))
            .unwrap_or_default();
        let rel = if node.is_empty() {
            None
        } else {
            try_q(
                c,
                db,
                &format!("SELECT oid::regclass::text FROM pg_class WHERE pg_relation_filenode(oid) = {node}"),
            )
            .ok()
            .filter(|r| !r.is_empty())
        };
        names.insert(format!("{}{fork}", rel.unwrap_or(name)));
    }
    names.into_iter().collect::<Vec<_>>().join(", ")
}

/// Rows whose masked value is the original (NULL, '', a value that already is its masked
/// form and set values equal to the original left out); word-list fakes may collide by chance,
/// so for them only more than 10% is a failure.
fn unchanged_rows(
    src: &Source,
    exp: &Expected,
    c: &Cluster,
    db: &str,
    path: &str,
    report: &mut Report,
) {
    let got = match src.whole_values(c, db) {
        Ok(g) => g,
        Err(e) => {
            report.fail(format!("{path}: cannot read the masked columns: {e}"));
            return;
        }
    };
    for (table, cols) in &exp.whole {
        let Some(rule) = src
            .entry
            .rules
            .tables
            .iter()
            .find(|r| sql_table(&r.schema, &r.table) == *table)
        else {
            continue;
        };
        for (col, before) in cols {
            let Some(after) = got
                .get(table)
                .and_then(|cs| cs.iter().find(|(c2, _)| c2 == col))
                .map(|(_, m)| m)
            else {
                continue;
            };
            let Some(tr) = rule.transform(col) else {
                continue;
            };
            let (mut eligible, mut same) = (0usize, 0usize);
            for (pk, v) in before {
                let Some(v) = v.as_deref().filter(|v| !v.is_empty()) else {
                    continue;
                };
                if legit_fixed_point(tr, v, &exp.constants) {
                    continue;
                }
                eligible += 1;
                if after.get(pk).and_then(|x| x.as_deref()) == Some(v) {
                    same += 1;
                }
            }
            let limit = if tr.is_fake() { eligible / 10 } else { 0 };
            if same > limit {
                report.fail(format!(
                    "{path}: {}.{}: {same} of {eligible} rows keep their original value",
                    table,
                    sql_ident(col)
                ));
            }
        }
    }
}

/// Whether a transform legitimately maps `v` to itself.
pub fn legit_fixed_point(tr: &Transform, v: &str, constants: &[String]) -> bool {
    match tr {
        Transform::Whole { kind, .. } if kind == "set" => constants.iter().any(|c| c == v),
        _ => tr
            .partial()
            .is_some_and(|(first, ch)| needles::partial_fixed_point(v, first, ch)),
    }
}

fn check_usable(
    src: &Source,
    exp: &Expected,
    c: &Cluster,
    db: &str,
    path: &str,
    report: &mut Report,
) {
    match row_counts(c, db, &src.cat) {
        Ok(rows) => {
            for (t, n) in &exp.rows {
                if rows.get(t) != Some(n) {
                    report.fail(format!(
                        "{path}: {t}: {} rows, the source has {n}",
                        rows.get(t).map_or("no", |s| s)
                    ));
                }
            }
        }
        Err(e) => report.fail(format!("{path}: row counts: {e}")),
    }
    let fks = fk_counts(c, db, &src.cat);
    for (k, v) in &exp.fks {
        if fks.get(k) != Some(v) {
            report.fail(format!(
                "{path}: foreign key {k}: {} child rows join their parent, the source has {v}",
                fks.get(k).map_or("?", |s| s)
            ));
        }
    }
    match sequences(c, db, &src.cat) {
        Ok(s) => {
            let want: BTreeSet<&String> = exp.seqs.iter().collect();
            let got: BTreeSet<&String> = s.iter().collect();
            for w in want.difference(&got) {
                let name = w.split(':').next().unwrap_or("");
                let have = s.iter().find(|x| x.starts_with(&format!("{name}:")));
                report.fail(format!(
                    "{path}: sequence {name}: {} in the result, {w} in the source (name:last_value:is_called)",
                    have.map_or("missing", |h| h.as_str())
                ));
            }
        }
        Err(e) => report.fail(format!("{path}: sequences: {e}")),
    }
    for f in default_key_inserts(c, db, &src.cat) {
        report.fail(format!("{path}: an INSERT with the default key fails: {f}"));
    }
    match checksums(c, db, &src.kept_parts()) {
        Ok(k) => {
            for (t, want) in &exp.kept {
                if k.get(t) != Some(want) {
                    report.fail(format!(
                        "{path}: {t}: kept columns differ from the source (count:md5 {} vs {want})",
                        k.get(t).map_or("missing", |s| s)
                    ));
                }
            }
        }
        Err(e) => report.fail(format!("{path}: kept columns: {e}")),
    }
}

// ---------------------------------------------------------------------------------------------
// The paths.
// ---------------------------------------------------------------------------------------------

fn mask_tool() -> Command {
    let mut c = tool("mask-tool");
    c.env("MASK_SALT", SALT);
    c
}

fn sync_tool() -> Command {
    let mut c = tool("sync-tool");
    c.env("MASK_SALT", SALT);
    c
}

fn backup_tool() -> Command {
    let mut c = tool("backup-tool");
    c.env("MASK_SALT", SALT);
    c
}

/// A plain, unmasked copy of the source (pg_dump | psql).
fn plain_copy(src: &Source, prefix: &str) -> Result<String, String> {
    let db = src.c.create_db(prefix);
    try_file(src.c, &db.name, &src.dump, None).map(|_| db.name)
}

fn run_entry(name: &'static str) {
    let entry = Entry::load(Engine::Pg, name);
    let mut report = Report::new(&format!("pg/{name}"));
    let (c, s) = (cluster(), staging_cluster());
    let db = c.create_db(&format!("corpus_{name}"));
    c.psql_file(&db.name, &entry.schema_sql());
    let tmp = tempfile::tempdir().expect("tempdir");
    let dump = tmp.path().join("source.sql");
    pg_dump(c, &db.name, &dump, &[]).expect("pg_dump of the source");
    let cat = catalog(c, &db.name);
    let src = Source {
        c,
        db: db.name.clone(),
        entry,
        cat,
        tmp,
        dump,
    };
    let rules = src.entry.rules_path.clone();
    let rules_s = rules.to_str().expect("utf8 path").to_string();

    // Originals, less what may legitimately appear anyway.
    let mut n = originals(&src);
    let collected = n.len();
    let kept_script = src.tmp.path().join("kept.sql");
    let mut script = String::new();
    for (_, from, cols) in src.kept_parts() {
        script.push_str(&format!(
            "COPY (SELECT {} FROM {from}) TO STDOUT;\n",
            cols.iter()
                .map(|c| sql_ident(c))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    std::fs::write(&kept_script, script).expect("kept script");
    let kept_data = src.tmp.path().join("kept.txt");
    try_file(c, &src.db, &kept_script, Some(&kept_data)).expect("kept data of the source");
    let schema = src.tmp.path().join("schema.sql");
    pg_dump(c, &src.db, &schema, &["--schema-only"]).expect("schema dump");
    n.exclude_found_in(
        "also in the source's kept columns or schema",
        &[kept_data, schema],
    );
    let leftovers = needles::text_file(src.tmp.path(), "scrub-leftovers.txt", &n.scrub_leftovers);
    n.exclude_found_in(
        "also in what scrub keeps of free text (names, streets, dates)",
        &[leftovers],
    );
    let constants = src.entry.rules.constants();
    n.exclude("a literal of the rules", |k| {
        constants.iter().any(|c| c.contains(k))
    });
    // The catalogs every new database starts with (comments of built-in objects hold words).
    let empty = db_dir(c, "template1").expect("template1");
    n.exclude_found_in(
        "in the files of an empty database (built-in catalogs)",
        &[empty],
    );

    let expected = Expected {
        rows: row_counts(c, &src.db, &src.cat).expect("rows"),
        fks: fk_counts(c, &src.db, &src.cat),
        seqs: sequences(c, &src.db, &src.cat).expect("sequences"),
        kept: checksums(c, &src.db, &src.kept_parts()).expect("kept"),
        whole: src.whole_values(c, &src.db).expect("whole values"),
        constants,
    };

    let keyed = src
        .cat
        .tables
        .iter()
        .filter(|t| t.kind == "r" && t.cols.iter().any(|col| col.seq && t.pk.contains(&col.name)))
        .count();
    report.note(format!(
        "checked per result: {} relations' row counts, {} tables' kept columns, {} foreign-key joins, {} sequences, {keyed} default-key inserts",
        expected.rows.len(),
        expected.kept.len(),
        expected.fks.len(),
        expected.seqs.len()
    ));

    // (a) pg_dump | mask-tool filter | psql.
    let mut results: Vec<(&str, &Cluster, String)> = Vec::new();
    let masked = src.tmp.path().join("filtered.sql");
    let mut f = mask_tool();
    f.args(["filter", "--rules", &rules_s])
        .arg(&src.dump)
        .arg("-o")
        .arg(&masked);
    let out = run(f);
    if out.code != 0 {
        report.fail(format!("filter: mask-tool filter failed: {}", exit(&out)));
    } else {
        let copy = c.create_db("corpus_filter");
        match try_file(c, &copy.name, &masked, None) {
            Ok(()) => results.push(("filter", c, copy.name)),
            Err(e) => report.fail(format!("filter: psql refused the masked dump: {e}")),
        }
    }

    // The word-list fakes' outputs, from the filter result (the reference).
    if let Some((_, rc, rdb)) = results.first() {
        let fakes = fake_outputs(&src, rc, rdb);
        n.exclude(
            "an output of a word-list fake (fake names collide with real ones)",
            |k| fakes.contains(k),
        );
        // "Emma Clark" inside the fake "Emma Clarke": the scan finds the original's bytes in a
        // value the masker wrote.
        n.exclude("contained in an output of a word-list fake", |k| {
            fakes.iter().any(|f| f.len() > k.len() && f.contains(k))
        });
        let mut derived_vals = BTreeSet::new();
        for d in &src.entry.labels.derived {
            if let Some(t) = src.table(&d.0, &d.1) {
                for v in try_q(
                    rc,
                    rdb,
                    &format!(
                        "SELECT DISTINCT replace({c}::text, E'\\n', ' ') FROM {}",
                        t.sql(),
                        c = sql_ident(&d.2)
                    ),
                )
                .unwrap_or_default()
                .lines()
                {
                    derived_vals.insert(v.to_string());
                }
            }
        }
        n.exclude(
            "a derived value of the masked copy (computed from fakes)",
            |k| derived_vals.contains(k),
        );
    }
    report.note(format!(
        "{collected} originals collected, {} scanned for; left out: {:?}",
        n.len(),
        n.excluded
    ));
    let per_col: Vec<String> = n
        .owners_all()
        .iter()
        .map(|o| format!("{o}={}", n.of(o)))
        .collect();
    report.note(format!("originals per column: {}", per_col.join(", ")));
    // Every masked column of the rules must have something to look for (or a reason not to).
    for r in &src.entry.rules.tables {
        for (col, _, tr) in &r.masked {
            let owner = label(&r.schema, &r.table, col);
            let rows = expected
                .rows
                .get(&sql_table(&r.schema, &r.table))
                .map_or("0", |s| s.as_str());
            if n.of(&owner) == 0 && rows != "0" {
                report.note(format!("no original to look for in {owner} ({tr:?})"));
            }
        }
    }

    // (b) plain copy, then mask-tool apply.
    match plain_copy(&src, "corpus_apply") {
        Ok(copy) => {
            // Statistics as autovacuum gathers them on a restored copy within a minute: apply
            // must not leave them (pg_statistic holds column values) behind.
            if let Err(e) = try_q(c, &copy, "ANALYZE") {
                report.fail(format!("apply: ANALYZE of the plain copy: {e}"));
            }
            report.note(
                "apply: the plain copy was ANALYZEd first, as autovacuum does after a restore",
            );
            let mut a = mask_tool();
            a.args(["apply", "--rules", &rules_s, "--db", &c.url(&copy)]);
            let out = run(a);
            if out.code != 0 {
                report.fail(format!("apply: mask-tool apply failed: {}", exit(&out)));
            } else {
                results.push(("apply", c, copy));
            }
        }
        Err(e) => report.fail(format!("apply: plain copy failed: {e}")),
    }

    // (c), (d) sync-tool run to the staging cluster, serial and --jobs 2. Kept columns that lint
    // wrongly calls personal would make sync refuse the rules: they are a lint defect (reported
    // by the lint test); here they are accepted knowingly so that the copy itself is tested.
    let allow = super::lint::false_alarms(&src.entry, &c.url(&src.db));
    if !allow.is_empty() {
        report.note(format!(
            "sync runs with --allow-unmasked for lint's false alarms: {}",
            allow.join(", ")
        ));
    }
    for (path, jobs) in [("sync", None), ("sync --jobs 2", Some("2"))] {
        let target = s.create_db("corpus_staging");
        let mut r = sync_tool();
        r.args([
            "run",
            "--yes",
            "--from",
            &c.url(&src.db),
            "--to",
            &s.url(&target.name),
            "--rules",
            &rules_s,
        ]);
        if let Some(j) = jobs {
            r.args(["--jobs", j]);
        }
        for a in &allow {
            r.args(["--allow-unmasked", a]);
        }
        let out = run(r);
        if out.code == 0 {
            results.push((path, s, target.name));
            continue;
        }
        report.fail(format!("{path}: sync-tool run failed: {}", exit(&out)));
    }

    // (e) backup-tool backup, then restore --mask into a new database.
    let bdir = src.tmp.path().join("backups");
    let mut b = backup_tool();
    b.args(["backup", "--db", &c.url(&src.db), "--dir"])
        .arg(&bdir);
    let out = run(b);
    if out.code != 0 {
        report.fail(format!(
            "restore --mask: backup-tool backup failed: {}",
            exit(&out)
        ));
    } else {
        let file = out.stdout.trim().to_string();
        let target = c.fresh_name("corpus_restored");
        let mut r = backup_tool();
        r.args([
            "restore",
            &file,
            "--db",
            &c.url(&target),
            "--create",
            "--mask",
            &rules_s,
        ]);
        let out = run(r);
        if out.code != 0 {
            report.fail(format!(
                "restore --mask: backup-tool restore failed: {}",
                exit(&out)
            ));
        } else {
            results.push(("restore --mask", c, target));
        }
    }

    // Every result: no original in any byte; usable; the same deterministic data.
    let det_parts = src.deterministic_parts();
    let mut reference: Option<BTreeMap<String, String>> = None;
    let mut survivors = Vec::new();
    for (path, rc, rdb) in &results {
        let found = scan_result(&src, &n, rc, rdb, path, &mut report);
        survivors.push(format!("{path}={found}"));
        unchanged_rows(&src, &expected, rc, rdb, path, &mut report);
        check_usable(&src, &expected, rc, rdb, path, &mut report);
        match checksums(rc, rdb, &det_parts) {
            Ok(sums) => match &reference {
                None => reference = Some(sums),
                Some(r0) => {
                    for (t, v) in r0 {
                        if sums.get(t) != Some(v) {
                            report.fail(format!(
                                "{path}: {t}: deterministic columns (all but random_hash) differ from the filter result"
                            ));
                        }
                    }
                }
            },
            Err(e) => report.fail(format!("{path}: {e}")),
        }
    }
    report.note(format!(
        "distinct originals found per path: {}",
        survivors.join(", ")
    ));

    // The tools' leak checks: no false alarm on a masked copy, an alarm on unmasked ones.
    leak_checks(&src, &results, &mut report);
    report.finish();
}

fn leak_checks(src: &Source, results: &[(&str, &Cluster, String)], report: &mut Report) {
    let c = src.c;
    let rules_s = src.entry.rules_path.to_str().expect("utf8").to_string();
    let check = |to: &str, report: &mut Report, what: &str, want: i32| {
        let mut l = mask_tool();
        l.args([
            "leaks",
            "--json",
            "--rules",
            &rules_s,
            "--from",
            &c.url(&src.db),
            "--to",
            to,
        ]);
        let out = run(l);
        honest(&out, &format!("mask-tool leaks on {what}"), report);
        if out.code != want {
            report.fail(format!(
                "mask-tool leaks on {what}: exit {} (want {want}); reported: {}",
                out.code,
                leak_summary(&out.stdout)
            ));
        }
        let mut v = sync_tool();
        v.args([
            "verify",
            "--json",
            "--from",
            &c.url(&src.db),
            "--to",
            to,
            "--rules",
            &rules_s,
        ]);
        let out = run(v);
        honest(&out, &format!("sync-tool verify on {what}"), report);
        if out.code != want {
            report.fail(format!(
                "sync-tool verify on {what}: exit {} (want {want}); problems: {} {}",
                out.code,
                problems(&out.stdout),
                out.stderr
                    .lines()
                    .rev()
                    .take(1)
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
    };
    if let Some((_, rc, rdb)) = results.iter().find(|(p, _, _)| *p == "filter") {
        check(&rc.url(rdb), report, "the filter result (masked)", 0);
    }
    match plain_copy(src, "corpus_unmasked") {
        Ok(plain) => check(&c.url(&plain), report, "an unmasked copy", 3),
        Err(e) => report.fail(format!("plain copy: {e}")),
    }
    // Half-masked: only the first whole-value masked column is masked.
    let Some(only) = src
        .entry
        .rules
        .tables
        .iter()
        .enumerate()
        .find_map(|(ti, t)| {
            t.masked
                .iter()
                .position(|(_, _, tr)| matches!(tr, Transform::Whole { .. }))
                .map(|ci| (ti, ci))
        })
    else {
        return;
    };
    let half_rules = src.tmp.path().join("half.toml");
    std::fs::write(&half_rules, src.entry.rules.only_one_masked(only)).expect("half rules");
    match plain_copy(src, "corpus_half") {
        Ok(half) => {
            let mut a = mask_tool();
            a.args(["apply", "--rules"])
                .arg(&half_rules)
                .args(["--db", &c.url(&half)]);
            let out = run(a);
            if out.code != 0 {
                report.fail(format!(
                    "half-masked copy: apply of one column failed: {}",
                    exit(&out)
                ));
            } else {
                check(
                    &c.url(&half),
                    report,
                    "a half-masked copy (one column masked)",
                    3,
                );
            }
        }
        Err(e) => report.fail(format!("half copy: {e}")),
    }
}

/// Columns and counts a leak report names, without values.
fn leak_summary(stdout: &str) -> String {
    let Ok(j) = serde_json::from_str::<serde_json::Value>(stdout) else {
        return stdout.lines().take(3).collect::<Vec<_>>().join(" ");
    };
    let leaks = j
        .get("leaks")
        .and_then(|l| {
            if l.is_array() {
                Some(l)
            } else {
                l.get("leaks")
            }
        })
        .and_then(|l| l.as_array());
    match leaks {
        Some(l) => l
            .iter()
            .map(|x| {
                format!(
                    "{}.{} {}/{}",
                    x["table"].as_str().unwrap_or("?"),
                    x["column"].as_str().unwrap_or("?"),
                    x["found"],
                    x["checked"]
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        None => j.to_string().chars().take(300).collect(),
    }
}

/// The problems a verify report lists.
fn problems(stdout: &str) -> String {
    serde_json::from_str::<serde_json::Value>(stdout)
        .ok()
        .and_then(|j| {
            j.get("problems").and_then(|p| p.as_array()).map(|p| {
                p.iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        })
        .unwrap_or_default()
}

/// A leak report never says it found more than it checked, and carries no value.
pub fn honest(out: &Output, what: &str, report: &mut Report) {
    let Ok(j) = serde_json::from_str::<serde_json::Value>(&out.stdout) else {
        if !out.stdout.trim().is_empty() {
            report.fail(format!("{what}: --json output is not JSON"));
        }
        return;
    };
    let mut stack = vec![&j];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(o) => {
                if let (Some(f), Some(c)) = (
                    o.get("found").and_then(|x| x.as_u64()),
                    o.get("checked").and_then(|x| x.as_u64()),
                ) {
                    if f > c || c == 0 {
                        report.fail(format!(
                            "{what}: a leak entry says found {f} of {c} checked"
                        ));
                    }
                }
                stack.extend(o.values());
            }
            serde_json::Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
}

#[test]
fn corpus_pg_prisma_events_every_path_leaves_no_original() {
    run_entry("prisma_events");
}

#[test]
fn corpus_pg_rails_shop_every_path_leaves_no_original() {
    run_entry("rails_shop");
}

#[test]
fn corpus_pg_django_clinic_every_path_leaves_no_original() {
    run_entry("django_clinic");
}

#[test]
fn corpus_pg_pagila_every_path_leaves_no_original() {
    run_entry("pagila");
}

#[test]
fn corpus_pg_saas_multischema_every_path_leaves_no_original() {
    run_entry("saas_multischema");
}

#[test]
fn corpus_pg_laravel_crm_every_path_leaves_no_original() {
    run_entry("laravel_crm");
}

#[test]
fn corpus_pg_healthcare_fhirish_every_path_leaves_no_original() {
    run_entry("healthcare_fhirish");
}

#[test]
fn corpus_pg_wordpress_port_every_path_leaves_no_original() {
    run_entry("wordpress_port");
}

#[test]
fn corpus_pg_go_fintech_every_path_leaves_no_original() {
    run_entry("go_fintech");
}

/// Loads an entry into a fresh database of the shared cluster (for the lint test).
pub fn load_source(entry: &Entry) -> (String, Vec<TableCols>) {
    let c = cluster();
    let db = c.create_db(&format!("corpus_lint_{}", entry.name));
    c.psql_file(&db.name, &entry.schema_sql());
    let cat = catalog(c, &db.name);
    let tables = cat
        .tables
        .iter()
        .filter(|t| t.kind == "r")
        .map(|t| {
            (
                t.schema.clone(),
                t.name.clone(),
                t.data_cols().iter().map(|c| c.name.clone()).collect(),
            )
        })
        .collect();
    (c.url(&db.name), tables)
}
