//! Backups that leave the machine (issue 12): `--dir s3://bucket/prefix` against a real
//! S3-compatible server (s3s-fs, a separate process on loopback, one per test) and age
//! encryption (`--encrypt-to`, `--identity`), with the real binaries.
//!
//! Results are checked by content with methods independent of the tools: the stored objects are
//! read from s3s-fs's data folder (`<data>/<bucket>/<key>`), hashed with sha256sum, decrypted
//! with Debian's `age`, decompressed with gunzip and loaded with psql; restores are compared
//! with the source by schema dump and per-table checksums (PostgreSQL) or `sqlite3 .dump`.
//! Faults are made by killing the server or the tool at a known stage, by altering stored bytes
//! on disk, by wrong keys, a missing bucket and a server that never answers.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tests::s3::{random_hex, CutProxy, S3Server};
use tests::{
    cluster, cmdline, descendants, files_containing, load_sample, poll_until, run, Cluster, Output,
    SilentServer, Stopped, PASSWORD,
};

use crate::faults_common::{tail, Problems};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A fresh server with one bucket.
pub(crate) fn server(bucket: &str) -> S3Server {
    let s3 = S3Server::start();
    s3.create_bucket(bucket);
    s3
}

/// backup-tool with this server's environment and nothing else that could change a run.
pub(crate) fn bt(s3: &S3Server) -> Command {
    let mut c = tests::tool("backup-tool");
    c.env_remove("BACKUP_TOOLS_CONFIG")
        .env_remove("BACKUP_TOOLS_IDENTITY")
        .env_remove("BACKUP_TOOLS_S3_TIMEOUT")
        .env_remove("BACKUP_TOOLS_TESTPOINT")
        .env("BACKUP_TOOLS_S3_TIMEOUT", "20");
    s3.apply(&mut c);
    c
}

pub(crate) fn backup_cmd(s3: &S3Server, db: &str, dir: &str, extra: &[&str]) -> Command {
    let mut c = bt(s3);
    c.args(["backup", "--db", db, "--dir", dir]).args(extra);
    c
}

/// Runs a backup that must succeed; returns the URL it printed.
pub(crate) fn backup(s3: &S3Server, db: &str, dir: &str, extra: &[&str]) -> String {
    let out = run(backup_cmd(s3, db, dir, extra));
    assert_eq!(
        out.code, 0,
        "backup --db {db} --dir {dir} {extra:?} failed:\n{}\n{}",
        out.stdout, out.stderr
    );
    let url = out.stdout.trim().to_string();
    assert!(
        url.starts_with(&format!("{dir}/")),
        "backup printed {url:?}, expected an object under {dir}"
    );
    url
}

/// `list --json --dir DIR`: the listed file names, in list order.
pub(crate) fn listed(s3: &S3Server, dir: &str) -> Vec<String> {
    let mut l = bt(s3);
    l.args(["list", "--json", "--dir", dir]);
    let out = run(l);
    assert_eq!(out.code, 0, "list --dir {dir} failed: {}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("list json");
    v["backups"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|b| {
                    b["path"]
                        .as_str()
                        .or_else(|| b["manifest"]["file"].as_str())
                })
                .map(|p| p.rsplit('/').next().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// `s3://bucket/key` → (bucket, key).
pub(crate) fn split_url(url: &str) -> (String, String) {
    let rest = url.strip_prefix("s3://").expect("an s3:// URL");
    let (b, k) = rest.split_once('/').expect("bucket/key");
    (b.to_string(), k.to_string())
}

/// The file in s3s-fs's data folder holding the object `url`.
pub(crate) fn stored(s3: &S3Server, url: &str) -> PathBuf {
    let (b, k) = split_url(url);
    s3.object_file(&b, &k)
}

/// The manifest of backup `url`, read from the data folder.
pub(crate) fn manifest_of(s3: &S3Server, url: &str) -> serde_json::Value {
    let p = stored(s3, &format!("{url}.manifest.json"));
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("manifest {}: {e}", p.display()));
    serde_json::from_slice(&bytes).expect("manifest json")
}

/// sha256sum of a file (an independent hash).
pub(crate) fn sha256_of(path: &Path) -> String {
    let out = run({
        let mut c = Command::new("sha256sum");
        c.arg(path);
        c
    });
    assert_eq!(out.code, 0, "sha256sum {}: {}", path.display(), out.stderr);
    out.stdout
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Every listed backup of `dir` is stored whole: the object's bytes on disk have the size and
/// sha256 its manifest records.
pub(crate) fn listed_are_stored_whole(s3: &S3Server, dir: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for f in listed(s3, dir) {
        let url = format!("{dir}/{f}");
        let m = manifest_of(s3, &url);
        let p = stored(s3, &url);
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        if Some(len) != m["size"].as_u64() {
            bad.push(format!(
                "{f}: {len} bytes stored, manifest says {}",
                m["size"]
            ));
        }
        let sha = sha256_of(&p);
        if Some(sha.as_str()) != m["sha256"].as_str() {
            bad.push(format!("{f}: sha256 {sha}, manifest says {}", m["sha256"]));
        }
    }
    bad
}

/// A new age X25519 identity in `dir`: (identity file, public key, secret key line).
pub(crate) fn age_identity(dir: &Path, name: &str) -> (PathBuf, String, String) {
    let key = dir.join(name);
    let out = run({
        let mut c = Command::new("age-keygen");
        c.arg("-o").arg(&key);
        c
    });
    assert_eq!(out.code, 0, "age-keygen: {}", out.stderr);
    let text = std::fs::read_to_string(&key).expect("key");
    let public = text
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .expect("public key line")
        .trim()
        .to_string();
    let secret = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .expect("secret key line")
        .trim()
        .to_string();
    set_mode(&key, 0o600);
    (key, public, secret)
}

/// A new SSH ed25519 key pair in `dir`: (private key file, public key line).
fn ssh_identity(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    let out = run({
        let mut c = Command::new("ssh-keygen");
        c.args(["-q", "-t", "ed25519", "-N", "", "-C", "offsite-test", "-f"])
            .arg(&key);
        c
    });
    assert_eq!(out.code, 0, "ssh-keygen: {}", out.stderr);
    let public = std::fs::read_to_string(key.with_extension("pub"))
        .expect("ssh public key")
        .trim()
        .to_string();
    set_mode(&key, 0o600);
    (key, public)
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Runs a shell pipeline; returns its output.
pub(crate) fn sh(script: &str) -> Output {
    let mut c = Command::new("bash");
    c.args(["-o", "pipefail", "-c", script]);
    run(c)
}

pub(crate) fn q(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

/// `sqlite3 FILE .dump`: the content of an SQLite file as SQL text.
pub(crate) fn sqlite_dump(path: &Path) -> String {
    let out = run({
        let mut c = Command::new("sqlite3");
        c.arg(path).arg(".dump");
        c
    });
    assert_eq!(
        out.code,
        0,
        "sqlite3 .dump {}: {}",
        path.display(),
        out.stderr
    );
    out.stdout
}

/// An SQLite file with awkward names and some data whose values are unique to `tag`.
pub(crate) fn make_sqlite(path: &Path, tag: &str, rows: u32) {
    let c = rusqlite::Connection::open(path).expect("open sqlite");
    c.execute_batch(
        "CREATE TABLE entries (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, note TEXT, amount REAL, raw BLOB);
         CREATE TABLE \"Odd Name\" (\"Key\" TEXT PRIMARY KEY, v TEXT);
         CREATE INDEX entries_note ON entries(note);
         CREATE VIEW big_entries AS SELECT * FROM entries WHERE amount > 10;",
    )
    .expect("schema");
    c.execute_batch("BEGIN").expect("begin");
    for g in 1..=rows {
        c.execute(
            "INSERT INTO entries (id, email, note, amount, raw) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                g,
                format!("sq-{tag}-{g}@plain.example"),
                format!("note {tag} ünï {g}\nline two"),
                g as f64 / 3.0,
                vec![0u8, 1, 2, (g % 256) as u8]
            ],
        )
        .expect("insert");
    }
    c.execute(
        "INSERT INTO \"Odd Name\" VALUES ('k''1', 'v \"quoted\"')",
        [],
    )
    .expect("insert odd");
    c.execute_batch("COMMIT").expect("commit");
}

/// Values of [`load_sample`] that appear in a plain (uncompressed) dump of it.
const SAMPLE_VALUES: &[&str] = &["user17@example.com", "with tab", "ünïcödé", "line\\nbreak"];

/// A folder with a pg_dump that writes its whole output and then holds its stdout open until
/// the file `go` exists, so a run is caught with its upload open.
fn held_pg_dump(c: &Cluster, dir: &Path, go: &Path) -> PathBuf {
    let bin = dir.join("heldbin");
    std::fs::create_dir_all(&bin).expect("bin");
    let script = format!(
        "#!/bin/sh\ncase \"$*\" in *--version*) exec '{real}' --version;; esac\n'{real}' \"$@\" || exit $?\n\
         while [ ! -e '{go}' ]; do sleep 0.05; done\nexit 0\n",
        real = c.bindir.join("pg_dump").display(),
        go = go.display()
    );
    tests::write_executable(&bin.join("pg_dump"), &script);
    for p in ["psql", "pg_dumpall", "pg_restore"] {
        let _ = std::os::unix::fs::symlink(c.bindir.join(p), bin.join(p));
    }
    bin
}

/// Starts a backup of the big database as `big` into `dir` whose pg_dump stops after its data
/// until `go` exists (see [`held_pg_dump`]), and waits until the upload has two parts stored or
/// the run ended; returns the run and whether it got there.
fn big_backup_mid_upload(
    c: &Cluster,
    s3: &S3Server,
    dir: &str,
    big: &str,
    tmp: &Path,
    go: &Path,
) -> (Stopped, bool) {
    let bin = held_pg_dump(c, tmp, go);
    let mut cmd = backup_cmd(
        s3,
        &c.url(big),
        dir,
        &["--name", "big", "--compress", "none"],
    );
    cmd.arg("--pg-bin-dir").arg(&bin);
    let mut run = Stopped::spawn(cmd);
    let mid = poll_until(Duration::from_secs(60), || {
        s3.upload_parts().len() >= 2 || !run.running()
    });
    (run, mid)
}

/// A database of about 43 MB of dump text (more than two 16 MiB parts uncompressed), made once.
pub(crate) fn big_db() -> &'static str {
    static BIG: OnceLock<String> = OnceLock::new();
    BIG.get_or_init(|| {
        let c = cluster();
        let db = c.create_db("offsite_big");
        c.psql(
            &db.name,
            "CREATE TABLE big (id int PRIMARY KEY, payload text); \
             INSERT INTO big SELECT g, repeat(md5(g::text), 10) FROM generate_series(1, 130000) g;",
        );
        db.name
    })
}

/// Markers of uploads under `prefix` (`<prefix>/.uploads/…`), as stored.
pub(crate) fn upload_markers(s3: &S3Server, bucket: &str, prefix: &str) -> Vec<String> {
    s3.objects(bucket, &format!("{prefix}/.uploads"))
}

/// Stored objects under `prefix` that are not listed backups, their manifests, or lock
/// folders: what a failed run left behind.
pub(crate) fn unlisted_objects(s3: &S3Server, bucket: &str, prefix: &str) -> Vec<String> {
    let dir = format!("s3://{bucket}/{prefix}");
    let listed = listed(s3, &dir);
    s3.objects(bucket, prefix)
        .into_iter()
        .filter(|f| {
            !listed.contains(f) && !listed.iter().any(|l| *f == format!("{l}.manifest.json"))
        })
        .collect()
}

/// Everything a run printed.
pub(crate) fn all_output(o: &Output) -> String {
    format!("{}\n{}", o.stdout, o.stderr)
}

/// The secrets in `text` (by label), for messages.
pub(crate) fn secrets_in(text: &str, secrets: &[(&str, &str)]) -> Vec<String> {
    secrets
        .iter()
        .filter(|(_, s)| !s.is_empty() && text.contains(*s))
        .map(|(label, _)| label.to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Round trips
// ---------------------------------------------------------------------------------------------

/// PostgreSQL to s3:// and back, by the object's URL and by `--dir --name --latest`: schema
/// and per-table checksums equal the source's.
#[test]
fn offsite_pg_backup_restores_identically_from_s3() {
    let c = cluster();
    let src = c.create_db("offsite_rt");
    load_sample(c, &src.name, 300);
    let s3 = server("rt-bucket");
    let dir = "s3://rt-bucket/nightly/pg";
    let url = backup(&s3, &src.url, dir, &[]);
    let mut p = Problems::default();
    p.check(url.ends_with(".sql.gz"), || format!("file name {url}"));
    p.check(stored(&s3, &url).is_file(), || {
        format!("no object at {} for {url}", stored(&s3, &url).display())
    });
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, dir),
    );
    let m = manifest_of(&s3, &url);
    p.check(
        m["recipients"].as_array().is_none_or(|a| a.is_empty()),
        || format!("a plain backup lists recipients: {}", m["recipients"]),
    );
    let want_schema = c.schema(&src.name);
    let want_sums = c.table_checksums(&src.name);
    // By URL.
    let t1 = c.fresh_name("offsite_rt_dst");
    let mut r = bt(&s3);
    r.args(["restore", &url, "--db", &c.url(&t1), "--create"]);
    let out = run(r);
    p.check(out.code == 0, || {
        format!("restore {url}: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        p.check(c.table_checksums(&t1) == want_sums, || {
            "restored data differs (by URL)".into()
        });
        p.check(c.schema(&t1) == want_schema, || {
            "restored schema differs (by URL)".into()
        });
    }
    // A second backup, then --latest picks it.
    c.psql(&src.name, "INSERT INTO public.empty_table VALUES (42)");
    let url2 = backup(&s3, &src.url, dir, &[]);
    p.check(url2 != url, || "second backup overwrote the first".into());
    let t2 = c.fresh_name("offsite_rt_latest");
    let mut r = bt(&s3);
    r.args([
        "restore",
        "--dir",
        dir,
        "--name",
        &src.name,
        "--latest",
        "--db",
        &c.url(&t2),
        "--create",
    ]);
    let out = run(r);
    p.check(out.code == 0, || {
        format!("restore --latest: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        p.check(
            c.table_checksums(&t2) == c.table_checksums(&src.name),
            || "restore --latest did not restore the newest backup's data".into(),
        );
    }
    p.check(listed(&s3, dir).len() == 2, || {
        format!("list: {:?}", listed(&s3, dir))
    });
    let mut v = bt(&s3);
    v.args(["verify", "--dir", dir]);
    let out = run(v);
    p.check(out.code == 0, || {
        format!("verify --dir: exit {}: {}", out.code, out.stdout)
    });
    p.finish("PostgreSQL round trip through s3://");
}

/// The same with `--encrypt-to`: the object is `.sql.gz.age`, the manifest names the
/// recipient and checks the stored bytes, restore needs `--identity` and then gives the source
/// back; without it nothing is created.
#[test]
fn offsite_pg_encrypted_backup_restores_with_identity() {
    let c = cluster();
    let src = c.create_db("offsite_enc");
    load_sample(c, &src.name, 300);
    let s3 = server("enc-bucket");
    let keys = tempfile::tempdir().expect("keys");
    let (id, public, _) = age_identity(keys.path(), "key.txt");
    let dir = "s3://enc-bucket/enc";
    let url = backup(&s3, &src.url, dir, &["--encrypt-to", &public]);
    let mut p = Problems::default();
    p.check(url.ends_with(".sql.gz.age"), || format!("file name {url}"));
    let m = manifest_of(&s3, &url);
    p.check(
        m["recipients"] == serde_json::json!([public.clone()]),
        || {
            format!(
                "manifest recipients {} (expected [{public}])",
                m["recipients"]
            )
        },
    );
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, dir),
    );
    let head = std::fs::read(stored(&s3, &url)).unwrap_or_default();
    p.check(head.starts_with(b"age-encryption.org/v1"), || {
        "the stored object is not an age file".into()
    });
    // Without the identity: refused, nothing created.
    let t0 = c.fresh_name("offsite_enc_noid");
    let mut r = bt(&s3);
    r.args(["restore", &url, "--db", &c.url(&t0), "--create"]);
    let out = run(r);
    p.check(out.code != 0, || {
        "restore of an encrypted backup without identity succeeded".into()
    });
    p.check(out.stderr.contains("--identity"), || {
        format!(
            "message does not say how to give the identity: {}",
            tail(&out.stderr)
        )
    });
    p.check(!c.db_exists(&t0), || {
        format!("restore without identity created {t0}")
    });
    // With it (flag, then the environment variable).
    let want_schema = c.schema(&src.name);
    let want_sums = c.table_checksums(&src.name);
    for how in ["flag", "env"] {
        let t = c.fresh_name("offsite_enc_dst");
        let mut r = bt(&s3);
        r.args(["restore", &url, "--db", &c.url(&t), "--create"]);
        if how == "flag" {
            r.arg("--identity").arg(&id);
        } else {
            r.env("BACKUP_TOOLS_IDENTITY", &id);
        }
        let out = run(r);
        p.check(out.code == 0, || {
            format!(
                "restore with identity ({how}): exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        });
        if out.code == 0 {
            p.check(c.table_checksums(&t) == want_sums, || {
                format!("restored data differs ({how})")
            });
            p.check(c.schema(&t) == want_schema, || {
                format!("restored schema differs ({how})")
            });
        }
    }
    // While the decrypted stream goes into psql, nothing of it is on local disk.
    let t = c.fresh_name("offsite_enc_mid");
    let mut r = bt(&s3);
    r.args([
        "restore",
        &url,
        "--db",
        &c.url(&t),
        "--create",
        "--identity",
    ])
    .arg(&id);
    let st = Stopped::at(r, "pipe.loading");
    p.none(
        "files in the restore's TMPDIR while it loads",
        &tests::all_files(&st.tmp()),
    );
    p.none(
        "plaintext in the restore's TMPDIR",
        &files_containing(&[&st.tmp()], SAMPLE_VALUES),
    );
    let e = st.kill9();
    p.none("children outlived the killed restore", &e.survivors);
    p.check(!c.db_exists(&t), || {
        format!("a restore killed mid-load left database {t}")
    });
    // verify: without identity only the stored bytes; with it the whole stream.
    let mut v = bt(&s3);
    v.args(["verify", &url, "--json"]);
    let out = run(v);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    p.check(out.code == 0, || {
        format!("verify without identity: exit {}: {}", out.code, out.stdout)
    });
    p.check(j.to_string().contains("\"encrypted_only\":true"), || {
        format!(
            "verify --json without identity does not say encrypted_only: {}",
            out.stdout
        )
    });
    let mut v = bt(&s3);
    v.args(["verify", &url]);
    let out = run(v);
    p.check(
        out.stdout
            .contains("encrypted: size and sha256 of the stored bytes checked"),
        || format!("verify without identity prints: {}", out.stdout),
    );
    let mut v = bt(&s3);
    v.args(["verify", &url, "--json", "--identity"]).arg(&id);
    let out = run(v);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    p.check(out.code == 0, || {
        format!("verify with identity: exit {}: {}", out.code, out.stdout)
    });
    p.check(!j.to_string().contains("encrypted_only"), || {
        format!(
            "verify with identity still says encrypted_only: {}",
            out.stdout
        )
    });
    p.check(j.to_string().contains("users"), || {
        format!(
            "verify with identity did not decode the tables: {}",
            out.stdout
        )
    });
    // A wrong identity decrypts nothing.
    let (other, _, _) = age_identity(keys.path(), "other.txt");
    let t = c.fresh_name("offsite_enc_wrong");
    let mut r = bt(&s3);
    r.args([
        "restore",
        &url,
        "--db",
        &c.url(&t),
        "--create",
        "--identity",
    ])
    .arg(&other);
    let out = run(r);
    p.check(out.code != 0, || {
        "restore with a wrong identity succeeded".into()
    });
    p.check(!c.db_exists(&t), || {
        format!("restore with a wrong identity created {t}")
    });
    let mut v = bt(&s3);
    v.args(["verify", &url, "--identity"]).arg(&other);
    let out = run(v);
    p.check(out.code != 0, || {
        "verify with a wrong identity passed".into()
    });
    p.finish("encrypted PostgreSQL round trip through s3://");
}

/// SQLite to s3:// and back, plain and encrypted: `sqlite3 .dump` of the restored file equals
/// the source's.
#[test]
fn offsite_sqlite_backup_restores_identically_plain_and_encrypted() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("tt.db");
    make_sqlite(&src, "rt", 500);
    let want = sqlite_dump(&src);
    let s3 = server("sq-bucket");
    let (id, public, _) = age_identity(tmp.path(), "key.txt");
    let dir = "s3://sq-bucket/sqlite";
    let mut p = Problems::default();
    for (label, extra) in [
        ("plain", vec![]),
        ("encrypted", vec!["--encrypt-to", public.as_str()]),
    ] {
        let url = backup(&s3, &src.display().to_string(), dir, &extra);
        let want_ext = if extra.is_empty() {
            ".sqlite3.gz"
        } else {
            ".sqlite3.gz.age"
        };
        p.check(url.ends_with(want_ext), || {
            format!("{label}: file name {url}")
        });
        let target = tmp.path().join(format!("restored-{label}.db"));
        let mut r = bt(&s3);
        r.args(["restore", &url, "--db"]).arg(&target);
        if !extra.is_empty() {
            r.arg("--identity").arg(&id);
        }
        let out = run(r);
        p.check(out.code == 0, || {
            format!("{label}: restore exit {}: {}", out.code, tail(&out.stderr))
        });
        if out.code == 0 {
            p.check(sqlite_dump(&target) == want, || {
                format!("{label}: restored SQLite content differs")
            });
        }
        // By hand: the stored bytes, decrypted with age and unzipped, are the SQLite file.
        let obj = stored(&s3, &url);
        let by_hand = tmp.path().join(format!("by-hand-{label}.db"));
        let script = if extra.is_empty() {
            format!("gunzip < {} > {}", q(&obj), q(&by_hand))
        } else {
            format!(
                "age -d -i {} {} | gunzip > {}",
                q(&id),
                q(&obj),
                q(&by_hand)
            )
        };
        let out = sh(&script);
        p.check(out.code == 0, || {
            format!("{label}: {script}: {}", out.stderr)
        });
        if out.code == 0 {
            p.check(sqlite_dump(&by_hand) == want, || {
                format!("{label}: the stored bytes are not the SQLite file")
            });
        }
    }
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, dir),
    );
    // verify with the identity decodes every backup (integrity_check) and leaves no plaintext
    // copy in its TMPDIR.
    let mut v = bt(&s3);
    v.args(["verify", "--dir", dir, "--identity"]).arg(&id);
    match Stopped::spawn(v).wait_for(Duration::from_secs(60)) {
        Some(e) => {
            p.check(e.code == Some(0), || {
                format!("verify --dir --identity: exit {:?}: {}", e.code, e.stdout)
            });
            p.check(!e.stdout.contains("encrypted: size and sha256"), || {
                format!(
                    "verify with identity only checked the stored bytes: {}",
                    e.stdout
                )
            });
            p.none("left in verify's TMPDIR", &tests::all_files(&e.tmp));
        }
        None => p.0.push("verify --dir did not end".into()),
    }
    p.finish("SQLite round trip through s3://");
}

// ---------------------------------------------------------------------------------------------
// 2. Restorable by hand with stock tools
// ---------------------------------------------------------------------------------------------

/// `age -d -i key.txt f.sql.gz.age | gunzip | psql` on the object's bytes as stored gives the
/// source back, for an X25519 and an SSH ed25519 recipient (one backup encrypted to both; each
/// identity alone decrypts it), and the tool restores it with the SSH key too.
#[test]
fn offsite_encrypted_object_restores_by_hand_with_age_gunzip_psql() {
    let c = cluster();
    let src = c.create_db("offsite_hand");
    load_sample(c, &src.name, 200);
    let want = c.table_checksums(&src.name);
    let s3 = server("hand-bucket");
    let keys = tempfile::tempdir().expect("keys");
    let (age_key, age_pub, _) = age_identity(keys.path(), "key.txt");
    let (ssh_key, ssh_pub) = ssh_identity(keys.path(), "id_ed25519");
    let rfile = keys.path().join("recipients.txt");
    std::fs::write(&rfile, format!("# offsite recipients\n{ssh_pub}\n")).expect("recipients");
    let dir = "s3://hand-bucket/p";
    let url = backup(
        &s3,
        &src.url,
        dir,
        &[
            "--encrypt-to",
            &age_pub,
            "--recipients-file",
            &rfile.display().to_string(),
        ],
    );
    let mut p = Problems::default();
    let m = manifest_of(&s3, &url);
    let recips: Vec<String> = m["recipients"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    p.check(recips.len() == 2 && recips.contains(&age_pub), || {
        format!("manifest recipients {recips:?}")
    });
    p.check(recips.iter().any(|r| r.starts_with("ssh-ed25519 ")), || {
        format!("the SSH recipient is not in the manifest: {recips:?}")
    });
    let obj = stored(&s3, &url);
    p.check(
        Some(sha256_of(&obj).as_str()) == m["sha256"].as_str(),
        || "the manifest's sha256 is not that of the stored bytes".into(),
    );
    for (label, key) in [("age X25519", &age_key), ("ssh-ed25519", &ssh_key)] {
        let t = c.create_db("offsite_hand_dst");
        let script = format!(
            "age -d -i {} {} | gunzip | PGPASSWORD='{PASSWORD}' '{}' -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p {} -U postgres -d {} >/dev/null",
            q(key),
            q(&obj),
            c.bindir.join("psql").display(),
            c.port,
            t.name
        );
        let out = sh(&script);
        p.check(out.code == 0, || {
            format!("{label}: by-hand restore failed: {}", tail(&out.stderr))
        });
        p.check(c.table_checksums(&t.name) == want, || {
            format!("{label}: by-hand restore differs from the source")
        });
    }
    // The tool with the SSH private key as identity.
    let t = c.fresh_name("offsite_hand_ssh");
    let mut r = bt(&s3);
    r.args([
        "restore",
        &url,
        "--db",
        &c.url(&t),
        "--create",
        "--identity",
    ])
    .arg(&ssh_key);
    let out = run(r);
    p.check(out.code == 0, || {
        format!(
            "restore --identity id_ed25519: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    if out.code == 0 {
        p.check(c.table_checksums(&t) == want, || {
            "restore with the SSH identity differs".into()
        });
    }
    // An SSH-only backup (`--encrypt-to "ssh-ed25519 …"`) decrypts by hand too.
    let url2 = backup(&s3, &src.url, dir, &["--encrypt-to", &ssh_pub]);
    let out = sh(&format!(
        "age -d -i {} {} | gunzip | tail -c 400",
        q(&ssh_key),
        q(&stored(&s3, &url2))
    ));
    p.check(
        out.code == 0 && out.stdout.contains("PostgreSQL database dump complete"),
        || {
            format!(
                "ssh-only backup by hand: exit {} {}",
                out.code,
                tail(&out.stderr)
            )
        },
    );
    p.finish("restorable by hand with age | gunzip | psql");
}

/// `backup-tool run --config` with `dir = "s3://…"`, `encrypt_to` and `recipients_file`: the
/// backup lands in the bucket, encrypted to every recipient.
#[test]
fn offsite_config_run_backs_up_to_s3_encrypted() {
    let c = cluster();
    let src = c.create_db("offsite_cfg");
    load_sample(c, &src.name, 50);
    let s3 = server("cfg-bucket");
    let tmp = tempfile::tempdir().expect("tmp");
    let (k1, pub1, _) = age_identity(tmp.path(), "k1.txt");
    let (k2, pub2, _) = age_identity(tmp.path(), "k2.txt");
    std::fs::write(tmp.path().join("recips.txt"), format!("{pub2}\n")).expect("recipients");
    let cfg = tmp.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "[env.prod]\ndb = \"{}\"\ndir = \"s3://cfg-bucket/cfg\"\nencrypt_to = [\"{pub1}\"]\nrecipients_file = \"recips.txt\"\nretention = {{ keep_last = 2 }}\n",
            src.url
        ),
    )
    .expect("config");
    let mut p = Problems::default();
    for _ in 0..3 {
        let mut r = bt(&s3);
        r.args(["run", "--config"])
            .arg(&cfg)
            .args(["--env", "prod"]);
        let out = run(r);
        p.check(out.code == 0, || {
            format!("run --config: exit {}: {}", out.code, tail(&out.stderr))
        });
    }
    let names = listed(&s3, "s3://cfg-bucket/cfg");
    p.check(names.len() == 2, || {
        format!("keep_last = 2 on the remote listing left {names:?}")
    });
    p.check(names.iter().all(|n| n.ends_with(".sql.gz.age")), || {
        format!("not encrypted: {names:?}")
    });
    let want = c.table_checksums(&src.name);
    if let Some(n) = names.last() {
        let url = format!("s3://cfg-bucket/cfg/{n}");
        let m = manifest_of(&s3, &url);
        p.check(m["recipients"].as_array().map(Vec::len) == Some(2), || {
            format!("recipients {}", m["recipients"])
        });
        for k in [&k1, &k2] {
            let t = c.create_db("offsite_cfg_dst");
            let out = sh(&format!(
                "age -d -i {} {} | gunzip | PGPASSWORD='{PASSWORD}' '{}' -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p {} -U postgres -d {} >/dev/null",
                q(k), q(&stored(&s3, &url)), c.bindir.join("psql").display(), c.port, t.name
            ));
            p.check(out.code == 0 && c.table_checksums(&t.name) == want, || {
                format!(
                    "identity {} does not restore the config-run backup: {}",
                    k.display(),
                    tail(&out.stderr)
                )
            });
        }
    }
    p.finish("run --config into s3:// with encryption");
}

// ---------------------------------------------------------------------------------------------
// 3. No plaintext in the bucket
// ---------------------------------------------------------------------------------------------

/// With encryption, no row value (nor a role name from `--globals`) is in any byte of the
/// server's data folder, even with `--compress none`; without encryption the same scan finds
/// them (so the scan can see them).
#[test]
fn offsite_encrypted_backups_leave_no_plaintext_in_the_bucket() {
    let c = cluster();
    let src = c.create_db("offsite_plain");
    load_sample(c, &src.name, 100);
    let role = format!("offsite_role_{}", random_hex(6));
    c.psql("postgres", &format!("CREATE ROLE {role} NOLOGIN"));
    let tmp = tempfile::tempdir().expect("tmp");
    let sq = tmp.path().join("leak.db");
    make_sqlite(&sq, "leaktag", 50);
    let (_, public, _) = age_identity(tmp.path(), "key.txt");
    let mut needles: Vec<String> = SAMPLE_VALUES.iter().map(|s| s.to_string()).collect();
    needles.push(role.clone());
    needles.push("sq-leaktag-7@plain.example".into());
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    let mut p = Problems::default();
    // Control: plain, uncompressed backups show the values in the bucket.
    {
        let s3 = server("ctl-bucket");
        let dir = "s3://ctl-bucket/x";
        backup(&s3, &src.url, dir, &["--compress", "none", "--globals"]);
        backup(&s3, &sq.display().to_string(), dir, &["--compress", "none"]);
        let found = files_containing(&[&s3.data()], &needles);
        p.check(!found.is_empty(), || {
            "the control scan found no plaintext: the scan is blind".into()
        });
    }
    let s3 = server("leak-bucket");
    let dir = "s3://leak-bucket/x";
    for codec in ["none", "gzip"] {
        let url = backup(
            &s3,
            &src.url,
            dir,
            &["--compress", codec, "--globals", "--encrypt-to", &public],
        );
        p.check(url.ends_with(".age"), || format!("{url} is not encrypted"));
        let u2 = backup(
            &s3,
            &sq.display().to_string(),
            dir,
            &["--compress", codec, "--encrypt-to", &public],
        );
        p.check(u2.ends_with(".age"), || format!("{u2} is not encrypted"));
    }
    let objects = s3.objects("leak-bucket", "x");
    let globals: Vec<&String> = objects
        .iter()
        .filter(|o| o.contains("globals") && !o.ends_with(".manifest.json"))
        .collect();
    p.check(!globals.is_empty(), || {
        format!("no globals object was stored: {objects:?}")
    });
    p.check(globals.iter().all(|g| g.ends_with(".age")), || {
        format!("globals not encrypted: {globals:?}")
    });
    p.none(
        "files of the bucket holding plaintext row values",
        &files_containing(&[&s3.data()], &needles),
    );
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, dir),
    );
    c.psql("postgres", &format!("DROP ROLE {role}"));
    p.finish("no plaintext in the bucket");
}

// ---------------------------------------------------------------------------------------------
// 4. Faults
// ---------------------------------------------------------------------------------------------

/// The server killed while a backup's multipart upload is open (two 16 MiB parts sent, the
/// rest buffered): the backup fails naming the URL; after a restart nothing new is listed; the
/// next run of the name aborts the orphan upload and leaves no part, record or marker.
#[test]
fn offsite_server_killed_mid_upload_leaves_nothing_and_next_run_aborts_it() {
    let c = cluster();
    let big = big_db();
    let small = c.create_db("offsite_kill_small");
    load_sample(c, &small.name, 20);
    let mut s3 = server("kill-bucket");
    let dir = "s3://kill-bucket/k";
    backup(&s3, &small.url, dir, &["--name", "big"]);
    let before = listed(&s3, dir);
    let tmp = tempfile::tempdir().expect("tmp");
    let go = tmp.path().join("go");
    let (mut run1, mid) = big_backup_mid_upload(c, &s3, dir, big, tmp.path(), &go);
    let mut p = Problems::default();
    p.check(mid && run1.running(), || {
        format!(
            "the upload never had two parts open (parts {:?}); stderr: {}",
            s3.upload_parts(),
            tail(&run1.stderr())
        )
    });
    p.check(!upload_markers(&s3, "kill-bucket", "k").is_empty(), || {
        "an open multipart upload has no marker under .uploads/".into()
    });
    s3.kill();
    std::fs::write(&go, "").expect("go");
    let ended = run1.wait_for(Duration::from_secs(90));
    match &ended {
        None => {
            p.0.push("the backup did not end within 90 s of the server's death".into())
        }
        Some(e) => {
            p.check(e.code.is_some_and(|c| c != 0), || {
                format!("backup with the server killed: exit {:?}", e.code)
            });
            p.check(e.stderr.contains("s3://kill-bucket/k"), || {
                format!("the error does not name the s3:// URL: {}", tail(&e.stderr))
            });
        }
    }
    s3.restart();
    p.check(listed(&s3, dir) == before, || {
        format!(
            "list changed after the failed upload: {:?}",
            listed(&s3, dir)
        )
    });
    p.check(!s3.upload_parts().is_empty(), || {
        "the dead server kept no parts: the kill was not mid-upload".into()
    });
    // The next run of the name cleans up.
    let url = backup(&s3, &small.url, dir, &["--name", "big"]);
    p.none(
        "upload state left in s3s-fs after the next run",
        &s3.upload_leftovers(),
    );
    p.none(
        "upload markers left after the next run",
        &upload_markers(&s3, "kill-bucket", "k"),
    );
    p.none(
        "unlisted objects after the next run",
        &unlisted_objects(&s3, "kill-bucket", "k"),
    );
    let now = listed(&s3, dir);
    p.check(
        now.len() == before.len() + 1 && now.iter().any(|n| url.ends_with(n.as_str())),
        || format!("after the next run: {now:?}"),
    );
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, dir),
    );
    p.finish("server killed mid-upload");
}

/// The tool killed with SIGKILL while its multipart upload is open: nothing is listed, the
/// lock object stays behind; the next run takes the lock over, aborts the upload, and succeeds.
#[test]
fn offsite_backup_sigkilled_mid_upload_next_run_cleans_up() {
    let c = cluster();
    let big = big_db();
    let s3 = server("sigkill-bucket");
    let dir = "s3://sigkill-bucket/s";
    let tmp = tempfile::tempdir().expect("tmp");
    let go = tmp.path().join("never");
    let (mut run1, mid) = big_backup_mid_upload(c, &s3, dir, big, tmp.path(), &go);
    let mut p = Problems::default();
    assert!(
        mid && run1.running(),
        "the upload never had two parts open: {}",
        tail(&run1.stderr())
    );
    let lock = s3.object_file("sigkill-bucket", "s/.locks/big.lock");
    p.check(lock.is_file(), || {
        "no lock object while the backup runs".into()
    });
    let ended = run1.kill9();
    crate::faults_common::assert_killed(&ended);
    p.none("children outlived the tool", &ended.survivors);
    p.check(listed(&s3, dir).is_empty(), || {
        format!("listed after the kill: {:?}", listed(&s3, dir))
    });
    p.check(!s3.upload_parts().is_empty(), || {
        "no parts left by the killed run: not mid-upload".into()
    });
    p.check(lock.is_file(), || {
        "the killed run's lock object is gone (expected it left behind)".into()
    });
    // The next run (a small database under the same name).
    let small = c.create_db("offsite_sigkill_small");
    load_sample(c, &small.name, 10);
    let out = run(backup_cmd(&s3, &small.url, dir, &["--name", "big"]));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.none(
        "upload state left in s3s-fs after the next run",
        &s3.upload_leftovers(),
    );
    p.none(
        "upload markers left after the next run",
        &upload_markers(&s3, "sigkill-bucket", "s"),
    );
    p.none(
        "unlisted objects after the next run",
        &unlisted_objects(&s3, "sigkill-bucket", "s"),
    );
    p.check(!lock.exists(), || {
        "the lock object is still there after the next run ended".into()
    });
    p.check(listed(&s3, dir).len() == 1, || {
        format!("listed: {:?}", listed(&s3, dir))
    });
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, dir),
    );
    p.finish("backup SIGKILLed mid-upload");
}

/// Killed after the object was completed, before its manifest: the object is not listed,
/// `verify` and `restore` refuse it, prune keeps the good backup, and the next run deletes it.
#[test]
fn offsite_backup_killed_before_manifest_leaves_an_object_nobody_trusts() {
    let c = cluster();
    let src = c.create_db("offsite_nomani");
    load_sample(c, &src.name, 50);
    let s3 = server("mani-bucket");
    let dir = "s3://mani-bucket/m";
    let good = backup(&s3, &src.url, dir, &[]);
    let before = listed(&s3, dir);
    let ended = Stopped::at(
        backup_cmd(&s3, &src.url, dir, &[]),
        "backup.before-manifest",
    )
    .kill9();
    crate::faults_common::assert_killed(&ended);
    let mut p = Problems::default();
    p.check(listed(&s3, dir) == before, || {
        format!("list changed: {:?}", listed(&s3, dir))
    });
    let orphans: Vec<String> = unlisted_objects(&s3, "mani-bucket", "m")
        .into_iter()
        .filter(|o| !o.starts_with(".locks/"))
        .collect();
    p.check(orphans.len() == 1, || {
        format!("expected one completed object without manifest, found {orphans:?}")
    });
    for o in &orphans {
        let url = format!("{dir}/{o}");
        let mut v = bt(&s3);
        v.args(["verify", &url]);
        let out = run(v);
        p.check(out.code == 3, || {
            format!(
                "verify of the manifest-less {o}: exit {} (expected 3)",
                out.code
            )
        });
        let t = c.fresh_name("offsite_nomani_dst");
        let mut r = bt(&s3);
        r.args(["restore", &url, "--db", &c.url(&t), "--create"]);
        let out = run(r);
        p.check(out.code == 3, || {
            format!(
                "restore of the manifest-less {o}: exit {} (expected 3): {}",
                out.code,
                tail(&out.stderr)
            )
        });
        p.check(!c.db_exists(&t), || {
            format!("restore of the manifest-less object created {t}")
        });
    }
    let mut pr = bt(&s3);
    pr.args(["prune", "--dir", dir, "--keep-last", "1"]);
    let out = run(pr);
    p.check(out.code == 0, || {
        format!("prune: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(
        listed(&s3, dir) == before && stored(&s3, &good).is_file(),
        || "prune removed the only good backup".into(),
    );
    let out = run(backup_cmd(&s3, &src.url, dir, &[]));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.none(
        "unlisted objects after the next run",
        &unlisted_objects(&s3, "mani-bucket", "m"),
    );
    p.check(listed(&s3, dir).len() == 2, || {
        format!("listed: {:?}", listed(&s3, dir))
    });
    p.finish("killed before the manifest");
}

/// Wrong keys: every command fails (non-zero), names the s3:// URL, and prints neither the
/// wrong nor the right secret key, in text or `--json`.
#[test]
fn offsite_wrong_credentials_fail_loudly_without_the_secret() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("cred.db");
    make_sqlite(&src, "cred", 10);
    let s3 = server("cred-bucket");
    let dir = "s3://cred-bucket/c";
    let good = backup(&s3, &src.display().to_string(), dir, &[]);
    let wrong_secret = format!("wrongsecret{}", random_hex(12));
    let wrong_id = format!("AKWRONG{}", random_hex(6).to_uppercase());
    let mut p = Problems::default();
    let srcs = src.display().to_string();
    let restored = tmp.path().join("restored.db").display().to_string();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("backup", vec!["backup", "--db", &srcs, "--dir", dir]),
        (
            "backup --json",
            vec!["backup", "--db", &srcs, "--dir", dir, "--json"],
        ),
        ("list", vec!["list", "--dir", dir]),
        ("list --json", vec!["list", "--dir", dir, "--json"]),
        ("verify FILE", vec!["verify", &good]),
        (
            "verify --dir --json",
            vec!["verify", "--dir", dir, "--json"],
        ),
        ("prune", vec!["prune", "--dir", dir, "--keep-last", "1"]),
        (
            "status",
            vec!["status", "--dir", dir, "--name", "cred", "--max-age", "1h"],
        ),
        ("restore", vec!["restore", &good, "--db", &restored]),
    ];
    for (which, secret_env, id_env) in [
        (
            "wrong secret key",
            wrong_secret.as_str(),
            s3.access_key.as_str(),
        ),
        (
            "unknown access key id",
            s3.secret_key.as_str(),
            wrong_id.as_str(),
        ),
    ] {
        for (label, args) in &cases {
            let mut cmd = bt(&s3);
            cmd.env("AWS_SECRET_ACCESS_KEY", secret_env)
                .env("AWS_ACCESS_KEY_ID", id_env)
                .env("BACKUP_TOOLS_S3_TIMEOUT", "5")
                .args(args)
                .arg("-vv");
            let t0 = Instant::now();
            let out = run(cmd);
            let text = all_output(&out);
            p.check(out.code != 0, || {
                format!("{which}: {label} succeeded (exit 0)")
            });
            p.check(text.contains("s3://cred-bucket/c"), || {
                format!(
                    "{which}: {label}: the error does not name the s3:// URL: {}",
                    tail(&out.stderr)
                )
            });
            let leaked = secrets_in(
                &text,
                &[
                    ("the wrong secret key", &wrong_secret),
                    ("the real secret key", &s3.secret_key),
                ],
            );
            p.none(&format!("{which}: {label} printed"), &leaked);
            p.check(t0.elapsed() < Duration::from_secs(30), || {
                format!(
                    "{which}: {label} took {:.1}s to fail",
                    t0.elapsed().as_secs_f64()
                )
            });
            if label.ends_with("--json") {
                p.check(
                    serde_json::from_str::<serde_json::Value>(&out.stdout).is_ok(),
                    || format!("{which}: {label}: stdout is not JSON: {}", out.stdout),
                );
            }
        }
    }
    p.check(listed(&s3, dir).len() == 1, || {
        format!("listed after the failures: {:?}", listed(&s3, dir))
    });
    p.finish("wrong credentials");
}

/// A bucket that does not exist: backup, list, status and verify fail naming it; nothing is
/// created (a missing bucket is never an empty listing).
#[test]
fn offsite_missing_bucket_fails_and_creates_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("mb.db");
    make_sqlite(&src, "mb", 10);
    let s3 = server("some-bucket");
    let dir = "s3://no-such-bucket/p";
    let srcs = src.display().to_string();
    let mut p = Problems::default();
    for (label, args) in [
        (
            "backup",
            vec!["backup", "--db", srcs.as_str(), "--dir", dir],
        ),
        ("list", vec!["list", "--dir", dir]),
        ("list --json", vec!["list", "--dir", dir, "--json"]),
        (
            "status",
            vec!["status", "--dir", dir, "--name", "mb", "--max-age", "1h"],
        ),
        ("verify --dir", vec!["verify", "--dir", dir]),
        ("prune", vec!["prune", "--dir", dir, "--keep-last", "1"]),
    ] {
        let mut cmd = bt(&s3);
        cmd.args(&args);
        let out = run(cmd);
        p.check(out.code != 0, || {
            format!("{label} into a missing bucket: exit 0: {}", out.stdout)
        });
        p.check(all_output(&out).contains("no-such-bucket"), || {
            format!(
                "{label}: the error does not name the bucket: {}",
                tail(&out.stderr)
            )
        });
    }
    p.check(!s3.data().join("no-such-bucket").exists(), || {
        "the missing bucket was created".into()
    });
    p.none("objects stored", &s3.objects("some-bucket", ""));
    p.finish("missing bucket");
}

/// A truncated or altered object (plain and encrypted): `verify` exits 3 with and without the
/// identity, `verify --dir` too, `restore` refuses and leaves an existing target as it was and
/// creates no new one; `restore --latest` and prune skip the damaged one.
#[test]
fn offsite_damaged_objects_fail_verify_and_restore_leaves_target_untouched() {
    let c = cluster();
    let src = c.create_db("offsite_dmg");
    load_sample(c, &src.name, 2000);
    let s3 = server("dmg-bucket");
    let keys = tempfile::tempdir().expect("keys");
    let (id, public, _) = age_identity(keys.path(), "key.txt");
    let dir = "s3://dmg-bucket/d";
    let plain = backup(&s3, &src.url, dir, &[]);
    let sealed = backup(&s3, &src.url, dir, &["--encrypt-to", &public]);
    // An existing target with its own content.
    let target = c.create_db("offsite_dmg_target");
    c.psql(
        &target.name,
        "CREATE TABLE keepme (x int); INSERT INTO keepme VALUES (1), (2), (3);",
    );
    let target_sums = c.table_checksums(&target.name);
    let mut p = Problems::default();
    for (kind, url) in [("plain", &plain), ("encrypted", &sealed)] {
        let file = stored(&s3, url);
        let pristine = std::fs::read(&file).expect("stored bytes");
        // A flipped byte may garble the decoded SQL before the checksum at the end is reached;
        // either way the file is corrupt: several places, each must be caught as such.
        let mut damages = vec![(
            "truncated".to_string(),
            pristine[..pristine.len() * 2 / 3].to_vec(),
        )];
        for pct in [30, 50, 70] {
            let mut altered = pristine.clone();
            let at = altered.len() * pct / 100;
            altered[at] ^= 0x55;
            damages.push((format!("altered at {pct}%"), altered));
        }
        for (damage, bytes) in damages {
            std::fs::write(&file, &bytes).expect("damage");
            let case = format!("{kind} {damage}");
            let ids: Vec<Option<&Path>> = if kind == "plain" {
                vec![None]
            } else {
                vec![None, Some(id.as_path())]
            };
            for ident in &ids {
                let with = if ident.is_some() {
                    "with identity"
                } else {
                    "without identity"
                };
                let mut v = bt(&s3);
                v.args(["verify", url.as_str(), "--json"]);
                if let Some(i) = ident {
                    v.arg("--identity").arg(i);
                }
                let out = run(v);
                p.check(out.code == 3, || {
                    format!(
                        "{case}: verify {with}: exit {} (expected 3): {}",
                        out.code, out.stdout
                    )
                });
                let mut v = bt(&s3);
                v.args(["verify", "--dir", dir]);
                if let Some(i) = ident {
                    v.arg("--identity").arg(i);
                }
                let out = run(v);
                p.check(out.code == 3, || {
                    format!(
                        "{case}: verify --dir {with}: exit {} (expected 3)",
                        out.code
                    )
                });
            }
            // restore into a new database: refused, nothing created.
            let fresh = c.fresh_name("offsite_dmg_new");
            let mut r = bt(&s3);
            r.args([
                "restore",
                url.as_str(),
                "--db",
                &c.url(&fresh),
                "--create",
                "--identity",
            ])
            .arg(&id);
            let out = run(r);
            p.check(out.code == 3, || {
                format!(
                    "{case}: restore --create: exit {} (expected 3): {}",
                    out.code,
                    tail(&out.stderr)
                )
            });
            p.check(!c.db_exists(&fresh), || {
                format!("{case}: restore created {fresh} from a damaged object")
            });
            // restore over the existing target: refused, target as it was.
            let mut r = bt(&s3);
            r.args([
                "restore",
                url.as_str(),
                "--db",
                &target.url,
                "--force",
                "--yes",
                "--identity",
            ])
            .arg(&id);
            let out = run(r);
            p.check(out.code == 3, || {
                format!(
                    "{case}: restore --force: exit {} (expected 3): {}",
                    out.code,
                    tail(&out.stderr)
                )
            });
            p.check(c.table_checksums(&target.name) == target_sums, || {
                format!("{case}: restore --force changed the target")
            });
        }
        std::fs::write(&file, &pristine).expect("restore pristine bytes");
    }
    // The manifest altered (its sha256), then the object gone with its manifest left.
    let mpath = stored(&s3, &format!("{plain}.manifest.json"));
    let pristine_m = std::fs::read_to_string(&mpath).expect("manifest");
    let sha = manifest_of(&s3, &plain)["sha256"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    std::fs::write(&mpath, pristine_m.replace(&sha, &"0".repeat(64))).expect("tamper manifest");
    let mut v = bt(&s3);
    v.args(["verify", plain.as_str()]);
    let out = run(v);
    p.check(out.code == 3, || {
        format!(
            "verify with the manifest's sha256 altered: exit {} (expected 3)",
            out.code
        )
    });
    std::fs::write(&mpath, &pristine_m).expect("manifest back");
    let obj = stored(&s3, &plain);
    let keep = std::fs::read(&obj).expect("object");
    std::fs::remove_file(&obj).expect("rm object");
    let mut v = bt(&s3);
    v.args(["verify", plain.as_str()]);
    let out = run(v);
    p.check(out.code == 3, || {
        format!(
            "verify of an object that is gone (manifest left): exit {} (expected 3)",
            out.code
        )
    });
    let mut v = bt(&s3);
    v.args(["verify", "--dir", dir]);
    let out = run(v);
    p.check(out.code == 3, || {
        format!(
            "verify --dir with an object gone: exit {} (expected 3)",
            out.code
        )
    });
    std::fs::write(&obj, &keep).expect("object back");
    // The newest backup damaged: --latest takes the one before, prune --keep-last 1 keeps it.
    let newest = stored(&s3, &sealed);
    let len = std::fs::metadata(&newest).expect("meta").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&newest)
        .and_then(|f| f.set_len(len / 2))
        .expect("truncate");
    let t = c.fresh_name("offsite_dmg_latest");
    let mut r = bt(&s3);
    r.args([
        "restore",
        "--dir",
        dir,
        "--name",
        &src.name,
        "--latest",
        "--db",
        &c.url(&t),
        "--create",
        "--identity",
    ])
    .arg(&id);
    let out = run(r);
    p.check(out.code == 0 && c.db_exists(&t), || {
        format!(
            "restore --latest with the newest damaged: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    if c.db_exists(&t) {
        p.check(
            c.table_checksums(&t) == c.table_checksums(&src.name),
            || "restore --latest restored other data".into(),
        );
    }
    let mut pr = bt(&s3);
    pr.args(["prune", "--dir", dir, "--keep-last", "1"]);
    let out = run(pr);
    p.check(out.code == 0, || {
        format!("prune: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(stored(&s3, &plain).is_file(), || {
        format!(
            "prune --keep-last 1 deleted the only good backup, keeping the damaged one: {}",
            out.stdout
        )
    });
    p.finish("damaged objects");
}

/// A server that accepts connections and never answers, with BACKUP_TOOLS_S3_TIMEOUT=2: a
/// backup and a list fail within a bounded time naming the URL; SIGTERM during the stall ends
/// the run at once with 143.
#[test]
fn offsite_stalled_server_times_out_and_sigterm_stops_promptly() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("stall.db");
    make_sqlite(&src, "stall", 10);
    let s3 = S3Server::start();
    let silent = SilentServer::start();
    let endpoint = format!("http://127.0.0.1:{}", silent.port);
    let dir = "s3://stall-bucket/p";
    let srcs = src.display().to_string();
    let mut p = Problems::default();
    let restored = tmp.path().join("r.db").display().to_string();
    for (label, args) in [
        (
            "backup",
            vec!["backup", "--db", srcs.as_str(), "--dir", dir],
        ),
        ("list", vec!["list", "--dir", dir]),
        (
            "restore",
            vec![
                "restore",
                "s3://stall-bucket/p/stall_20260101T000000Z.sqlite3.gz",
                "--db",
                restored.as_str(),
            ],
        ),
    ] {
        let mut cmd = bt(&s3);
        cmd.env("AWS_ENDPOINT_URL", &endpoint)
            .env("BACKUP_TOOLS_S3_TIMEOUT", "2")
            .args(&args);
        let before = silent.connections();
        let ended = Stopped::spawn(cmd).wait_for(Duration::from_secs(60));
        match ended {
            None => p.0.push(format!(
                "{label} against a silent server ran more than 60 s (timeout 2 s)"
            )),
            Some(e) => {
                p.check(e.code.is_some_and(|c| c != 0), || {
                    format!("{label}: exit {:?}", e.code)
                });
                p.check(e.secs < 30.0, || {
                    format!("{label}: took {:.1}s to fail with a 2 s timeout", e.secs)
                });
                p.check(e.stderr.contains("s3://stall-bucket/p"), || {
                    format!(
                        "{label}: message does not name the URL: {}",
                        tail(&e.stderr)
                    )
                });
                eprintln!("offsite stall: {label} failed after {:.1}s", e.secs);
            }
        }
        p.check(silent.connections() > before, || {
            format!("{label} never connected to the silent server")
        });
    }
    // SIGTERM (and SIGINT) during the stall, with a long timeout.
    for (sig, name) in [(libc::SIGTERM, "SIGTERM"), (libc::SIGINT, "SIGINT")] {
        let mut cmd = bt(&s3);
        cmd.env("AWS_ENDPOINT_URL", &endpoint)
            .env("BACKUP_TOOLS_S3_TIMEOUT", "120")
            .args(["backup", "--db", &srcs, "--dir", dir]);
        let before = silent.connections();
        let mut st = Stopped::spawn(cmd);
        let stalled = poll_until(Duration::from_secs(20), || {
            silent.connections() > before || !st.running()
        });
        p.check(stalled && st.running(), || {
            format!(
                "{name}: the backup never stalled on the server: {}",
                tail(&st.stderr())
            )
        });
        std::thread::sleep(Duration::from_millis(300));
        let e = st.send(sig);
        p.check(e.code == Some(128 + sig), || {
            format!(
                "{name} during the stall: exit {:?} signal {:?}, expected {}",
                e.code,
                e.signal,
                128 + sig
            )
        });
        p.check(e.secs < 2.0, || {
            format!("{name} during the stall: took {:.2}s to stop", e.secs)
        });
        eprintln!("offsite stall: {name} stopped the run in {:.3}s", e.secs);
    }
    p.finish("stalled server");
}

// ---------------------------------------------------------------------------------------------
// 5. Locks
// ---------------------------------------------------------------------------------------------

/// Two backups of one name into one prefix: the second exits 5 while the first holds the lock
/// object (another prefix is not blocked); a lock of a live holder on another host blocks too,
/// until it is older than a day; the lock of a SIGKILLed run is taken over by the next run.
#[test]
fn offsite_lock_object_excludes_a_second_run_and_is_taken_over_after_a_kill() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("app.db");
    make_sqlite(&src, "lock", 20);
    let srcs = src.display().to_string();
    let s3 = server("lock-bucket");
    let dir = "s3://lock-bucket/l";
    let lock = s3.object_file("lock-bucket", "l/.locks/app.lock");
    let mut p = Problems::default();
    let first = Stopped::at(backup_cmd(&s3, &srcs, dir, &[]), "backup.dumping");
    p.check(lock.is_file(), || {
        "no lock object while the first backup runs".into()
    });
    let body = std::fs::read_to_string(&lock).unwrap_or_default();
    p.check(body.contains(&first.pid.to_string()), || {
        format!(
            "the lock does not name its holder's pid {}: {body}",
            first.pid
        )
    });
    let out = run(backup_cmd(&s3, &srcs, dir, &[]));
    p.check(out.code == 5, || {
        format!(
            "second backup while the first holds the lock: exit {} (expected 5): {}",
            out.code,
            tail(&out.stderr)
        )
    });
    p.check(out.stderr.contains(&first.pid.to_string()), || {
        format!(
            "the message does not name the holder: {}",
            tail(&out.stderr)
        )
    });
    let mut pr = bt(&s3);
    pr.args(["prune", "--dir", dir, "--name", "app", "--keep-last", "1"]);
    let out = run(pr);
    p.check(out.code == 5, || {
        format!(
            "prune while a backup holds the lock: exit {} (expected 5)",
            out.code
        )
    });
    let other = backup(&s3, &srcs, "s3://lock-bucket/other", &[]);
    p.check(other.contains("/other/"), || {
        "a backup into another prefix".into()
    });
    let ended = first.kill9();
    crate::faults_common::assert_killed(&ended);
    p.check(lock.is_file(), || {
        "the SIGKILLed run's lock object is gone".into()
    });
    p.check(listed(&s3, dir).is_empty(), || {
        format!("listed after the kill: {:?}", listed(&s3, dir))
    });
    let out = run(backup_cmd(&s3, &srcs, dir, &[]));
    p.check(out.code == 0, || {
        format!(
            "the next run did not take over the dead run's lock: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    p.check(!lock.exists(), || {
        "the lock object stayed after a finished run".into()
    });
    p.check(listed(&s3, dir).len() == 1, || {
        format!("listed: {:?}", listed(&s3, dir))
    });
    // A holder stopped with SIGTERM removes its lock object on the way out (another host
    // could not tell that it is gone, and would wait a day).
    let held = Stopped::at(backup_cmd(&s3, &srcs, dir, &[]), "backup.dumping");
    let e = held.send(libc::SIGTERM);
    p.check(e.code == Some(143), || {
        format!("SIGTERM of the holder: exit {:?}", e.code)
    });
    p.check(!lock.exists(), || {
        format!(
            "a run stopped by SIGTERM left its lock object {} behind: {}",
            "l/.locks/app.lock",
            tail(&e.stderr)
        )
    });
    let _ = std::fs::remove_file(&lock);
    // A second run with --wait waits for the holder and goes on once it is gone.
    let held = Stopped::at(backup_cmd(&s3, &srcs, dir, &[]), "backup.dumping");
    let waiting = Stopped::spawn(backup_cmd(&s3, &srcs, dir, &["--wait", "60s"]));
    std::thread::sleep(Duration::from_millis(1500));
    let mut waiting = waiting;
    p.check(waiting.running(), || {
        format!(
            "backup --wait 60s did not wait for the holder: {}",
            tail(&waiting.stderr())
        )
    });
    let _ = held.kill9();
    match waiting.wait_for(Duration::from_secs(60)) {
        Some(e) => p.check(e.code == Some(0), || {
            format!(
                "backup --wait after the holder died: exit {:?}: {}",
                e.code,
                tail(&e.stderr)
            )
        }),
        None => {
            p.0.push("backup --wait 60s never went on after the holder died".into())
        }
    }
    p.check(listed(&s3, dir).len() == 2, || {
        format!("listed: {:?}", listed(&s3, dir))
    });
    // A live holder on another host (as another machine would write it).
    let foreign = |started: chrono::DateTime<chrono::Utc>| {
        serde_json::json!({
            "owner": {"host": "other-host.example", "boot_id": "00000000-1111-2222-3333-444444444444", "pid": 4242, "start": 12345},
            "purpose": "backup",
            "started": started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
        .to_string()
    };
    std::fs::create_dir_all(lock.parent().expect("locks")).expect("mkdir");
    std::fs::write(&lock, foreign(chrono::Utc::now())).expect("foreign lock");
    let out = run(backup_cmd(&s3, &srcs, dir, &[]));
    p.check(out.code == 5, || {
        format!(
            "backup with another host's fresh lock: exit {} (expected 5): {}",
            out.code,
            tail(&out.stderr)
        )
    });
    p.check(out.stderr.contains("other-host.example"), || {
        format!(
            "the message does not name the other host: {}",
            tail(&out.stderr)
        )
    });
    p.check(lock.is_file(), || {
        "another host's live lock was removed".into()
    });
    std::fs::write(
        &lock,
        foreign(chrono::Utc::now() - chrono::Duration::hours(25)),
    )
    .expect("old lock");
    let out = run(backup_cmd(&s3, &srcs, dir, &[]));
    p.check(out.code == 0, || {
        format!(
            "backup with a 25 h old foreign lock: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    p.check(listed(&s3, dir).len() == 3, || {
        format!("listed: {:?}", listed(&s3, dir))
    });
    p.finish("remote lock");
}

// ---------------------------------------------------------------------------------------------
// 6. Retention on the remote listing
// ---------------------------------------------------------------------------------------------

/// Four backups; `prune --dry-run` deletes nothing; `prune --keep-last 2` deletes exactly the
/// two oldest objects and their manifests; `--min-keep 3` keeps three; two sources under one
/// name keep their own backups; `status` reads the remote listing.
#[test]
fn offsite_prune_on_the_remote_listing_deletes_exactly_the_oldest() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("app.db");
    make_sqlite(&src, "ret", 20);
    let srcs = src.display().to_string();
    let s3 = server("ret-bucket");
    let dir = "s3://ret-bucket/r";
    let mut p = Problems::default();
    let urls: Vec<String> = (0..4).map(|_| backup(&s3, &srcs, dir, &[])).collect();
    let names: Vec<String> = urls
        .iter()
        .map(|u| u.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    p.check(listed(&s3, dir) == names, || {
        format!(
            "list order {:?} is not the backup order {names:?}",
            listed(&s3, dir)
        )
    });
    let all_before = s3.objects("ret-bucket", "r");
    let mut pr = bt(&s3);
    pr.args(["prune", "--dir", dir, "--keep-last", "2", "--dry-run"]);
    let out = run(pr);
    p.check(out.code == 0, || {
        format!("prune --dry-run: exit {}: {}", out.code, out.stderr)
    });
    p.check(s3.objects("ret-bucket", "r") == all_before, || {
        "prune --dry-run changed the bucket".into()
    });
    p.check(
        names[..2].iter().all(|n| out.stdout.contains(n.as_str())),
        || {
            format!(
                "prune --dry-run does not name what it would delete: {}",
                out.stdout
            )
        },
    );
    let mut pr = bt(&s3);
    pr.args(["prune", "--dir", dir, "--keep-last", "3", "--min-keep", "3"]);
    let out = run(pr);
    p.check(out.code == 0, || {
        format!("prune --keep-last 3: exit {}", out.code)
    });
    let mut pr = bt(&s3);
    pr.args(["prune", "--dir", dir, "--keep-last", "1", "--min-keep", "3"]);
    let out = run(pr);
    p.check(out.code == 0, || {
        format!("prune --min-keep 3: exit {}: {}", out.code, out.stderr)
    });
    let left = listed(&s3, dir);
    p.check(left == names[1..].to_vec(), || {
        format!(
            "--keep-last 1 --min-keep 3 left {left:?}, expected {:?}",
            &names[1..]
        )
    });
    // Object times say the opposite of the manifests (oldest looks newest): prune goes by the
    // manifests.
    for (i, u) in urls.iter().enumerate() {
        let when = format!("2020-01-0{} 00:00:00", 9 - i);
        for f in [stored(&s3, u), stored(&s3, &format!("{u}.manifest.json"))] {
            let out = run({
                let mut t = Command::new("touch");
                t.arg("-c").arg("-d").arg(&when).arg(&f);
                t
            });
            assert_eq!(out.code, 0, "touch: {}", out.stderr);
        }
    }
    let mut pr = bt(&s3);
    pr.args(["prune", "--dir", dir, "--keep-last", "2"]);
    let out = run(pr);
    p.check(out.code == 0, || {
        format!("prune --keep-last 2: exit {}: {}", out.code, out.stderr)
    });
    let mut want_objects: Vec<String> = names[2..]
        .iter()
        .flat_map(|n| [n.clone(), format!("{n}.manifest.json")])
        .collect();
    want_objects.sort();
    let now: Vec<String> = s3
        .objects("ret-bucket", "r")
        .into_iter()
        .filter(|o| !o.starts_with("."))
        .collect();
    p.check(now == want_objects, || {
        format!("after --keep-last 2 the bucket holds {now:?}, expected {want_objects:?}")
    });
    p.check(s3.objects("ret-bucket", "r/.locks").is_empty(), || {
        "a lock object stayed after prune".into()
    });
    // status reads the remote listing.
    let mut st = bt(&s3);
    st.args(["status", "--dir", dir, "--name", "app", "--max-age", "1h"]);
    let out = run(st);
    p.check(out.code == 0, || {
        format!("status --max-age 1h: exit {}: {}", out.code, out.stderr)
    });
    std::thread::sleep(Duration::from_millis(1100));
    let mut st = bt(&s3);
    st.args(["status", "--dir", dir, "--name", "app", "--max-age", "1s"]);
    let out = run(st);
    p.check(out.code == 4, || {
        format!(
            "status --max-age 1s for an older backup: exit {} (expected 4)",
            out.code
        )
    });
    let mut st = bt(&s3);
    st.args([
        "status",
        "--dir",
        dir,
        "--name",
        "nosuch",
        "--max-age",
        "1h",
    ]);
    p.check(run(st).code != 0, || {
        "status of a name without backups passed".into()
    });
    // Two SQLite files with one stem (one name, two sources) in one prefix.
    let other_dir = tmp.path().join("elsewhere");
    std::fs::create_dir(&other_dir).expect("mkdir");
    let src2 = other_dir.join("app.db");
    make_sqlite(&src2, "ret2", 5);
    let src2s = src2.display().to_string();
    let y1 = backup(&s3, &src2s, dir, &["--keep-last", "1"]);
    let left = listed(&s3, dir);
    p.check(names[2..].iter().all(|n| left.contains(n)), || {
        format!("--keep-last 1 of another source named app deleted this one's backups: {left:?}")
    });
    let x = backup(&s3, &srcs, dir, &["--keep-last", "1"]);
    let left = listed(&s3, dir);
    let name_of = |u: &str| u.rsplit('/').next().unwrap_or_default().to_string();
    let mut want = vec![name_of(&y1), name_of(&x)];
    want.sort();
    let mut got = left.clone();
    got.sort();
    p.check(got == want, || {
        format!("after --keep-last 1 per source: {left:?}, expected {want:?}")
    });
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, dir),
    );
    p.finish("remote retention");
}

// ---------------------------------------------------------------------------------------------
// 7. Secrets
// ---------------------------------------------------------------------------------------------

/// The secret access key and the age identity's secret key never appear in any child's argv
/// (caught at a testpoint), stdout/stderr (with -vv), `--json`, manifests, the metrics file,
/// the tool's TMPDIR or anywhere in the bucket.
#[test]
fn offsite_secrets_never_in_argv_output_json_manifests_or_files() {
    let c = cluster();
    let src = c.create_db("offsite_sec");
    load_sample(c, &src.name, 100);
    let s3 = server("sec-bucket");
    let tmp = tempfile::tempdir().expect("tmp");
    let (id, public, age_secret) = age_identity(tmp.path(), "key.txt");
    let metrics = tmp.path().join("backup.prom");
    let dir = "s3://sec-bucket/s";
    let secrets: Vec<(&str, &str)> = vec![
        ("the secret access key", &s3.secret_key),
        ("the age secret key", &age_secret),
        ("the database password", PASSWORD),
    ];
    let mut p = Problems::default();
    let mut texts: Vec<(String, String)> = Vec::new();
    // Children's argv during a backup and during a restore.
    let mut cmd = backup_cmd(
        &s3,
        &c.url_with_password(&src.name),
        dir,
        &["--encrypt-to", &public, "-vv"],
    );
    cmd.env_remove("PGPASSWORD");
    let st = Stopped::at(cmd, "backup.dumping");
    let kids = descendants(st.pid);
    p.check(!kids.is_empty(), || {
        "no child process at backup.dumping".into()
    });
    for k in &kids {
        let line = cmdline(*k);
        p.none(
            &format!("backup child argv `{line}` holds"),
            &secrets_in(&line, &secrets),
        );
        let env = std::fs::read(format!("/proc/{k}/environ"))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        p.none(
            &format!("backup child `{line}` environment holds"),
            &secrets_in(&env, &secrets[1..2]),
        );
    }
    // The database password is in the URL this test gives on purpose (to check redaction of
    // output); the tool's own argv must still hold neither key.
    let own = cmdline(st.pid);
    p.none(
        "the tool's own argv holds",
        &secrets_in(&own, &secrets[..2]),
    );
    let e = st.send(libc::SIGTERM);
    texts.push((
        "backup stopped at a testpoint".into(),
        format!("{}\n{}", e.stdout, e.stderr),
    ));
    p.none(
        "the tool's TMPDIR holds",
        &files_containing(&[&e.tmp], &secrets.iter().map(|s| s.1).collect::<Vec<_>>()),
    );
    // Successful runs, with -vv, --json, globals and the metrics file.
    let mut cmd = backup_cmd(
        &s3,
        &c.url_with_password(&src.name),
        dir,
        &["--encrypt-to", &public, "--globals", "--json", "-vv"],
    );
    cmd.env_remove("PGPASSWORD")
        .arg("--metrics-file")
        .arg(&metrics);
    let out = run(cmd);
    p.check(out.code == 0, || {
        format!("backup: exit {}: {}", out.code, tail(&out.stderr))
    });
    let url = serde_json::from_str::<serde_json::Value>(&out.stdout)
        .ok()
        .and_then(|j| j["path"].as_str().map(str::to_string))
        .unwrap_or_default();
    texts.push(("backup --json -vv".into(), all_output(&out)));
    let t = c.fresh_name("offsite_sec_dst");
    let mut r = bt(&s3);
    r.args([
        "restore",
        &url,
        "--db",
        &c.url(&t),
        "--create",
        "-vv",
        "--identity",
    ])
    .arg(&id);
    let st = Stopped::at(r, "pipe.loading");
    for k in descendants(st.pid) {
        let line = cmdline(k);
        p.none(
            &format!("restore child argv `{line}` holds"),
            &secrets_in(&line, &secrets),
        );
        let env = std::fs::read(format!("/proc/{k}/environ"))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        p.none(
            &format!("restore child `{line}` environment holds"),
            &secrets_in(&env, &secrets[1..2]),
        );
    }
    let e = st.send(libc::SIGTERM);
    texts.push((
        "restore stopped at a testpoint".into(),
        format!("{}\n{}", e.stdout, e.stderr),
    ));
    p.check(!c.db_exists(&t), || {
        format!("a restore stopped mid-load left {t}")
    });
    let scratch = c.fresh_name("offsite_sec_scratch");
    let runs: Vec<(&str, Vec<String>)> = vec![
        (
            "restore --json -vv",
            vec![
                "restore".into(),
                url.clone(),
                "--db".into(),
                c.url(&c.fresh_name("offsite_sec_ok")),
                "--create".into(),
                "--json".into(),
                "-vv".into(),
                "--identity".into(),
                id.display().to_string(),
            ],
        ),
        (
            "verify --restore-test --json -vv",
            vec![
                "verify".into(),
                url.clone(),
                "--restore-test".into(),
                c.url(&scratch),
                "--json".into(),
                "-vv".into(),
                "--identity".into(),
                id.display().to_string(),
            ],
        ),
        (
            "verify --dir --json -vv",
            vec![
                "verify".into(),
                "--dir".into(),
                dir.into(),
                "--json".into(),
                "-vv".into(),
                "--identity".into(),
                id.display().to_string(),
            ],
        ),
        (
            "list --json -vv",
            vec![
                "list".into(),
                "--dir".into(),
                dir.into(),
                "--json".into(),
                "-vv".into(),
            ],
        ),
        (
            "prune --dry-run --json -vv",
            vec![
                "prune".into(),
                "--dir".into(),
                dir.into(),
                "--keep-last".into(),
                "1".into(),
                "--dry-run".into(),
                "--json".into(),
                "-vv".into(),
            ],
        ),
        (
            "status --json -vv",
            vec![
                "status".into(),
                "--dir".into(),
                dir.into(),
                "--name".into(),
                src.name.clone(),
                "--max-age".into(),
                "1h".into(),
                "--json".into(),
                "-vv".into(),
            ],
        ),
    ];
    for (label, args) in runs {
        let mut cmd = bt(&s3);
        cmd.args(&args);
        let out = run(cmd);
        p.check(out.code == 0, || {
            format!("{label}: exit {}: {}", out.code, tail(&out.stderr))
        });
        if label.contains("--json") {
            p.check(
                serde_json::from_str::<serde_json::Value>(&out.stdout).is_ok(),
                || format!("{label}: stdout is not JSON"),
            );
        }
        texts.push((label.to_string(), all_output(&out)));
    }
    for (label, text) in &texts {
        p.none(&format!("{label} printed"), &secrets_in(text, &secrets));
    }
    // Also the access key id: it is half of the credentials and has no business in output.
    for (label, text) in &texts {
        p.check(!text.contains(&s3.access_key), || {
            format!("{label} printed the access key id")
        });
    }
    let metrics_text = std::fs::read_to_string(&metrics).unwrap_or_default();
    p.check(!metrics_text.is_empty(), || {
        "no metrics file written".into()
    });
    p.none(
        "the metrics file holds",
        &secrets_in(&metrics_text, &secrets),
    );
    let all: Vec<&str> = secrets
        .iter()
        .map(|s| s.1)
        .chain([s3.access_key.as_str()])
        .collect();
    p.none(
        "files of the bucket (objects, manifests, locks, markers) holding a secret",
        &files_containing(&[&s3.data()], &all),
    );
    for o in s3.objects("sec-bucket", "s") {
        if o.ends_with(".manifest.json") {
            let text = std::fs::read_to_string(s3.object_file("sec-bucket", &format!("s/{o}")))
                .unwrap_or_default();
            p.check(text.contains(&public), || {
                format!("{o} does not record the recipient")
            });
            p.check(!text.contains("AGE-SECRET-KEY"), || {
                format!("{o} holds an age secret key")
            });
        }
    }
    p.finish("secrets");
}

/// Runs `cmd` under /usr/bin/time; (output, peak RSS in kB).
fn with_rss(cmd: &Command) -> (Output, Option<u64>) {
    let mut t = Command::new("/usr/bin/time");
    t.arg("-f")
        .arg("maxrss_kb=%M")
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => t.env(k, v),
            None => t.env_remove(k),
        };
    }
    t.stdin(Stdio::null());
    let out = run(t);
    let rss = out
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("maxrss_kb="))
        .and_then(|v| v.trim().parse().ok());
    (out, rss)
}

/// A 43 MB backup (three parts) uploads and restores with bounded memory (peak RSS ≤ 128 MB)
/// and the rows come back; the same restore with the network cut after 8 MB of the download
/// fails naming the URL, creates nothing and leaves an existing target as it was; verify
/// through the cut fails too.
#[test]
fn offsite_large_backup_bounded_memory_and_download_cut_mid_restore() {
    let c = cluster();
    let big = big_db();
    let s3 = server("rss-bucket");
    let dir = "s3://rss-bucket/big";
    let mut p = Problems::default();
    let t0 = Instant::now();
    let (out, rss) = with_rss(&backup_cmd(&s3, &c.url(big), dir, &["--compress", "none"]));
    eprintln!(
        "offsite: 43 MB upload in {:.1}s, peak RSS {rss:?} kB",
        t0.elapsed().as_secs_f64()
    );
    assert_eq!(out.code, 0, "backup: {}", tail(&out.stderr));
    p.check(rss.is_some_and(|kb| kb <= 128 * 1024), || {
        format!("backup peak RSS {rss:?} kB (limit 128 MB)")
    });
    let url = out
        .stderr
        .lines()
        .find_map(|l| {
            l.split_whitespace()
                .find(|w| w.starts_with("s3://") && w.ends_with(".sql"))
                .map(str::to_string)
        })
        .or_else(|| listed(&s3, dir).first().map(|n| format!("{dir}/{n}")))
        .expect("the backup's URL");
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, dir),
    );
    p.none("upload state left", &s3.upload_leftovers());
    let want = c.table_checksums(big);
    // A full restore, memory measured.
    let t = c.fresh_name("offsite_big_dst");
    let mut r = bt(&s3);
    r.args(["restore", &url, "--db", &c.url(&t), "--create"]);
    let (out, rss) = with_rss(&r);
    p.check(out.code == 0, || {
        format!("restore: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(rss.is_some_and(|kb| kb <= 128 * 1024), || {
        format!("restore peak RSS {rss:?} kB (limit 128 MB)")
    });
    if out.code == 0 {
        p.check(c.table_checksums(&t) == want, || {
            "the restored big table differs".into()
        });
    }
    // The download cut after 8 MB: into a new database, then over an existing one.
    let target = c.create_db("offsite_big_keep");
    c.psql(
        &target.name,
        "CREATE TABLE keepme (x int); INSERT INTO keepme VALUES (7);",
    );
    let target_sums = c.table_checksums(&target.name);
    for case in ["--create", "--force"] {
        let proxy = CutProxy::start(s3.port);
        let fresh = c.fresh_name("offsite_big_cut");
        let mut r = bt(&s3);
        r.env("AWS_ENDPOINT_URL", proxy.endpoint())
            .env("BACKUP_TOOLS_S3_TIMEOUT", "5");
        if case == "--create" {
            r.args(["restore", &url, "--db", &c.url(&fresh), "--create"]);
        } else {
            r.args(["restore", &url, "--db", &target.url, "--force", "--yes"]);
        }
        proxy.arm(8 << 20);
        let ended = Stopped::spawn(r).wait_for(Duration::from_secs(90));
        p.check(proxy.has_cut(), || {
            format!("restore {case}: the proxy never cut (it read less than 8 MB?)")
        });
        match ended {
            None => p.0.push(format!(
                "restore {case} with the download cut did not end within 90 s"
            )),
            Some(e) => {
                p.check(e.code.is_some_and(|c| c != 0), || {
                    format!("restore {case} with the download cut: exit {:?}", e.code)
                });
                p.check(e.stderr.contains("s3://rss-bucket/big"), || {
                    format!(
                        "restore {case}: the error does not name the URL: {}",
                        tail(&e.stderr)
                    )
                });
            }
        }
        if case == "--create" {
            p.check(!c.db_exists(&fresh), || {
                format!("a restore cut mid-download left database {fresh}")
            });
        } else {
            p.check(c.table_checksums(&target.name) == target_sums, || {
                "a restore cut mid-download changed the existing target".into()
            });
        }
    }
    let proxy = CutProxy::start(s3.port);
    let mut v = bt(&s3);
    v.env("AWS_ENDPOINT_URL", proxy.endpoint())
        .env("BACKUP_TOOLS_S3_TIMEOUT", "5")
        .args(["verify", &url]);
    proxy.arm(8 << 20);
    let out = run(v);
    p.check(proxy.has_cut(), || "verify: the proxy never cut".into());
    p.check(out.code != 0, || {
        format!(
            "verify passed although the download was cut: {}",
            out.stdout
        )
    });
    p.finish("large backup: memory and a download cut mid-restore");
}

// ---------------------------------------------------------------------------------------------
// More ways in: prefixes, parallel dumps, masking, globals, --at, configuration
// ---------------------------------------------------------------------------------------------

/// Prefixes that share a beginning (`app`, `app-old`, `app/nested`) and the bucket root are
/// separate folders: list and prune of one never see or touch another; odd characters in a
/// prefix (space, plus, non-ASCII) work.
#[test]
fn offsite_prefixes_are_separate_folders() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("app.db");
    make_sqlite(&src, "pfx", 10);
    let srcs = src.display().to_string();
    let s3 = server("pfx-bucket");
    let mut p = Problems::default();
    let dirs = [
        "s3://pfx-bucket/app",
        "s3://pfx-bucket/app-old",
        "s3://pfx-bucket/app/nested",
        "s3://pfx-bucket",
        "s3://pfx-bucket/team+prod/2026 q1/ünï",
    ];
    let mut made: Vec<Vec<String>> = Vec::new();
    for d in dirs {
        let mut v = Vec::new();
        for _ in 0..2 {
            let out = run(backup_cmd(&s3, &srcs, d, &[]));
            p.check(out.code == 0, || {
                format!("backup into {d}: exit {}: {}", out.code, tail(&out.stderr))
            });
            v.push(
                out.stdout
                    .trim()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        made.push(v);
    }
    for (d, v) in dirs.iter().zip(&made) {
        let mut l = bt(&s3);
        l.args(["list", "--json", "--dir", d]);
        let out = run(l);
        p.check(out.code == 0, || {
            format!("list {d}: exit {}: {}", out.code, tail(&out.stderr))
        });
        let got = if out.code == 0 {
            listed(&s3, d)
        } else {
            Vec::new()
        };
        p.check(&got == v, || {
            format!("list {d} shows {got:?}, expected only {v:?}")
        });
    }
    // Prune the first: the others keep both of theirs.
    let mut pr = bt(&s3);
    pr.args(["prune", "--dir", dirs[0], "--keep-last", "1"]);
    let out = run(pr);
    p.check(out.code == 0, || {
        format!("prune {}: exit {}: {}", dirs[0], out.code, out.stderr)
    });
    for (i, (d, v)) in dirs.iter().zip(&made).enumerate() {
        let got = listed(&s3, d);
        let want = if i == 0 { v[1..].to_vec() } else { v.clone() };
        p.check(got == want, || {
            format!(
                "after prune of {}: {d} lists {got:?}, expected {want:?}",
                dirs[0]
            )
        });
    }
    // Restore from the odd prefix.
    let odd = format!("{}/{}", dirs[4], made[4][1]);
    let target = tmp.path().join("odd.db");
    let mut r = bt(&s3);
    r.args(["restore", &odd, "--db"]).arg(&target);
    let out = run(r);
    p.check(
        out.code == 0 && sqlite_dump(&target) == sqlite_dump(&src),
        || {
            format!(
                "restore from {odd}: exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        },
    );
    p.check(stored(&s3, &odd).is_file(), || {
        format!("{odd} is not stored under its key as written")
    });
    // A trailing slash names the same folder.
    let out = run(backup_cmd(&s3, &srcs, "s3://pfx-bucket/app-old/", &[]));
    p.check(
        out.code == 0
            && out
                .stdout
                .trim()
                .starts_with("s3://pfx-bucket/app-old/app_")
            && !out.stdout.contains("//app_"),
        || {
            format!(
                "backup into s3://pfx-bucket/app-old/: exit {} printed {}",
                out.code,
                out.stdout.trim()
            )
        },
    );
    p.check(
        listed(&s3, "s3://pfx-bucket/app-old/") == listed(&s3, "s3://pfx-bucket/app-old"),
        || "list with and without a trailing slash differ".into(),
    );
    p.check(listed(&s3, "s3://pfx-bucket/app-old").len() == 3, || {
        format!("app-old lists {:?}", listed(&s3, "s3://pfx-bucket/app-old"))
    });
    p.finish("prefixes");
}

/// `backup --jobs 2` to s3:// and `restore --jobs 2` from it, plain and encrypted, give the
/// source back.
#[test]
fn offsite_parallel_backup_and_restore_through_s3() {
    let c = cluster();
    let src = c.create_db("offsite_par");
    load_sample(c, &src.name, 3000);
    let s3 = server("par-bucket");
    let keys = tempfile::tempdir().expect("keys");
    let (id, public, _) = age_identity(keys.path(), "key.txt");
    let dir = "s3://par-bucket/par";
    let want_sums = c.table_checksums(&src.name);
    let want_schema = c.schema(&src.name);
    let mut p = Problems::default();
    for (label, extra) in [
        ("plain", vec!["--jobs", "2"]),
        (
            "encrypted",
            vec!["--jobs", "2", "--encrypt-to", public.as_str()],
        ),
    ] {
        let out = run(backup_cmd(&s3, &src.url, dir, &extra));
        p.check(out.code == 0, || {
            format!(
                "{label}: backup --jobs 2: exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        });
        if out.code != 0 {
            continue;
        }
        let url = out.stdout.trim().to_string();
        for jobs in ["1", "2"] {
            let t = c.fresh_name("offsite_par_dst");
            let mut r = bt(&s3);
            r.args([
                "restore",
                &url,
                "--db",
                &c.url(&t),
                "--create",
                "--jobs",
                jobs,
                "--identity",
            ])
            .arg(&id);
            let out = run(r);
            p.check(out.code == 0, || {
                format!(
                    "{label}: restore --jobs {jobs}: exit {}: {}",
                    out.code,
                    tail(&out.stderr)
                )
            });
            if out.code == 0 {
                p.check(c.table_checksums(&t) == want_sums, || {
                    format!("{label}: restore --jobs {jobs}: data differs")
                });
                p.check(c.schema(&t) == want_schema, || {
                    format!("{label}: restore --jobs {jobs}: schema differs")
                });
            }
        }
    }
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, dir),
    );
    p.finish("parallel through s3://");
}

/// `restore --mask` of an encrypted object (identity given) masks on the way in; `--globals`
/// backups restore the roles from the bucket; `--at` picks by time.
#[test]
fn offsite_restore_mask_globals_and_at_from_encrypted_objects() {
    let c = cluster();
    let src = c.create_db("offsite_more");
    load_sample(c, &src.name, 200);
    let role = format!("offsite_g_{}", random_hex(5));
    c.psql(
        "postgres",
        &format!("CREATE ROLE {role} LOGIN PASSWORD 'role-pw-{role}'"),
    );
    let s3 = server("more-bucket");
    let tmp = tempfile::tempdir().expect("tmp");
    let (id, public, _) = age_identity(tmp.path(), "key.txt");
    let dir = "s3://more-bucket/m";
    let mut p = Problems::default();
    let first = backup(&s3, &src.url, dir, &["--encrypt-to", &public, "--globals"]);
    let first_sums = c.table_checksums(&src.name);
    std::thread::sleep(Duration::from_millis(1100));
    let between = chrono::Utc::now();
    std::thread::sleep(Duration::from_millis(1100));
    c.psql(&src.name, "DELETE FROM public.accounts WHERE id > 100");
    let _second = backup(&s3, &src.url, dir, &["--encrypt-to", &public]);
    // --mask
    let rules = tmp.path().join("masking.toml");
    std::fs::write(&rules, tests::SAMPLE_RULES).expect("rules");
    let t = c.fresh_name("offsite_more_mask");
    let mut r = bt(&s3);
    r.env("MASK_SALT", "offsite-salt-0123456789")
        .args(["restore", &first, "--db", &c.url(&t), "--create", "--mask"])
        .arg(&rules)
        .arg("--identity")
        .arg(&id);
    let out = run(r);
    p.check(out.code == 0, || {
        format!("restore --mask: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        let n = c
            .psql(&t, "SELECT count(*) FROM public.users")
            .trim()
            .to_string();
        p.check(n == "200", || format!("masked restore has {n} users"));
        let left = c
            .psql(
                &t,
                "SELECT count(*) FROM public.users WHERE email LIKE 'user%@example.com'",
            )
            .trim()
            .to_string();
        p.check(left == "0", || {
            format!("{left} original emails survived --mask")
        });
    }
    // --at between the two: the first.
    let t = c.fresh_name("offsite_more_at");
    let mut r = bt(&s3);
    r.args([
        "restore",
        "--dir",
        dir,
        "--name",
        &src.name,
        "--at",
        &between.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "--db",
        &c.url(&t),
        "--create",
        "--identity",
    ])
    .arg(&id);
    let out = run(r);
    p.check(out.code == 0, || {
        format!("restore --at: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        p.check(c.table_checksums(&t) == first_sums, || {
            "restore --at did not restore the first backup".into()
        });
    }
    // --globals: the role comes back from the bucket.
    c.psql("postgres", &format!("DROP ROLE {role}"));
    let t = c.fresh_name("offsite_more_glob");
    let mut r = bt(&s3);
    r.args([
        "restore",
        &first,
        "--globals",
        "--db",
        &c.url(&t),
        "--create",
        "--identity",
    ])
    .arg(&id);
    let out = run(r);
    p.check(out.code == 0, || {
        format!(
            "restore --globals: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    let back = c.psql(
        "postgres",
        &format!("SELECT count(*) FROM pg_roles WHERE rolname = '{role}'"),
    );
    p.check(back.trim() == "1", || {
        format!("restore --globals did not bring role {role} back")
    });
    let _ = c.psql("postgres", &format!("DROP ROLE IF EXISTS {role}"));
    p.finish("restore --mask, --at, --globals from encrypted objects");
}

/// Requests that must be refused before anything is stored: a bad recipient, a recipients
/// file with a bad line, an identity file readable by others, a plain-http endpoint without
/// AWS_ALLOW_HTTP, no credentials at all.
#[test]
fn offsite_bad_keys_and_unsafe_settings_are_refused_before_anything_is_stored() {
    let c = cluster();
    let src = c.create_db("offsite_refuse");
    load_sample(c, &src.name, 20);
    let s3 = server("ref-bucket");
    let tmp = tempfile::tempdir().expect("tmp");
    let (id, public, _) = age_identity(tmp.path(), "key.txt");
    let dir = "s3://ref-bucket/r";
    let mut p = Problems::default();
    let bad_file = tmp.path().join("bad-recipients.txt");
    std::fs::write(
        &bad_file,
        format!("{public}\nage1thisisnotavalidrecipient\n"),
    )
    .expect("write");
    let bf = bad_file.display().to_string();
    type Case<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, Option<&'a str>)>);
    let cases: Vec<Case> = vec![
        (
            "a bad --encrypt-to",
            vec!["--encrypt-to", "age1notarecipient"],
            vec![],
        ),
        (
            "a recipients file with a bad line",
            vec!["--recipients-file", &bf],
            vec![],
        ),
        (
            "a missing recipients file",
            vec!["--recipients-file", "/nonexistent/recipients.txt"],
            vec![],
        ),
        (
            "http without AWS_ALLOW_HTTP",
            vec![],
            vec![("AWS_ALLOW_HTTP", None)],
        ),
        (
            "no credentials",
            vec![],
            vec![("AWS_ACCESS_KEY_ID", None), ("AWS_SECRET_ACCESS_KEY", None)],
        ),
    ];
    for (label, extra, env) in &cases {
        let mut cmd = backup_cmd(&s3, &src.url, dir, extra);
        for (k, v) in env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let out = run(cmd);
        p.check(out.code != 0, || format!("backup with {label} succeeded"));
        if label.contains("recipient") {
            p.check(out.code == 2, || {
                format!(
                    "backup with {label}: exit {} (expected 2, a usage error): {}",
                    out.code,
                    tail(&out.stderr)
                )
            });
        }
        p.none(
            &format!("objects stored by a backup with {label}"),
            &s3.objects("ref-bucket", "r"),
        );
        p.none(
            &format!("upload state left by a backup with {label}"),
            &s3.upload_leftovers(),
        );
    }
    // Locations that cannot be a folder are usage errors.
    for bad in [
        "s3://ref-bucket/p?x=1",
        "s3://ref-bucket/../etc",
        "s3://ref-bucket//p",
        "s3://",
    ] {
        let out = run(backup_cmd(&s3, &src.url, bad, &[]));
        p.check(out.code == 2, || {
            format!(
                "backup --dir {bad}: exit {} (expected 2, a usage error): {}",
                out.code,
                tail(&out.stderr)
            )
        });
    }
    p.none(
        "objects stored by refused runs",
        &s3.objects("ref-bucket", ""),
    );
    // An identity readable by others is refused; the backup itself is fine.
    let url = backup(&s3, &src.url, dir, &["--encrypt-to", &public]);
    set_mode(&id, 0o644);
    let t = c.fresh_name("offsite_refuse_dst");
    let mut r = bt(&s3);
    r.args([
        "restore",
        &url,
        "--db",
        &c.url(&t),
        "--create",
        "--identity",
    ])
    .arg(&id);
    let out = run(r);
    p.check(out.code != 0, || {
        "restore with a world-readable identity file succeeded".into()
    });
    p.check(!c.db_exists(&t), || {
        "restore with a world-readable identity created the target".into()
    });
    let mut v = bt(&s3);
    v.args(["verify", &url, "--identity"]).arg(&id);
    p.check(run(v).code != 0, || {
        "verify with a world-readable identity file passed".into()
    });
    p.finish("refused before anything is stored");
}

/// Credentials from `~/.aws/credentials` with AWS_PROFILE (no key in the environment) work,
/// as the issue asks; a wrong profile fails.
#[test]
fn offsite_credentials_from_aws_files_and_profile() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("prof.db");
    make_sqlite(&src, "prof", 10);
    let s3 = server("prof-bucket");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join(".aws")).expect("aws dir");
    std::fs::write(
        home.join(".aws/credentials"),
        format!("[default]\naws_access_key_id = AKNOTTHIS\naws_secret_access_key = notthis\n\n[offsite]\naws_access_key_id = {}\naws_secret_access_key = {}\n", s3.access_key, s3.secret_key),
    )
    .expect("credentials");
    std::fs::write(
        home.join(".aws/config"),
        "[default]\nregion = us-east-1\n\n[profile offsite]\nregion = us-east-1\n",
    )
    .expect("config");
    let mut p = Problems::default();
    let dir = "s3://prof-bucket/p";
    let mut cmd = backup_cmd(&s3, &src.display().to_string(), dir, &[]);
    cmd.env("HOME", &home)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_PROFILE", "offsite");
    let out = run(cmd);
    p.check(out.code == 0, || {
        format!(
            "backup with AWS_PROFILE=offsite: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    p.check(!all_output(&out).contains(&s3.secret_key), || {
        "the profile's secret key was printed".into()
    });
    let mut cmd = backup_cmd(&s3, &src.display().to_string(), dir, &[]);
    cmd.env("HOME", &home)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_PROFILE");
    let out = run(cmd);
    p.check(out.code != 0, || {
        "backup with the default profile's wrong keys succeeded".into()
    });
    p.check(!all_output(&out).contains("notthis"), || {
        "the default profile's secret key was printed".into()
    });
    p.check(listed(&s3, dir).len() == 1, || {
        format!("listed: {:?}", listed(&s3, dir))
    });
    p.finish("credentials from AWS files");
}

/// A stopped (SIGTERM) or failed (pg_dump exits 1 after its output) backup with the server up
/// aborts its multipart upload at once: no part, no marker, no lock, nothing listed, even
/// before any next run.
#[test]
fn offsite_stopped_or_failed_upload_is_aborted_at_once() {
    let c = cluster();
    let big = big_db();
    let s3 = server("abort-bucket");
    let dir = "s3://abort-bucket/a";
    let tmp = tempfile::tempdir().expect("tmp");
    let mut p = Problems::default();
    for case in ["SIGTERM", "pg_dump fails"] {
        let go = tmp.path().join(format!("go-{}", case.len()));
        let bin = held_pg_dump(c, &tmp.path().join(case.replace(' ', "-")), &go);
        if case == "pg_dump fails" {
            let script = std::fs::read_to_string(bin.join("pg_dump"))
                .expect("script")
                .replace(
                    "exit 0\n",
                    "echo 'pg_dump: error: simulated failure' >&2\nexit 1\n",
                );
            tests::write_executable(&bin.join("pg_dump"), &script);
        }
        let mut cmd = backup_cmd(
            &s3,
            &c.url(big),
            dir,
            &["--name", "big", "--compress", "none"],
        );
        cmd.arg("--pg-bin-dir").arg(&bin);
        let mut st = Stopped::spawn(cmd);
        let mid = poll_until(Duration::from_secs(60), || {
            s3.upload_parts().len() >= 2 || !st.running()
        });
        p.check(mid && st.running(), || {
            format!(
                "{case}: the upload never had two parts open: {}",
                tail(&st.stderr())
            )
        });
        let (code, stderr) = if case == "SIGTERM" {
            let e = st.send(libc::SIGTERM);
            p.check(e.secs < 5.0, || {
                format!("{case}: took {:.1}s to stop", e.secs)
            });
            (e.code, e.stderr)
        } else {
            std::fs::write(&go, "").expect("go");
            match st.wait_for(Duration::from_secs(60)) {
                Some(e) => (e.code, e.stderr),
                None => (None, "did not end".into()),
            }
        };
        let want = if case == "SIGTERM" {
            Some(143)
        } else {
            Some(1)
        };
        p.check(code == want, || {
            format!(
                "{case}: exit {code:?}, expected {want:?}: {}",
                tail(&stderr)
            )
        });
        if case == "pg_dump fails" {
            p.check(
                stderr.contains("simulated failure") || stderr.contains("pg_dump"),
                || format!("{case}: pg_dump's failure not reported: {}", tail(&stderr)),
            );
        }
        p.none(
            &format!("{case}: upload state left in s3s-fs"),
            &s3.upload_leftovers(),
        );
        p.none(
            &format!("{case}: upload markers left"),
            &upload_markers(&s3, "abort-bucket", "a"),
        );
        p.none(
            &format!("{case}: objects left"),
            &s3.objects("abort-bucket", "a"),
        );
        p.check(listed(&s3, dir).is_empty(), || {
            format!("{case}: listed {:?}", listed(&s3, dir))
        });
    }
    p.finish("stopped or failed uploads are aborted at once");
}

/// A backup of another name in the same prefix, while one is mid-upload, leaves the running
/// upload alone (its clean-up aborts only uploads of runs that are gone): the first completes
/// and restores whole.
#[test]
fn offsite_another_name_in_the_prefix_leaves_a_running_upload_alone() {
    let c = cluster();
    let big = big_db();
    let small = c.create_db("offsite_other_small");
    load_sample(c, &small.name, 10);
    let s3 = server("live-bucket");
    let dir = "s3://live-bucket/shared";
    let tmp = tempfile::tempdir().expect("tmp");
    let go = tmp.path().join("go");
    let (mut first, mid) = big_backup_mid_upload(c, &s3, dir, big, tmp.path(), &go);
    let mut p = Problems::default();
    assert!(
        mid && first.running(),
        "the upload never had two parts open: {}",
        tail(&first.stderr())
    );
    let markers = upload_markers(&s3, "live-bucket", "shared");
    // Another name, twice (and a prune of it), while the first is mid-upload.
    for _ in 0..2 {
        let out = run(backup_cmd(
            &s3,
            &small.url,
            dir,
            &["--name", "other", "--keep-last", "1"],
        ));
        p.check(out.code == 0, || {
            format!(
                "backup of another name: exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        });
    }
    p.check(
        upload_markers(&s3, "live-bucket", "shared") == markers,
        || {
            format!(
                "the running upload's marker changed: {markers:?} → {:?}",
                upload_markers(&s3, "live-bucket", "shared")
            )
        },
    );
    std::fs::write(&go, "").expect("go");
    match first.wait_for(Duration::from_secs(90)) {
        Some(e) => p.check(e.code == Some(0), || {
            format!(
                "the first backup after another name's runs: exit {:?}: {}",
                e.code,
                tail(&e.stderr)
            )
        }),
        None => p.0.push("the first backup did not finish".into()),
    }
    let names = listed(&s3, dir);
    p.check(
        names.iter().filter(|n| n.starts_with("big_")).count() == 1,
        || format!("listed: {names:?}"),
    );
    p.check(
        names.iter().filter(|n| n.starts_with("other_")).count() == 1,
        || format!("listed: {names:?}"),
    );
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, dir),
    );
    p.none("upload state left", &s3.upload_leftovers());
    p.finish("another name leaves a running upload alone");
}
