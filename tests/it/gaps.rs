//! Behaviours that had no test of their own: `status` checking the newest backup's sha256 and
//! refusing a backup dated in the future, `verify --dir` failing on an unreadable manifest only
//! within its scope, retention leaving files of other naming alone, the warning for one name
//! shared by two sources, SQLite restores of content that is no database and into a full disk,
//! keyword/value connection strings in a config file (backup and protection), and `doctor` on a
//! folder with little free space. Every result is checked by content (bytes, files, rows), not
//! by the tool's own verdict alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tests::{cluster, load_sample, run, tool, Output, PASSWORD};

use crate::faults_common::{listed, make_sqlite_app, make_sqlite_stale};
use crate::operator_common::{edit_manifest, gunzip, json, manifest, tail, Checks};

/// backup-tool without a config file from the environment.
fn bt() -> Command {
    let mut c = tool("backup-tool");
    c.env_remove("BACKUP_TOOLS_CONFIG");
    c
}

/// `backup-tool backup --db SRC --name NAME --dir DIR EXTRA...`; returns the run and the file.
fn backup_named(src: &Path, name: &str, dir: &Path, extra: &[&str]) -> (Output, PathBuf) {
    let mut c = bt();
    c.args(["backup", "--name", name, "--db"])
        .arg(src)
        .arg("--dir")
        .arg(dir)
        .args(extra);
    let out = run(c);
    assert_eq!(out.code, 0, "backup of {}: {}", src.display(), out.stderr);
    let file = PathBuf::from(out.stdout.trim());
    assert!(
        file.is_file(),
        "backup printed {:?}, not a file",
        out.stdout
    );
    (out, file)
}

/// sha256 of a file, computed by `sha256sum` (not by the tool).
fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("run sha256sum");
    assert!(out.status.success(), "sha256sum {}", path.display());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Deterministic pseudo-random bytes (xorshift64).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Files of a folder, sorted, without the tool's lock files (`.<name>.lock`).
fn files_but_locks(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !(n.starts_with('.') && n.ends_with(".lock")))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A tmpfs mounted for one test, unmounted when dropped (also when the test panics).
struct Tmpfs {
    path: PathBuf,
}

impl Tmpfs {
    fn mount(path: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(path).expect("mount point");
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(path)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "cannot mount a tmpfs of {size} on {} (these tests need root and mount): {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs {
            path: path.to_path_buf(),
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.path)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.path).status();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. status: the newest backup's sha256, and a date in the future
// ---------------------------------------------------------------------------------------------

#[test]
fn gaps_status_checks_the_newest_backups_sha256_and_refuses_a_future_date() {
    let work = tempfile::tempdir().expect("tmp");
    let src = work.path().join("app.db");
    make_sqlite_app(&src, "gapsstatus", 200, false);
    let dir = work.path().join("backups");
    let (_, older) = backup_named(&src, "app", &dir, &[]);
    let (_, newest) = backup_named(&src, "app", &dir, &[]);
    let status = |extra: &[&str]| {
        let mut c = bt();
        c.args(["status", "--name", "app", "--max-age", "1h", "--dir"])
            .arg(&dir)
            .args(extra);
        run(c)
    };
    let mut ch = Checks::new();
    let out = status(&[]);
    ch.check(out.code == 0, || {
        format!(
            "status of two fresh, intact backups: exit {}: {}{}",
            out.code, out.stdout, out.stderr
        )
    });

    // Damage the newest backup in place: same size, other bytes.
    let original = std::fs::read(&newest).expect("read backup");
    let mut damaged = original.clone();
    let mid = damaged.len() / 2;
    for b in &mut damaged[mid..mid + 16] {
        *b ^= 0xa5;
    }
    std::fs::write(&newest, &damaged).expect("damage backup");
    assert_eq!(
        std::fs::metadata(&newest).map(|m| m.len()).ok(),
        Some(original.len() as u64)
    );
    assert_ne!(
        sha256(&newest),
        manifest(&newest)["sha256"].as_str().unwrap_or_default()
    );
    let name = file_name(&newest);
    let out = status(&[]);
    ch.check(out.code == 3, || {
        format!(
            "status with the newest backup damaged (same size): exit {} (want 3): {}{}",
            out.code, out.stdout, out.stderr
        )
    });
    ch.check(
        format!("{}{}", out.stdout, out.stderr).contains(&name),
        || {
            format!(
                "status with {name} damaged does not name it: {}{}",
                out.stdout, out.stderr
            )
        },
    );
    let out = status(&["--no-checksum"]);
    ch.check(out.code == 0, || format!("status --no-checksum with the newest backup damaged (same size): exit {} (want 0): {}{}", out.code, out.stdout, out.stderr));
    // The JSON report says whether the sum was checked.
    let out = status(&["--json"]);
    if let Ok(j) = json(&out) {
        ch.check(
            j["backups"][0]["checksum_checked"] == true && j["backups"][0]["ok"] == false,
            || format!("status --json with the newest damaged: {j}"),
        );
    } else {
        ch.check(false, || format!("status --json: {}", tail(&out.stdout)));
    }
    std::fs::write(&newest, &original).expect("repair backup");
    let out = status(&[]);
    ch.check(out.code == 0, || {
        format!(
            "status after the backup's bytes were put back: exit {}: {}",
            out.code, out.stdout
        )
    });

    // The newest manifest dated next year.
    let next_year = (chrono::Utc::now() + chrono::Duration::days(366))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    edit_manifest(&newest, |m| {
        m["started_at"] = serde_json::Value::String(next_year.clone())
    });
    for extra in [vec![], vec!["--no-checksum"]] {
        let out = status(&extra);
        let text = format!("{}{}", out.stdout, out.stderr);
        ch.check(out.code != 0, || {
            format!("status {extra:?} with the newest backup dated {next_year}: exit 0: {text}")
        });
        ch.check(text.contains("clock skew") && text.contains("future"), || {
            format!("status {extra:?} with a backup dated {next_year} does not say future / clock skew: {text}")
        });
        ch.check(text.contains(&name), || {
            format!("status {extra:?}: the future-dated backup {name} is not named: {text}")
        });
    }
    // The older backup was never touched.
    ch.check(
        sha256(&older) == manifest(&older)["sha256"].as_str().unwrap_or_default(),
        || "the older backup changed".into(),
    );
    ch.finish();
}

// ---------------------------------------------------------------------------------------------
// 2. verify --dir and unreadable manifests
// ---------------------------------------------------------------------------------------------

fn verify(dir: &Path, name: Option<&str>) -> Output {
    let mut c = bt();
    c.args(["verify", "--dir"]).arg(dir);
    if let Some(n) = name {
        c.args(["--name", n]);
    }
    run(c)
}

#[test]
fn gaps_verify_dir_fails_on_an_unreadable_manifest_but_not_for_another_name() {
    let work = tempfile::tempdir().expect("tmp");
    let a = work.path().join("a.db");
    let b = work.path().join("b.db");
    make_sqlite_app(&a, "gapsva", 30, false);
    make_sqlite_app(&b, "gapsvb", 30, false);
    let dir = work.path().join("backups");
    let (_, prod) = backup_named(&a, "prod", &dir, &[]);
    let (_, other) = backup_named(&b, "other", &dir, &[]);
    let mut ch = Checks::new();
    let out = verify(&dir, None);
    ch.check(out.code == 0, || {
        format!(
            "verify --dir of two intact backups: exit {}: {}{}",
            out.code, out.stdout, out.stderr
        )
    });

    // prod's manifest becomes garbage.
    let mpath = PathBuf::from(format!("{}.manifest.json", prod.display()));
    std::fs::write(&mpath, b"{\"manifest_version\": 1, \"file\": garbage").expect("break manifest");
    let mname = file_name(&mpath);
    let out = verify(&dir, None);
    ch.check(out.code == 3, || {
        format!(
            "verify --dir with an unreadable manifest: exit {} (want 3): {}{}",
            out.code, out.stdout, out.stderr
        )
    });
    ch.check(
        out.stdout
            .lines()
            .any(|l| l.contains("FAILED") && l.contains(&mname)),
        || {
            format!(
                "verify --dir does not list {mname} as failed: {}",
                out.stdout
            )
        },
    );
    ch.check(
        out.stdout
            .lines()
            .any(|l| l.starts_with("ok") && l.contains(&file_name(&other))),
        || {
            format!(
                "verify --dir does not report the intact backup of 'other' as ok: {}",
                out.stdout
            )
        },
    );
    let out = verify(&dir, Some("prod"));
    ch.check(out.code == 3, || {
        format!(
            "verify --dir --name prod with prod's manifest unreadable: exit {} (want 3): {}{}",
            out.code, out.stdout, out.stderr
        )
    });
    let out = verify(&dir, Some("other"));
    ch.check(out.code == 0, || {
        format!(
            "verify --dir --name other failed because of prod's broken manifest: exit {}: {}{}",
            out.code, out.stdout, out.stderr
        )
    });
    ch.check(
        !format!("{}{}", out.stdout, out.stderr).contains(&mname),
        || format!("verify --name other mentions {mname}: {}", out.stdout),
    );
    ch.check(out.stdout.contains(&file_name(&other)), || {
        format!(
            "verify --name other did not verify {}: {}",
            file_name(&other),
            out.stdout
        )
    });
    // Nothing was repaired or removed by verify.
    ch.check(
        std::fs::read(&mpath).ok().as_deref()
            == Some(&b"{\"manifest_version\": 1, \"file\": garbage"[..]),
        || "verify changed the broken manifest".into(),
    );
    ch.finish();
}

/// A broken manifest of a name that starts with another (`prod_eu` and `prod`): a file named
/// `prod_eu_<time>…` cannot be a backup of `prod` (whose files are `prod_<time>…`), so it is
/// not `verify --name prod`'s problem.
#[test]
fn gaps_verify_name_is_not_failed_by_a_broken_manifest_of_a_longer_name() {
    let work = tempfile::tempdir().expect("tmp");
    let a = work.path().join("a.db");
    let b = work.path().join("b.db");
    make_sqlite_app(&a, "gapsvla", 10, false);
    make_sqlite_app(&b, "gapsvlb", 10, false);
    let dir = work.path().join("backups");
    let (_, prod) = backup_named(&a, "prod", &dir, &[]);
    let (_, eu) = backup_named(&b, "prod_eu", &dir, &[]);
    let mut ch = Checks::new();
    let out = verify(&dir, Some("prod"));
    ch.check(
        out.code == 0
            && out.stdout.contains(&file_name(&prod))
            && !out.stdout.contains(&file_name(&eu)),
        || {
            format!(
                "verify --name prod with both intact: exit {}: {}",
                out.code, out.stdout
            )
        },
    );
    let mpath = PathBuf::from(format!("{}.manifest.json", eu.display()));
    std::fs::write(&mpath, b"not json at all").expect("break manifest");
    let out = verify(&dir, Some("prod"));
    ch.check(out.code == 0, || {
        format!(
            "verify --dir --name prod failed because of the broken manifest of name prod_eu ({}): exit {}: {}{}",
            file_name(&mpath),
            out.code,
            out.stdout,
            out.stderr
        )
    });
    let out = verify(&dir, Some("prod_eu"));
    ch.check(out.code == 3, || {
        format!(
            "verify --name prod_eu with its own manifest broken: exit {} (want 3)",
            out.code
        )
    });
    ch.finish();
}

// ---------------------------------------------------------------------------------------------
// 3. retention leaves files of other naming alone
// ---------------------------------------------------------------------------------------------

#[test]
fn gaps_retention_never_touches_files_not_of_its_naming() {
    let work = tempfile::tempdir().expect("tmp");
    let src = work.path().join("prod.db");
    make_sqlite_app(&src, "gapsret", 20, false);
    let dir = work.path().join("backups");
    std::fs::create_dir(&dir).expect("mkdir");
    let foreign = [
        "notes.txt",
        "prod_backup_old.sql.gz",
        "prod_20261122T030000Z.sql.gz.old",
        "prod_20261122T030000Z.sqlite3.gz.bak",
        "other_20261122T030000Z.sql.gz.partial",
        "prod_eu_20261122T030000Z.sqlite3.gz.partial",
        "prod_eu_20261122T030000Z.sqlite3.gz",
        "prod-20261122T030000Z.sqlite3.gz",
        "Prod_20261122T030000Z.sqlite3.gz",
        ".prod.snapshot-notapid.partial",
    ];
    let mut want: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (i, f) in foreign.iter().enumerate() {
        let bytes = noise(1000 + i as u64, 300 + i * 17);
        std::fs::write(dir.join(f), &bytes).expect("foreign file");
        want.insert(f.to_string(), bytes);
    }
    let mut ch = Checks::new();
    let mut last = PathBuf::new();
    for _ in 0..3 {
        let (out, f) = backup_named(&src, "prod", &dir, &["--keep-last", "1"]);
        ch.check(!out.stderr.contains("removed leftover"), || {
            format!("backup removed something as a leftover: {}", out.stderr)
        });
        last = f;
    }
    let now = listed(&dir);
    ch.check(now == vec![file_name(&last)], || {
        format!(
            "backup --keep-last 1 (3 runs) left {now:?}, want only {}",
            file_name(&last)
        )
    });
    for args in [
        vec!["--keep-last", "1"],
        vec!["--name", "prod", "--keep-last", "1"],
    ] {
        // A second backup to prune each time.
        let (_, f) = backup_named(&src, "prod", &dir, &[]);
        let mut p = bt();
        p.arg("prune").args(&args).arg("--dir").arg(&dir);
        let out = run(p);
        ch.check(out.code == 0, || {
            format!("prune {args:?}: exit {}: {}", out.code, out.stderr)
        });
        let now = listed(&dir);
        ch.check(now == vec![file_name(&f)], || {
            format!("prune {args:?} left {now:?}, want only {}", file_name(&f))
        });
    }
    for (f, bytes) in &want {
        match std::fs::read(dir.join(f)) {
            Ok(b) if &b == bytes => {}
            Ok(_) => ch.check(false, || format!("retention changed the foreign file {f}")),
            Err(e) => ch.check(false, || {
                format!("retention removed the foreign file {f}: {e}")
            }),
        }
    }
    // Besides the foreign files: exactly one backup and its manifest.
    let files: Vec<String> = files_but_locks(&dir)
        .into_iter()
        .filter(|f| !want.contains_key(f))
        .collect();
    ch.check(files.len() == 2, || {
        format!("files of our naming left: {files:?}")
    });
    ch.finish();
}

// ---------------------------------------------------------------------------------------------
// 4. one name, two sources
// ---------------------------------------------------------------------------------------------

#[test]
fn gaps_one_name_for_two_sqlite_sources_warns_and_prune_keeps_one_of_each() {
    let work = tempfile::tempdir().expect("tmp");
    let a = work.path().join("alpha.db");
    let b = work.path().join("beta.db");
    make_sqlite_app(&a, "gapsclasha", 10, false);
    make_sqlite_app(&b, "gapsclashb", 12, false);
    let dir = work.path().join("backups");
    let mut ch = Checks::new();
    let (out, _a1) = backup_named(&a, "shared", &dir, &[]);
    ch.check(!out.stderr.contains("other source"), || {
        format!(
            "the first backup of 'shared' warns of another source: {}",
            out.stderr
        )
    });
    let (out, _b1) = backup_named(&b, "shared", &dir, &[]);
    ch.check(
        out.stderr.contains("backups named 'shared'")
            && out.stderr.contains("also come from")
            && out.stderr.contains("other source"),
        || {
            format!(
                "the second source's backup under the same name does not warn: {}",
                out.stderr
            )
        },
    );
    let (out, a2) = backup_named(&a, "shared", &dir, &[]);
    ch.check(out.stderr.contains("also come from"), || {
        format!(
            "the third backup (first source again) does not warn: {}",
            out.stderr
        )
    });
    let (_, b2) = backup_named(&b, "shared", &dir, &[]);
    ch.check(listed(&dir).len() == 4, || {
        format!("four backups expected before prune: {:?}", listed(&dir))
    });
    let mut p = bt();
    p.args(["prune", "--keep-last", "1", "--dir"]).arg(&dir);
    let out = run(p);
    ch.check(out.code == 0, || {
        format!("prune --keep-last 1: exit {}: {}", out.code, out.stderr)
    });
    let now = listed(&dir);
    let mut want = vec![file_name(&a2), file_name(&b2)];
    want.sort();
    let mut got = now.clone();
    got.sort();
    ch.check(got == want, || {
        format!("prune --keep-last 1 left {now:?}, want the newest of each source {want:?}")
    });
    // By content: the two remaining files hold the two sources' data.
    let on_disk: Vec<String> = files_but_locks(&dir)
        .into_iter()
        .filter(|f| f.ends_with(".sqlite3.gz"))
        .collect();
    ch.check(on_disk.len() == 2, || {
        format!("backup files on disk: {on_disk:?}")
    });
    let ids: std::collections::BTreeSet<String> = on_disk
        .iter()
        .map(|f| {
            manifest(&dir.join(f))["source_id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    ch.check(ids.len() == 2, || {
        format!("the remaining backups' sources: {ids:?}")
    });
    let users: std::collections::BTreeSet<u64> = on_disk
        .iter()
        .filter_map(|f| manifest(&dir.join(f))["tables"]["users"].as_u64())
        .collect();
    ch.check(users == [10u64, 12].into_iter().collect(), || {
        format!("the remaining backups' users rows: {users:?} (want 10 and 12)")
    });
    ch.finish();
}

// ---------------------------------------------------------------------------------------------
// 5. SQLite restores that must leave the target as it was
// ---------------------------------------------------------------------------------------------

/// Replaces a backup file with gzip(`payload`) and makes its manifest match it (size, sha256,
/// decoded size), as if a backup of something that is not a database had been committed.
fn forge_backup(file: &Path, payload: &[u8]) {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(payload).expect("gzip");
    let bytes = gz.finish().expect("gzip");
    std::fs::write(file, &bytes).expect("write forged backup");
    let sum = sha256(file);
    edit_manifest(file, |m| {
        m["size"] = serde_json::json!(bytes.len());
        m["sha256"] = serde_json::json!(sum);
        m["uncompressed_size"] = serde_json::json!(payload.len());
        if let Some(o) = m.as_object_mut() {
            o.remove("tables");
        }
    });
}

fn restore_sqlite(file: &Path, target: &Path, extra: &[&str]) -> Output {
    let mut r = bt();
    r.arg("restore")
        .arg(file)
        .arg("--db")
        .arg(target)
        .args(extra);
    run(r)
}

#[test]
fn gaps_sqlite_restore_of_a_backup_that_is_not_a_database_leaves_the_target_as_it_was() {
    let work = tempfile::tempdir().expect("tmp");
    let src = work.path().join("app.db");
    make_sqlite_app(&src, "gapsforge", 40, false);
    let dir = work.path().join("backups");
    let (_, file) = backup_named(&src, "app", &dir, &[]);
    let mut ch = Checks::new();
    // The real backup restores (the path works before it is fed garbage).
    let tdir = work.path().join("targets");
    std::fs::create_dir(&tdir).expect("mkdir");
    let good = tdir.join("good.db");
    let out = restore_sqlite(&file, &good, &[]);
    ch.check(out.code == 0, || {
        format!(
            "restore of the real backup: exit {}: {}",
            out.code, out.stderr
        )
    });
    if out.code == 0 {
        ch.check(
            tests::sqlite_content(&good) == tests::sqlite_content(&src),
            || "the real backup restored other content".into(),
        );
    }
    std::fs::remove_file(&good).expect("rm");
    let existing = tdir.join("existing.db");
    make_sqlite_stale(&existing);
    let before = std::fs::read(&existing).expect("read target");

    let mut payload = noise(7, 96 * 1024);
    payload[..6].copy_from_slice(b"nodb!\n");
    let mut with_header = noise(8, 96 * 1024);
    with_header[..16].copy_from_slice(b"SQLite format 3\0");
    for (what, bytes) in [
        ("random bytes", payload),
        ("random bytes after an SQLite header", with_header),
    ] {
        forge_backup(&file, &bytes);
        // The forged backup matches its manifest: the refusal must come from the content.
        ch.check(
            sha256(&file) == manifest(&file)["sha256"].as_str().unwrap_or_default(),
            || "forged manifest does not match".into(),
        );
        let files_before = files_but_locks(&tdir);
        let absent = tdir.join("absent.db");
        let out = restore_sqlite(&file, &absent, &[]);
        ch.check(out.code == 3, || {
            format!(
                "restore of {what} into a new file: exit {} (want 3): {}",
                out.code, out.stderr
            )
        });
        ch.check(!absent.exists(), || {
            format!("restore of {what} created {}", absent.display())
        });
        let out = restore_sqlite(&file, &existing, &["--force", "--yes"]);
        ch.check(out.code == 3, || {
            format!(
                "restore --force --yes of {what} over an existing file: exit {} (want 3): {}",
                out.code, out.stderr
            )
        });
        ch.check(
            std::fs::read(&existing).ok().as_ref() == Some(&before),
            || format!("restore of {what} changed the existing target's bytes"),
        );
        let files_after = files_but_locks(&tdir);
        ch.check(files_after == files_before, || format!("restore of {what} left files beside the target: before {files_before:?}, after {files_after:?}"));
    }
    ch.check(tests::sqlite_content(&existing).contains("42"), || {
        "the existing target lost its row".into()
    });
    ch.finish();
}

#[test]
fn gaps_sqlite_restore_into_a_full_disk_fails_and_leaves_the_target_as_it_was() {
    let work = tempfile::tempdir().expect("tmp");
    let src = work.path().join("big.db");
    {
        let c = rusqlite::Connection::open(&src).expect("open");
        c.execute_batch(
            "CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO blobs (b) SELECT randomblob(1000) FROM n;",
        )
        .expect("fill");
    }
    assert!(
        std::fs::metadata(&src).map(|m| m.len()).unwrap_or(0) > 2 << 20,
        "source should be over 2 MiB"
    );
    let dir = work.path().join("backups");
    let (_, file) = backup_named(&src, "big", &dir, &[]);
    let mut ch = Checks::new();
    // The backup restores where there is room.
    let roomy = work.path().join("roomy.db");
    let out = restore_sqlite(&file, &roomy, &[]);
    ch.check(out.code == 0, || {
        format!(
            "restore where there is room: exit {}: {}",
            out.code, out.stderr
        )
    });

    let mnt = work.path().join("full");
    let _fs = Tmpfs::mount(&mnt, "1m");
    let existing = mnt.join("app.db");
    make_sqlite_stale(&existing);
    let before = std::fs::read(&existing).expect("read");
    let before_files = files_but_locks(&mnt);
    let out = restore_sqlite(&file, &existing, &["--force", "--yes"]);
    ch.check(out.code == 1, || {
        format!(
            "restore --force --yes into a 1 MiB tmpfs: exit {} (want 1): {}",
            out.code, out.stderr
        )
    });
    ch.check(out.stderr.contains("No space left on device"), || {
        format!("restore into a full disk does not say so: {}", out.stderr)
    });
    ch.check(
        std::fs::read(&existing).ok().as_ref() == Some(&before),
        || "the restore into a full disk changed the target's bytes".into(),
    );
    ch.check(tests::sqlite_content(&existing).contains("42"), || {
        "the target lost its row".into()
    });
    let after = files_but_locks(&mnt);
    ch.check(after == before_files, || format!("the failed restore left files beside the target: before {before_files:?}, after {after:?}"));

    let absent = mnt.join("new.db");
    let out = restore_sqlite(&file, &absent, &[]);
    ch.check(out.code == 1, || {
        format!(
            "restore into a new file on a 1 MiB tmpfs: exit {} (want 1): {}",
            out.code, out.stderr
        )
    });
    ch.check(!absent.exists(), || {
        "the failed restore created the new target".into()
    });
    let after = files_but_locks(&mnt);
    ch.check(after == before_files, || {
        format!("the failed restore of a new file left files: {after:?}")
    });
    // The disk is usable again: nothing of the failed runs holds its space.
    let used = Command::new("df")
        .args(["--output=used", "-B1"])
        .arg(&mnt)
        .output()
        .expect("df");
    let used: u64 = String::from_utf8_lossy(&used.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(u64::MAX);
    ch.check(used < 512 * 1024, || {
        format!("{used} bytes still used on the tmpfs after the failed restores")
    });
    ch.finish();
}

// ---------------------------------------------------------------------------------------------
// 6. a keyword/value `db` in a config file
// ---------------------------------------------------------------------------------------------

#[test]
fn gaps_config_keyword_value_db_is_backed_up_and_protected() {
    let c = cluster();
    let db = c.create_db("gaps_kv");
    load_sample(c, &db.name, 25);
    let at_backup = c.table_checksums(&db.name);
    let work = tempfile::tempdir().expect("tmp");
    let kv = format!(
        "host=127.0.0.1 port={} dbname={} user=postgres",
        c.port, db.name
    );
    let cfg = work.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!("[env.kvprod]\ndb = \"{kv}\"\npassword_env = \"GAPS_KV_PW\"\nprotected = true\ndir = \"backups\"\n"),
    )
    .expect("config");
    let dir = work.path().join("backups");
    let mut ch = Checks::new();
    let mut r = bt();
    r.env_remove("PGPASSWORD")
        .env("GAPS_KV_PW", PASSWORD)
        .args(["run", "--config"])
        .arg(&cfg);
    let out = run(r);
    ch.check(out.code == 0, || {
        format!(
            "run --config with a keyword/value db: exit {}: {}",
            out.code, out.stderr
        )
    });
    let backups = listed(&dir);
    ch.check(backups.len() == 1, || {
        format!("run --config made {backups:?}")
    });
    let Some(file) = backups.first().map(|f| dir.join(f)) else {
        ch.finish();
        return;
    };
    let m = manifest(&file);
    ch.check(m["tables"]["public.users"].as_u64() == Some(25), || {
        format!("manifest rows: {}", m["tables"])
    });
    ch.check(m["name"] == "kvprod", || {
        format!("backup name {}", m["name"])
    });
    let text = gunzip(&file);
    ch.check(
        text.contains("user25@example.com") && text.contains("CREATE TABLE public.users"),
        || "the backup does not hold the database's schema and rows".into(),
    );

    // Change the database after the backup: a restore into it would undo this.
    c.psql(
        &db.name,
        "INSERT INTO public.users (email) VALUES ('after-backup@example.com')",
    );
    let changed = c.table_checksums(&db.name);
    let restore = |args: &[&str]| {
        let mut r = bt();
        r.arg("restore")
            .arg(&file)
            .args(args)
            .arg("--config")
            .arg(&cfg)
            .args(["--force", "--yes"]);
        r.env("GAPS_KV_PW", PASSWORD);
        run(r)
    };
    let url = c.url(&db.name);
    let localhost_kv = format!(
        "host=localhost port={} dbname={} user=postgres",
        c.port, db.name
    );
    for (what, args) in [
        ("--db URL", vec!["--db", url.as_str()]),
        (
            "--db keyword/value (localhost)",
            vec!["--db", localhost_kv.as_str()],
        ),
        ("--env kvprod", vec!["--env", "kvprod"]),
    ] {
        let out = restore(&args);
        ch.check(out.code == 6, || {
            format!(
                "restore {what} into the protected keyword/value environment: exit {} (want 6): {}",
                out.code, out.stderr
            )
        });
        ch.check(
            out.stderr.contains("kvprod") && out.stderr.contains("protected"),
            || {
                format!(
                    "restore {what}: the refusal does not name the protected environment: {}",
                    out.stderr
                )
            },
        );
        ch.check(c.table_checksums(&db.name) == changed, || {
            format!("restore {what} changed the protected database")
        });
    }
    // Another database is not protected by it: the same backup restores there.
    let other = c.fresh_name("gaps_kv_copy");
    let mut r = bt();
    r.arg("restore")
        .arg(&file)
        .args(["--db", &c.url(&other), "--create", "--config"])
        .arg(&cfg);
    let out = run(r);
    ch.check(out.code == 0, || {
        format!(
            "restore into an unprotected database with the same config: exit {}: {}",
            out.code, out.stderr
        )
    });
    if out.code == 0 {
        ch.check(c.table_checksums(&other) == at_backup, || {
            "the restored copy does not hold the data backed up".into()
        });
    }
    ch.finish();
}

// ---------------------------------------------------------------------------------------------
// 7. doctor and a folder with little free space
// ---------------------------------------------------------------------------------------------

#[test]
fn gaps_doctor_reports_a_backup_folder_with_little_free_space() {
    let work = tempfile::tempdir().expect("tmp");
    let lite = work.path().join("lite.db");
    make_sqlite_stale(&lite);
    let env_file = work.path().join("backup-tools.env");
    std::fs::write(&env_file, "# nothing needed\n").expect("env file");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&env_file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let big = work.path().join("big");
    let small = work.path().join("small");
    let _big = Tmpfs::mount(&big, "4g");
    let _small = Tmpfs::mount(&small, "2m");
    let cfg = work.path().join("backup.toml");
    let doctor = |dir: &Path| {
        std::fs::write(
            &cfg,
            format!(
                "[env.lite]\ndb = \"sqlite://{}\"\ndir = \"{}\"\n",
                lite.display(),
                dir.display()
            ),
        )
        .expect("cfg");
        let mut d = bt();
        d.args(["doctor", "--json", "--config"]).arg(&cfg);
        let out = run(d);
        let checks: Vec<(String, bool, String)> = json(&out)
            .ok()
            .and_then(|j| j["checks"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|c| {
                (
                    c["what"].as_str().unwrap_or_default().to_string(),
                    c["ok"] == true,
                    c["detail"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        (out, checks)
    };
    let mut ch = Checks::new();
    let (out, checks) = doctor(&big);
    ch.check(out.code == 0, || {
        format!(
            "doctor with a 4 GiB folder: exit {}: {}",
            out.code, out.stdout
        )
    });
    ch.check(
        checks.iter().any(|(w, ok, _)| w.contains("folder") && *ok),
        || format!("doctor with a 4 GiB folder: no passing folder check: {checks:?}"),
    );
    let (out, checks) = doctor(&small);
    ch.check(out.code == 3, || {
        format!(
            "doctor with a 2 MiB folder: exit {} (want 3): {}",
            out.code, out.stdout
        )
    });
    let folder: Vec<&(String, bool, String)> = checks
        .iter()
        .filter(|(w, _, _)| w.contains("folder") && w.contains(&small.display().to_string()))
        .collect();
    ch.check(folder.len() == 1 && !folder[0].1 && folder[0].2.contains("less than 1 GB free"), || {
        format!("doctor with a 2 MiB folder: the folder check is not a failure saying 'less than 1 GB free': {checks:?}")
    });
    let failed: Vec<&(String, bool, String)> = checks.iter().filter(|(_, ok, _)| !ok).collect();
    ch.check(failed.len() == 1, || {
        format!("doctor with a 2 MiB folder: other checks failed too: {failed:?}")
    });
    ch.finish();
}
