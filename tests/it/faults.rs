//! Faults: each leaves no backup that list/verify/prune/restore would trust, and loses nothing.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use tests::{cluster, load_sample, run, tool, visible_files, PASSWORD};

fn backup_cmd(db_url: &str, dir: &Path) -> Command {
    let mut c = tool("backup-tool");
    c.args(["backup", "--db", db_url, "--dir"]).arg(dir);
    c
}

/// A folder with a pg_dump that writes its whole output and then hangs before exiting, so a
/// run can be caught with its .partial file open.
fn hanging_pg_dump(c: &tests::Cluster) -> tempfile::TempDir {
    let bin = tempfile::tempdir().expect("bin");
    let script = format!(
        "#!/bin/sh\ncase \"$1\" in --version) exec '{0}' --version;; esac\n'{0}' \"$@\"\nexec sleep 60\n",
        c.bindir.join("pg_dump").display()
    );
    tests::write_executable(&bin.path().join("pg_dump"), &script);
    bin
}

fn list_json(dir: &Path) -> serde_json::Value {
    let mut l = tool("backup-tool");
    l.args(["list", "--json", "--dir"]).arg(dir);
    let out = run(l);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("json")
}

fn sha256(path: &Path) -> String {
    let out = run({
        let mut s = Command::new("sha256sum");
        s.arg(path);
        s
    });
    out.stdout
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn pg_dump_failing_midway_leaves_no_backup_and_prune_deletes_nothing() {
    let c = cluster();
    let db = c.create_db("midway");
    load_sample(c, &db.name, 100);
    let dir = tempfile::tempdir().expect("tempdir");
    // A good backup first, as superuser.
    let out = run(backup_cmd(&db.url, dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let before = visible_files(dir.path());
    let good = dir.path().join(&before[0]);
    let good_sha = sha256(&good);
    // A role that may read every table but one: pg_dump dies on that table, after others.
    let role = format!("limited_{}", db.name);
    c.psql(
        &db.name,
        &format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'; GRANT USAGE ON SCHEMA \"Billing\" TO {role}; \
             GRANT SELECT ON public.users, public.accounts, public.empty_table TO {role}; \
             GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};"
        ),
    );
    let url = format!("postgresql://{role}@127.0.0.1:{}/{}", c.port, db.name);
    let mut cmd = backup_cmd(&url, dir.path());
    cmd.args(["--keep-last", "1", "--min-keep", "1"]);
    let out = run(cmd);
    assert_eq!(out.code, 1, "stdout: {} stderr: {}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("pg_dump exited with status 1"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("permission denied"), "{}", out.stderr);
    // Nothing new, nothing partial, and the retention that would have run deleted nothing.
    assert_eq!(visible_files(dir.path()), before);
    assert_eq!(sha256(&good), good_sha);
    assert_eq!(
        list_json(dir.path())["backups"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn killed_mid_write_leaves_only_complete_backups_and_the_next_run_cleans_up() {
    let c = cluster();
    let db = c.create_db("sigkill");
    load_sample(c, &db.name, 50);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(backup_cmd(&db.url, dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let complete = visible_files(dir.path());
    // A pg_dump that writes its whole output, then hangs before exiting: the tool is caught
    // with a .partial file open, and killed.
    let bin = hanging_pg_dump(c);
    let mut cmd = backup_cmd(&db.url, dir.path());
    cmd.arg("--pg-bin-dir")
        .arg(bin.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // Its own process group, so the hanging wrapper can be killed with it.
    cmd.process_group(0);
    let mut child = cmd.spawn().expect("spawn backup");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let partial = visible_files(dir.path())
            .into_iter()
            .any(|f| f.ends_with(".partial"));
        if partial {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no .partial file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    // SAFETY: killing the process group we created.
    unsafe {
        libc::kill(-(child.id() as i32), libc::SIGKILL);
    }
    let _ = child.wait();
    assert!(visible_files(dir.path())
        .iter()
        .any(|f| f.ends_with(".partial")));
    // list shows only the complete backup; verify of the folder passes.
    let listed = list_json(dir.path());
    assert_eq!(listed["backups"].as_array().map(Vec::len), Some(1));
    let mut v = tool("backup-tool");
    v.args(["verify", "--dir"]).arg(dir.path());
    assert_eq!(run(v).code, 0);
    // The next run removes the leftover under its lock and succeeds.
    let out = run(backup_cmd(&db.url, dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("leftover"), "{}", out.stderr);
    let files = visible_files(dir.path());
    assert!(!files.iter().any(|f| f.ends_with(".partial")), "{files:?}");
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(complete.iter().all(|f| files.contains(f)));
}

#[test]
fn disk_full_is_a_clear_error_and_earlier_backups_are_untouched() {
    let c = cluster();
    let db = c.create_db("diskfull");
    load_sample(c, &db.name, 20);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(backup_cmd(&db.url, dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let before = visible_files(dir.path());
    let sums: Vec<String> = before.iter().map(|f| sha256(&dir.path().join(f))).collect();
    // Now a bigger database, and a file size limit far below its backup's size.
    c.psql(&db.name, "INSERT INTO public.users (email, name) SELECT 'big' || g || '@example.com', md5(g::text) || md5((g*7)::text) FROM generate_series(1, 200000) g");
    let mut cmd = backup_cmd(&db.url, dir.path());
    cmd.args(["--compress", "none"]);
    // SAFETY: setrlimit in the child before exec; only async-signal-safe calls.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 256 * 1024,
                rlim_max: 256 * 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = run(cmd);
    assert_eq!(out.code, 1, "stderr: {}", out.stderr);
    assert!(out.stderr.contains("cannot write backup"), "{}", out.stderr);
    assert!(
        out.stderr.contains("too large") || out.stderr.contains("No space"),
        "{}",
        out.stderr
    );
    assert_eq!(
        visible_files(dir.path()),
        before,
        "no partial or extra file left"
    );
    let after: Vec<String> = before.iter().map(|f| sha256(&dir.path().join(f))).collect();
    assert_eq!(sums, after);
}

#[test]
fn corrupt_truncated_and_mismatched_backups_fail_verify_with_exit_3() {
    let c = cluster();
    let db = c.create_db("corrupt");
    load_sample(c, &db.name, 3000);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(backup_cmd(&db.url, dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let file = std::path::PathBuf::from(out.stdout.trim());
    let manifest = std::path::PathBuf::from(format!("{}.manifest.json", file.display()));
    let pristine = std::fs::read(&file).expect("read");
    let pristine_manifest = std::fs::read_to_string(&manifest).expect("read manifest");
    let verify = |extra: &[&str]| {
        let mut v = tool("backup-tool");
        v.arg("verify").arg(&file).args(extra);
        run(v)
    };
    assert_eq!(verify(&[]).code, 0);

    // A flipped byte in the middle of the deflate stream.
    let mut bad = pristine.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x55;
    std::fs::write(&file, &bad).expect("write");
    let out = verify(&[]);
    assert_eq!(out.code, 3, "{}", out.stdout);
    assert!(
        out.stdout.contains(&file.display().to_string()),
        "{}",
        out.stdout
    );

    // Truncated: size differs from the manifest and the stream ends early.
    std::fs::write(&file, &pristine[..pristine.len() * 2 / 3]).expect("write");
    let out = verify(&["--json"]);
    assert_eq!(out.code, 3);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let problems = j["reports"][0]["problems"].to_string();
    assert!(problems.contains("size"), "{problems}");

    // Restoring a corrupt file writes nothing: the checksum is checked first.
    let target = c.fresh_name("corrupt_dst");
    let mut r = tool("backup-tool");
    r.arg("restore")
        .arg(&file)
        .args(["--db", &c.url(&target), "--create"]);
    let out = run(r);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let exists = c.psql(
        "postgres",
        &format!("SELECT count(*) FROM pg_database WHERE datname = '{target}'"),
    );
    assert_eq!(
        exists.trim(),
        "0",
        "restore created a database from a corrupt backup"
    );

    // An intact file whose manifest checksum was changed.
    std::fs::write(&file, &pristine).expect("write");
    let m: serde_json::Value = serde_json::from_str(&pristine_manifest).expect("json");
    let tampered = pristine_manifest.replace(m["sha256"].as_str().expect("sha"), &"0".repeat(64));
    std::fs::write(&manifest, tampered).expect("write");
    let out = verify(&[]);
    assert_eq!(out.code, 3);
    assert!(out.stdout.contains("sha256"), "{}", out.stdout);

    // A gzip file whose dump lacks the completion line (a dump cut short before compression).
    std::fs::write(&manifest, &pristine_manifest).expect("write");
    let text = {
        let mut d = flate2::read::GzDecoder::new(&pristine[..]);
        let mut s = String::new();
        std::io::Read::read_to_string(&mut d, &mut s).expect("decode");
        s
    };
    let cut = &text[..text
        .find("-- PostgreSQL database dump complete")
        .expect("trailer")];
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    std::io::Write::write_all(&mut enc, cut.as_bytes()).expect("encode");
    let recompressed = enc.finish().expect("finish");
    std::fs::write(&file, &recompressed).expect("write");
    let sum = sha256(&file);
    let fixed = pristine_manifest
        .replace(m["sha256"].as_str().expect("sha"), &sum)
        .replace(
            &format!("\"size\": {}", m["size"]),
            &format!("\"size\": {}", recompressed.len()),
        );
    std::fs::write(&manifest, fixed).expect("write");
    let out = verify(&[]);
    assert_eq!(out.code, 3, "{}", out.stdout);
    assert!(out.stdout.contains("completion line"), "{}", out.stdout);
}

#[test]
fn unreachable_server_wrong_password_missing_sqlite_and_missing_pg_dump_are_clear_errors() {
    let c = cluster();
    let dir = tempfile::tempdir().expect("tempdir");
    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let out = run(backup_cmd(
        &format!("postgresql://postgres@127.0.0.1:{port}/x"),
        dir.path(),
    ));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("cannot connect to postgresql://postgres@127.0.0.1"),
        "{}",
        out.stderr
    );

    let db = c.create_db("wrongpw");
    let mut cmd = backup_cmd(
        &format!(
            "postgresql://postgres:not-the-Password-77@127.0.0.1:{}/{}",
            c.port, db.name
        ),
        dir.path(),
    );
    cmd.env_remove("PGPASSWORD");
    let out = run(cmd);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("password authentication failed"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("password from the URL"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("not-the-Password-77"),
        "{}",
        out.stderr
    );

    let out = run(backup_cmd("/nonexistent/dir/app.db", dir.path()));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("/nonexistent/dir/app.db does not exist"),
        "{}",
        out.stderr
    );

    let empty = tempfile::tempdir().expect("empty bin dir");
    let mut cmd = backup_cmd(&db.url, dir.path());
    cmd.arg("--pg-bin-dir").arg(empty.path());
    let out = run(cmd);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("pg_dump not found"), "{}", out.stderr);

    let out = run(backup_cmd("mysql://x/y", dir.path()));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not a database URL"), "{}", out.stderr);
    assert!(
        visible_files(dir.path()).is_empty(),
        "{:?}",
        visible_files(dir.path())
    );
}

#[test]
fn pg_dump_older_than_the_server_is_refused_naming_both_versions() {
    let c = cluster();
    let db = c.create_db("oldpgdump");
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = tempfile::tempdir().expect("bin");
    let fake = bin.path().join("pg_dump");
    tests::write_executable(&fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
    let mut cmd = backup_cmd(&db.url, dir.path());
    cmd.arg("--pg-bin-dir").arg(bin.path());
    let out = run(cmd);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("9.6"), "{}", out.stderr);
    assert!(
        out.stderr.contains("the server runs PostgreSQL"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_second_run_of_the_same_backup_is_refused_naming_the_holder() {
    let c = cluster();
    let db = c.create_db("locked");
    let dir = tempfile::tempdir().expect("tempdir");
    // Hold the lock the way a running backup does, from this process.
    let lock_path = dir.path().join(format!(".{}.lock", db.name));
    let f = std::fs::File::create(&lock_path).expect("lock file");
    std::fs::write(
        &lock_path,
        "pid 4242 on db-host, backup started 2026-11-22T03:00:00Z\n",
    )
    .expect("holder");
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on our own descriptor.
    assert_eq!(
        unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    let out = run(backup_cmd(&db.url, dir.path()));
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stderr.contains("pid 4242 on db-host"), "{}", out.stderr);
    let mut cmd = backup_cmd(&db.url, dir.path());
    cmd.args(["--wait", "1s"]);
    let out = run(cmd);
    assert_eq!(out.code, 5, "{}", out.stderr);
    drop(f);
    let out = run(backup_cmd(&db.url, dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn sigterm_mid_backup_removes_the_partial_file_and_exits_130() {
    let c = cluster();
    let db = c.create_db("sigterm");
    load_sample(c, &db.name, 50);
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = hanging_pg_dump(c);
    let mut cmd = backup_cmd(&db.url, dir.path());
    cmd.arg("--pg-bin-dir")
        .arg(bin.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn backup");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !visible_files(dir.path())
        .iter()
        .any(|f| f.ends_with(".partial"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no .partial file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    // SAFETY: signalling the child we spawned.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    // The tool is blocked reading a pg_dump that hangs; it notices the signal when it kills it.
    let status = child.wait().expect("wait");
    assert_eq!(
        status.code(),
        Some(143),
        "SIGTERM ends the run with 128 + 15"
    );
    assert!(
        visible_files(dir.path()).is_empty(),
        "{:?}",
        visible_files(dir.path())
    );
}
