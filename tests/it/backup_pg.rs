//! PostgreSQL backups: round trips checked by content, manifests, secrets.

use std::path::Path;
use std::process::Command;

use tests::{cluster, load_sample, run, tool, visible_files, PASSWORD};

fn manifest(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(format!("{}.manifest.json", path.display()))
        .expect("manifest exists");
    serde_json::from_str(&text).expect("manifest is JSON")
}

fn backup(db_url: &str, dir: &Path, extra: &[&str]) -> std::path::PathBuf {
    let mut c = tool("backup-tool");
    c.args(["backup", "--db", db_url, "--dir"])
        .arg(dir)
        .args(extra);
    let out = run(c);
    assert_eq!(out.code, 0, "backup failed: {}", out.stderr);
    std::path::PathBuf::from(out.stdout.trim())
}

#[test]
fn gzip_backup_restores_to_identical_content_with_the_tool_and_by_hand() {
    let c = cluster();
    let src = c.create_db("rt_src");
    load_sample(c, &src.name, 2000);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup(&src.url, dir.path(), &[]);
    assert!(
        file.to_string_lossy().ends_with(".sql.gz"),
        "{}",
        file.display()
    );
    let name = file
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or_default()
        .to_string();
    assert!(name.starts_with(&format!("{}_", src.name)), "{name}");

    // With the tool, into a database it creates.
    let target = c.fresh_name("rt_dst");
    let mut r = tool("backup-tool");
    r.args(["restore"])
        .arg(&file)
        .args(["--db", &c.url(&target), "--create"]);
    let out = run(r);
    assert_eq!(out.code, 0, "restore failed: {}", out.stderr);
    assert_eq!(c.schema(&src.name), c.schema(&target));
    assert_eq!(c.table_checksums(&src.name), c.table_checksums(&target));
    assert_eq!(
        c.psql(&target, "SELECT public.tricky()"),
        c.psql(&src.name, "SELECT public.tricky()")
    );

    // By hand, as the seeds do: gunzip < f | psql.
    let by_hand = c.create_db("rt_hand");
    let sh = format!(
        "gunzip < '{}' | '{}' -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p {} -U postgres -d {}",
        file.display(),
        c.bindir.join("psql").display(),
        c.port,
        by_hand.name
    );
    let out = run({
        let mut s = Command::new("sh");
        s.args(["-c", &sh]).env("PGPASSWORD", PASSWORD);
        s
    });
    assert_eq!(out.code, 0, "gunzip | psql failed: {}", out.stderr);
    assert_eq!(
        c.table_checksums(&src.name),
        c.table_checksums(&by_hand.name)
    );
}

#[test]
fn zstd_and_uncompressed_backups_round_trip() {
    let c = cluster();
    let src = c.create_db("codec_src");
    load_sample(c, &src.name, 500);
    let dir = tempfile::tempdir().expect("tempdir");
    for (codec, ext) in [
        ("zstd:5", ".sql.zst"),
        ("none", ".sql"),
        ("gzip:1", ".sql.gz"),
    ] {
        let file = backup(
            &src.url,
            dir.path(),
            &["--compress", codec, "--name", &format!("c{}", ext.len())],
        );
        assert!(
            file.to_string_lossy().ends_with(ext),
            "{codec}: {}",
            file.display()
        );
        let target = c.fresh_name("codec_dst");
        let mut r = tool("backup-tool");
        r.args(["restore"])
            .arg(&file)
            .args(["--db", &c.url(&target), "--create"]);
        let out = run(r);
        assert_eq!(out.code, 0, "{codec}: {}", out.stderr);
        assert_eq!(
            c.table_checksums(&src.name),
            c.table_checksums(&target),
            "{codec}"
        );
        assert_eq!(manifest(&file)["codec"], codec);
    }
}

#[test]
fn manifest_records_the_backup_and_no_secret() {
    let c = cluster();
    let src = c.create_db("manifest");
    load_sample(c, &src.name, 300);
    let dir = tempfile::tempdir().expect("tempdir");
    // The password is in the URL here, and must appear nowhere: not in output, logs or manifest.
    let mut cmd = tool("backup-tool");
    cmd.env_remove("PGPASSWORD")
        .args(["backup", "--db", &c.url_with_password(&src.name), "--dir"])
        .arg(dir.path())
        .arg("--json");
    let out = run(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains(PASSWORD) && !out.stderr.contains(PASSWORD));
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json on stdout");
    let file = std::path::PathBuf::from(report["path"].as_str().expect("path"));
    let m = manifest(&file);
    let text =
        std::fs::read_to_string(format!("{}.manifest.json", file.display())).expect("manifest");
    assert!(!text.contains(PASSWORD), "manifest leaks the password");
    assert_eq!(
        m["source"],
        format!(
            "postgresql://postgres:***@127.0.0.1:{}/{}",
            c.port, src.name
        )
    );
    assert_eq!(m["engine"], "postgresql");
    assert_eq!(m["content"], "plain-sql");
    assert!(m["dump_tool"]
        .as_str()
        .is_some_and(|s| s.starts_with("pg_dump ")));
    assert_eq!(
        m["size"].as_u64(),
        Some(std::fs::metadata(&file).expect("meta").len())
    );
    // sha256 as the system's sha256sum computes it.
    let sum = run({
        let mut s = Command::new("sha256sum");
        s.arg(&file);
        s
    });
    assert_eq!(m["sha256"].as_str(), sum.stdout.split_whitespace().next());
    // Row counts counted from the stream equal the database's.
    assert_eq!(m["tables"]["public.users"].as_u64(), Some(300));
    assert_eq!(m["tables"]["public.accounts"].as_u64(), Some(300));
    assert_eq!(
        m["tables"]["\"Billing\".\"Invoice Lines\""].as_u64(),
        Some(3)
    );
    assert_eq!(m["tables"]["public.empty_table"].as_u64(), Some(0));
    use std::os::unix::fs::PermissionsExt;
    for f in [
        file.clone(),
        std::path::PathBuf::from(format!("{}.manifest.json", file.display())),
    ] {
        let mode = std::fs::metadata(&f).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} has mode {mode:o}", f.display());
    }
    assert_eq!(
        visible_files(dir.path()).len(),
        2,
        "only the backup and its manifest"
    );
}

#[test]
fn pg_dump_and_psql_never_see_the_password_on_their_command_line() {
    let c = cluster();
    let src = c.create_db("argv");
    load_sample(c, &src.name, 10);
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = tempfile::tempdir().expect("bin");
    let log = bin.path().join("calls.log");
    // Wrappers record argv, environment and the passfile's mode, then run the real programs.
    for prog in ["pg_dump", "psql"] {
        let script = format!(
            "#!/bin/sh\n{{ echo \"ARGV $0 $*\"; env | grep '^PG'; [ -n \"$PGPASSFILE\" ] && stat -L -c 'MODE %a' \"$PGPASSFILE\"; }} >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            c.bindir.join(prog).display()
        );
        let p = bin.path().join(prog);
        tests::write_executable(&p, &script);
    }
    let mut cmd = tool("backup-tool");
    cmd.env_remove("PGPASSWORD")
        .args(["backup", "--db", &c.url_with_password(&src.name), "--dir"])
        .arg(dir.path())
        .arg("--pg-bin-dir")
        .arg(bin.path());
    let out = run(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let file = out.stdout.trim().to_string();
    let target = c.fresh_name("argv_dst");
    let mut r = tool("backup-tool");
    r.env_remove("PGPASSWORD")
        .args([
            "restore",
            &file,
            "--db",
            &c.url_with_password(&target),
            "--create",
            "--pg-bin-dir",
        ])
        .arg(bin.path());
    let out = run(r);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let calls = std::fs::read_to_string(&log).expect("wrappers ran");
    assert!(
        calls.contains("ARGV") && calls.contains("pg_dump") && calls.contains("psql"),
        "{calls}"
    );
    assert!(
        !calls.contains(PASSWORD),
        "a secret reached a child's argv or environment:\n{calls}"
    );
    assert!(calls.contains("PGPASSFILE="), "{calls}");
    assert!(
        calls
            .lines()
            .filter(|l| l.starts_with("MODE"))
            .all(|l| l == "MODE 600"),
        "{calls}"
    );
    assert!(!calls.contains("PGPASSWORD="), "{calls}");
}

#[test]
fn restore_test_restores_into_a_scratch_database_and_compares_counts() {
    let c = cluster();
    let src = c.create_db("rtest");
    load_sample(c, &src.name, 200);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup(&src.url, dir.path(), &[]);
    let scratch = c.fresh_name("scratch");
    let mut v = tool("backup-tool");
    v.args(["verify"])
        .arg(&file)
        .args(["--restore-test", &c.url(&scratch), "--json"]);
    let out = run(v);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(report["ok"], true);
    assert_eq!(report["reports"][0]["restore_test"]["tables"], 4);
    // The scratch database was created for the test and dropped again.
    let exists = c.psql(
        "postgres",
        &format!("SELECT count(*) FROM pg_database WHERE datname = '{scratch}'"),
    );
    assert_eq!(exists.trim(), "0");
}

#[test]
fn tls_modes_follow_libpq_for_the_dump_and_the_checks_around_it() {
    let c = cluster();
    let src = c.create_db("tls");
    load_sample(c, &src.name, 20);
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = c.root.join("ca.crt");
    let base = c.url(&src.name);
    // Encrypted without certificate checks, as libpq's require.
    let file = backup(
        &format!("{base}?sslmode=require"),
        dir.path(),
        &["--name", "req"],
    );
    assert!(file.exists());
    // Full verification against the test CA (the certificate names 127.0.0.1).
    let file = backup(
        &format!("{base}?sslmode=verify-full&sslrootcert={}", ca.display()),
        dir.path(),
        &["--name", "full"],
    );
    assert!(file.exists());
    // Full verification against the public roots: the test CA is unknown, so it must fail.
    let mut cmd = tool("backup-tool");
    cmd.args([
        "backup",
        "--db",
        &format!("{base}?sslmode=verify-full"),
        "--dir",
    ])
    .arg(dir.path())
    .args(["--name", "untrusted"]);
    let out = run(cmd);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("cannot connect"), "{}", out.stderr);
    assert!(
        out.stderr.to_lowercase().contains("certificate") || out.stderr.contains("UnknownIssuer"),
        "{}",
        out.stderr
    );
    assert!(!visible_files(dir.path())
        .iter()
        .any(|f| f.starts_with("untrusted")));
}
