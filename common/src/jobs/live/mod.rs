//! Jobs on live databases: masking a copy in place ([`apply`]), checking rules against a
//! database or a dump ([`lint`]), and checking a masked copy for leaked originals ([`leaks`]).
//!
//! The transforms are the ones the stream masker uses ([`mask`]); these modules only move rows
//! between a database and them.

pub mod apply;
pub mod columns;
pub mod leaks;
pub mod lint;
pub mod sample;

pub use apply::{apply_pg, apply_sqlite, ApplyReport, ApplyStats};
pub use leaks::{leak_check_pg, leak_check_sqlite, sample_pg, Leak, LeakReport, PgSample};
pub use lint::{lint, Finding, FindingKind};
pub use sample::{dump_tables, pg_sample, sqlite_sample, DumpSamples};

use std::path::PathBuf;
use std::sync::Arc;

use mask::Rules;

use crate::engine::conn::{DbUrl, PgConn};
use crate::engine::pg::PgAdmin;
use crate::error::{Error, Result};
use crate::jobs::guard::{self, Intent, Protected};
use crate::jobs::masking::MaskSpec;

/// What `apply` masks, and what it must not touch.
pub struct ApplyRequest {
    /// The copy to mask in place.
    pub target: DbUrl,
    /// Variable holding its password.
    pub password_env: Option<String>,
    /// Rules and salt.
    pub mask: MaskSpec,
    /// Rows per batch (PostgreSQL).
    pub batch: usize,
    /// Environments the target must not be.
    pub protected: Vec<Protected>,
    /// The operator's explicit override of `protected`.
    pub allow_protected: bool,
}

/// Masks a live copy in place, after the guard agreed that it is not production.
pub fn apply(req: &ApplyRequest) -> Result<ApplyReport> {
    let ctx = req.mask.context()?;
    let target = guard::identify(&req.target, req.password_env.as_deref())?;
    guard::check(&Intent {
        action: "mask in place",
        target: &target,
        source: None,
        protected: &req.protected,
        allow_protected: req.allow_protected,
    })?;
    match &req.target {
        DbUrl::Postgres(u) => {
            let conn = PgConn::resolve(u, req.password_env.as_deref())?;
            let admin = PgAdmin::connect(&conn)?;
            apply_pg(&admin, &req.mask.rules, &ctx, req.batch.max(1))
        }
        DbUrl::Sqlite(p) => apply_sqlite(p, &req.mask.rules, Arc::new(ctx)),
    }
}

/// What `lint` checks the rules against.
pub enum LintSource {
    /// A database: its schema and sampled values.
    Db {
        /// The database.
        url: DbUrl,
        /// Variable holding its password.
        password_env: Option<String>,
    },
    /// A plain dump (`.gz`/`.zst` detected).
    Dump(PathBuf),
}

/// Lints `rules` against a database or a dump, sampling up to `sample` values per kept column.
pub fn lint_source(rules: &Rules, source: &LintSource, sample: usize) -> Result<Vec<Finding>> {
    match source {
        LintSource::Db { url, password_env } => match url {
            DbUrl::Postgres(u) => {
                let admin = PgAdmin::connect(&PgConn::resolve(u, password_env.as_deref())?)?;
                let tables = admin.tables()?;
                lint(rules, &tables, &mut |t, c| pg_sample(&admin, t, c, sample))
            }
            DbUrl::Sqlite(p) => {
                let conn = crate::engine::sqlite::open_existing(p)?;
                let tables = crate::engine::sqlite::catalog::tables(&conn, p)?;
                lint(rules, &tables, &mut |t, c| {
                    sqlite_sample(&conn, t, c, sample)
                })
            }
        },
        LintSource::Dump(path) => {
            let input = crate::store::codec::open_sniffed(path)?;
            let (tables, samples) = dump_tables(input, sample)?;
            lint(rules, &tables, &mut |t, c| {
                Ok(samples
                    .get(&(t.name.clone(), c.to_string()))
                    .cloned()
                    .unwrap_or_default())
            })
        }
    }
}

/// Checks a masked copy against its source (two PostgreSQL databases or two SQLite files).
pub fn leaks(
    mask: &MaskSpec,
    from: &DbUrl,
    from_password_env: Option<&str>,
    to: &DbUrl,
    to_password_env: Option<&str>,
    sample: usize,
) -> Result<LeakReport> {
    let ctx = mask.context()?;
    match (from, to) {
        (DbUrl::Postgres(f), DbUrl::Postgres(t)) => {
            let source = PgAdmin::connect(&PgConn::resolve(f, from_password_env)?)?;
            let copy = PgAdmin::connect(&PgConn::resolve(t, to_password_env)?)?;
            leak_check_pg(&source, &copy, &mask.rules, &ctx, sample)
        }
        (DbUrl::Sqlite(f), DbUrl::Sqlite(t)) => leak_check_sqlite(f, t, &mask.rules, &ctx, sample),
        _ => Err(Error::Usage(format!(
            "the leak check compares two databases of the same engine; got {} and {}",
            from.engine(),
            to.engine()
        ))),
    }
}
