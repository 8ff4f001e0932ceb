//! Retention through the CLI: dry runs explain, real runs delete only what the plan says, and
//! only files that carry our manifest.

use std::path::{Path, PathBuf};

use tests::{run, tool, visible_files};

/// Makes `n` real SQLite backups, then rewrites their manifests' times to one per day going
/// back from 2026-11-21, as if taken daily (the retention clock is the manifest's time).
fn daily_backups(dir: &Path, n: usize) -> Vec<PathBuf> {
    let tmp = dir.join("src.db");
    let conn = rusqlite::Connection::open(&tmp).expect("open");
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .expect("schema");
    drop(conn);
    let backups = dir.join("backups");
    let mut files = Vec::new();
    for i in 0..n {
        let mut c = tool("backup-tool");
        c.args(["backup", "--name", "app", "--db"])
            .arg(&tmp)
            .arg("--dir")
            .arg(&backups)
            .arg("--compress")
            .arg(if i % 2 == 0 { "gzip" } else { "zstd" });
        let out = run(c);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let file = PathBuf::from(out.stdout.trim());
        let mpath = PathBuf::from(format!("{}.manifest.json", file.display()));
        let mut m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&mpath).expect("read")).expect("json");
        let day = chrono::DateTime::parse_from_rfc3339("2026-11-21T03:00:00Z").expect("t")
            - chrono::Duration::days(i as i64);
        m["started_at"] = serde_json::json!(day.to_rfc3339());
        std::fs::write(&mpath, serde_json::to_string_pretty(&m).expect("json")).expect("write");
        files.push(file);
        // A second backup in the same second would get another name; keep them apart anyway.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    files
}

#[test]
fn dry_run_prints_every_decision_and_deletes_nothing_then_prune_deletes_exactly_those() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let files = daily_backups(tmp.path(), 4);
    let dir = tmp.path().join("backups");
    // A foreign file that looks like a backup but has no manifest must never be touched.
    std::fs::write(dir.join("app_20200101T000000Z.sql.gz"), b"not ours").expect("write");
    let before = visible_files(&dir);
    let mut p = tool("backup-tool");
    p.args(["prune", "--dir"])
        .arg(&dir)
        .args(["--keep-last", "2", "--dry-run"]);
    let out = run(p);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(visible_files(&dir), before, "dry run deleted something");
    assert!(out.stdout.contains("dry run"), "{}", out.stdout);
    let lines: Vec<&str> = out.stdout.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    assert_eq!(lines.iter().filter(|l| l.starts_with("keep")).count(), 2);
    assert!(
        lines
            .iter()
            .filter(|l| l.starts_with("remove"))
            .all(|l| l.contains("not among the last 2")),
        "{}",
        out.stdout
    );

    let mut p = tool("backup-tool");
    p.args(["prune", "--json", "--dir"])
        .arg(&dir)
        .args(["--keep-last", "2"]);
    let out = run(p);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(j[0]["deleted"].as_array().map(Vec::len), Some(2));
    // The two newest by manifest time remain (files[0] and files[1] are the latest days).
    for f in &files[..2] {
        assert!(f.exists(), "{} was deleted", f.display());
    }
    for f in &files[2..] {
        assert!(!f.exists(), "{} was kept", f.display());
        assert!(!PathBuf::from(format!("{}.manifest.json", f.display())).exists());
    }
    assert!(
        dir.join("app_20200101T000000Z.sql.gz").exists(),
        "a file without our manifest was deleted"
    );
}

#[test]
fn keep_days_never_removes_the_last_good_backup() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let files = daily_backups(tmp.path(), 2);
    let dir = tmp.path().join("backups");
    // Both are years old by now; `find -mtime +1 -delete` would remove both.
    let mut p = tool("backup-tool");
    p.args(["prune", "--dir"])
        .arg(&dir)
        .args(["--keep-days", "1"]);
    let out = run(p);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(files[0].exists(), "the newest good backup was deleted");
    assert!(!files[1].exists());
    // A corrupt newest backup does not count as good: min-keep protects the older good one.
    let tmp2 = tempfile::tempdir().expect("tempdir");
    let files = daily_backups(tmp2.path(), 2);
    let dir2 = tmp2.path().join("backups");
    let mut bytes = std::fs::read(&files[0]).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&files[0], bytes).expect("write");
    let mut p = tool("backup-tool");
    p.args(["prune", "--dir"])
        .arg(&dir2)
        .args(["--keep-last", "1"]);
    let out = run(p);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        files[1].exists(),
        "the only verified backup was deleted: {}",
        out.stdout
    );
}

#[test]
fn prune_without_rules_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut p = tool("backup-tool");
    p.args(["prune", "--dir"]).arg(tmp.path());
    assert_eq!(run(p).code, 2);
}
