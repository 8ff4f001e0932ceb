//! Named points where the fault suite stops a run to kill it there.
//!
//! A run reaching point `name` while `BACKUP_TOOLS_TESTPOINT=name` is set announces it (a line
//! `testpoint <name> reached` on stderr, and the file named by `BACKUP_TOOLS_TESTPOINT_FILE`
//! created) and then waits until it is killed, so a test can `kill -9` the tool at exactly that
//! stage instead of after a sleep that may land elsewhere. A stop requested meanwhile (SIGTERM,
//! Ctrl-C) lets the run go on into its failure path; so does the file named by
//! `BACKUP_TOOLS_TESTPOINT_RELEASE` once it exists (a test that changes the world at the point,
//! then lets the run meet it). Only debug builds have them: in a release
//! build [`reach`] is empty and the variables mean nothing.

/// Stops here if the fault suite asked for this point (debug builds only).
#[cfg(debug_assertions)]
pub fn reach(name: &str) {
    use std::io::Write;
    if std::env::var_os("BACKUP_TOOLS_TESTPOINT").is_none_or(|v| v != name) {
        return;
    }
    let _ = writeln!(std::io::stderr(), "testpoint {name} reached");
    if let Some(f) = std::env::var_os("BACKUP_TOOLS_TESTPOINT_FILE") {
        let _ = std::fs::write(f, name);
    }
    // A test may also let the run go on: the file `BACKUP_TOOLS_TESTPOINT_RELEASE` names,
    // once it exists, opens the point for good.
    let release = std::env::var_os("BACKUP_TOOLS_TESTPOINT_RELEASE").map(std::path::PathBuf::from);
    while !crate::interrupt::requested() {
        if release.as_ref().is_some_and(|f| f.exists()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Stops here if the fault suite asked for this point (debug builds only).
#[cfg(not(debug_assertions))]
pub fn reach(_name: &str) {}
