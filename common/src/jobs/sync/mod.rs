//! Refreshing a staging database from production: masked, verified, swapped in whole.
//!
//! PostgreSQL ([`pg`]): `pg_dump` of the source streams through the masker into `psql`, which
//! loads a new database `<target>__incoming` on the target server ([`parallel`] does it table by
//! table under one snapshot with `--jobs N`). Production data never touches the disk unmasked.
//! The new copy is verified (row counts equal to what was streamed, schema fingerprint equal to
//! the source's, sequences ahead of their columns, no original value of a masked column in it),
//! and only then swapped in ([`swap`]). Anything failing before the swap drops the half-built
//! database and leaves staging exactly as it was.
//!
//! SQLite ([`sqlite`], blue/green): the source is snapshotted with the online backup API next to
//! the target, masked in place, checked, and renamed over the target, keeping the previous file
//! as `.bak`.

pub mod check;
pub mod keep_dump;
pub mod parallel;
pub mod pg;
pub mod request;
pub mod sqlite;
pub mod swap;

pub use request::{SyncReport, SyncRequest};
pub use swap::rollback_pg;

use crate::engine::conn::{DbUrl, PgConn};
use crate::error::{Error, Result};
use crate::jobs::guard::{self, Intent};

/// Refreshes the target from the source.
pub fn run(req: &SyncRequest) -> Result<SyncReport> {
    crate::jobs::live::leaks::check_sample(req.leak_sample)?;
    if req.from.engine() != req.to.engine() {
        return Err(Error::Usage(format!(
            "source and target must be the same engine; got {} and {}",
            req.from.engine(),
            req.to.engine()
        )));
    }
    let source = guard::identify(&req.from, req.from_password_env.as_deref())?;
    let target = guard::identify(&req.to, req.to_password_env.as_deref())?;
    guard::check(&Intent {
        action: "refresh",
        target: &target,
        source: Some(&source),
        protected: &req.protected,
        allow_protected: req.allow_protected,
    })?;
    match (&req.from, &req.to) {
        (DbUrl::Postgres(f), DbUrl::Postgres(t)) => {
            let src = PgConn::resolve(f, req.from_password_env.as_deref())?;
            let dst = PgConn::resolve(t, req.to_password_env.as_deref())?;
            pg::run(req, &src, &dst)
        }
        (DbUrl::Sqlite(f), DbUrl::Sqlite(t)) => sqlite::run(req, f, t),
        _ => Err(Error::Usage(format!(
            "source and target must be the same engine; got {} and {}",
            req.from.engine(),
            req.to.engine()
        ))),
    }
}

/// Puts back the staging database kept by the last `run --keep-previous`, after the guard agreed
/// that the target is not protected.
pub fn rollback(
    to: &DbUrl,
    password_env: Option<&str>,
    protected: &[guard::Protected],
    allow_protected: bool,
) -> Result<String> {
    let DbUrl::Postgres(u) = to else {
        return Err(Error::Usage(format!(
            "rollback puts back a PostgreSQL database; for SQLite, {} keeps the previous file as .bak",
            to.redacted()
        )));
    };
    let target = guard::identify(to, password_env)?;
    guard::check(&Intent {
        action: "roll back",
        target: &target,
        source: None,
        protected,
        allow_protected,
    })?;
    rollback_pg(&PgConn::resolve(u, password_env)?)
}
