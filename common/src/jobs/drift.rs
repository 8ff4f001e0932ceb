//! Schema and migration drift between two databases of the same engine.
//!
//! Replaces `sqlite3 db .schema | md5sum` on both sides (which says "different" and nothing
//! more) and eyeballing `SELECT * FROM migrations`. Each database is reduced to a sorted set of
//! objects, `kind name -> definition` (tables, columns with types and nullability, constraints,
//! indexes, views, sequences, functions, enum types, triggers), so the comparison names exactly
//! what differs, and a fingerprint (sha256 over that set) can be stored and compared later.

use serde::Serialize;

use crate::engine::schema::{compare, Migrations, SchemaChange, SchemaSnapshot};

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

/// Compares two databases of the same engine: schemas, and applied migrations from
/// `migrations_table` (or the first known one found).
pub fn diff(
    from: &crate::engine::conn::DbUrl,
    from_password_env: Option<&str>,
    to: &crate::engine::conn::DbUrl,
    to_password_env: Option<&str>,
    migrations_table: Option<&str>,
) -> crate::error::Result<DriftReport> {
    use crate::engine::conn::{DbUrl, PgConn};
    use crate::engine::pg::PgAdmin;
    use crate::engine::sqlite::catalog;
    match (from, to) {
        (DbUrl::Postgres(f), DbUrl::Postgres(t)) => {
            let fa = PgAdmin::connect(&PgConn::resolve(f, from_password_env)?)?;
            let ta = PgAdmin::connect(&PgConn::resolve(t, to_password_env)?)?;
            Ok(DriftReport::new(
                &fa.schema_snapshot()?,
                &ta.schema_snapshot()?,
                &fa.migrations(migrations_table)?,
                &ta.migrations(migrations_table)?,
            ))
        }
        (DbUrl::Sqlite(f), DbUrl::Sqlite(t)) => Ok(DriftReport::new(
            &catalog::schema_snapshot(f)?,
            &catalog::schema_snapshot(t)?,
            &catalog::migrations(f, migrations_table)?,
            &catalog::migrations(t, migrations_table)?,
        )),
        _ => Err(crate::error::Error::Usage(format!(
            "diff compares two databases of the same engine; got {} and {}",
            from.engine(),
            to.engine()
        ))),
    }
}
