//! Config-driven runs for cron, crontab lines, and status.

use tests::{cluster, load_sample, run, tool};

#[test]
fn run_backs_up_every_environment_and_one_failure_does_not_stop_the_others() {
    let c = cluster();
    let db = c.create_db("cfg_prod");
    load_sample(c, &db.name, 50);
    let tmp = tempfile::tempdir().expect("tempdir");
    let sqlite = tmp.path().join("timetracking.db");
    rusqlite::Connection::open(&sqlite)
        .expect("open")
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2);")
        .expect("schema");
    let cfg = tmp.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            r#"
[env.prod]
db = "{}"
password_env = "PROD_DB_PASSWORD"
protected = true
dir = "backups/pg"
schedule = "0 * * * *"
retention = {{ keep_hourly = 24, keep_daily = 7, min_keep = 2 }}

[env.blue]
db = "sqlite://{}"
dir = "backups/sqlite"
compress = "zstd:3"
schedule = "*/15 * * * *"

[env.broken]
db = "postgresql://postgres@127.0.0.1:1/nothing"
dir = "backups/broken"
"#,
            db.url,
            sqlite.display()
        ),
    )
    .expect("write config");
    let mut r = tool("backup-tool");
    r.env_remove("PGPASSWORD")
        .env("PROD_DB_PASSWORD", tests::PASSWORD)
        .args(["run", "--json", "--config"])
        .arg(&cfg);
    let out = run(r);
    assert_eq!(out.code, 1, "one environment failed: {}", out.stderr);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let envs = j["environments"].as_array().expect("array");
    assert_eq!(envs.len(), 3);
    let ok: Vec<&str> = envs
        .iter()
        .filter(|e| e["ok"] == true)
        .filter_map(|e| e["env"].as_str())
        .collect();
    assert_eq!(ok, vec!["blue", "prod"]);
    assert!(
        tmp.path()
            .join("backups/pg")
            .read_dir()
            .expect("dir")
            .count()
            >= 2
    );

    // status derives the allowed age from each schedule; the fresh backups pass.
    let mut s = tool("backup-tool");
    s.args(["status", "--config"])
        .arg(&cfg)
        .args(["--env", "prod"]);
    let out = run(s);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("OK"), "{}", out.stdout);

    // crontab: absolute paths, a PATH line, output to a log.
    let mut ct = tool("backup-tool");
    ct.args(["crontab", "--config"]).arg(&cfg);
    let out = run(ct);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.lines().any(|l| l.starts_with("PATH=/")),
        "{}",
        out.stdout
    );
    let prod_line = out
        .stdout
        .lines()
        .find(|l| l.contains("--env prod"))
        .expect("prod line");
    assert!(prod_line.starts_with("0 * * * * "), "{prod_line}");
    assert!(prod_line.contains(" exec /"), "absolute path: {prod_line}");
    assert!(
        prod_line.contains(". ") && prod_line.contains("backup-tools.env"),
        "reads its environment file: {prod_line}"
    );
    assert!(
        prod_line.contains(&format!(
            "--config {}",
            std::fs::canonicalize(&cfg).expect("abs").display()
        )),
        "{prod_line}"
    );
    assert!(
        prod_line.contains(">> /var/log/backup-tool.log 2>&1"),
        "{prod_line}"
    );
    assert!(
        !out.stdout.contains("--env broken"),
        "unscheduled env got a line"
    );
}

#[test]
fn status_alarms_when_the_newest_backup_is_too_old_or_missing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("app.db");
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute_batch("CREATE TABLE t (x);")
        .expect("schema");
    let dir = tmp.path().join("backups");
    let status = |max_age: &str| {
        let mut s = tool("backup-tool");
        s.args(["status", "--name", "app", "--max-age", max_age, "--dir"])
            .arg(&dir);
        run(s)
    };
    std::fs::create_dir_all(&dir).expect("mkdir");
    let out = status("26h");
    assert_eq!(out.code, 4, "no backup at all is an alarm: {}", out.stdout);
    let mut b = tool("backup-tool");
    b.args(["backup", "--db"]).arg(&db).arg("--dir").arg(&dir);
    let out = run(b);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(status("26h").code, 0);
    // Make the backup two days old by its manifest.
    let mpath = format!("{}.manifest.json", out.stdout.trim());
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&mpath).expect("read")).expect("json");
    m["started_at"] =
        serde_json::json!((chrono::Utc::now() - chrono::Duration::hours(48)).to_rfc3339());
    std::fs::write(&mpath, m.to_string()).expect("write");
    let out = status("26h");
    assert_eq!(out.code, 4, "{}", out.stdout);
    assert!(out.stdout.contains("STALE"), "{}", out.stdout);
    assert_eq!(status("3d").code, 0);
    assert_eq!(
        status("26").code,
        2,
        "a duration without unit is a usage error"
    );
}

#[test]
fn malformed_config_is_a_usage_error_naming_the_key() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cfg = tmp.path().join("backup.toml");
    std::fs::write(
        &cfg,
        "[env.prod]\ndb = \"x.db\"\ndir = \"b\"\nschedule = \"0 3 * * 8\"\n",
    )
    .expect("write");
    let mut r = tool("backup-tool");
    r.args(["run", "--config"]).arg(&cfg);
    let out = run(r);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("env.prod.schedule") && out.stderr.contains("day of week"),
        "{}",
        out.stderr
    );
}
