//! Putting a new staging database in place of the old one, and back, in one transaction.
//!
//! Both renames (`target` -> `target__previous`, `incoming` -> `target`) run in one transaction
//! with a lock timeout, after the old database's sessions were ended: whatever happens (a lock
//! that is not granted, an error, the tool killed while it waits), either both renames commit or
//! neither does, and staging is never missing. Connections are refused for the moment of the
//! swap only when sessions keep coming back; connections are allowed again on every failure
//! path, and a run killed in that moment is repaired by the next one (see [`repair_after_kill`]).

use crate::engine::conn::PgConn;
use crate::engine::pg::{derived_name, quote_ident, quote_literal, PgAdmin};
use crate::error::{Error, Result};

/// How long one swap attempt waits for a lock before it gives up (`lock_timeout`).
pub const SWAP_LOCK_TIMEOUT: &str = "10s";

/// Attempts before new connections to the old database are refused for the swap.
const POLITE_ATTEMPTS: u32 = 2;

/// Attempts in all.
const ATTEMPTS: u32 = 5;

/// The name under which the replaced database is kept.
pub fn previous_name(target: &str) -> String {
    derived_name(target, "__previous")
}

/// Puts `incoming` in place of `target`. The old database is dropped afterwards, or kept as
/// `<target>__previous` (whose own previous copy is dropped first).
pub fn swap_in(
    maint: &PgAdmin,
    target: &str,
    incoming: &str,
    keep_previous: bool,
) -> Result<Option<String>> {
    let previous = previous_name(target);
    if !maint.database_exists(target)? {
        maint.rename_database(incoming, target)?;
        return Ok(None);
    }
    if maint.database_exists(&previous)? {
        maint.drop_database(&previous)?;
    }
    renames_in_one_transaction(maint, &[(target, &previous), (incoming, target)], target)?;
    if keep_previous {
        Ok(Some(previous))
    } else {
        maint.drop_database(&previous)?;
        Ok(None)
    }
}

/// Runs the renames in one transaction, ending the sessions of `busy` (the database being
/// replaced) first, retrying while sessions come back.
fn renames_in_one_transaction(maint: &PgAdmin, renames: &[(&str, &str)], busy: &str) -> Result<()> {
    let mut last = None;
    let mut blocked = false;
    for attempt in 1..=ATTEMPTS {
        if attempt > POLITE_ATTEMPTS && !blocked {
            set_allow_connections(maint, busy, false)?;
            blocked = true;
        }
        let mut sql = format!(
            "BEGIN; SET LOCAL lock_timeout = {}; \
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = {} AND pid <> pg_backend_pid();",
            quote_literal(SWAP_LOCK_TIMEOUT),
            quote_literal(busy)
        );
        let (first, rest) = renames.split_at(1);
        for (from, to) in first {
            sql.push_str(&rename_sql(from, to));
        }
        let result = maint.execute(&sql).and_then(|()| {
            crate::testpoint::reach("sync.swap.in-transaction");
            let mut tail = String::new();
            for (from, to) in rest {
                tail.push_str(&rename_sql(from, to));
            }
            tail.push_str("COMMIT;");
            maint.execute(&tail)
        });
        match result {
            Ok(()) => {
                if blocked {
                    // The database that was blocked now has another name.
                    let moved = renames
                        .iter()
                        .find(|(from, _)| *from == busy)
                        .map(|(_, to)| *to)
                        .unwrap_or(busy);
                    set_allow_connections(maint, moved, true)?;
                }
                return Ok(());
            }
            Err(e) => {
                let _ = maint.execute("ROLLBACK");
                tracing::debug!("swap attempt {attempt} failed: {}", e.describe());
                last = Some(e);
            }
        }
    }
    if blocked {
        let _ = set_allow_connections(maint, busy, true);
    }
    Err(last.unwrap_or_else(|| Error::postgres(format!("cannot swap database '{busy}'"))))
}

fn rename_sql(from: &str, to: &str) -> String {
    format!(
        "ALTER DATABASE {} RENAME TO {};",
        quote_ident(from),
        quote_ident(to)
    )
}

fn set_allow_connections(maint: &PgAdmin, db: &str, allow: bool) -> Result<()> {
    maint.execute(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS {allow}",
        quote_ident(db)
    ))
}

/// Called before a refresh or rollback builds anything: if a run was killed during its swap,
/// its verified incoming copy is still there, and the staging database may still refuse
/// connections; let them in again.
pub fn repair_after_kill(maint: &PgAdmin, target: &str) -> Result<()> {
    if maint.database_exists(target)? && !maint.allows_connections(target)? {
        tracing::warn!(
            "'{target}' still refuses connections after an interrupted swap; allowing them again"
        );
        set_allow_connections(maint, target, true)?;
    }
    Ok(())
}

/// Puts the previous staging database back (kept by `--keep-previous`); the refreshed one is
/// dropped. Both renames run in one transaction.
pub fn rollback_pg(dst: &PgConn) -> Result<String> {
    let maint = PgAdmin::connect_maintenance(dst)?;
    repair_after_kill(&maint, &dst.dbname)?;
    let previous = previous_name(&dst.dbname);
    if !maint.database_exists(&previous)? {
        return Err(Error::Usage(format!(
            "there is no '{previous}' to roll back to (refresh with --keep-previous to keep one)"
        )));
    }
    let discarded = derived_name(&dst.dbname, "__rolled_back");
    if maint.database_exists(&discarded)? {
        maint.drop_database(&discarded)?;
    }
    if maint.database_exists(&dst.dbname)? {
        renames_in_one_transaction(
            &maint,
            &[(&dst.dbname, &discarded), (&previous, &dst.dbname)],
            &dst.dbname,
        )?;
        maint.drop_database(&discarded)?;
    } else {
        maint.rename_database(&previous, &dst.dbname)?;
    }
    Ok(dst.dbname.clone())
}
