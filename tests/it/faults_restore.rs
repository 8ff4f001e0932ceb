//! Fault suite, restores: `--create`, `--force` over a non-empty database, `--mask`, SQLite, and
//! `verify --restore-test`, killed or stopped at each stage (load, before the commit, before the
//! rename or swap). The target is whole and as before, or whole and new; nothing unmasked reaches
//! the staging side; the next run cleans up and succeeds.

use std::path::{Path, PathBuf};
use std::process::Command;

use tests::{
    cluster, files_containing, mode_of, sqlite_content, staging_cluster, Cluster, Stopped,
};

use crate::faults_common::*;

/// A production database with a backup of it in its own folder.
struct Prod {
    db: String,
    dir: tempfile::TempDir,
    file: PathBuf,
}

fn prod_backup(prefix: &str, rows: u32) -> Prod {
    let c = cluster();
    let db = c.create_db(prefix);
    load_app(c, &db.name, rows);
    let dir = tempfile::tempdir().expect("dir");
    let mut b = backup_tool();
    b.args(["backup", "--db", &c.url_with_password(&db.name), "--dir"])
        .arg(dir.path());
    let out = tests::run(b);
    assert_eq!(out.code, 0, "{}", out.stderr);
    Prod {
        db: db.name,
        file: PathBuf::from(out.stdout.trim()),
        dir,
    }
}

fn restore_cmd(file: &Path, url: &str, extra: &[&str]) -> Command {
    let mut r = backup_tool();
    r.arg("restore").arg(file).args(["--db", url]).args(extra);
    r
}

/// The checks of a PostgreSQL target after a killed or stopped run: no session of the run is
/// left, no other database than the expected ones exists, no original reached the server's
/// files when masking.
fn pg_leftovers(s: &Cluster, target: &str) -> Vec<String> {
    s.databases_like(&format!("{target}__"))
}

fn no_originals_on(p: &mut Problems, s: &Cluster, extra: &[&Path], tag: &str) {
    s.checkpoint();
    let mut dirs: Vec<PathBuf> = vec![s.data_dir(), s.log_file()];
    dirs.extend(extra.iter().map(|d| d.to_path_buf()));
    let refs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let needles = originals(tag);
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    p.none(
        "original (unmasked) values on the staging server's disk",
        &files_containing(&refs, &needles),
    );
}

fn masked_ok(p: &mut Problems, s: &Cluster, db: &str, prod: &str) {
    let c = cluster();
    p.check(row_counts(s, db) == row_counts(c, prod), || {
        format!(
            "row counts of {db} differ from the source's: {:?}",
            row_counts(s, db)
        )
    });
    let leaked = s.psql(
        db,
        "SELECT count(*) FROM users WHERE email LIKE 'orig-%' OR name LIKE 'Origname%' OR note LIKE '%orig-%'",
    );
    p.check(leaked.trim() == "0", || {
        format!("{db} holds {} unmasked users", leaked.trim())
    });
}

/// `restore --create` (optionally `--mask`) into the staging cluster, ended by `sig` at `point`.
fn create_case(prefix: &str, point: &str, sig: i32, mask: bool) {
    let s = staging_cluster();
    let prod = prod_backup(prefix, 3000);
    let tag = tag_of(&prod.db);
    let rules_dir = tempfile::tempdir().expect("rules");
    let rules = rules_file(rules_dir.path(), APP_RULES);
    let target = s.fresh_name(&format!("{prefix}_dst"));
    let mut extra = vec!["--create".to_string()];
    if mask {
        extra.push("--mask".into());
        extra.push(rules.display().to_string());
    }
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let url = s.url_with_password(&target);
    let ended = Stopped::at(restore_cmd(&prod.file, &url, &extra), point).send(sig);
    let case = format!(
        "restore --create{} ended by signal {sig} at {point}",
        if mask { " --mask" } else { "" }
    );
    let mut p = Problems::default();
    if sig == libc::SIGKILL {
        assert_killed(&ended);
    } else {
        after_signal(&mut p, &ended, sig);
    }
    after_end(&mut p, &ended, &[prod.dir.path()], &[]);
    p.none(
        "sessions of the ended run still open",
        &s.wait_sessions_gone(&target),
    );
    p.check(!s.db_exists(&target), || {
        format!("database {target} exists after the run was ended before its rename")
    });
    let left = pg_leftovers(s, &target);
    if sig == libc::SIGKILL {
        for l in &left {
            // A half-built database may stay until the next run; it must hold nothing
            // committed unless the load was complete (before the rename).
            if point != "restore.before-rename" {
                let n = s.psql(l, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'");
                p.check(n.trim() == "0", || {
                    format!(
                        "{l} holds {} committed tables of a load killed before its commit",
                        n.trim()
                    )
                });
            }
        }
    } else {
        p.none("databases left by the stopped run", &left);
    }
    if mask {
        no_originals_on(&mut p, s, &[], &tag);
    }
    // The next run of the same command succeeds and leaves only the target.
    let out = tests::run(restore_cmd(&prod.file, &url, &extra));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        if mask {
            masked_ok(&mut p, s, &target, &prod.db);
            no_originals_on(&mut p, s, &[], &tag);
        } else {
            p.check(
                s.table_checksums(&target) == cluster().table_checksums(&prod.db),
                || format!("{target} differs from the source after the next run"),
            );
            p.check(s.schema(&target) == cluster().schema(&prod.db), || {
                format!("{target}'s schema differs from the source's")
            });
        }
    }
    p.none(
        "databases left after the next run",
        &pg_leftovers(s, &target),
    );
    p.finish(&case);
}

#[test]
fn create_killed_while_loading() {
    create_case("frc_load", "pipe.loading", libc::SIGKILL, false);
}

#[test]
fn create_killed_before_commit() {
    create_case("frc_commit", "pipe.before-commit", libc::SIGKILL, false);
}

#[test]
fn create_killed_before_rename() {
    create_case("frc_rename", "restore.before-rename", libc::SIGKILL, false);
}

#[test]
fn create_sigterm_while_loading() {
    create_case("frc_tload", "pipe.loading", libc::SIGTERM, false);
}

#[test]
fn create_sigint_before_commit() {
    create_case("frc_icommit", "pipe.before-commit", libc::SIGINT, false);
}

#[test]
fn create_sigterm_before_rename() {
    create_case("frc_trename", "restore.before-rename", libc::SIGTERM, false);
}

#[test]
fn mask_create_killed_while_loading() {
    create_case("frm_load", "pipe.loading", libc::SIGKILL, true);
}

#[test]
fn mask_create_killed_before_commit() {
    create_case("frm_commit", "pipe.before-commit", libc::SIGKILL, true);
}

#[test]
fn mask_create_killed_before_rename() {
    create_case("frm_rename", "restore.before-rename", libc::SIGKILL, true);
}

#[test]
fn mask_create_sigterm_before_commit() {
    create_case("frm_tcommit", "pipe.before-commit", libc::SIGTERM, true);
}

/// `restore --force --yes` over a non-empty staging database, ended by `sig` at `point`.
fn force_case(prefix: &str, point: &str, sig: i32, mask: bool) {
    let s = staging_cluster();
    let prod = prod_backup(prefix, 3000);
    let tag = tag_of(&prod.db);
    let rules_dir = tempfile::tempdir().expect("rules");
    let rules = rules_file(rules_dir.path(), APP_RULES);
    let target = s.create_db(&format!("{prefix}_dst")).name;
    s.psql(
        &target,
        "CREATE TABLE public.users (id int PRIMARY KEY, email text); INSERT INTO public.users VALUES (1, 'old@staging.example');
         CREATE SCHEMA keep; CREATE TABLE keep.t (x int); INSERT INTO keep.t SELECT generate_series(1, 50);
         CREATE VIEW public.v AS SELECT count(*) FROM keep.t;",
    );
    let before = s.table_checksums(&target);
    let before_schema = s.schema(&target);
    let mut extra = vec!["--force".to_string(), "--yes".to_string()];
    if mask {
        extra.push("--mask".into());
        extra.push(rules.display().to_string());
    }
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let url = s.url_with_password(&target);
    let ended = Stopped::at(restore_cmd(&prod.file, &url, &extra), point).send(sig);
    let case = format!(
        "restore --force{} over a non-empty database ended by signal {sig} at {point}",
        if mask { " --mask" } else { "" }
    );
    let mut p = Problems::default();
    if sig == libc::SIGKILL {
        assert_killed(&ended);
    } else {
        after_signal(&mut p, &ended, sig);
    }
    after_end(&mut p, &ended, &[prod.dir.path()], &[]);
    p.none(
        "sessions of the ended run still open",
        &s.wait_sessions_gone(&target),
    );
    p.check(s.allows_connections(&target), || {
        format!("{target} refuses connections")
    });
    p.check(s.table_checksums(&target) == before, || {
        format!("{target} changed: {:?}", s.table_checksums(&target))
    });
    p.check(s.schema(&target) == before_schema, || {
        format!("{target}'s schema changed")
    });
    p.none("databases left by the ended run", &pg_leftovers(s, &target));
    if mask {
        no_originals_on(&mut p, s, &[], &tag);
    }
    let out = tests::run(restore_cmd(&prod.file, &url, &extra));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        if mask {
            masked_ok(&mut p, s, &target, &prod.db);
            no_originals_on(&mut p, s, &[], &tag);
        } else {
            p.check(
                s.table_checksums(&target) == cluster().table_checksums(&prod.db),
                || format!("{target} differs from the source after the next run"),
            );
            p.check(s.schema(&target) == cluster().schema(&prod.db), || {
                format!("{target}'s schema differs from the source's after the next run")
            });
        }
    }
    p.none(
        "databases left after the next run",
        &pg_leftovers(s, &target),
    );
    p.finish(&case);
}

#[test]
fn force_killed_while_loading() {
    force_case("frf_load", "pipe.loading", libc::SIGKILL, false);
}

#[test]
fn force_killed_before_commit() {
    force_case("frf_commit", "pipe.before-commit", libc::SIGKILL, false);
}

#[test]
fn force_sigterm_before_commit() {
    force_case("frf_tcommit", "pipe.before-commit", libc::SIGTERM, false);
}

#[test]
fn force_sigint_while_loading() {
    force_case("frf_iload", "pipe.loading", libc::SIGINT, false);
}

#[test]
fn mask_force_killed_before_commit() {
    force_case("frfm_commit", "pipe.before-commit", libc::SIGKILL, true);
}

// ---------------------------------------------------------------------------------------------
// SQLite restores.

struct SqliteProd {
    _src: tempfile::TempDir,
    src: PathBuf,
    dir: tempfile::TempDir,
    file: PathBuf,
    tag: String,
}

fn sqlite_prod(tag: &str, rows: u32) -> SqliteProd {
    let src = tempfile::tempdir().expect("src");
    let path = src.path().join("app.db");
    make_sqlite_app(&path, tag, rows, true);
    let dir = tempfile::tempdir().expect("dir");
    let mut b = backup_tool();
    b.args(["backup", "--db"])
        .arg(&path)
        .arg("--dir")
        .arg(dir.path());
    let out = tests::run(b);
    assert_eq!(out.code, 0, "{}", out.stderr);
    SqliteProd {
        src: path,
        _src: src,
        file: PathBuf::from(out.stdout.trim()),
        dir,
        tag: tag.to_string(),
    }
}

/// Restore of an SQLite backup over a non-empty staging file (mode 0640), ended by `sig` at
/// `point`.
fn sqlite_case(tag: &str, point: &str, sig: i32, mask: bool) {
    use std::os::unix::fs::PermissionsExt;
    let prod = sqlite_prod(tag, 3000);
    let staging = tempfile::tempdir().expect("staging");
    let target = staging.path().join("app.db");
    make_sqlite_stale(&target);
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let before = sqlite_content(&target);
    let rules = rules_file(prod.dir.path(), APP_RULES_SQLITE);
    let mut extra = vec!["--force".to_string(), "--yes".to_string()];
    if mask {
        extra.push("--mask".into());
        extra.push(rules.display().to_string());
    }
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let url = target.display().to_string();
    let ended = Stopped::at(restore_cmd(&prod.file, &url, &extra), point).send(sig);
    let case = format!(
        "sqlite restore --force{} ended by signal {sig} at {point}",
        if mask { " --mask" } else { "" }
    );
    let mut p = Problems::default();
    if sig == libc::SIGKILL {
        assert_killed(&ended);
    } else {
        after_signal(&mut p, &ended, sig);
        p.none(
            "scratch files left by the stopped run",
            &scratch_beside(staging.path()),
        );
    }
    let bak = staging.path().join("app.db.bak");
    after_end(&mut p, &ended, &[staging.path()], &[&target, &bak]);
    p.check(sqlite_content(&target) == before, || {
        format!("{} changed", target.display())
    });
    p.check(mode_of(&target) == 0o640, || {
        format!("target mode is now {:o}", mode_of(&target))
    });
    let needles = originals(&prod.tag);
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    if mask && point == "restore.sqlite.before-swap" {
        // Masking is done at this point: what is left on the staging side holds no original.
        p.none(
            "original values in the staging folder after masking (free pages, journals)",
            &files_containing(&[staging.path()], &needles),
        );
    }
    let out = tests::run(restore_cmd(&prod.file, &url, &extra));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.none(
        "scratch files left after the next run",
        &scratch_beside(staging.path()),
    );
    p.check(mode_of(&target) == 0o640, || {
        format!(
            "target mode after the next run is {:o}, not the 0640 it had",
            mode_of(&target)
        )
    });
    if mask {
        p.none(
            "original values in the staging folder after the next run",
            &files_containing(&[staging.path()], &needles),
        );
    } else {
        p.check(sqlite_content(&target) == sqlite_content(&prod.src), || {
            "the target differs from the source after the next run".into()
        });
    }
    p.finish(&case);
}

#[test]
fn sqlite_killed_before_swap() {
    sqlite_case(
        "frsqlswap",
        "restore.sqlite.before-swap",
        libc::SIGKILL,
        false,
    );
}

#[test]
fn sqlite_sigterm_before_swap() {
    sqlite_case(
        "frsqltswap",
        "restore.sqlite.before-swap",
        libc::SIGTERM,
        false,
    );
}

#[test]
fn sqlite_mask_killed_while_masking() {
    sqlite_case("frsqlmapply", "apply.before-commit", libc::SIGKILL, true);
}

#[test]
fn sqlite_mask_killed_before_swap() {
    sqlite_case(
        "frsqlmswap",
        "restore.sqlite.before-swap",
        libc::SIGKILL,
        true,
    );
}

// ---------------------------------------------------------------------------------------------
// verify --restore-test.

fn verify_case(prefix: &str, point: &str, sig: i32) {
    let s = staging_cluster();
    let prod = prod_backup(prefix, 2000);
    let scratch = s.fresh_name(&format!("{prefix}_scratch"));
    let url = s.url_with_password(&scratch);
    let cmd = || {
        let mut v = backup_tool();
        v.arg("verify")
            .arg(&prod.file)
            .args(["--restore-test", &url]);
        v
    };
    let ended = Stopped::at(cmd(), point).send(sig);
    let mut p = Problems::default();
    if sig == libc::SIGKILL {
        assert_killed(&ended);
    } else {
        after_signal(&mut p, &ended, sig);
        p.check(!s.db_exists(&scratch), || {
            format!("the scratch database {scratch} the stopped run created is still there")
        });
    }
    after_end(&mut p, &ended, &[prod.dir.path()], &[]);
    p.none(
        "sessions of the ended run still open",
        &s.wait_sessions_gone(&scratch),
    );
    let out = tests::run(cmd());
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(!s.db_exists(&scratch), || {
        format!(
            "the scratch database {scratch} created by the killed run is still there after the next run"
        )
    });
    p.none(
        "databases left after the next run",
        &pg_leftovers(s, &scratch),
    );
    p.finish(&format!(
        "verify --restore-test ended by signal {sig} at {point}"
    ));
}

#[test]
fn verify_restore_test_killed_while_loading() {
    verify_case("frv_load", "pipe.loading", libc::SIGKILL);
}

#[test]
fn verify_restore_test_killed_before_commit() {
    verify_case("frv_commit", "pipe.before-commit", libc::SIGKILL);
}

#[test]
fn verify_restore_test_sigterm_while_loading() {
    verify_case("frv_tload", "pipe.loading", libc::SIGTERM);
}

/// verify --restore-test of an SQLite backup killed while its scratch copy exists (there is no
/// testpoint on this path: the run is frozen with SIGSTOP once the copy is there, so the kill
/// lands while it exists). The copy is built as a private file beside the given path, never
/// under it, and the next run removes what the killed one left.
#[test]
fn verify_restore_test_sqlite_killed_with_its_scratch_file() {
    let prod = sqlite_prod("frvsqlite", 60000);
    let scratch_dir = tempfile::tempdir().expect("scratch");
    let scratch = scratch_dir.path().join("check.db");
    let building = scratch_dir.path().join(".check.db.verify.partial");
    let cmd = || {
        let mut v = backup_tool();
        v.arg("verify")
            .arg(&prod.file)
            .arg("--restore-test")
            .arg(&scratch);
        v
    };
    let mut run = Stopped::spawn(cmd());
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let appeared = tests::poll_until(tests::FAULT_DEADLINE, || {
        size(&building) > 0 || !run.running()
    });
    assert!(
        appeared && building.exists(),
        "the scratch copy never appeared: {}",
        run.stderr()
    );
    // SAFETY: freezing the child we spawned.
    unsafe {
        libc::kill(run.pid, libc::SIGSTOP);
    }
    assert!(
        building.exists(),
        "the run finished before it could be frozen; make the database bigger"
    );
    let ended = run.kill9();
    assert_killed(&ended);
    let mut p = Problems::default();
    p.check(!scratch.exists(), || {
        format!(
            "the killed run wrote under the given path {}",
            scratch.display()
        )
    });
    after_end(&mut p, &ended, &[prod.dir.path(), scratch_dir.path()], &[]);
    let out = tests::run(cmd());
    p.check(out.code == 0, || {
        format!(
            "next run of the same verify --restore-test: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    let left: Vec<String> = std::fs::read_dir(scratch_dir.path())
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    p.check(left.iter().all(|f| f.ends_with(".lock")), || {
        format!(
            "files with production data left beside the scratch path after the next run: {left:?}"
        )
    });
    p.finish("verify --restore-test (SQLite) killed with its scratch file");
}
