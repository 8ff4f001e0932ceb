//! SQLite entries through apply, sync, backup + `restore --mask` and sync `--keep-dump`, each
//! result scanned byte by byte (the file and any journal beside it) and checked for use.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rusqlite::types::Value as Sv;
use tests::{run, tool, Output};

use super::model::{col_label, sql_ident, ByKey, Engine, Entry, TableCols, Transform, SALT};

/// Per table, per whole-value masked column: values by row key.
type Whole = BTreeMap<String, BTreeMap<String, ByKey>>;
/// A foreign key: parent table, (child column, parent column).
type FkCols = (String, Vec<(String, Option<String>)>);
use super::needles::{self, Needles};
use super::pg::add_original;
use super::Report;

struct Table {
    name: String,
    kind: String,
    /// (name, generated)
    cols: Vec<(String, bool)>,
    pk: Vec<String>,
    rowid_key: Option<String>,
}

impl Table {
    fn data_cols(&self) -> Vec<String> {
        self.cols
            .iter()
            .filter(|c| !c.1)
            .map(|c| c.0.clone())
            .collect()
    }
}

fn open(path: &Path) -> Result<rusqlite::Connection, String> {
    rusqlite::Connection::open(path).map_err(|e| format!("open {}: {e}", path.display()))
}

fn text_of(v: Sv) -> Option<String> {
    match v {
        Sv::Null | Sv::Blob(_) => None,
        Sv::Integer(i) => Some(i.to_string()),
        Sv::Real(f) => Some(f.to_string()),
        Sv::Text(s) => Some(s),
    }
}

fn rows(conn: &rusqlite::Connection, sql: &str) -> Result<Vec<Vec<Sv>>, String> {
    let mut st = conn.prepare(sql).map_err(|e| format!("{e}: {sql}"))?;
    let n = st.column_count();
    let r = st
        .query_map([], |r| {
            (0..n)
                .map(|i| r.get::<_, Sv>(i))
                .collect::<Result<Vec<_>, _>>()
        })
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("{e}: {sql}"));
    r
}

fn tables(conn: &rusqlite::Connection) -> Vec<Table> {
    let names = rows(
        conn,
        "SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .expect("table list");
    let mut out = Vec::new();
    for r in names {
        let name = text_of(r[0].clone()).unwrap_or_default();
        let kind = text_of(r[1].clone()).unwrap_or_default();
        let info =
            rows(conn, &format!("PRAGMA table_xinfo({})", sql_ident(&name))).expect("table_xinfo");
        let mut cols = Vec::new();
        let mut pk: Vec<(i64, String)> = Vec::new();
        let mut int_pk = false;
        for c in &info {
            let cname = text_of(c[1].clone()).unwrap_or_default();
            let ty = text_of(c[2].clone()).unwrap_or_default();
            let pkn = match c[5] {
                Sv::Integer(i) => i,
                _ => 0,
            };
            let hidden = match c[6] {
                Sv::Integer(i) => i,
                _ => 0,
            };
            if hidden == 1 {
                continue;
            }
            if pkn > 0 {
                pk.push((pkn, cname.clone()));
                int_pk = ty.eq_ignore_ascii_case("INTEGER");
            }
            cols.push((cname, hidden == 2 || hidden == 3));
        }
        pk.sort();
        let pk: Vec<String> = pk.into_iter().map(|(_, n)| n).collect();
        let without_rowid = rows(
            conn,
            &format!(
                "SELECT sql FROM sqlite_schema WHERE name = '{}'",
                name.replace('\'', "''")
            ),
        )
        .ok()
        .and_then(|r| r.into_iter().next())
        .and_then(|r| text_of(r[0].clone()))
        .is_some_and(|s| s.to_uppercase().contains("WITHOUT ROWID"));
        let rowid_key =
            (pk.len() == 1 && int_pk && !without_rowid && kind == "table").then(|| pk[0].clone());
        out.push(Table {
            name,
            kind,
            cols,
            pk,
            rowid_key,
        });
    }
    out
}

fn label(table: &str, col: &str) -> String {
    col_label(&("main".to_string(), table.to_string(), col.to_string()))
}

fn cols_sql(cols: &[String]) -> String {
    cols.iter()
        .map(|c| sql_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Src {
    entry: Entry,
    path: PathBuf,
    tables: Vec<Table>,
    tmp: tempfile::TempDir,
}

impl Src {
    fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Row key of a table for row-by-row comparisons.
    fn key_sql(&self, t: &Table) -> Option<String> {
        if t.kind != "table" {
            return Some("rowid".into());
        }
        if t.pk.is_empty() {
            return None;
        }
        Some(
            t.pk.iter()
                .map(|k| format!("quote({})", sql_ident(k)))
                .collect::<Vec<_>>()
                .join(" || '|' || "),
        )
    }
}

fn load(entry: Entry) -> Src {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("source.db");
    let schema = std::fs::File::open(entry.schema_sql()).expect("schema.sql");
    let out = Command::new("sqlite3")
        .arg(&path)
        .stdin(schema)
        .stdout(Stdio::null())
        .output()
        .expect("run sqlite3 (the corpus loads with the sqlite3 program)");
    assert!(
        out.status.success(),
        "sqlite3 < schema.sql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = open(&path).expect("open source");
    let tables = tables(&conn);
    drop(conn);
    Src {
        entry,
        path,
        tables,
        tmp,
    }
}

fn originals(src: &Src) -> Needles {
    let conn = open(&src.path).expect("source");
    let mut n = Needles::default();
    for r in &src.entry.rules.tables {
        let Some(_) = src.table(&r.table) else {
            panic!(
                "{}: rules name {} which the source does not have",
                src.entry.name, r.key
            );
        };
        if r.masked.is_empty() {
            continue;
        }
        let cols: Vec<String> = r.masked.iter().map(|(c, _, _)| c.clone()).collect();
        for row in rows(
            &conn,
            &format!("SELECT {} FROM {}", cols_sql(&cols), sql_ident(&r.table)),
        )
        .expect("rows")
        {
            for (i, (col, _, tr)) in r.masked.iter().enumerate() {
                if let Some(v) = text_of(row[i].clone()) {
                    add_original(&mut n, &label(&r.table, col), &v, tr);
                }
            }
        }
    }
    for d in &src.entry.labels.derived {
        let owner = format!("derived {}", col_label(d));
        match rows(
            &conn,
            &format!(
                "SELECT DISTINCT {} FROM {}",
                sql_ident(&d.2),
                sql_ident(&d.1)
            ),
        ) {
            Ok(rs) => {
                for r in rs {
                    if let Some(v) = text_of(r[0].clone()) {
                        n.add(&owner, &v);
                    }
                }
            }
            Err(e) => panic!("{}: derived_pii {}: {e}", src.entry.name, col_label(d)),
        }
    }
    n
}

/// Terms of every full-text table's index that no current row holds: what the index kept of
/// values that are gone (the originals, in a masked copy). Counted per table.
fn stale_fts_terms(path: &Path) -> Result<BTreeMap<String, usize>, String> {
    let conn = open(path)?;
    let fts = rows(
        &conn,
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'",
    )?;
    let mut out = BTreeMap::new();
    for r in fts {
        let name = text_of(r[0].clone()).unwrap_or_default();
        let sql = text_of(r[1].clone()).unwrap_or_default();
        conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE temp.corpus_vocab USING fts5vocab(main, {}, 'row')",
            sql_ident(&name)
        ))
        .map_err(|e| e.to_string())?;
        let indexed: BTreeSet<String> = rows(&conn, "SELECT term FROM temp.corpus_vocab")?
            .into_iter()
            .filter_map(|r| text_of(r[0].clone()))
            .collect();
        conn.execute_batch("DROP TABLE temp.corpus_vocab")
            .map_err(|e| e.to_string())?;
        // The same definition, fresh, over the rows the table holds now.
        let fresh_sql = sql
            .replacen(
                &format!("CREATE VIRTUAL TABLE {name}"),
                "CREATE VIRTUAL TABLE temp.corpus_fresh",
                1,
            )
            .replacen(
                &format!("CREATE VIRTUAL TABLE \"{name}\""),
                "CREATE VIRTUAL TABLE temp.corpus_fresh",
                1,
            );
        if !fresh_sql.contains("corpus_fresh") {
            return Err(format!("cannot rewrite the definition of {name}"));
        }
        let cols: Vec<String> = rows(&conn, &format!("PRAGMA table_info({})", sql_ident(&name)))?
            .into_iter()
            .filter_map(|r| text_of(r[1].clone()))
            .collect();
        conn.execute_batch(&fresh_sql)
            .map_err(|e| format!("{e}: {fresh_sql}"))?;
        conn.execute_batch(&format!(
            "INSERT INTO temp.corpus_fresh (rowid, {c}) SELECT rowid, {c} FROM {t}; \
             CREATE VIRTUAL TABLE temp.corpus_fresh_vocab USING fts5vocab(temp, corpus_fresh, 'row');",
            c = cols_sql(&cols),
            t = sql_ident(&name)
        ))
        .map_err(|e| e.to_string())?;
        let current: BTreeSet<String> = rows(&conn, "SELECT term FROM temp.corpus_fresh_vocab")?
            .into_iter()
            .filter_map(|r| text_of(r[0].clone()))
            .collect();
        out.insert(name, indexed.difference(&current).count());
    }
    Ok(out)
}

/// Every file of the folder a result lives in (each result has a folder of its own): the file,
/// its journal or write-ahead log, and anything a run left beside it.
fn files_of(path: &Path) -> Vec<PathBuf> {
    vec![path.parent().unwrap_or(path).to_path_buf()]
}

/// A new, empty folder for one result.
fn own_dir(dir: &Path, name: &str) -> PathBuf {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).expect("result folder");
    d
}

struct Expected {
    counts: BTreeMap<String, i64>,
    fks: BTreeMap<String, i64>,
    seqs: Vec<Vec<Sv>>,
    kept: BTreeMap<String, Vec<String>>,
    whole: Whole,
    constants: Vec<String>,
}

fn count_rows(path: &Path, src: &Src) -> Result<BTreeMap<String, i64>, String> {
    let conn = open(path)?;
    let mut out = BTreeMap::new();
    for t in &src.tables {
        let r = rows(
            &conn,
            &format!("SELECT count(*) FROM {}", sql_ident(&t.name)),
        )?;
        out.insert(
            t.name.clone(),
            match r[0][0] {
                Sv::Integer(i) => i,
                _ => -1,
            },
        );
    }
    Ok(out)
}

fn fk_counts(path: &Path, src: &Src) -> Result<BTreeMap<String, i64>, String> {
    let conn = open(path)?;
    let mut out = BTreeMap::new();
    for t in src.tables.iter().filter(|t| t.kind == "table") {
        let fks = rows(
            &conn,
            &format!(
                "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list({})",
                sql_literal(&t.name)
            ),
        )?;
        let mut by_id: BTreeMap<i64, FkCols> = BTreeMap::new();
        for f in fks {
            let id = match f[0] {
                Sv::Integer(i) => i,
                _ => 0,
            };
            let e = by_id
                .entry(id)
                .or_insert_with(|| (text_of(f[1].clone()).unwrap_or_default(), Vec::new()));
            e.1.push((
                text_of(f[2].clone()).unwrap_or_default(),
                text_of(f[3].clone()),
            ));
        }
        for (id, (parent, pairs)) in by_id {
            let ppk = src.table(&parent).map(|p| p.pk.clone()).unwrap_or_default();
            let on: Vec<String> = pairs
                .iter()
                .enumerate()
                .map(|(i, (from, to))| {
                    let to = to
                        .clone()
                        .or_else(|| ppk.get(i).cloned())
                        .unwrap_or_else(|| "rowid".into());
                    format!("c.{} = p.{}", sql_ident(from), sql_ident(&to))
                })
                .collect();
            let sql = format!(
                "SELECT count(*) FROM {} c JOIN {} p ON {}",
                sql_ident(&t.name),
                sql_ident(&parent),
                on.join(" AND ")
            );
            let r = rows(&conn, &sql)?;
            out.insert(
                format!("{}#{id}->{parent}", t.name),
                match r[0][0] {
                    Sv::Integer(i) => i,
                    _ => -1,
                },
            );
        }
    }
    Ok(out)
}

fn sql_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn seqs(path: &Path) -> Result<Vec<Vec<Sv>>, String> {
    let conn = open(path)?;
    let has = rows(
        &conn,
        "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'",
    )?;
    if matches!(has[0][0], Sv::Integer(0)) {
        return Ok(Vec::new());
    }
    rows(&conn, "SELECT name, seq FROM sqlite_sequence ORDER BY name")
}

/// Sorted row texts of `cols` per table.
fn table_rows(
    path: &Path,
    parts: &[(String, Vec<String>)],
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let conn = open(path)?;
    let mut out = BTreeMap::new();
    for (t, cols) in parts {
        if cols.is_empty() {
            continue;
        }
        let mut v: Vec<String> = rows(
            &conn,
            &format!("SELECT {} FROM {}", cols_sql(cols), sql_ident(t)),
        )?
        .into_iter()
        .map(|r| format!("{r:?}"))
        .collect();
        v.sort();
        out.insert(t.clone(), v);
    }
    Ok(out)
}

fn whole_values(src: &Src, path: &Path) -> Result<Whole, String> {
    let conn = open(path)?;
    let mut out = BTreeMap::new();
    for r in &src.entry.rules.tables {
        let Some(t) = src.table(&r.table) else {
            continue;
        };
        let Some(key) = src.key_sql(t) else { continue };
        let cols: Vec<String> = r
            .masked
            .iter()
            .filter(|(_, _, tr)| matches!(tr, Transform::Whole { .. }))
            .map(|(c, _, _)| c.clone())
            .collect();
        if cols.is_empty() {
            continue;
        }
        let mut per: BTreeMap<String, ByKey> = BTreeMap::new();
        for row in rows(
            &conn,
            &format!(
                "SELECT {key}, {} FROM {}",
                cols_sql(&cols),
                sql_ident(&t.name)
            ),
        )? {
            let k = text_of(row[0].clone()).unwrap_or_default();
            for (i, c) in cols.iter().enumerate() {
                per.entry(c.clone())
                    .or_default()
                    .insert(k.clone(), text_of(row[i + 1].clone()));
            }
        }
        out.insert(t.name.clone(), per);
    }
    Ok(out)
}

/// Inserts (and rolls back) a copy of the first row without its key into every table whose
/// key is the rowid: only the generated key could collide.
fn default_key_inserts(path: &Path, src: &Src) -> Vec<String> {
    let mut failures = Vec::new();
    let conn = match open(path) {
        Ok(c) => c,
        Err(e) => return vec![e],
    };
    // Only the key is on trial: the row taken out must not cascade or fail a reference.
    if let Err(e) = conn.execute_batch("PRAGMA foreign_keys = OFF") {
        return vec![e.to_string()];
    }
    for t in &src.tables {
        let Some(key) = &t.rowid_key else { continue };
        let cols: Vec<String> = t.data_cols().into_iter().filter(|c| c != key).collect();
        let sql = format!(
            "SAVEPOINT corpus_probe;
             CREATE TEMP TABLE corpus_row AS SELECT rowid AS corpus_rowid, * FROM {t} LIMIT 1;
             DELETE FROM {t} WHERE rowid = (SELECT corpus_rowid FROM corpus_row);
             INSERT INTO {t} ({c}) SELECT {c} FROM corpus_row;",
            t = sql_ident(&t.name),
            c = cols_sql(&cols)
        );
        if let Err(e) = conn.execute_batch(&sql) {
            failures.push(format!("{}: {e}", t.name));
        }
        let _ = conn.execute_batch(
            "ROLLBACK TO corpus_probe; RELEASE corpus_probe; DROP TABLE IF EXISTS temp.corpus_row;",
        );
    }
    failures
}

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

fn p(path: &Path) -> &str {
    path.to_str().expect("utf8 path")
}

fn run_entry(name: &'static str) {
    let entry = Entry::load(Engine::Sqlite, name);
    let mut report = Report::new(&format!("sqlite/{name}"));
    let src = load(entry);
    let rules = src.entry.rules_path.clone();
    let dir = src.tmp.path().to_path_buf();

    let mut n = originals(&src);
    let collected = n.len();
    // What may legitimately appear: kept data and the schema of the source, literals of the rules.
    let kept_parts: Vec<(String, Vec<String>)> = src
        .entry
        .rules
        .tables
        .iter()
        .map(|r| (r.table.clone(), r.keep.clone()))
        .collect();
    let kept = table_rows(&src.path, &kept_parts).expect("kept rows");
    let mut kept_text = String::new();
    for v in kept.values() {
        for r in v {
            kept_text.push_str(r);
            kept_text.push('\n');
        }
    }
    {
        let conn = open(&src.path).expect("source");
        for r in rows(&conn, "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL").expect("schema")
        {
            kept_text.push_str(&text_of(r[0].clone()).unwrap_or_default());
            kept_text.push('\n');
        }
    }
    let kept_file = needles::text_file(&dir, "kept.txt", &kept_text);
    n.exclude_found_in("also in the source's kept columns or schema", &[kept_file]);
    let leftovers = needles::text_file(&dir, "scrub-leftovers.txt", &n.scrub_leftovers);
    n.exclude_found_in(
        "also in what scrub keeps of free text (names, streets, dates)",
        &[leftovers],
    );
    let constants = src.entry.rules.constants();
    n.exclude("a literal of the rules", |k| {
        constants.iter().any(|c| c.contains(k))
    });

    let expected = Expected {
        counts: count_rows(&src.path, &src).expect("counts"),
        fks: fk_counts(&src.path, &src).expect("fks"),
        seqs: seqs(&src.path).expect("seqs"),
        kept,
        whole: whole_values(&src, &src.path).expect("whole"),
        constants,
    };
    let f = default_key_inserts(&src.path, &src);
    assert!(
        f.is_empty(),
        "the source itself refuses a default-key insert: {f:?}"
    );
    assert_eq!(
        seqs(&src.path).expect("seqs"),
        expected.seqs,
        "the probe changed the source"
    );

    report.note(format!(
        "checked per result: {} tables' row counts, {} tables' kept columns, {} foreign-key joins, {} sqlite_sequence rows, {} default-key inserts, full-text index terms",
        expected.counts.len(),
        expected.kept.len(),
        expected.fks.len(),
        expected.seqs.len(),
        src.tables.iter().filter(|t| t.rowid_key.is_some()).count()
    ));
    let mut results: Vec<(&str, PathBuf)> = Vec::new();
    // apply on a copy.
    let applied = own_dir(&dir, "apply").join("applied.db");
    std::fs::copy(&src.path, &applied).expect("copy");
    let mut a = mask_tool();
    a.args(["apply", "--rules"])
        .arg(&rules)
        .args(["--db", p(&applied)]);
    let out = run(a);
    if out.code != 0 {
        report.fail(format!("apply: mask-tool apply failed: {}", exit(&out)));
    } else {
        results.push(("apply", applied.clone()));
    }
    // The word-list fakes' outputs, from the apply result (the reference).
    if let Some((_, reference)) = results.first() {
        let conn = open(reference).expect("reference");
        let mut fakes = BTreeSet::new();
        let mut derived_vals = BTreeSet::new();
        for r in &src.entry.rules.tables {
            for (col, _, tr) in &r.masked {
                let json_fake =
                    matches!(tr, Transform::Json(ps) if ps.iter().any(|(_, t)| t.is_fake()));
                if !tr.is_fake() && !json_fake {
                    continue;
                }
                for row in rows(
                    &conn,
                    &format!(
                        "SELECT DISTINCT {} FROM {}",
                        sql_ident(col),
                        sql_ident(&r.table)
                    ),
                )
                .unwrap_or_default()
                {
                    let Some(v) = text_of(row[0].clone()) else {
                        continue;
                    };
                    let mut vals = Vec::new();
                    if let Transform::Json(ps) = tr {
                        if let Ok(doc) = serde_json::from_str::<serde_json::Value>(&v) {
                            for (path, _) in ps.iter().filter(|(_, t)| t.is_fake()) {
                                for at in needles::json_at(&doc, path) {
                                    needles::json_strings(at, &mut vals);
                                }
                            }
                        }
                    } else {
                        vals.push(v);
                    }
                    for v in vals {
                        for w in v.split_whitespace() {
                            fakes.insert(w.to_string());
                        }
                        fakes.insert(v);
                    }
                }
            }
        }
        for d in &src.entry.labels.derived {
            for row in rows(
                &conn,
                &format!(
                    "SELECT DISTINCT {} FROM {}",
                    sql_ident(&d.2),
                    sql_ident(&d.1)
                ),
            )
            .unwrap_or_default()
            {
                if let Some(v) = text_of(row[0].clone()) {
                    derived_vals.insert(v);
                }
            }
        }
        n.exclude(
            "an output of a word-list fake (fake names collide with real ones)",
            |k| fakes.contains(k),
        );
        // "Emma Clark" inside the fake "Emma Clarke": the scan finds the original's bytes in a
        // value the masker wrote.
        n.exclude("contained in an output of a word-list fake", |k| {
            fakes.iter().any(|f| f.len() > k.len() && f.contains(k))
        });
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

    // sync file to file (lint's false alarms accepted knowingly, as in the PostgreSQL test).
    let allow = super::lint::false_alarms(&src.entry, p(&src.path));
    if !allow.is_empty() {
        report.note(format!(
            "sync runs with --allow-unmasked for lint's false alarms: {}",
            allow.join(", ")
        ));
    }
    let synced = own_dir(&dir, "sync").join("synced.db");
    let mut s = sync_tool();
    s.args([
        "run",
        "--yes",
        "--from",
        p(&src.path),
        "--to",
        p(&synced),
        "--rules",
    ])
    .arg(&rules);
    for a in &allow {
        s.args(["--allow-unmasked", a]);
    }
    let out = run(s);
    if out.code != 0 {
        report.fail(format!("sync: sync-tool run failed: {}", exit(&out)));
    } else {
        results.push(("sync", synced));
    }
    // backup, then restore --mask.
    let bdir = dir.join("backups");
    let mut b = tool("backup-tool");
    b.env("MASK_SALT", SALT)
        .args(["backup", "--db", p(&src.path), "--dir", p(&bdir)]);
    let out = run(b);
    if out.code != 0 {
        report.fail(format!(
            "restore --mask: backup-tool backup failed: {}",
            exit(&out)
        ));
    } else {
        let restored = own_dir(&dir, "restore").join("restored.db");
        let mut r = tool("backup-tool");
        r.env("MASK_SALT", SALT)
            .args([
                "restore",
                out.stdout.trim(),
                "--db",
                p(&restored),
                "--create",
                "--mask",
            ])
            .arg(&rules);
        let out = run(r);
        if out.code != 0 {
            report.fail(format!(
                "restore --mask: backup-tool restore failed: {}",
                exit(&out)
            ));
        } else {
            results.push(("restore --mask", restored));
        }
    }
    // sync --keep-dump: the kept masked dump is scanned as well.
    let kdir = own_dir(&dir, "kept-dumps");
    let synced2 = own_dir(&dir, "sync-keep").join("synced-kept.db");
    let mut s = sync_tool();
    s.args([
        "run",
        "--yes",
        "--json",
        "--from",
        p(&src.path),
        "--to",
        p(&synced2),
        "--rules",
    ])
    .arg(&rules)
    .args(["--keep-dump", p(&kdir)]);
    for a in &allow {
        s.args(["--allow-unmasked", a]);
    }
    let out = run(s);
    if out.code != 0 {
        report.fail(format!(
            "sync --keep-dump: sync-tool run failed: {}",
            exit(&out)
        ));
    } else {
        results.push(("sync --keep-dump (target)", synced2));
        let kept_files: Vec<PathBuf> = std::fs::read_dir(&kdir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        let name = p
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        p.is_file() && !name.starts_with('.') && !name.ends_with(".manifest.json")
                    })
                    .collect()
            })
            .unwrap_or_default();
        if kept_files.is_empty() {
            report.fail("sync --keep-dump: no dump kept");
        }
        for (i, k) in kept_files.iter().enumerate() {
            let plain = own_dir(&dir, &format!("kept-dump-{i}")).join("kept-dump.db");
            match decompress(k, &plain) {
                Ok(()) => results.push(("sync --keep-dump (kept dump)", plain)),
                Err(e) => report.fail(format!(
                    "sync --keep-dump: cannot decompress {}: {e}",
                    k.display()
                )),
            }
        }
    }

    let det_parts: Vec<(String, Vec<String>)> = src
        .tables
        .iter()
        .map(|t| {
            let rule = src.entry.rules.table("main", &t.name);
            (
                t.name.clone(),
                t.cols
                    .iter()
                    .filter(|(c, _)| {
                        !rule
                            .and_then(|r| r.transform(c))
                            .is_some_and(Transform::is_random)
                    })
                    .map(|(c, _)| c.clone())
                    .collect(),
            )
        })
        .collect();
    let mut reference: Option<BTreeMap<String, Vec<String>>> = None;
    let mut survivors = Vec::new();
    for (path, file) in &results {
        let found = needles::scan(&n, &files_of(file));
        survivors.push(format!("{path}={}", found.len()));
        for line in needles::describe(&n, &found) {
            report.fail(format!("{path}: bytes of the file: {line}"));
        }
        match stale_fts_terms(file) {
            Ok(m) => {
                for (t, k) in m {
                    if k > 0 {
                        report.fail(format!("{path}: full-text index {t} holds {k} terms no current row has (terms of the original values)"));
                    }
                }
            }
            Err(e) => report.fail(format!("{path}: full-text index check: {e}")),
        }
        check(&src, &expected, file, path, &mut report);
        match table_rows(file, &det_parts) {
            Ok(sums) => match &reference {
                None => reference = Some(sums),
                Some(r0) => {
                    for (t, v) in r0 {
                        if sums.get(t) != Some(v) {
                            report.fail(format!("{path}: {t}: deterministic columns (all but random_hash) differ from the apply result"));
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

    leak_checks(&src, &results, &mut report);
    report.finish();
}

fn decompress(from: &Path, to: &Path) -> Result<(), String> {
    let name = from.to_string_lossy();
    let f = std::fs::File::open(from).map_err(|e| e.to_string())?;
    let mut out = std::fs::File::create(to).map_err(|e| e.to_string())?;
    if name.ends_with(".gz") {
        let mut d = flate2::read::MultiGzDecoder::new(f);
        std::io::copy(&mut d, &mut out).map_err(|e| e.to_string())?;
    } else if name.ends_with(".zst") {
        drop(out);
        let st = Command::new("zstd")
            .args(["-d", "-q", "-f", "-o"])
            .arg(to)
            .arg(from)
            .status()
            .map_err(|e| e.to_string())?;
        if !st.success() {
            return Err("zstd -d failed".into());
        }
    } else {
        let mut f = f;
        std::io::copy(&mut f, &mut out).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn check(src: &Src, exp: &Expected, file: &Path, path: &str, report: &mut Report) {
    match count_rows(file, src) {
        Ok(c) => {
            for (t, n) in &exp.counts {
                if c.get(t) != Some(n) {
                    report.fail(format!(
                        "{path}: {t}: {:?} rows, the source has {n}",
                        c.get(t)
                    ));
                }
            }
        }
        Err(e) => report.fail(format!("{path}: row counts: {e}")),
    }
    match fk_counts(file, src) {
        Ok(c) => {
            for (k, n) in &exp.fks {
                if c.get(k) != Some(n) {
                    report.fail(format!("{path}: foreign key {k}: {:?} child rows join their parent, the source has {n}", c.get(k)));
                }
            }
        }
        Err(e) => report.fail(format!("{path}: join counts: {e}")),
    }
    match seqs(file) {
        Ok(s) => {
            if s != exp.seqs {
                report.fail(format!(
                    "{path}: sqlite_sequence differs from the source's: {s:?} vs {:?}",
                    exp.seqs
                ));
            }
        }
        Err(e) => report.fail(format!("{path}: sqlite_sequence: {e}")),
    }
    let kept_parts: Vec<(String, Vec<String>)> = src
        .entry
        .rules
        .tables
        .iter()
        .map(|r| (r.table.clone(), r.keep.clone()))
        .collect();
    match table_rows(file, &kept_parts) {
        Ok(k) => {
            for (t, v) in &exp.kept {
                if k.get(t) != Some(v) {
                    report.fail(format!("{path}: {t}: kept columns differ from the source"));
                }
            }
        }
        Err(e) => report.fail(format!("{path}: kept columns: {e}")),
    }
    match whole_values(src, file) {
        Ok(got) => {
            for (t, cols) in &exp.whole {
                let Some(rule) = src.entry.rules.table("main", t) else {
                    continue;
                };
                for (col, before) in cols {
                    let Some(tr) = rule.transform(col) else {
                        continue;
                    };
                    let after = got.get(t).and_then(|c| c.get(col));
                    let (mut eligible, mut same) = (0usize, 0usize);
                    for (k, v) in before {
                        let Some(v) = v.as_deref().filter(|v| !v.is_empty()) else {
                            continue;
                        };
                        if super::pg::legit_fixed_point(tr, v, &exp.constants) {
                            continue;
                        }
                        eligible += 1;
                        if after.and_then(|a| a.get(k)).and_then(|x| x.as_deref()) == Some(v) {
                            same += 1;
                        }
                    }
                    let limit = if tr.is_fake() { eligible / 10 } else { 0 };
                    if same > limit {
                        report.fail(format!(
                            "{path}: {t}.{}: {same} of {eligible} rows keep their original value",
                            sql_ident(col)
                        ));
                    }
                }
            }
        }
        Err(e) => report.fail(format!("{path}: masked columns: {e}")),
    }
    for f in default_key_inserts(file, src) {
        report.fail(format!("{path}: an INSERT with the default key fails: {f}"));
    }
}

fn leak_checks(src: &Src, results: &[(&str, PathBuf)], report: &mut Report) {
    let rules = src.entry.rules_path.clone();
    let check = |to: &Path, report: &mut Report, what: &str, want: i32| {
        let mut l = mask_tool();
        l.args(["leaks", "--json", "--rules"]).arg(&rules).args([
            "--from",
            p(&src.path),
            "--to",
            p(to),
        ]);
        let out = run(l);
        super::pg::honest(&out, &format!("mask-tool leaks on {what}"), report);
        if out.code != want {
            report.fail(format!(
                "mask-tool leaks on {what}: exit {} (want {want}); {}",
                out.code,
                summary(&out)
            ));
        }
        let mut v = sync_tool();
        v.args([
            "verify",
            "--json",
            "--from",
            p(&src.path),
            "--to",
            p(to),
            "--rules",
        ])
        .arg(&rules);
        let out = run(v);
        super::pg::honest(&out, &format!("sync-tool verify on {what}"), report);
        if out.code != want {
            report.fail(format!(
                "sync-tool verify on {what}: exit {} (want {want}); {}",
                out.code,
                summary(&out)
            ));
        }
    };
    if let Some((_, f)) = results.iter().find(|(p, _)| *p == "apply") {
        check(f, report, "the apply result (masked)", 0);
    }
    let plain = src.tmp.path().join("plain.db");
    std::fs::copy(&src.path, &plain).expect("copy");
    check(&plain, report, "an unmasked copy", 3);
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
    let half = src.tmp.path().join("half.db");
    std::fs::copy(&src.path, &half).expect("copy");
    let mut a = mask_tool();
    a.args(["apply", "--rules"])
        .arg(&half_rules)
        .args(["--db", p(&half)]);
    let out = run(a);
    if out.code != 0 {
        report.fail(format!(
            "half-masked copy: apply of one column failed: {}",
            exit(&out)
        ));
    } else {
        check(&half, report, "a half-masked copy (one column masked)", 3);
    }
}

fn summary(o: &Output) -> String {
    let j: Option<serde_json::Value> = serde_json::from_str(&o.stdout).ok();
    let leaks = match j
        .as_ref()
        .and_then(|j| {
            j.get("leaks").and_then(|l| {
                if l.is_array() {
                    Some(l)
                } else {
                    l.get("leaks")
                }
            })
        })
        .and_then(|l| l.as_array())
    {
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
        None => format!(
            "{} {}",
            o.stdout.chars().take(200).collect::<String>(),
            o.stderr.lines().last().unwrap_or("")
        ),
    };
    let problems = j
        .as_ref()
        .and_then(|j| j.get("problems"))
        .and_then(|p| p.as_array())
        .map(|p| {
            p.iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        });
    match problems {
        Some(p) => format!("problems: {p}"),
        None => leaks,
    }
}

#[test]
fn corpus_sqlite_chinook_every_path_leaves_no_original() {
    run_entry("chinook");
}

#[test]
fn corpus_sqlite_timetracking_every_path_leaves_no_original() {
    run_entry("timetracking");
}

#[test]
fn corpus_sqlite_notes_fts_every_path_leaves_no_original() {
    run_entry("notes_fts");
}

#[test]
fn corpus_sqlite_mobile_app_every_path_leaves_no_original() {
    run_entry("mobile_app");
}

#[test]
fn corpus_sqlite_browser_profile_every_path_leaves_no_original() {
    run_entry("browser_profile");
}

/// Tables lint lists, with their columns (for the lint test).
pub fn lint_tables(entry: &Entry) -> (PathBuf, tempfile::TempDir, Vec<TableCols>) {
    let src = load(entry.clone());
    let t = src
        .tables
        .iter()
        .map(|t| ("main".to_string(), t.name.clone(), t.data_cols()))
        .collect();
    (src.path.clone(), src.tmp, t)
}
