//! Second copies of a backup set (issue 12, 3-2-1): `backup-tool copy --from DIR --to DIR`,
//! `backup --mirror DIR` and `mirror = [...]` in a config, and `sync-tool run --keep-dump
//! s3://…`, with the real binaries against a real s3s-fs per test.
//!
//! Results are checked by content with methods independent of the tools: stored objects are
//! read from s3s-fs's data folder and hashed with sha256sum, decompressed with flate2, scanned
//! with grep; restores are compared with the source by per-table checksums. Faults are made by
//! altering bytes of a source backup on disk, by SIGKILL while an upload is open (slowed by a
//! throttling proxy so the kill lands mid-upload), by a missing bucket and wrong keys.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tests::s3::{random_hex, S3Server};
use tests::{
    cluster, files_containing, load_sample, poll_until, run, staging_cluster, Cluster, Output,
    Stopped, SAMPLE_RULES,
};

use crate::faults_common::{tail, Problems};
use crate::offsite::{
    age_identity, all_output, backup, backup_cmd, big_db, bt, listed, listed_are_stored_whole,
    make_sqlite, manifest_of, secrets_in, server, sha256_of, sqlite_dump, stored, unlisted_objects,
    upload_markers,
};

const SALT: &str = "offsite-copy-salt-0123456789abcdef";

/// Values of `load_sample` that appear in a plain, uncompressed dump of it.
const PLAIN_VALUES: &[&str] = &["user17@example.com", "with tab", "ünïcödé", "line\\nbreak"];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn copy_cmd(s3: &S3Server, from: &str, to: &str, extra: &[&str]) -> Command {
    let mut c = bt(s3);
    c.args(["copy", "--from", from, "--to", to]).args(extra);
    c
}

fn copy(s3: &S3Server, from: &str, to: &str, extra: &[&str]) -> Output {
    run(copy_cmd(s3, from, to, extra))
}

/// The file names under `key` ("copied", "present", "skipped_bad") of a `copy --json` report.
fn report_names(out: &Output, key: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    let mut names: Vec<String> = v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str())
                .map(|p| p.rsplit('/').next().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn file_name(p: &str) -> String {
    p.rsplit('/').next().unwrap_or_default().to_string()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Restores `from` (a file, or an s3:// object) into a new database; its table checksums, or
/// what went wrong.
fn restore_pg(
    s3: &S3Server,
    c: &Cluster,
    from: &str,
    extra: &[&str],
) -> Result<BTreeMap<String, String>, String> {
    let t = c.fresh_name("offsite_copy_dst");
    let mut r = bt(s3);
    r.args(["restore", from, "--db", &c.url(&t), "--create"])
        .args(extra);
    let out = run(r);
    if out.code != 0 {
        return Err(format!(
            "restore {from}: exit {}: {}",
            out.code,
            tail(&out.stderr)
        ));
    }
    Ok(c.table_checksums(&t))
}

/// Replaces the byte at `offset` of `path` by its complement (same size, other content).
fn flip_byte(path: &Path, offset: u64) {
    use std::os::unix::fs::FileExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let mut b = [0u8; 1];
    f.read_exact_at(&mut b, offset).expect("read byte");
    b[0] = !b[0];
    f.write_all_at(&b, offset).expect("write byte");
}

/// Objects under `prefix` whose key contains `needle` (manifests, uploads, partials…).
fn objects_with(s3: &S3Server, bucket: &str, prefix: &str, needle: &str) -> Vec<String> {
    s3.objects(bucket, prefix)
        .into_iter()
        .filter(|o| o.contains(needle))
        .collect()
}

/// Files of a local folder (hidden ones included) whose name contains `needle`.
fn local_with(dir: &Path, needle: &str) -> Vec<String> {
    tests::all_files(dir)
        .into_iter()
        .filter(|f| f.contains(needle))
        .collect()
}

/// Objects that are neither listed backups, their manifests, nor lock objects.
fn strays(s3: &S3Server, bucket: &str, prefix: &str) -> Vec<String> {
    unlisted_objects(s3, bucket, prefix)
        .into_iter()
        .filter(|o| !o.starts_with(".locks/"))
        .collect()
}

/// `verify --dir DIR` (extra args appended): exit code and output.
fn verify_dir(s3: &S3Server, dir: &str, extra: &[&str]) -> Output {
    let mut v = bt(s3);
    v.args(["verify", "--dir", dir]).args(extra);
    run(v)
}

/// A TCP proxy that forwards everything at a bounded rate (all connections together), so an
/// upload through it stays open long enough to be killed midway.
struct ThrottleProxy {
    port: u16,
}

impl ThrottleProxy {
    fn start(upstream: u16, bytes_per_sec: u64) -> ThrottleProxy {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        let next: Arc<Mutex<Instant>> = Arc::new(Mutex::new(Instant::now()));
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                let Ok(up) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let (Ok(s2), Ok(up2)) = (s.try_clone(), up.try_clone()) else {
                    continue;
                };
                let (a, b) = (Arc::clone(&next), Arc::clone(&next));
                std::thread::spawn(move || throttled_pump(s, up, a, bytes_per_sec));
                std::thread::spawn(move || throttled_pump(up2, s2, b, bytes_per_sec));
            }
        });
        ThrottleProxy { port }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn throttled_pump(
    mut from: std::net::TcpStream,
    mut to: std::net::TcpStream,
    next: Arc<Mutex<Instant>>,
    rate: u64,
) {
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let slot = {
            let mut g = next.lock().expect("throttle lock");
            let start = (*g).max(Instant::now());
            *g = start + Duration::from_secs_f64(n as f64 / rate as f64);
            *g
        };
        let now = Instant::now();
        if slot > now {
            std::thread::sleep(slot - now);
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = from.shutdown(std::net::Shutdown::Both);
    let _ = to.shutdown(std::net::Shutdown::Both);
}

// ---------------------------------------------------------------------------------------------
// 1. local → s3 → local
// ---------------------------------------------------------------------------------------------

/// Two PostgreSQL backups of different content and an SQLite one, copied from a local folder
/// into a bucket and from the bucket into another local folder: each copy holds the same bytes
/// (sha256sum of the stored files), each backup restores from each place to its source's
/// content, a second copy run copies nothing (and rewrites nothing), and `verify --dir` passes
/// at each destination.
#[test]
fn offsite_copy_local_to_s3_to_local_restores_identically_everywhere() {
    let c = cluster();
    let src = c.create_db("offsite_copy_rt");
    load_sample(c, &src.name, 200);
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let (a_s, b_s) = (a.display().to_string(), b.display().to_string());
    let s3 = server("copy-rt");
    let remote = "s3://copy-rt/offsite/pg";
    let mut p = Problems::default();

    let u1 = backup(&s3, &src.url, &a_s, &[]);
    let want1 = c.table_checksums(&src.name);
    c.psql(
        &src.name,
        "INSERT INTO public.empty_table SELECT g FROM generate_series(1, 50) g; \
         UPDATE public.users SET name = 'changed ' || id WHERE id % 3 = 0",
    );
    let u2 = backup(&s3, &src.url, &a_s, &[]);
    let want2 = c.table_checksums(&src.name);
    p.check(want1 != want2, || {
        "the two backups have the same content".into()
    });
    let sq = tmp.path().join("tt.db");
    make_sqlite(&sq, "copyrt", 200);
    let sq_want = sqlite_dump(&sq);
    let u3 = backup(&s3, &sq.display().to_string(), &a_s, &[]);
    let all = sorted(vec![file_name(&u1), file_name(&u2), file_name(&u3)]);
    p.check(sorted(listed(&s3, &a_s)) == all, || {
        format!("source lists {:?}", listed(&s3, &a_s))
    });

    // local → s3
    let out = copy(&s3, &a_s, remote, &["--json"]);
    p.check(out.code == 0, || {
        format!("copy local → s3: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(report_names(&out, "copied") == all, || {
        format!(
            "copy local → s3 reports copied {:?}",
            report_names(&out, "copied")
        )
    });
    p.check(sorted(listed(&s3, remote)) == all, || {
        format!("the bucket lists {:?} after the copy", listed(&s3, remote))
    });
    p.none(
        "listed in the bucket but not stored whole",
        &listed_are_stored_whole(&s3, remote),
    );
    for f in &all {
        let local = sha256_of(&a.join(f));
        let obj = sha256_of(&stored(&s3, &format!("{remote}/{f}")));
        p.check(local == obj, || {
            format!("{f}: the object's sha256 {obj} is not the source file's {local}")
        });
        let m_src: serde_json::Value = serde_json::from_slice(
            &std::fs::read(a.join(format!("{f}.manifest.json"))).unwrap_or_default(),
        )
        .unwrap_or_default();
        let m_dst = manifest_of(&s3, &format!("{remote}/{f}"));
        p.check(m_src == m_dst, || {
            format!("{f}: the bucket's manifest differs from the source's:\n{m_src}\n{m_dst}")
        });
    }
    p.none("upload state left by the copy", &s3.upload_leftovers());

    // s3 → another local folder
    let out = copy(&s3, remote, &b_s, &["--json"]);
    p.check(out.code == 0, || {
        format!("copy s3 → local: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(report_names(&out, "copied") == all, || {
        format!(
            "copy s3 → local reports copied {:?}",
            report_names(&out, "copied")
        )
    });
    p.check(sorted(listed(&s3, &b_s)) == all, || {
        format!("the second folder lists {:?}", listed(&s3, &b_s))
    });
    for f in &all {
        let want = sha256_of(&a.join(f));
        let got = sha256_of(&b.join(f));
        p.check(want == got, || {
            format!("{f}: the second local copy's sha256 {got} is not the source's {want}")
        });
    }
    let b_files = tests::all_files(&b);
    p.check(
        b_files.iter().filter(|f| !f.starts_with('.')).all(|f| {
            all.iter()
                .any(|n| f == n || *f == format!("{n}.manifest.json"))
        }),
        || format!("the second folder holds other files: {b_files:?}"),
    );

    // Second runs copy nothing and rewrite nothing.
    let mtimes = |paths: &[PathBuf]| -> Vec<Option<std::time::SystemTime>> {
        paths
            .iter()
            .map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
            .collect()
    };
    let watched: Vec<PathBuf> = all
        .iter()
        .flat_map(|f| {
            [
                stored(&s3, &format!("{remote}/{f}")),
                stored(&s3, &format!("{remote}/{f}.manifest.json")),
                b.join(f),
                b.join(format!("{f}.manifest.json")),
            ]
        })
        .collect();
    let before = mtimes(&watched);
    std::thread::sleep(Duration::from_millis(1100));
    for (label, from, to) in [
        ("local → s3", a_s.as_str(), remote),
        ("s3 → local", remote, b_s.as_str()),
    ] {
        let out = copy(&s3, from, to, &["--json"]);
        p.check(out.code == 0, || {
            format!(
                "second copy {label}: exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        });
        p.check(report_names(&out, "copied").is_empty(), || {
            format!(
                "second copy {label} copied again: {:?}",
                report_names(&out, "copied")
            )
        });
        p.check(report_names(&out, "present") == all, || {
            format!(
                "second copy {label} reports present {:?}",
                report_names(&out, "present")
            )
        });
    }
    p.check(mtimes(&watched) == before, || {
        "a second copy run rewrote stored files".into()
    });

    // verify --dir at each destination.
    for dir in [remote, b_s.as_str()] {
        let out = verify_dir(&s3, dir, &[]);
        p.check(out.code == 0, || {
            format!(
                "verify --dir {dir}: exit {}: {}{}",
                out.code,
                out.stdout,
                tail(&out.stderr)
            )
        });
    }

    // Every backup restores from each place to its source's content.
    for place in [a_s.as_str(), remote, b_s.as_str()] {
        for (f, want) in [(file_name(&u1), &want1), (file_name(&u2), &want2)] {
            match restore_pg(&s3, c, &format!("{place}/{f}"), &[]) {
                Ok(got) => p.check(&got == want, || {
                    format!("{place}/{f}: restored table checksums differ from the source's")
                }),
                Err(e) => p.0.push(e),
            }
        }
        let target = tmp.path().join(format!("restored-{}.db", random_hex(4)));
        let mut r = bt(&s3);
        r.args(["restore", &format!("{place}/{}", file_name(&u3)), "--db"])
            .arg(&target);
        let out = run(r);
        p.check(out.code == 0, || {
            format!(
                "restore SQLite from {place}: exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        });
        if out.code == 0 {
            p.check(sqlite_dump(&target) == sq_want, || {
                format!("SQLite restored from {place} differs from the source")
            });
        }
    }
    p.finish("copy local → s3 → local");
}

// ---------------------------------------------------------------------------------------------
// 2. Damaged source
// ---------------------------------------------------------------------------------------------

/// A source folder with a big backup altered by one byte (same size: only the streamed sha256
/// can see it; more than one 16 MiB part, so a multipart upload is open when it is seen), a
/// truncated backup (the cheap size check sees it) and three good ones of two names: copy exits
/// 3 naming the bad ones, stores nothing of them at the destination (no object, no manifest, no
/// upload, no part), and copies every good one — into a bucket and into a local folder.
#[test]
fn offsite_copy_damaged_source_is_reported_bad_and_nothing_of_it_is_stored() {
    let c = cluster();
    let big = big_db();
    let small = c.create_db("offsite_copy_dmg");
    load_sample(c, &small.name, 100);
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("src");
    let a_s = a.display().to_string();
    let s3 = server("copy-dmg");
    let remote = "s3://copy-dmg/d";
    let ubig = backup(
        &s3,
        &c.url(big),
        &a_s,
        &["--name", "big", "--compress", "none"],
    );
    let s1 = backup(&s3, &small.url, &a_s, &["--name", "small"]);
    let s2 = backup(&s3, &small.url, &a_s, &["--name", "small"]);
    let t1 = backup(&s3, &small.url, &a_s, &["--name", "tiny"]);
    let t2 = backup(&s3, &small.url, &a_s, &["--name", "tiny"]);
    let want_small = c.table_checksums(&small.name);
    let bigf = a.join(file_name(&ubig));
    let big_len = std::fs::metadata(&bigf).expect("big backup").len();
    assert!(
        big_len > 40 * 1024 * 1024,
        "the big backup is only {big_len} bytes: no multipart upload to catch"
    );
    flip_byte(&bigf, big_len / 2 + 12345);
    // Truncate the older tiny backup by 100 bytes.
    let t1f = a.join(file_name(&t1));
    let t1_len = std::fs::metadata(&t1f).expect("tiny").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&t1f)
        .and_then(|f| f.set_len(t1_len - 100))
        .expect("truncate");
    let bad = sorted(vec![file_name(&ubig), file_name(&t1)]);
    let good = sorted(vec![file_name(&s1), file_name(&s2), file_name(&t2)]);
    let mut p = Problems::default();

    for round in 1..=2 {
        let out = copy(&s3, &a_s, remote, &["--json"]);
        let text = all_output(&out);
        p.check(out.code == 3, || {
            format!(
                "round {round}: copy with damaged backups into s3: exit {} (expected 3): {}",
                out.code,
                tail(&out.stderr)
            )
        });
        for b in &bad {
            p.check(text.contains(b.as_str()), || {
                format!("round {round}: the copy's output does not name the damaged {b}")
            });
        }
        p.check(
            serde_json::from_str::<serde_json::Value>(&out.stdout).is_ok(),
            || {
                format!(
                    "round {round}: copy --json stdout is not JSON: {}",
                    out.stdout
                )
            },
        );
        p.check(sorted(listed(&s3, remote)) == good, || {
            format!(
                "round {round}: the bucket lists {:?}, expected exactly the good {good:?}",
                listed(&s3, remote)
            )
        });
        for b in &bad {
            p.none(
                &format!("round {round}: objects of the damaged {b} in the bucket"),
                &objects_with(&s3, "copy-dmg", "d", b),
            );
        }
        p.none(
            &format!("round {round}: multipart upload state left in s3s-fs"),
            &s3.upload_leftovers(),
        );
        p.none(
            &format!("round {round}: upload markers left"),
            &upload_markers(&s3, "copy-dmg", "d"),
        );
        p.none(
            &format!("round {round}: unlisted objects in the bucket"),
            &strays(&s3, "copy-dmg", "d"),
        );
        p.none(
            &format!("round {round}: listed in the bucket but not stored whole"),
            &listed_are_stored_whole(&s3, remote),
        );
    }
    for g in &good {
        let obj = stored(&s3, &format!("{remote}/{g}"));
        if !obj.is_file() {
            p.0.push(format!("the good {g} was not copied into the bucket"));
            continue;
        }
        let want = sha256_of(&a.join(g));
        p.check(want == sha256_of(&obj), || {
            format!("{g}: copied object differs from the source")
        });
    }
    if let Some(g) = good
        .first()
        .filter(|g| stored(&s3, &format!("{remote}/{g}")).is_file())
    {
        match restore_pg(&s3, c, &format!("{remote}/{g}"), &[]) {
            Ok(got) => p.check(got == want_small, || {
                format!("{g} restored from the bucket differs from the source")
            }),
            Err(e) => p.0.push(e),
        }
    }

    // The same into a local folder.
    let d = tmp.path().join("dst");
    let d_s = d.display().to_string();
    let out = copy(&s3, &a_s, &d_s, &[]);
    p.check(out.code == 3, || {
        format!(
            "copy with damaged backups into a local folder: exit {} (expected 3): {}",
            out.code,
            tail(&out.stderr)
        )
    });
    p.check(sorted(listed(&s3, &d_s)) == good, || {
        format!(
            "the local destination lists {:?}, expected exactly the good {good:?}",
            listed(&s3, &d_s)
        )
    });
    for b in &bad {
        p.none(
            &format!("files of the damaged {b} in the local destination"),
            &local_with(&d, b),
        );
    }

    // A bucket object altered by one byte (same size), copied from the bucket to a local
    // folder: the streamed check catches it there too.
    let victim = file_name(&s1);
    let vobj = stored(&s3, &format!("{remote}/{victim}"));
    if vobj.is_file() {
        let vlen = std::fs::metadata(&vobj).map(|m| m.len()).unwrap_or(0);
        flip_byte(&vobj, vlen / 2);
        let e = tmp.path().join("from-bucket");
        let e_s = e.display().to_string();
        let out = copy(&s3, remote, &e_s, &[]);
        p.check(out.code == 3, || {
            format!(
                "copy from a bucket holding an altered object: exit {} (expected 3): {}",
                out.code,
                tail(&out.stderr)
            )
        });
        p.check(all_output(&out).contains(&victim), || {
            format!("the copy from the bucket does not name the altered {victim}")
        });
        p.none(
            &format!("files of the altered {victim} in the local destination"),
            &local_with(&e, &victim),
        );
        let rest: Vec<String> = good.iter().filter(|g| **g != victim).cloned().collect();
        p.check(sorted(listed(&s3, &e_s)) == rest, || {
            format!(
                "copy from the bucket lists {:?} at the destination, expected the intact {rest:?}",
                listed(&s3, &e_s)
            )
        });
    }
    p.finish("copy of a damaged source");
}

// ---------------------------------------------------------------------------------------------
// 3. Killed mid-upload
// ---------------------------------------------------------------------------------------------

/// `copy` SIGKILLed while the multipart upload of a 43 MB backup is open (uploads slowed to
/// 12 MB/s by a proxy, killed once a part is stored): the bucket lists nothing new and nothing
/// of the killed copy is readable as a backup; the next copy completes it byte for byte and
/// leaves no upload, part, marker or stray object.
#[test]
fn offsite_copy_sigkilled_mid_upload_lists_nothing_and_next_copy_completes() {
    let c = cluster();
    let big = big_db();
    let small = c.create_db("offsite_copy_kill");
    load_sample(c, &small.name, 30);
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("src");
    let a_s = a.display().to_string();
    let s3 = server("copy-kill");
    let remote = "s3://copy-kill/k";
    let ubig = backup(
        &s3,
        &c.url(big),
        &a_s,
        &["--name", "big", "--compress", "none"],
    );
    backup(&s3, &small.url, &a_s, &["--name", "small"]);
    let mut p = Problems::default();
    let out = copy(&s3, &a_s, remote, &["--name", "small"]);
    p.check(out.code == 0, || {
        format!(
            "copy --name small: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    let before = listed(&s3, remote);
    p.check(before.len() == 1, || {
        format!("after copy --name small: {before:?}")
    });

    let proxy = ThrottleProxy::start(s3.port, 12 * 1024 * 1024);
    let mut cmd = copy_cmd(&s3, &a_s, remote, &[]);
    cmd.env("AWS_ENDPOINT_URL", proxy.endpoint());
    let mut st = Stopped::spawn(cmd);
    let mid = poll_until(Duration::from_secs(90), || {
        !s3.upload_parts().is_empty() || !st.running()
    });
    let running = st.running();
    assert!(
        mid && running,
        "the copy never had a part of its upload stored while running (parts {:?}); stderr: {}",
        s3.upload_parts(),
        tail(&st.stderr())
    );
    let ended = st.kill9();
    crate::faults_common::assert_killed(&ended);
    p.none("children outlived the killed copy", &ended.survivors);
    p.check(!s3.upload_parts().is_empty(), || {
        "no parts left by the killed copy: it was not killed mid-upload".into()
    });
    p.check(listed(&s3, remote) == before, || {
        format!(
            "the bucket lists {:?} after the killed copy (before: {before:?})",
            listed(&s3, remote)
        )
    });
    let big_name = file_name(&ubig);
    p.check(
        !stored(&s3, &format!("{remote}/{big_name}.manifest.json")).exists(),
        || "the killed copy left a manifest for the big backup".into(),
    );
    let mut v = bt(&s3);
    v.args(["verify", &format!("{remote}/{big_name}")]);
    let out = run(v);
    p.check(out.code != 0, || {
        "verify of the big backup at the destination passed after the copy was killed".into()
    });

    // The next copy completes it and cleans up.
    let out = copy(&s3, &a_s, remote, &["--json"]);
    p.check(out.code == 0, || {
        format!("next copy: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(
        report_names(&out, "copied") == vec![big_name.clone()],
        || {
            format!(
                "next copy reports copied {:?}",
                report_names(&out, "copied")
            )
        },
    );
    p.none(
        "upload state left in s3s-fs after the next copy",
        &s3.upload_leftovers(),
    );
    p.none(
        "upload markers left after the next copy",
        &upload_markers(&s3, "copy-kill", "k"),
    );
    p.none(
        "stray objects after the next copy",
        &strays(&s3, "copy-kill", "k"),
    );
    p.none(
        "lock objects left after the next copy",
        &s3.objects("copy-kill", "k/.locks"),
    );
    p.check(listed(&s3, remote).len() == 2, || {
        format!("after the next copy: {:?}", listed(&s3, remote))
    });
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, remote),
    );
    let want = sha256_of(&a.join(&big_name));
    let got = sha256_of(&stored(&s3, &format!("{remote}/{big_name}")));
    p.check(want == got, || {
        format!("the big backup's object {got} is not the source file {want}")
    });
    p.finish("copy SIGKILLed mid-upload");
}

/// A database of about 100 MB of dump text (more than the 16 MiB part being filled plus the
/// two in flight that an upload holds at most), made once.
fn huge_db() -> &'static str {
    static HUGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HUGE.get_or_init(|| {
        let c = cluster();
        let db = c.create_db("offsite_copy_huge");
        c.psql(
            &db.name,
            "CREATE TABLE huge (id int PRIMARY KEY, payload text); \
             INSERT INTO huge SELECT g, repeat(md5(g::text), 10) FROM generate_series(1, 300000) g;",
        );
        db.name
    })
}

/// The source file altered (one byte near its end, same size) while `copy` is uploading it
/// (slowed by a proxy; the file is larger than what the upload reads ahead, so the altered
/// byte is read after the change): the copy fails with exit 3 saying so, the bucket lists
/// nothing of it, and no object, manifest, part or marker of it is left.
#[test]
fn offsite_copy_source_changed_during_copy_writes_nothing() {
    let c = cluster();
    let big = huge_db();
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("src");
    let a_s = a.display().to_string();
    let s3 = server("copy-chg");
    let remote = "s3://copy-chg/c";
    let ubig = backup(
        &s3,
        &c.url(big),
        &a_s,
        &["--name", "big", "--compress", "none"],
    );
    let big_name = file_name(&ubig);
    let f = a.join(&big_name);
    let len = std::fs::metadata(&f).expect("big").len();
    assert!(
        len > 90 * 1024 * 1024,
        "the big backup is only {len} bytes: the copy may read it whole before the change"
    );
    let mut p = Problems::default();
    let proxy = ThrottleProxy::start(s3.port, 12 * 1024 * 1024);
    let mut cmd = copy_cmd(&s3, &a_s, remote, &[]);
    cmd.env("AWS_ENDPOINT_URL", proxy.endpoint());
    let mut st = Stopped::spawn(cmd);
    let mid = poll_until(Duration::from_secs(90), || {
        !s3.upload_parts().is_empty() || !st.running()
    });
    let running = st.running();
    assert!(
        mid && running,
        "the copy never had a part of its upload stored while running; stderr: {}",
        tail(&st.stderr())
    );
    flip_byte(&f, len - 2000);
    let Some(e) = st.wait_for(Duration::from_secs(120)) else {
        panic!("the copy did not end within 120 s");
    };
    p.check(e.code == Some(3), || {
        format!(
            "copy of a file changed midway: exit {:?} (expected 3): {}",
            e.code,
            tail(&e.stderr)
        )
    });
    p.check(
        format!("{}{}", e.stdout, e.stderr).contains(&big_name),
        || format!("the failure does not name {big_name}: {}", tail(&e.stderr)),
    );
    p.check(listed(&s3, remote).is_empty(), || {
        format!("the bucket lists {:?}", listed(&s3, remote))
    });
    p.none(
        "objects of the changed backup in the bucket",
        &objects_with(&s3, "copy-chg", "c", &big_name),
    );
    p.none("upload state left in s3s-fs", &s3.upload_leftovers());
    p.none("upload markers left", &upload_markers(&s3, "copy-chg", "c"));
    p.finish("source changed during the copy");
}

// ---------------------------------------------------------------------------------------------
// 4. --mirror with retention
// ---------------------------------------------------------------------------------------------

/// Before any mirrored run, the mirror bucket gets an older backup of the same source that the
/// primary folder never had (made in another folder and `copy`-ed there). Then four backups
/// with `--mirror s3://… --mirror /local --keep-last 2`: the primary and each mirror hold
/// exactly the two newest, the same files byte for byte; the extra older one is gone from the mirror's listing
/// and from the bucket; the mirror's newest restores to the source's latest content.
#[test]
fn offsite_copy_mirror_keep_last_prunes_primary_and_mirror_on_their_own_listings() {
    let c = cluster();
    let src = c.create_db("offsite_copy_mir");
    load_sample(c, &src.name, 50);
    let tmp = tempfile::tempdir().expect("tmp");
    let prim = tmp.path().join("primary");
    let other = tmp.path().join("other");
    let (prim_s, other_s) = (prim.display().to_string(), other.display().to_string());
    let s3 = server("copy-mir");
    let mirror = "s3://copy-mir/m";
    let mirror2 = tmp.path().join("usb");
    let mirror2_s = mirror2.display().to_string();
    let mut p = Problems::default();
    let old = backup(&s3, &src.url, &other_s, &["--name", "app"]);
    // Backup names are per-second timestamps: the next ones must not take the same name.
    std::thread::sleep(Duration::from_millis(1100));
    let out = copy(&s3, &other_s, mirror, &[]);
    p.check(out.code == 0, || {
        format!(
            "copy of the older backup: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    p.check(listed(&s3, mirror) == vec![file_name(&old)], || {
        format!("mirror before the runs: {:?}", listed(&s3, mirror))
    });
    let mut made = Vec::new();
    let mut want_last = BTreeMap::new();
    for i in 0..4 {
        c.psql(
            &src.name,
            &format!("INSERT INTO public.empty_table VALUES ({i})"),
        );
        let out = run(backup_cmd(
            &s3,
            &src.url,
            &prim_s,
            &[
                "--name",
                "app",
                "--mirror",
                mirror,
                "--mirror",
                &mirror2_s,
                "--keep-last",
                "2",
            ],
        ));
        p.check(out.code == 0, || {
            format!(
                "backup {i} with --mirror: exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        });
        let first = out
            .stdout
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        made.push(file_name(&first));
        want_last = c.table_checksums(&src.name);
    }
    let newest: Vec<String> = made[2..].to_vec();
    let prim_list = listed(&s3, &prim_s);
    let mir_list = listed(&s3, mirror);
    p.check(prim_list == newest, || {
        format!("primary lists {prim_list:?}, expected the two newest {newest:?}")
    });
    p.check(mir_list == newest, || {
        format!("mirror lists {mir_list:?}, expected the two newest {newest:?}")
    });
    let mir2_list = listed(&s3, &mirror2_s);
    p.check(mir2_list == newest, || {
        format!("the local mirror lists {mir2_list:?}, expected the two newest {newest:?}")
    });
    for f in &newest {
        if prim.join(f).is_file() && mirror2.join(f).is_file() {
            p.check(
                sha256_of(&prim.join(f)) == sha256_of(&mirror2.join(f)),
                || format!("{f}: the local mirror's file differs from the primary's"),
            );
        }
    }
    p.none(
        "objects of the extra older backup still in the mirror bucket",
        &objects_with(&s3, "copy-mir", "m", &file_name(&old)),
    );
    for gone in &made[..2] {
        p.none(
            &format!("objects of pruned {gone} still in the mirror bucket"),
            &objects_with(&s3, "copy-mir", "m", gone),
        );
        p.none(
            &format!("files of pruned {gone} still in the primary folder"),
            &local_with(&prim, gone),
        );
    }
    p.none(
        "stray objects in the mirror bucket",
        &strays(&s3, "copy-mir", "m"),
    );
    for f in &newest {
        if prim.join(f).is_file() {
            let want = sha256_of(&prim.join(f));
            let got = sha256_of(&stored(&s3, &format!("{mirror}/{f}")));
            p.check(want == got, || {
                format!("{f}: the mirror's object differs from the primary file")
            });
        }
    }
    let out = verify_dir(&s3, mirror, &[]);
    p.check(out.code == 0, || {
        format!("verify --dir {mirror}: exit {}: {}", out.code, out.stdout)
    });
    if let Some(last) = newest.last() {
        match restore_pg(&s3, c, &format!("{mirror}/{last}"), &[]) {
            Ok(got) => p.check(got == want_last, || {
                "the mirror's newest backup does not restore to the source's latest content".into()
            }),
            Err(e) => p.0.push(e),
        }
    }
    p.finish("--mirror with --keep-last 2");
}

// ---------------------------------------------------------------------------------------------
// 5. Mirror into a missing bucket
// ---------------------------------------------------------------------------------------------

/// `--mirror s3://no-such-bucket/m`: each run exits non-zero naming the mirror URL, the
/// primary backup is listed, verifies and restores; the second run is not locked out by the
/// first; no bucket is created.
#[test]
fn offsite_copy_mirror_to_missing_bucket_fails_but_primary_is_kept() {
    let c = cluster();
    let src = c.create_db("offsite_copy_nomir");
    load_sample(c, &src.name, 50);
    let tmp = tempfile::tempdir().expect("tmp");
    let prim = tmp.path().join("primary");
    let prim_s = prim.display().to_string();
    let s3 = server("copy-present");
    let mirror = "s3://no-such-bucket/m";
    let want = c.table_checksums(&src.name);
    let mut p = Problems::default();
    for round in 1..=2 {
        let out = run(backup_cmd(
            &s3,
            &src.url,
            &prim_s,
            &["--mirror", mirror, "--keep-last", "5"],
        ));
        p.check(out.code != 0, || {
            format!("round {round}: backup with a mirror into a missing bucket exited 0")
        });
        p.check(all_output(&out).contains(mirror), || {
            format!(
                "round {round}: the error does not name the mirror {mirror}: {}",
                tail(&out.stderr)
            )
        });
        let l = listed(&s3, &prim_s);
        p.check(l.len() == round, || {
            format!("round {round}: the primary folder lists {l:?}")
        });
        p.none(
            &format!("round {round}: partial files left in the primary folder"),
            &tests::all_files(&prim)
                .into_iter()
                .filter(|f| f.starts_with('.') && !f.ends_with(".lock"))
                .collect::<Vec<_>>(),
        );
    }
    let out = verify_dir(&s3, &prim_s, &[]);
    p.check(out.code == 0, || {
        format!("verify --dir primary: exit {}: {}", out.code, out.stdout)
    });
    if let Some(f) = listed(&s3, &prim_s).last() {
        let mut v = bt(&s3);
        v.args(["verify", &format!("{prim_s}/{f}")]);
        let out = run(v);
        p.check(out.code == 0, || {
            format!("verify {f}: exit {}: {}", out.code, out.stdout)
        });
        match restore_pg(&s3, c, &format!("{prim_s}/{f}"), &[]) {
            Ok(got) => p.check(got == want, || "the primary backup does not restore".into()),
            Err(e) => p.0.push(e),
        }
    }
    p.check(!s3.data().join("no-such-bucket").exists(), || {
        "the missing mirror bucket was created".into()
    });
    p.finish("mirror into a missing bucket");
}

// ---------------------------------------------------------------------------------------------
// 6. Config mirror with encryption
// ---------------------------------------------------------------------------------------------

/// Three runs of `backup-tool run --config` with `mirror = ["s3://…"]`, `encrypt_to`,
/// `compress = "none"`, `globals = true` and `keep_last = 2`: the mirror holds the same two
/// backups and two globals as the primary, and they are the very encrypted objects of the primary (same sha256,
/// age header), no row value nor the role name is in any byte of the bucket's data folder (the
/// same scan finds them in a plain uncompressed backup), and the mirror's copy restores with
/// `--identity` (and not without).
#[test]
fn offsite_copy_config_mirror_is_encrypted_and_restores_with_identity() {
    let c = cluster();
    let src = c.create_db("offsite_copy_cfg");
    load_sample(c, &src.name, 100);
    let role = format!("offsite_copy_role_{}", random_hex(6));
    c.psql("postgres", &format!("CREATE ROLE {role} NOLOGIN"));
    let tmp = tempfile::tempdir().expect("tmp");
    let (id, public, _) = age_identity(tmp.path(), "key.txt");
    let prim = tmp.path().join("primary");
    let s3 = server("copy-cfg");
    let mirror = "s3://copy-cfg/mirror/app";
    let cfg = tmp.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "[env.prod]\ndb = \"{}\"\ndir = \"{}\"\nname = \"app\"\nmirror = [\"{mirror}\"]\n\
             encrypt_to = [\"{public}\"]\ncompress = \"none\"\nglobals = true\n\
             retention = {{ keep_last = 2 }}\n",
            src.url,
            prim.display()
        ),
    )
    .expect("config");
    let mut needles: Vec<String> = PLAIN_VALUES.iter().map(|s| s.to_string()).collect();
    needles.push(role.clone());
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    let mut p = Problems::default();
    // Control: a plain uncompressed backup shows the values to the same scan.
    let ctl = tmp.path().join("control");
    backup(
        &s3,
        &src.url,
        &ctl.display().to_string(),
        &["--compress", "none", "--globals"],
    );
    p.check(files_containing(&[&ctl], &needles).len() >= 2, || {
        "the control scan does not find the values in a plain backup: the scan is blind".into()
    });

    for i in 1..=3 {
        if i > 1 {
            // Distinct per-second names.
            std::thread::sleep(Duration::from_millis(1100));
        }
        let mut r = bt(&s3);
        r.args(["run", "--config"])
            .arg(&cfg)
            .args(["--env", "prod"]);
        let out = run(r);
        p.check(out.code == 0, || {
            format!("run {i} --config: exit {}: {}", out.code, tail(&out.stderr))
        });
    }
    let prim_s = prim.display().to_string();
    let prim_list = sorted(listed(&s3, &prim_s));
    let mir_list = sorted(listed(&s3, mirror));
    p.check(prim_list.len() == 4, || {
        format!(
            "primary lists {prim_list:?} (expected the two newest backups and their globals: keep_last = 2)"
        )
    });
    p.check(mir_list == prim_list, || {
        format!("mirror lists {mir_list:?}, primary {prim_list:?}")
    });
    for f in &mir_list {
        p.check(f.ends_with(".age"), || {
            format!("mirror object {f} is not encrypted")
        });
        let obj = stored(&s3, &format!("{mirror}/{f}"));
        let head = std::fs::read(&obj).unwrap_or_default();
        p.check(head.starts_with(b"age-encryption.org/v1"), || {
            format!("mirror object {f} is not an age file")
        });
        if prim.join(f).is_file() {
            p.check(sha256_of(&prim.join(f)) == sha256_of(&obj), || {
                format!("mirror object {f} is not the primary's encrypted file")
            });
        }
        let m = manifest_of(&s3, &format!("{mirror}/{f}"));
        p.check(
            m["recipients"] == serde_json::json!([public.clone()]),
            || format!("{f}: mirror manifest recipients {}", m["recipients"]),
        );
    }
    p.check(mir_list.iter().any(|f| f.contains("globals")), || {
        format!("no globals backup in the mirror: {mir_list:?}")
    });
    p.none(
        "files of the bucket holding plaintext values",
        &files_containing(&[&s3.data()], &needles),
    );
    p.none(
        "stray objects in the mirror",
        &strays(&s3, "copy-cfg", "mirror/app"),
    );
    let main: Vec<&String> = mir_list.iter().filter(|f| !f.contains("globals")).collect();
    if let Some(f) = main.last() {
        let url = format!("{mirror}/{f}");
        let want = c.table_checksums(&src.name);
        match restore_pg(&s3, c, &url, &["--identity", &id.display().to_string()]) {
            Ok(got) => p.check(got == want, || {
                "the mirror's encrypted copy does not restore to the source's content".into()
            }),
            Err(e) => p.0.push(e),
        }
        p.check(restore_pg(&s3, c, &url, &[]).is_err(), || {
            "the mirror's encrypted copy restored without an identity".into()
        });
    } else {
        p.0.push("no main backup in the mirror to restore".into());
    }
    let out = verify_dir(&s3, mirror, &["--identity", &id.display().to_string()]);
    p.check(out.code == 0, || {
        format!(
            "verify --dir mirror --identity: exit {}: {}",
            out.code, out.stdout
        )
    });
    c.psql("postgres", &format!("DROP ROLE {role}"));
    p.finish("config mirror with encryption");
}

// ---------------------------------------------------------------------------------------------
// 7. sync-tool --keep-dump s3://
// ---------------------------------------------------------------------------------------------

/// `sync-tool run --keep-dump s3://…`: the masked stream is kept as a backup
/// `<target>_masked_<ts>.sql.gz` in the bucket, listed by `backup-tool list`, verified; its
/// object, gunzipped, holds the users' COPY data but none of the source's e-mail addresses or
/// refresh tokens; restored into a new database it equals staging and differs from the source
/// in every masked value while kept columns are the same.
#[test]
fn offsite_copy_sync_keep_dump_to_s3_is_masked_listed_and_restorable() {
    let (c, s) = (cluster(), staging_cluster());
    let rows = 150;
    let src = c.create_db("offsite_copy_kd_src");
    load_sample(c, &src.name, rows);
    let staging = s.create_db("offsite_copy_kd_stg");
    let tmp = tempfile::tempdir().expect("tmp");
    let rules = tmp.path().join("masking.toml");
    std::fs::write(&rules, SAMPLE_RULES).expect("rules");
    let s3 = server("copy-kd");
    let kd = "s3://copy-kd/masked/dumps";
    let mut sync = tests::tool("sync-tool");
    s3.apply(&mut sync);
    sync.env("MASK_SALT", SALT)
        .env("BACKUP_TOOLS_S3_TIMEOUT", "20")
        .args([
            "run",
            "--yes",
            "--json",
            "--from",
            &src.url,
            "--to",
            &s.url(&staging.name),
        ])
        .arg("--rules")
        .arg(&rules)
        .args(["--keep-dump", kd]);
    let out = run(sync);
    let mut p = Problems::default();
    assert_eq!(
        out.code, 0,
        "sync-tool run --keep-dump {kd}: {}\n{}",
        out.stdout, out.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    let kept = report["kept_dump"].as_str().unwrap_or_default().to_string();
    p.check(kept.starts_with(&format!("{kd}/")), || {
        format!("the report's kept_dump is {kept:?}, not an object under {kd}")
    });
    let l = listed(&s3, kd);
    p.check(l.len() == 1, || format!("{kd} lists {l:?}"));
    let Some(f) = l.first().cloned() else {
        p.finish("sync --keep-dump s3://");
        return;
    };
    p.check(
        f.starts_with(&format!("{}_masked_", staging.name)) && f.ends_with(".sql.gz"),
        || {
            format!(
                "kept dump named {f}, expected {}_masked_<ts>.sql.gz",
                staging.name
            )
        },
    );
    p.check(kept.is_empty() || file_name(&kept) == f, || {
        format!("the report names {kept}, the bucket lists {f}")
    });
    let url = format!("{kd}/{f}");
    p.none(
        "listed but not stored whole",
        &listed_are_stored_whole(&s3, kd),
    );
    p.none("stray objects", &strays(&s3, "copy-kd", "masked/dumps"));
    let mut v = bt(&s3);
    v.args(["verify", &url]);
    let vo = run(v);
    p.check(vo.code == 0, || {
        format!("verify {url}: exit {}: {}", vo.code, vo.stdout)
    });

    // The stored bytes, gunzipped by flate2.
    let text = {
        let f = std::fs::File::open(stored(&s3, &url)).expect("kept object");
        let mut d = flate2::read::MultiGzDecoder::new(f);
        let mut t = String::new();
        d.read_to_string(&mut t).expect("gunzip the kept object");
        t
    };
    p.check(text.contains("COPY public.users"), || {
        "the kept dump has no users data: the scan would see nothing".into()
    });
    p.check(text.contains("PostgreSQL database dump complete"), || {
        "the kept dump has no completion line".into()
    });
    let emails = c.rows(&src.name, "SELECT email FROM public.users ORDER BY id");
    let tokens = c.rows(
        &src.name,
        "SELECT refresh_token FROM public.accounts ORDER BY id",
    );
    p.check(emails.len() == rows as usize, || {
        format!("source has {} e-mails", emails.len())
    });
    let leaked: Vec<String> = emails
        .iter()
        .chain(tokens.iter())
        .filter(|v| text.contains(v.as_str()))
        .take(5)
        .cloned()
        .collect();
    p.none("source values in the kept dump", &leaked);

    // Restored, it is staging's masked copy, not the source.
    let t = c.fresh_name("offsite_copy_kd_rst");
    let mut r = bt(&s3);
    r.args(["restore", &url, "--db", &c.url(&t), "--create"]);
    let ro = run(r);
    p.check(ro.code == 0, || {
        format!("restore {url}: exit {}: {}", ro.code, tail(&ro.stderr))
    });
    if ro.code == 0 {
        p.check(
            c.table_checksums(&t) == s.table_checksums(&staging.name),
            || "the kept dump restored differs from staging".into(),
        );
        let q = "SELECT id || '|' || email || '|' || name || '|' || created_at FROM public.users ORDER BY id";
        let (orig, masked) = (c.rows(&src.name, q), c.rows(&t, q));
        p.check(orig.len() == masked.len(), || {
            format!(
                "{} users in the source, {} restored",
                orig.len(),
                masked.len()
            )
        });
        let mut same_email = 0;
        let mut same_name = 0;
        let mut kept_differs = 0;
        for (o, m) in orig.iter().zip(masked.iter()) {
            let o: Vec<&str> = o.split('|').collect();
            let m: Vec<&str> = m.split('|').collect();
            if o.len() != 4 || m.len() != 4 {
                continue;
            }
            same_email += usize::from(o[1] == m[1]);
            same_name += usize::from(o[2] == m[2]);
            kept_differs += usize::from(o[0] != m[0] || o[3] != m[3]);
        }
        p.check(same_email == 0, || {
            format!("{same_email} e-mails unmasked in the restored dump")
        });
        p.check(same_name == 0, || {
            format!("{same_name} names unmasked in the restored dump")
        });
        p.check(kept_differs == 0, || {
            format!("{kept_differs} rows with kept columns (id, created_at) changed")
        });
        let tq = "SELECT refresh_token FROM public.accounts ORDER BY id";
        let (ot, mt) = (c.rows(&src.name, tq), c.rows(&t, tq));
        let same_tokens = ot.iter().zip(mt.iter()).filter(|(a, b)| a == b).count();
        p.check(same_tokens == 0 && mt.len() == ot.len(), || {
            format!(
                "{same_tokens} refresh tokens unmasked ({} of {} rows)",
                mt.len(),
                ot.len()
            )
        });
    }
    p.finish("sync --keep-dump s3://");
}

// ---------------------------------------------------------------------------------------------
// 8. Secrets
// ---------------------------------------------------------------------------------------------

/// The secret key (nor the access key id, nor a wrong secret key given) is never in what `copy` prints — text, `-vv`, `--json` — on success (both
/// directions), with a damaged source, a refused overwrite, a missing bucket and wrong keys;
/// nor in any byte stored at the destinations.
#[test]
fn offsite_copy_never_prints_or_stores_the_secret_key() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("sec.db");
    make_sqlite(&src, "copysec", 50);
    let srcs = src.display().to_string();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let (a_s, b_s) = (a.display().to_string(), b.display().to_string());
    let s3 = server("copy-sec");
    let remote = "s3://copy-sec/s";
    backup(&s3, &srcs, &a_s, &[]);
    let last = backup(&s3, &srcs, &a_s, &[]);
    let wrong_secret = format!("wrongsecret{}", random_hex(12));
    let secrets: Vec<(&str, &str)> = vec![
        ("the secret access key", &s3.secret_key),
        ("the wrong secret key given", &wrong_secret),
        ("the access key id", &s3.access_key),
    ];
    let mut p = Problems::default();
    let check = |label: &str, cmd: Command, want_ok: bool, json: bool, p: &mut Problems| {
        let out = run(cmd);
        p.check((out.code == 0) == want_ok, || {
            format!(
                "{label}: exit {} (expected {}): {}",
                out.code,
                if want_ok { "0" } else { "non-zero" },
                tail(&out.stderr)
            )
        });
        p.none(
            &format!("{label} printed"),
            &secrets_in(&all_output(&out), &secrets),
        );
        if json {
            p.check(
                serde_json::from_str::<serde_json::Value>(&out.stdout).is_ok(),
                || format!("{label}: stdout is not JSON: {}", out.stdout),
            );
        }
    };
    for (label, from, to) in [
        ("local → s3", a_s.as_str(), remote),
        ("s3 → local", remote, b_s.as_str()),
    ] {
        check(
            &format!("copy {label} -vv"),
            copy_cmd(&s3, from, to, &["-vv"]),
            true,
            false,
            &mut p,
        );
        check(
            &format!("copy {label} --json -vv (all present)"),
            copy_cmd(&s3, from, to, &["--json", "-vv"]),
            true,
            true,
            &mut p,
        );
    }
    // A damaged source backup (same size, other bytes) copied into a fresh prefix.
    let lastf = a.join(file_name(&last));
    let len = std::fs::metadata(&lastf).expect("last").len();
    flip_byte(&lastf, len / 2);
    check(
        "copy of a damaged source --json -vv",
        copy_cmd(&s3, &a_s, "s3://copy-sec/other", &["--json", "-vv"]),
        false,
        true,
        &mut p,
    );
    // A destination holding the same file name with other content.
    let m = b.join(format!("{}.manifest.json", file_name(&last)));
    let text = std::fs::read_to_string(&m).unwrap_or_default();
    let mut mv: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    mv["sha256"] = serde_json::json!("0".repeat(64));
    std::fs::write(&m, mv.to_string()).expect("rewrite manifest");
    flip_byte(&lastf, len / 2);
    check(
        "copy onto other content -vv",
        copy_cmd(&s3, &a_s, &b_s, &["-vv", "--json"]),
        false,
        true,
        &mut p,
    );
    check(
        "copy into a missing bucket --json -vv",
        copy_cmd(&s3, &a_s, "s3://no-such-bucket/x", &["--json", "-vv"]),
        false,
        true,
        &mut p,
    );
    let mut wrong = copy_cmd(&s3, &a_s, "s3://copy-sec/wrong", &["--json", "-vv"]);
    wrong
        .env("AWS_SECRET_ACCESS_KEY", &wrong_secret)
        .env("BACKUP_TOOLS_S3_TIMEOUT", "5");
    check(
        "copy with a wrong secret key --json -vv",
        wrong,
        false,
        true,
        &mut p,
    );
    let mut wrong = copy_cmd(
        &s3,
        "s3://copy-sec/s",
        &tmp.path().join("c").display().to_string(),
        &["-vv"],
    );
    wrong
        .env("AWS_SECRET_ACCESS_KEY", &wrong_secret)
        .env("BACKUP_TOOLS_S3_TIMEOUT", "5");
    check(
        "copy from s3 with a wrong secret key -vv",
        wrong,
        false,
        false,
        &mut p,
    );
    p.none(
        "stored files holding a secret",
        &files_containing(
            &[&s3.data(), &b, &a],
            &[&s3.secret_key, &wrong_secret, &s3.access_key],
        ),
    );
    p.finish("secrets in copy");
}

// ---------------------------------------------------------------------------------------------
// 9. Refusing to overwrite
// ---------------------------------------------------------------------------------------------

/// A destination whose backup of the same file name records other content: `copy` exits 6
/// naming the file, and leaves the destination's file and manifest byte for byte as they were.
#[test]
fn offsite_copy_refuses_to_overwrite_other_content_at_the_destination() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("ow.db");
    make_sqlite(&src, "copyow", 50);
    let srcs = src.display().to_string();
    let a = tmp.path().join("a");
    let a_s = a.display().to_string();
    let s3 = server("copy-ow");
    let remote = "s3://copy-ow/o";
    let u1 = backup(&s3, &srcs, &a_s, &[]);
    let mut p = Problems::default();
    let out = copy(&s3, &a_s, remote, &[]);
    p.check(out.code == 0, || {
        format!("first copy: exit {}: {}", out.code, tail(&out.stderr))
    });
    // The destination's copy is replaced by other bytes of the same size, with a manifest that
    // describes them (a different, intact backup under the same name).
    let f1 = file_name(&u1);
    let obj = stored(&s3, &format!("{remote}/{f1}"));
    let man = stored(&s3, &format!("{remote}/{f1}.manifest.json"));
    let len = std::fs::metadata(&obj).map(|m| m.len()).unwrap_or(0);
    flip_byte(&obj, len / 2);
    let mut mv: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&man).unwrap_or_default()).unwrap_or_default();
    mv["sha256"] = serde_json::json!(sha256_of(&obj));
    std::fs::write(&man, mv.to_string()).expect("manifest");
    let (obj_sha, man_sha) = (sha256_of(&obj), sha256_of(&man));
    let out = copy(&s3, &a_s, remote, &[]);
    p.check(out.code == 6, || {
        format!(
            "copy onto other content: exit {} (expected 6): {}",
            out.code,
            tail(&out.stderr)
        )
    });
    p.check(all_output(&out).contains(&f1), || {
        format!("the refusal does not name {f1}: {}", tail(&out.stderr))
    });
    p.check(
        sha256_of(&obj) == obj_sha && sha256_of(&man) == man_sha,
        || "the destination's file or manifest was overwritten".into(),
    );
    p.none("upload state left", &s3.upload_leftovers());
    p.none("stray objects", &strays(&s3, "copy-ow", "o"));
    p.finish("copy refuses to overwrite");
}
