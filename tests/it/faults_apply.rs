//! Fault suite, `mask-tool apply` (masking a live copy in place), PostgreSQL and SQLite, killed
//! or stopped with every table rewritten but nothing committed: the copy is whole and as before,
//! nothing of the run is left (files, sessions, passwords), and the next run masks it, leaving
//! no original value in the database's files.

use std::path::{Path, PathBuf};
use std::process::Command;

use tests::{
    files_containing, mode_of, poll_until, sqlite_content, staging_cluster, Cluster, Stopped,
    FAULT_DEADLINE,
};

use crate::faults_common::*;

fn apply_cmd(rules: &Path, db: &str) -> Command {
    let mut c = mask_tool();
    c.args(["apply", "--rules"]).arg(rules).args(["--db", db]);
    c
}

fn needles(tag: &str) -> Vec<String> {
    originals(tag)
}

fn db_files(s: &Cluster, db: &str) -> PathBuf {
    let oid = s.psql(
        "postgres",
        &format!("SELECT oid FROM pg_database WHERE datname = '{db}'"),
    );
    s.data_dir().join("base").join(oid.trim())
}

fn pg_case(prefix: &str, sig: i32, point: &str) {
    let s = staging_cluster();
    let db = s.create_db(prefix).name;
    let tag = tag_of(&db);
    s.psql(&db, &app_sql(&tag, 3000));
    // An index apply drops and builds again (nothing depends on it).
    s.psql(&db, "CREATE INDEX users_name_idx ON public.users (name)");
    let before = s.table_checksums(&db);
    let before_schema = s.schema(&db);
    let tmp = tempfile::tempdir().expect("tmp");
    let rules = rules_file(tmp.path(), APP_RULES);
    let url = s.url_with_password(&db);
    let ended = Stopped::at(apply_cmd(&rules, &url), point).send(sig);
    let mut p = Problems::default();
    if sig == libc::SIGKILL {
        assert_killed(&ended);
    } else {
        after_signal(&mut p, &ended, sig);
    }
    after_end(&mut p, &ended, &[], &[]);
    let n = needles(&tag);
    let n: Vec<&str> = n.iter().map(String::as_str).collect();
    p.none(
        "original values spooled to the tool's TMPDIR",
        &files_containing(&[ended.tmp.as_path()], &n),
    );
    p.none(
        "sessions of the ended run still open",
        &s.wait_sessions_gone(&db),
    );
    p.check(s.table_checksums(&db) == before, || {
        format!("{db} changed: {:?}", s.table_checksums(&db))
    });
    p.check(s.schema(&db) == before_schema, || {
        format!("{db}'s schema changed")
    });
    p.none(
        "databases left by the ended run",
        &s.databases_like(&format!("{db}__")),
    );
    let out = tests::run(apply_cmd(&rules, &url));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        let left = s.psql(
            &db,
            "SELECT count(*) FROM users WHERE email LIKE 'orig-%' OR name LIKE 'Origname%' OR note LIKE '%orig-%'",
        );
        p.check(left.trim() == "0", || {
            format!("{} users still unmasked", left.trim())
        });
        p.check(
            row_counts(s, &db)
                == before
                    .keys()
                    .map(|k| (k.clone(), "3000".to_string()))
                    .collect::<Vec<_>>(),
            || format!("row counts changed: {:?}", row_counts(s, &db)),
        );
        s.checkpoint();
        p.none(
            "original values in the masked database's files (dead tuples, old relation files, indexes)",
            &files_containing(&[db_files(s, &db).as_path()], &n),
        );
    }
    p.finish(&format!(
        "mask-tool apply (PostgreSQL) ended by signal {sig} at {point}"
    ));
}

#[test]
fn pg_apply_killed_before_commit() {
    pg_case("fap_kill", libc::SIGKILL, "apply.before-commit");
}

/// Killed with the masked tables emptied and their indexes dropped, before the reload: the
/// indexes and rows are all there afterwards.
#[test]
fn pg_apply_killed_with_indexes_set_aside() {
    pg_case("fap_kill_idx", libc::SIGKILL, "apply.indexes-aside");
}

#[test]
fn pg_apply_sigterm_with_indexes_set_aside() {
    pg_case("fap_term_idx", libc::SIGTERM, "apply.indexes-aside");
}

#[test]
fn pg_apply_sigterm_before_commit() {
    pg_case("fap_term", libc::SIGTERM, "apply.before-commit");
}

#[test]
fn pg_apply_sigint_before_commit() {
    pg_case("fap_int", libc::SIGINT, "apply.before-commit");
}

/// A snapshot or transaction older than the apply.
enum Older {
    /// Another client's snapshot in the database (a transaction left open).
    Snapshot,
    /// A prepared transaction of the database.
    Prepared,
    /// A session of another database on the server with a transaction id: every snapshot
    /// taken while it runs (the rewrite's own included) counts it as running.
    OtherDatabase,
}

/// A snapshot or transaction older than the apply holds back the catalogs' horizon:
/// `VACUUM FULL` would keep the replaced statistics rows for it (a prepared transaction and
/// another database's transaction are not among the database's sessions). The names have few distinct values, so their statistics (a short list of the
/// most common values) are stored uncompressed and a byte scan sees any row kept. apply names
/// the transaction when it does not end in time; when it ends while apply waits, the rewrite
/// goes on and no original is left in the database's files.
fn older_transaction_case(prefix: &str, older: Older) {
    let s = staging_cluster();
    let db = s.create_db(prefix).name;
    let tag = tag_of(&db);
    s.psql(&db, &app_sql(&tag, 3000));
    s.psql(
        &db,
        &format!("UPDATE public.users SET name = 'Origname{tag}x' || (id % 10)"),
    );
    s.psql(&db, "VACUUM FULL public.users");
    s.psql(&db, "ANALYZE");
    // The holder's session, once it has a snapshot or a transaction id.
    let holder = |db: &str, app: &str, sql: &str, col: &str| {
        let mut session = s.session(db, app);
        session.send(sql);
        let pid = || {
            s.psql(
                "postgres",
                &format!("SELECT pid FROM pg_stat_activity WHERE application_name = '{app}' AND {col} IS NOT NULL"),
            )
            .trim()
            .to_string()
        };
        assert!(
            poll_until(FAULT_DEADLINE, || !pid().is_empty()),
            "the other client never got its {col}"
        );
        (session, pid())
    };
    let (named, ends): (String, Box<dyn FnOnce()>) = match older {
        Older::Snapshot => {
            let (session, pid) = holder(
                &db,
                &format!("snapshot_{db}"),
                "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1;",
                "backend_xmin",
            );
            (
                format!("session {pid} (database '{db}')"),
                Box::new(move || session.close()),
            )
        }
        Older::Prepared => {
            let gid = format!("held_{db}");
            s.psql(
                &db,
                &format!("BEGIN; SELECT txid_current(); PREPARE TRANSACTION '{gid}'"),
            );
            let d = db.clone();
            (
                format!("prepared transaction '{gid}'"),
                Box::new(move || {
                    s.psql(&d, &format!("ROLLBACK PREPARED '{gid}'"));
                }),
            )
        }
        Older::OtherDatabase => {
            let other = s.create_db(&format!("{prefix}_other")).name;
            let (session, pid) = holder(
                &other,
                &format!("xid_{db}"),
                "BEGIN; SELECT txid_current();",
                "backend_xid",
            );
            (
                format!("session {pid} (database '{other}')"),
                Box::new(move || session.close()),
            )
        }
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let rules = rules_file(tmp.path(), APP_RULES);
    let url = s.url_with_password(&db);
    let n = needles(&tag);
    let n: Vec<&str> = n.iter().map(String::as_str).collect();
    let mut p = Problems::default();
    let mut cmd = apply_cmd(&rules, &url);
    cmd.env("BACKUP_TOOLS_SNAPSHOT_WAIT", "1");
    let out = tests::run(cmd);
    p.check(
        out.code != 0 && out.stderr.contains("pg_statistic") && out.stderr.contains(&named),
        || {
            format!(
                "a run with an older transaction ({named}): exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        },
    );
    // The next run commits the masked rows again (the table gets a new file) and then waits;
    // the transaction ends while it waits.
    let node = || s.psql(&db, "SELECT pg_relation_filenode('public.users')");
    let before = node();
    let mut cmd = apply_cmd(&rules, &url);
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("start mask-tool apply");
    let committed = poll_until(FAULT_DEADLINE, || node() != before);
    p.check(committed, || "the second run never committed".to_string());
    ends();
    let out = child.wait_with_output().expect("wait for mask-tool apply");
    p.check(out.status.success(), || {
        format!(
            "the run the older transaction ended under: {}: {}",
            out.status,
            tail(&String::from_utf8_lossy(&out.stderr))
        )
    });
    s.checkpoint();
    p.none(
        "original values in the masked database's files (statistics included)",
        &files_containing(&[db_files(s, &db).as_path()], &n),
    );
    p.finish(&format!(
        "mask-tool apply with an older transaction ({named})"
    ));
}

#[test]
fn pg_apply_with_a_snapshot_held_open_leaves_no_sampled_original_in_the_statistics() {
    older_transaction_case("fap_snap", Older::Snapshot);
}

#[test]
fn pg_apply_with_an_older_prepared_transaction_waits_for_it() {
    older_transaction_case("fap_prep", Older::Prepared);
}

#[test]
fn pg_apply_with_an_older_transaction_in_another_database_waits_for_it() {
    older_transaction_case("fap_xdb", Older::OtherDatabase);
}

fn sqlite_case(tag: &str, sig: i32, wal: bool) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("copy.db");
    make_sqlite_app(&db, tag, 3000, wal);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let before = sqlite_content(&db);
    let rules_dir = tempfile::tempdir().expect("rules");
    let rules = rules_file(rules_dir.path(), APP_RULES_SQLITE);
    let url = db.display().to_string();
    let ended = Stopped::at(apply_cmd(&rules, &url), "apply.before-commit").send(sig);
    let mut p = Problems::default();
    if sig == libc::SIGKILL {
        assert_killed(&ended);
    } else {
        after_signal(&mut p, &ended, sig);
    }
    // The database's own journal files take the database's mode, as SQLite makes them.
    let journals: Vec<PathBuf> = ["-journal", "-wal", "-shm"]
        .iter()
        .map(|e| dir.path().join(format!("copy.db{e}")))
        .collect();
    let mut keep: Vec<&Path> = vec![db.as_path()];
    keep.extend(journals.iter().map(PathBuf::as_path));
    after_end(&mut p, &ended, &[dir.path()], &keep);
    let n = needles(tag);
    let n: Vec<&str> = n.iter().map(String::as_str).collect();
    p.none(
        "original values spooled to the tool's TMPDIR",
        &files_containing(&[ended.tmp.as_path()], &n),
    );
    for j in &journals {
        if j.exists() {
            p.check(mode_of(j) & 0o077 == mode_of(&db) & 0o077, || {
                format!(
                    "{} has mode {:o}, wider than the database's",
                    j.display(),
                    mode_of(j)
                )
            });
        }
    }
    p.check(sqlite_content(&db) == before, || {
        "the database changed".into()
    });
    p.check(mode_of(&db) == 0o640, || {
        format!("mode is now {:o}", mode_of(&db))
    });
    let out = tests::run(apply_cmd(&rules, &url));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(mode_of(&db) == 0o640, || {
        format!("mode after the next run is {:o}", mode_of(&db))
    });
    if out.code == 0 {
        p.none(
            "original values in the masked file or its journals (free pages, WAL)",
            &files_containing(&[dir.path()], &n),
        );
        let c = rusqlite::Connection::open(&db).expect("open");
        let n: i64 = c
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .unwrap_or(-1);
        p.check(n == 3000, || format!("{n} users after the next run"));
    }
    p.finish(&format!(
        "mask-tool apply (SQLite{}) ended by signal {sig} before its commit",
        if wal { ", WAL" } else { "" }
    ));
}

#[test]
fn sqlite_apply_killed_before_commit() {
    sqlite_case("fasqkill", libc::SIGKILL, false);
}

#[test]
fn sqlite_wal_apply_killed_before_commit() {
    sqlite_case("fasqwal", libc::SIGKILL, true);
}

#[test]
fn sqlite_apply_sigterm_before_commit() {
    sqlite_case("fasqterm", libc::SIGTERM, false);
}
