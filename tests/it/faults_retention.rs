//! Fault suite, retention with look-alike names: two sources sharing one backup name in one
//! folder never count for each other (`--keep-last 1` on one never deletes the other's only
//! backup); one source spelled two ways is still one source; `--min-keep 0` is refused.

use std::path::Path;
use std::process::Command;

use tests::{cluster, staging_cluster};

use crate::faults_common::*;

fn backup(db: &str, dir: &Path, extra: &[&str]) -> String {
    let mut c = backup_tool();
    c.args(["backup", "--db", db, "--dir"]).arg(dir).args(extra);
    let out = tests::run(c);
    assert_eq!(out.code, 0, "backup of {db}: {}", out.stderr);
    Path::new(out.stdout.trim())
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn source_of(dir: &Path, file: &str) -> String {
    let m: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join(format!("{file}.manifest.json"))).expect("manifest"),
    )
    .expect("json");
    m["source_id"].as_str().unwrap_or_default().to_string()
}

/// A PostgreSQL database named `app` and an SQLite file `app.db`: both back up as `app`.
#[test]
fn postgres_app_and_sqlite_app_db_keep_their_own_backups() {
    let s = staging_cluster();
    if !s.db_exists("app") {
        s.psql("postgres", "CREATE DATABASE app");
        s.psql("app", &app_sql("fretapp", 20));
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let sqlite = tmp.path().join("app.db");
    make_sqlite_app(&sqlite, "fretsqlite", 20, false);
    let dir = tmp.path().join("backups");
    let pg_url = s.url("app");
    let sq = sqlite.display().to_string();
    let mut p = Problems::default();
    let pg1 = backup(&pg_url, &dir, &[]);
    p.check(pg1.starts_with("app_"), || {
        format!("PostgreSQL backup named {pg1}")
    });
    let sq1 = backup(&sq, &dir, &["--keep-last", "1"]);
    p.check(sq1.starts_with("app_"), || {
        format!("SQLite backup named {sq1}")
    });
    p.check(listed(&dir).contains(&pg1), || {
        format!(
            "the SQLite backup's --keep-last 1 deleted the PostgreSQL database's only backup {pg1}"
        )
    });
    let pg2 = backup(&pg_url, &dir, &["--keep-last", "1"]);
    let now = listed(&dir);
    p.check(now.contains(&sq1), || {
        format!("the PostgreSQL backup's --keep-last 1 deleted the SQLite file's only backup {sq1}")
    });
    p.check(now.contains(&pg2) && !now.contains(&pg1), || {
        format!("PostgreSQL retention kept {now:?}")
    });
    // Prune of the whole folder, and of the name: each source keeps its newest.
    for args in [
        vec!["--keep-last", "1"],
        vec!["--name", "app", "--keep-last", "1"],
    ] {
        let sq2 = backup(&sq, &dir, &[]);
        let mut pr = backup_tool();
        pr.arg("prune").args(&args).arg("--dir").arg(&dir);
        let out = tests::run(pr);
        p.check(out.code == 0, || {
            format!("prune {args:?}: exit {}: {}", out.code, out.stderr)
        });
        let now = listed(&dir);
        p.check(
            now.len() == 2 && now.contains(&pg2) && now.contains(&sq2),
            || format!("prune {args:?} left {now:?}, expected {pg2} and {sq2}"),
        );
    }
    p.none(
        "listed backups that are not complete",
        &listed_are_complete(&dir),
    );
    p.finish("PostgreSQL app and SQLite app.db in one folder");
}

/// Two different PostgreSQL databases backed up under one `--name app`.
#[test]
fn two_postgres_databases_under_one_name_keep_their_own_backups() {
    let c = cluster();
    let a = c.create_db("fret_a").name;
    load_app(c, &a, 10);
    let b = c.create_db("fret_b").name;
    load_app(c, &b, 10);
    let dir = tempfile::tempdir().expect("dir");
    let mut p = Problems::default();
    let a1 = backup(&c.url(&a), dir.path(), &["--name", "app"]);
    let b1 = backup(
        &c.url(&b),
        dir.path(),
        &["--name", "app", "--keep-last", "1"],
    );
    p.check(listed(dir.path()).contains(&a1), || {
        format!("--keep-last 1 for {b} deleted {a}'s only backup {a1}")
    });
    let a2 = backup(
        &c.url(&a),
        dir.path(),
        &["--name", "app", "--keep-last", "1"],
    );
    let now = listed(dir.path());
    p.check(now.contains(&b1), || {
        format!("--keep-last 1 for {a} deleted {b}'s only backup {b1}")
    });
    p.check(now.contains(&a2) && !now.contains(&a1), || {
        format!("retention of {a} kept {now:?}")
    });
    p.check(
        source_of(dir.path(), &a2) != source_of(dir.path(), &b1),
        || "both sources have one identity".into(),
    );
    p.finish("two PostgreSQL databases under one name");
}

/// Two databases of the same name on two servers (different system identifiers), one name.
#[test]
fn same_database_name_on_two_servers_keeps_their_own_backups() {
    let (c, s) = (cluster(), staging_cluster());
    let name = c.fresh_name("fret_twin");
    c.psql("postgres", &format!("CREATE DATABASE {name}"));
    s.psql("postgres", &format!("CREATE DATABASE {name}"));
    let dir = tempfile::tempdir().expect("dir");
    let mut p = Problems::default();
    let x1 = backup(&c.url(&name), dir.path(), &[]);
    let y1 = backup(&s.url(&name), dir.path(), &["--keep-last", "1"]);
    let now = listed(dir.path());
    p.check(now.contains(&x1) && now.contains(&y1), || {
        format!("the second server's --keep-last 1 deleted the first server's only backup: {now:?}")
    });
    p.finish("the same database name on two servers");
}

/// One source spelled two ways (127.0.0.1 and localhost; an SQLite file and a symlink to it)
/// is one source: its retention counts both.
#[test]
fn one_source_spelled_two_ways_is_one_source() {
    let c = cluster();
    let db = c.create_db("fret_same").name;
    let dir = tempfile::tempdir().expect("dir");
    let mut p = Problems::default();
    backup(&c.url(&db), dir.path(), &[]);
    let second = backup(
        &format!("postgresql://postgres@localhost:{}/{db}", c.port),
        dir.path(),
        &["--keep-last", "1"],
    );
    p.check(listed(dir.path()) == vec![second.clone()], || {
        format!(
            "localhost and 127.0.0.1 counted as two sources: {:?}",
            listed(dir.path())
        )
    });
    let tmp = tempfile::tempdir().expect("tmp");
    let f = tmp.path().join("same.db");
    make_sqlite_app(&f, "fretsame", 5, false);
    let link = tmp.path().join("link.db");
    std::os::unix::fs::symlink(&f, &link).expect("symlink");
    let sdir = tmp.path().join("b");
    backup(&f.display().to_string(), &sdir, &["--name", "same"]);
    let s2 = backup(
        &link.display().to_string(),
        &sdir,
        &["--name", "same", "--keep-last", "1"],
    );
    p.check(listed(&sdir) == vec![s2.clone()], || {
        format!(
            "a file and a symlink to it counted as two sources: {:?}",
            listed(&sdir)
        )
    });
    p.finish("one source spelled two ways");
}

/// `--min-keep 0` is a usage error (exit 2) wherever retention is given, and nothing happens.
#[test]
fn min_keep_zero_is_refused_everywhere() {
    let c = cluster();
    let db = c.create_db("fret_minkeep").name;
    let dir = tempfile::tempdir().expect("dir");
    let first = backup(&c.url(&db), dir.path(), &[]);
    let mut p = Problems::default();
    let mut cases: Vec<(String, Command)> = Vec::new();
    let mut b = backup_tool();
    b.args([
        "backup",
        "--db",
        &c.url(&db),
        "--keep-last",
        "1",
        "--min-keep",
        "0",
        "--dir",
    ])
    .arg(dir.path());
    cases.push(("backup --keep-last 1 --min-keep 0".into(), b));
    for extra in [
        vec!["--keep-last", "1"],
        vec!["--keep-days", "1"],
        vec!["--dry-run", "--keep-last", "1"],
    ] {
        let mut pr = backup_tool();
        pr.arg("prune")
            .args(&extra)
            .args(["--min-keep", "0", "--dir"])
            .arg(dir.path());
        cases.push((format!("prune {extra:?} --min-keep 0"), pr));
    }
    let cfg = dir.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "[env.e]\ndb = \"{}\"\ndir = \"{}\"\nretention = {{ keep_last = 1, min_keep = 0 }}\n",
            c.url(&db),
            dir.path().display()
        ),
    )
    .expect("config");
    let mut r = backup_tool();
    r.args(["run", "--config"]).arg(&cfg);
    cases.push(("run --config (min_keep = 0)".into(), r));
    let n = cases.len();
    for (label, cmd) in cases {
        let out = tests::run(cmd);
        p.check(out.code == 2, || {
            format!(
                "{label}: exit {} (expected 2): {}",
                out.code,
                tail(&out.stderr)
            )
        });
    }
    p.check(listed(dir.path()) == vec![first.clone()], || {
        format!("the folder changed: {:?}", listed(dir.path()))
    });
    p.finish(&format!("--min-keep 0 ({n} cases)"));
}
