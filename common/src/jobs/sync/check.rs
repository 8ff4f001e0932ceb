//! `sync-tool verify`: the pre-swap checks of a refresh, on demand, against a copy made earlier.

use serde::Serialize;

use super::pg::verify_copy;
use crate::engine::conn::DbUrl;
use crate::engine::pg::PgAdmin;
use crate::error::{Error, Result};
use crate::jobs::live::LeakReport;
use crate::jobs::masking::MaskSpec;

/// What to check.
pub struct CheckRequest {
    /// The source (production).
    pub from: DbUrl,
    /// Variable holding the source's password.
    pub from_password_env: Option<String>,
    /// The copy (staging).
    pub to: DbUrl,
    /// Variable holding the copy's password.
    pub to_password_env: Option<String>,
    /// Rules and salt, for the leak check (none: no leak check).
    pub mask: Option<MaskSpec>,
    /// Original values sampled per masked column.
    pub leak_sample: usize,
}

/// What the checks found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// Whether every check passed.
    pub ok: bool,
    /// Each failed check, in words (names of objects, never values).
    pub problems: Vec<String>,
    /// The leak check's result, when rules were given.
    pub leaks: Option<LeakReport>,
}

/// Runs the checks: row counts, schema fingerprint and sequences against the source as it is now,
/// and with rules, the leak check.
pub fn check(req: &CheckRequest) -> Result<CheckReport> {
    let mut problems = Vec::new();
    let mut leaks = None;
    match (&req.from, &req.to) {
        (DbUrl::Postgres(f), DbUrl::Postgres(t)) => {
            let source = PgAdmin::connect(&crate::engine::conn::PgConn::resolve(
                f,
                req.from_password_env.as_deref(),
            )?)?;
            let copy = PgAdmin::connect(&crate::engine::conn::PgConn::resolve(
                t,
                req.to_password_env.as_deref(),
            )?)?;
            // The source may have changed since the copy was made: compare with its counts now.
            if let Err(e) = verify_copy(&source, &copy, &source.row_counts()?, None, None) {
                problems.push(e.describe());
            }
        }
        (DbUrl::Sqlite(f), DbUrl::Sqlite(t)) => {
            let (a, b) = (
                crate::engine::sqlite::catalog::schema_snapshot(f)?,
                crate::engine::sqlite::catalog::schema_snapshot(t)?,
            );
            let changes = crate::engine::schema::compare(&a, &b);
            if !changes.is_empty() {
                problems.push(format!(
                    "schema fingerprint differs from the source's ({} difference(s))",
                    changes.len()
                ));
            }
            let (ca, cb) = (
                crate::engine::sqlite::row_counts(f)?,
                crate::engine::sqlite::row_counts(t)?,
            );
            for (table, n) in &ca {
                let got = cb.get(table).copied().unwrap_or(0);
                if got != *n {
                    problems.push(format!(
                        "{table}: {n} rows in the source, {got} in the copy"
                    ));
                }
            }
        }
        _ => {
            return Err(Error::Usage(format!(
                "verify compares two databases of the same engine; got {} and {}",
                req.from.engine(),
                req.to.engine()
            )))
        }
    }
    if let Some(spec) = &req.mask {
        let report = crate::jobs::live::leaks(
            spec,
            &req.from,
            req.from_password_env.as_deref(),
            &req.to,
            req.to_password_env.as_deref(),
            req.leak_sample,
        )?;
        for line in super::pg::leak_lines(&report) {
            problems.push(format!("leak: {line}"));
        }
        leaks = Some(report);
    }
    Ok(CheckReport {
        ok: problems.is_empty(),
        problems,
        leaks,
    })
}
