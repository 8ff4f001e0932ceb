//! Issue 11, "Knowing that it worked": the node_exporter textfile (parsed by the text format's
//! rules, written atomically, other series kept), `status --prometheus`, hooks with the outcome
//! and no secret, and `doctor` failing on every kind of problem it claims to check.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use tests::{cluster, load_sample, run, tool, write_executable, Stopped, PASSWORD, SAMPLE_RULES};

use crate::operator_common::*;

/// Parses Prometheus' text exposition format strictly enough for node_exporter's textfile
/// collector: every family has a TYPE and a non-empty HELP before its samples, families are
/// not split, names and label syntax are valid, values are numbers, no series repeats.
/// Returns `name{labels}` -> value.
fn parse_prometheus(text: &str) -> Result<BTreeMap<String, f64>, String> {
    let valid_name = |n: &str| {
        !n.is_empty()
            && n.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let mut help: BTreeMap<String, String> = BTreeMap::new();
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut finished: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut out = BTreeMap::new();
    for (no, line) in text.lines().enumerate() {
        let at = || format!("line {}: {line:?}", no + 1);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (n, h) = rest.split_once(' ').unwrap_or((rest, ""));
            if h.trim().is_empty() {
                return Err(format!("{}: HELP without text", at()));
            }
            if help.insert(n.to_string(), h.to_string()).is_some() {
                return Err(format!("{}: second HELP for {n}", at()));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (n, t) = rest.split_once(' ').ok_or_else(at)?;
            if !["counter", "gauge", "histogram", "summary", "untyped"].contains(&t) {
                return Err(format!("{}: bad type", at()));
            }
            if types.insert(n.to_string(), t.to_string()).is_some() {
                return Err(format!("{}: second TYPE for {n}", at()));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (series, value) = match line.find('}') {
            Some(i) => (&line[..=i], line[i + 1..].trim()),
            None => line
                .split_once(' ')
                .map(|(a, b)| (a, b.trim()))
                .ok_or_else(at)?,
        };
        let name = series.split('{').next().unwrap_or_default();
        if !valid_name(name) {
            return Err(format!("{}: bad metric name", at()));
        }
        if let Some(labels) = series.strip_prefix(name).filter(|l| !l.is_empty()) {
            let inner = labels
                .strip_prefix('{')
                .and_then(|l| l.strip_suffix('}'))
                .ok_or_else(at)?;
            // name="value" pairs, values with \" \\ \n escapes only.
            let mut chars = inner.chars().peekable();
            while chars.peek().is_some() {
                let mut ln = String::new();
                while let Some(&c) = chars.peek() {
                    if c == '=' {
                        break;
                    }
                    ln.push(c);
                    chars.next();
                }
                if !valid_name(&ln) || chars.next() != Some('=') || chars.next() != Some('"') {
                    return Err(format!("{}: bad label", at()));
                }
                loop {
                    match chars.next() {
                        Some('\\') => match chars.next() {
                            Some('"' | '\\' | 'n') => {}
                            _ => return Err(format!("{}: bad escape in a label value", at())),
                        },
                        Some('"') => break,
                        Some(_) => {}
                        None => return Err(format!("{}: unterminated label value", at())),
                    }
                }
                match chars.next() {
                    Some(',') | None => {}
                    _ => return Err(format!("{}: junk after a label", at())),
                }
            }
        }
        let v = value.split_whitespace().next().unwrap_or_default();
        let num: f64 = match v {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            "NaN" => f64::NAN,
            v => v
                .parse()
                .map_err(|_| format!("{}: value is not a number", at()))?,
        };
        if !types.contains_key(name) || !help.contains_key(name) {
            return Err(format!("{}: sample before its TYPE and HELP", at()));
        }
        if name != current {
            if finished.contains(&name.to_string()) {
                return Err(format!("{}: family {name} is split", at()));
            }
            if !current.is_empty() {
                finished.push(current.clone());
            }
            current = name.to_string();
        }
        if out.insert(series.to_string(), num).is_some() {
            return Err(format!("{}: repeated series", at()));
        }
    }
    Ok(out)
}

fn series<'a>(
    m: &'a BTreeMap<String, f64>,
    contains: &str,
    name: &str,
) -> Option<(&'a String, f64)> {
    let label = format!("name=\"{name}\"");
    m.iter()
        .find(|(k, _)| k.contains(contains) && k.contains(&label))
        .map(|(k, v)| (k, *v))
}

fn sqlite_db(dir: &Path, file: &str, rows: u32) -> PathBuf {
    let p = dir.join(file);
    let c = rusqlite::Connection::open(&p).expect("open");
    c.execute_batch("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
        .expect("schema");
    for i in 0..rows {
        c.execute("INSERT INTO t VALUES (?1)", [i]).expect("insert");
    }
    p
}

#[test]
fn operator_metrics_file_is_a_node_exporter_textfile_written_atomically() {
    let c = cluster();
    let src = c.create_db("op_metrics");
    load_sample(c, &src.name, 11);
    let work = tempfile::tempdir().expect("tmp");
    let mdir = work.path().join("textfile");
    std::fs::create_dir(&mdir).expect("mkdir");
    let other = mdir.join("other.prom");
    std::fs::write(&other, "# HELP x_y Other.\n# TYPE x_y gauge\nx_y 1\n").expect("other");
    let mfile = mdir.join("backup.prom");
    let dir = work.path().join("b");
    let mut ch = Checks::new();
    let t0 = chrono::Utc::now().timestamp() as f64;
    let mut b = tool("backup-tool");
    b.args(["backup", "--name", "appm", "--db", &src.url, "--dir"])
        .arg(&dir)
        .arg("--metrics-file")
        .arg(&mfile);
    let out = run(b);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let file = PathBuf::from(out.stdout.trim());
    let t1 = chrono::Utc::now().timestamp() as f64 + 1.0;
    let m = manifest(&file);
    let parsed = parse_prometheus(&std::fs::read_to_string(&mfile).unwrap_or_default());
    ch.check(parsed.is_ok(), || {
        format!(
            "metrics file after a success: {}",
            parsed.as_ref().err().cloned().unwrap_or_default()
        )
    });
    let first_success = if let Ok(p) = &parsed {
        let ts = series(p, "last_success_timestamp", "appm")
            .map(|s| s.1)
            .unwrap_or(-1.0);
        ch.check(ts >= t0 - 1.0 && ts <= t1, || {
            format!("last success timestamp {ts}, want between {t0} and {t1}")
        });
        ch.check(
            series(p, "duration", "appm").is_some_and(|s| s.1 > 0.0),
            || "no duration series".into(),
        );
        let size = m["size"].as_f64().unwrap_or(-1.0);
        ch.check(
            p.iter()
                .any(|(k, v)| k.contains("name=\"appm\"") && k.contains("bytes") && *v == size),
            || format!("no bytes series equal to the manifest size {size}: {p:?}"),
        );
        let rows: u64 = m["tables"]
            .as_object()
            .map(|o| o.values().filter_map(|v| v.as_u64()).sum())
            .unwrap_or(0);
        ch.check(
            series(p, "rows", "appm").is_some_and(|s| s.1 == rows as f64),
            || format!("no rows series equal to the manifest's {rows}"),
        );
        ts
    } else {
        0.0
    };
    let ino1 = std::fs::metadata(&mfile).map(|m| m.ino()).unwrap_or(0);

    // Another name updates the same file by replacing it (rename), keeping appm's series.
    let lite = sqlite_db(work.path(), "lite.db", 4);
    let mut b = tool("backup-tool");
    b.args(["backup", "--name", "lite", "--db"])
        .arg(&lite)
        .arg("--dir")
        .arg(&dir)
        .arg("--metrics-file")
        .arg(&mfile);
    let out = run(b);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ino2 = std::fs::metadata(&mfile).map(|m| m.ino()).unwrap_or(0);
    ch.check(ino1 != ino2, || {
        "the metrics file was rewritten in place (same inode), not replaced atomically".into()
    });

    // A failure of appm: failure time set, success time kept, exit code recorded.
    let mut b = tool("backup-tool");
    b.args([
        "backup",
        "--name",
        "appm",
        "--db",
        &c.url("op_metrics_no_such_db"),
        "--dir",
    ])
    .arg(&dir)
    .arg("--metrics-file")
    .arg(&mfile);
    let out = run(b);
    ch.check(out.code != 0, || {
        "a backup of a missing database succeeded".into()
    });
    let text = std::fs::read_to_string(&mfile).unwrap_or_default();
    match parse_prometheus(&text) {
        Ok(p) => {
            ch.check(
                series(&p, "last_success_timestamp", "appm").map(|s| s.1) == Some(first_success),
                || "the failure changed appm's last success time".into(),
            );
            ch.check(
                series(&p, "last_failure_timestamp", "appm").is_some_and(|s| s.1 >= t0 - 1.0),
                || "no last failure time for appm".into(),
            );
            ch.check(
                series(&p, "exit_code", "appm").map(|s| s.1) == Some(out.code as f64),
                || format!("exit code series is not {}", out.code),
            );
            ch.check(
                series(&p, "last_success_timestamp", "lite").is_some(),
                || "lite's series were lost".into(),
            );
        }
        Err(e) => ch.check(false, || {
            format!("metrics file after a failure is not valid text format: {e}\n{text}")
        }),
    }
    // Nothing else in the collector's folder: no temp files, the foreign file untouched.
    let files = tests::visible_files(&mdir);
    ch.check(
        files == vec!["backup.prom".to_string(), "other.prom".to_string()],
        || format!("collector folder holds {files:?}"),
    );
    ch.check(
        std::fs::read_to_string(&other)
            .unwrap_or_default()
            .contains("x_y 1"),
        || "other.prom was changed".into(),
    );

    // Six backups finishing at once each keep their series (no lost update).
    let mut kids = Vec::new();
    for i in 0..6 {
        let db = sqlite_db(work.path(), &format!("par{i}.db"), 1);
        let mut b = tool("backup-tool");
        b.args(["backup", "--name", &format!("par{i}"), "--db"])
            .arg(&db)
            .arg("--dir")
            .arg(&dir)
            .arg("--metrics-file")
            .arg(&mfile);
        b.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        kids.push(b.spawn().expect("spawn"));
    }
    for mut k in kids {
        let _ = k.wait();
    }
    let text = std::fs::read_to_string(&mfile).unwrap_or_default();
    // Still valid text format after several rewrites (HELP texts kept for every family).
    if let Err(e) = parse_prometheus(&text) {
        ch.check(false, || {
            format!("after later runs the metrics file is no longer valid text format: {e}\n{text}")
        });
    }
    // Read by plain text, so a format error above does not hide a lost series.
    let has = |metric: &str, name: &str| {
        text.lines()
            .any(|l| l.starts_with(&format!("backup_tool_{metric}{{name=\"{name}\"}} ")))
    };
    for i in 0..6 {
        ch.check(has("last_success_timestamp_seconds", &format!("par{i}")), || format!("concurrent runs lost par{i}'s series (no lock around the file's read-modify-write)"));
    }
    ch.check(
        has("last_success_timestamp_seconds", "appm")
            && has("last_failure_timestamp_seconds", "appm"),
        || "concurrent runs lost appm's series".into(),
    );

    // `metrics_file` in the config, for `run`.
    let cfg = work.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "metrics_file = \"textfile/run.prom\"\n[env.blue]\ndb = \"{}\"\ndir = \"b\"\n",
            lite.display()
        ),
    )
    .expect("cfg");
    let mut r = tool("backup-tool");
    r.args(["run", "--config"]).arg(&cfg);
    let out = run(r);
    ch.check(out.code == 0, || format!("run: {}", out.stderr));
    match parse_prometheus(&std::fs::read_to_string(mdir.join("run.prom")).unwrap_or_default()) {
        Ok(p) => ch.check(
            p.keys().any(|k| {
                k.contains("last_success_timestamp")
                    && (k.contains("\"blue\"") || k.contains("\"lite\""))
            }),
            || format!("run.prom lacks the environment's series: {p:?}"),
        ),
        Err(e) => ch.check(false, || format!("run.prom: {e}")),
    }
    ch.finish();
}

#[test]
fn operator_status_prints_prometheus_text() {
    let work = tempfile::tempdir().expect("tmp");
    let db = sqlite_db(work.path(), "st.db", 6);
    let dir = work.path().join("b");
    let f = backup(&db.display().to_string(), &dir, &["--name", "st"]);
    let m = manifest(&f);
    let mut ch = Checks::new();
    let status = |max: &str| {
        let mut s = tool("backup-tool");
        s.args([
            "status",
            "--prometheus",
            "--name",
            "st",
            "--max-age",
            max,
            "--dir",
        ])
        .arg(&dir);
        run(s)
    };
    let out = status("1h");
    ch.check(out.code == 0, || {
        format!("status --prometheus of a fresh backup: exit {}", out.code)
    });
    match parse_prometheus(&out.stdout) {
        Ok(p) => {
            ch.check(series(&p, "ok", "st").map(|s| s.1) == Some(1.0), || {
                format!("no ok=1 series: {p:?}")
            });
            ch.check(
                series(&p, "age", "st").is_some_and(|s| (0.0..300.0).contains(&s.1)),
                || "no sensible age series".into(),
            );
            // "the same" as the metrics file: last success, size, rows.
            ch.check(series(&p, "last_success_timestamp", "st").is_some(), || {
                format!(
                    "status --prometheus lacks the last success timestamp the metrics file has: {}",
                    out.stdout
                )
            });
            ch.check(
                p.iter().any(|(k, v)| {
                    k.contains("name=\"st\"")
                        && k.contains("bytes")
                        && Some(*v) == m["size"].as_f64()
                }),
                || "status --prometheus lacks the backup's size in bytes".into(),
            );
            ch.check(series(&p, "rows", "st").is_some(), || {
                "status --prometheus lacks the row count".into()
            });
        }
        Err(e) => ch.check(false, || {
            format!("status --prometheus: {e}\n{}", out.stdout)
        }),
    }
    edit_manifest(&f, |m| {
        let t = chrono::Utc::now() - chrono::Duration::hours(2);
        m["started_at"] = serde_json::json!(t.to_rfc3339());
        m["finished_at"] = serde_json::json!(t.to_rfc3339());
    });
    let out = status("1h");
    ch.check(out.code == 4, || {
        format!(
            "status --prometheus of a stale backup: exit {}, want 4",
            out.code
        )
    });
    match parse_prometheus(&out.stdout) {
        Ok(p) => {
            ch.check(series(&p, "ok", "st").map(|s| s.1) == Some(0.0), || {
                "stale backup: ok is not 0".into()
            });
            ch.check(
                series(&p, "age", "st").is_some_and(|s| (7000.0..7500.0).contains(&s.1)),
                || "stale backup: age is not about 2 h".into(),
            );
        }
        Err(e) => ch.check(false, || {
            format!("stale status --prometheus: {e}\n{}", out.stdout)
        }),
    }
    ch.finish();
}

#[test]
fn operator_hooks_get_the_outcome_and_never_a_secret() {
    let c = cluster();
    let src = c.create_db("op_hooks");
    load_sample(c, &src.name, 6);
    let work = tempfile::tempdir().expect("tmp");
    let dir = work.path().join("b");
    let ok_env = work.path().join("ok.env");
    let fail_env = work.path().join("fail.env");
    let hooks = [
        "--on-success".to_string(),
        format!("env > {}", sh_quote(&ok_env.display().to_string())),
        "--on-failure".to_string(),
        format!("env > {}", sh_quote(&fail_env.display().to_string())),
    ];
    let read_env = |p: &Path| -> BTreeMap<String, String> {
        std::fs::read_to_string(p)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                l.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect()
    };
    let mut ch = Checks::new();
    // Success, password in the URL only.
    let mut b = tool("backup-tool");
    b.env_remove("PGPASSWORD")
        .args([
            "backup",
            "--name",
            "hk",
            "--db",
            &c.url_with_password(&src.name),
            "--dir",
        ])
        .arg(&dir)
        .args(&hooks);
    let out = run(b);
    ch.check(out.code == 0, || format!("backup: {}", out.stderr));
    ch.check(!fail_env.exists(), || {
        "on_failure ran after a success".into()
    });
    let e = read_env(&ok_env);
    let file = out.stdout.trim().to_string();
    ch.check(
        e.get("BACKUP_TOOL_NAME").map(String::as_str) == Some("hk"),
        || format!("BACKUP_TOOL_NAME: {:?}", e.get("BACKUP_TOOL_NAME")),
    );
    ch.check(
        e.get("BACKUP_TOOL_EXIT_CODE").map(String::as_str) == Some("0"),
        || "BACKUP_TOOL_EXIT_CODE is not 0".into(),
    );
    let hook_file = e.get("BACKUP_TOOL_FILE").cloned().unwrap_or_default();
    ch.check(
        !hook_file.is_empty()
            && std::fs::canonicalize(&hook_file).ok() == std::fs::canonicalize(&file).ok(),
        || format!("BACKUP_TOOL_FILE {hook_file:?} is not the backup {file}"),
    );
    ch.check(
        e.get("BACKUP_TOOL_BYTES")
            .and_then(|b| b.parse::<u64>().ok())
            == std::fs::metadata(&file).ok().map(|m| m.len()),
        || "BACKUP_TOOL_BYTES is not the file's size".into(),
    );
    ch.absent(
        "on_success environment",
        &std::fs::read_to_string(&ok_env).unwrap_or_default(),
        PASSWORD,
    );
    std::fs::remove_file(&ok_env).ok();

    // Failure: the database is not there.
    let mut b = tool("backup-tool");
    b.env_remove("PGPASSWORD")
        .args([
            "backup",
            "--name",
            "hk",
            "--db",
            &c.url_with_password("op_hooks_missing"),
            "--dir",
        ])
        .arg(&dir)
        .args(&hooks);
    let out = run(b);
    ch.check(out.code != 0 && !ok_env.exists(), || {
        "a failed backup ran on_success or succeeded".into()
    });
    let e = read_env(&fail_env);
    ch.check(
        e.get("BACKUP_TOOL_EXIT_CODE") == Some(&out.code.to_string()),
        || {
            format!(
                "BACKUP_TOOL_EXIT_CODE {:?}, the tool exited {}",
                e.get("BACKUP_TOOL_EXIT_CODE"),
                out.code
            )
        },
    );
    ch.check(
        e.get("BACKUP_TOOL_ERROR")
            .is_some_and(|x| x.contains("op_hooks_missing")),
        || {
            format!(
                "BACKUP_TOOL_ERROR does not say what failed: {:?}",
                e.get("BACKUP_TOOL_ERROR")
            )
        },
    );
    ch.check(
        e.get("BACKUP_TOOL_NAME").map(String::as_str) == Some("hk"),
        || "BACKUP_TOOL_NAME on failure".into(),
    );
    ch.absent(
        "on_failure environment",
        &std::fs::read_to_string(&fail_env).unwrap_or_default(),
        PASSWORD,
    );
    std::fs::remove_file(&fail_env).ok();

    // Failure inside pg_dump, whose message repeats the password it was given.
    let bin = work.path().join("bin");
    std::fs::create_dir(&bin).expect("mkdir");
    write_executable(&bin.join("pg_dump"), &format!(
        "#!/bin/sh\ncase \"$*\" in *--version*) exec {real} --version;; esac\necho \"pg_dump: error: connection to server failed: password was $(cut -d: -f5 \"$PGPASSFILE\") ${{PGPASSWORD}}\" >&2\nexit 1\n",
        real = c.bindir.join("pg_dump").display()
    ));
    std::os::unix::fs::symlink(c.bindir.join("psql"), bin.join("psql")).expect("symlink");
    let mut b = tool("backup-tool");
    b.env_remove("PGPASSWORD")
        .args([
            "backup",
            "--name",
            "hk",
            "--db",
            &c.url_with_password(&src.name),
            "--dir",
        ])
        .arg(&dir)
        .arg("--pg-bin-dir")
        .arg(&bin)
        .args(&hooks);
    let out = run(b);
    ch.check(out.code != 0, || {
        "a failing pg_dump was not a failure".into()
    });
    ch.absent(
        "tool output when pg_dump prints the password",
        &all(&out),
        PASSWORD,
    );
    let e = read_env(&fail_env);
    ch.check(
        e.get("BACKUP_TOOL_ERROR")
            .is_some_and(|x| x.contains("pg_dump")),
        || {
            format!(
                "BACKUP_TOOL_ERROR does not name pg_dump: {:?}",
                e.get("BACKUP_TOOL_ERROR")
            )
        },
    );
    ch.absent(
        "on_failure environment after pg_dump failed",
        &std::fs::read_to_string(&fail_env).unwrap_or_default(),
        PASSWORD,
    );
    std::fs::remove_file(&fail_env).ok();

    // Hooks from the config file (on_success / on_failure keys) for `run`.
    let cfg = work.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "on_failure = \"env > {}\"\n[env.gone]\ndb = \"{}\"\ndir = \"b\"\n",
            fail_env.display(),
            work.path().join("gone.db").display()
        ),
    )
    .expect("cfg");
    let mut r = tool("backup-tool");
    r.args(["run", "--config"]).arg(&cfg);
    let out = run(r);
    ch.check(out.code != 0, || {
        "run of a missing SQLite file succeeded".into()
    });
    let e = read_env(&fail_env);
    ch.check(
        e.get("BACKUP_TOOL_STATUS").map(String::as_str) == Some("failure"),
        || format!("config on_failure did not run with the outcome: {e:?}"),
    );
    // Documented: a healthchecks-style ping with curl.
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap_or_default();
    let mut h = tool("backup-tool");
    h.args(["backup", "--help"]);
    let help = run(h).stdout;
    ch.check(readme.contains("curl") || help.contains("curl"), || {
        "neither the README nor backup --help shows a hook pinging with curl".into()
    });
    ch.finish();
}

/// A config that `doctor` should pass: a PostgreSQL environment with password_env, an SQLite
/// one, a sync with a salted rules file, and the environment file filled in.
struct DoctorSetup {
    work: tempfile::TempDir,
    cfg: PathBuf,
    env_file: PathBuf,
    text: String,
}

const DOC_SALT: &str = "op-doctor-salt-0123456789";

impl DoctorSetup {
    fn new() -> DoctorSetup {
        let c = cluster();
        let prod = c.create_db("op_doctor");
        let staging = c.create_db("op_doctor_staging");
        let work = tempfile::tempdir().expect("tmp");
        let lite = sqlite_db(work.path(), "blue.db", 2);
        std::fs::write(work.path().join("masking.toml"), SAMPLE_RULES).expect("rules");
        let text = format!(
            "[env.prod]\ndb = \"{}\"\npassword_env = \"OP_DOC_PW\"\ndir = \"backups/pg\"\nschedule = \"0 3 * * *\"\n\n\
             [env.blue]\ndb = \"{}\"\ndir = \"backups/blue\"\nschedule = \"0 4 * * *\"\n\n\
             [env.staging]\ndb = \"{}\"\npassword_env = \"OP_DOC_PW\"\n\n\
             [sync.staging]\nfrom = \"prod\"\nto = \"staging\"\nrules = \"masking.toml\"\nschedule = \"0 5 * * 0\"\n",
            prod.url,
            lite.display(),
            staging.url
        );
        let cfg = work.path().join("backup.toml");
        std::fs::write(&cfg, &text).expect("cfg");
        let env_file = work.path().join("backup-tools.env");
        write_mode(
            &env_file,
            &format!("OP_DOC_PW={PASSWORD}\nMASK_SALT={DOC_SALT}\n"),
            0o600,
        );
        DoctorSetup {
            work,
            cfg,
            env_file,
            text,
        }
    }

    fn doctor(&self, env: &[(&str, Option<&str>)], extra: &[&str]) -> tests::Output {
        let mut d = tool("backup-tool");
        d.env_remove("PGPASSWORD")
            .env("OP_DOC_PW", PASSWORD)
            .env("MASK_SALT", DOC_SALT);
        for (k, v) in env {
            match v {
                Some(v) => d.env(k, v),
                None => d.env_remove(k),
            };
        }
        d.args(["doctor", "--json", "--config"])
            .arg(&self.cfg)
            .args(extra);
        run(d)
    }
}

#[test]
fn operator_doctor_exits_non_zero_on_each_kind_of_problem() {
    let s = DoctorSetup::new();
    let mut ch = Checks::new();
    let base = s.doctor(&[], &[]);
    ch.clean_out("doctor", &base);
    let j = json(&base);
    ch.check(
        base.code == 0 && j.as_ref().map(|j| j["ok"] == true).unwrap_or(false),
        || {
            format!(
                "doctor of a healthy setup: exit {}: {}",
                base.code, base.stdout
            )
        },
    );
    // Each case breaks one thing; doctor must exit non-zero and name it.
    let problem = |ch: &mut Checks, what: &str, out: &tests::Output, mention: &str| {
        ch.clean_out(what, out);
        ch.check(out.code != 0, || {
            format!("doctor with {what}: exit 0:\n{}", out.stdout)
        });
        let j = json(out).unwrap_or_default();
        let bad: Vec<String> = j["checks"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|c| c["ok"] == false)
                    .map(|c| format!("{} {}", c["what"], c["detail"]))
                    .collect()
            })
            .unwrap_or_default();
        ch.check(
            j["ok"] == false && bad.iter().any(|b| b.contains(mention)),
            || format!("doctor with {what}: no failed check mentioning {mention:?}: {bad:?}"),
        );
        if let Some(code) = j.get("exit_code").and_then(|c| c.as_i64()) {
            ch.check(code == out.code as i64, || {
                format!(
                    "doctor with {what}: JSON exit_code {code} but exit {}",
                    out.code
                )
            });
        }
    };
    let rewrite = |from: &str, to: &str| {
        std::fs::write(&s.cfg, s.text.replace(from, to)).expect("cfg");
    };
    let restore_cfg = || std::fs::write(&s.cfg, &s.text).expect("cfg");
    let c = cluster();

    rewrite(
        &format!("127.0.0.1:{}/op_doctor_", c.port),
        "127.0.0.1:1/op_doctor_",
    );
    let out = s.doctor(&[], &[]);
    problem(&mut ch, "a server that refuses connections", &out, "prod");
    restore_cfg();

    let out = s.doctor(&[("OP_DOC_PW", Some("wrong-password"))], &[]);
    problem(&mut ch, "a wrong password", &out, "password");

    let out = s.doctor(&[("OP_DOC_PW", None)], &[]);
    problem(&mut ch, "the password variable unset", &out, "OP_DOC_PW");

    let out = s.doctor(&[("MASK_SALT", None)], &[]);
    problem(&mut ch, "the masking salt unset", &out, "MASK_SALT");

    let out = s.doctor(&[("MASK_SALT", Some("short"))], &[]);
    problem(&mut ch, "a salt too short", &out, "MASK_SALT");

    std::fs::write(s.work.path().join("plainfile"), "x").expect("file");
    rewrite("dir = \"backups/pg\"", "dir = \"plainfile/pg\"");
    let out = s.doctor(&[], &[]);
    problem(
        &mut ch,
        "a backup folder that cannot be created",
        &out,
        "plainfile",
    );
    restore_cfg();

    let emptybin = s.work.path().join("emptybin");
    std::fs::create_dir(&emptybin).expect("mkdir");
    let out = s.doctor(&[], &["--pg-bin-dir", &emptybin.display().to_string()]);
    problem(&mut ch, "no pg_dump", &out, "pg_dump");

    std::fs::remove_file(s.work.path().join("blue.db")).expect("rm");
    let out = s.doctor(&[], &[]);
    problem(&mut ch, "a missing SQLite source", &out, "blue");
    sqlite_db(s.work.path(), "blue.db", 2);

    write_mode(
        &s.env_file,
        &format!("OP_DOC_PW={PASSWORD}\nMASK_SALT={DOC_SALT}\n"),
        0o644,
    );
    let out = s.doctor(&[], &[]);
    problem(
        &mut ch,
        "a world-readable environment file",
        &out,
        "environment file",
    );

    // The scheduled jobs read the environment file, not this shell: an empty value there is
    // the 03:00 failure doctor exists to prevent.
    write_mode(
        &s.env_file,
        &format!("OP_DOC_PW=\nMASK_SALT={DOC_SALT}\n"),
        0o600,
    );
    let out = s.doctor(&[], &[]);
    problem(
        &mut ch,
        "OP_DOC_PW empty in the environment file the jobs read",
        &out,
        "OP_DOC_PW",
    );
    write_mode(
        &s.env_file,
        &format!("OP_DOC_PW={PASSWORD}\nMASK_SALT=\n"),
        0o600,
    );
    let out = s.doctor(&[], &[]);
    problem(
        &mut ch,
        "MASK_SALT empty in the environment file the jobs read",
        &out,
        "MASK_SALT",
    );
    write_mode(
        &s.env_file,
        &format!("OP_DOC_PW={PASSWORD}\nMASK_SALT={DOC_SALT}\n"),
        0o600,
    );

    // A run that holds the lock.
    let blue = s.work.path().join("blue.db");
    let mut b = tool("backup-tool");
    b.args(["backup", "--name", "blue", "--db"])
        .arg(&blue)
        .arg("--dir")
        .arg(s.work.path().join("backups/blue"));
    let stopped = Stopped::at(b, "backup.dumping");
    let out = s.doctor(&[], &[]);
    problem(&mut ch, "a lock held by a running backup", &out, "lock");
    let _ = stopped.kill9();
    ch.finish();
}

#[test]
fn operator_sync_run_writes_metrics_and_runs_the_configs_hooks() {
    let work = tempfile::tempdir().expect("tmp");
    let prod = sqlite_db(work.path(), "prod.db", 7);
    let staging = sqlite_db(work.path(), "staging.db", 1);
    std::fs::write(
        work.path().join("masking.toml"),
        "salt_env = \"MASK_SALT\"\n[tables.\"main.t\"]\nkeep = [\"x\"]\n",
    )
    .expect("rules");
    let ok_env = work.path().join("ok.env");
    let fail_env = work.path().join("fail.env");
    std::fs::create_dir(work.path().join("textfile")).expect("textfile folder");
    let cfg = work.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "metrics_file = \"textfile/sync.prom\"\non_success = \"env > {ok}\"\non_failure = \"env > {fail}\"\n\
             [env.prod]\ndb = \"{}\"\n[env.staging]\ndb = \"{}\"\n[env.gone]\ndb = \"{}\"\n\
             [sync.weekly]\nfrom = \"prod\"\nto = \"staging\"\nrules = \"masking.toml\"\n",
            prod.display(),
            staging.display(),
            work.path().join("missing.db").display(),
            ok = ok_env.display(),
            fail = fail_env.display(),
        ),
    )
    .expect("cfg");
    let mut ch = Checks::new();
    let sync = |from: &str| {
        let mut s = tool("sync-tool");
        s.env("MASK_SALT", "operator-sync-hooks-salt-1")
            .args(["run", "--config"])
            .arg(&cfg)
            .args(["--from", from, "--to", "staging", "--rules"])
            .arg(work.path().join("masking.toml"))
            .arg("--yes");
        run(s)
    };
    let out = sync("prod");
    ch.check(out.code == 0, || format!("sync: {}", out.stderr));
    let ok = std::fs::read_to_string(&ok_env).unwrap_or_default();
    ch.check(
        ok.contains("BACKUP_TOOL_NAME=sync_staging") && ok.contains("BACKUP_TOOL_EXIT_CODE=0"),
        || format!("the config's on_success did not run with the outcome: {ok:?}"),
    );
    let prom = std::fs::read_to_string(work.path().join("textfile/sync.prom")).unwrap_or_default();
    match parse_prometheus(&prom) {
        Ok(p) => ch.check(
            p.keys()
                .any(|k| k.contains("last_success_timestamp") && k.contains("\"sync_staging\"")),
            || format!("sync.prom lacks the refresh's series: {p:?}"),
        ),
        Err(e) => ch.check(false, || format!("sync.prom: {e}: {prom}")),
    }
    let out = sync("gone");
    ch.check(out.code != 0, || {
        "a refresh from a missing database succeeded".into()
    });
    let fail = std::fs::read_to_string(&fail_env).unwrap_or_default();
    ch.check(
        fail.contains(&format!("BACKUP_TOOL_EXIT_CODE={}", out.code))
            && fail.contains("BACKUP_TOOL_NAME=sync_staging"),
        || format!("the config's on_failure did not run with the outcome: {fail:?}"),
    );
    ch.finish();
}
