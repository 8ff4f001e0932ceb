//! The shapes both engines describe themselves in: tables and columns (for linting rules and
//! checking copies for leaks), schema snapshots and their differences, applied migrations.
//! The catalog queries that fill them are per engine ([`crate::engine::pg::catalog`],
//! [`crate::engine::sqlite::catalog`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use dump::QualifiedName;
use sha2::{Digest, Sha256};

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
    /// Part of a foreign key to another table (a reference, not data of its own).
    #[serde(default)]
    pub foreign_key: bool,
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
    /// A full-text index (an SQLite FTS table): its text is copied from other tables.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub full_text: bool,
}

/// Tables by name, for lookups.
pub fn by_name(tables: &[TableInfo]) -> BTreeMap<&QualifiedName, &TableInfo> {
    tables.iter().map(|t| (&t.name, t)).collect()
}

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

impl std::fmt::Display for SchemaChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaChange::OnlyInFrom { object, definition } => {
                write!(f, "{object} ({definition}) only in the first")
            }
            SchemaChange::OnlyInTo { object, definition } => {
                write!(f, "{object} ({definition}) only in the second")
            }
            SchemaChange::Changed { object, from, to } => write!(f, "{object}: {from} -> {to}"),
        }
    }
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

/// Folds runs of whitespace into one space.
pub(crate) fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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

pub(crate) fn migration_query(
    table: &str,
    columns: &[String],
    quote: fn(&str) -> String,
) -> Option<String> {
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
