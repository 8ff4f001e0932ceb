//! What an SQLite database says about itself: tables and columns, the schema as comparable
//! objects, applied migrations. The same operations as [`crate::engine::pg::catalog`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dump::QualifiedName;

use crate::engine::schema::{collapse_ws, migration_query, ColumnInfo, Migrations, SchemaSnapshot, TableInfo, KNOWN_MIGRATION_TABLES};
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
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
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
        out.push(TableInfo {
            name: QualifiedName {
                schema: Some("main".into()),
                name,
            },
            columns: rows
                .into_iter()
                .filter(|r| r.4 != 1)
                .map(|(n, t, notnull, _, hidden)| ColumnInfo {
                    name: n,
                    data_type: t,
                    nullable: notnull == 0,
                    generated: hidden == 2 || hidden == 3,
                })
                .collect(),
            primary_key: pk.into_iter().map(|(_, n)| n).collect(),
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
