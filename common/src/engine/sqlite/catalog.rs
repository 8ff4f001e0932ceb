//! What an SQLite database says about itself: tables and columns, the schema as comparable
//! objects, applied migrations. The same operations as [`crate::engine::pg::catalog`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dump::QualifiedName;

use crate::engine::schema::{
    collapse_ws, migration_query, ColumnInfo, Migrations, SchemaSnapshot, TableInfo,
    KNOWN_MIGRATION_TABLES,
};
use crate::error::{Error, Result};

/// A string literal for SQLite (quotes doubled).
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// An identifier for SQLite (double quotes doubled).
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Every table of an SQLite database (schema `main`), without SQLite's own tables.
pub fn tables(conn: &rusqlite::Connection, path: &Path) -> Result<Vec<TableInfo>> {
    let err = |e: rusqlite::Error| {
        Error::sqlite(format!("cannot read the schema of {}", path.display()), e)
    };
    let mut stmt = conn
        // Full-text tables are listed (their columns hold text like any other); their shadow
        // tables (`x_data`, `x_content`, ...) are the module's own storage and are not.
        .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        .map_err(err)?;
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(err)?;
    let mut out = Vec::new();
    for name in names {
        let mut cols = conn
            .prepare(&format!(
                "PRAGMA table_xinfo(\"{}\")",
                name.replace('"', "\"\"")
            ))
            .map_err(err)?;
        // cid, name, type, notnull, dflt_value, pk, hidden
        let rows: Vec<(String, String, i64, i64, i64)> = cols
            .query_map([], |r| {
                Ok((r.get(1)?, r.get(2)?, r.get(3)?, r.get(5)?, r.get(6)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(err)?;
        let mut pk: Vec<(i64, String)> = rows
            .iter()
            .filter(|r| r.3 > 0)
            .map(|r| (r.3, r.0.clone()))
            .collect();
        pk.sort();
        let fk_columns: Vec<String> = conn
            .prepare(&format!(
                "SELECT \"from\" FROM pragma_foreign_key_list({})",
                quote_literal(&name)
            ))
            .and_then(|mut s| {
                s.query_map([], |r| r.get::<_, String>(0))
                    .and_then(|rows| rows.collect())
            })
            .map_err(err)?;
        let full_text = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [&name],
                |r| r.get::<_, Option<String>>(0),
            )
            .map_err(err)?
            .is_some_and(|sql| {
                let sql = sql.to_ascii_lowercase();
                sql.starts_with("create virtual table") && sql.contains("using fts")
            });
        out.push(TableInfo {
            columns: rows
                .into_iter()
                .filter(|r| r.4 != 1)
                .map(|(n, t, notnull, _, hidden)| ColumnInfo {
                    foreign_key: fk_columns.iter().any(|f| f.eq_ignore_ascii_case(&n)),
                    name: n,
                    data_type: t,
                    nullable: notnull == 0,
                    generated: hidden == 2 || hidden == 3,
                })
                .collect(),
            name: QualifiedName {
                schema: Some("main".into()),
                name,
            },
            primary_key: pk.into_iter().map(|(_, n)| n).collect(),
            full_text,
        });
    }
    Ok(out)
}

/// Reads the schema of an SQLite database: every object's SQL (whitespace folded) and every
/// column with its declared type.
pub fn schema_snapshot(path: &Path) -> Result<SchemaSnapshot> {
    let conn = super::open_existing(path)?;
    let err = |e: rusqlite::Error| {
        Error::sqlite(format!("cannot read the schema of {}", path.display()), e)
    };
    let mut stmt = conn
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
        .map_err(err)?;
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .and_then(|rows| rows.collect())
        .map_err(err)?;
    let mut objects = BTreeMap::new();
    for (kind, name, sql) in rows {
        objects.insert(format!("{kind} {name}"), collapse_ws(&sql));
    }
    for t in tables(&conn, path)? {
        for c in t.columns {
            objects.insert(
                format!("column {}.{}", t.name.name, c.name),
                format!(
                    "{}{}",
                    c.data_type,
                    if c.nullable { "" } else { " not null" }
                ),
            );
        }
    }
    Ok(SchemaSnapshot { objects })
}

/// Reads applied migrations from SQLite, like PostgreSQL's [`crate::engine::pg::PgAdmin::migrations`].
pub fn migrations(path: &Path, table: Option<&str>) -> Result<Migrations> {
    let conn = super::open_existing(path)?;
    let err = |e: rusqlite::Error| {
        Error::sqlite(format!("cannot read migrations of {}", path.display()), e)
    };
    let candidates: Vec<String> = match table {
        Some(t) => vec![t.to_string()],
        None => KNOWN_MIGRATION_TABLES
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for t in candidates {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT name FROM pragma_table_info({})",
                quote_literal(&t)
            ))
            .map_err(err)?;
        let cols: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(err)?;
        if cols.is_empty() {
            if table.is_some() {
                return Err(Error::Usage(format!(
                    "migrations table {t} does not exist in {}",
                    path.display()
                )));
            }
            continue;
        }
        let q = migration_query(&t, &cols, quote).ok_or_else(|| {
            Error::Usage(format!(
                "migrations table {t} has no name, version or id column to compare"
            ))
        })?;
        let mut stmt = conn.prepare(&q).map_err(err)?;
        let applied: BTreeSet<String> = stmt
            .query_map([], |r| r.get::<_, Option<String>>(0))
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .map_err(err)?
            .into_iter()
            .flatten()
            .collect();
        return Ok(Migrations {
            table: Some(t),
            applied,
        });
    }
    Ok(Migrations::default())
}

/// How a full-text table stores the text it indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FtsContent {
    /// In its own shadow table (masked through the virtual table itself).
    Own,
    /// In another table (`content='t'`): the index is rebuilt from it.
    External(String),
    /// Nowhere (`content=''`): the index alone holds the terms; it cannot be masked.
    None,
}

/// A full-text (FTS3/4/5) virtual table.
#[derive(Debug, Clone)]
pub struct FtsTable {
    /// Its name.
    pub name: String,
    /// `fts3`, `fts4` or `fts5`.
    pub module: String,
    /// Where its text is.
    pub content: FtsContent,
}

/// The full-text tables of a database.
pub fn fts_tables(conn: &rusqlite::Connection, path: &Path) -> Result<Vec<FtsTable>> {
    let err = |e: rusqlite::Error| {
        Error::sqlite(format!("cannot read the schema of {}", path.display()), e)
    };
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
        .map_err(err)?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(|rows| rows.collect())
        .map_err(err)?;
    let mut out = Vec::new();
    for (name, sql) in rows {
        let lower = sql.to_ascii_lowercase();
        let Some(using) = lower.find(" using ") else {
            continue;
        };
        let module: String = lower[using + 7..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !module.starts_with("fts") {
            continue;
        }
        let content = match fts_option(&sql, "content") {
            None => FtsContent::Own,
            Some(v) if v.is_empty() => FtsContent::None,
            Some(v) => FtsContent::External(v),
        };
        out.push(FtsTable {
            name,
            module,
            content,
        });
    }
    Ok(out)
}

/// The value of option `key=` in a virtual table's arguments (quotes removed).
fn fts_option(sql: &str, key: &str) -> Option<String> {
    let open = sql.find('(')?;
    let args = &sql[open + 1..sql.rfind(')')?];
    for part in args.split(',') {
        let part = part.trim();
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        if k.trim().eq_ignore_ascii_case(key) {
            let v = v.trim();
            let v = v
                .strip_prefix(['\'', '"'])
                .and_then(|x| x.strip_suffix(['\'', '"']))
                .unwrap_or(v);
            return Some(v.replace("''", "'"));
        }
    }
    None
}

/// The triggers fired by changes to `table`: `(name, sql)`.
pub fn triggers_on(
    conn: &rusqlite::Connection,
    table: &str,
) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1 AND sql IS NOT NULL",
    )?;
    let rows = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
    Ok(rows)
}
