//! Fault suite, backups and retention: a backup killed or stopped at each stage (dump, before
//! the manifest, retention) never leaves something listed that is incomplete, never a password
//! or a world-readable data file, and the next run cleans up and succeeds.

use std::path::Path;
use std::process::Command;

use tests::{all_files, cluster, Stopped};

use crate::faults_common::*;

fn backup_cmd(db: &str, dir: &Path, extra: &[&str]) -> Command {
    let mut c = backup_tool();
    c.args(["backup", "--db", db, "--dir"]).arg(dir).args(extra);
    c
}

fn ok_backup(db: &str, dir: &Path, extra: &[&str]) -> String {
    let out = tests::run(backup_cmd(db, dir, extra));
    assert_eq!(out.code, 0, "backup failed: {}", out.stderr);
    out.stdout.trim().to_string()
}

/// Files of the folder that are neither listed backups, their manifests, nor lock files.
fn unlisted_files(dir: &Path) -> Vec<String> {
    let listed = listed(dir);
    all_files(dir)
        .into_iter()
        .filter(|f| {
            !f.ends_with(".lock")
                && !listed.contains(f)
                && !listed.iter().any(|l| *f == format!("{l}.manifest.json"))
        })
        .collect()
}

fn restore_refused(file: &Path, c: &tests::Cluster, p: &mut Problems) {
    let target = c.fresh_name("fb_orphan_dst");
    let mut r = backup_tool();
    r.arg("restore")
        .arg(file)
        .args(["--db", &c.url(&target), "--create"]);
    let out = tests::run(r);
    p.check(out.code == 3, || {
        format!(
            "restore of the unlisted {} gave exit {} (expected 3): {}",
            file.display(),
            out.code,
            tail(&out.stderr)
        )
    });
    p.check(!c.db_exists(&target), || {
        format!("restore of an unlisted file created database {target}")
    });
}

/// PostgreSQL backup killed while pg_dump's output is being written.
#[test]
fn pg_backup_killed_while_dumping() {
    let c = cluster();
    let db = c.create_db("fb_dump");
    load_app(c, &db.name, 2000);
    let dir = tempfile::tempdir().expect("dir");
    let url = c.url_with_password(&db.name);
    ok_backup(&url, dir.path(), &[]);
    let before = listed(dir.path());
    let stopped = Stopped::at(backup_cmd(&url, dir.path(), &[]), "backup.dumping");
    let ended = stopped.kill9();
    assert_killed(&ended);
    let mut p = Problems::default();
    after_end(&mut p, &ended, &[dir.path()], &[]);
    p.check(listed(dir.path()) == before, || {
        format!("list changed after the kill: {:?}", listed(dir.path()))
    });
    p.none(
        "listed backups that are not complete",
        &listed_are_complete(dir.path()),
    );
    for f in unlisted_files(dir.path()) {
        restore_refused(&dir.path().join(f), c, &mut p);
    }
    let mut v = backup_tool();
    v.args(["verify", "--dir"]).arg(dir.path());
    let out = tests::run(v);
    p.check(out.code == 0, || {
        format!("verify --dir after the kill: exit {}", out.code)
    });
    // The next run removes the leftover and succeeds.
    let out = tests::run(backup_cmd(&url, dir.path(), &[]));
    p.check(out.code == 0, || {
        format!("next backup: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.none("left over after the next run", &unlisted_files(dir.path()));
    p.check(listed(dir.path()).len() == 2, || {
        format!("expected 2 listed backups, got {:?}", listed(dir.path()))
    });
    p.none(
        "listed backups that are not complete",
        &listed_are_complete(dir.path()),
    );
    p.finish("pg backup killed while dumping");
}

/// PostgreSQL backup killed after its file was renamed into place, before its manifest.
#[test]
fn pg_backup_killed_before_manifest() {
    let c = cluster();
    let db = c.create_db("fb_manifest");
    load_app(c, &db.name, 500);
    let dir = tempfile::tempdir().expect("dir");
    ok_backup(&db.url, dir.path(), &[]);
    let before = listed(dir.path());
    let ended = Stopped::at(
        backup_cmd(&db.url, dir.path(), &[]),
        "backup.before-manifest",
    )
    .kill9();
    assert_killed(&ended);
    let mut p = Problems::default();
    after_end(&mut p, &ended, &[dir.path()], &[]);
    p.check(listed(dir.path()) == before, || {
        format!("list changed after the kill: {:?}", listed(dir.path()))
    });
    let orphans = unlisted_files(dir.path());
    p.check(!orphans.is_empty(), || {
        "the kill left no file: the testpoint is not where it claims".into()
    });
    for f in &orphans {
        restore_refused(&dir.path().join(f), c, &mut p);
    }
    // Retention in the meantime deletes nothing it should keep.
    let mut pr = backup_tool();
    pr.args(["prune", "--keep-last", "1", "--dir"])
        .arg(dir.path());
    let out = tests::run(pr);
    p.check(out.code == 0, || {
        format!("prune: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(listed(dir.path()) == before, || {
        "prune removed the only good backup".into()
    });
    let out = tests::run(backup_cmd(&db.url, dir.path(), &[]));
    p.check(out.code == 0, || {
        format!("next backup: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.none("left over after the next run", &unlisted_files(dir.path()));
    p.check(listed(dir.path()).len() == 2, || {
        format!("expected 2 listed backups, got {:?}", listed(dir.path()))
    });
    p.none(
        "listed backups that are not complete",
        &listed_are_complete(dir.path()),
    );
    p.finish("pg backup killed before its manifest");
}

fn signalled_backup(db: &str, point: &str, sig: i32, case: &str) {
    let dir = tempfile::tempdir().expect("dir");
    ok_backup(db, dir.path(), &[]);
    let files_before = all_files(dir.path());
    let ended = Stopped::at(backup_cmd(db, dir.path(), &[]), point).send(sig);
    let mut p = Problems::default();
    after_signal(&mut p, &ended, sig);
    after_end(&mut p, &ended, &[dir.path()], &[]);
    p.check(all_files(dir.path()) == files_before, || {
        format!(
            "the folder changed: {:?} -> {:?}",
            files_before,
            all_files(dir.path())
        )
    });
    p.none(
        "listed backups that are not complete",
        &listed_are_complete(dir.path()),
    );
    let out = tests::run(backup_cmd(db, dir.path(), &[]));
    p.check(out.code == 0, || {
        format!("next backup: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(listed(dir.path()).len() == 2, || {
        format!("expected 2 listed backups, got {:?}", listed(dir.path()))
    });
    p.finish(case);
}

#[test]
fn pg_backup_sigterm_while_dumping() {
    let c = cluster();
    let db = c.create_db("fb_term");
    load_app(c, &db.name, 500);
    signalled_backup(
        &db.url,
        "backup.dumping",
        libc::SIGTERM,
        "pg backup, SIGTERM while dumping",
    );
}

#[test]
fn pg_backup_sigint_before_manifest() {
    let c = cluster();
    let db = c.create_db("fb_int");
    load_app(c, &db.name, 500);
    signalled_backup(
        &db.url,
        "backup.before-manifest",
        libc::SIGINT,
        "pg backup, SIGINT before the manifest",
    );
}

#[test]
fn pg_backup_sigterm_before_manifest() {
    let c = cluster();
    let db = c.create_db("fb_term_m");
    load_app(c, &db.name, 200);
    signalled_backup(
        &db.url,
        "backup.before-manifest",
        libc::SIGTERM,
        "pg backup, SIGTERM before the manifest",
    );
}

fn sqlite_source(dir: &Path, tag: &str) -> String {
    let p = dir.join("app.db");
    make_sqlite_app(&p, tag, 1500, true);
    p.display().to_string()
}

/// SQLite backup killed while its snapshot is being compressed: the uncompressed snapshot
/// (production data) is left in the backup folder, private, and removed by the next run.
#[test]
fn sqlite_backup_killed_while_dumping() {
    let src = tempfile::tempdir().expect("src");
    let db = sqlite_source(src.path(), "fbsqlitedump");
    let dir = tempfile::tempdir().expect("dir");
    ok_backup(&db, dir.path(), &[]);
    let before = listed(dir.path());
    let ended = Stopped::at(backup_cmd(&db, dir.path(), &[]), "backup.dumping").kill9();
    assert_killed(&ended);
    let mut p = Problems::default();
    after_end(&mut p, &ended, &[dir.path()], &[]);
    p.check(listed(dir.path()) == before, || {
        "list changed after the kill".into()
    });
    let out = tests::run(backup_cmd(&db, dir.path(), &[]));
    p.check(out.code == 0, || {
        format!("next backup: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.none("left over after the next run", &unlisted_files(dir.path()));
    p.check(listed(dir.path()).len() == 2, || {
        format!("expected 2 listed backups, got {:?}", listed(dir.path()))
    });
    p.none(
        "listed backups that are not complete",
        &listed_are_complete(dir.path()),
    );
    p.finish("sqlite backup killed while dumping");
}

#[test]
fn sqlite_backup_killed_before_manifest() {
    let src = tempfile::tempdir().expect("src");
    let db = sqlite_source(src.path(), "fbsqlitemani");
    let dir = tempfile::tempdir().expect("dir");
    ok_backup(&db, dir.path(), &["--compress", "zstd:3"]);
    let before = listed(dir.path());
    let ended = Stopped::at(
        backup_cmd(&db, dir.path(), &["--compress", "zstd:3"]),
        "backup.before-manifest",
    )
    .kill9();
    assert_killed(&ended);
    let mut p = Problems::default();
    after_end(&mut p, &ended, &[dir.path()], &[]);
    p.check(listed(dir.path()) == before, || {
        "list changed after the kill".into()
    });
    let mut v = backup_tool();
    v.args(["verify", "--dir"]).arg(dir.path());
    let out = tests::run(v);
    p.check(out.code == 0, || {
        format!("verify --dir after the kill: exit {}", out.code)
    });
    let out = tests::run(backup_cmd(&db, dir.path(), &["--compress", "zstd:3"]));
    p.check(out.code == 0, || {
        format!("next backup: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.none("left over after the next run", &unlisted_files(dir.path()));
    p.check(listed(dir.path()).len() == 2, || {
        format!("expected 2 listed backups, got {:?}", listed(dir.path()))
    });
    p.finish("sqlite backup killed before its manifest");
}

#[test]
fn sqlite_backup_sigterm_while_dumping() {
    let src = tempfile::tempdir().expect("src");
    let db = sqlite_source(src.path(), "fbsqliteterm");
    signalled_backup(
        &db,
        "backup.dumping",
        libc::SIGTERM,
        "sqlite backup, SIGTERM while dumping",
    );
}

fn three_backups(db: &str, dir: &Path) -> Vec<String> {
    for _ in 0..3 {
        ok_backup(db, dir, &[]);
    }
    let l = listed(dir);
    assert_eq!(l.len(), 3, "{l:?}");
    l
}

/// Retention after a backup, killed after its first deletion.
#[test]
fn backup_retention_killed_after_one_deletion() {
    let c = cluster();
    let db = c.create_db("fb_prune");
    load_app(c, &db.name, 100);
    let dir = tempfile::tempdir().expect("dir");
    three_backups(&db.url, dir.path());
    let ended = Stopped::at(
        backup_cmd(&db.url, dir.path(), &["--keep-last", "1"]),
        "prune.deleted-one",
    )
    .kill9();
    assert_killed(&ended);
    let mut p = Problems::default();
    after_end(&mut p, &ended, &[dir.path()], &[]);
    let now = listed(dir.path());
    p.check(now.len() == 3, || {
        format!("expected 3 backups left after one deletion (new one included), got {now:?}")
    });
    p.none(
        "listed backups that are not complete",
        &listed_are_complete(dir.path()),
    );
    p.none(
        "files that are not listed backups",
        &unlisted_files(dir.path()),
    );
    let out = tests::run(backup_cmd(&db.url, dir.path(), &["--keep-last", "1"]));
    p.check(out.code == 0, || {
        format!("next backup: exit {}: {}", out.code, tail(&out.stderr))
    });
    let after = listed(dir.path());
    p.check(after.len() == 1, || format!("--keep-last 1 left {after:?}"));
    p.none(
        "listed backups that are not complete",
        &listed_are_complete(dir.path()),
    );
    p.none(
        "files that are not listed backups",
        &unlisted_files(dir.path()),
    );
    p.finish("backup retention killed after one deletion");
}

/// `prune` on its own, killed after its first deletion, and stopped by SIGTERM there.
#[test]
fn prune_killed_and_stopped_after_one_deletion() {
    let c = cluster();
    let db = c.create_db("fb_prune2");
    load_app(c, &db.name, 100);
    let mut p = Problems::default();
    for sig in [libc::SIGKILL, libc::SIGTERM] {
        let dir = tempfile::tempdir().expect("dir");
        let all = three_backups(&db.url, dir.path());
        let newest = all.last().cloned().unwrap_or_default();
        let mut cmd = backup_tool();
        cmd.args(["prune", "--keep-last", "1", "--dir"])
            .arg(dir.path());
        let ended = Stopped::at(cmd, "prune.deleted-one").send(sig);
        if sig == libc::SIGTERM {
            after_signal(&mut p, &ended, sig);
        } else {
            assert_killed(&ended);
        }
        after_end(&mut p, &ended, &[dir.path()], &[]);
        let now = listed(dir.path());
        p.check(now.len() == 2 && now.contains(&newest), || {
            format!("signal {sig}: after one deletion expected the 2 newest, got {now:?}")
        });
        p.none(
            "listed backups that are not complete",
            &listed_are_complete(dir.path()),
        );
        p.none(
            "files that are not listed backups",
            &unlisted_files(dir.path()),
        );
        let mut cmd = backup_tool();
        cmd.args(["prune", "--keep-last", "1", "--dir"])
            .arg(dir.path());
        let out = tests::run(cmd);
        p.check(out.code == 0, || format!("next prune: exit {}", out.code));
        p.check(listed(dir.path()) == vec![newest.clone()], || {
            format!("signal {sig}: next prune left {:?}", listed(dir.path()))
        });
    }
    p.finish("prune killed / stopped after one deletion");
}
