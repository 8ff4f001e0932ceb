//! Schema and migration drift between two databases of the same engine.
//!
//! Replaces `sqlite3 db .schema | md5sum` on both sides (which says "different" and nothing
//! more) and eyeballing `SELECT * FROM migrations`. Each database is reduced to a sorted set of
//! objects, `kind name -> definition` (tables, columns with types and nullability, constraints,
//! indexes, views, sequences, functions, enum types, triggers), so the comparison names exactly
//! what differs, and a fingerprint (sha256 over that set) can be stored and compared later.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::pg::PgAdmin;

/// A database's schema as comparable objects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SchemaSnapshot {
    /// `"column public.users.email"` -> `"text not null"`, and so on.
    pub objects: BTreeMap<String, String>,
}

impl SchemaSnapshot {
    /// A stable fingerprint: sha256 over the sorted objects, lowercase hex.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for (k, v) in &self.objects {
            h.update(k.as_bytes());
            h.update(b"\t");
            h.update(v.as_bytes());
            h.update(b"\n");
        }
        hex::encode(h.finalize())
    }
}

/// One difference between two schemas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum SchemaChange {
    /// Present only in the first database.
    OnlyInFrom {
        /// The object.
        object: String,
        /// Its definition.
        definition: String,
    },
    /// Present only in the second database.
    OnlyInTo {
        /// The object.
        object: String,
        /// Its definition.
        definition: String,
    },
    /// Present in both with different definitions.
    Changed {
        /// The object.
        object: String,
        /// Definition in the first database.
        from: String,
        /// Definition in the second database.
        to: String,
    },
}

/// Compares two snapshots; empty when they are equal.
pub fn compare(from: &SchemaSnapshot, to: &SchemaSnapshot) -> Vec<SchemaChange> {
    let mut out = Vec::new();
    for (k, v) in &from.objects {
        match to.objects.get(k) {
            None => out.push(SchemaChange::OnlyInFrom {
                object: k.clone(),
                definition: v.clone(),
            }),
            Some(w) if w != v => out.push(SchemaChange::Changed {
                object: k.clone(),
                from: v.clone(),
                to: w.clone(),
            }),
            Some(_) => {}
        }
    }
    for (k, v) in &to.objects {
        if !from.objects.contains_key(k) {
            out.push(SchemaChange::OnlyInTo {
                object: k.clone(),
                definition: v.clone(),
            });
        }
    }
    out
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads the schema of a PostgreSQL database (user schemas only).
pub fn pg_snapshot(admin: &PgAdmin) -> Result<SchemaSnapshot> {
    const USER_NS: &str = "n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";
    let mut objects = BTreeMap::new();
    let mut add = |rows: Vec<Vec<String>>| {
        for r in rows {
            if let [k, v] = r.as_slice() {
                objects.insert(k.clone(), collapse_ws(v));
            }
        }
    };
    add(admin.query_text(&format!(
        "SELECT 'table ' || format('%I.%I', n.nspname, c.relname), \
                CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'table' END \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r','p','f') AND {USER_NS}"
    ))?);
    add(admin.query_text(&format!(
        "SELECT 'column ' || format('%I.%I.%I', n.nspname, c.relname, a.attname), \
                format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END \
                || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') \
                || CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum \
         WHERE c.relkind IN ('r','p','f','v','m') AND {USER_NS}"
    ))?);
    add(admin.query_text(&format!(
        "SELECT 'constraint ' || format('%I.%I.%I', n.nspname, c.relname, con.conname), pg_get_constraintdef(con.oid) \
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE {USER_NS}"
    ))?);
    add(admin.query_text(&format!(
        "SELECT 'index ' || format('%I.%I', n.nspname, ic.relname), pg_get_indexdef(i.indexrelid) \
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace \
         WHERE {USER_NS}"
    ))?);
    add(admin.query_text(&format!(
        "SELECT CASE c.relkind WHEN 'v' THEN 'view ' ELSE 'materialized view ' END || format('%I.%I', n.nspname, c.relname), \
                pg_get_viewdef(c.oid) \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v','m') AND {USER_NS}"
    ))?);
    add(admin.query_text(&format!(
        "SELECT 'sequence ' || format('%I.%I', n.nspname, c.relname), format_type(s.seqtypid, NULL) \
         FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_NS}"
    ))?);
    add(admin.query_text(&format!(
        "SELECT 'function ' || format('%I.%I', n.nspname, p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')', \
                md5(pg_get_functiondef(p.oid)) \
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE p.prokind IN ('f','p') AND {USER_NS} \
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')"
    ))?);
    add(admin.query_text(&format!(
        "SELECT 'type ' || format('%I.%I', n.nspname, t.typname), 'enum (' || string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) || ')' \
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE {USER_NS} GROUP BY n.nspname, t.typname"
    ))?);
    add(admin.query_text(&format!(
        "SELECT 'trigger ' || format('%I.%I.%I', n.nspname, c.relname, t.tgname), pg_get_triggerdef(t.oid) \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE NOT t.tgisinternal AND {USER_NS}"
    ))?);
    add(admin.query_text(
        "SELECT 'extension ' || extname, extversion FROM pg_extension WHERE extname <> 'plpgsql'",
    )?);
    Ok(SchemaSnapshot { objects })
}

/// Reads the schema of an SQLite database: every object's SQL (whitespace folded) and every
/// column with its declared type.
pub fn sqlite_snapshot(path: &Path) -> Result<SchemaSnapshot> {
    let conn = crate::sqlite::open_existing(path)?;
    let err = |e: rusqlite::Error| {
        Error::Sqlite(format!("cannot read the schema of {}: {e}", path.display()))
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
    for t in crate::schema::sqlite_tables(&conn, path)? {
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

/// Applied migrations as recorded in the migrations table of a database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Migrations {
    /// The table they were read from, or None when no migrations table was found.
    pub table: Option<String>,
    /// Names of applied migrations.
    pub applied: BTreeSet<String>,
}

/// Migration tables recognised without configuration, in order of preference.
pub const KNOWN_MIGRATION_TABLES: &[&str] = &[
    "_prisma_migrations",
    "migrations",
    "schema_migrations",
    "knex_migrations",
];

fn migration_query(table: &str, columns: &[String], quote: fn(&str) -> String) -> Option<String> {
    let has = |c: &str| columns.iter().any(|x| x == c);
    let t = quote(table);
    if table == "_prisma_migrations" && has("migration_name") {
        // Prisma records failed and rolled-back attempts too: only finished ones count.
        return Some(format!(
            "SELECT migration_name FROM {t} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"
        ));
    }
    for c in ["name", "migration_name", "migration", "version", "id"] {
        if has(c) {
            return Some(format!("SELECT CAST({} AS TEXT) FROM {t}", quote(c)));
        }
    }
    None
}

/// Reads applied migrations from PostgreSQL: `table` if given, else the first known table found
/// (looked up on the search path, normally `public`).
pub fn pg_migrations(admin: &PgAdmin, table: Option<&str>) -> Result<Migrations> {
    let candidates: Vec<String> = match table {
        Some(t) => vec![t.to_string()],
        None => KNOWN_MIGRATION_TABLES
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    for t in candidates {
        let cols = admin.query_values(&format!(
            "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = to_regclass({}) AND a.attnum > 0 AND NOT a.attisdropped",
            crate::pg::quote_literal(&crate::pg::quote_ident(&t))
        ))?;
        let cols: Vec<String> = cols
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .collect();
        if cols.is_empty() {
            if table.is_some() {
                return Err(Error::Usage(format!("migrations table {t} does not exist")));
            }
            continue;
        }
        let q = migration_query(&t, &cols, crate::pg::quote_ident).ok_or_else(|| {
            Error::Usage(format!(
                "migrations table {t} has no name, version or id column to compare"
            ))
        })?;
        let applied = admin
            .query_values(&q)?
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .collect();
        return Ok(Migrations {
            table: Some(t),
            applied,
        });
    }
    Ok(Migrations::default())
}

/// Reads applied migrations from SQLite, like [`pg_migrations`].
pub fn sqlite_migrations(path: &Path, table: Option<&str>) -> Result<Migrations> {
    let conn = crate::sqlite::open_existing(path)?;
    let err = |e: rusqlite::Error| {
        Error::Sqlite(format!("cannot read migrations of {}: {e}", path.display()))
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
                crate::pg::quote_literal(&t)
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

/// The full drift report between two databases.
#[derive(Debug, Clone, Serialize)]
pub struct DriftReport {
    /// Fingerprint of the first database's schema.
    pub from_fingerprint: String,
    /// Fingerprint of the second database's schema.
    pub to_fingerprint: String,
    /// Schema differences.
    pub schema: Vec<SchemaChange>,
    /// Migrations table compared (None when neither has one).
    pub migrations_table: Option<String>,
    /// Migrations applied only in the first database.
    pub migrations_only_in_from: Vec<String>,
    /// Migrations applied only in the second database.
    pub migrations_only_in_to: Vec<String>,
}

impl DriftReport {
    /// Whether the two databases have the same schema and the same applied migrations.
    pub fn is_equal(&self) -> bool {
        self.schema.is_empty()
            && self.migrations_only_in_from.is_empty()
            && self.migrations_only_in_to.is_empty()
    }

    /// Builds the report from the two sides' snapshots and migrations.
    pub fn new(
        from: &SchemaSnapshot,
        to: &SchemaSnapshot,
        mf: &Migrations,
        mt: &Migrations,
    ) -> DriftReport {
        DriftReport {
            from_fingerprint: from.fingerprint(),
            to_fingerprint: to.fingerprint(),
            schema: compare(from, to),
            migrations_table: mf.table.clone().or_else(|| mt.table.clone()),
            migrations_only_in_from: mf.applied.difference(&mt.applied).cloned().collect(),
            migrations_only_in_to: mt.applied.difference(&mf.applied).cloned().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_names_each_difference() {
        let a = SchemaSnapshot {
            objects: [
                ("column t.a", "text"),
                ("column t.b", "int"),
                ("table t", "table"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        };
        let mut b = a.clone();
        b.objects.insert("column t.a".into(), "varchar(10)".into());
        b.objects.remove("column t.b");
        b.objects.insert("column t.c".into(), "int".into());
        let changes = compare(&a, &b);
        assert_eq!(changes.len(), 3);
        assert!(changes.contains(&SchemaChange::Changed {
            object: "column t.a".into(),
            from: "text".into(),
            to: "varchar(10)".into()
        }));
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint(), a.clone().fingerprint());
        assert!(compare(&a, &a).is_empty());
    }
}
