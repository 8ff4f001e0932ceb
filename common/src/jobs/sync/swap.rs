//! Putting a new staging database in place of the old one, and back.

use crate::engine::conn::PgConn;
use crate::engine::pg::{quote_ident, PgAdmin};
use crate::error::{Error, Result};

/// Puts `incoming` in place of `target`: connections to the old database are blocked and ended,
/// then two renames. The old database is dropped, or kept as `<target>__previous`.
pub fn swap_in(
    maint: &PgAdmin,
    target: &str,
    incoming: &str,
    keep_previous: bool,
) -> Result<Option<String>> {
    let previous = format!("{target}__previous");
    let exists = maint.database_exists(target)?;
    if exists {
        if maint.database_exists(&previous)? {
            maint.drop_database(&previous)?;
        }
        rename_blocking(maint, target, &previous)?;
    }
    if let Err(e) = maint.execute(&format!(
        "ALTER DATABASE {} RENAME TO {}",
        quote_ident(incoming),
        quote_ident(target)
    )) {
        if exists {
            let _ = maint.execute(&format!(
                "ALTER DATABASE {} RENAME TO {}",
                quote_ident(&previous),
                quote_ident(target)
            ));
            let _ = maint.execute(&format!(
                "ALTER DATABASE {} WITH ALLOW_CONNECTIONS true",
                quote_ident(target)
            ));
        }
        return Err(e);
    }
    if !exists {
        return Ok(None);
    }
    if keep_previous {
        Ok(Some(previous))
    } else {
        maint.drop_database(&previous)?;
        Ok(None)
    }
}

/// Renames a database that may have sessions: new connections are refused first, existing ones
/// ended, and the rename retried briefly while they go away. On failure connections are allowed
/// again.
fn rename_blocking(maint: &PgAdmin, from: &str, to: &str) -> Result<()> {
    maint.execute(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS false",
        quote_ident(from)
    ))?;
    let mut last = None;
    for _ in 0..25 {
        maint.terminate_sessions(from)?;
        match maint.execute(&format!(
            "ALTER DATABASE {} RENAME TO {}",
            quote_ident(from),
            quote_ident(to)
        )) {
            Ok(()) => {
                maint.execute(&format!(
                    "ALTER DATABASE {} WITH ALLOW_CONNECTIONS true",
                    quote_ident(to)
                ))?;
                return Ok(());
            }
            Err(e) => {
                last = Some(e);
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
        }
    }
    let _ = maint.execute(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS true",
        quote_ident(from)
    ));
    Err(last.unwrap_or_else(|| Error::postgres(format!("cannot rename database '{from}'"))))
}

/// Puts the previous staging database back (kept by `--keep-previous`); the refreshed one is dropped.
pub fn rollback_pg(dst: &PgConn) -> Result<String> {
    let maint = PgAdmin::connect_maintenance(dst)?;
    let previous = format!("{}__previous", dst.dbname);
    if !maint.database_exists(&previous)? {
        return Err(Error::Usage(format!(
            "there is no '{previous}' to roll back to (refresh with --keep-previous to keep one)"
        )));
    }
    let discarded = format!("{}__rolled_back", dst.dbname);
    if maint.database_exists(&discarded)? {
        maint.drop_database(&discarded)?;
    }
    if maint.database_exists(&dst.dbname)? {
        rename_blocking(&maint, &dst.dbname, &discarded)?;
    }
    rename_blocking(&maint, &previous, &dst.dbname)?;
    maint.drop_database(&discarded)?;
    Ok(dst.dbname.clone())
}
