//! What tables and columns a database has, for linting rules, checking copies for leaks, and
//! comparing schemas. One function per engine, returning the same shape.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::dump::QualifiedName;
use crate::error::{Error, Result};
use crate::pg::PgAdmin;

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnInfo {
    /// Column name as stored (case kept).
    pub name: String,
    /// Type as the engine prints it (`character varying(255)`, `jsonb`, `TEXT`).
    pub data_type: String,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// Generated columns hold no data of their own (pg_dump leaves them out of COPY).
    pub generated: bool,
}

/// One table with its columns in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableInfo {
    /// Schema-qualified name (`main` is the schema of SQLite tables).
    pub name: QualifiedName,
    /// Columns in their physical order.
    pub columns: Vec<ColumnInfo>,
    /// Primary key columns, if there is a primary key.
    pub primary_key: Vec<String>,
}

/// Every user table of a PostgreSQL database that holds rows itself (plain tables and leaf
/// partitions; not views, not partitioned parents, not extension-owned tables).
pub fn pg_tables(admin: &PgAdmin) -> Result<Vec<TableInfo>> {
    let rows = admin.query_text(
        "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), \
                (NOT a.attnotnull)::text, (a.attgenerated <> '')::text, \
                coalesce((SELECT string_agg(pa.attname, ',' ORDER BY array_position(i.indkey::int2[], pa.attnum)) \
                          FROM pg_index i JOIN pg_attribute pa ON pa.attrelid = i.indrelid AND pa.attnum = ANY(i.indkey) \
                          WHERE i.indrelid = c.oid AND i.indisprimary), '') \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema') \
           AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
                           AND d.objid = c.oid AND d.deptype = 'e') \
         ORDER BY n.nspname, c.relname, a.attnum",
    )?;
    let mut tables: Vec<TableInfo> = Vec::new();
    for r in rows {
        let [schema, table, col, ty, nullable, generated, pk] = <[String; 7]>::try_from(r)
            .map_err(|_| Error::Postgres("unexpected catalog row shape".into()))?;
        let name = QualifiedName {
            schema: Some(schema),
            name: table,
        };
        if tables.last().is_none_or(|t| t.name != name) {
            tables.push(TableInfo {
                name: name.clone(),
                columns: Vec::new(),
                primary_key: if pk.is_empty() {
                    Vec::new()
                } else {
                    pk.split(',').map(str::to_string).collect()
                },
            });
        }
        if let Some(t) = tables.last_mut() {
            t.columns.push(ColumnInfo {
                name: col,
                data_type: ty,
                nullable: nullable == "true",
                generated: generated == "true",
            });
        }
    }
    Ok(tables)
}

/// Every table of an SQLite database (schema `main`), without SQLite's own tables.
pub fn sqlite_tables(conn: &rusqlite::Connection, path: &Path) -> Result<Vec<TableInfo>> {
    let err = |e: rusqlite::Error| {
        Error::Sqlite(format!("cannot read the schema of {}: {e}", path.display()))
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

/// Tables by name, for lookups.
pub fn by_name(tables: &[TableInfo]) -> BTreeMap<&QualifiedName, &TableInfo> {
    tables.iter().map(|t| (&t.name, t)).collect()
}
