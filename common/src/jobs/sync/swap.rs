//! Putting a new staging database in place of the old one, and back, in one transaction.
//!
//! Both renames (`target` -> `target__previous`, `incoming` -> `target`) run in one transaction
//! with a lock timeout, after the old database's sessions were ended: whatever happens (a lock
//! that is not granted, an error, the tool killed while it waits), either both renames commit or
//! neither does, and staging is never missing. No database setting is changed for the swap, so a
//! kill at any moment leaves staging accepting connections (older versions refused connections
//! for the moment of the swap; [`repair_after_kill`] lets them in again if one was killed then).

use crate::engine::conn::PgConn;
use crate::engine::pg::{derived_name, quote_ident, quote_literal, PgAdmin};
use crate::error::{Error, Result};

/// How long one swap attempt waits for a lock before it gives up (`lock_timeout`).
pub const SWAP_LOCK_TIMEOUT: &str = "10s";

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
    // The sessions that built it may still be leaving.
    maint.wait_until_unused(incoming);
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
///
/// No setting of the database is changed on the way (nothing a kill could leave behind): the
/// first rename takes the database's exclusive lock, which holds new connections at their
/// start until the transaction ends, and then waits (up to 5 s, the server's own limit) for the
/// sessions still there to leave; a second session ends those meanwhile. Connections held back
/// fail once the rename commits ("database was renamed") and the applications reconnect to the
/// new copy.
fn renames_in_one_transaction(maint: &PgAdmin, renames: &[(&str, &str)], busy: &str) -> Result<()> {
    let terminator = PgAdmin::connect(maint.conn())?;
    let terminate = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = {} AND pid <> pg_backend_pid()",
        quote_literal(busy)
    );
    let mut last = None;
    for attempt in 1..=ATTEMPTS {
        let (first, rest) = renames.split_at(1);
        let result = maint
            .execute(&format!(
                "BEGIN; SET LOCAL lock_timeout = {}; {terminate};",
                quote_literal(SWAP_LOCK_TIMEOUT)
            ))
            .and_then(|()| {
                // Dropping `done` wakes the ending session at once (not at its next round).
                let (done, rounds) = std::sync::mpsc::channel::<()>();
                std::thread::scope(|scope| {
                    let terminator = &terminator;
                    let terminate = &terminate;
                    scope.spawn(move || loop {
                        if terminator.execute(terminate).is_err() {
                            break;
                        }
                        let wait = rounds.recv_timeout(std::time::Duration::from_millis(50));
                        if wait != Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
                            break;
                        }
                    });
                    let mut sql = String::new();
                    for (from, to) in first {
                        sql.push_str(&rename_sql(from, to));
                    }
                    let r = maint.execute(&sql);
                    drop(done);
                    r
                })
            })
            .and_then(|()| {
                crate::testpoint::reach("sync.swap.in-transaction");
                let mut tail = String::new();
                for (from, to) in rest {
                    tail.push_str(&rename_sql(from, to));
                }
                tail.push_str("COMMIT;");
                maint.execute(&tail)
            });
        match result {
            Ok(()) => return Ok(()),
            Err(e) => {
                let _ = maint.execute_cleanup("ROLLBACK");
                if matches!(e, Error::Interrupted { .. }) {
                    return Err(e);
                }
                tracing::debug!("swap attempt {attempt} failed: {}", e.describe());
                last = Some(e);
            }
        }
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
